//! The command line through the real binary. Cases are data (tests/cli/cases.txt); their
//! output is the product, pinned as snapshots.

use assert_cmd::Command;
use std::path::Path;

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn paperwork() -> Command {
    let mut c = Command::cargo_bin("paperwork").unwrap();
    c.current_dir(fixtures()).env("NO_COLOR", "1");
    c
}

#[test]
fn cli_cases() {
    let cases = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/cases.txt")).unwrap();
    let mut n = 0;
    for line in cases.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (name, args, code) = (parts[0], parts[1], parts[2].parse::<i32>().unwrap());
        let out = paperwork().args(args.split_whitespace()).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "case {name}: exit code\nstdout:\n{stdout}\nstderr:\n{stderr}");
        assert!(!stderr.contains("panicked"), "case {name} panicked: {stderr}");
        let shown = if code == 0 { stdout } else { format!("{stdout}--- stderr ---\n{stderr}") };
        insta::assert_snapshot!(name, shown);
        n += 1;
    }
    assert!(n >= 20);
}

#[test]
fn json_output_has_the_spec_fields() {
    let out = paperwork().args(["-C", "engine", "analyze", "-q", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["as_of"], "2025-02-13");
    for k in [
        "procedures",
        "components",
        "lookup_now",
        "duplicate",
        "lookup_after",
        "partial",
        "kept",
        "documents_before",
        "documents_after_now",
        "documents_after_roadmap",
        "submissions_before",
        "submissions_after_now",
        "submissions_after_roadmap",
        "hours_saved_now",
        "money_saved_now",
        "hours_saved_after_roadmap",
        "money_saved_after_roadmap",
    ] {
        assert!(v["totals"].get(k).is_some(), "totals.{k}");
    }
    let p = &v["procedures"][0];
    for k in [
        "id",
        "name",
        "agency",
        "level",
        "sector",
        "annual_volume",
        "documents_before",
        "documents_after_now",
        "documents_after_roadmap",
        "components",
    ] {
        assert!(p.get(k).is_some(), "procedure.{k}");
    }
    for k in [
        "document",
        "of",
        "status",
        "alternatives",
        "reason",
        "needed_facts",
        "lookups",
        "missing_facts",
        "duplicate_of",
        "unlocked_by",
        "phase",
    ] {
        assert!(p["components"][0].get(k).is_some(), "component.{k}");
    }
    for k in ["chains", "unmet_facts", "consolidation"] {
        assert!(v[k].is_array(), "{k}");
    }
    let ids: Vec<&str> = v["procedures"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "procedures sorted by id");

    let out = paperwork().args(["-C", "engine", "roadmap", "-q", "--format", "json"]).output().unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for k in ["task", "title", "owner", "status", "due", "effort", "phase", "phase_start", "phase_end", "at_risk", "unlocks", "remaining"] {
        assert!(r["steps"][0].get(k).is_some(), "step.{k}");
    }
    for k in ["components", "procedures", "submissions", "money"] {
        assert!(r["steps"][0]["unlocks"].get(k).is_some(), "unlocks.{k}");
    }
    for k in ["total", "done", "in_progress", "routine", "not_started", "overdue"] {
        assert!(r["progress"].get(k).is_some(), "progress.{k}");
    }
    assert_eq!(r["progress"]["overdue"][0]["task"], "land-digitize");
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let run = |threads: &str| {
        paperwork().env("RAYON_NUM_THREADS", threads).args(["-C", "engine", "analyze", "-q", "--format", "json"]).output().unwrap().stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("8"));
}

/// `paperwork schema` with no kind is one schema an editor can use for every workspace file,
/// not two schemas wrapped in an object.
#[test]
fn the_default_schema_is_one_schema_for_any_workspace_file() {
    let out = paperwork().args(["schema"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(v.get("procedures").is_none() && v.get("rules").is_none(), "a wrapper, not a schema");
    let defs = v["definitions"].as_object().unwrap();
    for r in v["anyOf"].as_array().unwrap() {
        let name = r["$ref"].as_str().unwrap().trim_start_matches("#/definitions/");
        assert!(defs.contains_key(name), "{name} is not defined");
    }
    // Every reference inside resolves.
    let text = serde_json::to_string(&v).unwrap();
    for r in text.split("\"$ref\":\"#/definitions/").skip(1) {
        let name = r.split('"').next().unwrap();
        assert!(defs.contains_key(name), "dangling $ref to {name}");
    }
}

#[test]
fn schema_files_are_current() {
    for kind in ["procedures", "rules"] {
        let out = paperwork().args(["schema", kind]).output().unwrap();
        let committed =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("docs/schema/{kind}.schema.json"))).unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            committed,
            "docs/schema/{kind}.schema.json is stale: regenerate with `paperwork schema {kind}`"
        );
        let v: serde_json::Value = serde_json::from_str(&committed).unwrap();
        assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    }
}

#[test]
fn completions_and_man_page() {
    let out = paperwork().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().contains("paperwork"));
    let out = paperwork().args(["man"]).output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH paperwork"));
    // One page for the whole tool: every command is described in it, none points to a page of
    // its own that nobody installs.
    assert!(!page.contains("paperwork\\-check(1)") && !page.contains("(1)\n"), "{page}");
    for command in ["check", "analyze", "roadmap", "explain", "diff", "report", "graph", "import", "export", "schema"] {
        assert!(page.contains(&format!("\\fBpaperwork {command}\\fR")), "{command} missing from the man page");
    }
}

/// Text tables fit the width they are given (100 columns when the output is not a terminal):
/// names and task titles wrap under their ids, whole, instead of being cut; `--width 0` lifts
/// the limit. Tried on the sample, whose Vietnamese names run to 150 characters.
#[test]
fn text_tables_fit_their_width_and_cut_no_name() {
    use unicode_width::UnicodeWidthStr;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        let mut c = Command::cargo_bin("paperwork").unwrap();
        let out = c.current_dir(root).env("NO_COLOR", "1").args(args).args(["--no-cache", "-q"]).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let widest = |text: &str| text.lines().filter(|l| l.starts_with(['│', '┌', '╞', '└'])).map(UnicodeWidthStr::width).max().unwrap_or(0);
    for (args, width) in [(vec!["analyze"], 100), (vec!["analyze", "--by", "sector"], 100), (vec!["roadmap", "--width", "120"], 120)] {
        let text = run(&args);
        assert_eq!(widest(&text), width, "{args:?}");
        assert!(!text.contains("… "), "{args:?} cuts a name");
    }
    // The longest procedure name of the sample is there whole, one word after another; the
    // sentences between the tables wrap too.
    let text = run(&["analyze"]);
    assert!(text.lines().all(|l| UnicodeWidthStr::width(l) <= 100), "a line over 100 columns");
    let words: Vec<&str> = text.lines().flat_map(|l| l.trim_matches(['│', ' ']).split_whitespace()).collect();
    let joined = words.join(" ");
    assert!(joined.contains("Thủ tục đăng ký nhận cha, mẹ, con có yếu tố nước ngoài tại khu vực biên giới"), "a name is cut or lost");
    assert!(widest(&run(&["roadmap", "--width", "0"])) > 120, "--width 0 lifts the limit");
}

/// Standard input can be one side of a diff, not both: it would be read twice.
#[test]
fn diff_reads_standard_input_for_one_side_only() {
    let out = paperwork().args(["diff", "-", "-"]).write_stdin("{}").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only one side can be read from standard input"));
}
