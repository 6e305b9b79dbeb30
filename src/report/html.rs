//! `index.html` of the report folder: one self-contained page (inline CSS, inline SVG charts,
//! a few lines of inline script to sort tables; nothing fetched from the network) that a
//! minister can read top to bottom: headline numbers in short sentences, then the detail.
//!
//! The markup is in `templates/report/`, rendered by askama, which escapes every value it
//! writes; this module only gathers the figures each section shows, in the order it shows them.

mod charts;

use crate::engine::Totals;
use crate::engine::classify::Status;
use crate::engine::roadmap::Overdue;
use crate::findings::{Chain, ChainKind, Interconnected};
use crate::report::summary::{MappingRow, agency_label, mapping_rows};
use crate::report::{AnalysisReport, GroupBy, GroupRow, Phase0, PhaseReport, ProcedureReport, RoadmapReport, StepReport, group_rows};
use crate::workspace::{Lang, Workspace};
use askama::Template;
use askama::filters::Escaper as _;
use charts::{Bar, Burndown, COLOR_BEFORE, COLOR_NOW, COLOR_ROADMAP, HBars, Part, Point, Stacked};
use std::fmt;

/// Most procedure rows shown; a larger catalog shows those with the most submissions.
pub const MAX_PROCEDURE_ROWS: usize = 2000;
/// Most chain rows shown, by submissions.
pub const MAX_CHAIN_ROWS: usize = 200;

/// The page's escaper, named in `askama.toml`: the named entities the page has always written,
/// where askama's own HTML escaper writes numeric ones (`&#38;` for `&amp;`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Entities;

impl askama::filters::Escaper for Entities {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, s: &str) -> fmt::Result {
        let mut done = 0;
        for (i, b) in s.bytes().enumerate() {
            let entity = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            dest.write_str(&s[done..i])?;
            dest.write_str(entity)?;
            done = i + 1;
        }
        dest.write_str(&s[done..])
    }
}

/// Number formats for the templates (`{{ v|thousands }}`).
mod filters {
    use askama::Values;

    /// A number as askama hands it to a filter: by value, or behind any depth of references.
    pub trait Plain {
        /// The number itself.
        type Out;
        /// The number, out of its references.
        fn plain(&self) -> Self::Out;
    }
    impl Plain for u64 {
        type Out = u64;
        fn plain(&self) -> u64 {
            *self
        }
    }
    impl Plain for f64 {
        type Out = f64;
        fn plain(&self) -> f64 {
            *self
        }
    }
    impl<T: Plain + ?Sized> Plain for &T {
        type Out = T::Out;
        fn plain(&self) -> T::Out {
            (**self).plain()
        }
    }

    /// [`crate::report::text::thousands`].
    pub fn thousands(v: impl Plain<Out = u64>, _: &dyn Values) -> askama::Result<String> {
        Ok(crate::report::text::thousands(v.plain()))
    }

    /// [`super::compact`], for chart labels.
    pub fn compact(v: impl Plain<Out = u64>, _: &dyn Values) -> askama::Result<String> {
        Ok(super::compact(v.plain()))
    }

    /// [`crate::report::text::pct`] of `whole`.
    pub fn pct(v: impl Plain<Out = u64>, _: &dyn Values, whole: impl Plain<Out = u64>) -> askama::Result<String> {
        Ok(crate::report::text::pct(v.plain(), whole.plain()))
    }

    /// [`crate::report::text::money`].
    pub fn money(v: impl Plain<Out = f64>, _: &dyn Values) -> askama::Result<String> {
        Ok(crate::report::text::money(v.plain()))
    }

    /// [`super::money_short`], for a table column with little room.
    pub fn money_short(v: impl Plain<Out = f64>, _: &dyn Values) -> askama::Result<String> {
        Ok(super::money_short(v.plain()))
    }

    /// [`super::breakable`]: already escaped, so marked safe.
    pub fn breakable(s: impl std::fmt::Display, _: &dyn Values) -> askama::Result<askama::filters::Safe<String>> {
        Ok(askama::filters::Safe(super::breakable(&s.to_string())))
    }

    /// The raw value behind [`money`], for the sort script: whole units, never negative.
    pub fn whole(v: impl Plain<Out = f64>, _: &dyn Values) -> askama::Result<String> {
        Ok(format!("{:.0}", v.plain().max(0.0).round()))
    }

    /// [`crate::report::text::trim_float`], for task effort.
    pub fn trim_float(v: impl Plain<Out = f64>, _: &dyn Values) -> askama::Result<String> {
        Ok(crate::report::text::trim_float(v.plain()))
    }
}

/// 1234567 → "1.2M": for chart labels where space is short.
fn compact(n: u64) -> String {
    compact_f64(n as f64)
}

/// [`compact`] of a float, which may be past what 64 bits hold.
fn compact_f64(f: f64) -> String {
    if f < 1_000.0 {
        return crate::report::text::whole(f);
    }
    // The unit of the rounded figure: 999,960 is "1M", not "1000K".
    let (div, unit) =
        [(1e3, "K"), (1e6, "M"), (1e9, "B")].into_iter().find(|&(div, _)| (f / div * 10.0).round() < 10_000.0).unwrap_or((1e12, "T"));
    let s = format!("{:.1}", f / div);
    format!("{}{unit}", s.strip_suffix(".0").unwrap_or(&s))
}

/// Money for a narrow column: exact below a million, then [`compact`] ("960B").
fn money_short(v: f64) -> String {
    let v = v.max(0.0).round();
    if v < 1e6 { crate::report::text::money(v) } else { compact_f64(v) }
}

/// An id, or a list of ids, as HTML a table cell can wrap: escaped, with a `<wbr>` after each
/// `.`, `_` or `/` that a letter follows. `mpi.enterprise.change_owner` then breaks between its
/// words instead of making its column as wide as the whole id; `1.000080` stays whole.
fn breakable(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let mut chars = s.chars().peekable();
    let mut buf = [0; 4];
    while let Some(c) = chars.next() {
        Entities.write_escaped_str(&mut out, c.encode_utf8(&mut buf)).expect("a String takes every write");
        if matches!(c, '.' | '_' | '/') && chars.peek().is_some_and(|n| n.is_alphabetic()) {
            out.push_str("<wbr>");
        }
    }
    out
}

/// 1712500000 → "1.71 billion": big money in words, for the headline cards.
fn words(v: f64) -> String {
    let v = v.max(0.0).round();
    if v >= 1e12 {
        format!("{:.2} trillion", v / 1e12)
    } else if v >= 1e9 {
        format!("{:.2} billion", v / 1e9)
    } else if v >= 1e6 {
        format!("{:.2} million", v / 1e6)
    } else {
        crate::report::text::money(v)
    }
}

fn status_color(s: Status) -> &'static str {
    match s {
        Status::LookupNow => "#43a047",
        Status::Duplicate => "#26a69a",
        Status::LookupAfter => "#fdd835",
        Status::Partial => "#fb8c00",
        Status::Kept => "#9e9e9e",
    }
}

fn status_label(s: Status) -> &'static str {
    match s {
        Status::LookupNow => "lookup now",
        Status::Duplicate => "duplicate",
        Status::LookupAfter => "lookup after the roadmap",
        Status::Partial => "partly looked up",
        Status::Kept => "still asked for",
    }
}

fn doc_label(ws: &Workspace, id: &str, lang: Lang) -> String {
    ws.doc_ids
        .get(id)
        .map(|d| {
            let d = &ws.documents[d];
            Workspace::label(&d.id, d.name.as_deref(), d.name_en.as_deref(), lang).to_string()
        })
        .unwrap_or_else(|| id.to_string())
}

/// The whole page: head, header, the sections in reading order, footer and sort script.
#[derive(Template)]
#[template(path = "report/page.html")]
struct Page<'a> {
    version: &'static str,
    as_of: &'a str,
    t: &'a Totals,
    tasks: u64,
    headline: Headline<'a>,
    sectors: Sectors<'a>,
    burndown: BurndownSection<'a>,
    status: StatusSection<'a>,
    unmet: Unmet<'a>,
    coverage: CoverageSection<'a>,
    procedures: Procedures<'a>,
    roadmap: Roadmap<'a>,
    overdue: OverdueSection<'a>,
    chains: Chains<'a>,
}

/// The whole page.
pub fn index(ws: &Workspace, a: &AnalysisReport, r: &RoadmapReport, lang: Lang) -> String {
    // " EUR" after amounts, or nothing when the workspace names no currency.
    let cur = if a.currency.is_empty() { String::new() } else { format!(" {}", a.currency) };
    let page = Page {
        version: env!("CARGO_PKG_VERSION"),
        as_of: &a.as_of,
        t: &a.totals,
        tasks: r.progress.total,
        headline: headline(a, r, cur.clone()),
        sectors: sectors(ws, a, lang),
        burndown: burndown(a, r),
        status: status(a, r),
        unmet: unmet(a, lang),
        coverage: coverage(ws, a, lang),
        procedures: procedures(ws, a, lang, cur.clone()),
        roadmap: roadmap(ws, r, lang, cur),
        overdue: overdue(ws, a, r, lang),
        chains: chains(ws, a, lang),
    };
    page.render().expect("the report page renders: its values all display infallibly")
}

/// A headline figure: shown rounded for reading, with its exact value in `data-value`.
struct Card {
    key: &'static str,
    value: String,
    raw: String,
    caption: String,
}

impl Card {
    fn new(key: &'static str, value: String, raw: impl fmt::Display, caption: impl Into<String>) -> Self {
        Self { key, value, raw: raw.to_string(), caption: caption.into() }
    }
}

/// The four sentences a minister needs, then the figures as cards.
#[derive(Template)]
#[template(path = "report/headline.html")]
struct Headline<'a> {
    t: &'a Totals,
    removed_now: u64,
    removed_roadmap: u64,
    steps: u64,
    last_phase_end: Option<&'a str>,
    hours_saved: String,
    hours_saved_now: String,
    cur: String,
    cards: Vec<Card>,
}

fn headline<'a>(a: &'a AnalysisReport, r: &'a RoadmapReport, cur: String) -> Headline<'a> {
    use crate::report::text::{pct, thousands};
    let t = &a.totals;
    let p = &r.progress;
    let hours_saved = crate::report::text::whole(t.figures.hours_saved_after_roadmap);
    let hours_saved_now = crate::report::text::whole(t.figures.hours_saved_now);
    let cards = vec![
        Card::new(
            "submissions_before",
            thousands(t.figures.submissions_before),
            t.figures.submissions_before,
            "documents handed in per year today",
        ),
        Card::new(
            "submissions_after_now",
            thousands(t.figures.submissions_after_now),
            t.figures.submissions_after_now,
            "per year once today's lookups are used",
        ),
        Card::new(
            "submissions_after_roadmap",
            thousands(t.figures.submissions_after_roadmap),
            t.figures.submissions_after_roadmap,
            "per year after the roadmap",
        ),
        Card::new(
            "documents_before",
            thousands(t.figures.documents_before),
            t.figures.documents_before,
            "document components in the catalog",
        ),
        Card::new(
            "documents_after_roadmap",
            thousands(t.figures.documents_after_roadmap),
            t.figures.documents_after_roadmap,
            "components left after the roadmap",
        ),
        Card::new(
            "hours_saved_after_roadmap",
            hours_saved.clone(),
            format!("{:.0}", t.figures.hours_saved_after_roadmap),
            "applicant hours saved per year after the roadmap",
        ),
        Card::new(
            "money_saved_after_roadmap",
            format!("{}{}", words(t.figures.money_saved_after_roadmap), cur),
            format!("{:.0}", t.figures.money_saved_after_roadmap),
            "saved per year after the roadmap (Standard Cost Model)",
        ),
        Card::new(
            "tasks_done",
            format!("{} of {}", thousands(p.done), thousands(p.total)),
            p.done,
            format!("tasks done ({}); {} overdue", pct(p.done, p.total), p.overdue.len()),
        ),
    ];
    Headline {
        t,
        removed_now: t.figures.submissions_before - t.figures.submissions_after_now.min(t.figures.submissions_before),
        removed_roadmap: t.figures.submissions_after_now - t.figures.submissions_after_roadmap.min(t.figures.submissions_after_now),
        steps: r.steps.len() as u64,
        last_phase_end: r.phases.last().map(|p| p.end.as_str()),
        hours_saved,
        hours_saved_now,
        cur,
        cards,
    }
}

/// Components per sector, as a chart and as a sortable table.
#[derive(Template)]
#[template(path = "report/sectors.html")]
struct Sectors<'a> {
    rows: Vec<GroupRow>,
    chart: Option<HBars<'a>>,
}

fn sectors<'a>(ws: &Workspace, a: &AnalysisReport, lang: Lang) -> Sectors<'a> {
    let rows = group_rows(ws, &a.procedures, GroupBy::Sector, lang);
    let chart = (!rows.is_empty()).then(|| {
        let bars: Vec<Bar> = rows.iter().map(|s| Bar { label: s.label.clone(), values: s.figures.documents().to_vec() }).collect();
        charts::hbars(
            "Document components by sector: today, now, after the roadmap",
            &bars,
            &[("today", COLOR_BEFORE), ("lookups now", COLOR_NOW), ("after the roadmap", COLOR_ROADMAP)],
        )
    });
    Sectors { rows, chart }
}

/// Documents handed in per year, today and after each phase.
#[derive(Template)]
#[template(path = "report/burndown_section.html")]
struct BurndownSection<'a> {
    chart: Burndown<'a>,
}

fn burndown<'a>(a: &AnalysisReport, r: &RoadmapReport) -> BurndownSection<'a> {
    let f = &a.totals.figures;
    let point = |label: String, dates: Vec<String>, v: u64| Point { label, dates, v };
    let mut points = vec![
        point("today".into(), vec![a.as_of.clone()], f.submissions_before),
        point("phase 0".into(), Vec::new(), f.submissions_after_now),
    ];
    points.extend(
        r.phases
            .iter()
            .map(|ph| point(format!("phase {}", ph.phase), vec![format!("{} –", ph.start), ph.end.clone()], ph.remaining_submissions)),
    );
    BurndownSection { chart: charts::burndown("Documents handed in per year, remaining after each phase", points) }
}

/// Shares of components by status, and of roadmap tasks by status.
#[derive(Template)]
#[template(path = "report/status.html")]
struct StatusSection<'a> {
    components: Stacked<'a>,
    tasks: Stacked<'a>,
}

fn status<'a>(a: &AnalysisReport, r: &RoadmapReport) -> StatusSection<'a> {
    let t = &a.totals;
    let counts = [t.lookup_now, t.duplicate, t.lookup_after, t.partial, t.kept];
    let parts = Status::ALL.iter().zip(counts).map(|(&s, v)| Part { name: status_label(s), color: status_color(s), v }).collect();
    let p = &r.progress;
    let tasks = vec![
        Part { name: "done", color: "#43a047", v: p.done },
        Part { name: "routine", color: "#64b5f6", v: p.routine },
        Part { name: "in progress", color: "#fdd835", v: p.in_progress },
        Part { name: "not started", color: "#bdbdbd", v: p.not_started },
    ];
    StatusSection {
        components: charts::stacked("Document components by status", parts),
        tasks: charts::stacked("Roadmap tasks by status", tasks),
    }
}

/// The facts no database holds yet, by the documents waiting for them.
#[derive(Template)]
#[template(path = "report/unmet.html")]
struct Unmet<'a> {
    chart: Option<HBars<'a>>,
}

fn unmet<'a>(a: &AnalysisReport, lang: Lang) -> Unmet<'a> {
    let chart = (!a.unmet_facts.is_empty()).then(|| {
        let bars: Vec<Bar> = a
            .unmet_facts
            .iter()
            .take(10)
            .map(|u| {
                let name = Workspace::label(&u.fact, u.name.as_deref(), u.name_en.as_deref(), lang);
                Bar { label: if name == u.fact { u.fact.clone() } else { format!("{name} ({})", u.fact) }, values: vec![u.submissions] }
            })
            .collect();
        charts::hbars("Top unmet facts by documents handed in per year", &bars, &[("documents / year waiting for the fact", "#ef6c00")])
    });
    Unmet { chart }
}

/// How much of the catalog the rules understand, by ministry, and the unmapped wordings most
/// asked for; shown when some wording is unmapped or some procedure has cases.
#[derive(Template)]
#[template(path = "report/coverage.html")]
struct CoverageSection<'a> {
    shown: bool,
    overall: &'a crate::findings::Mapping,
    mapped_pct: String,
    forms_pct: String,
    unmapped_pct: String,
    rows: Vec<MappingRow<'a>>,
    unmapped: &'a [crate::findings::Unmapped],
    cased: u64,
    cases: u64,
}

fn coverage<'a>(ws: &Workspace, a: &'a AnalysisReport, lang: Lang) -> CoverageSection<'a> {
    let c = &a.coverage;
    let rows = mapping_rows(ws, c, lang);
    let all = rows.last().expect("the table ends with the whole catalog");
    let (mapped_pct, forms_pct, unmapped_pct) = (all.mapped.clone(), all.forms.clone(), all.unmapped.clone());
    let o = &c.overall;
    CoverageSection {
        shown: o.unmapped > 0 || !c.cased.is_empty(),
        overall: o,
        mapped_pct,
        forms_pct,
        unmapped_pct,
        rows,
        unmapped: &c.unmapped[..c.unmapped.len().min(20)],
        cased: c.cased.len() as u64,
        cases: c.cased.iter().map(|p| p.cases).sum(),
    }
}

struct ProcedureRow<'a> {
    p: &'a ProcedureReport<'a>,
    name: &'a str,
    agency: String,
    submissions_before: u64,
    submissions_after: u64,
}

/// Every procedure (or the busiest ones of a large catalog), as a sortable table.
#[derive(Template)]
#[template(path = "report/procedures.html")]
struct Procedures<'a> {
    max: u64,
    /// The catalog's size, when it is larger than the table.
    cut_from: Option<u64>,
    cur: String,
    rows: Vec<ProcedureRow<'a>>,
}

fn procedures<'a>(ws: &Workspace, a: &'a AnalysisReport<'a>, lang: Lang, cur: String) -> Procedures<'a> {
    let mut shown: Vec<&ProcedureReport> = a.procedures.iter().collect();
    let cut_from = (shown.len() > MAX_PROCEDURE_ROWS).then_some(shown.len() as u64);
    if cut_from.is_some() {
        shown.sort_by(|x, y| (y.submissions()[0]).cmp(&x.submissions()[0]).then_with(|| x.id.cmp(&y.id)));
        shown.truncate(MAX_PROCEDURE_ROWS);
        shown.sort_by(|x, y| x.id.cmp(&y.id));
    }
    let rows = shown
        .into_iter()
        .map(|p| ProcedureRow {
            p,
            name: Workspace::label(&p.id, Some(&p.name), p.name_en.as_deref(), lang),
            agency: agency_label(ws, &p.agency, lang),
            submissions_before: p.submissions()[0],
            submissions_after: p.submissions()[2],
        })
        .collect();
    Procedures { max: MAX_PROCEDURE_ROWS as u64, cut_from, cur, rows }
}

struct StepRow<'a> {
    s: &'a StepReport,
    owner: String,
}

struct PhaseView<'a> {
    p: &'a PhaseReport,
    steps: Vec<StepRow<'a>>,
}

/// Phase 0, then each phase with its tasks.
#[derive(Template)]
#[template(path = "report/roadmap.html")]
struct Roadmap<'a> {
    p0: &'a Phase0,
    cur: String,
    phases: Vec<PhaseView<'a>>,
}

fn roadmap<'a>(ws: &Workspace, r: &'a RoadmapReport, lang: Lang, cur: String) -> Roadmap<'a> {
    let phases = r
        .phases
        .iter()
        .map(|p| PhaseView {
            p,
            steps: r.steps.iter().filter(|s| s.phase == p.phase).map(|s| StepRow { s, owner: agency_label(ws, &s.owner, lang) }).collect(),
        })
        .collect();
    Roadmap { p0: &r.phase0, cur, phases }
}

struct OverdueRow<'a> {
    o: &'a Overdue,
    title: String,
    owner: String,
}

/// Tasks past their due date and not done.
#[derive(Template)]
#[template(path = "report/overdue.html")]
struct OverdueSection<'a> {
    as_of: &'a str,
    rows: Vec<OverdueRow<'a>>,
}

fn overdue<'a>(ws: &Workspace, a: &'a AnalysisReport, r: &'a RoadmapReport, lang: Lang) -> OverdueSection<'a> {
    let rows = r
        .progress
        .overdue
        .iter()
        .map(|o| OverdueRow {
            o,
            title: ws.task_ids.get(&o.task).map(|i| ws.tasks[i].title.clone()).unwrap_or_default(),
            owner: agency_label(ws, &o.owner, lang),
        })
        .collect();
    OverdueSection { as_of: &a.as_of, rows }
}

struct ChainRow {
    document: String,
    issued_by: String,
    stored_in: String,
    stored_nowhere_by: String,
    asked_by: String,
    stands: &'static str,
    submissions: u64,
}

/// Documents one procedure issues and another asks for again.
#[derive(Template)]
#[template(path = "report/chains.html")]
struct Chains<'a> {
    /// "1 document", "3 documents".
    documents: String,
    /// "1 place", "4 places".
    places: String,
    lookups: usize,
    gaps: usize,
    not_covered: usize,
    max: usize,
    cut: bool,
    rows: Vec<ChainRow>,
    interconnected: &'a [Interconnected],
}

fn chains<'a>(ws: &Workspace, a: &'a AnalysisReport, lang: Lang) -> Chains<'a> {
    let links = |k: ChainKind| a.chains.iter().flat_map(|c| &c.to).filter(|l| l.kind == k).count();
    let mut chains: Vec<&Chain> = a.chains.iter().collect();
    // Gaps first: they are the ones a decision closes.
    let rank = |k: ChainKind| match k {
        ChainKind::OnceOnlyGap => 0,
        ChainKind::NotCovered => 1,
        ChainKind::Lookup => 2,
    };
    chains
        .sort_by(|x, y| rank(x.kind).cmp(&rank(y.kind)).then(y.submissions.cmp(&x.submissions)).then_with(|| x.document.cmp(&y.document)));
    let cut = chains.len() > MAX_CHAIN_ROWS;
    chains.truncate(MAX_CHAIN_ROWS);
    let list = |v: &[&str]| if v.len() <= 4 { v.join(", ") } else { format!("{} and {} more", v[..3].join(", "), v.len() - 3) };
    let rows = chains
        .into_iter()
        .map(|c| {
            let askers: Vec<&str> =
                c.to.iter().map(|l| l.procedure.as_str()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
            ChainRow {
                document: doc_label(ws, &c.document, lang),
                issued_by: list(&c.from.iter().map(String::as_str).collect::<Vec<_>>()),
                stored_in: c.records_to.join(", "),
                stored_nowhere_by: list(&c.recording_nowhere.iter().map(String::as_str).collect::<Vec<_>>()),
                asked_by: list(&askers),
                stands: match c.kind {
                    ChainKind::Lookup => "lookup",
                    ChainKind::OnceOnlyGap => "once-only gap",
                    ChainKind::NotCovered => "not covered yet",
                },
                submissions: c.submissions,
            }
        })
        .collect();
    Chains {
        documents: crate::report::text::count(a.chains.len(), "document"),
        places: crate::report::text::count(a.chains.iter().map(|c| c.to.len()).sum(), "place"),
        lookups: links(ChainKind::Lookup),
        gaps: links(ChainKind::OnceOnlyGap),
        not_covered: links(ChainKind::NotCovered),
        max: MAX_CHAIN_ROWS,
        cut,
        rows,
        interconnected: &a.interconnected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_are_the_named_ones_the_page_always_wrote() {
        let mut out = String::new();
        Entities.write_escaped_str(&mut out, "Hộ chiếu <a href=\"x\">Tom & Jerry's</a>").unwrap();
        assert_eq!(out, "Hộ chiếu &lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    }

    #[test]
    fn ids_break_between_their_words_and_stay_escaped() {
        assert_eq!(
            breakable("mpi.enterprise.change_legal_representative"),
            "mpi.<wbr>enterprise.<wbr>change_<wbr>legal_<wbr>representative"
        );
        assert_eq!(breakable("1.000080, 2.001403"), "1.000080, 2.001403");
        assert_eq!(breakable("a/b.<x>_c&d"), "a/<wbr>b.&lt;x&gt;_<wbr>c&amp;d");
        assert_eq!(breakable("so_tu_phap_"), "so_<wbr>tu_<wbr>phap_");
    }

    #[test]
    fn compact_figures_round_into_the_next_unit() {
        let cases = [
            (999, "999"),
            (1_000, "1K"),
            (12_345, "12.3K"),
            (999_949, "999.9K"),
            (999_960, "1M"),
            (781_500_000_000, "781.5B"),
            (999_960_000_000, "1T"),
            (12_300_000_000_000, "12.3T"),
        ];
        for (n, text) in cases {
            assert_eq!(compact(n), text, "{n}");
        }
        assert_eq!(money_short(999_999.4), "999,999");
        assert_eq!(money_short(960e9), "960B");
        assert_eq!(money_short(-5.0), "0");
    }
}
