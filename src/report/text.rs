//! Renderers: one function per output format. Input is report data; output is text.

use crate::engine::classify::Status;
use crate::report::*;
use crate::workspace::{Lang, Workspace};
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
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
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Money rounded to whole units with separators.
pub fn money(v: f64) -> String {
    thousands(v.max(0.0).round() as u64)
}

/// Percentage of `part` in `whole`, one decimal.
pub fn pct(part: u64, whole: u64) -> String {
    if whole == 0 { "0.0%".into() } else { format!("{:.1}%", part as f64 * 100.0 / whole as f64) }
}

/// A table for a terminal (light borders) or Markdown.
pub fn table(md: bool) -> Table {
    let mut t = Table::new();
    t.load_preset(if md { presets::ASCII_MARKDOWN } else { presets::UTF8_BORDERS_ONLY });
    t.set_content_arrangement(ContentArrangement::Disabled);
    t
}

/// Tables of at most this many rows are laid out by comfy-table alone.
const SMALL: usize = 64;

/// A table of `header` and `rows` (cells of one line, the `i`-th aligned `align[i]`) as text,
/// exactly what `format!("{}", table)` gives for [`table`]`(md)` with them.
///
/// A table of thousands of rows (one per procedure of a national catalog) would take
/// comfy-table half a second on one core. So comfy-table lays out the header, the frame and one
/// probe row at the column widths of the whole table, and every row is then written into the
/// probe row's borders on every core. Where the table is not one line per row (a cell of
/// several lines, rule lines between rows, an empty column), comfy-table lays out the whole.
pub fn layout(md: bool, header: Vec<Cell>, align: &[CellAlignment], rows: Vec<Vec<String>>) -> String {
    use comfy_table::{ColumnConstraint, Width};
    use rayon::prelude::*;
    use unicode_width::UnicodeWidthStr;
    let cells = |row: &[String]| -> Vec<Cell> {
        row.iter().zip(align.iter().chain(std::iter::repeat(&CellAlignment::Left))).map(|(s, &a)| Cell::new(s).set_alignment(a)).collect()
    };
    let whole = |header: Vec<Cell>, rows: &[Vec<String>]| {
        let mut t = table(md);
        t.set_header(header);
        t.add_rows(rows.iter().map(|r| cells(r)));
        t.to_string()
    };
    let n = header.len();
    let one_line = |s: &str| !s.contains('\n');
    if rows.len() <= SMALL
        || !header.iter().all(|c| one_line(&c.content()))
        || !rows.par_iter().all(|r| r.len() == n && r.iter().all(|s| one_line(s)))
    {
        return whole(header, &rows);
    }
    let header_widths: Vec<usize> = header.iter().map(|c| c.content().width()).collect();
    let widths = rows.par_iter().fold(
        || header_widths.clone(),
        |mut w, r| {
            w.iter_mut().zip(r).for_each(|(w, s)| *w = (*w).max(s.width()));
            w
        },
    );
    let widths = widths.reduce(|| header_widths.clone(), |a, b| a.iter().zip(&b).map(|(a, b)| *a.max(b)).collect());
    // The probe row: every cell filled with `x` to its column's width. No preset draws an `x`.
    let probe: Vec<String> = widths.iter().map(|&w| "x".repeat(w)).collect();
    let fixed = |t: &mut Table| {
        for (column, &w) in t.column_iter_mut().zip(&widths) {
            let fixed = w.saturating_add(column.padding_width().into());
            column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(u16::try_from(fixed).unwrap_or(u16::MAX))));
        }
    };
    let frame_of = |k: usize| {
        let mut t = table(md);
        t.add_rows(std::iter::repeat_n(cells(&probe), k));
        fixed(&mut t);
        t.to_string()
    };
    let (one, two) = (frame_of(1), frame_of(2));
    let (one, two): (Vec<&str>, Vec<&str>) = (one.split('\n').collect(), two.split('\n').collect());
    // One line more for a second row: no rule lines between rows.
    let frame = one.len().saturating_sub(1) / 2;
    if two.len() != one.len() + 1 || one.len() != 2 * frame + 1 {
        return whole(header, &rows);
    }
    let line = one[frame];
    // The borders and padding around the cells: the text between the runs of `x`.
    let mut gaps: Vec<&str> = Vec::with_capacity(n + 1);
    let mut rest = line;
    for &w in &widths {
        let Some(at) = rest.find('x') else { return whole(header, &rows) };
        let run = rest[at..].bytes().take_while(|&b| b == b'x').count();
        if run != w {
            return whole(header, &rows);
        }
        gaps.push(&rest[..at]);
        rest = &rest[at + w..];
    }
    if rest.contains('x') {
        return whole(header, &rows);
    }
    gaps.push(rest);
    let mut head = table(md);
    head.set_header(header.clone());
    head.add_row(cells(&probe));
    fixed(&mut head);
    let head = head.to_string();
    let head: Vec<&str> = head.split('\n').collect();
    // The header table is the frame above, the header, its rule, the probe row and the frame
    // below; the rows take the probe row's place.
    let at = head.len() - 1 - frame;
    if head[at] != line {
        return whole(header, &rows);
    }
    let spaces = |out: &mut String, k: usize| out.extend(std::iter::repeat_n(' ', k));
    let body: Vec<String> = rows
        .par_chunks(1024)
        .map(|chunk| {
            let mut out = String::with_capacity(chunk.len() * (line.len() + 16));
            for r in chunk {
                for (i, s) in r.iter().enumerate() {
                    out.push_str(gaps[i]);
                    let pad = widths[i] - s.width();
                    match align.get(i).copied().unwrap_or(CellAlignment::Left) {
                        CellAlignment::Left => {
                            out.push_str(s);
                            spaces(&mut out, pad);
                        }
                        CellAlignment::Right => {
                            spaces(&mut out, pad);
                            out.push_str(s);
                        }
                        CellAlignment::Center => {
                            spaces(&mut out, pad.div_ceil(2));
                            out.push_str(s);
                            spaces(&mut out, pad / 2);
                        }
                    }
                }
                out.push_str(gaps[n]);
                out.push('\n');
            }
            out
        })
        .collect();
    let mut out = String::with_capacity(body.iter().map(String::len).sum::<usize>() + head.iter().map(|l| l.len() + 1).sum::<usize>());
    for l in &head[..at] {
        out.push_str(l);
        out.push('\n');
    }
    body.iter().for_each(|b| out.push_str(b));
    for l in &head[at + 1..] {
        out.push_str(l);
        out.push('\n');
    }
    out.pop();
    out
}

/// A right-aligned cell, for figures.
pub fn right(s: impl ToString) -> Cell {
    Cell::new(s.to_string()).set_alignment(CellAlignment::Right)
}

/// JSON with a trailing newline.
pub fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).expect("report serializes") + "\n"
}

/// The same text as [`json`], written to `w` as it is produced, so it is not held in memory a
/// second time. `w` should be buffered: the pretty printer writes many small pieces.
pub fn write_json<T: serde::Serialize, W: std::io::Write>(mut w: W, v: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut w, v).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}

/// The analysis as a memo-ready summary: totals, groups, top opportunities.
pub fn analysis_text(ws: &Workspace, r: &Overview<'_>, lang: Lang, md: bool) -> String {
    let (t, by) = (&r.totals, r.by);
    let cur = if r.currency.is_empty() { String::new() } else { format!(" {}", r.currency) };
    let mut out = String::new();
    let h = |out: &mut String, s: &str| {
        if md {
            let _ = writeln!(out, "## {s}\n");
        } else {
            let _ = writeln!(out, "{s}\n{}", "─".repeat(s.chars().count()));
        }
    };
    if md {
        let _ = writeln!(out, "# Paperwork analysis as of {}\n", r.as_of);
    } else {
        let _ = writeln!(out, "Paperwork analysis as of {}\n", r.as_of);
    }
    h(&mut out, "Totals");
    let mut tt = table(md);
    tt.set_header(vec![Cell::new(""), right("documents"), right("share"), right("submissions / year"), right("share")]);
    for (label, d, s) in [
        ("Asked for today", t.documents_before, t.submissions_before),
        ("After lookups now", t.documents_after_now, t.submissions_after_now),
        ("After the roadmap", t.documents_after_roadmap, t.submissions_after_roadmap),
    ] {
        tt.add_row(vec![
            Cell::new(label),
            right(thousands(d)),
            right(pct(d, t.documents_before)),
            right(thousands(s)),
            right(pct(s, t.submissions_before)),
        ]);
    }
    let _ = writeln!(out, "{tt}\n");
    let _ = writeln!(
        out,
        "{} procedures, {} document components: {} lookup now, {} duplicate, {} lookup after the roadmap, {} partial, {} kept.",
        thousands(t.procedures),
        thousands(t.components),
        thousands(t.lookup_now),
        thousands(t.duplicate),
        thousands(t.lookup_after),
        thousands(t.partial),
        thousands(t.kept)
    );
    let _ = writeln!(
        out,
        "Saved per year: {} hours and{} {} now; {} hours and{} {} after the roadmap (Standard Cost Model).\n",
        thousands(t.hours_saved_now.round() as u64),
        cur,
        money(t.money_saved_now),
        thousands(t.hours_saved_after_roadmap.round() as u64),
        cur,
        money(t.money_saved_after_roadmap)
    );
    let title = match by {
        GroupBy::Procedure => "By procedure",
        GroupBy::Agency => "By agency",
        GroupBy::Sector => "By sector",
        GroupBy::Level => "By level",
        GroupBy::LifeEvent => "By life event",
    };
    h(&mut out, title);
    let per_procedure = by == GroupBy::Procedure;
    let mut header = vec![Cell::new(if per_procedure { "procedure" } else { "group" }), Cell::new("name")];
    if !per_procedure {
        header.push(right("procs"));
    }
    header.extend([
        right("docs"),
        right("now"),
        right("roadmap"),
        right("subs / yr"),
        right("after roadmap"),
        right(format!("saves{cur} / yr")),
    ]);
    // One row per procedure of the catalog by default: made and laid out on every core.
    let mut align = vec![CellAlignment::Left; 2];
    align.resize(header.len(), CellAlignment::Right);
    let rows: Vec<Vec<String>> = {
        use rayon::prelude::*;
        r.groups
            .par_iter()
            .map(|row| {
                let label = if row.label == row.key { String::new() } else { ellipsis(&row.label, 40) };
                let mut cells = vec![row.key.clone(), label];
                if !per_procedure {
                    cells.push(thousands(row.procedures));
                }
                cells.extend([
                    thousands(row.documents_before),
                    thousands(row.documents_after_now),
                    thousands(row.documents_after_roadmap),
                    thousands(row.submissions_before),
                    thousands(row.submissions_after_roadmap),
                    money(row.money_saved_after_roadmap),
                ]);
                cells
            })
            .collect()
    };
    let _ = writeln!(out, "{}\n", layout(md, header, &align, rows));
    h(&mut out, "Top opportunities");
    let mut ot = table(md);
    ot.set_header(vec![Cell::new("document"), Cell::new("status"), right("components"), right("procedures"), right("submissions / year")]);
    for o in r.opportunities.iter().take(10) {
        let doc = ws
            .doc_ids
            .get(&o.document)
            .map(|d| {
                let d = &ws.documents[d as usize];
                Workspace::label(&d.id, d.name.as_deref(), d.name_en.as_deref(), lang).to_string()
            })
            .unwrap_or(o.document.clone());
        ot.add_row(vec![
            Cell::new(doc),
            Cell::new(o.status.as_str()),
            right(thousands(o.components)),
            right(thousands(o.procedures)),
            right(thousands(o.submissions)),
        ]);
    }
    let _ = writeln!(out, "{ot}\n");
    if !r.unmet_facts.is_empty() {
        h(&mut out, "Unmet data demand (facts no database provides)");
        let mut ut = table(md);
        ut.set_header(vec![Cell::new("fact"), Cell::new("name"), right("components"), right("procedures"), right("submissions / year")]);
        for u in r.unmet_facts.iter().take(10) {
            let name = Workspace::label(&u.fact, u.name.as_deref(), u.name_en.as_deref(), lang);
            ut.add_row(vec![
                Cell::new(&u.fact),
                Cell::new(name),
                right(u.components),
                right(u.procedures),
                right(thousands(u.submissions)),
            ]);
        }
        let _ = writeln!(out, "{ut}\n");
    }
    let mut gaps: Vec<_> = r.chains.iter().filter(|c| c.kind == crate::findings::ChainKind::OnceOnlyGap).collect();
    gaps.sort_by(|a, b| b.submissions.cmp(&a.submissions).then_with(|| a.document.cmp(&b.document)));
    if !gaps.is_empty() {
        h(&mut out, "Once-only gaps (a procedure's result is stored nowhere, and another asks for it again)");
        for c in gaps.iter().take(10) {
            let issuers = if c.recording_nowhere.len() == 1 {
                c.recording_nowhere[0].clone()
            } else {
                format!("{} and {} other procedures", c.recording_nowhere[0], c.recording_nowhere.len() - 1)
            };
            let askers =
                c.to.iter()
                    .filter(|l| l.kind != crate::findings::ChainKind::Lookup)
                    .map(|l| l.procedure.as_str())
                    .collect::<std::collections::BTreeSet<_>>();
            let _ = writeln!(
                out,
                "- `{}`: issued by {issuers} without storing it; asked for again by {} procedure{} ({} submissions / year)",
                c.document,
                askers.len(),
                if askers.len() == 1 { "" } else { "s" },
                thousands(c.submissions)
            );
        }
        let _ = writeln!(out);
    }
    out
}

/// One CSV row per component.
pub fn analysis_csv(r: &AnalysisReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
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
    ]);
    for p in &r.procedures {
        for (i, c) in p.components.iter().enumerate() {
            let _ = w.write_record([
                p.id.as_str(),
                p.name.as_str(),
                p.agency.as_str(),
                p.level.as_str(),
                p.sector.as_deref().unwrap_or(""),
                &p.annual_volume.to_string(),
                &(i + 1).to_string(),
                c.document.as_str(),
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
            ]);
        }
    }
    String::from_utf8(w.into_inner().expect("in-memory csv")).expect("utf-8 csv")
}

/// The roadmap as text: phase 0, then phases with their steps, then progress.
pub fn roadmap_text(ws: &Workspace, r: &RoadmapReport, lang: Lang, md: bool, progress_only: bool) -> String {
    let mut out = String::new();
    let cur = if r.currency.is_empty() { String::new() } else { format!(" {}", r.currency) };
    let h = |out: &mut String, s: &str| {
        if md {
            let _ = writeln!(out, "## {s}\n");
        } else {
            let _ = writeln!(out, "{s}\n{}", "─".repeat(s.chars().count()));
        }
    };
    if !progress_only {
        if md {
            let _ = writeln!(out, "# Roadmap from {}\n", r.as_of);
        } else {
            let _ = writeln!(out, "Roadmap from {}\n", r.as_of);
        }
        h(&mut out, "Phase 0: stop asking (needs only a decision)");
        let p0 = &r.phase0;
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
        for ph in &r.phases {
            h(&mut out, &format!("Phase {} ({} to {}), effort {}", ph.phase, ph.start, ph.end, trim_float(ph.effort)));
            if r.phases.first().is_some_and(|f| f.phase == ph.phase) {
                let _ =
                    writeln!(out, "Each step: what it unlocks (documents, procedures, submissions and money a year), then what remains.\n");
            }
            let mut t = table(md);
            t.set_header(vec![
                Cell::new("task"),
                Cell::new("what"),
                Cell::new("owner"),
                Cell::new("due"),
                right("effort"),
                right("docs"),
                right("procs"),
                right("subs / yr"),
                right(format!("saves{cur} / yr")),
                right("docs left"),
                right("subs left"),
                Cell::new(""),
            ]);
            for s in r.steps.iter().filter(|s| s.phase == ph.phase) {
                let owner = ws.agency_ids.get(&s.owner).map(|i| ws.agencies[i as usize].id.clone()).unwrap_or_else(|| s.owner.clone());
                let title = ellipsis(&s.title, 44);
                t.add_row(vec![
                    Cell::new(&s.task),
                    Cell::new(title),
                    Cell::new(owner),
                    Cell::new(s.due.clone().unwrap_or_default()),
                    right(trim_float(s.effort)),
                    right(thousands(s.unlocks.components)),
                    right(thousands(s.unlocks.procedures)),
                    right(thousands(s.unlocks.submissions)),
                    right(money(s.unlocks.money)),
                    right(thousands(s.remaining.documents)),
                    right(thousands(s.remaining.submissions)),
                    Cell::new(if s.at_risk { "AT RISK" } else { "" }),
                ]);
            }
            let _ = writeln!(out, "{t}\n");
        }
        if r.steps.is_empty() {
            let _ = writeln!(out, "No open task: nothing to schedule.\n");
        }
    }
    let p = &r.progress;
    h(&mut out, "Progress");
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
    let mut t = table(md);
    t.set_header(vec![
        Cell::new("owner"),
        right("tasks"),
        right("done"),
        right("routine"),
        right("in progress"),
        right("not started"),
        right("overdue"),
    ]);
    for o in &p.by_owner {
        let name = ws
            .agency_ids
            .get(&o.owner)
            .map(|i| {
                let a = &ws.agencies[i as usize];
                let label = Workspace::label(&a.id, a.name.as_deref(), a.name_en.as_deref(), lang);
                if label == a.id { a.id.clone() } else { format!("{} ({label})", a.id) }
            })
            .unwrap_or_else(|| if o.owner.is_empty() { "(none)".into() } else { o.owner.clone() });
        t.add_row(vec![
            Cell::new(name),
            right(o.total),
            right(o.done),
            right(o.routine),
            right(o.in_progress),
            right(o.not_started),
            right(o.overdue),
        ]);
    }
    let _ = writeln!(out, "{t}\n");
    if !p.overdue.is_empty() {
        h(&mut out, "Overdue tasks, oldest first");
        let mut t = table(md);
        t.set_header(vec![Cell::new("task"), Cell::new("owner"), Cell::new("due"), right("days overdue"), Cell::new("status")]);
        for o in &p.overdue {
            t.add_row(vec![
                Cell::new(&o.task),
                Cell::new(&o.owner),
                Cell::new(&o.due),
                right(o.days_overdue),
                Cell::new(o.status.as_str()),
            ]);
        }
        let _ = writeln!(out, "{t}\n");
    }
    out
}

/// One CSV row per roadmap step.
pub fn roadmap_csv(r: &RoadmapReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
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
    ]);
    for (i, s) in r.steps.iter().enumerate() {
        let _ = w.write_record([
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
        ]);
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
mod tests {
    use super::*;

    /// Rows of every width: Vietnamese with combining marks, wide CJK, empty cells, long and
    /// short figures, the widest cell in a late row.
    fn rows(n: usize) -> Vec<Vec<String>> {
        let names = ["Đăng ký khai sinh", "", "登记", "Cấp lại giấy phép lái xe (Hà Nội)", "x"];
        (0..n)
            .map(|i| {
                let name = if i + 3 == n { "a name wider than any other in the whole table" } else { names[i % names.len()] };
                vec![
                    format!("1.{i:06}"),
                    name.to_string(),
                    thousands((i as u64 * 7919) % 1_000_003),
                    money(i as f64 * 1.5),
                    "·".repeat(i % 3),
                ]
            })
            .collect()
    }

    const ALIGN: [CellAlignment; 5] =
        [CellAlignment::Left, CellAlignment::Left, CellAlignment::Right, CellAlignment::Right, CellAlignment::Center];

    fn header() -> Vec<Cell> {
        vec![
            Cell::new("procedure"),
            Cell::new("name"),
            right("docs"),
            right("saves VND / yr"),
            Cell::new("c").set_alignment(CellAlignment::Center),
        ]
    }

    /// What comfy-table gives for the whole table.
    fn whole(md: bool, rows: &[Vec<String>]) -> String {
        let mut t = table(md);
        t.set_header(header());
        t.add_rows(rows.iter().map(|r| r.iter().zip(ALIGN).map(|(s, a)| Cell::new(s).set_alignment(a)).collect::<Vec<_>>()));
        t.to_string()
    }

    #[test]
    fn a_large_table_written_into_the_probe_rows_borders_reads_as_the_whole() {
        for md in [false, true] {
            for n in [SMALL + 1, 3 * 1024 + 17] {
                let laid = layout(md, header(), &ALIGN, rows(n));
                assert_eq!(laid, whole(md, &rows(n)), "md {md}, {n} rows");
                assert_eq!(laid.lines().count(), n + if md { 2 } else { 4 });
            }
        }
    }

    #[test]
    fn a_table_with_a_cell_of_several_lines_is_laid_out_whole() {
        let mut r = rows(SMALL + 5);
        r[SMALL + 2][1] = "two\nlines".into();
        let laid = layout(false, header(), &ALIGN, r.clone());
        assert_eq!(laid, whole(false, &r));
        assert_eq!(laid.lines().count(), SMALL + 5 + 5);
    }

    #[test]
    fn a_table_with_an_empty_column_is_laid_out_whole() {
        // An empty column leaves no run of `x` in the probe row to find.
        let mut r = rows(SMALL + 5);
        r.iter_mut().for_each(|row| row[4].clear());
        let empty_header = || {
            let mut h = header();
            h[4] = Cell::new("");
            h
        };
        let mut t = table(false);
        t.set_header(empty_header());
        t.add_rows(r.iter().map(|row| row.iter().zip(ALIGN).map(|(s, a)| Cell::new(s).set_alignment(a)).collect::<Vec<_>>()));
        assert_eq!(layout(false, empty_header(), &ALIGN, r), t.to_string());
    }
}
