//! The loader's safety contract, as one function the fuzzer, the corpus replay and the
//! property tests share.
//!
//! For any bytes, loading a workspace that holds them must not panic or hang, and:
//! - every error diagnostic names a place (a file of the workspace);
//! - a workspace with an error has at least one error located at a line and column;
//! - a file that cannot be read as the YAML of its kind (not UTF-8, no document, malformed,
//!   wrong types, unknown keys, over a limit) has an error located at a line of that file;
//! - a workspace without errors analyses, plans and renders without panicking.

use paperwork::diag::Diagnostic;
use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::load::{LoadOptions, Loaded, load, yaml_options};
use paperwork::model::{ProcedureFile, RulesFile};
use paperwork::report::{analysis_report, roadmap_report};

/// A small valid rules file: every kind of entry, and tasks so the roadmap has work.
pub const RULES_OK: &str = r#"facts:
  - { id: p.name }
  - { id: p.dob }
  - { id: p.marital }
  - { id: land.owner }
documents:
  - { id: id_card, proves: [p.name, p.dob], burden: { hours: 1, cost: 5000 } }
  - { id: passport, proves: [p.name, p.dob] }
  - { id: marital_cert, proves: [p.marital] }
  - { id: land_cert, proves: [land.owner], lock: { basis: "Land Law 2024, art. 133" } }
  - { id: form_a, kind: form }
databases:
  - id: pop
    custodian: mps
    status: operational
    provides: [p.name, p.dob]
    serves: [all]
    quality: { correct: 0.99, sufficient: 0.99, clean: 0.99, live: 0.99 }
  - id: civil
    custodian: moj
    status: building
    provides: [p.marital]
    serves: ["level:commune", "sector:civil"]
    quality: { correct: 0.95, sufficient: 0.95, clean: 0.95, live: 0.5 }
agencies:
  - { id: mps }
  - { id: moj }
  - { id: monre, merged_into: moj, merged_on: 2025-03-01 }
tasks:
  - id: civil-op
    owner: moj
    status: not_started
    due: 2025-06-30
    effort: 2
    effects: [{ database: civil, status: operational }, { database: civil, quality: { live: 0.95 } }]
  - id: land-db
    status: in_progress
    depends_on: [civil-op]
    effects: [{ unlock: land_cert }]
policy:
  as_of: 2025-02-13
  min_quality: { live: 0.9 }
  capacity_per_phase: 2
"#;

/// A small valid procedures file for [`RULES_OK`].
pub const PROCEDURES_OK: &str = r#"procedures:
  - id: "1.001"
    agency: moj
    level: commune
    sector: civil
    annual_volume: 10
    documents:
      - document: form_a
      - one_of: [id_card, passport]
      - { document: marital_cert, of: spouse }
      - { document: land_cert, copy: certified_copy }
  - id: "1.002"
    agency: monre
    level: province
    annual_volume: 5
    documents:
      - { document: id_card, proves: [p.name] }
    produces: [land_cert]
"#;

/// Where a file of a test workspace goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Under `procedures/`.
    Procedures,
    /// Under `rules/`.
    Rules,
}

/// Checks the contract on the three workspaces the fuzzer's bytes make: the bytes as a
/// procedures file beside valid rules, as a rules file beside valid procedures, and, when they
/// hold a NUL byte, split there into a procedures file and a rules file.
pub fn check(data: &[u8]) {
    check_files(&[("procedures/p.yaml", data), ("rules/r.yaml", RULES_OK.as_bytes())]);
    check_files(&[("procedures/p.yaml", PROCEDURES_OK.as_bytes()), ("rules/r.yaml", data)]);
    if let Some(i) = data.iter().position(|&b| b == 0) {
        check_files(&[("procedures/p.yaml", &data[..i]), ("rules/r.yaml", &data[i + 1..])]);
    }
}

/// Writes the files (paths relative to a fresh workspace, under `procedures/` or `rules/`),
/// loads them and checks the contract; returns what loading produced.
pub fn check_files(files: &[(&str, &[u8])]) -> Loaded {
    let dir = tempfile::tempdir().expect("temporary folder");
    for sub in ["procedures", "rules"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("create folder");
    }
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("file in a folder")).expect("create folder");
        std::fs::write(path, bytes).expect("write file");
    }
    let loaded = load(&LoadOptions::new(dir.path()));
    assert_contract(files, &loaded);
    if !loaded.has_errors() {
        // Anything the loader accepts must go all the way through.
        let ws = &loaded.workspace;
        let a = analyze(ws, &AnalyzeOptions::default());
        let report = analysis_report(ws, &a, paperwork::findings::of(ws, &a));
        let _ = paperwork::report::text::json(&report);
        let _ = paperwork::report::text::json(&roadmap_report(ws, &a));
    }
    loaded
}

/// The located-error contract for a workspace made of `files` that loaded as `loaded`.
pub fn assert_contract(files: &[(&str, &[u8])], loaded: &Loaded) {
    let errors: Vec<&Diagnostic> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    for e in &errors {
        let located = e.location.as_ref().is_some_and(|l| !l.file.is_empty());
        assert!(located, "error without a place: {e:?}");
    }
    if !errors.is_empty() {
        assert!(
            errors.iter().any(|e| e.location.as_ref().is_some_and(|l| l.line > 0 && l.column > 0)),
            "no error is located at a line and column: {errors:#?}"
        );
    }
    for (rel, bytes) in files {
        let kind = if rel.starts_with("rules/") { Kind::Rules } else { Kind::Procedures };
        if let Err(why) = parses(bytes, kind) {
            let here = errors.iter().any(|e| e.location.as_ref().is_some_and(|l| l.file == *rel && l.line > 0));
            assert!(here, "`{rel}` does not parse ({why}), but no error is located in it: {errors:#?}");
        }
    }
}

/// Whether bytes read as a file of `kind`, the way the loader reads it; the reason if not.
pub fn parses(bytes: &[u8], kind: Kind) -> Result<(), String> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let blank = text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    });
    if blank {
        return Err("no YAML document".into());
    }
    match kind {
        Kind::Procedures => serde_saphyr::from_str_with_options::<ProcedureFile>(text, yaml_options()).map(drop),
        Kind::Rules => serde_saphyr::from_str_with_options::<RulesFile>(text, yaml_options()).map(drop),
    }
    .map_err(|e| e.to_string())
}
