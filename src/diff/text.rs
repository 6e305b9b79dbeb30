//! The comparison as a table for the terminal or as Markdown: a summary sentence, the totals,
//! then a section per kind of change, each left out when it has nothing to show.

use super::{Change, ComponentChange, Diff, Figures, ProcedureChange, ProcedureEntry};
use crate::report::table::Layout;
use crate::report::text::{fit, pct, right, table, thousands};
use crate::workspace::{Lang, Workspace};
use comfy_table::{Cell, Table};
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
    // A terminal's titles take two lines, so that the twelve columns fit a memo's width.
    let title = |s: &str| right(if md { s.replace('\n', " ") } else { s.to_string() });
    t.set_header(vec![
        Cell::new(first),
        title("procs"),
        title("docs\nbefore"),
        title("Δ"),
        title("after\nnow"),
        title("Δ"),
        title("after\nroadmap"),
        title("Δ"),
        title("subs / yr\nbefore"),
        title("Δ"),
        title("subs after\nroadmap"),
        title("Δ"),
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
fn totals_table(t: &Figures, md: bool) -> Table {
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
    tt
}

/// Changed procedures with their counts; a count that did not move shows only its value.
fn changed_table(changed: &[ProcedureChange], lang: Lang, md: bool) -> Table {
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
    for c in changed {
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
    let _ = writeln!(out, "{}\n", fit(totals_table(&d.totals, md), layout, &[0]));
    for (title, list) in [("Added procedures", &d.added), ("Removed procedures", &d.removed)] {
        if !list.is_empty() {
            heading(&mut out, title, md);
            let _ = writeln!(out, "{}\n", fit(procedures_table(list, lang, md), layout, &[1]));
        }
    }
    if !d.changed.is_empty() {
        heading(&mut out, "Changed procedures", md);
        let _ = writeln!(out, "{}\n", fit(changed_table(&d.changed, lang, md), layout, &[1]));
        component_lines(&mut out, &d.changed, md);
        let _ = writeln!(out);
    }
    for (title, first, groups) in [("By agency", "agency", &d.by_agency), ("By sector", "sector", &d.by_sector)] {
        if groups.is_empty() {
            continue;
        }
        heading(&mut out, title, md);
        let rows: Vec<(&str, &Figures)> = groups.iter().map(|g| (g.key.as_str(), &g.figures)).collect();
        let _ = writeln!(out, "{}\n", fit(figures_table(&rows, first, md), layout, &[0]));
    }
    if !d.increased.is_empty() {
        let _ = writeln!(out, "Procedures that ask for more than before: {}", d.increased.join(", "));
    }
    out
}
