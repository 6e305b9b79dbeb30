//! Renderers: one function per output format. Input is report data; output is text.

use crate::engine::Totals;
use crate::engine::classify::Status;
use crate::report::table::{Column, Layout, TextTable};
use crate::report::*;
use crate::workspace::{Lang, Workspace};
use std::fmt::Write as _;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned tables for a terminal or a memo.
    #[default]
    Table,
    /// Complete, stable JSON.
    Json,
    /// Comma-separated values, one row per component (analyze) or step (roadmap).
    Csv,
    /// Markdown.
    Md,
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    grouped(&n.to_string())
}

/// A string of digits with a comma before every third from the right.
fn grouped(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Money rounded to whole units with separators.
pub fn money(v: f64) -> String {
    whole(v)
}

/// A non-negative amount rounded to whole units with separators, however large: beyond 2^53 a
/// float holds about 16 significant digits, and those are written, then zeros, so that a
/// figure past what 64 bits hold is shown as it is, not stopped at 18,446,744,073,709,551,615
/// or written with digits it does not have.
pub fn whole(v: f64) -> String {
    let v = if v.is_finite() { v.max(0.0).round() } else { 0.0 };
    if v < 9_007_199_254_740_992.0 {
        return thousands(v as u64);
    }
    // Shortest digits that read back as the same float: "3.29999799985998e23".
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: usize = exp.parse().unwrap_or(0);
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    while digits.len() < exp + 1 {
        digits.push('0');
    }
    grouped(&digits)
}

/// Percentage of `part` in `whole`, one decimal.
pub fn pct(part: u64, whole: u64) -> String {
    if whole == 0 { "0.0%".into() } else { format!("{:.1}%", part as f64 * 100.0 / whole as f64) }
}

/// JSON with a trailing newline.
pub fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).expect("report serializes") + "\n"
}

/// The same text as [`json()`], written to `w` as it is produced, so it is not held in memory a
/// second time. `w` should be buffered: the pretty printer writes many small pieces.
pub fn write_json<T: serde::Serialize, W: std::io::Write>(mut w: W, v: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut w, v).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}

/// A section heading: `##` in Markdown, underlined in a terminal.
fn heading(out: &mut String, layout: Layout, title: &str) {
    if layout.markdown {
        let _ = writeln!(out, "## {title}\n");
    } else {
        let _ = writeln!(out, "{title}\n{}", "─".repeat(title.chars().count()));
    }
}

/// The report's title: `#` in Markdown, a plain line in a terminal.
fn title(out: &mut String, layout: Layout, title: &str) {
    let _ = writeln!(out, "{}{title}\n", if layout.markdown { "# " } else { "" });
}

/// " VND" after an amount, or nothing when the catalog names no currency.
fn currency_suffix(currency: &str) -> String {
    if currency.is_empty() { String::new() } else { format!(" {currency}") }
}

/// The analysis as a memo-ready summary: totals, groups, top opportunities.
pub fn analysis_text(ws: &Workspace, r: &Overview<'_>, lang: Lang, layout: Layout) -> String {
    let cur = currency_suffix(&r.currency);
    let mut out = String::new();
    title(&mut out, layout, &format!("Paperwork analysis as of {}", r.as_of));
    totals_section(&mut out, &r.totals, &cur, layout);
    groups_section(&mut out, r, &cur, layout);
    opportunities_section(&mut out, ws, r, lang, layout);
    unmet_demand_section(&mut out, r, lang, layout);
    once_only_gaps_section(&mut out, r, layout);
    coverage_section(&mut out, ws, r, lang, layout);
    crate::report::table::fit_prose(out, layout)
}

/// Documents and submissions asked for today, after lookups and after the roadmap, then the
/// components by status and the time and money saved.
fn totals_section(out: &mut String, t: &Totals, cur: &str, layout: Layout) {
    heading(out, layout, "Totals");
    let mut tt = TextTable::new(
        layout,
        vec![
            Column::left(""),
            Column::right("documents"),
            Column::right("share"),
            Column::right("submissions / year"),
            Column::right("share"),
        ],
    );
    for (label, d, s) in [
        ("Asked for today", t.figures.documents_before, t.figures.submissions_before),
        ("After lookups now", t.figures.documents_after_now, t.figures.submissions_after_now),
        ("After the roadmap", t.figures.documents_after_roadmap, t.figures.submissions_after_roadmap),
    ] {
        tt.row(vec![
            label.to_string(),
            thousands(d),
            pct(d, t.figures.documents_before),
            thousands(s),
            pct(s, t.figures.submissions_before),
        ]);
    }
    let _ = writeln!(out, "{tt}\n");
    // Forms and unmapped wordings are kept by definition: saying how many keeps the share of
    // evidence the databases could replace in view, and never hides unmapped coverage.
    let mut kept_of = Vec::new();
    if t.forms > 0 {
        kept_of.push(count(t.forms as usize, "form"));
    }
    if t.unmapped > 0 {
        kept_of.push(format!("{} not mapped to a known document", thousands(t.unmapped)));
    }
    let kept_of = if kept_of.is_empty() { String::new() } else { format!(", of which {}", kept_of.join(" and ")) };
    let _ = writeln!(
        out,
        "{} procedures, {} document components: {} lookup now, {} duplicate, {} lookup after the roadmap, {} partial, {} kept{kept_of}.",
        thousands(t.procedures),
        thousands(t.components),
        thousands(t.lookup_now),
        thousands(t.duplicate),
        thousands(t.lookup_after),
        thousands(t.partial),
        thousands(t.kept)
    );
    if t.procedures_with_volume < t.procedures {
        let _ = writeln!(
            out,
            "Dossiers per year are known for {} of {} procedures; the others count 0 submissions and save nothing.",
            thousands(t.procedures_with_volume),
            thousands(t.procedures)
        );
    }
    let _ = writeln!(
        out,
        "Saved per year: {} hours and{} {} now; {} hours and{} {} after the roadmap (Standard Cost Model).\n",
        whole(t.figures.hours_saved_now),
        cur,
        money(t.figures.money_saved_now),
        whole(t.figures.hours_saved_after_roadmap),
        cur,
        money(t.figures.money_saved_after_roadmap)
    );
}

/// One row per group (by default one per procedure of the catalog): what it asks for today and
/// after lookups and the roadmap.
fn groups_section(out: &mut String, r: &Overview<'_>, cur: &str, layout: Layout) {
    use rayon::prelude::*;
    let title = match r.by {
        GroupBy::Procedure => "By procedure",
        GroupBy::Agency => "By agency",
        GroupBy::Sector => "By sector",
        GroupBy::Level => "By level",
        GroupBy::LifeEvent => "By life event",
    };
    heading(out, layout, title);
    let per_procedure = r.by == GroupBy::Procedure;
    let key = match r.by {
        GroupBy::Procedure => "procedure",
        GroupBy::Agency => "agency",
        GroupBy::Sector => "sector",
        GroupBy::Level => "level",
        GroupBy::LifeEvent => "life event",
    };
    // Levels and life events (and sectors the rules do not name) are named by their ids: no
    // empty name column for them.
    let named = r.groups.iter().any(|g| g.label != g.key);
    // A terminal or memo table puts each name under its id, so that the table fits 100 columns;
    // Markdown gives the name a column.
    let name_column = named && layout.markdown;
    let mut columns = vec![Column::wrapping(key)];
    if name_column {
        columns.push(Column::wrapping("name"));
    }
    if !per_procedure {
        columns.push(Column::right("procs"));
    }
    columns.extend(["docs", "now", "roadmap", "subs / yr", "after roadmap", &format!("saves{cur} / yr")].into_iter().map(Column::right));
    // A national catalog has 100,000 procedures: their cells are formatted on every core.
    let rows: Vec<Vec<String>> = r
        .groups
        .par_iter()
        .map(|row| {
            let name = if row.label == row.key { "" } else { row.label.as_str() };
            let mut cells = if name_column {
                vec![row.key.clone(), name.to_string()]
            } else if name.is_empty() {
                vec![row.key.clone()]
            } else {
                vec![format!("{}\n{name}", row.key)]
            };
            if !per_procedure {
                cells.push(thousands(row.procedures));
            }
            cells.extend([
                thousands(row.figures.documents_before),
                thousands(row.figures.documents_after_now),
                thousands(row.figures.documents_after_roadmap),
                thousands(row.figures.submissions_before),
                thousands(row.figures.submissions_after_roadmap),
                money(row.figures.money_saved_after_roadmap),
            ]);
            cells
        })
        .collect();
    let mut t = TextTable::new(layout, columns);
    t.rows(rows);
    let _ = writeln!(out, "{t}\n");
}

/// The ten documents whose removal saves the most submissions.
fn opportunities_section(out: &mut String, ws: &Workspace, r: &Overview<'_>, lang: Lang, layout: Layout) {
    heading(out, layout, "Top opportunities");
    let mut t = TextTable::new(
        layout,
        vec![
            Column::wrapping("document"),
            Column::left("status"),
            Column::right("components"),
            Column::right("procedures"),
            Column::right("submissions / year"),
        ],
    );
    for o in r.opportunities.iter().take(10) {
        let doc = ws
            .doc_ids
            .get(&o.document)
            .map(|d| {
                let d = &ws.documents[d];
                Workspace::label(&d.id, d.name.as_deref(), d.name_en.as_deref(), lang).to_string()
            })
            .unwrap_or(o.document.clone());
        t.row(vec![doc, o.status.as_str().to_string(), thousands(o.components), thousands(o.procedures), thousands(o.submissions)]);
    }
    let _ = writeln!(out, "{t}\n");
}

/// How much of the catalog the rules understand, by ministry, and the unmapped wordings most
/// asked for (the analyst's to-do list); nothing for a catalog with neither unmapped wordings
/// nor cases, whose every document the rules know.
fn coverage_section(out: &mut String, ws: &Workspace, r: &Overview<'_>, lang: Lang, layout: Layout) {
    let c = &*r.coverage;
    if c.overall.unmapped == 0 && c.cased.is_empty() {
        return;
    }
    heading(out, layout, "Mapping of the catalog's documents");
    let mut t = TextTable::new(
        layout,
        vec![
            Column::wrapping("ministry"),
            Column::right("procedures"),
            Column::right("components"),
            Column::right("mapped"),
            Column::right("forms"),
            Column::right("unmapped"),
        ],
    );
    // The ministries with most components.
    let rows = crate::report::summary::mapping_rows(ws, c, lang);
    let (all, ministries) = rows.split_last().expect("the table ends with the whole catalog");
    let others = ministries.len().saturating_sub(10);
    for row in ministries.iter().take(10).chain(std::iter::once(all)) {
        t.row(vec![
            row.label.clone(),
            thousands(row.m.procedures),
            thousands(row.m.components),
            row.mapped.clone(),
            row.forms.clone(),
            row.unmapped.clone(),
        ]);
    }
    let _ = writeln!(out, "{t}\n");
    if others > 0 {
        let _ = writeln!(out, "({} more ministries or agencies in analysis.json.)\n", thousands(others as u64));
    }
    if !c.unmapped.is_empty() {
        let _ =
            writeln!(out, "Most frequent unmapped wordings: add each to the `names` of the document it is, in rules/, and import again.\n");
        let mut t = TextTable::new(layout, vec![Column::wrapping("wording"), Column::right("components"), Column::right("procedures")]);
        for u in c.unmapped.iter().take(10) {
            t.row(vec![u.name.clone(), thousands(u.components), thousands(u.procedures)]);
        }
        let _ = writeln!(out, "{t}\n");
    }
    if !c.cased.is_empty() {
        let cases: u64 = c.cased.iter().map(|p| p.cases).sum();
        let _ = writeln!(
            out,
            "{} list their dossier per case ({}): a component asked in one case weighs that case's share of the volume.\n",
            count(c.cased.len(), "procedure"),
            count(cases as usize, "case")
        );
    }
}

/// The ten facts most asked for that no database provides; nothing when every fact has one.
fn unmet_demand_section(out: &mut String, r: &Overview<'_>, lang: Lang, layout: Layout) {
    if r.unmet_facts.is_empty() {
        return;
    }
    heading(out, layout, "Unmet data demand (facts no database provides)");
    let mut t = TextTable::new(
        layout,
        vec![
            Column::left("fact"),
            Column::wrapping("name"),
            Column::right("components"),
            Column::right("procedures"),
            Column::right("submissions / year"),
        ],
    );
    for u in r.unmet_facts.iter().take(10) {
        let name = Workspace::label(&u.fact, u.name.as_deref(), u.name_en.as_deref(), lang);
        t.row(vec![u.fact.clone(), name.to_string(), u.components.to_string(), u.procedures.to_string(), thousands(u.submissions)]);
    }
    let _ = writeln!(out, "{t}\n");
}

/// The ten busiest documents a procedure issues without recording them anywhere, while another
/// procedure asks the citizen for them again.
fn once_only_gaps_section(out: &mut String, r: &Overview<'_>, layout: Layout) {
    use crate::findings::ChainKind;
    let mut gaps: Vec<_> = r.chains.iter().filter(|c| c.kind == ChainKind::OnceOnlyGap).collect();
    gaps.sort_by(|a, b| b.submissions.cmp(&a.submissions).then_with(|| a.document.cmp(&b.document)));
    if gaps.is_empty() {
        return;
    }
    heading(out, layout, "Once-only gaps (a procedure's result is stored nowhere, and another asks for it again)");
    for c in gaps.iter().take(10) {
        let issuers = if c.recording_nowhere.len() == 1 {
            c.recording_nowhere[0].clone()
        } else {
            format!("{} and {}", c.recording_nowhere[0], count(c.recording_nowhere.len() - 1, "other procedure"))
        };
        let askers =
            c.to.iter().filter(|l| l.kind != ChainKind::Lookup).map(|l| l.procedure.as_str()).collect::<std::collections::BTreeSet<_>>();
        let _ = writeln!(
            out,
            "- `{}`: issued by {issuers} without storing it; asked for again by {} ({} submissions / year)",
            c.document,
            count(askers.len(), "procedure"),
            thousands(c.submissions)
        );
    }
    let _ = writeln!(out);
}

/// `n` and the noun, plural unless `n` is 1: "1 procedure", "2 procedures", "2 agencies".
pub fn count(n: usize, noun: &str) -> String {
    match noun.strip_suffix('y') {
        Some(stem) if n != 1 && !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{} {stem}ies", thousands(n as u64)),
        _ => format!("{} {noun}{}", thousands(n as u64), if n == 1 { "" } else { "s" }),
    }
}

/// Writes one CSV row with every cell safe to open in a spreadsheet (see [`spreadsheet_safe`]).
pub fn csv_row<W: std::io::Write>(w: &mut csv::Writer<W>, cells: impl IntoIterator<Item = impl AsRef<str>>) -> csv::Result<()> {
    w.write_record(cells.into_iter().map(|c| spreadsheet_safe(c.as_ref()).into_owned()))
}

/// A cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return, and is not a plain number) gets a leading `'`, which spreadsheets
/// show as text (OWASP's advice on CSV injection). `import` takes the `'` off again.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if cell.parse::<f64>().is_err() => format!("'{cell}").into(),
        // A text that starts with the mark itself keeps it through `import`, which takes one off.
        Some('\'') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A cell as [`spreadsheet_safe`] wrote it, back as it was.
pub fn spreadsheet_unsafe(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) => rest,
        _ => cell,
    }
}

/// One CSV row per component.
pub fn analysis_csv(r: &AnalysisReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = csv_row(
        &mut w,
        [
            "procedure",
            "name",
            "agency",
            "level",
            "sector",
            "annual_volume",
            "component",
            "document",
            "of",
            "status",
            "reason",
            "alternatives",
            "needed_facts",
            "lookups",
            "missing_facts",
            "duplicate_of",
            "unlocked_by",
            "phase",
        ],
    );
    for p in &r.procedures {
        for (i, c) in p.components.iter().enumerate() {
            let _ = csv_row(
                &mut w,
                [
                    &*p.id,
                    &*p.name,
                    &*p.agency,
                    &*p.level,
                    p.sector.as_deref().unwrap_or(""),
                    &p.annual_volume.to_string(),
                    &(i + 1).to_string(),
                    &*c.document,
                    c.of.as_deref().unwrap_or(""),
                    c.status.as_str(),
                    c.reason.map(|x| x.as_str()).unwrap_or(""),
                    &c.alternatives.join(" "),
                    &c.needed_facts.join(" "),
                    &c.lookups.join(" "),
                    &c.missing_facts.join(" "),
                    c.duplicate_of.as_deref().unwrap_or(""),
                    &c.unlocked_by.join(" "),
                    &c.phase.map(|p| p.to_string()).unwrap_or_default(),
                ],
            );
        }
    }
    String::from_utf8(w.into_inner().expect("in-memory csv")).expect("utf-8 csv")
}

/// The roadmap as text: phase 0, then phases with their steps, then progress.
pub fn roadmap_text(ws: &Workspace, r: &RoadmapReport, lang: Lang, layout: Layout, progress_only: bool) -> String {
    let cur = currency_suffix(&r.currency);
    let mut out = String::new();
    if !progress_only {
        title(&mut out, layout, &format!("Roadmap from {}", r.as_of));
        phase0_section(&mut out, &r.phase0, &cur, layout);
        for ph in &r.phases {
            phase_section(&mut out, ws, r, ph, &cur, layout);
        }
        if r.steps.is_empty() {
            let _ = writeln!(out, "No open task: nothing to schedule.\n");
        }
    }
    progress_section(&mut out, ws, &r.progress, lang, layout);
    overdue_section(&mut out, &r.progress, layout);
    crate::report::table::fit_prose(out, layout)
}

/// What can stop being asked for by decision alone, before any task.
fn phase0_section(out: &mut String, p0: &Phase0, cur: &str, layout: Layout) {
    heading(out, layout, "Phase 0: stop asking (needs only a decision)");
    let _ = writeln!(
        out,
        "{} components in {} procedures ({} lookups, {} duplicates): {} submissions and{} {} a year.\n",
        thousands(p0.components),
        thousands(p0.procedures),
        thousands(p0.lookup_now),
        thousands(p0.duplicate),
        thousands(p0.submissions),
        cur,
        money(p0.money)
    );
}

/// One phase: its steps, each with what it unlocks and what then remains.
fn phase_section(out: &mut String, ws: &Workspace, r: &RoadmapReport, ph: &PhaseReport, cur: &str, layout: Layout) {
    heading(out, layout, &format!("Phase {} ({} to {}), effort {}", ph.phase, ph.start, ph.end, trim_float(ph.effort)));
    if r.phases.first().is_some_and(|f| f.phase == ph.phase) {
        let unlocks =
            if layout.markdown { "documents, procedures, submissions and money a year" } else { "documents, submissions and money a year" };
        let _ = writeln!(
            out,
            "Each step: what it unlocks ({unlocks}). OVERDUE: its due date has passed already; AT RISK: its phase ends after its due date.\n"
        );
    }
    // A terminal or memo table puts each task's title under its id and the deadline under the
    // due date, so that a phase fits 100 columns; Markdown keeps one line per step.
    let md = layout.markdown;
    let mut columns: Vec<Column> = if md { vec![Column::left("task"), Column::left("what")] } else { vec![Column::wrapping("step")] };
    columns.extend([Column::wrapping("owner"), Column::left("due")]);
    if md {
        columns.push(Column::left("deadline"));
    }
    // Procedures are about as many as documents a step unlocks: a terminal shows documents only.
    let figures: &[&str] = if md { &["effort", "docs", "procs", "subs / yr"] } else { &["effort", "docs", "subs / yr"] };
    columns.extend(figures.iter().copied().chain([format!("saves{cur} / yr").as_str()]).map(Column::right));
    let mut t = TextTable::new(layout, columns);
    let steps: Vec<_> = r.steps.iter().filter(|s| s.phase == ph.phase).collect();
    for s in &steps {
        // Dates are YYYY-MM-DD, so their text orders as the dates do.
        let overdue = s.due.as_deref().is_some_and(|d| d < r.as_of.as_str());
        let deadline = if overdue {
            "OVERDUE"
        } else if s.at_risk {
            "AT RISK"
        } else {
            ""
        };
        let owner = ws.agency_ids.get(&s.owner).map(|i| ws.agencies[i].id.clone()).unwrap_or_else(|| s.owner.clone());
        let due = s.due.clone().unwrap_or_default();
        let mut cells = if md {
            vec![s.task.clone(), s.title.clone(), owner, due, deadline.to_string()]
        } else {
            let step = if s.title.is_empty() { s.task.clone() } else { format!("{}\n{}", s.task, s.title) };
            vec![step, owner, if deadline.is_empty() { due } else { format!("{due}\n{deadline}") }]
        };
        cells.extend([trim_float(s.effort), thousands(s.unlocks.components)]);
        if md {
            cells.push(thousands(s.unlocks.procedures));
        }
        cells.extend([thousands(s.unlocks.submissions), money(s.unlocks.money)]);
        t.row(cells);
    }
    let _ = writeln!(out, "{t}\n");
    if let Some(last) = steps.last() {
        let _ = writeln!(
            out,
            "After phase {}: {} documents and {} submissions a year remain.\n",
            ph.phase,
            thousands(last.remaining.documents),
            thousands(last.remaining.submissions)
        );
    }
    // A step larger than a phase's capacity has a phase to itself and still runs over it.
    if let Some(cap) = r.capacity_per_phase {
        for s in r.steps.iter().filter(|s| s.phase == ph.phase && s.effort > cap) {
            let _ = writeln!(
                out,
                "Note: `{}` takes an effort of {}, more than a phase's capacity of {}: it fills this phase alone and needs more than its time.\n",
                s.task,
                trim_float(s.effort),
                trim_float(cap)
            );
        }
    }
}

/// Tasks by status, overall and per owner agency.
fn progress_section(out: &mut String, ws: &Workspace, p: &ProgressReport, lang: Lang, layout: Layout) {
    heading(out, layout, "Progress");
    let share = |n: u64| pct(n, p.total);
    let _ = writeln!(
        out,
        "Of {} tasks, {} done ({}), {} routine ({}), {} in progress ({}), {} not started ({}); {} overdue.\n",
        p.total,
        p.done,
        share(p.done),
        p.routine,
        share(p.routine),
        p.in_progress,
        share(p.in_progress),
        p.not_started,
        share(p.not_started),
        p.overdue.len()
    );
    let mut columns = vec![Column::wrapping("owner")];
    columns.extend(["tasks", "done", "routine", "in progress", "not started", "overdue"].into_iter().map(Column::right));
    let mut t = TextTable::new(layout, columns);
    for o in &p.by_owner {
        let name = ws
            .agency_ids
            .get(&o.owner)
            .map(|i| {
                let a = &ws.agencies[i];
                let label = Workspace::label(&a.id, a.name.as_deref(), a.name_en.as_deref(), lang);
                if label == a.id { a.id.clone() } else { format!("{} ({label})", a.id) }
            })
            .unwrap_or_else(|| if o.owner.is_empty() { "(none)".into() } else { o.owner.clone() });
        let mut cells = vec![name];
        cells.extend([o.total, o.done, o.routine, o.in_progress, o.not_started, o.overdue].map(|n| n.to_string()));
        t.row(cells);
    }
    let _ = writeln!(out, "{t}\n");
}

/// Tasks past their due date, oldest first; nothing when none is.
fn overdue_section(out: &mut String, p: &ProgressReport, layout: Layout) {
    if p.overdue.is_empty() {
        return;
    }
    heading(out, layout, "Overdue tasks, oldest first");
    let mut t = TextTable::new(
        layout,
        vec![
            Column::wrapping("task"),
            Column::wrapping("owner"),
            Column::left("due"),
            Column::right("days overdue"),
            Column::left("status"),
        ],
    );
    for o in &p.overdue {
        t.row(vec![o.task.clone(), o.owner.clone(), o.due.clone(), o.days_overdue.to_string(), o.status.as_str().to_string()]);
    }
    let _ = writeln!(out, "{t}\n");
}

/// One CSV row per roadmap step.
pub fn roadmap_csv(r: &RoadmapReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = csv_row(
        &mut w,
        [
            "step",
            "task",
            "title",
            "owner",
            "status",
            "due",
            "effort",
            "phase",
            "phase_start",
            "phase_end",
            "at_risk",
            "components",
            "procedures",
            "submissions",
            "money",
            "remaining_documents",
            "remaining_submissions",
        ],
    );
    for (i, s) in r.steps.iter().enumerate() {
        let _ = csv_row(
            &mut w,
            [
                (i + 1).to_string(),
                s.task.clone(),
                s.title.clone(),
                s.owner.clone(),
                s.status.as_str().to_string(),
                s.due.clone().unwrap_or_default(),
                trim_float(s.effort),
                s.phase.to_string(),
                s.phase_start.clone(),
                s.phase_end.clone(),
                s.at_risk.to_string(),
                s.unlocks.components.to_string(),
                s.unlocks.procedures.to_string(),
                s.unlocks.submissions.to_string(),
                format!("{:.0}", s.unlocks.money),
                s.remaining.documents.to_string(),
                s.remaining.submissions.to_string(),
            ],
        );
    }
    String::from_utf8(w.into_inner().expect("in-memory csv")).expect("utf-8 csv")
}

/// 2.0 → "2", 2.5 → "2.5".
pub fn trim_float(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") }
}

/// Cuts text to `n` characters, marking the cut.
pub fn ellipsis(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { format!("{}…", s.chars().take(n - 1).collect::<String>().trim_end()) }
}

/// A status word padded for aligned text.
pub fn status_word(s: Status) -> &'static str {
    s.as_str()
}

#[cfg(test)]
mod whole_tests {
    use super::whole;

    /// Money past what 64 bits hold is written as the float holds it, never stopped at
    /// u64::MAX nor given digits it does not have.
    #[test]
    fn whole_numbers_of_any_size() {
        assert_eq!(whole(0.0), "0");
        assert_eq!(whole(1_234.5), "1,235");
        assert_eq!(whole(-3.0), "0");
        assert_eq!(whole(f64::NAN), "0");
        assert_eq!(whole(9_007_199_254_740_991.0), "9,007,199,254,740,991");
        assert_eq!(whole(1.8446744073709552e19), "18,446,744,073,709,552,000");
        assert_eq!(whole(3.29999799985998e23), "329,999,799,985,998,000,000,000");
    }
}
