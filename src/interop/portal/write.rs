//! An import's files: one procedures file per input folder or file, `rules/imported.yaml`
//! with what the rules lacked, and `import-report.csv` with every dossier row.

use super::build::{Created, Imported, ReportRow};
use crate::interop::sheet::{ImportedProcedure, procedure_yaml_item};
use crate::model::DocumentKind;
use serde::Serialize;
use serde_saphyr::FlowMap;

/// Where the records came from, for the files' header comments.
pub const PROVENANCE: &str = "records of the National Public Service Portal, dichvucong.gov.vn";

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
pub fn procedures_yaml(source: &str, procedures: &[ImportedProcedure], bases: &std::collections::BTreeMap<String, String>) -> String {
    let mut out = format!(
        "# Imported by `paperwork import --from portal` from {}: {PROVENANCE}.\n# Dossier rows are recognized against rules/; see import-report.csv for each row.\nprocedures:\n",
        comment(source)
    );
    for p in procedures {
        if let Some(basis) = bases.get(&p.id) {
            out.push_str(&format!("  # annual_volume: {}\n", comment(basis)));
        }
        out.push_str(&indent(&procedure_yaml_item(p), 2));
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
