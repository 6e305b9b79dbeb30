//! `paperwork import --from portal` on real records with the repository's own rules: the
//! workspace it writes passes `check`; every dossier row counted by hand as a document is a
//! component, and most are recognized; the folder is written whole or not at all.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/portal")
}

fn paperwork() -> Command {
    Command::cargo_bin("paperwork").expect("the binary")
}

/// Imports `inputs` with the repository's rules into `out`; returns (exit code, stderr).
fn import(inputs: &[&Path], out: &Path, extra: &[&str]) -> (i32, String) {
    let mut cmd = paperwork();
    cmd.arg("-C").arg(root()).args(["import", "--from", "portal"]).args(inputs).arg("--out").arg(out).args(extra);
    let o = cmd.output().expect("runs");
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// `import-report.csv` as (record, how) pairs per row.
fn report_rows(out: &Path) -> Vec<(String, String)> {
    let mut csv = csv::Reader::from_path(out.join("import-report.csv")).expect("import-report.csv");
    csv.records().map(|r| r.expect("a row")).map(|r| (r[0].to_string(), r[7].to_string())).collect()
}

#[test]
fn the_written_workspace_passes_check_and_accounts_for_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ws");
    let (code, err) = import(&[&fixtures().join("records")], &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("read 34 records: wrote 34 procedures"), "{err}");
    for f in ["rules/imported.yaml", "procedures/portal/bo-cong-an.yaml", "procedures/portal/bo-tu-phap.yaml", "import-report.csv"] {
        assert!(out.join(f).is_file(), "{f} is missing");
    }
    let check = paperwork().arg("-C").arg(&out).arg("check").output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    // Every row counted by hand is in the report; the document rows are components.
    let mut expected: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut csv = csv::Reader::from_path(fixtures().join("expected.csv")).unwrap();
    for r in csv.records().map(Result::unwrap) {
        let e = expected.entry(r[0].to_string()).or_default();
        e.0 += 1;
        e.1 += usize::from(&r[7] == "false");
    }
    let mut got: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (record, how) in report_rows(&out) {
        let e = got.entry(record).or_default();
        e.0 += 1;
        e.1 += usize::from(how != "note");
    }
    assert_eq!(got, expected);
}

#[test]
fn most_document_rows_are_known_documents_or_forms() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ws");
    let (code, err) = import(&[&fixtures().join("records")], &out, &[]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<String> = report_rows(&out).into_iter().map(|(_, how)| how).filter(|h| h != "note").collect();
    let known = rows.iter().filter(|h| *h != "unknown").count();
    let share = known as f64 / rows.len() as f64;
    assert!(share >= 0.85, "{known} of {} document rows recognized ({:.1}%)", rows.len(), 100.0 * share);
}

#[test]
fn an_existing_folder_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ws");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("mine.txt"), "keep me").unwrap();
    let (code, err) = import(&[&fixtures().join("records/bo-tu-phap")], &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already exists; add --force"), "{err}");
    assert_eq!(std::fs::read_to_string(out.join("mine.txt")).unwrap(), "keep me");
    let (code, err) = import(&[&fixtures().join("records/bo-tu-phap")], &out, &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.join("mine.txt").exists() && out.join("procedures/portal/bo-tu-phap.yaml").is_file());
    let litter: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(litter.len(), 1, "nothing but the workspace is left beside it: {litter:?}");
}

#[test]
fn a_bad_volumes_file_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ws");
    let volumes = dir.path().join("volumes.csv");
    std::fs::write(&volumes, "code,annual_volume,basis\n1.000080,12000,estimate\n1.000094,many,guess\n").unwrap();
    let (code, err) = import(&[&fixtures().join("records")], &out, &["--volumes", volumes.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`many` is not a number of dossiers a year") && err.contains("volumes.csv:3:2"), "{err}");
    assert!(!out.exists(), "nothing is written");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary folder is left");
}

#[test]
fn volumes_fill_the_procedures_they_name_with_their_basis() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ws");
    let volumes = dir.path().join("volumes.csv");
    std::fs::write(&volumes, "Mã thủ tục;Số hồ sơ;Nguồn\n1.000593;12.000;sổ đăng ký 2025\n").unwrap();
    let (code, err) = import(&[&fixtures().join("records/bo-tu-phap")], &out, &["--volumes", volumes.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("volumes known for 1 of 15 procedures"), "{err}");
    let yaml = std::fs::read_to_string(out.join("procedures/portal/bo-tu-phap.yaml")).unwrap();
    assert!(yaml.contains("  # annual_volume: sổ đăng ký 2025\n  - id: \"1.000593\""), "{yaml}");
    assert!(yaml.contains("annual_volume: 12000"), "{yaml}");
}

#[test]
fn bad_records_are_warnings_that_name_their_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ws");
    let (code, err) = import(&[&fixtures().join("odd")], &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: ") && err.contains("3.000364.json"), "{err}");
    assert!(err.contains("records.jsonl"), "{err}");
    // A dossier table with its header and no row is imported, and said to be empty.
    let header_only = dir.path().join("header_only.json");
    std::fs::write(&header_only, r#"{"ma_thu_tuc": "9.000004", "thanh_phan_ho_so": "--Tên giấy tờMẫu đơn, tờ khaiSố lượng"}"#).unwrap();
    let (code, err) = import(&[&header_only], &dir.path().join("empty"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("header_only.json") && err.contains("procedure 9.000004: its dossier lists no document"), "{err}");
    let (code, err) = import(&[&fixtures().join("odd/3.000364.json")], &dir.path().join("none"), &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no record could be imported"), "{err}");
    assert!(!dir.path().join("none").exists());
}

#[test]
fn the_output_may_not_be_inside_the_workspace_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = import(&[&fixtures().join("records")], &root().join("rules/new"), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("inside the rules folder"), "{err}");
    let (code, err) = import(&[&fixtures().join("records")], &fixtures().join("records/out"), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("inside the records"), "{err}");
    drop(dir);
}
