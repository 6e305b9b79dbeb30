//! Diagnostics: findings about the input, as data with a stable code and a place.
//!
//! The library only builds them; [`render_terminal`] and [`render_json`] turn them into text
//! for the binary to print.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be analysed as written.
    Error,
    /// The input works, but probably not as meant.
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $name:literal, $severity:ident, $summary:literal;)*) => {
        /// Every diagnostic kind, with a stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $(#[doc = $summary] $variant,)* }

        impl Code {
            /// All codes, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
            /// The stable code, e.g. `E021`.
            pub fn as_str(self) -> &'static str { match self { $(Code::$variant => $code,)* } }
            /// A short kebab-case name.
            pub fn name(self) -> &'static str { match self { $(Code::$variant => $name,)* } }
            /// Its severity.
            pub fn severity(self) -> Severity { match self { $(Code::$variant => Severity::$severity,)* } }
            /// One line saying what it means.
            pub fn summary(self) -> &'static str { match self { $(Code::$variant => $summary,)* } }
        }
    };
}

codes! {
    Io = "E001", "io-error", Error, "a file or folder could not be read";
    NotUtf8 = "E002", "not-utf8", Error, "a file is not valid UTF-8 text";
    YamlSyntax = "E003", "yaml-syntax", Error, "a file is not well-formed YAML";
    WrongType = "E004", "wrong-type", Error, "a value has the wrong type";
    UnknownKey = "E005", "unknown-key", Error, "a key is not part of the format (typos are never ignored)";
    MissingKey = "E006", "missing-key", Error, "a required key is missing";
    YamlLimit = "E007", "yaml-limit", Error, "a file exceeds the parser's safety limits (aliases, nesting, size)";
    EmptyFile = "E008", "empty-file", Error, "a file holds no YAML document";
    FileTooLarge = "E009", "file-too-large", Error, "a file or the whole workspace is larger than the size cap";
    MissingFolder = "E010", "missing-folder", Error, "the workspace lacks `procedures/` or `rules/`";
    DuplicateKey = "E011", "duplicate-key", Error, "a mapping names the same key twice";
    DuplicateId = "E020", "duplicate-id", Error, "two items of one kind share an id";
    UnknownReference = "E021", "unknown-reference", Error, "a reference names an id that does not exist";
    DependencyCycle = "E022", "dependency-cycle", Error, "tasks depend on each other in a cycle";
    OutOfRange = "E023", "out-of-range", Error, "a number is outside its allowed range";
    InvalidDate = "E024", "invalid-date", Error, "a date is not a valid YYYY-MM-DD date";
    InvalidComponent = "E025", "invalid-component", Error, "a component needs exactly one `document`, or `one_of` with two or more entries";
    DuplicatePolicy = "E026", "duplicate-policy", Error, "more than one rules file holds `policy`";
    InvalidSelector = "E027", "invalid-selector", Error, "a `serves` selector is not one of all, level:, agency:, sector:, procedure:";
    InvalidEffect = "E028", "invalid-effect", Error, "a task effect needs `database` with one change, or `unlock` alone";
    MergerCycle = "E029", "merger-cycle", Error, "agencies are merged into each other in a cycle";
    EmptyId = "E030", "empty-id", Error, "an id is empty, has surrounding spaces or holds a control character";
    MergedAgency = "W101", "merged-agency", Warning, "a procedure or selector names an agency merged into another";
    UnassessedQuality = "W102", "unassessed-quality", Warning, "a database has no quality assessment, so every criterion counts 0";
    MissingVolume = "W103", "missing-volume", Warning, "a procedure has no `annual_volume`, so it counts 0 submissions";
    DoneTaskNotReflected = "W104", "done-task-not-reflected", Warning, "a `done` task's effects do not show in the databases";
    UnusedDocument = "W105", "unused-document", Warning, "a document type is named by no procedure";
    UnusedFact = "W106", "unused-fact", Warning, "a fact is proved, provided and needed by nothing";
    UnmatchedSelector = "W107", "unmatched-selector", Warning, "a `serves` selector matches no procedure";
    NoProcedures = "W108", "no-procedures", Warning, "the catalog holds no procedure";
    ImportIgnored = "W109", "import-ignored", Warning, "a sheet column names no column of the component sheet, or a row has cells under no header: they were not imported";
    RepeatedAlternative = "W110", "repeated-alternative", Warning, "a `one_of` lists the same document more than once";
    ImportConflict = "E040", "import-conflict", Error, "rows of one procedure disagree on a procedure cell, or the procedure is already in the workspace";
    ImportUnknownReference = "E041", "import-unknown-reference", Error, "a sheet cell names a document, fact, agency or database that `rules/` does not define";
    ImportInvalidCell = "E042", "import-invalid-cell", Error, "a sheet cell is empty where a value is needed, or holds a value of the wrong kind";
    ImportHeader = "E043", "import-header", Error, "the sheet lacks a required column, repeats one, or names one misspelt";
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A place in an input file; line and column are 1-based (column in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// The file, as a path relative to the workspace where possible.
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
    /// The offending bytes of the file (offset, length) as recorded when it was parsed; a
    /// length of 0 when unknown.
    #[serde(skip)]
    pub span: (u32, u32),
}

impl Location {
    /// A whole file or folder, no line.
    pub fn file(file: impl Into<String>) -> Self {
        Location { file: file.into(), line: 0, column: 0, span: (0, 0) }
    }

    /// A place in a file.
    pub fn at(file: impl Into<String>, line: u64, column: u64) -> Self {
        let to_u32 = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        Location { file: file.into(), line: to_u32(line), column: to_u32(column), span: (0, 0) }
    }

    /// This place with the bytes it covers (ignored when `len` is 0, unknown).
    pub fn with_span(mut self, offset: u32, len: u32) -> Self {
        self.span = if len > 0 { (offset, len) } else { (0, 0) };
        self
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.file),
            (l, 0) => write!(f, "{}:{l}", self.file),
            (l, c) => write!(f, "{}:{l}:{c}", self.file),
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// Where, when known.
    pub location: Option<Location>,
    /// A likely fix.
    pub help: Option<String>,
    /// Other places that matter (e.g. the first definition of a duplicate id).
    pub related: Vec<Related>,
}

/// A secondary place of a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What is there.
    pub message: String,
}

impl Diagnostic {
    /// A new diagnostic of `code` with its default severity.
    pub fn new(code: Code, message: impl Into<String>, location: Option<Location>) -> Self {
        Diagnostic { code, severity: code.severity(), message: message.into(), location, help: None, related: Vec::new() }
    }

    /// Adds a likely fix.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds an optional likely fix.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Adds a secondary place.
    pub fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related { location, message: message.into() });
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics for output: by file, line, column, code, message.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (&a.location, a.code, &a.message).cmp(&(&b.location, b.code, &b.message)));
}

/// Counts of errors and warnings.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors, diags.len() - errors)
}

/// Suggests the closest known id for a misspelt one.
pub fn did_you_mean<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(wrong, known).map(|c| format!("did you mean `{c}`?"))
}

/// The known id closest to a misspelt one, if any is close enough.
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in known {
        let score = strsim::jaro_winkler(wrong, candidate);
        if score >= 0.85 && best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Above this many names, [`NameIndex`] narrows the candidates of a did-you-mean: comparing a
/// wrong name with every one of ten thousand ids, ten thousand times, took most of a minute.
pub const INDEXED_ABOVE: usize = 1_000;

/// The names of a large set by their three-byte pieces, to find the few that resemble a wrong
/// name before scoring them as [`did_you_mean`] does.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    grams: std::collections::HashMap<[u8; 3], Vec<u32>>,
}

impl NameIndex {
    /// Indexes `names` (positions are their order).
    pub fn new<S: AsRef<str>>(names: impl Iterator<Item = S>) -> Self {
        let mut grams: std::collections::HashMap<[u8; 3], Vec<u32>> = std::collections::HashMap::new();
        for (i, n) in names.enumerate() {
            let mut seen: Vec<[u8; 3]> = n.as_ref().as_bytes().windows(3).map(|w| [w[0], w[1], w[2]]).collect();
            seen.sort_unstable();
            seen.dedup();
            seen.into_iter().for_each(|g| grams.entry(g).or_default().push(i as u32));
        }
        NameIndex { grams }
    }

    /// The positions of the names worth scoring against `wrong`: those sharing the most of its
    /// distinctive pieces (a piece most names have tells nothing), at most 256.
    pub fn candidates(&self, wrong: &str, total: usize) -> Vec<u32> {
        let common = (total / 20).max(64);
        let mut hits: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
        for w in wrong.as_bytes().windows(3) {
            let list = self.grams.get(&[w[0], w[1], w[2]]).filter(|l| l.len() <= common);
            list.into_iter().flatten().for_each(|&i| *hits.entry(i).or_default() += 1);
        }
        let mut ranked: Vec<(u32, u32)> = hits.into_iter().collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(256);
        ranked.into_iter().map(|(i, _)| i).collect()
    }
}

/// The text of the files diagnostics point into, kept from when they were read, by the path
/// the diagnostics name: snippets are cut from what was parsed, never from a second read.
#[derive(Debug, Default, Clone)]
pub struct Sources(BTreeMap<String, String>);

impl Sources {
    /// Keeps the text of `file`.
    pub fn insert(&mut self, file: impl Into<String>, text: String) {
        self.0.insert(file.into(), text);
    }

    /// Keeps only the files that `diags` point into.
    pub fn retain_for(&mut self, diags: &[Diagnostic]) {
        let used: BTreeSet<&str> = diags.iter().filter_map(|d| d.location.as_ref()).map(|l| l.file.as_str()).collect();
        self.0.retain(|f, _| used.contains(f.as_str()));
    }

    /// The text of `file`, if it was kept.
    pub fn get(&self, file: &str) -> Option<&str> {
        self.0.get(file).map(String::as_str)
    }
}

/// A file's text and where its lines start, for snippets.
struct Source<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Source { text, starts }
    }

    /// Line `n` (1-based) without its line break, and the byte offset where it starts.
    fn line(&self, n: u32) -> Option<(usize, &'a str)> {
        let start = *self.starts.get((n as usize).checked_sub(1)?)?;
        let end = self.starts.get(n as usize).map_or(self.text.len(), |e| e - 1);
        let line = self.text.get(start..end)?;
        Some((start, line.strip_suffix('\r').unwrap_or(line))).filter(|_| start < self.text.len())
    }
}

/// Renders diagnostics for a terminal, with a source snippet where the file's text was kept.
pub fn render_terminal(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    use rayon::prelude::*;
    // Each file's lines are indexed once, and diagnostics are rendered in parallel: a national
    // catalog can have thousands of warnings across a hundred files.
    let files: BTreeSet<&str> = diags.iter().filter_map(|d| d.location.as_ref()).filter(|l| l.line > 0).map(|l| l.file.as_str()).collect();
    let lines: BTreeMap<&str, Source<'_>> = files.into_par_iter().filter_map(|f| Some((f, Source::new(sources.get(f)?)))).collect();
    let rendered: Vec<String> = diags.par_iter().map(|d| render_one(d, &lines, color)).collect();
    let mut out = rendered.concat();
    let (errors, warnings) = counts(diags);
    let _ = writeln!(out, "{}", summary_line(errors, warnings));
    out
}

/// How many characters of a line a snippet shows at most.
const WINDOW: usize = 400;

/// How far into a line a snippet's window may start: past it (a line of megabytes) the column
/// shown is where the window starts.
const MAX_PADDING: usize = 100_000;

/// The line a diagnostic points at (at most [`WINDOW`] characters of it, around the place) and
/// the part of it to underline:
/// the bytes recorded at parse time, or the one character at its column.
fn snippet(loc: &Location, source: &Source<'_>) -> Option<(String, std::ops::Range<usize>)> {
    let (line_start, line) = source.line(loc.line)?;
    // A window of the line around the place, so that a very long line (a portal record's
    // names, a minified file) costs little and still shows the right text.
    // The characters before the window become as many spaces: the renderer works the column
    // out from the text, and elides the blank start itself.
    let column = loc.column.saturating_sub(1) as usize;
    let skip = column.saturating_sub(WINDOW / 2).min(MAX_PADDING);
    let line_start = line_start + line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i);
    let mut text = " ".repeat(skip);
    text.extend(line.chars().skip(skip).take(WINDOW));
    let line_start = line_start - skip;
    let at_column = text.char_indices().nth(column).map_or(text.len(), |(i, _)| i);
    let span = Some(loc.span).filter(|&(_, len)| len > 0);
    let start = span.map_or(at_column, |(offset, _)| (offset as usize).saturating_sub(line_start).min(text.len()));
    let one_char = text[start..].chars().next().map_or(0, char::len_utf8);
    let end = span.map_or(start + one_char, |(_, len)| (start + len as usize).min(text.len())).max(start + one_char);
    Some((text, start..end))
}

/// One diagnostic for a terminal, followed by a blank line.
fn render_one(d: &Diagnostic, sources: &BTreeMap<&str, Source<'_>>, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = format!("{} [{}]", d.message, d.code.name());
    let mut elements: Vec<annotate_snippets::Element<'_>> = Vec::new();
    let located = d.location.as_ref().filter(|l| l.line > 0);
    let (line_text, span) = located.and_then(|l| snippet(l, sources.get(l.file.as_str())?)).unwrap_or_default();
    let path_label = d.location.as_ref().map(|l| l.to_string()).unwrap_or_default();
    if located.is_some() && !line_text.is_empty() {
        elements.push(
            Snippet::source(line_text.as_str())
                .line_start(located.map_or(1, |l| l.line as usize))
                .path(located.map_or("", |l| l.file.as_str()))
                .annotation(AnnotationKind::Primary.span(span.clone()))
                .into(),
        );
    } else if !path_label.is_empty() {
        elements.push(annotate_snippets::Origin::path(path_label.as_str()).into());
    }
    let related: Vec<String> = d.related.iter().map(|r| format!("{}: {}", r.location, r.message)).collect();
    for r in &related {
        elements.push(Level::NOTE.message(r.as_str()).into());
    }
    if let Some(help) = &d.help {
        elements.push(Level::HELP.message(help.as_str()).into());
    }
    let group = level.primary_title(title.as_str()).id(d.code.as_str()).elements(elements);
    let report: [Group<'_>; 1] = [group];
    format!("{}\n\n", renderer.render(&report))
}

/// Diagnostics counted by code, one line a code: how many, what the code means, and where the
/// first one is; for a workspace with hundreds of the same warning.
pub fn render_summary(diags: &[Diagnostic]) -> String {
    let mut by_code: BTreeMap<Code, (usize, Option<&Location>)> = BTreeMap::new();
    for d in diags {
        let e = by_code.entry(d.code).or_insert((0, d.location.as_ref()));
        e.0 += 1;
    }
    let mut out = String::new();
    for (code, (n, first)) in by_code {
        let severity = if code.severity() == Severity::Error { "error" } else { "warning" };
        let at = first.map(|l| format!(" (first at {l})")).unwrap_or_default();
        let _ = writeln!(out, "{n:>6} {severity}[{}] {}: {}{at}", code.as_str(), code.name(), code.summary());
    }
    let (errors, warnings) = counts(diags);
    let _ = writeln!(out, "{}", summary_line(errors, warnings));
    out
}

/// "2 errors, 1 warning" or "no problems found".
pub fn summary_line(errors: usize, warnings: usize) -> String {
    if errors == 0 && warnings == 0 {
        return "no problems found".to_string();
    }
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

/// Renders diagnostics as a JSON document.
pub fn render_json(diags: &[Diagnostic]) -> String {
    let (errors, warnings) = counts(diags);
    let doc = serde_json::json!({
        "schema_version": 1,
        "errors": errors,
        "warnings": warnings,
        "diagnostics": diags,
    });
    serde_json::to_string_pretty(&doc).expect("diagnostics serialize") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_line_is_cut_at_its_break() {
        let src = Source::new("first\r\nsecond\nthird");
        assert_eq!(src.line(1), Some((0, "first")), "CRLF is cut");
        assert_eq!(src.line(2), Some((7, "second")));
        assert_eq!(src.line(3), Some((14, "third")), "the last line needs no break");
        assert_eq!(src.line(4), None, "past the end");
        assert_eq!(src.line(0), None, "lines are 1-based");
        let src = Source::new("only\n");
        assert_eq!((src.line(1), src.line(2)), (Some((0, "only")), None), "nothing after the final break");
    }

    #[test]
    fn the_underline_is_the_recorded_span_else_one_character() {
        let text = "a: 1\n  - document: \"id crd\" # note\n";
        let src = Source::new(text);
        let offset = text.find('"').unwrap() as u32;
        let at = Location::at("f.yaml", 2, 15).with_span(offset, 8);
        let (line, span) = snippet(&at, &src).unwrap();
        assert_eq!(&line[span], "\"id crd\"", "a quoted value with a space, exactly as written");
        let (line, span) = snippet(&Location::at("f.yaml", 2, 5), &src).unwrap();
        assert_eq!(&line[span], "d", "no span: the character at the column");
        let past = Location::at("f.yaml", 1, 4).with_span(3, 40);
        let (line, span) = snippet(&past, &src).unwrap();
        assert_eq!(&line[span], "1", "a span past its line is cut at the line's end");
    }
}
