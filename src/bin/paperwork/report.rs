//! `paperwork report`: write the whole report as a folder.

use crate::common::Global;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use paperwork::engine::AnalyzeOptions;
use paperwork::files;
use paperwork::pipeline::{self, Outcome};
use paperwork::report::{self, folder};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Write the whole report as a folder: index.html, analysis.json, roadmap.json, CSVs, summary.md.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder to write (replaced whole; never inside `procedures/` or `rules/`).
    #[arg(long, default_value = "paperwork-report", value_name = "DIR")]
    out: PathBuf,
    /// Start the CSVs with a byte-order mark, so that spreadsheets read Vietnamese text right.
    #[arg(long)]
    excel: bool,
}

/// Writes the report folder, showing progress on a terminal.
pub fn run(args: &Args, g: &Global) -> Result<u8> {
    let out = &args.out;
    let opts = g.load_opts()?;
    files::check_out_dir(out, &opts.root, &opts.procedures_dir(), &opts.rules_dir())?;
    let tty = std::io::stderr().is_terminal() && !g.quiet;
    let bar = progress_bar(tty);
    bar.set_message("reading the workspace");
    let ws = bar.suspend(|| g.load_valid());
    let ws = match ws {
        Ok(ws) => ws,
        Err(e) => {
            bar.finish_and_clear();
            return Err(e);
        }
    };
    bar.inc(1);
    bar.set_message("classifying components and planning the roadmap");
    let Outcome { analysis: a, findings } = pipeline::run(&ws, &AnalyzeOptions::default());
    bar.inc(1);
    bar.set_message("building the report");
    let ar = report::analysis_report(&ws, &a, findings);
    let rr = report::roadmap_report(&ws, &a);
    let report_files = folder::report_files(&ws, &ar, &rr, g.lang(), args.excel);
    bar.inc(1);
    bar.set_message(format!("writing {}", out.display()));
    let written = files::write_folder(out, &report_files);
    bar.inc(1);
    bar.finish_and_clear();
    written?;
    if !g.quiet {
        eprintln!("wrote {} ({} files): open {}", out.display(), report_files.len(), out.join("index.html").display());
    }
    Ok(0)
}

/// A bar of the four steps on a terminal; elsewhere one that draws nothing.
fn progress_bar(tty: bool) -> ProgressBar {
    if !tty {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(4);
    b.set_style(ProgressStyle::with_template("{spinner} [{bar:20}] {pos}/{len} {msg}").expect("valid template").progress_chars("=> "));
    b.enable_steady_tick(std::time::Duration::from_millis(120));
    b
}
