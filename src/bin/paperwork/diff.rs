//! `paperwork diff`: compare two catalogs.

use crate::common::{Global, Reported, emit};
use crate::values::Format;
use anyhow::Result;
use paperwork::diag;
use paperwork::diff::{self, DiffError, Sides};
use paperwork::report::text;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Compare two catalogs: workspace folders or JSON written by `analyze --format json`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The old side: a workspace folder, or an analysis JSON file (`-` reads standard input).
    old: PathBuf,
    /// The new side: a workspace folder, or an analysis JSON file (`-` reads standard input).
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Exit 1 when a procedure on both sides asks for more documents than before (more
    /// components, or more still handed in after today's lookups).
    #[arg(long)]
    fail_on_increase: bool,
}

/// Prints what changed between the two sides; exit 1 on an increase with `--fail-on-increase`.
pub fn run(args: &Args, g: &Global) -> Result<u8> {
    if args.old.as_os_str() == "-" && args.new.as_os_str() == "-" {
        anyhow::bail!("only one side can be read from standard input (`-`); give the other as a file or a workspace folder");
    }
    let sides = read_sides(args, g)?;
    let d = diff::diff(&sides.old, &sides.new);
    emit(&match text::Format::from(args.format) {
        text::Format::Json => text::json(&d),
        text::Format::Csv => diff::csv(&d),
        f @ (text::Format::Table | text::Format::Md) => diff::text(&d, g.lang(), g.layout(f)),
    })?;
    if args.fail_on_increase && !d.increased.is_empty() {
        eprintln!(
            "error: {} ask{} for more documents than before: {}",
            text::count(d.increased.len(), "procedure"),
            if d.increased.len() == 1 { "s" } else { "" },
            d.increased.join(", ")
        );
        return Ok(1);
    }
    Ok(0)
}

/// Reads both sides, reporting a side that cannot be compared (exit 1 for bad input, else 2)
/// and noting the warnings of workspace sides.
fn read_sides(args: &Args, g: &Global) -> Result<Sides> {
    let as_of = g.load_opts()?.as_of;
    let sides = match diff::read_sides(&args.old, &args.new, as_of) {
        Ok(s) => s,
        Err(DiffError::Workspace { path, diagnostics, sources }) => {
            let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
            eprint!("{}", diag::render_terminal(&errors, &sources, g.color(std::io::stderr().is_terminal())));
            eprintln!("the workspace `{}` has errors; nothing was compared (run `paperwork -C {} check`)", path.display(), path.display());
            return Err(Reported(1).into());
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Err(Reported(if e.is_invalid_input() { 1 } else { 2 }).into());
        }
    };
    for w in &sides.warnings {
        let n = w.diagnostics.len();
        if n > 0 && !g.quiet {
            eprintln!("note: {} in `{}` (see `paperwork -C {} check`)", text::count(n, "warning"), w.path.display(), w.path.display());
        }
    }
    Ok(sides)
}
