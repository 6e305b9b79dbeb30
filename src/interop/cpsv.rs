//! `paperwork export --format cpsv-ap`: the catalog as CPSV-AP 3.2 public services whose
//! requirements are CCCEV evidence-type lists, in JSON-LD.
//!
//! Each component is a `Requirement`; each way to meet it is an `EvidenceTypeList` (the types
//! of one list are all needed: AND; a `one_of` component has one list per alternative: OR).
//! Facts are `InformationConcept`s, databases `dcat:Dataset`s, and an evidence type is
//! `dct:isPartOf` every operational database that holds all the facts it proves: the registers
//! a once-only lookup can take it from. Properties CPSV-AP lacks (level, volume, copy, the
//! condition) use the `paperwork:` prefix. Every node has an `@id` URN; the output is sorted.

use crate::workspace::{DatabaseStatus, FactSet, Interner, Workspace};
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

/// Indexes of an interner, ordered by id.
fn sorted(ids: &Interner) -> Vec<u32> {
    let mut v: Vec<u32> = (0..ids.len() as u32).collect();
    v.sort_by_key(|&i| ids.name(i));
    v
}

/// The whole catalog as a JSON-LD document.
pub fn cpsv_ap(ws: &Workspace) -> Value {
    let doc_urn = |d: u32| urn("evidence-type", &[ws.doc_ids.name(d)]);
    let fact_urn = |f: usize| urn("information-concept", &[ws.fact_ids.name(f as u32)]);
    let db_urn = |d: u32| urn("dataset", &[ws.db_ids.name(d)]);
    let agency_urn = |a: u32| urn("agency", &[ws.agency_ids.name(a)]);
    let facts = |set: &FactSet| -> Vec<String> {
        let mut ids: Vec<usize> = set.ones().collect();
        ids.sort_by_key(|&f| ws.fact_ids.name(f as u32));
        ids.into_iter().map(fact_urn).collect()
    };

    let mut services = Vec::new();
    let mut requirements = Vec::new();
    let mut lists = Vec::new();
    let mut life_events = BTreeSet::new();
    let mut sectors = BTreeSet::new();
    let mut outputs = BTreeSet::new();
    for p in &ws.procedures {
        let mut inputs = BTreeSet::new();
        let mut held = Vec::new();
        for (n, c) in p.components.iter().enumerate() {
            let number = (n + 1).to_string();
            let req = urn("requirement", &[&p.id, &number]);
            let mut list_ids = Vec::new();
            for (k, &d) in c.documents.iter().enumerate() {
                let list = urn("evidence-type-list", &[&p.id, &number, &(k + 1).to_string()]);
                lists.push(node(
                    list.clone(),
                    "cccev:EvidenceTypeList",
                    vec![
                        ("dct:identifier", json!(format!("{}/{number}/{}", p.id, k + 1))),
                        ("cccev:specifiesEvidenceType", refs([doc_urn(d)])),
                    ],
                ));
                list_ids.push(list);
                inputs.insert(ws.doc_ids.name(d));
            }
            let title = |en: bool| -> Option<String> {
                let labels: Option<Vec<&str>> = c
                    .documents
                    .iter()
                    .map(|&d| {
                        let doc = &ws.documents[d as usize];
                        if en { doc.name_en.as_deref() } else { doc.name.as_deref() }
                    })
                    .collect();
                labels.map(|l| l.join(" / "))
            };
            let fallback: Vec<&str> = c.documents.iter().map(|&d| ws.doc_ids.name(d)).collect();
            requirements.push(node(
                req.clone(),
                "cccev:Requirement",
                vec![
                    ("dct:identifier", json!(format!("{}/{number}", p.id))),
                    ("dct:title", names(&fallback.join(" / "), title(false).as_deref(), title(true).as_deref())),
                    ("cccev:isRequirementOf", refs([urn("procedure", &[&p.id])])),
                    ("cccev:hasConcept", refs(facts(&ws.needed_facts(c)))),
                    ("cccev:hasEvidenceTypeList", refs(list_ids)),
                    ("paperwork:of", json!(c.of)),
                    ("paperwork:copy", json!(c.copy.map(crate::interop::sheet::copy_word))),
                    ("paperwork:condition", json!(c.when)),
                ],
            ));
            held.push(req);
        }
        let mut produces = Vec::new();
        for &d in &p.produces {
            outputs.insert(ws.doc_ids.name(d));
            produces.push(urn("output", &[ws.doc_ids.name(d)]));
        }
        produces.sort();
        produces.dedup();
        let mut events: Vec<String> = p.life_events.iter().map(|e| urn("life-event", &[e])).collect();
        events.sort();
        events.dedup();
        life_events.extend(p.life_events.iter().map(String::as_str));
        let sector = p.sector.map(|s| ws.sectors.name(s));
        sectors.extend(sector);
        let mut records_to: Vec<u32> = p.records_to.clone();
        records_to.sort_by_key(|&d| ws.db_ids.name(d));
        records_to.dedup();
        let authority = ws.successor(p.agency, ws.policy.as_of);
        services.push(node(
            urn("procedure", &[&p.id]),
            "cpsv:PublicService",
            vec![
                ("dct:identifier", json!(p.id)),
                ("dct:title", names(&p.id, p.name.as_deref(), p.name_en.as_deref())),
                ("cv:hasCompetentAuthority", refs([agency_urn(authority)])),
                ("cv:holdsRequirement", refs(held)),
                ("cv:hasInputType", refs(inputs.into_iter().map(|d| urn("evidence-type", &[d])))),
                ("cpsv:produces", refs(produces)),
                ("cv:isGroupedBy", refs(events)),
                ("cv:sector", refs(sector.map(|s| urn("sector", &[s])))),
                ("paperwork:level", json!(p.level.as_str())),
                ("paperwork:annualVolume", json!(p.annual_volume)),
                ("paperwork:recordsTo", refs(records_to.into_iter().map(db_urn))),
            ],
        ));
    }

    // Operational registers that hold every fact a document proves can supply it.
    let supplied_by = |d: u32| -> Vec<u32> {
        let doc = &ws.documents[d as usize];
        if doc.form || doc.proves.is_clear() {
            return Vec::new();
        }
        let mut dbs: Vec<u32> = (0..ws.databases.len() as u32)
            .filter(|&b| {
                let db = &ws.databases[b as usize];
                db.status == DatabaseStatus::Operational && doc.proves.is_subset(&db.provides)
            })
            .collect();
        dbs.sort_by_key(|&b| ws.db_ids.name(b));
        dbs
    };
    let doc_order = sorted(&ws.doc_ids);
    let evidence_types = doc_order.iter().map(|&d| {
        let doc = &ws.documents[d as usize];
        node(
            doc_urn(d),
            "cccev:EvidenceType",
            vec![
                ("dct:identifier", json!(doc.id)),
                ("dct:title", names(&doc.id, doc.name.as_deref(), doc.name_en.as_deref())),
                ("cccev:supportsConcept", refs(facts(&doc.proves))),
                ("dct:isPartOf", refs(supplied_by(d).into_iter().map(db_urn))),
                ("paperwork:kind", json!(if doc.form { "form" } else { "evidence" })),
                ("paperwork:lockedBy", json!(doc.lock.as_ref().map(|l| l.basis.as_str()))),
            ],
        )
    });
    let evidence_types: Vec<Value> = evidence_types.collect();
    let mut supplies: Vec<Vec<u32>> = vec![Vec::new(); ws.databases.len()];
    for &d in &doc_order {
        for b in supplied_by(d) {
            supplies[b as usize].push(d);
        }
    }

    let mut fact_order: Vec<usize> = (0..ws.facts.len()).collect();
    fact_order.sort_by_key(|&f| ws.fact_ids.name(f as u32));
    let concepts = fact_order.into_iter().map(|f| {
        let fact = &ws.facts[f];
        node(
            fact_urn(f),
            "cccev:InformationConcept",
            vec![("dct:identifier", json!(fact.id)), ("skos:prefLabel", names(&fact.id, fact.name.as_deref(), fact.name_en.as_deref()))],
        )
    });
    let datasets = sorted(&ws.db_ids).into_iter().map(|b| {
        let db = &ws.databases[b as usize];
        let status = match db.status {
            DatabaseStatus::Planned => "planned",
            DatabaseStatus::Building => "building",
            DatabaseStatus::Operational => "operational",
        };
        node(
            db_urn(b),
            "dcat:Dataset",
            vec![
                ("dct:identifier", json!(db.id)),
                ("dct:title", names(&db.id, db.name.as_deref(), db.name_en.as_deref())),
                ("dct:publisher", refs(db.custodian.map(agency_urn))),
                ("dct:hasPart", refs(supplies[b as usize].iter().map(|&d| doc_urn(d)))),
                ("paperwork:status", json!(status)),
                ("paperwork:provides", refs(facts(&db.provides))),
            ],
        )
    });
    let agencies = sorted(&ws.agency_ids).into_iter().map(|a| {
        let agency = &ws.agencies[a as usize];
        node(
            agency_urn(a),
            "cv:PublicOrganisation",
            vec![
                ("dct:identifier", json!(agency.id)),
                ("skos:prefLabel", names(&agency.id, agency.name.as_deref(), agency.name_en.as_deref())),
                ("dct:isReplacedBy", refs(agency.merged_into.map(agency_urn))),
                ("paperwork:mergedOn", json!(agency.merged_on.map(|d| d.to_string()))),
            ],
        )
    });
    let events = life_events
        .into_iter()
        .map(|e| node(urn("life-event", &[e]), "cv:LifeEvent", vec![("dct:identifier", json!(e)), ("dct:title", json!(e))]));
    let sector_nodes = sectors
        .into_iter()
        .map(|s| node(urn("sector", &[s]), "skos:Concept", vec![("dct:identifier", json!(s)), ("skos:prefLabel", json!(s))]));
    let output_nodes = outputs.into_iter().map(|d| {
        let i = ws.doc_ids.get(d).expect("produced documents are known");
        let doc = &ws.documents[i as usize];
        node(
            urn("output", &[d]),
            "cv:Output",
            vec![
                ("dct:identifier", json!(d)),
                ("dct:title", names(d, doc.name.as_deref(), doc.name_en.as_deref())),
                ("dct:type", refs([doc_urn(i)])),
            ],
        )
    });

    let mut graph: Vec<Value> = services;
    graph.extend(requirements);
    graph.extend(lists);
    graph.extend(evidence_types);
    graph.extend(concepts);
    graph.extend(datasets);
    graph.extend(agencies);
    graph.extend(events);
    graph.extend(sector_nodes);
    graph.extend(output_nodes);
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
