//! The one pipeline every command runs: load (the caller's), then classify and plan
//! ([`crate::engine::analyze`]), then the findings ([`crate::findings`]); rendering is the
//! report's. No stage calls a later one.

use crate::engine::lookup::Reach;
use crate::engine::{self, Analysis, AnalyzeOptions};
use crate::findings::{self, Findings};
use crate::workspace::Workspace;

/// What every output is made from.
pub struct Outcome {
    /// Every component classified, the roadmap planned, the counts summed.
    pub analysis: Analysis,
    /// Chains, interconnected services, unmet data demand and consolidation candidates.
    pub findings: Findings,
}

/// Runs the analysis and the findings of a loaded workspace. The part of the findings that
/// needs no classification ([`findings::groundwork`]) is worked out beside the analysis: the
/// plan of a roadmap runs largely on one core, and on a national catalog with 1,000 tasks the
/// graph keeps the other busy instead of waiting its turn.
pub fn run(ws: &Workspace, opts: &AnalyzeOptions) -> Outcome {
    // The analysis works out the same reach; it is cheap, and the graph must not wait for it.
    let (analysis, ground) = rayon::join(|| engine::analyze(ws, opts), || findings::groundwork(ws, &Reach::new(ws)));
    let findings = ground.findings(ws, &analysis);
    Outcome { analysis, findings }
}
