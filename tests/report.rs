//! `paperwork report`: the folder's files agree with `analyze` and `roadmap`, the page is
//! self-contained, the folder is written whole and never over the inputs, and the page opens
//! in headless Chromium (when installed) without console errors.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn engine() -> String {
    fixtures().join("engine").to_string_lossy().into_owned()
}

fn paperwork() -> Command {
    let mut c = Command::cargo_bin("paperwork").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = paperwork().current_dir(dir).args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn stdout_of(args: &[&str]) -> String {
    let (code, out, err) = run_in(&fixtures(), args);
    assert_eq!(code, Some(0), "{err}");
    out
}

/// A copy of a fixture workspace in a temporary folder, to write reports next to.
fn copy_workspace(name: &str, into: &Path) -> PathBuf {
    let ws = into.join("ws");
    for half in ["procedures", "rules"] {
        let from = fixtures().join(name).join(half);
        std::fs::create_dir_all(ws.join(half)).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), ws.join(half).join(e.file_name())).unwrap();
        }
    }
    ws
}

fn figure(html: &str, key: &str) -> String {
    let needle = format!("data-figure=\"{key}\" data-value=\"");
    let start = html.find(&needle).unwrap_or_else(|| panic!("no figure {key}")) + needle.len();
    html[start..].split('"').next().unwrap().to_string()
}

#[test]
fn the_files_agree_with_analyze_and_roadmap() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run_in(tmp.path(), &["-q", "-C", &engine(), "report", "--out", "r"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.is_empty(), "not a terminal: quiet, got {stderr}");
    let dir = tmp.path().join("r");
    let names: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    };
    assert_eq!(names, ["analysis.json", "components.csv", "index.html", "roadmap.csv", "roadmap.json", "summary.md"]);
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    let e = engine();
    assert_eq!(read("analysis.json"), stdout_of(&["-q", "-C", &e, "analyze", "--format", "json"]));
    assert_eq!(read("roadmap.json"), stdout_of(&["-q", "-C", &e, "roadmap", "--format", "json"]));
    assert_eq!(read("components.csv"), stdout_of(&["-q", "-C", &e, "analyze", "--format", "csv"]));
    assert_eq!(read("roadmap.csv"), stdout_of(&["-q", "-C", &e, "roadmap", "--format", "csv"]));
    let summary = read("summary.md");
    assert!(summary.starts_with("# Paperwork analysis as of 2025-02-13"), "{summary}");
    assert!(summary.contains("# Roadmap from 2025-02-13"));
    assert!(summary.contains(&stdout_of(&["-q", "-C", &e, "roadmap", "--format", "md"])));

    // The page's headline figures are analyze's totals.
    let html = read("index.html");
    let a: serde_json::Value = serde_json::from_str(&read("analysis.json")).unwrap();
    let t = &a["totals"];
    for key in ["submissions_before", "submissions_after_now", "submissions_after_roadmap", "documents_before", "documents_after_roadmap"] {
        assert_eq!(figure(&html, key), t[key].to_string(), "{key}");
    }
    assert_eq!(figure(&html, "money_saved_after_roadmap"), format!("{:.0}", t["money_saved_after_roadmap"].as_f64().unwrap()));
    assert_eq!(figure(&html, "hours_saved_after_roadmap"), format!("{:.0}", t["hours_saved_after_roadmap"].as_f64().unwrap()));
    let r: serde_json::Value = serde_json::from_str(&read("roadmap.json")).unwrap();
    assert_eq!(figure(&html, "tasks_done"), r["progress"]["done"].to_string());
    // 14,000 documents a year today (see tests/engine.rs), and every procedure in the table.
    assert!(html.contains("<b>14,000</b> documents a year"), "headline sentence");
    for p in a["procedures"].as_array().unwrap() {
        assert!(html.contains(&format!("<td>{}</td>", p["id"].as_str().unwrap())));
    }
    for section in ["headline", "sectors", "burndown", "status", "unmet", "procedures", "roadmap", "overdue", "chains"] {
        assert!(html.contains(&format!("<section id=\"{section}\">")), "section {section}");
    }
    assert!(html.matches("<svg ").count() >= 5, "charts");
    assert!(html.contains("class=\"sortable\""));
    assert!(html.contains("land-digitize"), "overdue task listed");

    // No leftover temporary folders beside the report.
    let leftovers: Vec<_> =
        std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().starts_with('.')).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Deterministic: a second run writes the same bytes.
    let (code, _, stderr) = run_in(tmp.path(), &["-q", "-C", &engine(), "report", "--out", "r2"]);
    assert_eq!(code, Some(0), "{stderr}");
    for n in &names {
        assert_eq!(std::fs::read(dir.join(n)).unwrap(), std::fs::read(tmp.path().join("r2").join(n)).unwrap(), "{n}");
    }
}

#[test]
fn the_page_is_self_contained_and_escapes_text() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = copy_workspace("engine", tmp.path());
    let path = ws.join("procedures/all.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("name: Passport", "name: 'Hộ chiếu <script>alert(1)</script> & \"Co\"'")).unwrap();
    let (code, _, stderr) = run_in(tmp.path(), &["-q", "-C", "ws", "report", "--out", "out"]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = std::fs::read_to_string(tmp.path().join("out/index.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(!html.contains("<script>alert"), "names are escaped");
    assert!(html.contains("Hộ chiếu &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"));
    assert_eq!(html.matches("<script").count(), 1, "one inline script");
    for banned in ["<script src", "<link", "@import", "url(", "<img", "<iframe", "https://"] {
        assert!(!html.contains(banned), "found {banned}");
    }
    // The only URL is the SVG namespace name, which is never fetched.
    let urls: Vec<&str> = html.match_indices("http://").map(|(i, _)| &html[i..i + 26]).collect();
    assert!(urls.iter().all(|u| u.starts_with("http://www.w3.org/2000/svg")), "{urls:?}");
}

#[test]
fn excel_puts_a_byte_order_mark_before_the_csvs() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_in(tmp.path(), &["-q", "-C", &engine(), "report", "--out", "x", "--excel"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, _, _) = run_in(tmp.path(), &["-q", "-C", &engine(), "report", "--out", "plain"]);
    assert_eq!(code, Some(0));
    for csv in ["components.csv", "roadmap.csv"] {
        let with = std::fs::read(tmp.path().join("x").join(csv)).unwrap();
        let without = std::fs::read(tmp.path().join("plain").join(csv)).unwrap();
        assert_eq!(&with[..3], b"\xEF\xBB\xBF", "{csv}");
        assert_eq!(&with[3..], &without[..], "{csv}");
        assert_ne!(&without[..3], b"\xEF\xBB\xBF");
    }
    let json = std::fs::read(tmp.path().join("x/analysis.json")).unwrap();
    assert_eq!(json[0], b'{', "JSON has no mark");
}

#[test]
fn never_written_over_the_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = copy_workspace("engine", tmp.path());
    let before = std::fs::read(ws.join("procedures/all.yaml")).unwrap();
    for out in ["ws/procedures", "ws/procedures/report", "ws/rules/x/y", "ws", "ws/.", "ws/procedures/../rules", "."] {
        let (code, _, stderr) = run_in(tmp.path(), &["-q", "-C", "ws", "report", "--out", out]);
        assert_eq!(code, Some(2), "--out {out}: {stderr}");
        assert!(stderr.contains("refusing to write the report"), "--out {out}: {stderr}");
    }
    // Run from inside the workspace, with a relative path that climbs back into it.
    let (code, _, stderr) = run_in(&ws, &["-q", "report", "--out", "../ws/rules/r"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(std::fs::read(ws.join("procedures/all.yaml")).unwrap(), before);
    assert!(!ws.join("procedures/report").exists() && !ws.join("rules/x").exists() && !ws.join("rules/r").exists());
    // Beside the inputs is fine.
    let (code, _, stderr) = run_in(tmp.path(), &["-q", "-C", "ws", "report", "--out", "ws/paperwork-report"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn replaces_an_earlier_report_but_not_a_foreign_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let e = engine();
    let report = |out: &str| run_in(tmp.path(), &["-q", "-C", &e, "report", "--out", out]);
    let (code, _, _) = report("r");
    assert_eq!(code, Some(0));
    let (code, _, stderr) = report("r");
    assert_eq!(code, Some(0), "an earlier report is replaced: {stderr}");
    // A folder with a file the report did not write is left alone.
    std::fs::create_dir(tmp.path().join("notes")).unwrap();
    std::fs::write(tmp.path().join("notes/minutes.txt"), "keep me").unwrap();
    let (code, _, stderr) = report("notes");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("minutes.txt"), "{stderr}");
    assert_eq!(std::fs::read_to_string(tmp.path().join("notes/minutes.txt")).unwrap(), "keep me");
    assert!(!tmp.path().join("notes/index.html").exists());
    // A file in the way is not replaced either.
    std::fs::write(tmp.path().join("file"), "x").unwrap();
    let (code, _, _) = report("file");
    assert_eq!(code, Some(2));
    assert_eq!(std::fs::read_to_string(tmp.path().join("file")).unwrap(), "x");
    // A missing parent folder is created.
    let (code, _, stderr) = report("a/b/c");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(tmp.path().join("a/b/c/index.html").exists());
    let hidden: Vec<_> =
        std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().starts_with('.')).collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn a_workspace_with_errors_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = fixtures().join("diagnostics/unknown_document");
    let (code, _, stderr) = run_in(tmp.path(), &["-C", bad.to_str().unwrap(), "report", "--out", "r"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("nothing was analysed"), "{stderr}");
    assert!(!tmp.path().join("r").exists());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

/// Runs a command with a deadline; returns (stdout, stderr) or panics on timeout.
fn run_with_deadline(mut cmd: std::process::Command, limit: Duration) -> (String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (tmp.path().join("out"), tmp.path().join("err"));
    cmd.stdout(std::fs::File::create(&out_path).unwrap()).stderr(std::fs::File::create(&err_path).unwrap());
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (std::fs::read_to_string(out_path).unwrap_or_default(), std::fs::read_to_string(err_path).unwrap_or_default())
}

fn chromium(profile: &Path) -> std::process::Command {
    let mut c = std::process::Command::new("/usr/bin/chromium");
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ]);
    c.arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// Lines where the page itself complained: console messages and uncaught exceptions.
fn page_errors(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains("Uncaught") || l.contains(":CONSOLE") || l.contains("Refused to")).collect()
}

#[test]
fn the_page_opens_in_headless_chromium() {
    if !Path::new("/usr/bin/chromium").exists() {
        println!("note: /usr/bin/chromium not found; skipping the browser check (apt-get install -y chromium)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_in(tmp.path(), &["-q", "-C", &engine(), "report", "--out", "r"]);
    assert_eq!(code, Some(0), "{stderr}");
    let page = tmp.path().join("r/index.html").canonicalize().unwrap();
    let url = format!("file://{}", page.display());
    let shot = tmp.path().join("shot.png");

    let mut c = chromium(&tmp.path().join("profile"));
    c.arg(format!("--screenshot={}", shot.display())).arg("--window-size=1200,2000").arg(&url);
    let (_, stderr) = run_with_deadline(c, Duration::from_secs(120));
    let errors = page_errors(&stderr);
    assert!(errors.is_empty(), "the page logged errors:\n{}", errors.join("\n"));
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}); chromium said:\n{stderr}"));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(png.len() > 10 * 1024, "screenshot is only {} bytes", png.len());

    // The inline script ran: it makes every sortable heading focusable.
    let mut c = chromium(&tmp.path().join("profile2"));
    c.arg("--dump-dom").arg(&url);
    let (dom, stderr) = run_with_deadline(c, Duration::from_secs(120));
    let errors = page_errors(&stderr);
    assert!(errors.is_empty(), "the page logged errors:\n{}", errors.join("\n"));
    assert!(dom.contains("tabindex=\"0\""), "the sort script did not run:\n{}", &dom[..dom.len().min(2000)]);
}

/// Every file of the report folder, byte for byte, for a fixture and for the sample: the
/// report is the product, and a change to any of its files must be seen and accepted.
#[test]
fn the_folder_is_pinned_file_by_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, ws) in [("engine", fixtures().join("engine")), ("sample", root.to_path_buf())] {
        let tmp = tempfile::tempdir().unwrap();
        let ws = ws.to_string_lossy().into_owned();
        let (code, _, stderr) = run_in(tmp.path(), &["-q", "--no-cache", "-C", &ws, "report", "--out", "r"]);
        assert_eq!(code, Some(0), "{stderr}");
        let mut files: Vec<_> = std::fs::read_dir(tmp.path().join("r")).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let names: Vec<String> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["analysis.json", "components.csv", "index.html", "roadmap.csv", "roadmap.json", "summary.md"]);
        for (file, file_name) in files.iter().zip(&names) {
            let text = std::fs::read_to_string(file).unwrap();
            insta::assert_snapshot!(format!("report_{name}_{}", file_name.replace('.', "_")), text);
        }
    }
}

/// What a killed run left beside the report (its temporary and set-aside folders) is removed by
/// the next run; a folder of a run still going is not touched.
#[test]
fn a_later_run_removes_what_killed_runs_left() {
    let tmp = tempfile::tempdir().unwrap();
    let e = engine();
    // No process has a PID this large on Linux (the maximum is 2^22).
    for leftover in [".r.tmp-4294967295", ".r.old-4294967294"] {
        std::fs::create_dir(tmp.path().join(leftover)).unwrap();
        std::fs::write(tmp.path().join(leftover).join("analysis.json"), "partial").unwrap();
    }
    let running = format!(".r.tmp-{}", std::process::id());
    std::fs::create_dir(tmp.path().join(&running)).unwrap();
    let (code, _, stderr) = run_in(tmp.path(), &["-q", "-C", &e, "report", "--out", "r"]);
    assert_eq!(code, Some(0), "{stderr}");
    let mut hidden: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    hidden.sort();
    assert_eq!(hidden, vec![running], "only the folder of a live process stays");
}

/// Concurrent runs to one folder all succeed and leave one whole report and nothing else. The
/// chains fixture's report takes long enough for the runs to overlap.
#[test]
fn concurrent_runs_to_one_folder_leave_one_whole_report() {
    let tmp = tempfile::tempdir().unwrap();
    let e = fixtures().join("chains").to_string_lossy().into_owned();
    // Rounds of 16 runs: one round shows the race about half the time.
    for _ in 0..4 {
        concurrent_round(tmp.path(), &e);
    }
}

fn concurrent_round(dir: &Path, e: &str) {
    let children: Vec<std::process::Child> = (0..16)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("paperwork"))
                .current_dir(dir)
                .args(["-q", "-C", e, "report", "--out", "r"])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, vec!["r".to_string()], "no litter beside the report");
    let mut files: Vec<String> =
        std::fs::read_dir(dir.join("r")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert!(files.contains(&"index.html".to_string()) && files.contains(&"analysis.json".to_string()), "{files:?}");
}
