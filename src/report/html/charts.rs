//! The page's inline SVG charts: the geometry is worked out here, the markup is in
//! `templates/report/{hbars,burndown,stacked}.html`.

use super::filters;
use crate::report::text::ellipsis;
use askama::Template;

/// Bars and legend for "today".
pub(super) const COLOR_BEFORE: &str = "#90a4ae";
/// Bars and legend for "once today's lookups are used".
pub(super) const COLOR_NOW: &str = "#42a5f5";
/// Bars and legend for "after the roadmap".
pub(super) const COLOR_ROADMAP: &str = "#43a047";

/// A labelled series value for the bar charts.
pub(super) struct Bar {
    /// Shown in full as the row's tooltip, cut short beside the bars.
    pub label: String,
    /// One value per series.
    pub values: Vec<u64>,
}

struct LegendKey<'a> {
    x: f64,
    text_x: f64,
    name: &'a str,
    color: &'a str,
}

struct HBarRow<'a> {
    y: f64,
    label: String,
    short: String,
    bars: Vec<HBar<'a>>,
}

struct HBar<'a> {
    y: f64,
    w: f64,
    text_x: f64,
    text_y: f64,
    color: &'a str,
    v: u64,
}

/// Horizontal bars, one group per row, one bar per series.
#[derive(Template)]
#[template(path = "report/hbars.html")]
pub(super) struct HBars<'a> {
    title: &'a str,
    width: f64,
    height: f64,
    label_w: f64,
    label_x: f64,
    bar_h: f64,
    legend: Vec<LegendKey<'a>>,
    rows: Vec<HBarRow<'a>>,
}

/// Lays out [`HBars`]: `series` names each value of a row and gives its colour.
pub(super) fn hbars<'a>(title: &'a str, rows: &[Bar], series: &[(&'a str, &'a str)]) -> HBars<'a> {
    let (width, label_w, value_w) = (900.0_f64, 240.0_f64, 70.0_f64);
    let bar_h = 12.0_f64;
    let group_h = bar_h * series.len() as f64 + 14.0;
    let legend_h = 28.0;
    let height = legend_h + group_h * rows.len() as f64 + 6.0;
    let max = rows.iter().flat_map(|r| r.values.iter().copied()).max().unwrap_or(0).max(1) as f64;
    let span = width - label_w - value_w;
    let mut x = label_w;
    let mut legend = Vec::with_capacity(series.len());
    for &(name, color) in series {
        legend.push(LegendKey { x, text_x: x + 16.0, name, color });
        // The legend is SVG text, which does not flow: guess each name's width from its length.
        x += 30.0 + 7.5 * name.chars().count() as f64;
    }
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y0 = legend_h + group_h * i as f64;
            let bars = r
                .values
                .iter()
                .zip(series)
                .enumerate()
                .map(|(k, (&v, &(_, color)))| {
                    let y = y0 + 4.0 + bar_h * k as f64;
                    // A non-zero value always shows, however small beside the largest.
                    let w = (v as f64 / max * span).max(if v > 0 { 1.0 } else { 0.0 });
                    HBar { y, w, text_x: label_w + w + 4.0, text_y: y + bar_h - 3.0, color, v }
                })
                .collect();
            HBarRow { y: y0 + group_h / 2.0, label: r.label.clone(), short: ellipsis(&r.label, 34), bars }
        })
        .collect();
    HBars { title, width, height, label_w, label_x: label_w - 8.0, bar_h: bar_h - 2.0, legend, rows }
}

struct GridLine {
    y: f64,
    text_y: f64,
    v: u64,
}

/// One column of the [`Burndown`]: what remains at a point of the plan.
pub(super) struct Point {
    /// Under the column: "today", "phase 0", "phase 1"...
    pub label: String,
    /// Under the label, a line each: the date of today, or a phase's first and last day.
    pub dates: Vec<String>,
    /// Documents handed in per year that remain.
    pub v: u64,
}

struct Column {
    x: f64,
    y: f64,
    h: f64,
    cx: f64,
    value_y: f64,
    color: &'static str,
    point: Point,
    /// The label, then its dates, each on a line of its own below the plot; none when the
    /// column is left unnamed for room.
    lines: Vec<Line>,
}

/// A line of text under a column: its text and baseline.
struct Line {
    y: f64,
    text: String,
}

/// Vertical bars with a line through their tops: remaining submissions after each phase.
#[derive(Template)]
#[template(path = "report/burndown.html")]
pub(super) struct Burndown<'a> {
    title: &'a str,
    width: f64,
    height: f64,
    left: f64,
    grid_x2: f64,
    axis_x: f64,
    bar_w: f64,
    grid: Vec<GridLine>,
    bars: Vec<Column>,
}

/// The height of a line of the labels under the burn-down's columns.
const LINE_H: f64 = 13.0;

/// Lays out [`Burndown`]: the first point is today, the second phase 0, then one per phase.
pub(super) fn burndown(title: &str, points: Vec<Point>) -> Burndown<'_> {
    let lines = points.iter().map(|p| 1 + p.dates.len()).max().unwrap_or(1);
    let (width, height) = (900.0_f64, 307.0 + LINE_H * lines as f64);
    let (left, right, top, bottom) = (70.0_f64, 10.0_f64, 20.0_f64, 27.0 + LINE_H * lines as f64);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max = points.iter().map(|p| p.v).max().unwrap_or(0).max(1) as f64;
    let n = points.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.7).min(60.0);
    let grid = (0..=4)
        .map(|k| {
            let v = max * k as f64 / 4.0;
            let y = top + plot_h - plot_h * k as f64 / 4.0;
            GridLine { y, text_y: y + 4.0, v: v.round() as u64 }
        })
        .collect();
    let count = points.len();
    let label_y = height - bottom + 16.0;
    // SVG text does not flow: guess the widest label from its length (11px text, and a gap),
    // and name every k-th column so that neighbouring labels never overlap.
    let longest = points.iter().flat_map(|p| std::iter::once(&p.label).chain(&p.dates)).map(|l| l.chars().count()).max().unwrap_or(0);
    let label_w = (longest as f64 * 6.2 + 6.0).max(60.0);
    let label_every = ((count as f64 * label_w / plot_w).ceil() as usize).max(1);
    let bars = points
        .into_iter()
        .enumerate()
        .map(|(i, point)| {
            let cx = left + slot * (i as f64 + 0.5);
            let h = point.v as f64 / max * plot_h;
            let y = top + plot_h - h;
            let color = match i {
                0 => COLOR_BEFORE,
                1 => COLOR_NOW,
                _ => COLOR_ROADMAP,
            };
            // Count labels back from the last phase, so that the last one is always named.
            let named = i == 0 || (i >= label_every && (count - 1 - i) % label_every == 0);
            let lines = if named {
                let texts = std::iter::once(&point.label).chain(&point.dates);
                texts.enumerate().map(|(k, text)| Line { y: label_y + LINE_H * k as f64, text: text.clone() }).collect()
            } else {
                Vec::new()
            };
            Column { x: cx - bar_w / 2.0, y, h, cx, value_y: y - 4.0, color, point, lines }
        })
        .collect();
    Burndown { title, width, height, left, grid_x2: width - right, axis_x: left - 6.0, bar_w, grid, bars }
}

/// One share of a [`Stacked`] bar.
#[derive(Clone, Copy)]
pub(super) struct Part<'a> {
    /// Legend and tooltip text.
    pub name: &'a str,
    /// Fill and swatch colour.
    pub color: &'a str,
    /// How many.
    pub v: u64,
}

struct Segment<'a> {
    x: f64,
    w: f64,
    mid: f64,
    part: Part<'a>,
}

/// One stacked bar of shares with an HTML legend.
#[derive(Template)]
#[template(path = "report/stacked.html")]
pub(super) struct Stacked<'a> {
    title: &'a str,
    width: f64,
    total: u64,
    parts: Vec<Part<'a>>,
    segments: Vec<Segment<'a>>,
}

/// Lays out [`Stacked`]: empty parts stay in the legend but get no segment.
pub(super) fn stacked<'a>(title: &'a str, parts: Vec<Part<'a>>) -> Stacked<'a> {
    let total: u64 = parts.iter().map(|p| p.v).sum();
    let width = 900.0_f64;
    let mut x = 0.0_f64;
    let mut segments = Vec::with_capacity(parts.len());
    for &part in &parts {
        if total == 0 || part.v == 0 {
            continue;
        }
        let w = part.v as f64 / total as f64 * width;
        segments.push(Segment { x, w, mid: x + w / 2.0, part });
        x += w;
    }
    Stacked { title, width, total, parts, segments }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many phases with their dates: the columns named are far enough apart for their labels,
    /// today and the last phase always among them, and each carries all its lines.
    #[test]
    fn burndown_labels_never_overlap() {
        for phases in [1_usize, 6, 8, 9, 20] {
            let mut points = vec![Point { label: "today".into(), dates: vec!["2025-02-13".into()], v: 100 }];
            points.push(Point { label: "phase 0".into(), dates: Vec::new(), v: 90 });
            points.extend((1..=phases).map(|k| Point {
                label: format!("phase {k}"),
                dates: vec!["2025-02-13 –".into(), "2025-08-12".into()],
                v: 80,
            }));
            let chart = burndown("t", points);
            let named: Vec<&Column> = chart.bars.iter().filter(|b| !b.lines.is_empty()).collect();
            assert!(std::ptr::eq(named[0], &chart.bars[0]) && std::ptr::eq(*named.last().unwrap(), chart.bars.last().unwrap()));
            for pair in named.windows(2) {
                assert!(pair[1].cx - pair[0].cx >= 12.0 * 6.2, "{phases} phases: labels {} apart", pair[1].cx - pair[0].cx);
            }
            for b in &named {
                assert_eq!(b.lines.len(), 1 + b.point.dates.len());
                assert!(b.lines.last().unwrap().y < chart.height, "the last line is inside the chart");
            }
            if phases <= 8 {
                assert_eq!(named.len(), chart.bars.len(), "{phases} phases: every column named");
            }
        }
    }
}
