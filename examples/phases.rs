//! Wall-clock time of each stage of `paperwork analyze --format json`, on one workspace,
//! without the cache: where the time of an end-to-end run goes (docs/performance.md). The
//! stages in brackets are what other outputs build instead of the streamed JSON.
//!
//! ```text
//! cargo run --release --example phases -- /tmp/w100k
//! ```

use paperwork::analysis::{AnalyzeOptions, analyze};
use paperwork::load::{LoadOptions, load};
use paperwork::report::{analysis_report, overview, roadmap_report, stream_analysis};
use std::process::ExitCode;
use std::time::Instant;

// The same allocator as the `paperwork` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: phases WORKSPACE");
        return ExitCode::from(2);
    };
    let mut opts = LoadOptions::new(dir);
    opts.cache_dir = None;
    let stage = |name: &str, t: Instant| eprintln!("{name:<16} {:>8.3} s", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let loaded = load(&opts);
    stage("load", t);
    if loaded.has_errors() {
        eprintln!("the workspace has errors; run `paperwork check`");
        return ExitCode::from(1);
    }
    let ws = loaded.workspace;
    let t = Instant::now();
    let a = analyze(&ws, &AnalyzeOptions::default());
    stage("classify+plan", t);
    let t = Instant::now();
    if let Err(e) = stream_analysis(&ws, &a).write_json(std::io::sink()) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    stage("analysis JSON", t);
    // What the second core works out while the procedures are written.
    let t = Instant::now();
    let found = paperwork::graph::findings(&ws, &a);
    stage("(graph findings)", t);
    eprintln!(
        "                 {} chains, {} interconnected groups, {} unmet facts",
        found.chains.len(),
        found.interconnected.len(),
        found.unmet_facts.len()
    );
    let t = Instant::now();
    let rr = roadmap_report(&ws, &a);
    stage("roadmap report", t);
    // What `report` and `diff` build instead of streaming.
    let t = Instant::now();
    let r = analysis_report(&ws, &a);
    stage("(built report)", t);
    // What the table output builds instead.
    let t = Instant::now();
    let o = overview(&ws, &a, Default::default(), Default::default());
    stage("(overview)", t);
    let t = Instant::now();
    let text = paperwork::render::analysis_text(&ws, &o, Default::default(), false);
    stage("(table)", t);
    // Freeing is not part of any command's work (the binary exits without it).
    std::mem::forget((ws, a, r, o, rr, text));
    ExitCode::SUCCESS
}
