//! `paperwork export --format cpsv-ap`: the catalog as CPSV-AP 3.2 public services whose
//! requirements are CCCEV evidence-type lists, in JSON-LD.
//!
//! Each component is a `Requirement`; each way to meet it is an `EvidenceTypeList` (the types
//! of one list are all needed: AND; a `one_of` component has one list per alternative: OR).
//! Facts are `InformationConcept`s, databases `dcat:Dataset`s, and an evidence type is
//! `dct:isPartOf` every operational database that holds all the facts it proves: the registers
//! a once-only lookup can take it from. Properties CPSV-AP lacks (level, volume, copy, the
//! condition) use the `paperwork:` prefix. Every node has an `@id` URN; the output is sorted.

use crate::workspace::{
    AgencyId, Component, DatabaseStatus, DbId, DocId, DocumentKind, FactId, FactSet, Id, IdVec, Interner, Procedure, Workspace,
};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// The JSON-LD context published with CPSV-AP 3.2.0 (as its own examples cite it).
pub const CONTEXT: &str = "https://semiceu.github.io/uri.semic.eu-generated/CPSV-AP/releases/3.2.0/context/cpsv-ap.jsonld";

/// Language tag of `name` (the catalog's language); `name_en` is tagged `en`.
pub const LOCAL_LANG: &str = "vi";

/// Prefixes declared in the document, so it reads without fetching the remote context.
const PREFIXES: [(&str, &str); 8] = [
    ("cccev", "http://data.europa.eu/m8g/"),
    ("cpsv", "http://purl.org/vocab/cpsv#"),
    ("cv", "http://data.europa.eu/m8g/"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("paperwork", "urn:paperwork:vocab:"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// `urn:paperwork:<kind>:<parts...>`, each part percent-encoded outside `A-Za-z0-9-._~`.
fn urn(kind: &str, parts: &[&str]) -> String {
    let mut out = format!("urn:paperwork:{kind}");
    for part in parts {
        out.push(':');
        for b in part.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn node_ref(id: String) -> Value {
    json!({ "@id": id })
}

/// Language-tagged names; the id when there is none.
fn names(id: &str, name: Option<&str>, name_en: Option<&str>) -> Value {
    let mut out = Vec::new();
    if let Some(n) = name {
        out.push(json!({ "@language": LOCAL_LANG, "@value": n }));
    }
    if let Some(n) = name_en {
        out.push(json!({ "@language": "en", "@value": n }));
    }
    if out.is_empty() { json!(id) } else { Value::Array(out) }
}

/// A node with its id and type, then properties; empty lists are left out.
fn node(id: String, ty: &str, props: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    m.insert("@id".into(), json!(id));
    m.insert("@type".into(), json!(ty));
    for (k, v) in props {
        if !(v.is_null() || v.as_array().is_some_and(Vec::is_empty)) {
            m.insert(k.to_string(), v);
        }
    }
    Value::Object(m)
}

fn refs(ids: impl IntoIterator<Item = String>) -> Value {
    Value::Array(ids.into_iter().map(node_ref).collect())
}

/// The ids of an interner, ordered by string id.
fn sorted<I: Id>(ids: &Interner<I>) -> Vec<I> {
    let mut v: Vec<I> = ids.ids().collect();
    v.sort_by_key(|&i| ids.name(i));
    v
}

fn doc_urn(ws: &Workspace, d: DocId) -> String {
    urn("evidence-type", &[ws.doc_ids.name(d)])
}

fn fact_urn(ws: &Workspace, f: FactId) -> String {
    urn("information-concept", &[ws.fact_ids.name(f)])
}

fn db_urn(ws: &Workspace, d: DbId) -> String {
    urn("dataset", &[ws.db_ids.name(d)])
}

fn agency_urn(ws: &Workspace, a: AgencyId) -> String {
    urn("agency", &[ws.agency_ids.name(a)])
}

/// The information concepts of a set of facts, ordered by id.
fn concept_urns(ws: &Workspace, set: &FactSet) -> Vec<String> {
    let mut ids: Vec<FactId> = set.ones().map(FactId::new).collect();
    ids.sort_by_key(|&f| ws.fact_ids.name(f));
    ids.into_iter().map(|f| fact_urn(ws, f)).collect()
}

/// What walking the procedures yields: their nodes, and the life events, sectors and outputs
/// they name, which become nodes of their own.
#[derive(Default)]
struct Services<'a> {
    services: Vec<Value>,
    requirements: Vec<Value>,
    lists: Vec<Value>,
    life_events: BTreeSet<&'a str>,
    sectors: BTreeSet<&'a str>,
    outputs: BTreeSet<&'a str>,
}

/// Every procedure as a public service, in catalog order, with its requirements.
fn services(ws: &Workspace) -> Services<'_> {
    let mut s = Services::default();
    // Every agency's successor at once: a chain of mergers is walked once, not per procedure.
    let successors = ws.successors(ws.policy.as_of);
    for p in &ws.procedures {
        public_service(ws, p, &successors, &mut s);
    }
    s
}

/// One procedure: the service node, and a requirement per component.
fn public_service<'a>(ws: &'a Workspace, p: &'a Procedure, successors: &IdVec<AgencyId, AgencyId>, s: &mut Services<'a>) {
    let mut inputs = BTreeSet::new();
    let held: Vec<String> = p.components.iter().enumerate().map(|(n, c)| requirement(ws, p, n + 1, c, s, &mut inputs)).collect();
    let mut produces = Vec::new();
    for &d in &p.produces {
        s.outputs.insert(ws.doc_ids.name(d));
        produces.push(urn("output", &[ws.doc_ids.name(d)]));
    }
    produces.sort();
    produces.dedup();
    let mut events: Vec<String> = p.life_events.iter().map(|e| urn("life-event", &[e])).collect();
    events.sort();
    events.dedup();
    s.life_events.extend(p.life_events.iter().map(String::as_str));
    let sector = p.sector.map(|x| ws.sectors.name(x));
    s.sectors.extend(sector);
    let mut records_to: Vec<DbId> = p.records_to.clone();
    records_to.sort_by_key(|&d| ws.db_ids.name(d));
    records_to.dedup();
    let authority = successors[p.agency];
    s.services.push(node(
        urn("procedure", &[&p.id]),
        "cpsv:PublicService",
        vec![
            ("dct:identifier", json!(p.id)),
            ("dct:title", names(&p.id, p.name.as_deref(), p.name_en.as_deref())),
            ("cv:hasCompetentAuthority", refs([agency_urn(ws, authority)])),
            ("cv:holdsRequirement", refs(held)),
            ("cv:hasInputType", refs(inputs.into_iter().map(|d| urn("evidence-type", &[d])))),
            ("cpsv:produces", refs(produces)),
            ("cv:isGroupedBy", refs(events)),
            ("cv:sector", refs(sector.map(|x| urn("sector", &[x])))),
            ("paperwork:level", json!(p.level().as_str())),
            ("paperwork:annualVolume", json!(p.annual_volume)),
            ("paperwork:recordsTo", refs(records_to.into_iter().map(|d| db_urn(ws, d)))),
        ],
    ));
}

/// Component `number` of a procedure as a requirement with one evidence-type list per document
/// that meets it; the documents join the service's `inputs`. Returns the requirement's URN.
fn requirement<'a>(
    ws: &'a Workspace,
    p: &Procedure,
    number: usize,
    c: &Component,
    s: &mut Services<'_>,
    inputs: &mut BTreeSet<&'a str>,
) -> String {
    let number = number.to_string();
    let req = urn("requirement", &[&p.id, &number]);
    let mut list_ids = Vec::new();
    for (k, &d) in c.documents.iter().enumerate() {
        let list = urn("evidence-type-list", &[&p.id, &number, &(k + 1).to_string()]);
        s.lists.push(node(
            list.clone(),
            "cccev:EvidenceTypeList",
            vec![
                ("dct:identifier", json!(format!("{}/{number}/{}", p.id, k + 1))),
                ("cccev:specifiesEvidenceType", refs([doc_urn(ws, d)])),
            ],
        ));
        list_ids.push(list);
        inputs.insert(ws.doc_ids.name(d));
    }
    // A title only in a language every alternative document is named in.
    let title = |en: bool| -> Option<String> {
        let labels: Option<Vec<&str>> = c
            .documents
            .iter()
            .map(|&d| {
                let doc = &ws.documents[d];
                if en { doc.name_en.as_deref() } else { doc.name.as_deref() }
            })
            .collect();
        labels.map(|l| l.join(" / "))
    };
    let fallback: Vec<&str> = c.documents.iter().map(|&d| ws.doc_ids.name(d)).collect();
    s.requirements.push(node(
        req.clone(),
        "cccev:Requirement",
        vec![
            ("dct:identifier", json!(format!("{}/{number}", p.id))),
            ("dct:title", names(&fallback.join(" / "), title(false).as_deref(), title(true).as_deref())),
            ("cccev:isRequirementOf", refs([urn("procedure", &[&p.id])])),
            ("cccev:hasConcept", refs(concept_urns(ws, &ws.needed_facts(c)))),
            ("cccev:hasEvidenceTypeList", refs(list_ids)),
            ("paperwork:of", json!(c.of)),
            ("paperwork:copy", json!(c.copy.map(crate::interop::sheet::copy_word))),
            ("paperwork:condition", json!(c.when)),
        ],
    ));
    req
}

/// Operational registers that hold every fact a document proves, so a once-only lookup can take
/// it from them; none for a form or a document that proves nothing.
fn supplied_by(ws: &Workspace, d: DocId) -> Vec<DbId> {
    let doc = &ws.documents[d];
    if doc.kind != DocumentKind::Evidence || doc.proves.is_clear() {
        return Vec::new();
    }
    let mut dbs: Vec<DbId> = ws
        .databases
        .iter_enumerated()
        .filter(|(_, db)| db.status == DatabaseStatus::Operational && doc.proves.is_subset(&db.provides))
        .map(|(b, _)| b)
        .collect();
    dbs.sort_by_key(|&b| ws.db_ids.name(b));
    dbs
}

/// Every document as an evidence type, ordered by id; `supplied` holds each one's registers.
fn evidence_types(ws: &Workspace, doc_order: &[DocId], supplied: &[Vec<DbId>]) -> Vec<Value> {
    doc_order
        .iter()
        .zip(supplied)
        .map(|(&d, dbs)| {
            let doc = &ws.documents[d];
            node(
                doc_urn(ws, d),
                "cccev:EvidenceType",
                vec![
                    ("dct:identifier", json!(doc.id)),
                    ("dct:title", names(&doc.id, doc.name.as_deref(), doc.name_en.as_deref())),
                    ("cccev:supportsConcept", refs(concept_urns(ws, &doc.proves))),
                    ("dct:isPartOf", refs(dbs.iter().map(|&b| db_urn(ws, b)))),
                    ("paperwork:kind", json!(doc.kind.as_str())),
                    ("paperwork:lockedBy", json!(doc.lock.as_ref().map(|l| l.basis.as_str()))),
                ],
            )
        })
        .collect()
}

/// Every fact as an information concept, ordered by id.
fn information_concepts(ws: &Workspace) -> Vec<Value> {
    sorted(&ws.fact_ids)
        .into_iter()
        .map(|f| {
            let fact = &ws.facts[f];
            node(
                fact_urn(ws, f),
                "cccev:InformationConcept",
                vec![
                    ("dct:identifier", json!(fact.id)),
                    ("skos:prefLabel", names(&fact.id, fact.name.as_deref(), fact.name_en.as_deref())),
                ],
            )
        })
        .collect()
}

/// Every database as a dataset, ordered by id; `supplies` holds the documents each can supply.
fn datasets(ws: &Workspace, supplies: &IdVec<DbId, Vec<DocId>>) -> Vec<Value> {
    sorted(&ws.db_ids)
        .into_iter()
        .map(|b| {
            let db = &ws.databases[b];
            let status = match db.status {
                DatabaseStatus::Planned => "planned",
                DatabaseStatus::Building => "building",
                DatabaseStatus::Operational => "operational",
            };
            node(
                db_urn(ws, b),
                "dcat:Dataset",
                vec![
                    ("dct:identifier", json!(db.id)),
                    ("dct:title", names(&db.id, db.name.as_deref(), db.name_en.as_deref())),
                    ("dct:publisher", refs(db.custodian.map(|a| agency_urn(ws, a)))),
                    ("dct:hasPart", refs(supplies[b].iter().map(|&d| doc_urn(ws, d)))),
                    ("paperwork:status", json!(status)),
                    ("paperwork:provides", refs(concept_urns(ws, &db.provides))),
                ],
            )
        })
        .collect()
}

/// Every agency as a public organisation, ordered by id, with the one it merged into.
fn public_organisations(ws: &Workspace) -> Vec<Value> {
    sorted(&ws.agency_ids)
        .into_iter()
        .map(|a| {
            let agency = &ws.agencies[a];
            node(
                agency_urn(ws, a),
                "cv:PublicOrganisation",
                vec![
                    ("dct:identifier", json!(agency.id)),
                    ("skos:prefLabel", names(&agency.id, agency.name.as_deref(), agency.name_en.as_deref())),
                    ("dct:isReplacedBy", refs(agency.merged_into.map(|m| agency_urn(ws, m)))),
                    ("paperwork:mergedOn", json!(agency.merged_on.map(|d| d.to_string()))),
                ],
            )
        })
        .collect()
}

/// The documents procedures produce, as outputs typed by their evidence type.
fn outputs(ws: &Workspace, outputs: BTreeSet<&str>) -> Vec<Value> {
    outputs
        .into_iter()
        .map(|d| {
            let i = ws.doc_ids.get(d).expect("produced documents are known");
            let doc = &ws.documents[i];
            node(
                urn("output", &[d]),
                "cv:Output",
                vec![
                    ("dct:identifier", json!(d)),
                    ("dct:title", names(d, doc.name.as_deref(), doc.name_en.as_deref())),
                    ("dct:type", refs([doc_urn(ws, i)])),
                ],
            )
        })
        .collect()
}

/// The whole catalog as a JSON-LD document.
pub fn cpsv_ap(ws: &Workspace) -> Value {
    let s = services(ws);
    let doc_order = sorted(&ws.doc_ids);
    let supplied: Vec<Vec<DbId>> = doc_order.iter().map(|&d| supplied_by(ws, d)).collect();
    let mut supplies: IdVec<DbId, Vec<DocId>> = IdVec::from_elem(Vec::new(), ws.databases.len());
    for (&d, dbs) in doc_order.iter().zip(&supplied) {
        for &b in dbs {
            supplies[b].push(d);
        }
    }
    let events = s
        .life_events
        .into_iter()
        .map(|e| node(urn("life-event", &[e]), "cv:LifeEvent", vec![("dct:identifier", json!(e)), ("dct:title", json!(e))]));
    let sectors = s
        .sectors
        .into_iter()
        .map(|x| node(urn("sector", &[x]), "skos:Concept", vec![("dct:identifier", json!(x)), ("skos:prefLabel", json!(x))]));

    let mut graph: Vec<Value> = s.services;
    graph.extend(s.requirements);
    graph.extend(s.lists);
    graph.extend(evidence_types(ws, &doc_order, &supplied));
    graph.extend(information_concepts(ws));
    graph.extend(datasets(ws, &supplies));
    graph.extend(public_organisations(ws));
    graph.extend(events);
    graph.extend(sectors);
    graph.extend(outputs(ws, s.outputs));
    let prefixes: Map<String, Value> = PREFIXES.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    json!({ "@context": [CONTEXT, prefixes], "@graph": graph })
}

/// The JSON-LD document as text.
pub fn render(ws: &Workspace) -> String {
    serde_json::to_string_pretty(&cpsv_ap(ws)).expect("JSON values serialize") + "\n"
}

#[cfg(test)]
mod tests {
    use super::urn;

    #[test]
    fn urns_encode_what_would_break_them() {
        assert_eq!(urn("procedure", &["1.001193"]), "urn:paperwork:procedure:1.001193");
        assert_eq!(urn("requirement", &["a:b c", "2"]), "urn:paperwork:requirement:a%3Ab%20c:2");
        assert_eq!(urn("life-event", &["sinh"]), "urn:paperwork:life-event:sinh");
        assert_eq!(urn("x", &["đ"]), "urn:paperwork:x:%C4%91");
    }
}
