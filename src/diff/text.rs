//! The comparison as a table for the terminal or as Markdown: a summary sentence, the totals,
//! then a section per kind of change, each left out when it has nothing to show.

use super::{Change, ComponentChange, Diff, Figures, ProcedureChange, ProcedureEntry};
use crate::report::table::{Column, Layout, TextTable};
use crate::report::text::{pct, thousands};
use crate::workspace::{Lang, Workspace};
use std::fmt::Write as _;

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
fn procedures_table(list: &[ProcedureEntry], lang: Lang, layout: Layout) -> TextTable {
    let mut t = TextTable::new(
        layout,
        vec![
            Column::wrapping("procedure"),
            Column::wrapping("name"),
            Column::wrapping("agency"),
            Column::right("volume"),
            Column::right("docs"),
            Column::right(title("after\nnow", layout)),
            Column::right(title("after\nroadmap", layout)),
        ],
    );
    for p in list {
        t.row(vec![
            p.id.clone(),
            label(&p.id, &p.name, p.name_en.as_deref(), lang).to_string(),
            p.agency.clone(),
            thousands(p.annual_volume),
            p.documents_before.to_string(),
            p.documents_after_now.to_string(),
            p.documents_after_roadmap.to_string(),
        ]);
    }
    t
}

/// A column title on two lines (split where `s` has a line break) in a terminal or memo table,
/// where width is short; on one in Markdown.
fn title(s: &str, layout: Layout) -> String {
    if layout.markdown { s.replace('\n', " ") } else { s.to_string() }
}

/// A figure and its change: "10 (+4)", or "10" when it did not move.
fn moved(c: Change) -> String {
    if c.delta == 0 { thousands(c.new) } else { format!("{} ({})", thousands(c.new), signed(c.delta)) }
}

fn component_text(c: &ComponentChange) -> String {
    let mut s = if c.alternatives.is_empty() { c.document.clone() } else { format!("one of {}", c.alternatives.join(" | ")) };
    if let Some(of) = &c.of {
        let _ = write!(s, " (of {of})");
    }
    s
}

/// One row per agency or sector: each figure as it is now, with its change.
fn figures_table(rows: &[(&str, &Figures)], first: &str, layout: Layout) -> TextTable {
    let mut columns = vec![Column::wrapping(first), Column::right("procs")];
    for t in ["docs\nbefore", "after\nnow", "after\nroadmap", "subs / yr\nbefore", "subs after\nroadmap"] {
        columns.push(Column::right(title(t, layout)));
    }
    let mut t = TextTable::new(layout, columns);
    for (k, f) in rows {
        t.row(vec![
            k.to_string(),
            format!("{} → {}", thousands(f.procedures.old), thousands(f.procedures.new)),
            moved(f.documents_before),
            moved(f.documents_after_now),
            moved(f.documents_after_roadmap),
            moved(f.submissions_before),
            moved(f.submissions_after_roadmap),
        ]);
    }
    t
}

/// A section heading: Markdown `##`, or the title underlined for the terminal.
fn heading(out: &mut String, s: &str, md: bool) {
    if md {
        let _ = writeln!(out, "## {s}\n");
    } else {
        let _ = writeln!(out, "{s}\n{}", "─".repeat(s.chars().count()));
    }
}

/// A change as a signed percentage of the old value; `n/a` when there was nothing before.
fn relative(c: Change) -> String {
    if c.old == 0 {
        "n/a".to_string()
    } else {
        let p = pct(c.new.abs_diff(c.old), c.old);
        if c.new >= c.old { format!("+{p}") } else { format!("−{p}") }
    }
}

/// The title with the dates and one sentence a reviewer can read without the tables.
fn summary(out: &mut String, d: &Diff, md: bool) {
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
        relative(t.submissions_before)
    );
}

/// Every total old and new, one per row, so the figures the summary leaves out are shown too.
fn totals_table(t: &Figures, layout: Layout) -> TextTable {
    let mut tt = TextTable::new(layout, vec![Column::wrapping(""), Column::right("old"), Column::right("new"), Column::right("change")]);
    for (name, c) in [
        ("procedures", t.procedures),
        ("documents asked for today", t.documents_before),
        ("documents after lookups now", t.documents_after_now),
        ("documents after the roadmap", t.documents_after_roadmap),
        ("submissions / year today", t.submissions_before),
        ("submissions / year after lookups now", t.submissions_after_now),
        ("submissions / year after the roadmap", t.submissions_after_roadmap),
    ] {
        tt.row(vec![name.to_string(), thousands(c.old), thousands(c.new), signed(c.delta)]);
    }
    tt
}

/// Changed procedures with their counts; a count that did not move shows only its value.
fn changed_table(changed: &[ProcedureChange], lang: Lang, layout: Layout) -> TextTable {
    let mut ct = TextTable::new(
        layout,
        vec![
            Column::wrapping("procedure"),
            Column::wrapping("name"),
            Column::right("volume"),
            Column::right("docs"),
            Column::right(title("after\nnow", layout)),
            Column::right(title("after\nroadmap", layout)),
            Column::left(""),
        ],
    );
    let arrow = |c: Change| if c.changed() { format!("{} → {}", thousands(c.old), thousands(c.new)) } else { thousands(c.new) };
    for c in changed {
        ct.row(vec![
            c.id.clone(),
            label(&c.id, &c.name, c.name_en.as_deref(), lang).to_string(),
            arrow(c.annual_volume),
            arrow(c.documents_before),
            arrow(c.documents_after_now),
            arrow(c.documents_after_roadmap),
            if c.asks_more { "ASKS MORE" } else { "" }.to_string(),
        ]);
    }
    ct
}

/// The components behind the counts: what each changed procedure added, dropped or reclassified.
fn component_lines(out: &mut String, changed: &[ProcedureChange], md: bool) {
    for c in changed {
        if c.documents_added.is_empty() && c.documents_removed.is_empty() && c.status_changes.is_empty() && c.fields_changed.is_empty() {
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
        for f in &c.fields_changed {
            let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_string());
            let _ = writeln!(out, "{pad}~ {}: {} → {}", f.field, value(&f.old), value(&f.new));
        }
    }
}

/// The comparison for a reviewer: totals, then added, removed and changed procedures.
pub fn text(d: &Diff, lang: Lang, layout: Layout) -> String {
    let md = layout.markdown;
    let mut out = String::new();
    summary(&mut out, d, md);
    if d.is_empty() {
        let _ = writeln!(out, "No differences.");
        return out;
    }
    heading(&mut out, "Totals", md);
    let _ = writeln!(out, "{}\n", totals_table(&d.totals, layout));
    for (title, list) in [("Added procedures", &d.added), ("Removed procedures", &d.removed)] {
        if !list.is_empty() {
            heading(&mut out, title, md);
            let _ = writeln!(out, "{}\n", procedures_table(list, lang, layout));
        }
    }
    if !d.changed.is_empty() {
        heading(&mut out, "Changed procedures", md);
        let _ = writeln!(out, "{}\n", changed_table(&d.changed, lang, layout));
        component_lines(&mut out, &d.changed, md);
        let _ = writeln!(out);
    }
    for (title, first, groups) in [("By agency", "agency", &d.by_agency), ("By sector", "sector", &d.by_sector)] {
        if groups.is_empty() {
            continue;
        }
        heading(&mut out, title, md);
        let rows: Vec<(&str, &Figures)> = groups.iter().map(|g| (g.key.as_str(), &g.figures)).collect();
        let _ = writeln!(out, "{}\n", figures_table(&rows, first, layout));
    }
    if !d.increased.is_empty() {
        let _ = writeln!(out, "Procedures that ask for more than before: {}", d.increased.join(", "));
    }
    crate::report::table::fit_prose(out, layout)
}
