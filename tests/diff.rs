//! `paperwork diff` on a pair of fixture workspaces with known changes
//! (tests/fixtures/diff/{old,new}): 3.001 removed, 4.001 added, 1.001 asks for one more
//! document (criminal_record), 2.001 for one fewer (criminal_record).

use assert_cmd::Command;
use paperwork::diff::{DiffError, diff, read_sides};
use paperwork::engine::classify::Status;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn paperwork() -> Command {
    let mut c = Command::cargo_bin("paperwork").unwrap();
    c.current_dir(fixtures()).env("NO_COLOR", "1");
    c
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = paperwork().args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn known_changes_between_two_workspaces() {
    let sides = read_sides(&fixtures().join("diff/old"), &fixtures().join("diff/new"), None).unwrap();
    let d = diff(&sides.old, &sides.new);
    assert_eq!(d.added.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["4.001"]);
    assert_eq!(d.added[0].documents, ["form_a", "id_card", "health_cert"]);
    assert_eq!(d.removed.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["3.001"]);
    assert_eq!(d.changed.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["1.001", "2.001"]);

    let birth = &d.changed[0];
    assert_eq!((birth.documents_before.old, birth.documents_before.new, birth.documents_before.delta), (6, 7, 1));
    assert_eq!(birth.documents_added.len(), 1);
    assert_eq!(birth.documents_added[0].document, "criminal_record");
    assert_eq!(birth.documents_added[0].status, Status::LookupNow);
    assert!(birth.documents_removed.is_empty());
    assert!(birth.asks_more);

    let land = &d.changed[1];
    assert_eq!((land.documents_before.old, land.documents_before.new, land.documents_before.delta), (4, 3, -1));
    assert_eq!((land.documents_after_now.old, land.documents_after_now.new), (2, 1));
    assert_eq!((land.documents_after_roadmap.old, land.documents_after_roadmap.new), (1, 0));
    assert_eq!(land.documents_removed.len(), 1);
    assert_eq!(land.documents_removed[0].document, "criminal_record");
    assert_eq!(land.documents_removed[0].status, Status::Partial);
    assert!(land.documents_added.is_empty());
    assert!(!land.asks_more);

    assert_eq!(d.increased, ["1.001"]);
    let t = &d.totals;
    assert_eq!((t.procedures.old, t.procedures.new), (3, 3));
    assert_eq!((t.documents_before.old, t.documents_before.new), (13, 13));
    // 1.001: 7 × 1,000; 2.001: 3 × 500; 4.001: 3 × 800.
    assert_eq!((t.submissions_before.old, t.submissions_before.new, t.submissions_before.delta), (14_000, 10_900, -3_100));

    let sector = |k: &str| d.by_sector.iter().find(|g| g.key == k).unwrap_or_else(|| panic!("sector {k}"));
    assert_eq!((sector("immigration").figures.procedures.old, sector("immigration").figures.procedures.new), (1, 0));
    assert_eq!((sector("civil_status").figures.procedures.old, sector("civil_status").figures.procedures.new), (1, 2));
    assert_eq!(sector("land").figures.documents_before.delta, -1);
    let agency = |k: &str| d.by_agency.iter().find(|g| g.key == k).unwrap_or_else(|| panic!("agency {k}"));
    assert_eq!(agency("mps").figures.submissions_before.new, 0);
    assert_eq!(agency("moj").figures.documents_before.delta, 4);
}

#[test]
fn a_catalog_against_itself_has_no_differences() {
    let sides = read_sides(&fixtures().join("diff/old"), &fixtures().join("diff/old"), None).unwrap();
    let d = diff(&sides.old, &sides.new);
    assert!(d.is_empty(), "{d:#?}");
    let (code, stdout, _) = run(&["diff", "diff/old", "diff/old", "--fail-on-increase"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("No differences."), "{stdout}");
}

#[test]
fn fail_on_increase_gates_a_catalog_change() {
    let (code, stdout, stderr) = run(&["diff", "diff/old", "diff/new", "--fail-on-increase"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("1 procedure asks for more documents than before: 1.001"), "{stderr}");
    assert!(stdout.contains("ASKS MORE"), "{stdout}");
    let (code, _, _) = run(&["diff", "diff/old", "diff/new"]);
    assert_eq!(code, Some(0));
}

#[test]
fn table_names_every_change() {
    let (code, stdout, _) = run(&["-q", "diff", "diff/old", "diff/new"]);
    assert_eq!(code, Some(0));
    for needle in [
        "Added procedures",
        "4.001",
        "Removed procedures",
        "3.001",
        "+ criminal_record [lookup_now]",
        "− criminal_record [partial]",
        "14,000",
        "10,900",
        "By agency",
        "By sector",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in\n{stdout}");
    }
}

#[test]
fn json_side_gives_the_same_result_as_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, json, _) = run(&["-q", "-C", "diff/old", "analyze", "--format", "json"]);
    assert_eq!(code, Some(0));
    let file = tmp.path().join("old.json");
    std::fs::write(&file, &json).unwrap();
    let (_, from_folders, _) = run(&["-q", "diff", "diff/old", "diff/new", "--format", "json"]);
    let (code, from_json, stderr) = run(&["-q", "diff", file.to_str().unwrap(), "diff/new", "--format", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(from_json, from_folders);
    // `-` reads a side from standard input.
    let out = paperwork().args(["-q", "diff", "-", "diff/new", "--format", "json"]).write_stdin(json).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_folders);
    // Deterministic.
    let (_, again, _) = run(&["-q", "diff", "diff/old", "diff/new", "--format", "json"]);
    assert_eq!(again, from_folders);
    let v: serde_json::Value = serde_json::from_str(&from_folders).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["totals"]["submissions_before"]["delta"], -3100);
    assert_eq!(v["changed"][0]["documents_added"][0]["document"], "criminal_record");
}

#[test]
fn different_schema_versions_are_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, json, _) = run(&["-q", "-C", "diff/old", "analyze", "--format", "json"]);
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["schema_version"] = 2.into();
    let future = tmp.path().join("future.json");
    std::fs::write(&future, serde_json::to_string(&v).unwrap()).unwrap();
    let (code, _, stderr) = run(&["diff", future.to_str().unwrap(), "diff/new"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("different schema versions"), "{stderr}");
    assert!(stderr.contains("is version 2") && stderr.contains("is version 1"), "{stderr}");
    let err = read_sides(&future, &fixtures().join("diff/new"), None).unwrap_err();
    assert!(matches!(err, DiffError::SchemaMismatch { old: 2, new: 1, .. }), "{err:?}");
    // Both sides of a version this build cannot read.
    let (code, _, stderr) = run(&["diff", future.to_str().unwrap(), future.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("this paperwork reads version 1"), "{stderr}");
}

#[test]
fn a_side_that_is_not_an_analysis_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, roadmap, _) = run(&["-q", "-C", "diff/old", "roadmap", "--format", "json"]);
    let file = tmp.path().join("roadmap.json");
    std::fs::write(&file, roadmap).unwrap();
    let (code, _, stderr) = run(&["diff", file.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("roadmap --format json"), "{stderr}");
    let garbage = tmp.path().join("garbage.json");
    std::fs::write(&garbage, "{ not json").unwrap();
    let (code, _, stderr) = run(&["diff", garbage.to_str().unwrap(), "diff/new"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("invalid JSON"), "{stderr}");
    // A missing side is an I/O error.
    let (code, _, stderr) = run(&["diff", "diff/nowhere", "diff/new"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("diff/nowhere"), "{stderr}");
}

#[test]
fn a_workspace_side_with_errors_prints_them_and_exits_1() {
    let (code, stdout, stderr) = run(&["diff", "diagnostics/unknown_document", "diff/new"]);
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty());
    assert!(stderr.contains("E021") || stderr.contains("unknown document"), "{stderr}");
    assert!(stderr.contains("has errors; nothing was compared"), "{stderr}");
}

#[test]
fn csv_and_markdown() {
    let (code, csv, _) = run(&["-q", "diff", "diff/old", "diff/new", "--format", "csv"]);
    assert_eq!(code, Some(0));
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("change,procedure,name,agency,sector,document,of,old_status,new_status"));
    assert!(lines[1].starts_with("total,"));
    assert!(lines.iter().any(|l| l.starts_with("procedure_added,4.001,")));
    assert!(lines.iter().any(|l| l.starts_with("procedure_removed,3.001,")));
    assert!(lines.iter().any(|l| l.starts_with("document_added,1.001,Birth registration,moj,civil_status,criminal_record,,,lookup_now")));
    assert!(lines.iter().any(|l| l.starts_with("document_removed,2.001,Land use right transfer,monre,land,criminal_record,,partial,")));
    let width = lines[0].split(',').count();
    assert!(lines.iter().all(|l| l.split(',').count() == width), "{csv}");
    let (_, md, _) = run(&["-q", "diff", "diff/old", "diff/new", "--format", "md"]);
    assert!(md.starts_with("# Catalog comparison"));
    assert!(md.contains("## Changed procedures"));
    assert!(md.contains("| 1.001"));
}

#[test]
fn an_analysis_listing_a_procedure_twice_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, json, _) = run(&["-q", "-C", "diff/old", "analyze", "--format", "json"]);
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = v["procedures"][0].clone();
    v["procedures"].as_array_mut().unwrap().push(first);
    let twice = tmp.path().join("twice.json");
    std::fs::write(&twice, serde_json::to_string(&v).unwrap()).unwrap();
    let (code, stdout, stderr) = run(&["diff", twice.to_str().unwrap(), "diff/new"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stderr.contains("is listed twice"), "{stderr}");
}

/// JSON readers keep the last of two equal keys: a second `"procedures": []` would make every
/// procedure "removed" with exit 0. A key given twice, at the top or deeper, is refused.
#[test]
fn an_analysis_naming_a_key_twice_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, json, _) = run(&["-q", "-C", "diff/old", "analyze", "--format", "json"]);
    let body = json.trim_end().strip_suffix('}').unwrap();
    let top = tmp.path().join("top.json");
    std::fs::write(&top, format!("{body}, \"procedures\": [] }}")).unwrap();
    let (code, stdout, stderr) = run(&["diff", "diff/old", top.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("top.json` is not a paperwork analysis"), "{stderr}");
    assert!(stderr.contains("`procedures` appears twice in the top-level object at line"), "{stderr}");
    assert!(stderr.contains("an analysis names each key once"), "{stderr}");
    let err = read_sides(&fixtures().join("diff/old"), &top, None).unwrap_err();
    assert!(matches!(err, DiffError::NotAnalysis { .. }), "{err:?}");

    // Inside a procedure: the second `annual_volume` would win.
    let at = json.find("\"procedures\": [").unwrap();
    let at = at + json[at..].find("\"annual_volume\":").unwrap();
    let deep = tmp.path().join("deep.json");
    std::fs::write(&deep, format!("{}\"annual_volume\": 0, {}", &json[..at], &json[at..])).unwrap();
    let (code, _, stderr) = run(&["diff", deep.to_str().unwrap(), "diff/new"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("`annual_volume` appears twice in `procedures[0]`"), "{stderr}");
}

/// A procedure that moved to another agency (or level, sector, name) is a change, and the
/// by-agency totals it moves are shown: "No differences" would hide a reorganisation.
#[test]
fn a_procedure_moved_to_another_agency_is_a_change() {
    let tmp = tempfile::tempdir().unwrap();
    for side in ["old", "new"] {
        for half in ["procedures", "rules"] {
            let to = tmp.path().join(side).join(half);
            std::fs::create_dir_all(&to).unwrap();
            for e in std::fs::read_dir(fixtures().join("engine").join(half)).unwrap() {
                let e = e.unwrap();
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    let file = tmp.path().join("new/procedures/all.yaml");
    let text =
        std::fs::read_to_string(&file).unwrap().replacen("agency: moj", "agency: mps", 1).replacen("level: commune", "level: province", 1);
    std::fs::write(&file, text).unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let sides = read_sides(&old, &new, None).unwrap();
    let d = diff(&sides.old, &sides.new);
    assert_eq!(d.changed.len(), 1, "{d:#?}");
    let moved: Vec<(&str, Option<&str>, Option<&str>)> =
        d.changed[0].fields_changed.iter().map(|f| (f.field, f.old.as_deref(), f.new.as_deref())).collect();
    assert_eq!(moved, [("agency", Some("moj"), Some("mps")), ("level", Some("commune"), Some("province"))]);
    assert!(!d.by_agency.is_empty() && !d.is_empty());
    let (code, stdout, _) = run(&["-q", "--no-cache", "diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(!stdout.contains("No differences") && stdout.contains("~ agency: moj → mps"), "{stdout}");
}

/// A side that is a device or a pipe is refused unread, and standard input is read only up to
/// the cap.
#[test]
fn a_side_that_is_not_a_regular_file_is_refused_unread() {
    let (code, _, stderr) = run(&["diff", "/dev/zero", "diff/new"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("not a regular file"), "{stderr}");
}
