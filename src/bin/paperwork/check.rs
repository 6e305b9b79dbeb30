//! `paperwork check`: validate the workspace.

use crate::common::{Global, emit, exit_without_freeing};
use anyhow::Result;
use clap::ValueEnum;
use paperwork::diag;
use paperwork::load::load;
use std::io::IsTerminal;

/// Validate the workspace; exit 1 on any error.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// One line per kind of problem (how many, and where the first is) instead of each one.
    #[arg(long)]
    summary: bool,
}

/// How `check` prints the diagnostics.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

/// Prints every diagnostic; exit 1 when any is an error.
pub fn run(args: &Args, g: &Global) -> Result<u8> {
    let loaded = load(&g.load_opts()?);
    match args.format {
        CheckFormat::Json => emit(&diag::render_json(&loaded.diagnostics))?,
        CheckFormat::Text if args.summary => emit(&diag::render_summary(&loaded.diagnostics))?,
        CheckFormat::Text => {
            let text = diag::render_terminal(&loaded.diagnostics, &loaded.sources, g.color(std::io::stdout().is_terminal()));
            if !(g.quiet && loaded.diagnostics.is_empty()) {
                emit(&text)?;
            }
        }
    }
    let code = if loaded.has_errors() { 1 } else { 0 };
    exit_without_freeing(loaded);
    Ok(code)
}
