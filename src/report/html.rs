//! `index.html` of the report folder: one self-contained page (inline CSS, inline SVG charts,
//! a few lines of inline script to sort tables; nothing fetched from the network) that a
//! minister can read top to bottom: headline numbers in short sentences, then the detail.

use crate::engine::classify::Status;
use crate::findings::ChainKind;
use crate::report::text::{ellipsis, money, pct, thousands, trim_float};
use crate::report::{AnalysisReport, GroupBy, RoadmapReport, group_rows};
use crate::workspace::{Lang, Workspace};
use std::fmt::Write as _;

/// Most procedure rows shown; a larger catalog shows those with the most submissions.
pub const MAX_PROCEDURE_ROWS: usize = 2000;
/// Most chain rows shown, by submissions.
pub const MAX_CHAIN_ROWS: usize = 200;

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// 1234567 → "1.2M": for chart labels where space is short.
fn compact(n: u64) -> String {
    let f = n as f64;
    if n < 1_000 {
        thousands(n)
    } else if n < 1_000_000 {
        format!("{:.1}K", f / 1e3).replace(".0K", "K")
    } else if n < 1_000_000_000 {
        format!("{:.1}M", f / 1e6).replace(".0M", "M")
    } else {
        format!("{:.1}B", f / 1e9).replace(".0B", "B")
    }
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
        money(v)
    }
}

const COLOR_BEFORE: &str = "#90a4ae";
const COLOR_NOW: &str = "#42a5f5";
const COLOR_ROADMAP: &str = "#43a047";

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

/// A labelled series value for the bar charts.
struct Bar<'a> {
    label: String,
    values: &'a [u64],
}

/// Horizontal bars, one group per row, one bar per series.
fn hbars(title: &str, rows: &[Bar<'_>], series: &[(&str, &str)]) -> String {
    let (width, label_w, value_w) = (900.0_f64, 240.0_f64, 70.0_f64);
    let bar_h = 12.0_f64;
    let group_h = bar_h * series.len() as f64 + 14.0;
    let legend_h = 28.0;
    let height = legend_h + group_h * rows.len() as f64 + 6.0;
    let max = rows.iter().flat_map(|r| r.values.iter().copied()).max().unwrap_or(0).max(1) as f64;
    let span = width - label_w - value_w;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {width} {height:.0}" width="100%" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = escape(title)
    );
    let mut x = label_w;
    for (name, color) in series {
        let _ = write!(
            s,
            r#"<rect x="{x:.0}" y="6" width="12" height="12" fill="{color}"/><text x="{:.0}" y="16" class="legend">{}</text>"#,
            x + 16.0,
            escape(name)
        );
        x += 30.0 + 7.5 * name.chars().count() as f64;
    }
    for (i, r) in rows.iter().enumerate() {
        let y0 = legend_h + group_h * i as f64;
        let _ = write!(
            s,
            r#"<text x="{:.0}" y="{:.1}" class="label" text-anchor="end"><title>{}</title>{}</text>"#,
            label_w - 8.0,
            y0 + group_h / 2.0,
            escape(&r.label),
            escape(&ellipsis(&r.label, 34))
        );
        for (k, (&v, (_, color))) in r.values.iter().zip(series).enumerate() {
            let y = y0 + 4.0 + bar_h * k as f64;
            let w = (v as f64 / max * span).max(if v > 0 { 1.0 } else { 0.0 });
            let _ = write!(
                s,
                r#"<rect x="{label_w:.0}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{color}"><title>{}</title></rect><text x="{:.1}" y="{:.1}" class="value">{}</text>"#,
                bar_h - 2.0,
                thousands(v),
                label_w + w + 4.0,
                y + bar_h - 3.0,
                compact(v)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Vertical bars with a line through their tops: remaining submissions after each phase.
fn burndown(title: &str, points: &[(String, u64)]) -> String {
    let (width, height) = (900.0_f64, 320.0_f64);
    let (left, right, top, bottom) = (70.0_f64, 10.0_f64, 20.0_f64, 40.0_f64);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1) as f64;
    let n = points.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.7).min(60.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = escape(title)
    );
    for k in 0..=4 {
        let v = max * k as f64 / 4.0;
        let y = top + plot_h - plot_h * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{:.0}" y1="{y:.1}" y2="{y:.1}" stroke="#e0e0e0"/><text x="{:.0}" y="{:.1}" class="axis" text-anchor="end">{}</text>"##,
            width - right,
            left - 6.0,
            y + 4.0,
            compact(v.round() as u64)
        );
    }
    let label_every = ((points.len() as f64 * 60.0 / plot_w).ceil() as usize).max(1);
    for (i, (label, v)) in points.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let h = *v as f64 / max * plot_h;
        let y = top + plot_h - h;
        let color = match i {
            0 => COLOR_BEFORE,
            1 => COLOR_NOW,
            _ => COLOR_ROADMAP,
        };
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{y:.1}" width="{bar_w:.1}" height="{h:.1}" fill="{color}"><title>{}: {}</title></rect>"#,
            cx - bar_w / 2.0,
            escape(label),
            thousands(*v)
        );
        // Count labels back from the last phase, so that the last one is always named.
        if i == 0 || (i >= label_every && (points.len() - 1 - i) % label_every == 0) {
            let _ = write!(
                s,
                r#"<text x="{cx:.1}" y="{:.1}" class="axis" text-anchor="middle">{}</text>"#,
                height - bottom + 16.0,
                escape(label)
            );
            if bar_w >= 28.0 {
                let _ = write!(s, r#"<text x="{cx:.1}" y="{:.1}" class="value" text-anchor="middle">{}</text>"#, y - 4.0, compact(*v));
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// One stacked bar of shares with an HTML legend.
fn stacked(title: &str, parts: &[(&str, &str, u64)]) -> String {
    let total: u64 = parts.iter().map(|p| p.2).sum();
    let width = 900.0_f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart stacked" viewBox="0 0 {width} 36" width="100%" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        t = escape(title)
    );
    let mut x = 0.0_f64;
    for (name, color, v) in parts {
        if total == 0 || *v == 0 {
            continue;
        }
        let w = *v as f64 / total as f64 * width;
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="4" width="{w:.1}" height="28" fill="{color}"><title>{}: {} ({})</title></rect>"#,
            escape(name),
            thousands(*v),
            pct(*v, total)
        );
        if w > 44.0 {
            let _ = write!(s, r#"<text x="{:.1}" y="23" class="inbar" text-anchor="middle">{}</text>"#, x + w / 2.0, pct(*v, total));
        }
        x += w;
    }
    s.push_str("</svg><ul class=\"legend\">");
    for (name, color, v) in parts {
        let _ = write!(
            s,
            r#"<li><span class="swatch" style="background:{color}"></span>{}: <b>{}</b> ({})</li>"#,
            escape(name),
            thousands(*v),
            pct(*v, total)
        );
    }
    s.push_str("</ul>");
    s
}

fn num_td(v: u64) -> String {
    format!(r#"<td class="num" data-v="{v}">{}</td>"#, thousands(v))
}

fn money_td(v: f64) -> String {
    format!(r#"<td class="num" data-v="{:.0}">{}</td>"#, v.max(0.0).round(), money(v))
}

fn text_td(s: &str) -> String {
    format!("<td>{}</td>", escape(s))
}

fn th(s: &str, num: bool) -> String {
    if num { format!(r#"<th data-type="num" class="num">{}</th>"#, escape(s)) } else { format!("<th>{}</th>", escape(s)) }
}

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; color: #212121; background: #fafafa; line-height: 1.45; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 30px; margin: 0 0 4px; }
h2 { font-size: 22px; margin: 36px 0 10px; border-bottom: 2px solid #cfd8dc; padding-bottom: 4px; }
h3 { font-size: 17px; margin: 22px 0 6px; }
.sub { color: #546e7a; margin: 0; }
.lead { font-size: 19px; max-width: 62em; }
.lead b { color: #1b5e20; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin: 18px 0; }
.card { background: #fff; border: 1px solid #cfd8dc; border-radius: 8px; padding: 12px 14px; }
.card .v { font-size: 26px; font-weight: 700; display: block; }
.card .k { color: #546e7a; font-size: 13px; }
.chart { display: block; background: #fff; border: 1px solid #eceff1; border-radius: 6px; margin: 8px 0; }
.chart text { font-size: 12px; fill: #37474f; }
.chart .legend { font-size: 13px; }
.chart .value { font-size: 11px; fill: #455a64; }
.chart .axis { font-size: 11px; fill: #78909c; }
.chart .inbar { font-size: 12px; fill: #fff; font-weight: 600; }
.stacked { border: none; background: none; }
ul.legend { list-style: none; padding: 0; margin: 4px 0 12px; display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 14px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid #eceff1; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #eceff1; position: sticky; top: 0; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th::after { content: " \2195"; color: #90a4ae; }
table.sortable th[aria-sort="ascending"]::after { content: " \2191"; color: #263238; }
table.sortable th[aria-sort="descending"]::after { content: " \2193"; color: #263238; }
.date { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }
.wide { overflow-x: auto; }
.risk { color: #b71c1c; font-weight: 700; }
.note { color: #546e7a; font-size: 14px; }
.scroll { max-height: 640px; overflow: auto; border: 1px solid #eceff1; }
footer { color: #78909c; font-size: 13px; padding-top: 24px; padding-bottom: 40px; }
@media print { .scroll { max-height: none; overflow: visible; } th { position: static; } }
"#;

const SCRIPT: &str = r#"
(function () {
  "use strict";
  function sortBy(table, index, th) {
    var numeric = th.getAttribute("data-type") === "num";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var heads = table.tHead.rows[0].cells;
    for (var h = 0; h < heads.length; h++) { heads[h].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index], y = b.cells[index];
      var r = numeric
        ? parseFloat(x.getAttribute("data-v") || "0") - parseFloat(y.getAttribute("data-v") || "0")
        : x.textContent.localeCompare(y.textContent);
      return ascending ? r : -r;
    });
    for (var i = 0; i < rows.length; i++) { body.appendChild(rows[i]); }
  }
  var tables = document.querySelectorAll("table.sortable");
  for (var t = 0; t < tables.length; t++) {
    (function (table) {
      if (!table.tHead || !table.tBodies.length) { return; }
      var heads = table.tHead.rows[0].cells;
      for (var i = 0; i < heads.length; i++) {
        (function (th, index) {
          th.tabIndex = 0;
          th.addEventListener("click", function () { sortBy(table, index, th); });
          th.addEventListener("keydown", function (e) {
            if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, index, th); }
          });
        })(heads[i], i);
      }
    })(tables[t]);
  }
})();
"#;

fn doc_label(ws: &Workspace, id: &str, lang: Lang) -> String {
    ws.doc_ids
        .get(id)
        .map(|d| {
            let d = &ws.documents[d as usize];
            Workspace::label(&d.id, d.name.as_deref(), d.name_en.as_deref(), lang).to_string()
        })
        .unwrap_or_else(|| id.to_string())
}

fn agency_label(ws: &Workspace, id: &str, lang: Lang) -> String {
    ws.agency_ids
        .get(id)
        .map(|a| {
            let a = &ws.agencies[a as usize];
            Workspace::label(&a.id, a.name.as_deref(), a.name_en.as_deref(), lang).to_string()
        })
        .unwrap_or_else(|| id.to_string())
}

fn card(out: &mut String, key: &str, value: &str, raw: impl std::fmt::Display, caption: &str) {
    let _ = write!(
        out,
        r#"<div class="card" data-figure="{key}" data-value="{raw}"><span class="v">{}</span><span class="k">{}</span></div>"#,
        escape(value),
        escape(caption)
    );
}

/// The whole page.
pub fn index(ws: &Workspace, a: &AnalysisReport, r: &RoadmapReport, lang: Lang) -> String {
    let t = &a.totals;
    let cur = if a.currency.is_empty() { String::new() } else { format!(" {}", a.currency) };
    let mut o = String::with_capacity(64 * 1024);
    let _ = write!(
        o,
        concat!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
            "<meta name=\"generator\" content=\"paperwork {version}\">\n",
            "<title>Paperwork report as of {as_of}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        ),
        lang = if lang == Lang::Vi { "vi" } else { "en" },
        version = env!("CARGO_PKG_VERSION"),
        as_of = escape(&a.as_of),
        style = STYLE
    );
    let _ = write!(
        o,
        "<header><h1>Paperwork report</h1><p class=\"sub\">Administrative procedures and the state's databases as of {}. {} procedures, {} document components, {} roadmap tasks.</p></header>\n<main>\n",
        escape(&a.as_of),
        thousands(t.procedures),
        thousands(t.components),
        thousands(r.progress.total)
    );

    // Headline: the four sentences a minister needs.
    let last_phase_end = r.phases.last().map(|p| p.end.clone());
    let removed_now = t.submissions_before - t.submissions_after_now.min(t.submissions_before);
    let removed_roadmap = t.submissions_after_now - t.submissions_after_roadmap.min(t.submissions_after_now);
    o.push_str("<section id=\"headline\"><h2>In short</h2><p class=\"lead\">");
    let _ = write!(
        o,
        "Today, {} procedures ask citizens and businesses for <b>{}</b> documents a year. ",
        thousands(t.procedures),
        thousands(t.submissions_before)
    );
    let _ = write!(
        o,
        "Databases that already work can replace <b>{}</b> of them now ({}): this needs only a decision to stop asking. ",
        thousands(removed_now),
        pct(removed_now, t.submissions_before)
    );
    if r.steps.is_empty() {
        o.push_str("No open task remains on the roadmap. ");
    } else {
        let _ = write!(
            o,
            "The roadmap's {} tasks replace <b>{}</b> more{}. ",
            thousands(r.steps.len() as u64),
            thousands(removed_roadmap),
            last_phase_end.as_ref().map(|e| format!(" by {}", escape(e))).unwrap_or_default()
        );
    }
    let _ = write!(
        o,
        "What remains is <b>{}</b> documents a year ({} of today). Applicants save <b>{}</b> hours and <b>{}{}</b> a year.</p>",
        thousands(t.submissions_after_roadmap),
        pct(t.submissions_after_roadmap, t.submissions_before),
        thousands(t.hours_saved_after_roadmap.max(0.0).round() as u64),
        money(t.money_saved_after_roadmap),
        escape(&cur)
    );
    o.push_str("<div class=\"cards\">");
    card(&mut o, "submissions_before", &thousands(t.submissions_before), t.submissions_before, "documents handed in per year today");
    card(
        &mut o,
        "submissions_after_now",
        &thousands(t.submissions_after_now),
        t.submissions_after_now,
        "per year once today's lookups are used",
    );
    card(
        &mut o,
        "submissions_after_roadmap",
        &thousands(t.submissions_after_roadmap),
        t.submissions_after_roadmap,
        "per year after the roadmap",
    );
    card(&mut o, "documents_before", &thousands(t.documents_before), t.documents_before, "document components in the catalog");
    card(
        &mut o,
        "documents_after_roadmap",
        &thousands(t.documents_after_roadmap),
        t.documents_after_roadmap,
        "components left after the roadmap",
    );
    card(
        &mut o,
        "hours_saved_after_roadmap",
        &thousands(t.hours_saved_after_roadmap.max(0.0).round() as u64),
        format!("{:.0}", t.hours_saved_after_roadmap),
        "applicant hours saved per year",
    );
    card(
        &mut o,
        "money_saved_after_roadmap",
        &format!("{}{}", words(t.money_saved_after_roadmap), cur),
        format!("{:.0}", t.money_saved_after_roadmap),
        "saved per year (Standard Cost Model)",
    );
    let p = &r.progress;
    card(
        &mut o,
        "tasks_done",
        &format!("{} of {}", thousands(p.done), thousands(p.total)),
        p.done,
        &format!("tasks done ({}); {} overdue", pct(p.done, p.total), p.overdue.len()),
    );
    o.push_str("</div></section>\n");

    // Documents by sector.
    let sectors = group_rows(ws, &a.procedures, GroupBy::Sector, lang);
    o.push_str("<section id=\"sectors\"><h2>Documents by sector</h2>");
    if sectors.is_empty() {
        o.push_str("<p>No procedure in the catalog.</p>");
    } else {
        o.push_str("<p>How many document components each sector's procedures ask for today, once today's lookups are used, and after the roadmap.</p>");
        let values: Vec<[u64; 3]> =
            sectors.iter().map(|s| [s.documents_before, s.documents_after_now, s.documents_after_roadmap]).collect();
        let bars: Vec<Bar<'_>> = sectors.iter().zip(&values).map(|(s, v)| Bar { label: s.label.clone(), values: v }).collect();
        o.push_str(&hbars(
            "Document components by sector: today, now, after the roadmap",
            &bars,
            &[("today", COLOR_BEFORE), ("lookups now", COLOR_NOW), ("after the roadmap", COLOR_ROADMAP)],
        ));
        o.push_str("<div class=\"wide\"><table class=\"sortable\" id=\"sector-table\"><thead><tr>");
        for (h, n) in [
            ("sector", false),
            ("procedures", true),
            ("documents today", true),
            ("now", true),
            ("after roadmap", true),
            ("submissions / year today", true),
            ("after roadmap", true),
            ("saved / year", true),
        ] {
            o.push_str(&th(h, n));
        }
        o.push_str("</tr></thead><tbody>");
        for s in &sectors {
            o.push_str("<tr>");
            o.push_str(&text_td(&s.label));
            for v in [
                s.procedures,
                s.documents_before,
                s.documents_after_now,
                s.documents_after_roadmap,
                s.submissions_before,
                s.submissions_after_roadmap,
            ] {
                o.push_str(&num_td(v));
            }
            o.push_str(&money_td(s.money_saved_after_roadmap));
            o.push_str("</tr>");
        }
        o.push_str("</tbody></table></div>");
    }
    o.push_str("</section>\n");

    // Burn-down.
    o.push_str("<section id=\"burndown\"><h2>Roadmap burn-down</h2><p>Documents handed in per year: today, once today's lookups are used (phase 0), and after each phase of the roadmap.</p>");
    let mut points = vec![("today".to_string(), t.submissions_before), ("phase 0".to_string(), t.submissions_after_now)];
    points.extend(r.phases.iter().map(|ph| (format!("phase {}", ph.phase), ph.remaining_submissions)));
    o.push_str(&burndown("Documents handed in per year, remaining after each phase", &points));
    o.push_str("</section>\n");

    // Status shares.
    o.push_str("<section id=\"status\"><h2>Where the components stand</h2>");
    let counts = [t.lookup_now, t.duplicate, t.lookup_after, t.partial, t.kept];
    let parts: Vec<(&str, &str, u64)> = Status::ALL.iter().zip(counts).map(|(&s, c)| (status_label(s), status_color(s), c)).collect();
    o.push_str(&stacked("Document components by status", &parts));
    o.push_str("<h3>Roadmap tasks by status</h3>");
    o.push_str(&stacked(
        "Roadmap tasks by status",
        &[
            ("done", "#43a047", p.done),
            ("routine", "#64b5f6", p.routine),
            ("in progress", "#fdd835", p.in_progress),
            ("not started", "#bdbdbd", p.not_started),
        ],
    ));
    o.push_str("</section>\n");

    // Unmet facts.
    o.push_str("<section id=\"unmet\"><h2>What to digitize next</h2>");
    if a.unmet_facts.is_empty() {
        o.push_str("<p>Every fact the catalog asks for is held by some database.</p>");
    } else {
        o.push_str("<p>Facts that documents still asked for must prove and that no database holds, by documents handed in per year.</p>");
        let top: Vec<&crate::findings::UnmetFact> = a.unmet_facts.iter().take(10).collect();
        let values: Vec<[u64; 1]> = top.iter().map(|u| [u.submissions]).collect();
        let bars: Vec<Bar<'_>> = top
            .iter()
            .zip(&values)
            .map(|(u, v)| {
                let name = Workspace::label(&u.fact, u.name.as_deref(), u.name_en.as_deref(), lang);
                Bar { label: if name == u.fact { u.fact.clone() } else { format!("{name} ({})", u.fact) }, values: v }
            })
            .collect();
        o.push_str(&hbars(
            "Top unmet facts by documents handed in per year",
            &bars,
            &[("documents / year waiting for the fact", "#ef6c00")],
        ));
    }
    o.push_str("</section>\n");

    // Procedures.
    o.push_str("<section id=\"procedures\"><h2>Procedures</h2>");
    let mut shown: Vec<&crate::report::ProcedureReport> = a.procedures.iter().collect();
    if shown.len() > MAX_PROCEDURE_ROWS {
        shown.sort_by(|x, y| {
            (y.documents_before.saturating_mul(y.annual_volume))
                .cmp(&(x.documents_before.saturating_mul(x.annual_volume)))
                .then_with(|| x.id.cmp(&y.id))
        });
        shown.truncate(MAX_PROCEDURE_ROWS);
        shown.sort_by(|x, y| x.id.cmp(&y.id));
        let _ = write!(
            o,
            "<p class=\"note\">The {} procedures with the most documents a year, of {}; every procedure is in <code>components.csv</code> and <code>analysis.json</code>.</p>",
            thousands(MAX_PROCEDURE_ROWS as u64),
            thousands(a.procedures.len() as u64)
        );
    }
    o.push_str("<p class=\"note\">Click a column heading to sort.</p><div class=\"scroll\"><table class=\"sortable\" id=\"procedure-table\"><thead><tr>");
    for (h, n) in [
        ("procedure", false),
        ("name", false),
        ("agency", false),
        ("sector", false),
        ("dossiers / year", true),
        ("documents today", true),
        ("now", true),
        ("after roadmap", true),
        ("submissions / year today", true),
        ("after roadmap", true),
        ("saved / year", true),
    ] {
        o.push_str(&th(h, n));
    }
    o.push_str("</tr></thead><tbody>");
    for pr in &shown {
        o.push_str("<tr>");
        o.push_str(&text_td(&pr.id));
        o.push_str(&text_td(Workspace::label(&pr.id, Some(&pr.name), pr.name_en.as_deref(), lang)));
        o.push_str(&text_td(&pr.agency));
        o.push_str(&text_td(pr.sector.as_deref().unwrap_or("")));
        for v in [
            pr.annual_volume,
            pr.documents_before,
            pr.documents_after_now,
            pr.documents_after_roadmap,
            pr.documents_before.saturating_mul(pr.annual_volume),
            pr.documents_after_roadmap.saturating_mul(pr.annual_volume),
        ] {
            o.push_str(&num_td(v));
        }
        o.push_str(&money_td(pr.money_saved_after_roadmap));
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table></div></section>\n");

    // Roadmap by phase.
    o.push_str("<section id=\"roadmap\"><h2>Roadmap by phase</h2>");
    let p0 = &r.phase0;
    let _ = write!(
        o,
        "<h3>Phase 0: stop asking</h3><p>{} components in {} procedures can go at once ({} lookups in working databases, {} duplicates): <b>{}</b> documents and {}{} a year. No task is needed, only a decision.</p>",
        thousands(p0.components),
        thousands(p0.procedures),
        thousands(p0.lookup_now),
        thousands(p0.duplicate),
        thousands(p0.submissions),
        money(p0.money),
        escape(&cur)
    );
    if r.phases.is_empty() {
        o.push_str("<p>No open task: nothing to schedule.</p>");
    }
    for ph in &r.phases {
        let _ = write!(
            o,
            "<h3>Phase {}: {} to {}</h3><p>{} task{}, effort {}. Removes {} component{}, <b>{}</b> documents and {}{} a year; {} documents a year remain.</p>",
            ph.phase,
            escape(&ph.start),
            escape(&ph.end),
            ph.tasks.len(),
            if ph.tasks.len() == 1 { "" } else { "s" },
            trim_float(ph.effort),
            thousands(ph.components),
            if ph.components == 1 { "" } else { "s" },
            thousands(ph.submissions),
            money(ph.money),
            escape(&cur),
            thousands(ph.remaining_submissions)
        );
        o.push_str("<div class=\"wide\"><table class=\"sortable\"><thead><tr>");
        for (h, n) in [
            ("task", false),
            ("title", false),
            ("owner", false),
            ("status", false),
            ("due", false),
            ("effort", true),
            ("components", true),
            ("documents / year", true),
            ("remaining / year", true),
            ("risk", false),
        ] {
            o.push_str(&th(h, n));
        }
        o.push_str("</tr></thead><tbody>");
        for s in r.steps.iter().filter(|s| s.phase == ph.phase) {
            o.push_str("<tr>");
            o.push_str(&text_td(&s.task));
            o.push_str(&text_td(&s.title));
            let _ = write!(o, "<td title=\"{}\">{}</td>", escape(&agency_label(ws, &s.owner, lang)), escape(&s.owner));
            o.push_str(&text_td(s.status.as_str()));
            let _ = write!(o, "<td class=\"date\">{}</td>", escape(s.due.as_deref().unwrap_or("")));
            let _ = write!(o, r#"<td class="num" data-v="{}">{}</td>"#, s.effort, trim_float(s.effort));
            o.push_str(&num_td(s.unlocks.components));
            o.push_str(&num_td(s.unlocks.submissions));
            o.push_str(&num_td(s.remaining.submissions));
            o.push_str(if s.at_risk {
                "<td class=\"risk\" title=\"the phase ends after the task's due date\">at risk</td>"
            } else {
                "<td></td>"
            });
            o.push_str("</tr>");
        }
        o.push_str("</tbody></table></div>");
    }
    o.push_str("</section>\n");

    // Overdue.
    o.push_str("<section id=\"overdue\"><h2>Overdue tasks</h2>");
    if p.overdue.is_empty() {
        let _ = write!(o, "<p>No task is overdue as of {}.</p>", escape(&a.as_of));
    } else {
        let _ = write!(
            o,
            "<p>{} task{} past due and not done, oldest first.</p>",
            p.overdue.len(),
            if p.overdue.len() == 1 { " is" } else { "s are" }
        );
        o.push_str("<div class=\"wide\"><table class=\"sortable\"><thead><tr>");
        for (h, n) in [("task", false), ("title", false), ("owner", false), ("due", false), ("days overdue", true), ("status", false)] {
            o.push_str(&th(h, n));
        }
        o.push_str("</tr></thead><tbody>");
        for od in &p.overdue {
            let title = ws.task_ids.get(&od.task).map(|i| ws.tasks[i as usize].title.clone()).unwrap_or_default();
            o.push_str("<tr>");
            o.push_str(&text_td(&od.task));
            o.push_str(&text_td(&title));
            let _ = write!(o, "<td title=\"{}\">{}</td>", escape(&agency_label(ws, &od.owner, lang)), escape(&od.owner));
            let _ = write!(o, "<td class=\"date\">{}</td>", escape(&od.due));
            let _ = write!(o, r#"<td class="num" data-v="{0}">{0}</td>"#, od.days_overdue);
            o.push_str(&text_td(od.status.as_str()));
            o.push_str("</tr>");
        }
        o.push_str("</tbody></table></div>");
    }
    o.push_str("</section>\n");

    // Chains.
    o.push_str("<section id=\"chains\"><h2>Procedure chains</h2>");
    if a.chains.is_empty() {
        o.push_str("<p>No procedure asks for a document another procedure issues.</p>");
    } else {
        let links = |k: ChainKind| a.chains.iter().flat_map(|c| &c.to).filter(|l| l.kind == k).count();
        let total: usize = a.chains.iter().map(|c| c.to.len()).sum();
        let _ = write!(
            o,
            "<p>{} documents issued by one procedure are asked for again by another, in {} places. {} already go by lookup; <b>{}</b> are once-only gaps (an issuing procedure stores its result nowhere: store it, and the next procedure need not ask); {} wait for a database to cover them.</p>",
            a.chains.len(),
            total,
            links(ChainKind::Lookup),
            links(ChainKind::OnceOnlyGap),
            links(ChainKind::NotCovered)
        );
        let mut chains: Vec<&crate::findings::Chain> = a.chains.iter().collect();
        let rank = |k: ChainKind| match k {
            ChainKind::OnceOnlyGap => 0,
            ChainKind::NotCovered => 1,
            ChainKind::Lookup => 2,
        };
        chains.sort_by(|x, y| {
            rank(x.kind).cmp(&rank(y.kind)).then(y.submissions.cmp(&x.submissions)).then_with(|| x.document.cmp(&y.document))
        });
        if chains.len() > MAX_CHAIN_ROWS {
            let _ = write!(o, "<p class=\"note\">The first {MAX_CHAIN_ROWS} shown; all are in <code>analysis.json</code>.</p>");
            chains.truncate(MAX_CHAIN_ROWS);
        }
        o.push_str("<div class=\"wide\"><table class=\"sortable\"><thead><tr>");
        for (h, n) in [
            ("document", false),
            ("issued by", false),
            ("stored in", false),
            ("stored nowhere by", false),
            ("asked for again by", false),
            ("stands", false),
            ("documents / year not yet looked up", true),
        ] {
            o.push_str(&th(h, n));
        }
        o.push_str("</tr></thead><tbody>");
        let list = |v: &[&str]| if v.len() <= 4 { v.join(", ") } else { format!("{} and {} more", v[..3].join(", "), v.len() - 3) };
        for c in chains {
            let stands = match c.kind {
                ChainKind::Lookup => "lookup",
                ChainKind::OnceOnlyGap => "once-only gap",
                ChainKind::NotCovered => "not covered yet",
            };
            let askers: Vec<&str> =
                c.to.iter().map(|l| l.procedure.as_str()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
            o.push_str("<tr>");
            o.push_str(&text_td(&doc_label(ws, &c.document, lang)));
            o.push_str(&text_td(&list(&c.from.iter().map(String::as_str).collect::<Vec<_>>())));
            o.push_str(&text_td(&c.records_to.join(", ")));
            o.push_str(&text_td(&list(&c.recording_nowhere.iter().map(String::as_str).collect::<Vec<_>>())));
            o.push_str(&text_td(&list(&askers)));
            o.push_str(&text_td(stands));
            o.push_str(&num_td(c.submissions));
            o.push_str("</tr>");
        }
        o.push_str("</tbody></table></div>");
        if !a.interconnected.is_empty() {
            o.push_str("<h3>Candidate interconnected services</h3><p>Procedures linked by chains that serve one life event: candidates for a single joined-up service.</p><ul>");
            for ic in &a.interconnected {
                let _ = write!(
                    o,
                    "<li><b>{}</b>: {} ({} documents a year passed along)</li>",
                    escape(&ic.life_event),
                    escape(&ic.procedures.join(", ")),
                    thousands(ic.submissions)
                );
            }
            o.push_str("</ul>");
        }
    }
    o.push_str("</section>\n</main>\n");
    let _ = writeln!(
        o,
        "<footer>Made by paperwork {} from the workspace's procedures and rules. The figures are those of <code>analysis.json</code> and <code>roadmap.json</code> beside this page; <code>components.csv</code> has one row per document component.</footer>",
        env!("CARGO_PKG_VERSION")
    );
    let _ = write!(o, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    o
}
