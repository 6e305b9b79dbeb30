//! Files → validated [`Workspace`] + diagnostics.
//!
//! Files are found recursively, read in sorted path order, parsed in parallel and merged in
//! path order, so results never depend on the thread count. Every problem of a run is
//! collected; a workspace is still built from what is valid, and callers refuse to analyse it
//! when any error was found.

pub mod cache;
mod keys;
mod parse;
mod read;
mod validate;

pub use parse::yaml_options;
pub(crate) use validate::procedures::MAX_VOLUME;

use crate::diag::{Code, Diagnostic};
use crate::model;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use parse::{PROCEDURES_EXPECTED, RULES_EXPECTED, parse_all, parse_cached};
use rayon::prelude::*;
use read::{admit, discover, read_files, read_source};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use validate::Context;
use validate::procedures::{self, ResolvedProc};

/// Largest single file read (a catalog of 100,000 procedures is about 60 MB).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 128 << 20;
/// Largest workspace read, all files together.
pub const DEFAULT_MAX_TOTAL_BYTES: u64 = 1 << 30;

/// Where and how to read a workspace.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Workspace folder.
    pub root: PathBuf,
    /// Override of `<root>/procedures`.
    pub procedures: Option<PathBuf>,
    /// Override of `<root>/rules`.
    pub rules: Option<PathBuf>,
    /// Override of `policy.as_of`.
    pub as_of: Option<NaiveDate>,
    /// Size cap per file.
    pub max_file_bytes: u64,
    /// Size cap for all files together.
    pub max_total_bytes: u64,
    /// Parse cache folder (None: no cache).
    pub cache_dir: Option<PathBuf>,
    /// Remove cache entries this run did not use (for a cache that belongs to this workspace).
    pub prune_cache: bool,
}

impl LoadOptions {
    /// Defaults for a workspace folder.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LoadOptions {
            root: root.into(),
            procedures: None,
            rules: None,
            as_of: None,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_total_bytes: DEFAULT_MAX_TOTAL_BYTES,
            cache_dir: None,
            prune_cache: false,
        }
    }

    /// The procedures folder: the override, or `<root>/procedures`.
    pub fn procedures_dir(&self) -> PathBuf {
        self.procedures.clone().unwrap_or_else(|| self.root.join("procedures"))
    }

    /// The rules folder: the override, or `<root>/rules`.
    pub fn rules_dir(&self) -> PathBuf {
        self.rules.clone().unwrap_or_else(|| self.root.join("rules"))
    }
}

/// What loading produced.
#[derive(Debug)]
pub struct Loaded {
    /// The workspace built from everything valid.
    pub workspace: Workspace,
    /// Every problem found, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Files parsed in this run.
    pub parsed: usize,
    /// Files taken from the parse cache.
    pub cached: usize,
    /// The text of every file a diagnostic points into, for snippets.
    pub sources: crate::diag::Sources,
}

impl Loaded {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// A date as the files and the command line write it: `YYYY-MM-DD`, in a year from 1900 to 2200
/// (a year outside is a typo, and would put phases and deadlines centuries away).
pub fn date(text: &str) -> Option<chrono::NaiveDate> {
    use chrono::Datelike;
    let t = text.trim();
    let d = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()?;
    (t.len() == 10 && (1900..=2200).contains(&d.year())).then_some(d)
}

/// Loads and validates a workspace.
pub fn load(opts: &LoadOptions) -> Loaded {
    let mut diags = Vec::new();
    let proc_dir = opts.procedures_dir();
    let rules_dir = opts.rules_dir();
    let proc_paths = discover(&proc_dir, &opts.root, &mut diags, "procedures");
    let rule_paths = discover(&rules_dir, &opts.root, &mut diags, "rules");
    let mut total = 0;
    let rule_files = admit(&rule_paths, opts, &mut total, &mut diags);
    let proc_files = admit(&proc_paths, opts, &mut total, &mut diags);
    let rule_sources = read_files(rule_files, opts.max_file_bytes, &mut diags);

    let cache = opts.cache_dir.as_ref().map(cache::Cache::new);
    let cached = AtomicUsize::new(0);
    let rules_read = rule_sources.iter().filter(|s| s.text.is_some()).count();
    let procedures_read = AtomicUsize::new(0);
    // Rules first (a few milliseconds; a tasks file of 1,000 tasks takes 17 ms on one core):
    // every procedure file is then resolved against them as soon as it is parsed, so that its
    // parsed form is freed at once and its memory reused by the next file. A national
    // catalog's parsed files take more memory than the workspace built from them. Each file
    // is read there too, so that a core holds one file's text at a time, not the catalog's.
    let mut rules = Vec::new();
    for (file, parsed) in parse_all(&rule_sources, cache.as_ref(), &cached, "rules", RULES_EXPECTED) {
        diags.extend(parsed.diagnostics);
        rules.extend(parsed.value.map(|f| (file, f)));
    }
    // Texts are kept for the snippets of diagnostics found later, then only those are kept.
    let texts = std::sync::Mutex::new(Vec::new());
    texts.lock().expect("not poisoned").extend(rule_sources.into_iter().filter_map(|s| Some((s.display, s.text?))));
    let procedure_files = |cx: &Context| -> Vec<(Vec<ResolvedProc>, Vec<Diagnostic>)> {
        proc_files
            .into_par_iter()
            .filter_map(|f| {
                let (s, unread) = read_source(f, opts.max_file_bytes);
                if let Some(d) = unread {
                    return Some((Vec::new(), vec![d]));
                }
                let text = s.text?;
                procedures_read.fetch_add(1, Ordering::Relaxed);
                let raw =
                    parse_cached::<model::ProcedureFile>(&text, &s.display, cache.as_ref(), &cached, "procedures", PROCEDURES_EXPECTED);
                let file: Arc<str> = s.display.as_str().into();
                texts.lock().expect("not poisoned").push((s.display, text));
                let resolved =
                    raw.value.map_or_else(Vec::new, |pf| pf.procedures.into_iter().map(|p| procedures::resolve(cx, &file, p)).collect());
                Some((resolved, raw.diagnostics))
            })
            .collect()
    };
    let mut workspace = validate::build(&opts.root, opts.as_of, rules, procedure_files, &mut diags);
    let cached = cached.into_inner();
    let parsed = rules_read + procedures_read.into_inner() - cached;
    if diags.iter().any(Diagnostic::is_error) {
        // With a file unread, "unused" and "empty catalog" findings would be noise.
        diags.retain(|d| !matches!(d.code, Code::UnusedDocument | Code::UnusedFact | Code::NoProcedures | Code::UnmatchedSelector));
    }
    workspace.root = opts.root.clone();
    crate::diag::sort(&mut diags);
    if let Some(c) = &cache
        && opts.prune_cache
        && !diags.iter().any(Diagnostic::is_error)
    {
        c.prune();
    }
    let mut sources = crate::diag::Sources::default();
    for (file, text) in texts.into_inner().expect("not poisoned") {
        sources.insert(file, text);
    }
    sources.retain_for(&diags);
    Loaded { workspace, diagnostics: diags, parsed, cached, sources }
}
