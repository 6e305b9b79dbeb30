//! Renderers: one function per output format. Input is report data; output is text.

use crate::analysis::Status;
use crate::report::*;
use crate::workspace::{Lang, Workspace};
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use std::fmt::Write as _;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
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

/// Rows per chunk of a large table laid out by [`layout`].
const CHUNK: usize = 4096;

/// A table of `header` and `rows` as text, exactly what `format!("{}", table)` gives for
/// [`table`]`(md)` with them. A table of thousands of rows (one per procedure of a national
/// catalog) is laid out in chunks on every core: each chunk is a table of its own held to the
/// column widths of the whole, and the chunks' rows are joined inside one frame. comfy-table
/// lays out 100,000 rows in about half a second on one core.
pub fn layout(md: bool, header: Vec<Cell>, rows: Vec<Vec<Cell>>) -> String {
    use comfy_table::{ColumnConstraint, Width};
    use rayon::prelude::*;
    let whole = |rows: Vec<Vec<Cell>>, header: Option<&Vec<Cell>>| {
        let mut t = table(md);
        if let Some(h) = header {
            t.set_header(h.clone());
        }
        t.add_rows(rows);
        t
    };
    // A cell of several lines makes a row of several lines: such a table is laid out whole.
    let multiline = || header.iter().any(|c| c.content().contains('\n')) || rows.par_iter().flatten().any(|c| c.content().contains('\n'));
    if rows.len() <= CHUNK || multiline() {
        return whole(rows, Some(&header)).to_string();
    }
    // The first chunk carries the header; the others are framed without one.
    let mut tables: Vec<Table> =
        rows.into_par_iter().chunks(CHUNK).enumerate().map(|(i, rows)| whole(rows, (i == 0).then_some(&header))).collect();
    let widths = tables.par_iter().map(Table::column_max_content_widths).reduce(Vec::new, |a, b| {
        let n = a.len().max(b.len());
        (0..n).map(|i| a.get(i).copied().unwrap_or(0).max(b.get(i).copied().unwrap_or(0))).collect()
    });
    let laid: Vec<String> = tables
        .par_iter_mut()
        .map(|t| {
            for (column, &w) in t.column_iter_mut().zip(&widths) {
                let fixed = w.saturating_add(column.padding_width());
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(fixed)));
            }
            t.to_string()
        })
        .collect();
    // A chunk without header is its rows between as many frame lines above as below (one for
    // light borders, none for Markdown); the first chunk is the frame above, the header and
    // its rows, then the frame below.
    let lines: Vec<Vec<&str>> = laid.iter().map(|text| text.split('\n').collect()).collect();
    let frame = (lines[1].len() - tables[1].row_count()) / 2;
    let first = &lines[0];
    let mut out: Vec<&str> = first[..first.len() - frame].to_vec();
    for chunk in &lines[1..] {
        out.extend(&chunk[frame..chunk.len() - frame]);
    }
    out.extend(&first[first.len() - frame..]);
    out.join("\n")
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
    let rows: Vec<Vec<Cell>> = {
        use rayon::prelude::*;
        r.groups
            .par_iter()
            .map(|row| {
                let label = if row.label == row.key { String::new() } else { ellipsis(&row.label, 40) };
                let mut cells = vec![Cell::new(&row.key), Cell::new(label)];
                if !per_procedure {
                    cells.push(right(thousands(row.procedures)));
                }
                cells.extend([
                    right(thousands(row.documents_before)),
                    right(thousands(row.documents_after_now)),
                    right(thousands(row.documents_after_roadmap)),
                    right(thousands(row.submissions_before)),
                    right(thousands(row.submissions_after_roadmap)),
                    right(money(row.money_saved_after_roadmap)),
                ]);
                cells
            })
            .collect()
    };
    let _ = writeln!(out, "{}\n", layout(md, header, rows));
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
    let mut gaps: Vec<_> = r.chains.iter().filter(|c| c.kind == crate::graph::ChainKind::OnceOnlyGap).collect();
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
                    .filter(|l| l.kind != crate::graph::ChainKind::Lookup)
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
    /// short figures, the widest cell in a late chunk.
    fn rows(n: usize) -> Vec<Vec<Cell>> {
        let names = ["Đăng ký khai sinh", "", "登记", "Cấp lại giấy phép lái xe (Hà Nội)", "x"];
        (0..n)
            .map(|i| {
                let name = if i == n - 3 {
                    "a name wider than any other in the whole table".to_string()
                } else {
                    names[i % names.len()].to_string()
                };
                vec![
                    Cell::new(format!("1.{i:06}")),
                    Cell::new(name),
                    right(thousands((i as u64 * 7919) % 1_000_003)),
                    right(money(i as f64 * 1.5)),
                ]
            })
            .collect()
    }

    fn header() -> Vec<Cell> {
        vec![Cell::new("procedure"), Cell::new("name"), right("docs"), right("saves VND / yr")]
    }

    #[test]
    fn a_large_table_laid_out_in_chunks_reads_as_the_whole() {
        for md in [false, true] {
            for n in [CHUNK + 1, 3 * CHUNK + 17] {
                let mut whole = table(md);
                whole.set_header(header());
                whole.add_rows(rows(n));
                let chunked = layout(md, header(), rows(n));
                assert_eq!(chunked, whole.to_string(), "md {md}, {n} rows");
                assert_eq!(chunked.lines().count(), n + if md { 2 } else { 4 });
            }
        }
    }

    #[test]
    fn a_table_with_a_cell_of_several_lines_is_laid_out_whole() {
        let mut r = rows(CHUNK + 5);
        r[CHUNK + 2][1] = Cell::new("two\nlines");
        let mut whole = table(false);
        whole.set_header(header());
        whole.add_rows(r.clone());
        assert_eq!(layout(false, header(), r), whole.to_string());
    }
}
