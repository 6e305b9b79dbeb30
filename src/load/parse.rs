//! YAML → the file model, with the parser's budget, through the parse cache.

use super::DEFAULT_MAX_FILE_BYTES;
use super::cache::Cache;
use super::read::SourceFile;
use crate::diag::{Code, Diagnostic, Location};
use crate::model::Located;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// Alias expansion limits that stop a billion-laughs file early.
fn alias_limits() -> serde_saphyr::options::AliasLimits {
    let mut limits = serde_saphyr::options::AliasLimits::default();
    // A billion-laughs expansion is stopped long before it costs memory.
    limits.max_total_replayed_events = 2_000_000;
    limits.max_replay_stack_depth = 16;
    limits.max_alias_expansions_per_anchor = 10_000;
    limits
}

/// Whether a text holds nothing but comments, blank lines and document markers.
fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// What parsing one file gave: its content when it could be read, and its problems. A file
/// whose only problems are unknown keys is read without them, so that its values and references
/// are checked in the same run.
pub(super) struct Parsed<T> {
    /// The file's content, unless a problem other than unknown keys stopped the parse.
    pub value: Option<T>,
    /// Every problem found, errors all.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one file, turning a parser error into a located diagnostic.
///
/// The file types refuse unknown keys, and the parse stops at the first problem. Then every
/// unknown key is found with its place (`keys::unknown_keys`), each an error of its own, and the
/// file is parsed again with those entries blanked out (`keys::without`, which keeps every other
/// byte where it was). With `by_item` (procedure files), an entry of a list that still does not
/// read (a wrong value, a missing key) is reported and blanked in turn, up to
/// [`MAX_LEFT_OUT`] of them, so that one bad procedure does not hide the next nor the checks of
/// the others. A file without problems, nearly every file, is parsed once.
fn parse<T: DeserializeOwned + schemars::JsonSchema>(text: &str, display: &str, expected: &str, by_item: bool) -> Parsed<T> {
    if is_blank_yaml(text) {
        let d = Diagnostic::new(Code::EmptyFile, format!("`{display}` holds no YAML document"), Some(Location::at(display, 1, 1)))
            .help(format!("add {expected}, or delete the file"));
        return Parsed { value: None, diagnostics: vec![d] };
    }
    let first = match serde_saphyr::from_str_with_options::<T>(text, yaml_options()) {
        Ok(v) => return Parsed { value: Some(v), diagnostics: Vec::new() },
        Err(e) => yaml_diagnostic(&e, display, expected),
    };
    // A parse that stopped elsewhere may not have reached the unknown keys: look for them too.
    let schema = crate::schema::schema_for::<T>();
    let unknown = super::keys::unknown_keys(text, &schema);
    let mut diagnostics = Vec::with_capacity(unknown.len() + 1);
    let mut meant = Vec::new();
    for (key, allowed) in &unknown {
        let (d, m) = unknown_key(key, allowed, display);
        diagnostics.push(d);
        meant.extend(m);
    }
    let keys: Vec<&Located<String>> = unknown.iter().map(|(k, _)| k).collect();
    let mut current = if keys.is_empty() { text.to_string() } else { super::keys::without(text, &keys) };
    // Without unknown keys the first parse already read `current`.
    let mut pending = keys.is_empty().then_some(first);
    let items = if by_item { super::keys::list_items(&current) } else { Vec::new() };
    let mut left_out = 0;
    loop {
        let d = match pending.take() {
            Some(d) => d,
            None => match serde_saphyr::from_str_with_options::<T>(&current, yaml_options()) {
                Ok(v) => return Parsed { value: Some(v), diagnostics },
                Err(e) => yaml_diagnostic(&e, display, expected),
            },
        };
        // An unknown key left after the blanking is one of those found above; "missing key
        // `documents`" beside "unknown key `documnets`; did you mean `documents`?" says nothing new.
        let key = d.message.split('`').nth(1).unwrap_or_default();
        let explained = (!keys.is_empty() && d.code == Code::UnknownKey) || (d.code == Code::MissingKey && meant.iter().any(|m| m == key));
        let line = d.location.as_ref().map_or(0, |l| l.line);
        if !explained {
            diagnostics.push(d);
        }
        let at = super::keys::line_offset(&current, line);
        let Some(item) = items.iter().find(|r| at.is_some_and(|a| r.contains(&a))) else { break };
        left_out += 1;
        // Each try parses the whole file again: a large file gets fewer of them.
        let tries = MAX_LEFT_OUT.min((MAX_REPARSED_BYTES / current.len().max(1)).max(1));
        if left_out > tries || items.len() == left_out {
            break;
        }
        super::keys::blank(&mut current, item.clone());
    }
    Parsed { value: None, diagnostics }
}

/// How many bad entries of one file are reported and left out before the rest of the file is
/// given up: a file that bad is better fixed from the first errors.
const MAX_LEFT_OUT: usize = 100;

/// How many bytes the tries of one file may parse again in all: a 100 MB file gets five.
const MAX_REPARSED_BYTES: usize = 512 << 20;

/// The error for one unknown key, at its place, with the keys allowed there, and the key it
/// most likely meant.
fn unknown_key(key: &Located<String>, allowed: &[String], display: &str) -> (Diagnostic, Option<String>) {
    let listed = allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let meant = crate::diag::closest(&key.value, allowed.iter().map(String::as_str)).map(str::to_string);
    let hint = meant.as_ref().map(|m| format!("did you mean `{m}`? ")).unwrap_or_default();
    let at = Location::at(display, key.line.into(), key.column.into()).with_span(key.offset, key.len);
    let d = Diagnostic::new(Code::UnknownKey, format!("unknown key `{}`, expected one of: {listed}", key.value), Some(at))
        .help(format!("{hint}fix the key's spelling; the keys this entry accepts are listed above"));
    (d, meant)
}

/// A parser error as a located diagnostic with a likely fix.
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
        .map(|l| {
            let span = l.span();
            let (offset, len) = span.byte_offset().zip(span.byte_len()).unwrap_or((0, 0));
            Location::at(display, l.line(), l.column())
                .with_span(u32::try_from(offset).unwrap_or(u32::MAX), u32::try_from(len).unwrap_or(0))
        })
        .or_else(|| Some(Location::at(display, 1, 1)));
    let (code, help) = if lower.contains("unknown key") || lower.contains("unknown variant") {
        let help = if lower.contains("unknown variant") {
            // "unknown variant `photocopy`, expected one of: original, copy, …"
            let wrong = message.split('`').nth(1).unwrap_or_default();
            let listed = message.split_once("expected one of:").map_or("", |(_, l)| l);
            let values = listed.split(',').map(|v| v.trim().trim_matches('`'));
            match crate::diag::closest(wrong, values) {
                Some(v) => format!("did you mean `{v}`? use one of the values listed above"),
                None => "use one of the values listed above".to_string(),
            }
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

/// What a rules file should hold, for a diagnostic.
pub(super) const RULES_EXPECTED: &str = "a mapping with `facts`, `documents`, `databases`, `agencies`, `tasks`, `sectors` or `policy`";
/// What a procedures file should hold, for a diagnostic.
pub(super) const PROCEDURES_EXPECTED: &str = "a mapping with one key `procedures:` holding a list";

/// Parses files in parallel, through the cache when there is one; results stay in path order.
pub(super) fn parse_all<T: DeserializeOwned + serde::Serialize + schemars::JsonSchema + Send>(
    sources: &[SourceFile],
    cache: Option<&Cache>,
    hits: &AtomicUsize,
    kind: &str,
    expected: &str,
) -> Vec<(String, Parsed<T>)> {
    sources
        .par_iter()
        .filter_map(|s| {
            let text = s.text.as_ref()?;
            Some((s.display.clone(), parse_cached(text, &s.display, cache, hits, kind, expected)))
        })
        .collect()
}

/// Parses one file, or takes it from the cache when the cache has it.
pub(super) fn parse_cached<T: DeserializeOwned + serde::Serialize + schemars::JsonSchema>(
    text: &str,
    display: &str,
    cache: Option<&Cache>,
    hits: &AtomicUsize,
    kind: &str,
    expected: &str,
) -> Parsed<T> {
    let key = cache.map(|_| Cache::key(kind, text));
    if let (Some(c), Some(k)) = (cache, &key)
        && let Some(v) = c.get::<T>(k)
    {
        hits.fetch_add(1, Ordering::Relaxed);
        return Parsed { value: Some(v), diagnostics: Vec::new() };
    }
    let parsed = parse::<T>(text, display, expected, kind == "procedures");
    // A file with problems is not cached: the next run must find them again.
    if let (Some(c), Some(k), Some(v), true) = (cache, &key, &parsed.value, parsed.diagnostics.is_empty()) {
        c.put(k, v);
    }
    parsed
}
