//! The `paperwork` command line: parses arguments, calls the library, prints.

use anyhow::{Context, Result, bail};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use paperwork::diag;
use paperwork::diff::{self, DiffError};
use paperwork::engine;
use paperwork::engine::AnalyzeOptions;
use paperwork::interop::graph_export::{self, GraphFormat};
use paperwork::load::{LoadOptions, Loaded, load};
use paperwork::report::folder;
use paperwork::report::text::{self, Format};
use paperwork::report::{self, GroupBy};
use paperwork::workspace::{Lang, Workspace};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// Loading a national catalog makes millions of small strings; mimalloc handles that
// allocation pattern far better than the system allocator, on both threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Finds the document components of administrative procedures that a database lookup can
/// replace ("once-only"), and plans the roadmap that cuts the most paperwork first.
#[derive(Parser, Debug)]
#[command(name = "paperwork", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: Global,
}

#[derive(clap::Args, Debug, Clone)]
struct Global {
    /// Workspace folder holding `procedures/` and `rules/`.
    #[arg(short = 'C', long = "workspace", global = true, default_value = ".", value_name = "DIR")]
    workspace: PathBuf,
    /// Folder of procedure files (default: <workspace>/procedures).
    #[arg(long, global = true, value_name = "DIR")]
    procedures: Option<PathBuf>,
    /// Folder of rules files (default: <workspace>/rules).
    #[arg(long, global = true, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Date the analysis is as of (default: `policy.as_of`).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Language for names.
    #[arg(long, global = true, value_enum, default_value_t = Lang::Vi)]
    lang: Lang,
    /// Print nothing but the requested output and errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Colour in terminal output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Parse cache folder (default: <workspace>/.paperwork-cache).
    #[arg(long, global = true, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Parse every file afresh, neither reading nor writing the cache.
    #[arg(long, global = true)]
    no_cache: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Validate the workspace; exit 1 on any error.
    Check {
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Classify every component and count documents before and after.
    Analyze {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Grouping of the summary table.
        #[arg(long, value_enum, default_value_t = GroupBy::Procedure)]
        by: GroupBy,
        /// Treat these tasks as done before analysing (what-if), comma-separated.
        #[arg(long, value_delimiter = ',', value_name = "TASK,...")]
        assume: Vec<String>,
    },
    /// Order the tasks into phases with a burn-down, and report progress.
    Roadmap {
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
    },
    /// Explain why each component of a procedure got its status.
    Explain {
        /// Procedure id.
        id: String,
        /// Only components of this document.
        doc: Option<String>,
        /// Output format (table = text).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Compare two catalogs: workspace folders or JSON written by `analyze --format json`.
    Diff {
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
    },
    /// Write the whole report as a folder: index.html, analysis.json, roadmap.json, CSVs, summary.md.
    Report {
        /// Folder to write (replaced whole; never inside `procedures/` or `rules/`).
        #[arg(long, default_value = "paperwork-report", value_name = "DIR")]
        out: PathBuf,
        /// Start the CSVs with a byte-order mark, so that spreadsheets read Vietnamese text right.
        #[arg(long)]
        excel: bool,
    },
    /// Print the graph of procedures, components, documents, facts, databases, agencies, tasks.
    Graph {
        /// Output format.
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        /// Only this procedure and what it touches.
        #[arg(long, value_name = "ID")]
        procedure: Option<String>,
        /// Only procedures of this life event and what they touch.
        #[arg(long, value_name = "EVENT")]
        life_event: Option<String>,
        /// Only this database and what it touches (with --procedure: the only database shown).
        #[arg(long, value_name = "ID")]
        database: Option<String>,
    },
    /// Read a component sheet (CSV or .xlsx; one row per component) into a procedures file.
    ///
    /// Procedure cells may repeat on every row or stand on one; a row with an empty `procedure`
    /// continues the one above, and a row with no `document` only declares the procedure. A
    /// filled `alternatives` makes the component `one_of: [document, alternatives...]`; list
    /// cells separate ids by `;`, `,` or spaces. Ids are checked against `rules/`; nothing is
    /// written while an error stands.
    Import {
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
    },
    /// Export the catalog: CPSV-AP 3.2 JSON-LD, or the component sheet that `import` reads.
    Export {
        /// Output format.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// File to write (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Start the CSV with a byte-order mark, so that spreadsheets read Vietnamese text right.
        #[arg(long)]
        excel: bool,
    },
    /// Write the JSON Schema (draft-07) of procedure and rules files.
    Schema {
        /// Which file kind.
        #[arg(value_enum, default_value_t = SchemaKind::Both)]
        kind: SchemaKind,
    },
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// CPSV-AP 3.2 public services with CCCEV evidence, as JSON-LD.
    CpsvAp,
    /// One row per component, in the format `import` reads.
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaKind {
    Procedures,
    Rules,
    Both,
}

/// An error that has already been reported to the user; exit with the code.
#[derive(Debug)]
struct Reported(u8);
impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "reported")
    }
}
impl std::error::Error for Reported {}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if let Some(r) = e.downcast_ref::<Reported>() {
                return ExitCode::from(r.0);
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn color(g: &Global, stream_is_tty: bool) -> bool {
    match g.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => stream_is_tty && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn load_opts(g: &Global) -> Result<LoadOptions> {
    let mut o = LoadOptions::new(&g.workspace);
    o.procedures = g.procedures.clone();
    o.rules = g.rules.clone();
    if !g.no_cache {
        // A cache of its own is pruned to what this workspace uses; a shared one is left alone.
        o.prune_cache = g.cache_dir.is_none() && g.procedures.is_none() && g.rules.is_none();
        o.cache_dir = Some(g.cache_dir.clone().unwrap_or_else(|| g.workspace.join(".paperwork-cache")));
    }
    if let Some(d) = &g.as_of {
        let date =
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").with_context(|| format!("`--as-of {d}` is not a date; write YYYY-MM-DD"))?;
        o.as_of = Some(date);
    }
    Ok(o)
}

/// Loads the workspace; on errors prints them and stops with exit 1.
fn load_valid(g: &Global) -> Result<Workspace> {
    let loaded: Loaded = load(&load_opts(g)?);
    if loaded.has_errors() {
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
        eprint!("{}", diag::render_terminal(&errors, &g.workspace, color(g, std::io::stderr().is_terminal())));
        eprintln!("the workspace has errors; nothing was analysed (run `paperwork check` for warnings too)");
        return Err(Reported(1).into());
    }
    let (_, warnings) = diag::counts(&loaded.diagnostics);
    if warnings > 0 && !g.quiet {
        eprintln!("note: {warnings} warning{} (see `paperwork check`)", if warnings == 1 { "" } else { "s" });
    }
    Ok(loaded.workspace)
}

fn resolve_tasks(ws: &Workspace, names: &[String]) -> Result<Vec<u32>> {
    names
        .iter()
        .filter(|n| !n.is_empty())
        .map(|n| {
            ws.task_ids.get(n).ok_or_else(|| {
                let hint = diag::did_you_mean(n, ws.task_ids.names()).map(|h| format!("; {h}")).unwrap_or_default();
                anyhow::anyhow!("unknown task `{n}` in --assume{hint}")
            })
        })
        .collect()
}

/// Leaves the large structures of a finished run to the operating system: freeing a
/// 100,000-procedure workspace piece by piece takes about a second, and the process ends next.
fn exit_without_freeing<T>(big: T) {
    std::mem::forget(big);
}

/// Streams a report as JSON to standard output.
fn emit_json<T: serde::Serialize>(v: &T) -> Result<()> {
    emit_with(|w| text::write_json(w, v))
}

/// Streams what `write` writes to standard output, buffered.
fn emit_with(write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>) -> Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut w).and_then(|_| w.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

fn run(cli: Cli) -> Result<u8> {
    let g = &cli.global;
    match &cli.command {
        Command::Check { format } => {
            let loaded = load(&load_opts(g)?);
            match format {
                CheckFormat::Json => emit(&diag::render_json(&loaded.diagnostics))?,
                CheckFormat::Text => {
                    let text = diag::render_terminal(&loaded.diagnostics, &g.workspace, color(g, std::io::stdout().is_terminal()));
                    if !(g.quiet && loaded.diagnostics.is_empty()) {
                        emit(&text)?;
                    }
                }
            }
            let code = if loaded.has_errors() { 1 } else { 0 };
            exit_without_freeing(loaded);
            Ok(code)
        }
        Command::Analyze { format, by, assume } => {
            let mut ws = load_valid(g)?;
            let tasks = resolve_tasks(&ws, assume)?;
            engine::assume_done(&mut ws, &tasks);
            let opts = AnalyzeOptions::default();
            if matches!(format, Format::Json) {
                // Streamed: the document of a national catalog is hundreds of megabytes.
                let (a, findings, consolidation) = report::analyze_for_document(&ws, &opts);
                emit_with(|w| report::AnalysisStream::new(&ws, &a, findings, consolidation).write_json(w).map(drop))?;
                exit_without_freeing((ws, a));
                return Ok(0);
            }
            if matches!(format, Format::Csv) {
                let a = engine::analyze(&ws, &opts);
                let r = report::analysis_report(&ws, &a);
                emit(&text::analysis_csv(&r))?;
                exit_without_freeing((ws, a, r));
                return Ok(0);
            }
            // The summary reads each procedure's result straight off the analysis: a national
            // catalog's owned report would be millions of small strings it never shows.
            let (a, findings) = report::analyze_with_findings(&ws, &opts);
            let o = report::overview_with(&ws, &a, findings, *by, g.lang);
            emit(&text::analysis_text(&ws, &o, g.lang, matches!(format, Format::Md)))?;
            exit_without_freeing((ws, a, o));
            Ok(0)
        }
        Command::Roadmap { format, progress, capacity, phase_months, assume } => {
            if let Some(c) = capacity
                && (!c.is_finite() || *c <= 0.0)
            {
                bail!("`--capacity` must be a positive number");
            }
            if phase_months.is_some_and(|m| m == 0 || m > 120) {
                bail!("`--phase-months` must be between 1 and 120");
            }
            let mut ws = load_valid(g)?;
            let tasks = resolve_tasks(&ws, assume)?;
            engine::assume_done(&mut ws, &tasks);
            let opts = AnalyzeOptions {
                assume: tasks,
                roadmap: paperwork::engine::roadmap::RoadmapOptions { capacity: *capacity, phase_months: *phase_months },
            };
            let a = engine::analyze(&ws, &opts);
            let r = report::roadmap_report(&ws, &a);
            match format {
                Format::Json if *progress => emit_json(&r.progress)?,
                Format::Json => emit_json(&r)?,
                Format::Csv => emit(&text::roadmap_csv(&r))?,
                Format::Table => emit(&text::roadmap_text(&ws, &r, g.lang, false, *progress))?,
                Format::Md => emit(&text::roadmap_text(&ws, &r, g.lang, true, *progress))?,
            }
            exit_without_freeing((ws, a, r));
            Ok(0)
        }
        Command::Explain { id, doc, format } => {
            let ws = load_valid(g)?;
            let Some(p) = ws.proc_ids.get(id) else {
                let hint = diag::did_you_mean(id, ws.proc_ids.names()).map(|h| format!("; {h}")).unwrap_or_default();
                bail!("unknown procedure `{id}`{hint}");
            };
            let d = match doc {
                Some(name) => Some(ws.doc_ids.get(name).ok_or_else(|| {
                    let hint = diag::did_you_mean(name, ws.doc_ids.names()).map(|h| format!("; {h}")).unwrap_or_default();
                    anyhow::anyhow!("unknown document `{name}`{hint}")
                })?),
                None => None,
            };
            let a = engine::analyze(&ws, &AnalyzeOptions::default());
            let e = paperwork::report::explain::explain(&ws, &a, p, d, g.lang);
            if d.is_some() && e.components.is_empty() {
                bail!("procedure `{id}` does not ask for `{}`", doc.as_deref().unwrap_or_default());
            }
            emit(&match format {
                Format::Json => text::json(&e),
                _ => paperwork::report::explain::render(&e),
            })?;
            Ok(0)
        }
        Command::Diff { old, new, format, fail_on_increase } => {
            let as_of = load_opts(g)?.as_of;
            let sides = match diff::read_sides(old, new, as_of) {
                Ok(s) => s,
                Err(DiffError::Workspace { path, diagnostics }) => {
                    let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
                    eprint!("{}", diag::render_terminal(&errors, &path, color(g, std::io::stderr().is_terminal())));
                    eprintln!(
                        "the workspace `{}` has errors; nothing was compared (run `paperwork -C {} check`)",
                        path.display(),
                        path.display()
                    );
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
                    eprintln!(
                        "note: {n} warning{} in `{}` (see `paperwork -C {} check`)",
                        if n == 1 { "" } else { "s" },
                        w.path.display(),
                        w.path.display()
                    );
                }
            }
            let d = diff::diff(&sides.old, &sides.new);
            emit(&match format {
                Format::Json => text::json(&d),
                Format::Csv => diff::csv(&d),
                Format::Table => diff::text(&d, g.lang, false),
                Format::Md => diff::text(&d, g.lang, true),
            })?;
            if *fail_on_increase && !d.increased.is_empty() {
                eprintln!(
                    "error: {} procedure{} ask{} for more documents than before: {}",
                    d.increased.len(),
                    if d.increased.len() == 1 { "" } else { "s" },
                    if d.increased.len() == 1 { "s" } else { "" },
                    d.increased.join(", ")
                );
                return Ok(1);
            }
            Ok(0)
        }
        Command::Report { out, excel } => {
            let opts = load_opts(g)?;
            let procedures = opts.procedures.clone().unwrap_or_else(|| opts.root.join("procedures"));
            let rules = opts.rules.clone().unwrap_or_else(|| opts.root.join("rules"));
            folder::check_out_dir(out, &opts.root, &procedures, &rules)?;
            let tty = std::io::stderr().is_terminal() && !g.quiet;
            let bar = if tty {
                let b = indicatif::ProgressBar::new(4);
                b.set_style(
                    indicatif::ProgressStyle::with_template("{spinner} [{bar:20}] {pos}/{len} {msg}")
                        .expect("valid template")
                        .progress_chars("=> "),
                );
                b.enable_steady_tick(std::time::Duration::from_millis(120));
                b
            } else {
                indicatif::ProgressBar::hidden()
            };
            bar.set_message("reading the workspace");
            let ws = bar.suspend(|| load_valid(g));
            let ws = match ws {
                Ok(ws) => ws,
                Err(e) => {
                    bar.finish_and_clear();
                    return Err(e);
                }
            };
            bar.inc(1);
            bar.set_message("classifying components and planning the roadmap");
            let (a, findings, consolidation) = report::analyze_for_document(&ws, &AnalyzeOptions::default());
            bar.inc(1);
            bar.set_message("building the report");
            let ar = report::analysis_report_with(&ws, &a, findings, consolidation);
            let rr = report::roadmap_report(&ws, &a);
            let files = folder::report_files(&ws, &ar, &rr, g.lang, *excel);
            bar.inc(1);
            bar.set_message(format!("writing {}", out.display()));
            let written = folder::write_folder(out, &files);
            bar.inc(1);
            bar.finish_and_clear();
            written?;
            if tty {
                eprintln!("wrote {} ({} files): open {}", out.display(), files.len(), out.join("index.html").display());
            }
            Ok(0)
        }
        Command::Graph { format, procedure, life_event, database } => {
            let ws = load_valid(g)?;
            let a = engine::analyze(&ws, &AnalyzeOptions::default());
            let graph = paperwork::findings::build(&ws, &a.reach);
            let filter = graph_export::Filter { procedure: procedure.clone(), life_event: life_event.clone(), database: database.clone() };
            emit(&graph_export::export(&ws, &a, &graph, *format, &filter, g.lang)?)?;
            Ok(0)
        }
        Command::Import { file, out, force, column, sheet } => {
            use paperwork::interop::sheet;
            let columns = sheet::Columns::with_renames(column)?;
            let opts = load_opts(g)?;
            let rules = opts.rules.clone().unwrap_or_else(|| opts.root.join("rules"));
            let to_stdout = out.as_os_str() == "-";
            if !to_stdout {
                sheet::check_import_out(out, file, &rules, *force)?;
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
                    "note: the workspace has {errors} error{} (see `paperwork check`); the sheet is checked against what is valid",
                    if errors == 1 { "" } else { "s" }
                );
            }
            let display = file.display().to_string();
            let replacing = (*force && !to_stdout).then_some(out.as_path());
            let options = sheet::ImportOptions { columns, sheet: sheet.clone() };
            let imported = sheet::import(file, &display, &options, &loaded.workspace, replacing)?;
            let tty = std::io::stderr().is_terminal();
            if !imported.diagnostics.is_empty() {
                eprint!("{}", sheet::render_diagnostics(&imported.diagnostics, color(g, tty)));
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
            match sheet::write_file(out, yaml.as_bytes(), *force) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    bail!("`{}` already exists; add --force to replace it", out.display())
                }
                r => r.with_context(|| format!("cannot write `{}`", out.display()))?,
            }
            if !g.quiet {
                let n = imported.procedures.len();
                eprintln!(
                    "wrote {} procedure{} ({} components, from {} rows) to {}; run `paperwork check` next",
                    n,
                    if n == 1 { "" } else { "s" },
                    imported.components(),
                    imported.rows,
                    out.display()
                );
            }
            Ok(0)
        }
        Command::Export { format, out, excel } => {
            let ws = load_valid(g)?;
            let text = match format {
                ExportFormat::CpsvAp => paperwork::interop::cpsv::render(&ws),
                ExportFormat::Csv if *excel => format!("\u{feff}{}", paperwork::interop::sheet::sheet_csv(&ws)),
                ExportFormat::Csv => paperwork::interop::sheet::sheet_csv(&ws),
            };
            match out.as_deref().filter(|o| o.as_os_str() != "-") {
                None => emit(&text)?,
                Some(path) => {
                    let opts = load_opts(g)?;
                    let procedures = opts.procedures.clone().unwrap_or_else(|| opts.root.join("procedures"));
                    let rules = opts.rules.clone().unwrap_or_else(|| opts.root.join("rules"));
                    paperwork::interop::sheet::refuse_unsafe_out(path, &[], &[("procedures", &procedures), ("rules", &rules)])?;
                    paperwork::interop::sheet::write_file(path, text.as_bytes(), true)
                        .with_context(|| format!("cannot write `{}`", path.display()))?;
                }
            }
            Ok(0)
        }
        Command::Schema { kind } => {
            let text = match kind {
                SchemaKind::Procedures => paperwork::schema::procedures(),
                SchemaKind::Rules => paperwork::schema::rules(),
                SchemaKind::Both => paperwork::schema::both(),
            };
            emit(&text)?;
            Ok(0)
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "paperwork", &mut buf);
            emit(&String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
            emit(&String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
    }
}
