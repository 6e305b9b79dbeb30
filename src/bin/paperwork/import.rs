//! `paperwork import`: read a component sheet into a procedures file.

use crate::common::{Global, emit};
use anyhow::{Context, Result, bail};
use paperwork::diag;
use paperwork::files;
use paperwork::interop::sheet;
use paperwork::load::load;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Read a component sheet (CSV or .xlsx; one row per component) into a procedures file.
///
/// Procedure cells may repeat on every row or stand on one; a row with an empty `procedure`
/// continues the one above, and a row with no `document` only declares the procedure. A
/// filled `alternatives` makes the component `one_of: [document, alternatives...]`; list
/// cells separate ids by `;`, `,` or spaces. Ids are checked against `rules/`; nothing is
/// written while an error stands.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The sheet: .csv/.tsv, or a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods).
    file: PathBuf,
    /// The procedures file to write (`-` prints it), e.g. procedures/imported.yaml.
    #[arg(long, value_name = "FILE.yaml")]
    out: PathBuf,
    /// Replace `--out` if it exists (its procedures are replaced, not duplicated).
    #[arg(long)]
    force: bool,
    /// Read column KEY from the column headed HEADER (repeatable). Keys: procedure, name,
    /// name_en, agency, level, sector, life_events, volume, produces, records_to, document,
    /// alternatives, of, copy, condition, proves.
    #[arg(long, value_name = "KEY=HEADER")]
    column: Vec<String>,
    /// Worksheet of a workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
}

/// Reads and checks the sheet, then writes the procedures file; exit 1 when the sheet has errors.
pub fn run(args: &Args, g: &Global) -> Result<u8> {
    let (file, out) = (&args.file, &args.out);
    let columns = sheet::Columns::with_renames(&args.column)?;
    let opts = g.load_opts()?;
    let rules = opts.rules_dir();
    let to_stdout = out.as_os_str() == "-";
    if !to_stdout {
        sheet::check_import_out(out, file, &rules, args.force)?;
    }
    if !rules.is_dir() {
        bail!(
            "no rules folder `{}`: the sheet's documents are checked against the workspace's rules; run inside a workspace or pass `-C DIR`",
            rules.display()
        );
    }
    let loaded = load(&opts);
    // A fresh workspace may lack `procedures/` until this import writes it.
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error() && d.code != diag::Code::MissingFolder).count();
    if errors > 0 && !g.quiet {
        eprintln!(
            "note: the workspace has {} (see `paperwork check`); the sheet is checked against what is valid",
            paperwork::report::text::count(errors, "error")
        );
    }
    let display = file.display().to_string();
    let replacing = (args.force && !to_stdout).then_some(out.as_path());
    let options = sheet::ImportOptions { columns, sheet: args.sheet.clone() };
    let imported = sheet::import(file, &display, &options, &loaded.workspace, replacing)?;
    if !imported.diagnostics.is_empty() {
        eprint!(
            "{}",
            paperwork::diag::render_terminal(&imported.diagnostics, &Default::default(), g.color(std::io::stderr().is_terminal()))
        );
    }
    if imported.has_errors() {
        eprintln!("nothing was written");
        return Ok(1);
    }
    let source = file.file_name().map_or_else(|| display.clone(), |n| n.to_string_lossy().into_owned());
    let yaml = sheet::to_yaml(&imported.procedures, &source);
    if to_stdout {
        emit(&yaml)?;
        return Ok(0);
    }
    match files::write_file(out, yaml.as_bytes(), args.force) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("`{}` already exists; add --force to replace it", out.display())
        }
        r => r.with_context(|| format!("cannot write `{}`", out.display()))?,
    }
    if !g.quiet {
        use paperwork::report::text::count;
        eprintln!(
            "wrote {} ({}, from {}) to {}; run `paperwork check` next",
            count(imported.procedures.len(), "procedure"),
            count(imported.components(), "component"),
            count(imported.rows, "row"),
            out.display()
        );
    }
    Ok(0)
}
