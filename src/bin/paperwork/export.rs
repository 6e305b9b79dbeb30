//! `paperwork export`: the catalog as CPSV-AP JSON-LD, or as the sheet `import` reads.

use crate::common::{Global, emit};
use anyhow::{Context, Result};
use clap::ValueEnum;
use paperwork::files;
use paperwork::interop::{cpsv, sheet};
use std::path::PathBuf;

/// Export the catalog: CPSV-AP 3.2 JSON-LD, or the component sheet that `import` reads.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// File to write (default: standard output).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Start the CSV with a byte-order mark, so that spreadsheets read Vietnamese text right.
    #[arg(long)]
    excel: bool,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// CPSV-AP 3.2 public services with CCCEV evidence, as JSON-LD.
    CpsvAp,
    /// One row per component, in the format `import` reads.
    Csv,
}

/// Writes the export to standard output or to `--out`, never over the workspace's inputs.
pub fn run(args: &Args, g: &Global) -> Result<u8> {
    let ws = g.load_valid()?;
    let text = match args.format {
        ExportFormat::CpsvAp => cpsv::render(&ws),
        ExportFormat::Csv if args.excel => format!("\u{feff}{}", sheet::sheet_csv(&ws)),
        ExportFormat::Csv => sheet::sheet_csv(&ws),
    };
    match args.out.as_deref().filter(|o| o.as_os_str() != "-") {
        None => emit(&text)?,
        Some(path) => {
            let opts = g.load_opts()?;
            files::refuse_unsafe_out(path, &[], &[("procedures", &opts.procedures_dir()), ("rules", &opts.rules_dir())])?;
            files::write_file(path, text.as_bytes(), true).with_context(|| format!("cannot write `{}`", path.display()))?;
        }
    }
    Ok(0)
}
