//! Wall-clock time of each stage of `paperwork analyze --format json`, on one workspace,
//! without the cache: where the time of an end-to-end run goes (docs/performance.md). The
//! stages in brackets are parts of those stages timed alone, or what other outputs build
//! instead of the streamed JSON.
//!
//! ```text
//! cargo run --release --example phases -- /tmp/w100k
//! ```

use paperwork::engine::{AnalyzeOptions, analyze};
use paperwork::load::{LoadOptions, load};
use paperwork::report::{AnalysisStream, analysis_report, overview, roadmap_report};
use std::process::ExitCode;
use std::time::Instant;

// The same allocator as the `paperwork` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Resident and peak memory so far, from /proc (Linux).
fn rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |k: &str| status.lines().find(|l| l.starts_with(k)).map(|l| l[k.len()..].trim().to_string()).unwrap_or_default();
    format!("rss {} peak {}", field("VmRSS:"), field("VmHWM:"))
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: phases WORKSPACE");
        return ExitCode::from(2);
    };
    let mut opts = LoadOptions::new(dir);
    opts.cache_dir = None;
    let stage = |name: &str, t: Instant| eprintln!("{name:<20} {:>8.3} s  {}", t.elapsed().as_secs_f64(), rss());

    let t = Instant::now();
    let loaded = load(&opts);
    stage("load", t);
    if loaded.has_errors() {
        eprintln!("the workspace has errors; run `paperwork check`");
        return ExitCode::from(1);
    }
    let ws = loaded.workspace;
    // What `analyze --format json` does: classify and plan with the graph's groundwork and
    // the consolidation candidates worked out beside, then stream.
    let t = Instant::now();
    let paperwork::pipeline::Outcome { analysis: a, findings } = paperwork::pipeline::run(&ws, &AnalyzeOptions::default());
    stage("classify+plan+graph", t);
    eprintln!(
        "                     {} chains, {} interconnected groups, {} unmet facts, {} consolidation candidates",
        findings.chains.len(),
        findings.interconnected.len(),
        findings.unmet_facts.len(),
        findings.consolidation.len()
    );
    let t = Instant::now();
    if let Err(e) = AnalysisStream::new(&ws, &a, &findings).write_json(std::io::sink()) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    stage("analysis JSON", t);
    // The parts on their own.
    let t = Instant::now();
    let alone = analyze(&ws, &AnalyzeOptions::default());
    stage("(classify+plan)", t);
    let t = Instant::now();
    let found = paperwork::findings::of(&ws, &a);
    stage("(graph findings)", t);
    let t = Instant::now();
    let consolidation = paperwork::findings::consolidation(&ws);
    stage("(consolidation)", t);
    let t = Instant::now();
    let rr = roadmap_report(&ws, &a);
    stage("roadmap report", t);
    // What `report` and `diff` build instead of streaming.
    let t = Instant::now();
    let r = analysis_report(&ws, &a, findings.clone());
    stage("(built report)", t);
    // What the table output builds instead.
    let t = Instant::now();
    let o = overview(&ws, &a, findings, Default::default(), Default::default());
    stage("(overview)", t);
    let t = Instant::now();
    let text = paperwork::report::text::analysis_text(&ws, &o, Default::default(), paperwork::report::table::Layout::text(None));
    stage("(table)", t);
    // Freeing is not part of any command's work (the binary exits without it).
    std::mem::forget((r, o, rr, text));
    std::mem::forget((ws, a, alone, found, consolidation));
    ExitCode::SUCCESS
}
