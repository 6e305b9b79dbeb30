//! `paperwork roadmap`: order the tasks into phases with a burn-down, and report progress.

use crate::common::{Global, emit, emit_json, exit_without_freeing, resolve_tasks};
use crate::values::Format;
use anyhow::{Result, bail};
use paperwork::engine::roadmap::RoadmapOptions;
use paperwork::engine::{self, AnalyzeOptions};
use paperwork::pipeline;
use paperwork::report::{self, text};

/// Order the tasks into phases with a burn-down, and report progress.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Only the progress part.
    #[arg(long)]
    progress: bool,
    /// Effort per phase (overrides `policy.capacity_per_phase`).
    #[arg(long, value_name = "N")]
    capacity: Option<f64>,
    /// Phase length in months (overrides `policy.phase_months`).
    #[arg(long, value_name = "N")]
    phase_months: Option<u32>,
    /// Treat these tasks as done before planning (what-if), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "TASK,...")]
    assume: Vec<String>,
}

/// Plans the roadmap and prints it, or only its progress part.
pub fn run(args: &Args, g: &Global) -> Result<u8> {
    if let Some(c) = args.capacity
        && (!c.is_finite() || c <= 0.0)
    {
        bail!("`--capacity` must be a positive number");
    }
    if args.phase_months.is_some_and(|m| m == 0 || m > 120) {
        bail!("`--phase-months` must be between 1 and 120");
    }
    let mut ws = g.load_valid()?;
    let tasks = resolve_tasks(&ws, &args.assume)?;
    engine::assume_done(&mut ws, &tasks);
    let opts = AnalyzeOptions { assume: tasks, roadmap: RoadmapOptions { capacity: args.capacity, phase_months: args.phase_months } };
    let a = pipeline::run(&ws, &opts).analysis;
    let r = report::roadmap_report(&ws, &a);
    let progress = args.progress;
    match text::Format::from(args.format) {
        text::Format::Json if progress => emit_json(&r.progress)?,
        text::Format::Json => emit_json(&r)?,
        text::Format::Csv => emit(&text::roadmap_csv(&r))?,
        f @ (text::Format::Table | text::Format::Md) => emit(&text::roadmap_text(&ws, &r, g.lang(), g.layout(f), progress))?,
    }
    exit_without_freeing((ws, a, r));
    Ok(0)
}
