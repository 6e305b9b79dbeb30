//! An import's files: one procedures file per input folder or file, `rules/imported.yaml`
//! with what the rules lacked, and `import-report.csv` with every dossier row.

use super::build::{Component, Created, Imported, Procedure, ReportRow};
use crate::model::{CopyKind, DocumentKind, Level};
use serde::Serialize;
use serde_saphyr::{FlowMap, FlowSeq};

/// Where the records came from, for the files' header comments.
pub const PROVENANCE: &str = "records of the National Public Service Portal, dichvucong.gov.vn";

#[derive(Serialize)]
struct YamlComponent<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    one_of: Option<FlowSeq<&'a [String]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    copy: Option<CopyKind>,
}

#[derive(Serialize)]
struct YamlCase<'a> {
    name: &'a str,
    documents: Vec<FlowMap<YamlComponent<'a>>>,
}

#[derive(Serialize)]
struct YamlProcedure<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_en: Option<&'a str>,
    agency: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ministry: Option<&'a str>,
    level: YamlLevels<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sector: Option<&'a str>,
    #[serde(skip_serializing_if = "empty")]
    life_events: FlowSeq<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annual_volume: Option<u64>,
    documents: Vec<FlowMap<YamlComponent<'a>>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cases: Vec<YamlCase<'a>>,
    #[serde(skip_serializing_if = "empty")]
    produces: FlowSeq<&'a [String]>,
    #[serde(skip_serializing_if = "empty")]
    records_to: FlowSeq<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applicants: Option<&'a str>,
    #[serde(skip_serializing_if = "empty")]
    legal_basis: FlowSeq<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_url: Option<&'a str>,
}

/// One level as a word, several as a flow list.
#[derive(Serialize)]
#[serde(untagged)]
enum YamlLevels<'a> {
    One(Level),
    Many(FlowSeq<&'a [Level]>),
}

fn empty(list: &FlowSeq<&[String]>) -> bool {
    list.0.is_empty()
}

fn components(list: &[Component]) -> Vec<FlowMap<YamlComponent<'_>>> {
    list.iter()
        .map(|c| {
            let one_of = c.documents.len() > 1;
            FlowMap(YamlComponent {
                document: (!one_of).then(|| c.documents[0].as_str()),
                one_of: one_of.then_some(FlowSeq(c.documents.as_slice())),
                copy: c.copy,
            })
        })
        .collect()
}

fn yaml_procedure(p: &Procedure) -> YamlProcedure<'_> {
    YamlProcedure {
        id: &p.id,
        name: &p.name,
        name_en: p.name_en.as_deref(),
        agency: &p.agency,
        ministry: p.ministry.as_deref(),
        level: match p.levels.as_slice() {
            [one] => YamlLevels::One(*one),
            many => YamlLevels::Many(FlowSeq(many)),
        },
        sector: p.sector.as_deref(),
        life_events: FlowSeq(&p.life_events),
        annual_volume: p.annual_volume.as_ref().map(|v| v.0),
        documents: components(&p.documents),
        cases: p.cases.iter().map(|(name, list)| YamlCase { name, documents: components(list) }).collect(),
        produces: FlowSeq(&p.produces),
        records_to: FlowSeq(&p.records_to),
        applicants: p.applicants.as_deref(),
        legal_basis: FlowSeq(&p.legal_basis),
        decision: p.decision.as_deref(),
        source_url: p.source_url.as_deref(),
    }
}

/// `text` with every line indented by `n` spaces.
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("{pad}{l}\n") }).collect()
}

/// A comment line's text: one line, no control characters.
fn comment(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// One procedures file. A volume's basis is written as a comment above its procedure.
pub fn procedures_yaml(source: &str, procedures: &[Procedure]) -> String {
    let mut out = format!(
        "# Imported by `paperwork import --from portal` from {}: {PROVENANCE}.\n# Dossier rows are recognized against rules/; see import-report.csv for each row.\nprocedures:\n",
        comment(source)
    );
    for p in procedures {
        if let Some((_, Some(basis))) = &p.annual_volume {
            out.push_str(&format!("  # annual_volume: {}\n", comment(basis)));
        }
        let one = serde_saphyr::to_string(&[yaml_procedure(p)]).expect("plain strings and numbers serialize");
        out.push_str(&indent(&one, 2));
    }
    out
}

#[derive(Serialize)]
struct YamlCreated<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<DocumentKind>,
}

#[derive(Serialize)]
struct YamlRules<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    documents: Vec<FlowMap<YamlCreated<'a>>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    agencies: Vec<FlowMap<YamlCreated<'a>>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sectors: Vec<FlowMap<YamlCreated<'a>>>,
}

/// `rules/imported.yaml`: the documents, agencies and sectors the rules lacked, sorted by id.
pub fn imported_rules_yaml(i: &Imported) -> String {
    fn rows(list: &[Created]) -> Vec<FlowMap<YamlCreated<'_>>> {
        let mut v: Vec<&Created> = list.iter().collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v.into_iter().map(|c| FlowMap(YamlCreated { id: &c.id, name: &c.name, kind: c.kind })).collect()
    }
    let rules = YamlRules { documents: rows(&i.documents), agencies: rows(&i.agencies), sectors: rows(&i.sectors) };
    let body = if rules.documents.is_empty() && rules.agencies.is_empty() && rules.sectors.is_empty() {
        "documents: []\n".to_string()
    } else {
        serde_saphyr::to_string(&rules).expect("plain strings serialize")
    };
    format!(
        "# Written by `paperwork import --from portal`: what the rules lacked for the imported records.\n\
         # Documents of kind `unknown` are wordings no document type matched: map each one by adding\n\
         # it to the `names` of the document it is (in another rules file), then import again.\n\
         # A new import replaces this file.\n{body}"
    )
}

/// `import-report.csv`: one line per dossier row.
pub fn report_csv(rows: &[ReportRow]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, cells: &[&str]| crate::report::text::csv_row(w, cells).expect("writing to memory");
    write(&mut w, &["record", "row", "raw", "name", "copy", "case", "document", "how", "score"]);
    for r in rows {
        let (row, score) = (r.row.to_string(), format!("{:.3}", r.score));
        write(&mut w, &[&r.record, &row, &r.raw, &r.name, r.copy, &r.case, &r.document, r.how, &score]);
    }
    w.into_inner().expect("writing to memory")
}
