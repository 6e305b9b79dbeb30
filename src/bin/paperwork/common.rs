//! What every subcommand shares: the global options, loading the workspace, colour, writing
//! to standard output, and errors already reported.

use crate::values::Lang;
use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use paperwork::diag;
use paperwork::load::{LoadOptions, Loaded, load};
use paperwork::report::table::Layout;
use paperwork::report::text;
use paperwork::workspace::{self, TaskId, Workspace};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Options every subcommand takes.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// Workspace folder holding `procedures/` and `rules/`.
    #[arg(short = 'C', long = "workspace", global = true, default_value = ".", value_name = "DIR")]
    pub workspace: PathBuf,
    /// Folder of procedure files (default: <workspace>/procedures).
    #[arg(long, global = true, value_name = "DIR")]
    pub procedures: Option<PathBuf>,
    /// Folder of rules files (default: <workspace>/rules).
    #[arg(long, global = true, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Date the analysis is as of (default: `policy.as_of`).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Language for names.
    #[arg(long, global = true, value_enum, default_value_t = Lang::Vi)]
    pub lang: Lang,
    /// Print nothing but the requested output and errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Colour in terminal output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Parse cache folder (default: <workspace>/.paperwork-cache).
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Parse every file afresh, neither reading nor writing the cache.
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Fit text tables to this many columns by wrapping names (default: the terminal's width,
    /// or 100 when the output is not a terminal; 0: no limit). Markdown is never wrapped.
    #[arg(long, global = true, value_name = "COLUMNS")]
    pub width: Option<usize>,
}

/// The width text tables fit when the output is not a terminal: a memo's.
const MEMO_WIDTH: usize = 100;

/// When to colour terminal output.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Global {
    /// The language for names, as the library takes it.
    pub fn lang(&self) -> workspace::Lang {
        self.lang.into()
    }

    /// Whether to colour output to a stream (`stream_is_tty`: it is a terminal).
    pub fn color(&self, stream_is_tty: bool) -> bool {
        match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => stream_is_tty && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    /// How text output in `format` is laid out: Markdown, or tables fitted to `--width`, the
    /// terminal or a memo.
    pub fn layout(&self, format: text::Format) -> Layout {
        if format == text::Format::Md {
            return Layout::MARKDOWN;
        }
        let stdout = std::io::stdout();
        let width = self.width.unwrap_or_else(|| {
            let terminal = stdout.is_terminal().then(|| terminal_size::terminal_size_of(&stdout)).flatten();
            terminal.map_or(MEMO_WIDTH, |(w, _)| usize::from(w.0))
        });
        Layout::text((width > 0).then_some(width))
    }

    /// The load options the global flags ask for; fails on a malformed `--as-of`.
    pub fn load_opts(&self) -> Result<LoadOptions> {
        let mut o = LoadOptions::new(&self.workspace);
        o.procedures = self.procedures.clone();
        o.rules = self.rules.clone();
        if !self.no_cache {
            // A cache of its own is pruned to what this workspace uses; a shared one is left alone.
            o.prune_cache = self.cache_dir.is_none() && self.procedures.is_none() && self.rules.is_none();
            o.cache_dir = Some(self.cache_dir.clone().unwrap_or_else(|| self.workspace.join(".paperwork-cache")));
        }
        if let Some(d) = &self.as_of {
            let date = paperwork::load::date(d)
                .with_context(|| format!("`--as-of {d}` is not a date; write YYYY-MM-DD, in a year from 1900 to 2200"))?;
            o.as_of = Some(date);
        }
        Ok(o)
    }

    /// Loads the workspace; on errors prints them and stops with exit 1.
    pub fn load_valid(&self) -> Result<Workspace> {
        let loaded: Loaded = load(&self.load_opts()?);
        if loaded.has_errors() {
            let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            eprint!("{}", diag::render_terminal(&errors, &loaded.sources, self.color(std::io::stderr().is_terminal())));
            eprintln!("the workspace has errors; nothing was analysed (run `paperwork check` for warnings too)");
            return Err(Reported(1).into());
        }
        let (_, warnings) = diag::counts(&loaded.diagnostics);
        if warnings > 0 && !self.quiet {
            eprintln!("note: {} (see `paperwork check`)", paperwork::report::text::count(warnings, "warning"));
        }
        Ok(loaded.workspace)
    }
}

/// An error that has already been reported to the user; exit with the code.
#[derive(Debug)]
pub struct Reported(pub u8);

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "reported")
    }
}

impl std::error::Error for Reported {}

/// The task ids of `--assume`; an unknown name is an error with a suggestion.
pub fn resolve_tasks(ws: &Workspace, names: &[String]) -> Result<Vec<TaskId>> {
    let tasks: Vec<TaskId> = names
        .iter()
        .filter(|n| !n.is_empty())
        .map(|n| {
            ws.task_ids.get(n).ok_or_else(|| {
                let hint = diag::did_you_mean(n, ws.task_ids.names()).map(|h| format!("; {h}")).unwrap_or_default();
                anyhow::anyhow!("unknown task `{n}` in --assume{hint}")
            })
        })
        .collect::<Result<_>>()?;
    let missing = undone_dependencies(ws, &tasks);
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|&t| ws.tasks[t].id.as_str()).collect();
        let all: Vec<&str> = names.iter().copied().chain(tasks.iter().map(|&t| ws.tasks[t].id.as_str())).collect();
        bail!(
            "--assume needs the tasks these depend on, which are not done: {}; assume them too: --assume {}",
            names.join(", "),
            all.join(",")
        );
    }
    Ok(tasks)
}

/// The tasks that `tasks` depend on, directly or not, that are neither done nor among them:
/// a task cannot be done before what it depends on, and assuming it alone would change nothing.
fn undone_dependencies(ws: &Workspace, tasks: &[TaskId]) -> Vec<TaskId> {
    let assumed: std::collections::BTreeSet<TaskId> = tasks.iter().copied().collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut stack: Vec<TaskId> = tasks.to_vec();
    let mut missing = Vec::new();
    while let Some(t) = stack.pop() {
        for &d in &ws.tasks[t].depends_on {
            if seen.insert(d) && ws.tasks[d].status != paperwork::model::TaskStatus::Done {
                if !assumed.contains(&d) {
                    missing.push(d);
                }
                stack.push(d);
            }
        }
    }
    missing.sort_by(|a, b| ws.tasks[*a].id.cmp(&ws.tasks[*b].id));
    missing
}

/// Leaves the large structures of a finished run to the operating system: freeing a
/// 100,000-procedure workspace piece by piece takes about a second, and the process ends next.
pub fn exit_without_freeing<T>(big: T) {
    std::mem::forget(big);
}

/// Streams a report as JSON to standard output.
pub fn emit_json<T: serde::Serialize>(v: &T) -> Result<()> {
    emit_with(|w| text::write_json(w, v))
}

/// Streams what `write` writes to standard output, buffered.
pub fn emit_with(write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>) -> Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut w).and_then(|_| w.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}

/// Writes `text` to standard output.
pub fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("cannot write to standard output"),
    }
}
