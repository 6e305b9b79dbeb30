//! `paperwork import`: a component sheet into a procedures file, or the National Public Service
//! Portal's records into a whole workspace.

use crate::common::{Global, emit};
use anyhow::{Context, Result, bail};
use paperwork::diag;
use paperwork::files;
use paperwork::interop::portal::{self, volumes};
use paperwork::interop::sheet;
use paperwork::load::load;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Read a component sheet (CSV or .xlsx; one row per component) into a procedures file, or
/// with `--from portal` the National Public Service Portal's procedure records into a workspace.
///
/// Sheets: procedure cells may repeat on every row or stand on one; a row with an empty `procedure`
/// continues the one above, and a row with no `document` only declares the procedure. A
/// filled `alternatives` makes the component `one_of: [document, alternatives...]`; list
/// cells separate ids by `;`, `,` or spaces, and `level` may list several levels. `case` puts
/// the component in the procedure's case of that name (empty: a common component); a case's
/// `case_share` (above 0, at most 1; a procedure's add up to at most 1) may stand on any of its
/// rows. Headers may also be the procedures file's keys (`id`, `annual_volume`, `when`,
/// `share`); other headers, and cells under no header, are warned about and not imported. Ids
/// are checked against `rules/`; nothing is written while an error stands.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// What the input is: a component sheet, or the portal's records (JSON files, arrays or
    /// JSON Lines; folders are read recursively).
    #[arg(long, value_enum, default_value = "sheet")]
    from: From,
    /// The sheet (.csv/.tsv, or a workbook: .xlsx, .xlsm, .xlsb, .xls, .ods); with `--from
    /// portal`, record files and folders.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The procedures file to write (`-` prints it), e.g. procedures/imported.yaml; with
    /// `--from portal`, the workspace folder to write.
    #[arg(long, value_name = "FILE.yaml|DIR")]
    out: PathBuf,
    /// Replace `--out` if it exists (a sheet's procedures are replaced, not duplicated).
    #[arg(long)]
    force: bool,
    /// With `--from portal`: dossiers per year by procedure code (CSV or a workbook with the
    /// columns code, annual_volume and optionally basis).
    #[arg(long, value_name = "FILE")]
    volumes: Option<PathBuf>,
    /// Read column KEY from the column headed HEADER (repeatable). Keys: procedure, name,
    /// name_en, agency, level, sector, life_events, volume, produces, records_to, document,
    /// alternatives, of, copy, condition, proves, case, case_share, ministry, applicants,
    /// legal_basis, decision, source_url.
    #[arg(long, value_name = "KEY=HEADER")]
    column: Vec<String>,
    /// Worksheet of a workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
}

/// What `import` reads.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum From {
    /// A component sheet: one row per component.
    Sheet,
    /// The National Public Service Portal's procedure records.
    Portal,
}

/// Imports the input; exit 1 when it has errors.
pub fn run(args: &Args, g: &Global) -> Result<u8> {
    match args.from {
        From::Portal => portal(args, g),
        From::Sheet => sheet(args, g),
    }
}

/// Reads and checks the sheet, then writes the procedures file; exit 1 when the sheet has errors.
fn sheet(args: &Args, g: &Global) -> Result<u8> {
    let [file] = args.paths.as_slice() else {
        bail!("a sheet import reads one file; `--from portal` reads several");
    };
    if args.volumes.is_some() {
        bail!("`--volumes` goes with `--from portal`; a sheet gives volumes in its `volume` column");
    }
    let out = &args.out;
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

/// Reads the portal's records, recognizes their dossier rows against the workspace's rules and
/// writes a whole workspace at `--out`; exit 1 when nothing could be imported or the volumes
/// file has errors.
fn portal(args: &Args, g: &Global) -> Result<u8> {
    if !args.column.is_empty() || args.sheet.is_some() {
        bail!("`--column` and `--sheet` go with a sheet import, not with `--from portal`");
    }
    let opts = g.load_opts()?;
    let rules = opts.rules_dir();
    if !rules.is_dir() {
        bail!(
            "no rules folder `{}`: the records' documents are recognized with the workspace's rules; run inside a workspace or pass `-C DIR`",
            rules.display()
        );
    }
    let out = &args.out;
    files::check_out_dir(out, &opts.root, &opts.procedures_dir(), &rules)?;
    for p in &args.paths {
        if let (Ok(o), Ok(i)) = (files::resolve(out), files::resolve(p))
            && (i.starts_with(&o) || o.starts_with(&i))
        {
            bail!("refusing to write `{}`: it holds or is inside the records `{}`; choose another folder", out.display(), p.display());
        }
    }
    let loaded = load(&opts);
    let in_rules = |d: &diag::Diagnostic| d.location.as_ref().is_none_or(|l| l.file.starts_with("rules"));
    let rule_errors: Vec<diag::Diagnostic> =
        loaded.diagnostics.iter().filter(|d| d.is_error() && d.code != diag::Code::MissingFolder && in_rules(d)).cloned().collect();
    let color = g.color(std::io::stderr().is_terminal());
    if !rule_errors.is_empty() {
        eprint!("{}", diag::render_terminal(&rule_errors, &loaded.sources, color));
        eprintln!("nothing was written: the new workspace would carry these errors of the rules; fix them first");
        return Ok(1);
    }
    let mut diags = Vec::new();
    let volumes = match &args.volumes {
        Some(f) => volumes::read(f, &mut diags)?,
        None => Default::default(),
    };
    if !diags.is_empty() {
        eprint!("{}", diag::render_terminal(&diags, &Default::default(), color));
        eprintln!("nothing was written");
        return Ok(1);
    }
    let imported = portal::import(&loaded.workspace, &args.paths, &volumes);
    for w in &imported.warnings {
        let item = w.item.map(|i| format!(" (item {i})")).unwrap_or_default();
        eprintln!("warning: {}{item}: {}", w.file.display(), w.reason);
    }
    if imported.summary.procedures == 0 {
        eprintln!("nothing was written: no record could be imported");
        return Ok(1);
    }
    let sources: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
    let written = portal::files(&imported, &loaded.workspace, &rules, &opts.procedures_dir(), &sources.join(", "))?;
    let check = |dir: &std::path::Path| -> std::io::Result<()> {
        let l = load(&paperwork::load::LoadOptions::new(dir));
        match l.diagnostics.iter().find(|d| d.is_error()) {
            None => Ok(()),
            Some(d) => Err(std::io::Error::other(format!("the written workspace does not pass `check`: {}", d.message))),
        }
    };
    match files::write_tree(out, &written, args.force, &check) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!("`{}` already exists; add --force to replace it", out.display()),
        r => r.with_context(|| format!("cannot write `{}`", out.display()))?,
    }
    if !g.quiet {
        eprint!("{}", summary(&imported, out));
    }
    Ok(0)
}

/// What the import did, for standard error.
fn summary(i: &portal::Imported, out: &std::path::Path) -> String {
    use paperwork::report::text::{count, thousands};
    use std::fmt::Write as _;
    let s = &i.summary;
    let pct = |n: usize| if s.components == 0 { 0.0 } else { 100.0 * n as f64 / s.components as f64 };
    let mut t = String::new();
    let _ = writeln!(
        t,
        "read {}: wrote {} to {} ({} skipped, named above)",
        count(s.records, "record"),
        count(s.procedures, "procedure"),
        out.display(),
        i.warnings.len()
    );
    let _ = writeln!(
        t,
        "{} from {} rows ({} notes): {} ({:.1}%) known documents, {} ({:.1}%) forms, {} ({:.1}%) unknown",
        count(s.components, "component"),
        thousands((s.components + s.notes) as u64),
        thousands(s.notes as u64),
        thousands(s.mapped as u64),
        pct(s.mapped),
        thousands(s.forms as u64),
        pct(s.forms),
        thousands(s.unknown as u64),
        pct(s.unknown)
    );
    let _ = writeln!(
        t,
        "created {}, {} and {}; volumes known for {} of {}",
        count(i.documents.len(), "document"),
        count(i.agencies.len(), "agency"),
        count(i.sectors.len(), "sector"),
        thousands(s.with_volume as u64),
        count(s.procedures, "procedure")
    );
    if !s.top_unknown.is_empty() {
        let _ = writeln!(t, "most frequent unknown wordings (map them with `names:` in rules/documents.yaml):");
        for (name, n) in &s.top_unknown {
            let _ = writeln!(t, "  {n:>5}  {name}");
        }
    }
    let _ = writeln!(t, "each row is in {}; run `paperwork -C {} check` next", out.join("import-report.csv").display(), out.display());
    t
}
