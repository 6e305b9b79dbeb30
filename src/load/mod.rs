//! Files → validated [`Workspace`] + diagnostics.
//!
//! Files are found recursively, read in sorted path order, parsed in parallel and merged in
//! path order, so results never depend on the thread count. Every problem of a run is
//! collected; a workspace is still built from what is valid, and callers refuse to analyse it
//! when any error was found.

pub mod cache;

use crate::diag::{Code, Diagnostic, Location, did_you_mean};
use crate::model::{self, Located, Text};
use crate::workspace::*;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
}

impl Loaded {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The parser settings: sized for files of 100,000 procedures, strict about everything else.
pub fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            // About 60 nodes and 80 events per procedure: room for 250,000 procedures a file.
            max_events: 40_000_000,
            max_nodes: 20_000_000,
            max_total_scalar_bytes: 160 << 20,
            // Our deepest legitimate path is 6 levels (procedures/-/documents/-/proves/-).
            max_depth: 32,
            max_documents: 1,
            max_aliases: 100_000,
            max_anchors: 100_000,
            max_recorded_anchor_bytes: 16 << 20,
            max_reader_input_bytes: Some(DEFAULT_MAX_FILE_BYTES as usize),
        },
        alias_limits: alias_limits(),
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
    }
}

fn alias_limits() -> serde_saphyr::options::AliasLimits {
    let mut limits = serde_saphyr::options::AliasLimits::default();
    // A billion-laughs expansion is stopped long before it costs memory.
    limits.max_total_replayed_events = 2_000_000;
    limits.max_replay_stack_depth = 16;
    limits.max_alias_expansions_per_anchor = 10_000;
    limits
}

struct SourceFile {
    display: String,
    text: Option<String>,
}

/// Finds the YAML files below `dir`, sorted by path; loops and unreadable entries are diagnosed.
fn discover(dir: &Path, root: &Path, diags: &mut Vec<Diagnostic>, what: &str) -> Vec<PathBuf> {
    if !dir.is_dir() {
        diags.push(
            Diagnostic::new(
                Code::MissingFolder,
                format!("the workspace has no `{what}/` folder at `{}`", dir.display()),
                Some(Location::file(display_path(dir, root))),
            )
            .help(format!("run from a workspace folder, pass `-C DIR`, or point `--{what} DIR` at the folder holding the {what} files")),
        );
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let p = e.path();
                if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")) {
                    files.push(p.to_path_buf());
                }
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(|p| display_path(p, root)).unwrap_or_else(|| display_path(dir, root));
                let (message, help) = if err.loop_ancestor().is_some() {
                    (format!("symbolic link loop at `{path}`"), "remove the link that points back to its own folder")
                } else {
                    (format!("cannot read `{path}`: {err}"), "check the path exists and is readable")
                };
                diags.push(Diagnostic::new(Code::Io, message, Some(Location::file(path))).help(help));
            }
        }
    }
    files.sort();
    files
}

fn display_path(p: &Path, root: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// A file to read, by its display path; `None` when it must not be read (a diagnostic says why).
type Admitted<'a> = (String, Option<&'a PathBuf>);

/// Checks files against the caps, in path order so that the same file trips the total cap on
/// every run; oversized files are diagnosed without being read.
fn admit<'a>(paths: &'a [PathBuf], opts: &LoadOptions, total: &mut u64, diags: &mut Vec<Diagnostic>) -> Vec<Admitted<'a>> {
    paths
        .iter()
        .map(|p| {
            let display = display_path(p, &opts.root);
            let size = match std::fs::metadata(p) {
                Ok(m) => m.len(),
                Err(e) => {
                    diags.push(Diagnostic::new(Code::Io, format!("cannot read `{display}`: {e}"), Some(Location::file(&display))));
                    return (display, None);
                }
            };
            if size > opts.max_file_bytes {
                diags.push(
                    Diagnostic::new(
                        Code::FileTooLarge,
                        format!("`{display}` is {} MiB, over the {} MiB cap for one file", size >> 20, opts.max_file_bytes >> 20),
                        Some(Location::file(&display)),
                    )
                    .help("split the catalog into several files (any number of files may sit in nested folders)"),
                );
                return (display, None);
            }
            *total += size;
            if *total > opts.max_total_bytes {
                diags.push(
                    Diagnostic::new(
                        Code::FileTooLarge,
                        format!("the workspace exceeds the {} MiB cap for all files together at `{display}`", opts.max_total_bytes >> 20),
                        Some(Location::file(&display)),
                    )
                    .help("analyse the catalog in parts with `--procedures DIR`"),
                );
                return (display, None);
            }
            (display, Some(p))
        })
        .collect()
}

/// Reads and UTF-8 checks one admitted file.
fn read_source((display, p): Admitted<'_>) -> (SourceFile, Option<Diagnostic>) {
    let Some(p) = p else { return (SourceFile { display, text: None }, None) };
    match std::fs::read(p) {
        Ok(bytes) => match decode(bytes, &display) {
            Ok(text) => (SourceFile { display, text: Some(text) }, None),
            Err(d) => (SourceFile { display, text: None }, Some(d)),
        },
        Err(e) => {
            let d = Diagnostic::new(Code::Io, format!("cannot read `{display}`: {e}"), Some(Location::file(&display)));
            (SourceFile { display, text: None }, Some(d))
        }
    }
}

/// Reads admitted files in parallel, results kept in path order.
fn read_files(admitted: Vec<Admitted<'_>>, diags: &mut Vec<Diagnostic>) -> Vec<SourceFile> {
    let read: Vec<(SourceFile, Option<Diagnostic>)> = admitted.into_par_iter().map(read_source).collect();
    read.into_iter()
        .map(|(file, d)| {
            diags.extend(d);
            file
        })
        .collect()
}

/// Bytes → text, naming the first byte that is not UTF-8.
fn decode(mut bytes: Vec<u8>, display: &str) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let before = &bytes[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        Diagnostic::new(
            Code::NotUtf8,
            format!("byte 0x{:02X} at byte offset {at} is not UTF-8", bytes[at]),
            Some(Location::at(display, line as u64, column as u64)),
        )
        .help("save the file as UTF-8 (Vietnamese text in legacy encodings such as TCVN3 or VNI must be converted)")
    })
}

/// Whether a text holds nothing but comments, blank lines and document markers.
fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// Parses one file, turning a parser error into a located diagnostic.
fn parse<T: DeserializeOwned>(text: &str, display: &str, expected: &str) -> Result<T, Diagnostic> {
    if is_blank_yaml(text) {
        return Err(Diagnostic::new(Code::EmptyFile, format!("`{display}` holds no YAML document"), Some(Location::at(display, 1, 1)))
            .help(format!("add {expected}, or delete the file")));
    }
    serde_saphyr::from_str_with_options::<T>(text, yaml_options()).map_err(|e| yaml_diagnostic(&e, display, expected))
}

fn yaml_diagnostic(e: &serde_saphyr::Error, display: &str, expected: &str) -> Diagnostic {
    let raw = e.without_snippet().to_string();
    // The parser's message may end with its own " at line X column Y"; we show the place ourselves.
    let mut message = raw.lines().next().unwrap_or("").trim().to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    if let Some(i) = message.find(", set DuplicateKeyPolicy") {
        message.truncate(i);
    }
    if message.contains("budget breached") {
        message = format!("the file exceeds the parser's safety budget ({})", message.trim_start_matches("budget breached: "));
    }
    let message = message.replace("unknown field", "unknown key").replace("expected one of", "expected one of:");
    let lower = message.to_lowercase();
    let location = e
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| Location::at(display, l.line(), l.column()))
        .or_else(|| Some(Location::at(display, 1, 1)));
    let (code, help) = if lower.contains("unknown key") || lower.contains("unknown variant") {
        let help = if lower.contains("unknown variant") {
            "use one of the values listed above".to_string()
        } else {
            "fix the key's spelling; the keys this entry accepts are listed above".to_string()
        };
        (if lower.contains("unknown key") { Code::UnknownKey } else { Code::WrongType }, help)
    } else if lower.contains("missing field") {
        (Code::MissingKey, "add the key: every entry of this kind needs it".to_string())
    } else if lower.contains("duplicate") && lower.contains("key") {
        (Code::DuplicateKey, "keep one of the two entries".to_string())
    } else if lower.contains("budget")
        || lower.contains("alias")
        || lower.contains("depth")
        || lower.contains("nesting")
        || lower.contains("limit")
        || lower.contains("too large")
    {
        (Code::YamlLimit, "paperwork files need neither deep nesting nor mass alias expansion: write the values out".to_string())
    } else if lower.contains("invalid type")
        || lower.contains("invalid value")
        || lower.contains("invalid floating")
        || lower.contains("invalid integer")
        || lower.contains("invalid boolean")
        || lower.contains("expected") && !lower.contains("while")
    {
        (Code::WrongType, format!("this file should hold {expected}; see `paperwork schema` for every key's type"))
    } else {
        let help = if lower.contains("tab") {
            "indent with spaces: YAML does not allow tabs for indentation".to_string()
        } else {
            "check indentation, quotes and colons near this place".to_string()
        };
        (Code::YamlSyntax, help)
    };
    Diagnostic::new(code, message, location).help(help)
}

fn at(file: &str, t: &Text) -> Location {
    at_span(file, t)
}

fn at_span<T>(file: &str, t: &Located<T>) -> Location {
    Location { file: file.to_string(), line: t.line, column: t.column }
}

/// Id registry of one kind: first definition wins, later ones are duplicates.
struct Registry<T> {
    kind: &'static str,
    ids: Interner,
    /// Where each id is defined: file, line, column. The location is made only for a
    /// diagnostic, since a national catalog registers hundreds of thousands of ids.
    first: Vec<(Arc<str>, u32, u32)>,
    items: Vec<T>,
}

impl<T> Registry<T> {
    fn new(kind: &'static str) -> Self {
        Registry { kind, ids: Interner::default(), first: Vec::new(), items: Vec::new() }
    }

    /// Where the `i`-th registered id is defined.
    fn first(&self, i: usize) -> Location {
        let (file, line, column) = &self.first[i];
        Location { file: file.to_string(), line: *line, column: *column }
    }

    /// Registers `item` under its id (`id_of` reads it); returns false (and diagnoses) when the
    /// id is empty or taken.
    fn add(&mut self, file: &Arc<str>, item: T, id_of: fn(&T) -> &Text, diags: &mut Vec<Diagnostic>) -> bool {
        let id = id_of(&item);
        if let Some(d) = refused_id(self.kind, file, id) {
            diags.push(d);
            return false;
        }
        if let Some(i) = self.ids.get(&id.value) {
            diags.push(duplicate_id(self.kind, at(file, id), self.first(i as usize), &id.value));
            return false;
        }
        self.ids.intern(&id.value);
        self.first.push((file.clone(), id.line, id.column));
        self.items.push(item);
        true
    }
}

/// Why an id cannot be registered at all, if it cannot: it is empty or has surrounding spaces.
fn refused_id(kind: &str, file: &str, id: &Text) -> Option<Diagnostic> {
    (id.value.is_empty() || id.value.trim() != id.value).then(|| {
        Diagnostic::new(Code::EmptyId, format!("{kind} id `{}` is empty or has surrounding spaces", id.value), Some(at(file, id)))
            .help("write the id without leading or trailing spaces")
    })
}

/// A second definition of an id, at `here`; the first is at `first`.
fn duplicate_id(kind: &str, here: Location, first: Location, id: &str) -> Diagnostic {
    Diagnostic::new(Code::DuplicateId, format!("{kind} `{id}` is defined twice"), Some(here))
        .related(first, "first defined here")
        .help(format!("rename one of them or delete the second; {kind} ids are unique across all files"))
}

/// Resolves references of one kind, diagnosing dangling ones with a did-you-mean.
fn resolve(ids: &Interner, kind: &str, file: &str, r: &Text, context: &str, diags: &mut Vec<Diagnostic>) -> Option<u32> {
    resolve_in(ids, kind, file, r, || context.to_string(), diags)
}

/// [`resolve`], with the context written only for a diagnostic: a national catalog resolves
/// millions of references, nearly all of them known.
fn resolve_in(
    ids: &Interner,
    kind: &str,
    file: &str,
    r: &Text,
    context: impl FnOnce() -> String,
    diags: &mut Vec<Diagnostic>,
) -> Option<u32> {
    if let Some(i) = ids.get(&r.value) {
        return Some(i);
    }
    let context = context();
    let help =
        did_you_mean(&r.value, ids.names()).unwrap_or_else(|| format!("define {kind} `{}` under `rules/`, or fix the name", r.value));
    diags.push(Diagnostic::new(Code::UnknownReference, format!("unknown {kind} `{}` in {context}", r.value), Some(at(file, r))).help(help));
    None
}

fn parse_date(file: &str, t: &Text, what: &str, diags: &mut Vec<Diagnostic>) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(t.value.trim(), "%Y-%m-%d") {
        Ok(d) if t.value.trim().len() == 10 => Some(d),
        _ => {
            diags.push(
                Diagnostic::new(Code::InvalidDate, format!("{what} `{}` is not a valid date", t.value), Some(at(file, t)))
                    .help("write dates as YYYY-MM-DD, e.g. 2025-12-31"),
            );
            None
        }
    }
}

fn check_fraction(file: &str, v: &Located<f64>, what: &str, diags: &mut Vec<Diagnostic>) -> Option<f64> {
    if (0.0..=1.0).contains(&v.value) {
        Some(v.value)
    } else {
        diags.push(
            Diagnostic::new(Code::OutOfRange, format!("{what} is {}, outside [0, 1]", v.value), Some(at_span(file, v)))
                .help("quality criteria are fractions: 0.95 means 95%"),
        );
        None
    }
}

fn check_non_negative(file: &str, v: &Located<f64>, what: &str, diags: &mut Vec<Diagnostic>) -> Option<f64> {
    if v.value.is_finite() && v.value >= 0.0 {
        Some(v.value)
    } else {
        diags.push(
            Diagnostic::new(Code::OutOfRange, format!("{what} is {}, but must be zero or more", v.value), Some(at_span(file, v)))
                .help("write a number of zero or more"),
        );
        None
    }
}

fn quality_scores(file: &str, q: &model::Quality, what: &str, diags: &mut Vec<Diagnostic>) -> [Option<f64>; 4] {
    let mut out = [None; 4];
    for (i, (name, v)) in q.criteria().into_iter().enumerate() {
        if let Some(v) = v {
            out[i] = check_fraction(file, v, &format!("{what} `{name}`"), diags);
        }
    }
    out
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
    let rule_sources = read_files(rule_files, &mut diags);

    let cache = opts.cache_dir.as_ref().map(crate::load::cache::Cache::new);
    let cached = std::sync::atomic::AtomicUsize::new(0);
    let rules_read = rule_sources.iter().filter(|s| s.text.is_some()).count();
    let procedures_read = std::sync::atomic::AtomicUsize::new(0);
    // Rules first (a few milliseconds; a tasks file of 1,000 tasks takes 17 ms on one core):
    // every procedure file is then resolved against them as soon as it is parsed, so that its
    // parsed form is freed at once and its memory reused by the next file. A national
    // catalog's parsed files take more memory than the workspace built from them. Each file
    // is read there too, so that a core holds one file's text at a time, not the catalog's.
    let mut rules = Vec::new();
    for (file, r) in parse_all(&rule_sources, cache.as_ref(), &cached, "rules", RULES_EXPECTED) {
        match r {
            Ok(f) => rules.push((file, f)),
            Err(d) => diags.push(d),
        }
    }
    drop(rule_sources);
    let procedure_files = |cx: &ProcContext| -> Vec<Result<Vec<ResolvedProc>, Diagnostic>> {
        proc_files
            .into_par_iter()
            .filter_map(|f| {
                let (s, unread) = read_source(f);
                if let Some(d) = unread {
                    return Some(Err(d));
                }
                let text = s.text?;
                procedures_read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let raw =
                    parse_cached::<model::ProcedureFile>(&text, &s.display, cache.as_ref(), &cached, "procedures", PROCEDURES_EXPECTED);
                drop(text);
                let file: Arc<str> = s.display.into();
                Some(raw.map(|pf| pf.procedures.into_iter().map(|p| resolve_procedure(cx, &file, p)).collect()))
            })
            .collect()
    };
    let mut workspace = build(opts, rules, procedure_files, &mut diags);
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
    Loaded { workspace, diagnostics: diags, parsed, cached }
}

/// What a rules file should hold, for a diagnostic.
const RULES_EXPECTED: &str = "a mapping with `facts`, `documents`, `databases`, `agencies`, `tasks` or `policy`";
/// What a procedures file should hold, for a diagnostic.
const PROCEDURES_EXPECTED: &str = "a mapping with one key `procedures:` holding a list";

/// Parses files in parallel, through the cache when there is one; results stay in path order.
fn parse_all<T: DeserializeOwned + serde::Serialize + Send>(
    sources: &[SourceFile],
    cache: Option<&crate::load::cache::Cache>,
    hits: &std::sync::atomic::AtomicUsize,
    kind: &str,
    expected: &str,
) -> Vec<(String, Result<T, Diagnostic>)> {
    sources
        .par_iter()
        .filter_map(|s| {
            let text = s.text.as_ref()?;
            Some((s.display.clone(), parse_cached(text, &s.display, cache, hits, kind, expected)))
        })
        .collect()
}

/// Parses one file, or takes it from the cache when the cache has it.
fn parse_cached<T: DeserializeOwned + serde::Serialize>(
    text: &str,
    display: &str,
    cache: Option<&crate::load::cache::Cache>,
    hits: &std::sync::atomic::AtomicUsize,
    kind: &str,
    expected: &str,
) -> Result<T, Diagnostic> {
    let key = cache.map(|_| crate::load::cache::Cache::key(kind, text));
    if let (Some(c), Some(k)) = (cache, &key)
        && let Some(v) = c.get::<T>(k)
    {
        hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Ok(v);
    }
    let result = parse::<T>(text, display, expected);
    if let (Some(c), Some(k), Ok(v)) = (cache, &key, &result) {
        c.put(k, v);
    }
    result
}

/// Raw item and its file, waiting for references to resolve.
struct Pending<T> {
    /// Shared by every item of the file.
    file: Arc<str>,
    raw: T,
}

fn build(
    opts: &LoadOptions,
    rules: Vec<(String, model::RulesFile)>,
    procedure_files: impl FnOnce(&ProcContext) -> Vec<Result<Vec<ResolvedProc>, Diagnostic>>,
    diags: &mut Vec<Diagnostic>,
) -> Workspace {
    // 1. Register ids of every kind, in path order.
    let mut facts = Registry::<Pending<model::Fact>>::new("fact");
    let mut docs = Registry::<Pending<model::Document>>::new("document");
    let mut dbs = Registry::<Pending<model::Database>>::new("database");
    let mut agencies = Registry::<Pending<model::Agency>>::new("agency");
    let mut tasks = Registry::<Pending<model::Task>>::new("task");
    let mut policy: Option<(String, Located<model::Policy>)> = None;
    for (file, rf) in rules {
        let file: Arc<str> = file.into();
        for f in rf.facts {
            facts.add(&file, Pending { file: file.clone(), raw: f }, |x| &x.raw.id, diags);
        }
        for d in rf.documents {
            docs.add(&file, Pending { file: file.clone(), raw: d }, |x| &x.raw.id, diags);
        }
        for d in rf.databases {
            dbs.add(&file, Pending { file: file.clone(), raw: d }, |x| &x.raw.id, diags);
        }
        for a in rf.agencies {
            agencies.add(&file, Pending { file: file.clone(), raw: a }, |x| &x.raw.id, diags);
        }
        for t in rf.tasks {
            tasks.add(&file, Pending { file: file.clone(), raw: t }, |x| &x.raw.id, diags);
        }
        if let Some(p) = rf.policy {
            match &policy {
                None => policy = Some((file.to_string(), p)),
                Some((first_file, first)) => diags.push(
                    Diagnostic::new(Code::DuplicatePolicy, "a second `policy` is defined", Some(at_span(&file, &p)))
                        .related(at_span(first_file, first), "first `policy` here")
                        .help("keep one `policy` mapping for the whole workspace"),
                ),
            }
        }
    }

    // 2. Policy first: `as_of` decides merger attribution.
    let mut pol = Policy::default();
    if let Some((file, p)) = &policy {
        let p = &p.value;
        if let Some(d) = &p.as_of
            && let Some(date) = parse_date(file, d, "`policy.as_of`", diags)
        {
            pol.as_of = date;
        }
        if let Some(q) = &p.min_quality {
            let s = quality_scores(file, q, "`policy.min_quality`", diags);
            for (min, stated) in pol.min_quality.iter_mut().zip(s) {
                *min = stated.unwrap_or(0.0);
            }
        }
        if let Some(v) = &p.hourly_value {
            pol.hourly_value = check_non_negative(file, v, "`policy.hourly_value`", diags).unwrap_or(0.0);
        }
        if let Some(c) = &p.currency {
            pol.currency = c.clone();
        }
        if let Some(m) = &p.phase_months {
            if (1..=120).contains(&m.value) {
                pol.phase_months = m.value as u32;
            } else {
                diags.push(
                    Diagnostic::new(
                        Code::OutOfRange,
                        format!("`policy.phase_months` is {}, outside 1..=120", m.value),
                        Some(at_span(file, m)),
                    )
                    .help("a roadmap phase lasts between 1 and 120 months"),
                );
            }
        }
        if let Some(c) = &p.capacity_per_phase {
            match check_non_negative(file, c, "`policy.capacity_per_phase`", diags) {
                Some(v) if v > 0.0 => pol.capacity_per_phase = Some(v),
                Some(_) => diags.push(
                    Diagnostic::new(
                        Code::OutOfRange,
                        "`policy.capacity_per_phase` is 0: no task could ever be scheduled",
                        Some(at_span(file, c)),
                    )
                    .help("remove the key for unlimited capacity, or give a positive effort"),
                ),
                None => {}
            }
        }
    }
    if let Some(d) = opts.as_of {
        pol.as_of = d;
    }

    // 3. Facts.
    let fact_ids = facts.ids.clone();
    let out_facts: Vec<Fact> = facts
        .items
        .iter()
        .enumerate()
        .map(|(i, p)| Fact { id: p.raw.id.value.clone(), name: p.raw.name.clone(), name_en: p.raw.name_en.clone(), at: facts.first(i) })
        .collect();

    // 4. Agencies and mergers.
    let agency_ids = agencies.ids.clone();
    let mut out_agencies = Vec::with_capacity(agencies.items.len());
    for p in &agencies.items {
        let a = &p.raw;
        let ctx = format!("`merged_into` of agency `{}`", a.id.value);
        let merged_into = a.merged_into.as_ref().and_then(|m| resolve(&agency_ids, "agency", &p.file, m, &ctx, diags));
        let merged_on = a.merged_on.as_ref().and_then(|d| parse_date(&p.file, d, "`merged_on`", diags));
        if a.merged_on.is_some() && a.merged_into.is_none() {
            diags.push(
                Diagnostic::new(
                    Code::MissingKey,
                    format!("agency `{}` has `merged_on` but no `merged_into`", a.id.value),
                    Some(at(&p.file, &a.id)),
                )
                .help("name the successor agency in `merged_into`"),
            );
        }
        out_agencies.push(Agency { id: a.id.value.clone(), name: a.name.clone(), name_en: a.name_en.clone(), merged_into, merged_on });
    }
    for start in 0..out_agencies.len() {
        let mut seen = BTreeSet::new();
        let mut cur = start;
        while let Some(next) = out_agencies[cur].merged_into {
            if !seen.insert(cur) {
                break;
            }
            cur = next as usize;
            if cur == start {
                let members: Vec<&str> = seen.iter().map(|&i| out_agencies[i].id.as_str()).collect();
                if members.iter().min() == Some(&out_agencies[start].id.as_str()) {
                    diags.push(
                        Diagnostic::new(
                            Code::MergerCycle,
                            format!("agencies are merged into each other in a cycle: {}", members.join(" → ")),
                            Some(agencies.first(start)),
                        )
                        .help("one agency of the cycle must be the successor and have no `merged_into`"),
                    );
                }
                // Break the cycle so successor walks end.
                out_agencies[start].merged_into = None;
                break;
            }
        }
    }

    // 5. Documents.
    let doc_ids = docs.ids.clone();
    let mut out_docs = Vec::with_capacity(docs.items.len());
    for p in &docs.items {
        let d = &p.raw;
        let ctx = format!("`proves` of document `{}`", d.id.value);
        let proves = fact_set(&fact_ids, &p.file, &d.proves, &ctx, diags);
        let (mut hours, mut cost) = (0.0, 0.0);
        if let Some(b) = &d.burden {
            if let Some(h) = &b.hours {
                hours = check_non_negative(&p.file, h, "`burden.hours`", diags).unwrap_or(0.0);
            }
            if let Some(c) = &b.cost {
                cost = check_non_negative(&p.file, c, "`burden.cost`", diags).unwrap_or(0.0);
            }
        }
        out_docs.push(Document {
            id: d.id.value.clone(),
            name: d.name.clone(),
            name_en: d.name_en.clone(),
            form: d.kind.as_ref().is_some_and(|k| k.value == model::DocumentKind::Form),
            proves,
            hours,
            cost,
            lock: d.lock.as_ref().map(|l| Lock { basis: l.basis.clone(), reason: l.reason.clone() }),
            at: at(&p.file, &d.id),
        });
    }

    // 6. Procedures, resolved file by file as they are parsed (see `load`), then registered
    // in path order: the first definition of an id wins, and a duplicate is dropped with the
    // diagnostics of its own references.
    let db_ids = dbs.ids.clone();
    let cx = ProcContext {
        agency_ids: &agency_ids,
        agencies: &out_agencies,
        as_of: pol.as_of,
        doc_ids: &doc_ids,
        db_ids: &db_ids,
        fact_ids: &fact_ids,
    };
    let files = procedure_files(&cx);
    // Every procedure in path order.
    let mut all: Vec<Option<ResolvedProc>> = Vec::with_capacity(files.iter().map(|f| f.as_ref().map_or(0, Vec::len)).sum());
    for f in files {
        match f {
            Ok(list) => all.extend(list.into_iter().map(Some)),
            Err(d) => diags.push(d),
        }
    }
    // Registered by sorting (id, place in path order) pairs on every core: an empty or padded
    // id is refused, and of the definitions of one id the first wins. The registered ones come
    // out sorted byte-wise by id, so indexes follow output order.
    let mut keys: Vec<(&str, u32)> = all.iter().enumerate().filter_map(|(i, p)| Some((p.as_ref()?.id.value.as_str(), i as u32))).collect();
    keys.par_sort_unstable();
    let mut registered: Vec<u32> = Vec::with_capacity(keys.len());
    for group in keys.chunk_by(|a, b| a.0 == b.0) {
        let first = &all[group[0].1 as usize];
        let Some(first) = first else { continue };
        if refused_id("procedure", &first.file, &first.id).is_some() {
            // The same id for the whole group: every definition is refused.
            diags.extend(
                group.iter().filter_map(|&(_, i)| all[i as usize].as_ref()).filter_map(|p| refused_id("procedure", &p.file, &p.id)),
            );
            continue;
        }
        registered.push(group[0].1);
        for &(_, i) in &group[1..] {
            if let Some(p) = &all[i as usize] {
                diags.push(duplicate_id("procedure", at(&p.file, &p.id), at(&first.file, &first.id), &p.id.value));
            }
        }
    }
    drop(keys);
    if registered.is_empty() && !diags.iter().any(|d| d.code == Code::MissingFolder) {
        diags.push(
            Diagnostic::new(Code::NoProcedures, "the catalog holds no procedure", None)
                .help("add YAML files with a `procedures:` list under `procedures/`"),
        );
    }
    let mut proc_ids = Interner::default();
    let mut sectors = Interner::default();
    for p in registered.iter().filter_map(|&i| all[i as usize].as_ref()) {
        proc_ids.intern(&p.id.value);
        if let Some(s) = &p.sector {
            sectors.intern(&s.value);
        }
    }
    let proc_sectors: BTreeSet<String> = sectors.names().map(str::to_string).collect();

    // 7. Selectors (need agencies, sectors and procedure ids).
    let selector = |file: &str, t: &Text, owner: &str, diags: &mut Vec<Diagnostic>, sectors: &mut Interner| -> Option<Selector> {
        let v = t.value.trim();
        let (kind, arg) = v.split_once(':').map_or((v, ""), |(k, a)| (k.trim(), a.trim()));
        let arg_text = Text { value: arg.to_string(), line: t.line, column: t.column };
        let ctx = format!("`serves` of {owner}");
        let bad = |diags: &mut Vec<Diagnostic>, help: String| {
            diags.push(
                Diagnostic::new(Code::InvalidSelector, format!("selector `{}` in {ctx} is not valid", t.value), Some(at(file, t)))
                    .help(help),
            );
            None
        };
        match kind {
            "all" if arg.is_empty() => Some(Selector::All),
            "level" => match arg {
                "central" => Some(Selector::Level(Level::Central)),
                "province" => Some(Selector::Level(Level::Province)),
                "commune" => Some(Selector::Level(Level::Commune)),
                _ => bad(diags, "levels are `central`, `province` and `commune`".into()),
            },
            "agency" => resolve(&agency_ids, "agency", file, &arg_text, &ctx, diags).map(Selector::Agency),
            "sector" if !arg.is_empty() => {
                if !proc_sectors.contains(arg) {
                    let help = did_you_mean(arg, proc_sectors.iter().map(String::as_str))
                        .unwrap_or_else(|| "no procedure has this sector yet".to_string());
                    diags.push(
                        Diagnostic::new(
                            Code::UnmatchedSelector,
                            format!("selector `{}` in {ctx} matches no procedure", t.value),
                            Some(at(file, t)),
                        )
                        .help(help),
                    );
                }
                Some(Selector::Sector(sectors.intern(arg)))
            }
            "procedure" => resolve(&proc_ids, "procedure", file, &arg_text, &ctx, diags).map(Selector::Procedure),
            _ => {
                let help = did_you_mean(kind, ["all", "level", "agency", "sector", "procedure"]).unwrap_or_else(|| {
                    "write `all`, `level:<central|province|commune>`, `agency:<id>`, `sector:<id>` or `procedure:<id>`".to_string()
                });
                bad(diags, help)
            }
        }
    };
    let warn_merged_selector = |file: &str, t: &Text, sel: &Selector, agencies: &[Agency], diags: &mut Vec<Diagnostic>| {
        if let Selector::Agency(a) = sel {
            merged_warning(file, t, *a, agencies, || "selector".to_string(), pol.as_of, diags);
        }
    };

    // 8. Databases.
    let mut out_dbs = Vec::with_capacity(dbs.items.len());
    for p in &dbs.items {
        let d = &p.raw;
        let owner = format!("database `{}`", d.id.value);
        let custodian =
            d.custodian.as_ref().and_then(|c| resolve(&agency_ids, "agency", &p.file, c, &format!("`custodian` of {owner}"), diags));
        let provides = fact_set(&fact_ids, &p.file, &d.provides, &format!("`provides` of {owner}"), diags);
        let mut serves = Vec::new();
        for s in &d.serves {
            if let Some(sel) = selector(&p.file, s, &owner, diags, &mut sectors) {
                warn_merged_selector(&p.file, s, &sel, &out_agencies, diags);
                serves.push(sel);
            }
        }
        let mut quality = [0.0; 4];
        let mut assessed = [false; 4];
        match &d.quality {
            Some(q) => {
                let s = quality_scores(&p.file, q, &format!("quality of {owner}"), diags);
                for i in 0..4 {
                    assessed[i] = q.criteria()[i].1.is_some();
                    quality[i] = s[i].unwrap_or(0.0);
                }
            }
            None => diags.push(
                Diagnostic::new(
                    Code::UnassessedQuality,
                    format!("{owner} has no quality assessment; every criterion counts 0"),
                    Some(at(&p.file, &d.id)),
                )
                .help("add `quality: { correct: …, sufficient: …, clean: …, live: … }` with the latest assessment"),
            ),
        }
        out_dbs.push(Database {
            id: d.id.value.clone(),
            name: d.name.clone(),
            name_en: d.name_en.clone(),
            custodian,
            status: d.status.value,
            provides,
            serves,
            channel: d.channel.clone(),
            quality,
            assessed,
            at: at(&p.file, &d.id),
        });
    }

    // 9. Tasks.
    let task_ids = tasks.ids.clone();
    let mut out_tasks = Vec::with_capacity(tasks.items.len());
    for p in &tasks.items {
        let t = &p.raw;
        let file = &p.file;
        let owner_ctx = format!("task `{}`", t.id.value);
        let owner = t.owner.as_ref().and_then(|o| resolve(&agency_ids, "agency", file, o, &format!("`owner` of {owner_ctx}"), diags));
        let due = t.due.as_ref().and_then(|d| parse_date(file, d, "`due`", diags));
        let effort = t.effort.as_ref().map_or(Some(1.0), |e| check_non_negative(file, e, "`effort`", diags)).unwrap_or(1.0);
        let mut depends_on: Vec<TaskId> = t
            .depends_on
            .iter()
            .filter_map(|d| resolve(&task_ids, "task", file, d, &format!("`depends_on` of {owner_ctx}"), diags))
            .collect();
        depends_on.sort_unstable();
        depends_on.dedup();
        let mut effects = Vec::new();
        for e in &t.effects {
            let loc = at_span(file, e);
            let e = &e.value;
            let kinds = [e.status.is_some(), e.serves.is_some(), e.provides.is_some(), e.quality.is_some()].iter().filter(|&&b| b).count();
            let valid = match (&e.database, &e.unlock) {
                (Some(_), None) => kinds == 1,
                (None, Some(_)) => kinds == 0,
                _ => false,
            };
            if !valid {
                diags.push(Diagnostic::new(Code::InvalidEffect, format!("an effect of {owner_ctx} is not one change"), Some(loc)).help(
                    "write `{ database: ID, status|serves|provides|quality: … }` with exactly one change, or `{ unlock: DOCUMENT }` alone",
                ));
                continue;
            }
            if let Some(u) = &e.unlock {
                if let Some(d) = resolve(&doc_ids, "document", file, u, &format!("`unlock` of {owner_ctx}"), diags) {
                    effects.push(Effect::Unlock(d));
                }
                continue;
            }
            let Some(db_ref) = &e.database else { continue };
            let Some(db) = resolve(&db_ids, "database", file, db_ref, &format!("an effect of {owner_ctx}"), diags) else {
                continue;
            };
            if let Some(s) = &e.status {
                effects.push(Effect::Status(db, s.value));
            } else if let Some(list) = &e.serves {
                let sels: Vec<Selector> = list
                    .iter()
                    .filter_map(|s| {
                        let sel = selector(file, s, &owner_ctx, diags, &mut sectors)?;
                        warn_merged_selector(file, s, &sel, &out_agencies, diags);
                        Some(sel)
                    })
                    .collect();
                effects.push(Effect::Serves(db, sels));
            } else if let Some(list) = &e.provides {
                let ids: Vec<FactId> =
                    list.iter().filter_map(|f| resolve(&fact_ids, "fact", file, f, &format!("an effect of {owner_ctx}"), diags)).collect();
                effects.push(Effect::Provides(db, ids));
            } else if let Some(q) = &e.quality {
                effects.push(Effect::Quality(db, quality_scores(file, q, &format!("an effect of {owner_ctx}"), diags)));
            }
        }
        out_tasks.push(Task {
            id: t.id.value.clone(),
            title: t.title.clone().unwrap_or_default(),
            owner,
            status: t.status.value,
            due,
            effort,
            depends_on,
            effects,
            at: at(file, &t.id),
        });
    }
    dependency_cycles(&out_tasks, diags);

    // 10. Procedures, in id order, with their sectors.
    let mut out_procs = Vec::with_capacity(registered.len());
    for r in registered.iter().filter_map(|&i| all[i as usize].take()) {
        diags.extend(r.diags);
        if let Some(mut p) = r.procedure {
            p.id = r.id.value;
            p.sector = r.sector.and_then(|s| sectors.get(&s.value));
            out_procs.push(p);
        }
    }
    // Procedures dropped for a dangling agency leave gaps; re-intern so ProcId stays an index.
    if out_procs.len() != proc_ids.len() {
        let mut ids = Interner::default();
        for p in &out_procs {
            ids.intern(&p.id);
        }
        let remap: HashMap<u32, u32> =
            proc_ids.names().enumerate().filter_map(|(old, name)| ids.get(name).map(|new| (old as u32, new))).collect();
        for db in &mut out_dbs {
            db.serves.retain_mut(|s| match s {
                Selector::Procedure(p) => remap.get(p).map(|n| *p = *n).is_some(),
                _ => true,
            });
        }
        for t in &mut out_tasks {
            for e in &mut t.effects {
                if let Effect::Serves(_, sels) = e {
                    sels.retain_mut(|s| match s {
                        Selector::Procedure(p) => remap.get(p).map(|n| *p = *n).is_some(),
                        _ => true,
                    });
                }
            }
        }
        proc_ids = ids;
    }

    let ws = Workspace {
        root: opts.root.clone(),
        fact_ids,
        facts: out_facts,
        doc_ids,
        documents: out_docs,
        db_ids,
        databases: out_dbs,
        agency_ids,
        agencies: out_agencies,
        task_ids,
        tasks: out_tasks,
        sectors,
        procedures: out_procs,
        proc_ids,
        policy: pol,
    };
    done_tasks_reflected(&ws, diags);
    unused(&ws, diags);
    ws
}

/// What resolving a procedure needs from the rules.
struct ProcContext<'a> {
    agency_ids: &'a Interner,
    agencies: &'a [Agency],
    as_of: NaiveDate,
    doc_ids: &'a Interner,
    db_ids: &'a Interner,
    fact_ids: &'a Interner,
}

/// A procedure resolved against the rules, waiting to be registered under its id.
struct ResolvedProc {
    file: Arc<str>,
    id: Text,
    sector: Option<Text>,
    /// None when its agency is unknown.
    procedure: Option<Procedure>,
    /// What resolving it found; dropped with it if its id turns out to be taken.
    diags: Vec<Diagnostic>,
}

/// Resolves one parsed procedure's references. Procedures are independent of each other, so
/// each file's are resolved on the core that parsed it.
fn resolve_procedure(cx: &ProcContext, file: &Arc<str>, r: model::Procedure) -> ResolvedProc {
    let mut diags = Vec::new();
    let diags = &mut diags;
    // Written only for a diagnostic.
    let ctx = || format!("procedure `{}`", r.id.value);
    let agency = resolve_in(cx.agency_ids, "agency", file, &r.agency, || format!("`agency` of {}", ctx()), diags);
    if let Some(a) = agency {
        merged_warning(file, &r.agency, a, cx.agencies, ctx, cx.as_of, diags);
    }
    let annual_volume = match &r.annual_volume {
        None => {
            diags.push(
                Diagnostic::new(
                    Code::MissingVolume,
                    format!("{} has no `annual_volume`; it counts 0 submissions a year", ctx()),
                    Some(at(file, &r.id)),
                )
                .help("add `annual_volume:` with the dossiers per year (an estimate with its basis in a comment is fine)"),
            );
            0
        }
        Some(v) if v.value < 0.0 || !v.value.is_finite() || v.value.fract() != 0.0 => {
            diags.push(
                Diagnostic::new(
                    Code::OutOfRange,
                    format!("`annual_volume` of {} is {}; it must be a whole number of zero or more", ctx(), v.value),
                    Some(at_span(file, v)),
                )
                .help("write the dossiers per year as a whole number"),
            );
            0
        }
        Some(v) => v.value as u64,
    };
    let mut components = Vec::with_capacity(r.documents.len());
    for located in r.documents {
        // Made only for a diagnostic: half a million components are resolved.
        let (line, column) = (located.line, located.column);
        let loc = || Location { file: file.to_string(), line, column };
        let c = located.value;
        let refs: &[Text] = match (&c.document, &c.one_of) {
            (Some(d), None) => std::slice::from_ref(d),
            (None, Some(list)) if list.len() >= 2 => list,
            (None, Some(list)) => {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidComponent,
                        format!(
                            "`one_of` in {} has {} entr{}; alternatives need at least two",
                            ctx(),
                            list.len(),
                            if list.len() == 1 { "y" } else { "ies" }
                        ),
                        Some(loc()),
                    )
                    .help("write a single document as `document: ID`"),
                );
                continue;
            }
            (Some(_), Some(_)) => {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidComponent,
                        format!("a component of {} has both `document` and `one_of`", ctx()),
                        Some(loc()),
                    )
                    .help("list every acceptable document in `one_of`, or keep only `document`"),
                );
                continue;
            }
            (None, None) => {
                diags.push(
                    Diagnostic::new(Code::InvalidComponent, format!("a component of {} names no document", ctx()), Some(loc()))
                        .help("add `document: ID` or `one_of: [ID, ID]`"),
                );
                continue;
            }
        };
        let documents: Vec<DocId> = refs
            .iter()
            .filter_map(|d| resolve_in(cx.doc_ids, "document", file, d, || format!("the documents of {}", ctx()), diags))
            .collect();
        if documents.len() != refs.len() {
            continue;
        }
        let proves = c.proves.as_ref().map(|list| fact_set(cx.fact_ids, file, list, &format!("a component of {}", ctx()), diags));
        components.push(Component { one_of: c.one_of.is_some(), documents, of: c.of, proves, when: c.when, copy: c.copy });
    }
    let produces = r
        .produces
        .iter()
        .filter_map(|d| resolve_in(cx.doc_ids, "document", file, d, || format!("`produces` of {}", ctx()), diags))
        .collect();
    let records_to = r
        .records_to
        .iter()
        .filter_map(|d| resolve_in(cx.db_ids, "database", file, d, || format!("`records_to` of {}", ctx()), diags))
        .collect();
    let at = at(file, &r.id);
    let procedure = agency.map(|agency| Procedure {
        // The id and the sector are set once every file is registered (see `build`).
        id: String::new(),
        name: r.name,
        name_en: r.name_en,
        agency,
        level: r.level.value,
        sector: None,
        life_events: r.life_events,
        annual_volume,
        components,
        produces,
        records_to,
        at,
    });
    ResolvedProc { file: file.clone(), id: r.id, sector: r.sector, procedure, diags: std::mem::take(diags) }
}

/// The set of facts a list names, each checked against the rules.
fn fact_set(fact_ids: &Interner, file: &str, list: &[Text], context: &str, diags: &mut Vec<Diagnostic>) -> FactSet {
    let mut s = FactSet::with_capacity(fact_ids.len());
    for f in list {
        if let Some(i) = resolve(fact_ids, "fact", file, f, context, diags) {
            s.insert(i as usize);
        }
    }
    s
}

fn merged_warning(
    file: &str,
    t: &Text,
    agency: AgencyId,
    agencies: &[Agency],
    context: impl FnOnce() -> String,
    as_of: NaiveDate,
    diags: &mut Vec<Diagnostic>,
) {
    let a = &agencies[agency as usize];
    let Some(next) = a.merged_into else { return };
    // Written only now: nearly every agency named is not merged.
    let context = context();
    let succ = &agencies[next as usize].id;
    let when = a.merged_on.map(|d| format!(" on {d}")).unwrap_or_default();
    let note = match a.merged_on {
        Some(d) if d > as_of => format!("; it answers until then and is attributed to `{succ}` from {d}"),
        _ => format!("; it is attributed to `{succ}`"),
    };
    diags.push(
        Diagnostic::new(
            Code::MergedAgency,
            format!("{context} names agency `{}`, merged into `{succ}`{when}{note}", a.id),
            Some(at(file, t)),
        )
        .help(format!("name `{succ}` once the catalog is updated for the merger")),
    );
}

/// Task dependency cycles, each reported once with every member.
fn dependency_cycles(tasks: &[Task], diags: &mut Vec<Diagnostic>) {
    let mut g = petgraph::graph::DiGraph::<u32, ()>::with_capacity(tasks.len(), 0);
    let nodes: Vec<_> = (0..tasks.len() as u32).map(|i| g.add_node(i)).collect();
    for (i, t) in tasks.iter().enumerate() {
        for &d in &t.depends_on {
            g.add_edge(nodes[i], nodes[d as usize], ());
        }
    }
    for scc in petgraph::algo::tarjan_scc(&g) {
        let self_loop = scc.len() == 1 && tasks[g[scc[0]] as usize].depends_on.contains(&g[scc[0]]);
        if scc.len() > 1 || self_loop {
            let mut members: Vec<u32> = scc.iter().map(|&n| g[n]).collect();
            members.sort_unstable_by(|a, b| tasks[*a as usize].id.cmp(&tasks[*b as usize].id));
            let names: Vec<&str> = members.iter().map(|&m| tasks[m as usize].id.as_str()).collect();
            let mut d = Diagnostic::new(
                Code::DependencyCycle,
                format!("tasks depend on each other in a cycle: {}", names.join(", ")),
                Some(tasks[members[0] as usize].at.clone()),
            )
            .help("remove one `depends_on` entry so that the tasks can be ordered");
            for &m in &members[1..] {
                d = d.related(tasks[m as usize].at.clone(), format!("`{}` is in the cycle", tasks[m as usize].id));
            }
            diags.push(d);
        }
    }
}

/// Warns when a `done` task's effects are not in the databases as written.
fn done_tasks_reflected(ws: &Workspace, diags: &mut Vec<Diagnostic>) {
    for t in ws.tasks.iter().filter(|t| t.status == TaskStatus::Done) {
        for e in &t.effects {
            let missing = match e {
                Effect::Status(d, s) => {
                    let db = &ws.databases[*d as usize];
                    (db.status < *s).then(|| format!("database `{}` is `{:?}`, not `{:?}`", db.id, db.status, s).to_lowercase())
                }
                Effect::Serves(d, sels) => {
                    let db = &ws.databases[*d as usize];
                    sels.iter()
                        .any(|s| !db.serves.contains(s))
                        .then(|| format!("database `{}` does not serve all the selectors it adds", db.id))
                }
                Effect::Provides(d, facts) => {
                    let db = &ws.databases[*d as usize];
                    facts
                        .iter()
                        .find(|&&f| !db.provides.contains(f as usize))
                        .map(|&f| format!("database `{}` does not provide `{}`", db.id, ws.facts[f as usize].id))
                }
                Effect::Quality(d, q) => {
                    let db = &ws.databases[*d as usize];
                    (0..4).find(|&i| q[i].is_some_and(|v| db.quality[i] < v)).map(|i| {
                        format!(
                            "database `{}` has {} {} below the {} the task reached",
                            db.id,
                            CRITERIA[i],
                            db.quality[i],
                            q[i].unwrap_or(0.0)
                        )
                    })
                }
                Effect::Unlock(doc) => {
                    let d = &ws.documents[*doc as usize];
                    d.lock.is_some().then(|| format!("document `{}` is still locked", d.id))
                }
            };
            if let Some(m) = missing {
                diags.push(
                    Diagnostic::new(Code::DoneTaskNotReflected, format!("task `{}` is done, but {m}", t.id), Some(t.at.clone()))
                        .help("update the databases file to the state after the task, or change the task's status"),
                );
            }
        }
    }
}

/// Warns about documents and facts nothing uses.
fn unused(ws: &Workspace, diags: &mut Vec<Diagnostic>) {
    let mut doc_used = vec![false; ws.documents.len()];
    let mut fact_used = ws.fact_set();
    for p in &ws.procedures {
        for c in &p.components {
            for &d in &c.documents {
                doc_used[d as usize] = true;
            }
            if let Some(f) = &c.proves {
                fact_used.union_with(f);
            }
        }
        for &d in &p.produces {
            doc_used[d as usize] = true;
        }
    }
    for t in &ws.tasks {
        for e in &t.effects {
            match e {
                Effect::Unlock(d) => doc_used[*d as usize] = true,
                Effect::Provides(_, facts) => facts.iter().for_each(|&f| fact_used.insert(f as usize)),
                _ => {}
            }
        }
    }
    for d in &ws.documents {
        fact_used.union_with(&d.proves);
    }
    for db in &ws.databases {
        fact_used.union_with(&db.provides);
    }
    for (i, d) in ws.documents.iter().enumerate() {
        if !doc_used[i] {
            diags.push(
                Diagnostic::new(Code::UnusedDocument, format!("document `{}` is named by no procedure", d.id), Some(d.at.clone()))
                    .help("delete it, or add it to the procedures that ask for it"),
            );
        }
    }
    for (i, f) in ws.facts.iter().enumerate() {
        if !fact_used.contains(i) {
            diags.push(
                Diagnostic::new(Code::UnusedFact, format!("fact `{}` is proved, provided and needed by nothing", f.id), Some(f.at.clone()))
                    .help("delete it, or name it in a document's `proves` or a database's `provides`"),
            );
        }
    }
}
