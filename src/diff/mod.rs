//! Before/after comparison of two catalogs (SPEC §7 `diff`): procedures matched by id,
//! components matched by document, totals by agency and sector.
//!
//! A side is a workspace folder (loaded and analysed) or a JSON file written by
//! `analyze --format json`. Both become an [`AnalysisReport`]; the comparison works on those.

use crate::diag::Diagnostic;
use crate::engine::classify::Status;
use crate::engine::{AnalyzeOptions, SCHEMA_VERSION};
use crate::load::{LoadOptions, load};
use crate::pipeline;
use crate::report::text::{pct, right, table, thousands};
use crate::report::{AnalysisReport, ComponentReport, ProcedureReport, ProcedureRow, analysis_report};
use crate::workspace::{Lang, Workspace};
use chrono::NaiveDate;
use comfy_table::{Cell, Table};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Largest JSON side read (an analysis of 100,000 procedures is far below this).
pub const MAX_JSON_BYTES: u64 = 1 << 30;

/// Why a side could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The path does not exist or cannot be read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The side's path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A workspace side has errors; they are in `diagnostics`.
    #[error("the workspace `{}` has errors; nothing was compared (run `paperwork -C {} check`)", path.display(), path.display())]
    Workspace {
        /// The workspace folder.
        path: PathBuf,
        /// Every diagnostic of the load (errors and warnings).
        diagnostics: Vec<Diagnostic>,
        /// The text of the files they point into.
        sources: crate::diag::Sources,
    },
    /// A JSON side is not an analysis written by `analyze --format json`.
    #[error("`{path}` is not a paperwork analysis (written by `paperwork analyze --format json`): {message}")]
    NotAnalysis {
        /// The side's path.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The two sides were written with different output schema versions.
    #[error(
        "the two sides have different schema versions: `{old_path}` is version {old}, `{new_path}` is version {new}; \
         re-run `paperwork analyze --format json` on both catalogs with the same paperwork version"
    )]
    SchemaMismatch {
        /// Old side.
        old_path: PathBuf,
        /// Its version.
        old: u64,
        /// New side.
        new_path: PathBuf,
        /// Its version.
        new: u64,
    },
    /// Both sides agree on a version this paperwork cannot read.
    #[error("`{path}` has schema version {version}; this paperwork reads version {SCHEMA_VERSION}")]
    UnsupportedSchema {
        /// The side's path.
        path: PathBuf,
        /// Its version.
        version: u64,
    },
}

impl DiffError {
    /// Whether the input is at fault (exit 1) rather than the file system (exit 2).
    pub fn is_invalid_input(&self) -> bool {
        !matches!(self, DiffError::Io { .. })
    }
}

/// One side before full parsing: a report already built, or JSON awaiting its version check.
enum Raw {
    Report(Box<AnalysisReport<'static>>),
    Json(serde_json::Value),
}

/// Warnings from loading a workspace side, kept for the caller to show.
#[derive(Debug, Default)]
pub struct SideWarnings {
    /// The side's path.
    pub path: PathBuf,
    /// Warnings only.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads one side: a folder is loaded and analysed, `-` is JSON from standard input, any
/// other path a JSON file.
fn read_raw(path: &Path, as_of: Option<NaiveDate>, warnings: &mut Vec<SideWarnings>) -> Result<Raw, DiffError> {
    let io = |source| DiffError::Io { path: path.to_path_buf(), source };
    if path == Path::new("-") {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut s).map_err(io)?;
        return parse_json(path, &s);
    }
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        let mut opts = LoadOptions::new(path);
        opts.as_of = as_of;
        let loaded = load(&opts);
        if loaded.has_errors() {
            return Err(DiffError::Workspace { path: path.to_path_buf(), diagnostics: loaded.diagnostics, sources: loaded.sources });
        }
        warnings.push(SideWarnings { path: path.to_path_buf(), diagnostics: loaded.diagnostics });
        let out = pipeline::run(&loaded.workspace, &AnalyzeOptions::default());
        return Ok(Raw::Report(Box::new(analysis_report(&loaded.workspace, &out.analysis, out.findings).into_owned())));
    }
    if meta.len() > MAX_JSON_BYTES {
        return Err(DiffError::NotAnalysis {
            path: path.to_path_buf(),
            message: format!("the file is {} bytes, larger than the limit", meta.len()),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let text = String::from_utf8(bytes)
        .map_err(|e| DiffError::NotAnalysis { path: path.to_path_buf(), message: format!("not UTF-8 text ({e})") })?;
    parse_json(path, &text)
}

fn parse_json(path: &Path, text: &str) -> Result<Raw, DiffError> {
    let v: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| DiffError::NotAnalysis { path: path.to_path_buf(), message: format!("invalid JSON: {e}") })?;
    Ok(Raw::Json(v))
}

fn version(path: &Path, raw: &Raw) -> Result<u64, DiffError> {
    match raw {
        Raw::Report(r) => Ok(u64::from(r.schema_version)),
        Raw::Json(v) => v.get("schema_version").and_then(serde_json::Value::as_u64).ok_or_else(|| DiffError::NotAnalysis {
            path: path.to_path_buf(),
            message: "no `schema_version` number at the top level".into(),
        }),
    }
}

fn finish(path: &Path, raw: Raw) -> Result<AnalysisReport<'static>, DiffError> {
    match raw {
        Raw::Report(r) => Ok(*r),
        Raw::Json(v) => {
            if v.get("procedures").is_none() || v.get("totals").is_none() {
                let hint = if v.get("steps").is_some() { " (this looks like `roadmap --format json`)" } else { "" };
                return Err(DiffError::NotAnalysis { path: path.to_path_buf(), message: format!("no `procedures` and `totals`{hint}") });
            }
            serde_json::from_value(v).map_err(|e| DiffError::NotAnalysis { path: path.to_path_buf(), message: e.to_string() })
        }
    }
}

/// Both sides read and checked to share one schema version.
#[derive(Debug)]
pub struct Sides {
    /// The old analysis.
    pub old: AnalysisReport<'static>,
    /// The new analysis.
    pub new: AnalysisReport<'static>,
    /// Warnings from workspace sides.
    pub warnings: Vec<SideWarnings>,
}

/// Reads both sides; `as_of` overrides `policy.as_of` of workspace sides.
pub fn read_sides(old: &Path, new: &Path, as_of: Option<NaiveDate>) -> Result<Sides, DiffError> {
    let mut warnings = Vec::new();
    let raw_old = read_raw(old, as_of, &mut warnings)?;
    let raw_new = read_raw(new, as_of, &mut warnings)?;
    let (vo, vn) = (version(old, &raw_old)?, version(new, &raw_new)?);
    if vo != vn {
        return Err(DiffError::SchemaMismatch { old_path: old.to_path_buf(), old: vo, new_path: new.to_path_buf(), new: vn });
    }
    if vo != u64::from(SCHEMA_VERSION) {
        return Err(DiffError::UnsupportedSchema { path: old.to_path_buf(), version: vo });
    }
    for w in &mut warnings {
        w.diagnostics.retain(|d| !d.is_error());
    }
    Ok(Sides { old: finish(old, raw_old)?, new: finish(new, raw_new)?, warnings })
}

/// An integer before and after.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Old value.
    pub old: u64,
    /// New value.
    pub new: u64,
    /// New minus old.
    pub delta: i64,
}

impl Change {
    /// A change from `old` to `new`.
    pub fn new(old: u64, new: u64) -> Self {
        let delta = if new >= old {
            i64::try_from(new - old).unwrap_or(i64::MAX)
        } else {
            i64::try_from(old - new).map(|d| -d).unwrap_or(i64::MIN)
        };
        Change { old, new, delta }
    }
    /// Whether the value moved.
    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// How the documents and submissions of a set of procedures changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Procedures.
    pub procedures: Change,
    /// Components asked for today.
    pub documents_before: Change,
    /// Components still asked for once lookups are used.
    pub documents_after_now: Change,
    /// Components still asked for after the roadmap.
    pub documents_after_roadmap: Change,
    /// Submissions per year today.
    pub submissions_before: Change,
    /// Submissions per year once lookups are used.
    pub submissions_after_now: Change,
    /// Submissions per year after the roadmap.
    pub submissions_after_roadmap: Change,
}

impl Figures {
    fn changed(&self) -> bool {
        [
            self.procedures,
            self.documents_before,
            self.documents_after_now,
            self.documents_after_roadmap,
            self.submissions_before,
            self.submissions_after_now,
            self.submissions_after_roadmap,
        ]
        .iter()
        .any(Change::changed)
    }
}

/// What one side's procedures add up to.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    procedures: u64,
    figures: crate::engine::figures::Figures,
}

impl Sums {
    fn add(&mut self, p: &ProcedureReport) {
        self.procedures = self.procedures.saturating_add(1);
        self.figures += &p.figures();
    }

    fn figures(old: Sums, new: Sums) -> Figures {
        let [db, dn, dr] = [0, 1, 2].map(|i| Change::new(old.figures.documents()[i], new.figures.documents()[i]));
        let [sb, sn, sr] = [0, 1, 2].map(|i| Change::new(old.figures.submissions()[i], new.figures.submissions()[i]));
        Figures {
            procedures: Change::new(old.procedures, new.procedures),
            documents_before: db,
            documents_after_now: dn,
            documents_after_roadmap: dr,
            submissions_before: sb,
            submissions_after_now: sn,
            submissions_after_roadmap: sr,
        }
    }
}

/// The figures of one agency or sector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupDiff {
    /// Agency id or sector (`(none)` for procedures without one).
    pub key: String,
    /// Figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// A procedure only one side has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureEntry {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Agency.
    pub agency: String,
    /// Sector.
    pub sector: Option<String>,
    /// Dossiers per year.
    pub annual_volume: u64,
    /// Components.
    pub documents_before: u64,
    /// After lookups now.
    pub documents_after_now: u64,
    /// After the roadmap.
    pub documents_after_roadmap: u64,
    /// Documents (first alternative of `one_of`) in catalog order.
    pub documents: Vec<String>,
}

impl From<&ProcedureReport<'_>> for ProcedureEntry {
    fn from(p: &ProcedureReport<'_>) -> Self {
        ProcedureEntry {
            id: p.id.to_string(),
            name: p.name.to_string(),
            name_en: p.name_en.as_ref().map(|n| n.to_string()),
            agency: p.agency.to_string(),
            sector: p.sector.as_ref().map(|n| n.to_string()),
            annual_volume: p.annual_volume,
            documents_before: p.documents_before,
            documents_after_now: p.documents_after_now,
            documents_after_roadmap: p.documents_after_roadmap,
            documents: p.components.iter().map(|c| c.document.to_string()).collect(),
        }
    }
}

/// A component one side has and the other has not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ComponentChange {
    /// The document (first alternative of `one_of`).
    pub document: String,
    /// Whose document.
    pub of: Option<String>,
    /// All alternatives of `one_of`.
    pub alternatives: Vec<String>,
    /// Its status on the side that has it.
    pub status: Status,
}

/// A component both sides have whose status moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    /// The document.
    pub document: String,
    /// Whose document.
    pub of: Option<String>,
    /// Old status.
    pub old: Status,
    /// New status.
    pub new: Status,
}

/// A procedure both sides have that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureChange {
    /// Id.
    pub id: String,
    /// Name (new side).
    pub name: String,
    /// English name (new side).
    pub name_en: Option<String>,
    /// Agency (new side).
    pub agency: String,
    /// Sector (new side).
    pub sector: Option<String>,
    /// Dossiers per year.
    pub annual_volume: Change,
    /// Components.
    pub documents_before: Change,
    /// After lookups now.
    pub documents_after_now: Change,
    /// After the roadmap.
    pub documents_after_roadmap: Change,
    /// Components only the new side asks for.
    pub documents_added: Vec<ComponentChange>,
    /// Components only the old side asked for.
    pub documents_removed: Vec<ComponentChange>,
    /// Components on both sides with another status.
    pub status_changes: Vec<StatusChange>,
    /// The applicant is asked for more: more components, or more still handed in after lookups.
    pub asks_more: bool,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Output schema version.
    pub schema_version: u32,
    /// `as_of` of the old side.
    pub old_as_of: String,
    /// `as_of` of the new side.
    pub new_as_of: String,
    /// Totals over all procedures.
    pub totals: Figures,
    /// Procedures only the new side has, by id.
    pub added: Vec<ProcedureEntry>,
    /// Procedures only the old side had, by id.
    pub removed: Vec<ProcedureEntry>,
    /// Procedures on both sides that differ, by id.
    pub changed: Vec<ProcedureChange>,
    /// Ids of changed procedures that ask for more, by id.
    pub increased: Vec<String>,
    /// Figures by agency (as of each side's date), by agency id; only agencies that changed.
    pub by_agency: Vec<GroupDiff>,
    /// Figures by sector, by sector; only sectors that changed.
    pub by_sector: Vec<GroupDiff>,
}

impl Diff {
    /// Whether the two sides are the same as far as the comparison sees.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty() && !self.totals.changed()
    }
}

type ComponentKey = (String, Option<String>, Vec<String>);

fn key(c: &ComponentReport<'_>) -> ComponentKey {
    (c.document.to_string(), c.of.as_ref().map(|o| o.to_string()), c.alternatives.iter().map(|a| a.to_string()).collect())
}

fn component_change(c: &ComponentReport<'_>) -> ComponentChange {
    let (document, of, alternatives) = key(c);
    ComponentChange { document, of, alternatives, status: c.status }
}

/// Compares one procedure's two versions; `None` when they are the same.
fn compare_procedure(o: &ProcedureReport, n: &ProcedureReport) -> Option<ProcedureChange> {
    // Components are matched by (document, of, alternatives) and occurrence: the k-th
    // `health_cert` of the old side pairs with the k-th of the new side.
    let mut olds: BTreeMap<ComponentKey, Vec<&ComponentReport>> = BTreeMap::new();
    for c in &o.components {
        olds.entry(key(c)).or_default().push(c);
    }
    let mut news: BTreeMap<ComponentKey, Vec<&ComponentReport>> = BTreeMap::new();
    for c in &n.components {
        news.entry(key(c)).or_default().push(c);
    }
    let (mut added, mut removed, mut status_changes) = (Vec::new(), Vec::new(), Vec::new());
    for c in &n.components {
        let k = key(c);
        let nth = news[&k].iter().position(|x| std::ptr::eq(*x, c)).expect("indexed");
        match olds.get(&k).and_then(|v| v.get(nth)) {
            None => added.push(component_change(c)),
            Some(oc) if oc.status != c.status => status_changes.push(StatusChange {
                document: c.document.to_string(),
                of: c.of.as_ref().map(|o| o.to_string()),
                old: oc.status,
                new: c.status,
            }),
            Some(_) => {}
        }
    }
    for c in &o.components {
        let k = key(c);
        let nth = olds[&k].iter().position(|x| std::ptr::eq(*x, c)).expect("indexed");
        if news.get(&k).and_then(|v| v.get(nth)).is_none() {
            removed.push(component_change(c));
        }
    }
    let ch = ProcedureChange {
        id: n.id.to_string(),
        name: n.name.to_string(),
        name_en: n.name_en.as_ref().map(|x| x.to_string()),
        agency: n.agency.to_string(),
        sector: n.sector.as_ref().map(|x| x.to_string()),
        annual_volume: Change::new(o.annual_volume, n.annual_volume),
        documents_before: Change::new(o.documents_before, n.documents_before),
        documents_after_now: Change::new(o.documents_after_now, n.documents_after_now),
        documents_after_roadmap: Change::new(o.documents_after_roadmap, n.documents_after_roadmap),
        asks_more: n.documents_before > o.documents_before || n.documents_after_now > o.documents_after_now,
        documents_added: added,
        documents_removed: removed,
        status_changes,
    };
    let same = !ch.annual_volume.changed()
        && !ch.documents_before.changed()
        && !ch.documents_after_now.changed()
        && !ch.documents_after_roadmap.changed()
        && ch.documents_added.is_empty()
        && ch.documents_removed.is_empty()
        && ch.status_changes.is_empty();
    (!same).then_some(ch)
}

fn groups(old: &AnalysisReport, new: &AnalysisReport, by: impl Fn(&ProcedureReport<'_>) -> String) -> Vec<GroupDiff> {
    let mut acc: BTreeMap<String, (Sums, Sums)> = BTreeMap::new();
    for p in &old.procedures {
        acc.entry(by(p)).or_default().0.add(p);
    }
    for p in &new.procedures {
        acc.entry(by(p)).or_default().1.add(p);
    }
    acc.into_iter().map(|(key, (o, n))| GroupDiff { key, figures: Sums::figures(o, n) }).filter(|g| g.figures.changed()).collect()
}

/// Compares two analyses.
pub fn diff(old: &AnalysisReport, new: &AnalysisReport) -> Diff {
    let olds: BTreeMap<&str, &ProcedureReport> = old.procedures.iter().map(|p| (&*p.id, p)).collect();
    let news: BTreeMap<&str, &ProcedureReport> = new.procedures.iter().map(|p| (&*p.id, p)).collect();
    let added: Vec<ProcedureEntry> = news.iter().filter(|(id, _)| !olds.contains_key(*id)).map(|(_, p)| ProcedureEntry::from(*p)).collect();
    let removed: Vec<ProcedureEntry> =
        olds.iter().filter(|(id, _)| !news.contains_key(*id)).map(|(_, p)| ProcedureEntry::from(*p)).collect();
    let changed: Vec<ProcedureChange> = news.iter().filter_map(|(id, n)| olds.get(id).and_then(|o| compare_procedure(o, n))).collect();
    let (mut so, mut sn) = (Sums::default(), Sums::default());
    old.procedures.iter().for_each(|p| so.add(p));
    new.procedures.iter().for_each(|p| sn.add(p));
    Diff {
        schema_version: SCHEMA_VERSION,
        old_as_of: old.as_of.clone(),
        new_as_of: new.as_of.clone(),
        totals: Sums::figures(so, sn),
        increased: changed.iter().filter(|c| c.asks_more).map(|c| c.id.clone()).collect(),
        added,
        removed,
        changed,
        by_agency: groups(old, new, |p| p.agency.to_string()),
        by_sector: groups(old, new, |p| p.sector.as_deref().unwrap_or("(none)").to_string()),
    }
}

fn signed(d: i64) -> String {
    match d {
        0 => "0".into(),
        d if d > 0 => format!("+{}", thousands(d as u64)),
        d => format!("−{}", thousands(d.unsigned_abs())),
    }
}

fn label<'a>(id: &'a str, name: &'a str, name_en: Option<&'a str>, lang: Lang) -> &'a str {
    Workspace::label(id, Some(name), name_en, lang)
}

/// Added or removed procedures with their counts.
fn procedures_table(list: &[ProcedureEntry], lang: Lang, md: bool) -> Table {
    let mut t = table(md);
    t.set_header(vec![
        Cell::new("procedure"),
        Cell::new("name"),
        Cell::new("agency"),
        right("volume"),
        right("docs"),
        right("after now"),
        right("after roadmap"),
    ]);
    for p in list {
        t.add_row(vec![
            Cell::new(&p.id),
            Cell::new(label(&p.id, &p.name, p.name_en.as_deref(), lang)),
            Cell::new(&p.agency),
            right(thousands(p.annual_volume)),
            right(p.documents_before),
            right(p.documents_after_now),
            right(p.documents_after_roadmap),
        ]);
    }
    t
}

fn component_text(c: &ComponentChange) -> String {
    let mut s = if c.alternatives.is_empty() { c.document.clone() } else { format!("one of {}", c.alternatives.join(" | ")) };
    if let Some(of) = &c.of {
        let _ = write!(s, " (of {of})");
    }
    s
}

fn figures_table(rows: &[(&str, &Figures)], first: &str, md: bool) -> Table {
    let mut t = table(md);
    t.set_header(vec![
        Cell::new(first),
        right("procs"),
        right("docs before"),
        right("Δ"),
        right("after now"),
        right("Δ"),
        right("after roadmap"),
        right("Δ"),
        right("submissions / year"),
        right("Δ"),
        right("after roadmap"),
        right("Δ"),
    ]);
    for (k, f) in rows {
        t.add_row(vec![
            Cell::new(k),
            right(format!("{} → {}", thousands(f.procedures.old), thousands(f.procedures.new))),
            right(thousands(f.documents_before.new)),
            right(signed(f.documents_before.delta)),
            right(thousands(f.documents_after_now.new)),
            right(signed(f.documents_after_now.delta)),
            right(thousands(f.documents_after_roadmap.new)),
            right(signed(f.documents_after_roadmap.delta)),
            right(thousands(f.submissions_before.new)),
            right(signed(f.submissions_before.delta)),
            right(thousands(f.submissions_after_roadmap.new)),
            right(signed(f.submissions_after_roadmap.delta)),
        ]);
    }
    t
}

/// The comparison for a reviewer: totals, then added, removed and changed procedures.
pub fn text(d: &Diff, lang: Lang, md: bool) -> String {
    let mut out = String::new();
    let h = |out: &mut String, s: &str| {
        if md {
            let _ = writeln!(out, "## {s}\n");
        } else {
            let _ = writeln!(out, "{s}\n{}", "─".repeat(s.chars().count()));
        }
    };
    let dates = if d.old_as_of == d.new_as_of { format!("as of {}", d.old_as_of) } else { format!("{} → {}", d.old_as_of, d.new_as_of) };
    if md {
        let _ = writeln!(out, "# Catalog comparison ({dates})\n");
    } else {
        let _ = writeln!(out, "Catalog comparison ({dates})\n");
    }
    let t = &d.totals;
    let _ = writeln!(
        out,
        "Procedures: {} added, {} removed, {} changed, of which {} ask for more. Documents asked for: {} → {} ({}); submissions per year: {} → {} ({}, {}).\n",
        d.added.len(),
        d.removed.len(),
        d.changed.len(),
        d.increased.len(),
        thousands(t.documents_before.old),
        thousands(t.documents_before.new),
        signed(t.documents_before.delta),
        thousands(t.submissions_before.old),
        thousands(t.submissions_before.new),
        signed(t.submissions_before.delta),
        if t.submissions_before.old == 0 {
            "n/a".to_string()
        } else {
            let p = pct(t.submissions_before.new.abs_diff(t.submissions_before.old), t.submissions_before.old);
            if t.submissions_before.new >= t.submissions_before.old { format!("+{p}") } else { format!("−{p}") }
        }
    );
    if d.is_empty() {
        let _ = writeln!(out, "No differences.");
        return out;
    }
    h(&mut out, "Totals");
    let mut tt = table(md);
    tt.set_header(vec![Cell::new(""), right("old"), right("new"), right("change")]);
    for (name, c) in [
        ("procedures", t.procedures),
        ("documents asked for today", t.documents_before),
        ("documents after lookups now", t.documents_after_now),
        ("documents after the roadmap", t.documents_after_roadmap),
        ("submissions / year today", t.submissions_before),
        ("submissions / year after lookups now", t.submissions_after_now),
        ("submissions / year after the roadmap", t.submissions_after_roadmap),
    ] {
        tt.add_row(vec![Cell::new(name), right(thousands(c.old)), right(thousands(c.new)), right(signed(c.delta))]);
    }
    let _ = writeln!(out, "{tt}\n");
    for (title, list) in [("Added procedures", &d.added), ("Removed procedures", &d.removed)] {
        if !list.is_empty() {
            h(&mut out, title);
            let _ = writeln!(out, "{}\n", procedures_table(list, lang, md));
        }
    }
    if !d.changed.is_empty() {
        h(&mut out, "Changed procedures");
        let mut ct = table(md);
        ct.set_header(vec![
            Cell::new("procedure"),
            Cell::new("name"),
            right("volume"),
            right("docs"),
            right("after now"),
            right("after roadmap"),
            Cell::new(""),
        ]);
        let arrow = |c: Change| if c.changed() { format!("{} → {}", thousands(c.old), thousands(c.new)) } else { thousands(c.new) };
        for c in &d.changed {
            ct.add_row(vec![
                Cell::new(&c.id),
                Cell::new(label(&c.id, &c.name, c.name_en.as_deref(), lang)),
                right(arrow(c.annual_volume)),
                right(arrow(c.documents_before)),
                right(arrow(c.documents_after_now)),
                right(arrow(c.documents_after_roadmap)),
                Cell::new(if c.asks_more { "ASKS MORE" } else { "" }),
            ]);
        }
        let _ = writeln!(out, "{ct}\n");
        for c in &d.changed {
            if c.documents_added.is_empty() && c.documents_removed.is_empty() && c.status_changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{}{}:", if md { "- " } else { "" }, c.id);
            let pad = if md { "  - " } else { "  " };
            for a in &c.documents_added {
                let _ = writeln!(out, "{pad}+ {} [{}]", component_text(a), a.status.as_str());
            }
            for r in &c.documents_removed {
                let _ = writeln!(out, "{pad}− {} [{}]", component_text(r), r.status.as_str());
            }
            for s in &c.status_changes {
                let of = s.of.as_ref().map(|o| format!(" (of {o})")).unwrap_or_default();
                let _ = writeln!(out, "{pad}~ {}{of}: {} → {}", s.document, s.old.as_str(), s.new.as_str());
            }
        }
        let _ = writeln!(out);
    }
    for (title, first, groups) in [("By agency", "agency", &d.by_agency), ("By sector", "sector", &d.by_sector)] {
        if groups.is_empty() {
            continue;
        }
        h(&mut out, title);
        let rows: Vec<(&str, &Figures)> = groups.iter().map(|g| (g.key.as_str(), &g.figures)).collect();
        let _ = writeln!(out, "{}\n", figures_table(&rows, first, md));
    }
    if !d.increased.is_empty() {
        let _ = writeln!(out, "Procedures that ask for more than before: {}", d.increased.join(", "));
    }
    out
}

/// One CSV row per change: a `total` row, then procedures added, removed, changed, and the
/// documents added, removed or with another status inside changed procedures.
pub fn csv(d: &Diff) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "change",
        "procedure",
        "name",
        "agency",
        "sector",
        "document",
        "of",
        "old_status",
        "new_status",
        "old_annual_volume",
        "new_annual_volume",
        "old_documents_before",
        "new_documents_before",
        "old_documents_after_now",
        "new_documents_after_now",
        "old_documents_after_roadmap",
        "new_documents_after_roadmap",
        "old_submissions_before",
        "new_submissions_before",
    ]);
    let s = |v: u64| v.to_string();
    let t = &d.totals;
    let _ = w.write_record([
        "total".into(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        s(t.documents_before.old),
        s(t.documents_before.new),
        s(t.documents_after_now.old),
        s(t.documents_after_now.new),
        s(t.documents_after_roadmap.old),
        s(t.documents_after_roadmap.new),
        s(t.submissions_before.old),
        s(t.submissions_before.new),
    ]);
    let entry = |w: &mut csv::Writer<Vec<u8>>, kind: &str, p: &ProcedureEntry, added: bool| {
        let pick = |v: u64| if added { (String::new(), v.to_string()) } else { (v.to_string(), String::new()) };
        let (ov, nv) = pick(p.annual_volume);
        let (ob, nb) = pick(p.documents_before);
        let (on, nn) = pick(p.documents_after_now);
        let (or, nr) = pick(p.documents_after_roadmap);
        let (os, ns) = pick(p.documents_before.saturating_mul(p.annual_volume));
        let _ = w.write_record([
            kind,
            &p.id,
            &p.name,
            &p.agency,
            p.sector.as_deref().unwrap_or(""),
            "",
            "",
            "",
            "",
            &ov,
            &nv,
            &ob,
            &nb,
            &on,
            &nn,
            &or,
            &nr,
            &os,
            &ns,
        ]);
    };
    for p in &d.added {
        entry(&mut w, "procedure_added", p, true);
    }
    for p in &d.removed {
        entry(&mut w, "procedure_removed", p, false);
    }
    for c in &d.changed {
        let _ = w.write_record([
            "procedure_changed",
            &c.id,
            &c.name,
            &c.agency,
            c.sector.as_deref().unwrap_or(""),
            "",
            "",
            "",
            "",
            &s(c.annual_volume.old),
            &s(c.annual_volume.new),
            &s(c.documents_before.old),
            &s(c.documents_before.new),
            &s(c.documents_after_now.old),
            &s(c.documents_after_now.new),
            &s(c.documents_after_roadmap.old),
            &s(c.documents_after_roadmap.new),
            &s(c.documents_before.old.saturating_mul(c.annual_volume.old)),
            &s(c.documents_before.new.saturating_mul(c.annual_volume.new)),
        ]);
        let doc = |w: &mut csv::Writer<Vec<u8>>, kind: &str, document: &str, of: Option<&str>, old: &str, new: &str| {
            let blank = ["", "", "", "", "", "", "", "", "", ""];
            let mut row = vec![
                kind,
                c.id.as_str(),
                c.name.as_str(),
                c.agency.as_str(),
                c.sector.as_deref().unwrap_or(""),
                document,
                of.unwrap_or(""),
                old,
                new,
            ];
            row.extend(blank);
            let _ = w.write_record(row);
        };
        for a in &c.documents_added {
            doc(&mut w, "document_added", &a.document, a.of.as_deref(), "", a.status.as_str());
        }
        for r in &c.documents_removed {
            doc(&mut w, "document_removed", &r.document, r.of.as_deref(), r.status.as_str(), "");
        }
        for st in &c.status_changes {
            doc(&mut w, "status_changed", &st.document, st.of.as_deref(), st.old.as_str(), st.new.as_str());
        }
    }
    String::from_utf8(w.into_inner().expect("in-memory csv")).expect("utf-8 csv")
}
