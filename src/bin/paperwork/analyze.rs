//! `paperwork analyze`: classify every component and count documents before and after.

use crate::common::{Global, emit, emit_with, exit_without_freeing, resolve_tasks};
use crate::values::{Format, GroupBy};
use anyhow::Result;
use paperwork::engine::{self, AnalyzeOptions};
use paperwork::pipeline::{self, Outcome};
use paperwork::report::{self, text};

/// Classify every component and count documents before and after.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Grouping of the summary table.
    #[arg(long, value_enum, default_value_t = GroupBy::Procedure)]
    by: GroupBy,
    /// Treat these tasks as done before analysing (what-if), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "TASK,...")]
    assume: Vec<String>,
}

/// Prints the analysis: a summary table or Markdown, every component as CSV, or the JSON document.
pub fn run(args: &Args, g: &Global) -> Result<u8> {
    let mut ws = g.load_valid()?;
    let tasks = resolve_tasks(&ws, &args.assume)?;
    engine::assume_done(&mut ws, &tasks);
    let opts = AnalyzeOptions::default();
    let format = text::Format::from(args.format);
    let Outcome { analysis: a, findings } = pipeline::run(&ws, &opts);
    match format {
        // Streamed: the document of a national catalog is hundreds of megabytes.
        text::Format::Json => emit_with(|w| report::AnalysisStream::new(&ws, &a, &findings).write_json(w).map(drop))?,
        text::Format::Csv => emit(&text::analysis_csv(&report::analysis_report(&ws, &a, findings)))?,
        // The summary reads each procedure's result straight off the analysis: a national
        // catalog's owned report would be millions of small strings it never shows.
        text::Format::Table | text::Format::Md => {
            let o = report::overview(&ws, &a, findings, args.by.into(), g.lang());
            emit(&text::analysis_text(&ws, &o, g.lang(), g.layout(format)))?;
        }
    }
    exit_without_freeing((ws, a));
    Ok(0)
}
