//! Benchmarks of the engine on synthetic workspaces (`benches/common`), with divan.
//!
//! ```text
//! cargo bench --bench engine                         # 1,000 and 10,000 procedures
//! PAPERWORK_BENCH_100K=1 cargo bench --bench engine  # and 100,000 (needs ~2 GB and a few minutes)
//! PAPERWORK_BENCH_LONG_CHAINS=1 cargo bench --bench engine -- chain  # + 40,000 tasks, 200,000 agencies
//! cargo bench --bench engine -- end_to_end           # only the end-to-end runs
//! ```
//!
//! Sizes: 1,000 procedures in 10 files, 10,000 and 100,000 in 100 files. Each workspace is
//! generated once per run into a temporary folder, in two variants sharing catalog and data
//! landscape: without tasks and with 1,000 tasks. The targets of docs/performance.md compare
//! `end_to_end_*` with `parse_*` of the same workspace, `end_to_end_1000_tasks` with
//! `end_to_end_no_tasks`, and `load_cached` with `load_workspace`.

#[path = "common/mod.rs"]
mod common;

use divan::{Bencher, black_box};
use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::load::{LoadOptions, load, yaml_options};
use paperwork::model::{ProcedureFile, RulesFile};
use paperwork::report::{AnalysisStream, analysis_report, roadmap_report};
use paperwork::workspace::Workspace;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary workspaces by (procedures, tasks), removed when the run ends.
static WORKSPACES: Mutex<BTreeMap<(usize, usize), tempfile::TempDir>> = Mutex::new(BTreeMap::new());

const SEED: u64 = 7;
const TASKS: usize = 1000;

fn main() {
    divan::main();
    WORKSPACES.lock().expect("workspace registry").clear();
}

/// Procedure counts to run: 1k and 10k, plus 100k with `PAPERWORK_BENCH_100K=1`.
fn sizes() -> Vec<usize> {
    let mut v = vec![1_000, 10_000];
    if std::env::var_os("PAPERWORK_BENCH_100K").is_some_and(|v| v != "0" && !v.is_empty()) {
        v.push(100_000);
    }
    v
}

/// The synthetic workspace of `procedures` procedures and `tasks` tasks, generated on first use.
fn workspace(procedures: usize, tasks: usize) -> PathBuf {
    let mut all = WORKSPACES.lock().expect("workspace registry");
    let dir = all.entry((procedures, tasks)).or_insert_with(|| {
        let dir = tempfile::Builder::new().prefix("paperwork-bench-").tempdir().expect("temporary folder");
        let files = if procedures <= 1_000 { 10 } else { 100 };
        let synth = common::generate(&common::Config { procedures, files, tasks, seed: SEED });
        synth.write(dir.path()).expect("write synthetic workspace");
        dir
    });
    dir.path().to_path_buf()
}

/// A loaded workspace, checked to have no errors.
fn loaded(procedures: usize, tasks: usize) -> Workspace {
    let l = load(&LoadOptions::new(workspace(procedures, tasks)));
    assert!(!l.has_errors(), "the synthetic workspace must load without errors");
    l.workspace
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// Reads every file of a workspace and parses it into the model types with the loader's
/// settings, in parallel like the loader, and nothing else.
fn parse_only(root: &Path) -> (Vec<RulesFile>, Vec<ProcedureFile>) {
    let read = |dir: &Path| -> Vec<String> { yaml_files(dir).iter().map(|p| std::fs::read_to_string(p).expect("read")).collect() };
    let (rules, procs) = (read(&root.join("rules")), read(&root.join("procedures")));
    // Rules and procedures at once, as the loader parses them.
    rayon::join(
        || rules.par_iter().map(|t| serde_saphyr::from_str_with_options(t, yaml_options()).expect("valid rules")).collect(),
        || procs.par_iter().map(|t| serde_saphyr::from_str_with_options(t, yaml_options()).expect("valid procedures")).collect(),
    )
}

/// The floor of `end_to_end_no_tasks`: parsing the same files.
#[divan::bench(args = sizes(), sample_count = 10, max_time = 20)]
fn parse_no_tasks(bencher: Bencher, procedures: usize) {
    let root = workspace(procedures, 0);
    bencher.bench_local(|| parse_only(&root));
}

/// The floor of `end_to_end_1000_tasks` and of `load_*`: parsing the same files.
#[divan::bench(args = sizes(), sample_count = 10, max_time = 20)]
fn parse_1000_tasks(bencher: Bencher, procedures: usize) {
    let root = workspace(procedures, TASKS);
    bencher.bench_local(|| parse_only(&root));
}

/// Files → validated workspace (no parse cache).
#[divan::bench(args = sizes(), sample_count = 10, max_time = 20)]
fn load_workspace(bencher: Bencher, procedures: usize) {
    let opts = LoadOptions::new(workspace(procedures, TASKS));
    bencher.bench_local(|| black_box(load(&opts)));
}

/// Files → validated workspace through a warm parse cache: the re-run after an edit, less the
/// one file that is parsed again.
#[divan::bench(args = sizes(), sample_count = 10, max_time = 20)]
fn load_cached(bencher: Bencher, procedures: usize) {
    let cache = tempfile::tempdir().expect("temporary folder");
    let mut opts = LoadOptions::new(workspace(procedures, TASKS));
    opts.cache_dir = Some(cache.path().to_path_buf());
    assert!(!load(&opts).has_errors(), "the synthetic workspace must load without errors");
    bencher.bench_local(|| black_box(load(&opts)));
}

/// Classification with no task: the roadmap is empty.
#[divan::bench(args = sizes(), sample_count = 10, max_time = 20)]
fn analyze_no_tasks(bencher: Bencher, procedures: usize) {
    let ws = loaded(procedures, 0);
    bencher.bench_local(|| black_box(analyze(&ws, &AnalyzeOptions::default())));
}

/// Classification and a roadmap of 1,000 tasks.
#[divan::bench(args = sizes(), sample_count = 10, max_time = 20)]
fn analyze_1000_tasks(bencher: Bencher, procedures: usize) {
    let ws = loaded(procedures, TASKS);
    bencher.bench_local(|| black_box(analyze(&ws, &AnalyzeOptions::default())));
}

/// The roadmap report (steps, phases, progress) of an analysis with 1,000 tasks, as JSON.
#[divan::bench(args = sizes(), sample_count = 10, max_time = 20)]
fn roadmap_json(bencher: Bencher, procedures: usize) {
    let ws = loaded(procedures, TASKS);
    let a = analyze(&ws, &AnalyzeOptions::default());
    bencher.bench_local(|| black_box(paperwork::report::text::json(&roadmap_report(&ws, &a))));
}

/// The analysis document of an analysis with 1,000 tasks, streamed as JSON to a sink as
/// `analyze --format json` streams it to standard output.
#[divan::bench(args = sizes(), sample_count = 10, max_time = 20)]
fn report_json(bencher: Bencher, procedures: usize) {
    let ws = loaded(procedures, TASKS);
    let a = analyze(&ws, &AnalyzeOptions::default());
    let findings = paperwork::findings::of(&ws, &a);
    bencher.bench_local(|| AnalysisStream::new(&ws, &a, &findings).write_json(std::io::sink()).expect("sink"));
}

/// The analysis document built whole (what `paperwork report` and `diff` use), as JSON.
#[divan::bench(args = sizes(), sample_count = 10, max_time = 20)]
fn report_built(bencher: Bencher, procedures: usize) {
    let ws = loaded(procedures, TASKS);
    let a = analyze(&ws, &AnalyzeOptions::default());
    bencher.bench_local(|| black_box(paperwork::report::text::json(&analysis_report(&ws, &a, paperwork::findings::of(&ws, &a)))));
}

/// What `paperwork analyze --format json --no-cache > /dev/null` does. The result is returned
/// so that divan frees it outside the measured time, as the binary exits without freeing.
fn end_to_end(root: &Path) -> (paperwork::load::Loaded, paperwork::pipeline::Outcome) {
    let l = load(&LoadOptions::new(root));
    let out = paperwork::pipeline::run(&l.workspace, &AnalyzeOptions::default());
    AnalysisStream::new(&l.workspace, &out.analysis, &out.findings).write_json(std::io::sink()).expect("sink");
    (l, out)
}

/// Load, analyse and render JSON, no task.
#[divan::bench(args = sizes(), sample_count = 10, max_time = 20)]
fn end_to_end_no_tasks(bencher: Bencher, procedures: usize) {
    let root = workspace(procedures, 0);
    bencher.bench_local(|| end_to_end(&root));
}

/// Load, analyse with a roadmap of 1,000 tasks, and render JSON.
#[divan::bench(args = sizes(), sample_count = 10, max_time = 20)]
fn end_to_end_1000_tasks(bencher: Bencher, procedures: usize) {
    let root = workspace(procedures, TASKS);
    bencher.bench_local(|| end_to_end(&root));
}

/// Lengths of a hostile chain to run: `sizes`, plus `long` with `PAPERWORK_BENCH_LONG_CHAINS=1`.
fn chain_sizes(sizes: &[usize], long: usize) -> Vec<usize> {
    let mut v = sizes.to_vec();
    if std::env::var_os("PAPERWORK_BENCH_LONG_CHAINS").is_some_and(|v| v != "0" && !v.is_empty()) {
        v.push(long);
    }
    v
}

/// A workspace of `n` tasks in a chain, each depending on the previous one: every twentieth of
/// the chain makes a database operational that one procedure waits for (bigger volumes first,
/// so the greedy part takes the chain a twentieth at a time), the rest touch a database no one
/// needs. Every candidate's bundle is the chain up to it.
fn chain_workspace(n: usize) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("paperwork-bench-chain-").tempdir().expect("temporary folder");
    let g = 20;
    let mut rules = String::from("facts:\n");
    for i in 1..=g + 1 {
        rules += &format!("  - {{ id: f{i} }}\n");
    }
    rules += "documents:\n";
    for i in 1..=g {
        rules += &format!("  - {{ id: d{i}, proves: [f{i}], burden: {{ hours: 1, cost: 0 }} }}\n");
    }
    rules += "databases:\n";
    let quality = "quality: { correct: 1, sufficient: 1, clean: 1, live: 1 }";
    for i in 1..=g {
        rules += &format!("  - {{ id: db{i}, status: building, provides: [f{i}], serves: [all], {quality} }}\n");
    }
    rules += &format!("  - {{ id: idle, status: building, provides: [f{}], serves: [all], {quality} }}\n", g + 1);
    rules += "agencies:\n  - { id: a }\ntasks:\n";
    let every = (n / g).max(1);
    for i in 1..=n {
        let dep = if i > 1 { format!(", depends_on: [t{:05}]", i - 1) } else { String::new() };
        let db = if i % every == 0 && i / every <= g { format!("db{}", i / every) } else { "idle".to_string() };
        rules +=
            &format!("  - {{ id: t{i:05}, status: not_started, effort: 1{dep}, effects: [{{ database: {db}, status: operational }}] }}\n");
    }
    rules += "policy:\n  as_of: 2025-02-13\n";
    let mut procs = String::from("procedures:\n");
    for i in 1..=g {
        procs += &format!(
            "  - {{ id: p{i}, agency: a, level: commune, annual_volume: {}, documents: [{{ document: d{i} }}] }}\n",
            10_000 - 100 * i
        );
    }
    for (folder, file, text) in [("rules", "r.yaml", rules), ("procedures", "p.yaml", procs)] {
        std::fs::create_dir_all(dir.path().join(folder)).expect("folder");
        std::fs::write(dir.path().join(folder).join(file), text).expect("write chain workspace");
    }
    dir
}

/// The roadmap of a chain of dependent tasks: bundles are evaluated for every candidate in
/// every round, so the cost of one bundle decides whether this is seconds or minutes. Each
/// bundle extends the one before it by a task; built whole, a round cost n²/2 tasks.
///
/// ```text
/// PAPERWORK_BENCH_LONG_CHAINS=1 cargo bench --bench engine -- analyze_task_chain
/// ```
///
/// Medians of three runs on 6 December 2026 (2 cores under load 4): 2,000 tasks 45–77 ms,
/// 20,000 0.61–0.96 s, 40,000 1.3–1.5 s; with whole bundles, in the same session, 0.32 s,
/// 23 s and 86 s.
#[divan::bench(args = chain_sizes(&[2_000, 20_000], 40_000), sample_count = 3, sample_size = 1)]
fn analyze_task_chain(bencher: Bencher, tasks: usize) {
    let dir = chain_workspace(tasks);
    let l = load(&LoadOptions::new(dir.path()));
    assert!(!l.has_errors(), "the chain workspace must load without errors");
    let ws = l.workspace;
    bencher.bench_local(|| black_box(analyze(&ws, &AnalyzeOptions::default())));
}

/// A workspace whose `n` agencies are merged one into the next, each with a procedure.
fn merger_chain_workspace(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut rules = String::from("facts:\n  - { id: f }\ndocuments:\n  - { id: d, proves: [f] }\nagencies:\n");
    for i in 0..n {
        let next = if i + 1 < n { format!(", merged_into: a{:05}", i + 1) } else { String::new() };
        rules += &format!("  - {{ id: a{i:05}{next} }}\n");
    }
    rules += "policy:\n  as_of: 2025-02-13\n";
    let mut procs = String::from("procedures:\n");
    for i in 0..n {
        procs += &format!("  - {{ id: p{i:05}, agency: a{i:05}, level: commune, annual_volume: 1, documents: [{{ document: d }}] }}\n");
    }
    for (folder, file, text) in [("rules", "r.yaml", rules), ("procedures", "p.yaml", procs)] {
        std::fs::create_dir_all(dir.path().join(folder)).expect("folder");
        std::fs::write(dir.path().join(folder).join(file), text).expect("write merger workspace");
    }
    dir
}

/// Load and analyse a chain of merged agencies: every agency's successor is a walk along the
/// chain, which must be made once for all, not once per agency (quadratic at 20,000).
/// Medians on 6 December 2026 (as for `analyze_task_chain`): 2,000 agencies 30–50 ms, 20,000
/// 0.35–0.36 s, 200,000 3.8–5.2 s.
#[divan::bench(args = chain_sizes(&[2_000, 20_000], 200_000), sample_count = 3, sample_size = 1)]
fn merger_chain(bencher: Bencher, agencies: usize) {
    let dir = merger_chain_workspace(agencies);
    bencher.bench_local(|| {
        let l = load(&LoadOptions::new(dir.path()));
        assert!(!l.has_errors(), "the merger chain must load without errors");
        let out = paperwork::pipeline::run(&l.workspace, &AnalyzeOptions::default());
        black_box((l, out))
    });
}

/// The portal's records shipped in data/portal/records, each written `copies` times with a new
/// code into a temporary folder (`copies` = 1 keeps them as they are).
fn portal_records(copies: usize) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("paperwork-bench-portal-").tempdir().expect("temporary folder");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/portal/records");
    let mut files: Vec<PathBuf> = walkdir_json(&src);
    files.sort();
    for k in 0..copies {
        for f in &files {
            let text = std::fs::read_to_string(f).expect("a record");
            let mut v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let code = v["ma_thu_tuc"].as_str().expect("a code").to_string();
            v["ma_thu_tuc"] = serde_json::Value::String(if k == 0 { code.clone() } else { format!("{code}.{k}") });
            let group = f.parent().and_then(|p| p.file_name()).expect("a ministry folder");
            let out = dir.path().join(group).join(format!("{code}.{k}.json"));
            std::fs::create_dir_all(out.parent().expect("a folder")).expect("folder");
            std::fs::write(out, v.to_string()).expect("write a record");
        }
    }
    dir
}

fn walkdir_json(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("records folder") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walkdir_json(&p));
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    out
}

/// Import the portal's records against the repository's rules: the 610 shipped (1 copy) and
/// 10,000 (17 copies with new codes, 10,370 records), which must take about 17 times as long.
#[divan::bench(args = [1, 17], sample_count = 3, sample_size = 1)]
fn import_portal(bencher: Bencher, copies: usize) {
    let records = portal_records(copies);
    let ws = load(&LoadOptions::new(env!("CARGO_MANIFEST_DIR"))).workspace;
    bencher.bench_local(|| {
        let imported = paperwork::interop::portal::import(&ws, &[records.path().to_path_buf()], &Default::default());
        assert!(imported.summary.procedures >= 609 * copies);
        black_box(imported)
    });
}

/// A workspace of `n` documents and `n` procedures, each asking for a misspelt document.
fn typo_workspace(n: usize) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("paperwork-bench-typos-").tempdir().expect("temporary folder");
    let mut rules = String::from("agencies:\n  - { id: moj }\ndocuments:\n");
    let mut procs = String::from("procedures:\n");
    for i in 0..n {
        rules.push_str(&format!("  - {{ id: document_{i:05} }}\n"));
        procs.push_str(&format!(
            "  - {{ id: p{i:05}, agency: moj, level: commune, annual_volume: 1, documents: [{{ document: documnet_{i:05} }}] }}\n"
        ));
    }
    for (folder, file, text) in [("rules", "r.yaml", rules), ("procedures", "p.yaml", procs)] {
        std::fs::create_dir_all(dir.path().join(folder)).expect("folder");
        std::fs::write(dir.path().join(folder).join(file), text).expect("write typo workspace");
    }
    dir
}

/// Load a workspace whose every reference is misspelt: each error's did-you-mean must not
/// compare the wrong id with every id (10,000 × 10,000 took most of a minute).
#[divan::bench(args = [2_000, 10_000], sample_count = 3, sample_size = 1)]
fn typo_references(bencher: Bencher, n: usize) {
    let dir = typo_workspace(n);
    bencher.bench_local(|| {
        let l = load(&LoadOptions::new(dir.path()));
        assert_eq!(l.diagnostics.iter().filter(|d| d.code == paperwork::diag::Code::UnknownReference).count(), n);
        black_box(l)
    });
}
