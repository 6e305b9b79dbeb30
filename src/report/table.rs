//! Aligned text tables for the terminal and Markdown reports.
//!
//! The reports once drew every table with comfy-table; this writer draws the same bytes (its
//! `UTF8_BORDERS_ONLY` and `ASCII_MARKDOWN` presets, one space of padding, no wrapping) in one
//! pass for the widths and one for the rows, so a table of one row per procedure of a national
//! catalog costs little more than its text.

use rayon::prelude::*;
use std::fmt;
use unicode_width::UnicodeWidthStr;

/// Where a cell's text sits in its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text flush left: names and ids.
    Left,
    /// Text flush right: figures, so their digits line up.
    Right,
    /// Text centred, the odd space on the left.
    Center,
}

/// A column: its title in the header, how its cells are aligned, and whether its text may wrap
/// onto more lines when the table is wider than its layout allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    title: String,
    align: Align,
    wrap: bool,
}

impl Column {
    /// A column of text aligned left.
    pub fn left(title: impl Into<String>) -> Self {
        Column { title: title.into(), align: Align::Left, wrap: false }
    }

    /// A column of figures aligned right.
    pub fn right(title: impl Into<String>) -> Self {
        Column { title: title.into(), align: Align::Right, wrap: false }
    }

    /// A column with the given alignment.
    pub fn aligned(title: impl Into<String>, align: Align) -> Self {
        Column { title: title.into(), align, wrap: false }
    }

    /// A column of text aligned left that wraps at spaces (and within words only when one is
    /// wider than the column) to fit the table in its width: names and descriptions.
    pub fn wrapping(title: impl Into<String>) -> Self {
        Column { title: title.into(), align: Align::Left, wrap: true }
    }
}

/// How text output is laid out: a Markdown document, or text for a terminal or a memo, whose
/// tables fit a width by wrapping their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Markdown: pipe tables, never wrapped (a Markdown viewer lays them out).
    pub markdown: bool,
    /// The widest a terminal table may be, in columns; `None` for no limit.
    pub width: Option<usize>,
}

impl Layout {
    /// Markdown.
    pub const MARKDOWN: Layout = Layout { markdown: true, width: None };

    /// Text for a terminal at most `width` columns wide (`None`: as wide as the cells are).
    pub fn text(width: Option<usize>) -> Self {
        Layout { markdown: false, width }
    }
}

/// Text whose lines of prose (not of a table) are wrapped to the layout's width, a list item's
/// continuation indented under its text; Markdown and a layout without a width are left as
/// they are (a Markdown viewer reflows its paragraphs).
pub fn fit_prose(text: String, layout: Layout) -> String {
    let Some(width) = layout.width.filter(|_| !layout.markdown) else { return text };
    let is_table = |l: &str| l.starts_with(['│', '┌', '╞', '└']);
    if !text.lines().any(|l| !is_table(l) && line_width(l) > width) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if is_table(body) || line_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let indent = if body.starts_with("- ") { "  " } else { "" };
        let options = textwrap::Options::new(width).subsequent_indent(indent);
        out.push_str(&textwrap::wrap(body, options).join("\n"));
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// The narrowest a wrapping column is made, so that a table too wide for its layout even so
/// keeps its names readable and runs over instead.
const MIN_WRAPPED: usize = 12;

/// One horizontal rule: its corners, its line and where it crosses a column border.
struct Rule {
    left: &'static str,
    fill: &'static str,
    cross: &'static str,
    right: &'static str,
}

/// How a style frames the cells; a style without a top or bottom rule draws no line there.
struct Borders {
    /// Markdown: rows of one line, pipes escaped.
    markdown: bool,
    top: Option<Rule>,
    under_header: Rule,
    bottom: Option<Rule>,
    left: &'static str,
    between: &'static str,
    right: &'static str,
}

/// Light box-drawing borders for a terminal, with no line between columns.
const TERMINAL: Borders = Borders {
    markdown: false,
    top: Some(Rule { left: "┌", fill: "─", cross: "─", right: "┐" }),
    under_header: Rule { left: "╞", fill: "═", cross: "═", right: "╡" },
    bottom: Some(Rule { left: "└", fill: "─", cross: "─", right: "┘" }),
    left: "│",
    between: " ",
    right: "│",
};

/// A Markdown pipe table.
const MARKDOWN: Borders = Borders {
    markdown: true,
    top: None,
    under_header: Rule { left: "|", fill: "-", cross: "|", right: "|" },
    bottom: None,
    left: "|",
    between: "|",
    right: "|",
};

/// Spaces on each side of a cell's text.
const PADDING: usize = 1;

/// A table with a header and rows of text, for a terminal or as Markdown.
///
/// A cell may hold several lines: its row is then as tall as its tallest cell. Every row should
/// have one cell per column; a missing cell is drawn empty.
pub struct TextTable {
    borders: &'static Borders,
    width: Option<usize>,
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    /// An empty table with these columns, for a terminal or memo (light borders, wrapped to the
    /// layout's width) or Markdown.
    pub fn new(layout: Layout, columns: Vec<Column>) -> Self {
        let borders = if layout.markdown { &MARKDOWN } else { &TERMINAL };
        TextTable { borders, width: if layout.markdown { None } else { layout.width }, columns, rows: Vec::new() }
    }

    /// Whether the table is drawn as Markdown.
    fn is_markdown(&self) -> bool {
        self.borders.markdown
    }

    /// Adds a row, one cell per column.
    pub fn row(&mut self, mut cells: Vec<String>) -> &mut Self {
        debug_assert_eq!(cells.len(), self.columns.len(), "one cell per column");
        let markdown = self.is_markdown();
        for c in &mut cells {
            if needs_cleaning(c, markdown) {
                *c = clean(c, markdown);
            }
        }
        self.rows.push(cells);
        self
    }

    /// Adds rows, one cell per column each.
    pub fn rows(&mut self, rows: impl IntoIterator<Item = Vec<String>>) -> &mut Self {
        for r in rows {
            self.row(r);
        }
        self
    }

    /// The width of each column's text: its widest line, header included, and at least one
    /// (as comfy-table drew it, so the tables keep their width).
    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.columns.iter().map(|c| text_width(&c.title).max(1)).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(text_width(cell));
            }
        }
        widths
    }

    /// The widths of the columns once the table fits its layout: the widest wrapping columns
    /// are narrowed first, one column at a time, never below [`MIN_WRAPPED`].
    fn fitted(&self, mut widths: Vec<usize>) -> Vec<usize> {
        let Some(max) = self.width else { return widths };
        let b = self.borders;
        let frame = line_width(b.left) + line_width(b.right) + line_width(b.between) * widths.len().saturating_sub(1);
        let total = widths.iter().map(|w| w + 2 * PADDING).sum::<usize>() + frame;
        let mut excess = total.saturating_sub(max);
        while excess > 0 {
            let narrowable = |i: &usize| self.columns[*i].wrap && widths[*i] > MIN_WRAPPED.max(text_width(&self.columns[*i].title));
            let widest = (0..widths.len()).filter(narrowable).max_by_key(|&i| (widths[i], usize::MAX - i));
            let Some(i) = widest else { break };
            widths[i] -= 1;
            excess -= 1;
        }
        widths
    }

    /// The table as lines joined by newlines, without a final newline.
    pub fn render(&self) -> String {
        let natural = self.widths();
        let widths = self.fitted(natural.clone());
        let narrowed: Vec<Option<usize>> = natural.iter().zip(&widths).map(|(n, w)| (w < n).then_some(*w)).collect();
        if narrowed.iter().any(Option::is_some) {
            // A national catalog's table has a row per procedure: they are wrapped on every core.
            let rows = self.rows.par_iter().map(|row| wrapped(row, &narrowed)).collect();
            let t = TextTable { borders: self.borders, width: None, columns: self.columns.clone(), rows };
            // Wrapped lines may all end short of the column's new width.
            return t.draw(&t.widths());
        }
        self.draw(&widths)
    }

    /// Draws the table with these column widths, which every cell fits.
    fn draw(&self, widths: &[usize]) -> String {
        // Room for mostly ASCII cells between borders of up to three bytes.
        let line_len: usize = widths.iter().map(|w| w + 2 * PADDING + 3).sum::<usize>() + 4;
        let mut out = String::with_capacity((self.rows.len() + 4) * line_len);
        let b = self.borders;
        if let Some(top) = &b.top {
            rule(&mut out, top, widths);
        }
        let header: Vec<&str> = self.columns.iter().map(|c| c.title.as_str()).collect();
        self.cells(&mut out, &header, widths);
        rule(&mut out, &b.under_header, widths);
        // Rows of several lines are told apart by an empty line between them (not in Markdown,
        // whose rows are one line each).
        let tall = !self.is_markdown() && self.rows.iter().any(|r| r.iter().any(|c| line_count(c) > 1));
        for (i, row) in self.rows.iter().enumerate() {
            if tall && i > 0 {
                self.cells::<&str>(&mut out, &[], widths);
            }
            self.cells(&mut out, row, widths);
        }
        if let Some(bottom) = &b.bottom {
            rule(&mut out, bottom, widths);
        }
        out.pop();
        out
    }

    /// Writes one row (header or body), a line per line of its tallest cell.
    fn cells<S: AsRef<str>>(&self, out: &mut String, row: &[S], widths: &[usize]) {
        let b = self.borders;
        let height = row.iter().map(|c| line_count(c.as_ref())).max().unwrap_or(1);
        for k in 0..height {
            out.push_str(b.left);
            for (i, (column, &width)) in self.columns.iter().zip(widths).enumerate() {
                if i > 0 {
                    out.push_str(b.between);
                }
                let cell = row.get(i).map_or("", |c| c.as_ref());
                let text = if height == 1 { cell } else { cell.split('\n').nth(k).unwrap_or("") };
                let pad = width - line_width(text);
                let (before, after) = match column.align {
                    Align::Left => (0, pad),
                    Align::Right => (pad, 0),
                    Align::Center => (pad.div_ceil(2), pad / 2),
                };
                spaces(out, PADDING + before);
                out.push_str(text);
                spaces(out, after + PADDING);
            }
            out.push_str(b.right);
            out.push('\n');
        }
    }
}

impl fmt::Display for TextTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// Whether a cell holds a character that would disturb its table: a control character (an
/// escape sequence would recolour the terminal, a carriage return overwrite the line, a tab
/// shift the borders) or, in Markdown, a pipe or a line break.
fn needs_cleaning(cell: &str, markdown: bool) -> bool {
    cell.chars().any(|c| (c.is_control() && (c != '\n' || markdown)) || (markdown && c == '|'))
}

/// A cell with a tab as a space and other control characters as `�`; in Markdown, line breaks
/// as spaces and pipes escaped.
pub fn clean(cell: &str, markdown: bool) -> String {
    let mut out = String::with_capacity(cell.len());
    for c in cell.chars() {
        match c {
            '\n' if markdown => out.push(' '),
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            '|' if markdown => out.push_str("\\|"),
            c => out.push(c),
        }
    }
    out
}

/// A row with the cells of narrowed columns wrapped to their new width.
fn wrapped(row: &[String], narrowed: &[Option<usize>]) -> Vec<String> {
    row.iter()
        .zip(narrowed)
        .map(|(cell, w)| match w {
            Some(w) if text_width(cell) > *w => cell.split('\n').flat_map(|line| wrap_line(line, *w)).collect::<Vec<_>>().join("\n"),
            _ => cell.clone(),
        })
        .collect()
}

/// One line wrapped to `width` columns: at spaces, or an id (no spaces) after its `.`, `_` or
/// `-`, and within a word only when it is wider than the column.
fn wrap_line(line: &str, width: usize) -> Vec<String> {
    if line.contains(' ') {
        return textwrap::wrap(line, width).into_iter().map(|l| l.into_owned()).collect();
    }
    let mut lines = Vec::new();
    let mut rest = line;
    while line_width(rest) > width {
        // The longest prefix that fits, ended after a separator when one is there.
        let mut fits = 0;
        let mut after_separator = 0;
        for (i, c) in rest.char_indices() {
            if line_width(&rest[..i + c.len_utf8()]) > width {
                break;
            }
            fits = i + c.len_utf8();
            if matches!(c, '.' | '_' | '-' | '/') {
                after_separator = fits;
            }
        }
        let cut = if after_separator > 0 { after_separator } else { fits.max(rest.chars().next().map_or(1, char::len_utf8)) };
        lines.push(rest[..cut].to_string());
        rest = &rest[cut..];
    }
    lines.push(rest.to_string());
    lines
}

/// The display width of a cell: its widest line.
fn text_width(cell: &str) -> usize {
    if line_count(cell) == 1 { line_width(cell) } else { cell.split('\n').map(line_width).max().unwrap_or(0) }
}

/// How many lines a cell has: one more than its newlines.
fn line_count(cell: &str) -> usize {
    1 + cell.bytes().filter(|&b| b == b'\n').count()
}

/// The display width of one line. Printable ASCII (ids and figures, most cells of a large table)
/// is one column a byte, which is quicker to count than to look up.
fn line_width(line: &str) -> usize {
    if line.bytes().all(|b| b.is_ascii_graphic() || b == b' ') { line.len() } else { line.width() }
}

/// Writes a horizontal rule across columns of these text widths.
fn rule(out: &mut String, r: &Rule, widths: &[usize]) {
    out.push_str(r.left);
    for (i, &w) in widths.iter().enumerate() {
        if i > 0 {
            out.push_str(r.cross);
        }
        for _ in 0..w + 2 * PADDING {
            out.push_str(r.fill);
        }
    }
    out.push_str(r.right);
    out.push('\n');
}

fn spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

    /// What comfy-table, which drew the reports' tables before, gives for the same table.
    fn comfy(md: bool, columns: &[Column], rows: &[Vec<String>]) -> String {
        let align = |a: Align| match a {
            Align::Left => CellAlignment::Left,
            Align::Right => CellAlignment::Right,
            Align::Center => CellAlignment::Center,
        };
        let mut t = Table::new();
        t.load_preset(if md { presets::ASCII_MARKDOWN } else { presets::UTF8_BORDERS_ONLY });
        t.set_content_arrangement(ContentArrangement::Disabled);
        t.set_header(columns.iter().map(|c| Cell::new(&c.title).set_alignment(align(c.align))).collect::<Vec<_>>());
        for r in rows {
            t.add_row(r.iter().zip(columns).map(|(s, c)| Cell::new(s).set_alignment(align(c.align))).collect::<Vec<_>>());
        }
        t.to_string()
    }

    fn columns() -> Vec<Column> {
        vec![
            Column::left("procedure"),
            Column::left("name"),
            Column::right("docs"),
            Column::right("saves VND / yr"),
            Column::aligned("c", Align::Center),
        ]
    }

    /// Rows of every width: Vietnamese with combining marks, wide CJK, empty cells, long and
    /// short figures, the widest cell in a late row.
    fn rows(n: usize) -> Vec<Vec<String>> {
        let names = ["Đăng ký khai sinh", "", "登记", "Cấp lại giấy phép lái xe (Hà Nội)", "x", "Sổ hộ khẩu"];
        (0..n)
            .map(|i| {
                let name = if i + 3 == n { "a name wider than any other in the whole table" } else { names[i % names.len()] };
                vec![
                    format!("1.{i:06}"),
                    name.to_string(),
                    crate::report::text::thousands((i as u64 * 7919) % 1_000_003),
                    crate::report::text::money(i as f64 * 1.5),
                    "·".repeat(i % 4),
                ]
            })
            .collect()
    }

    fn drawn(md: bool, columns: Vec<Column>, rows: &[Vec<String>]) -> String {
        let mut t = TextTable::new(if md { Layout::MARKDOWN } else { Layout::text(None) }, columns);
        t.rows(rows.iter().cloned());
        t.to_string()
    }

    #[test]
    fn tables_read_as_comfy_table_drew_them() {
        for md in [false, true] {
            for n in [0, 1, 2, 7, 1000] {
                let laid = drawn(md, columns(), &rows(n));
                assert_eq!(laid, comfy(md, &columns(), &rows(n)), "md {md}, {n} rows");
                assert_eq!(laid.lines().count(), n + if md { 2 } else { 4 });
            }
        }
    }

    #[test]
    fn a_cell_of_several_lines_makes_its_row_taller() {
        let mut r = rows(9);
        r[4][1] = "two\nlines, the second wider".into();
        r[6][2] = "1\n\n3".into();
        r[7][4] = "·\n··".into();
        // Markdown rows are one line each: a line break in a cell becomes a space.
        assert_eq!(drawn(true, columns(), &r).lines().count(), r.len() + 2);
        // On a terminal, rows of several lines are told apart by an empty line between rows.
        let laid = drawn(false, columns(), &r);
        let comfy_lines = comfy(false, &columns(), &r).lines().count();
        assert_eq!(laid.lines().count(), comfy_lines + r.len() - 1);
        let blank = laid.lines().nth(4).expect("the line after the first row");
        assert!(blank.starts_with('│') && blank.ends_with('│') && blank.trim_matches(['│', ' ']).is_empty(), "{blank:?}");
    }

    /// The widths of a drawn table's lines, in terminal columns.
    fn line_widths(s: &str) -> Vec<usize> {
        s.lines().map(line_width).collect()
    }

    #[test]
    fn a_table_wider_than_its_layout_wraps_its_names_and_loses_no_word() {
        let name = "Thủ tục đăng ký nhận cha, mẹ, con có yếu tố nước ngoài tại khu vực biên giới";
        let columns = vec![Column::left("procedure"), Column::wrapping("name"), Column::right("submissions / year")];
        let rows = vec![vec!["1.000080".to_string(), name.to_string(), "3,600,000".to_string()]];
        let mut t = TextTable::new(Layout::text(Some(50)), columns.clone());
        t.rows(rows.clone());
        let laid = t.render();
        assert!(line_widths(&laid).iter().all(|&w| w == 50), "{laid}");
        let words: Vec<&str> = laid.lines().flat_map(|l| l.trim_matches(['│', ' ']).split_whitespace()).collect();
        for w in name.split_whitespace() {
            assert!(words.contains(&w), "`{w}` lost in\n{laid}");
        }
        // Wide enough, the table is drawn as it is; Markdown is never wrapped.
        for layout in [Layout::text(Some(200)), Layout::text(None), Layout::MARKDOWN] {
            let mut t = TextTable::new(layout, columns.clone());
            t.rows(rows.clone());
            assert_eq!(t.render().lines().count(), if layout.markdown { 3 } else { 5 }, "{layout:?}");
        }
    }

    #[test]
    fn a_table_that_cannot_fit_keeps_its_names_readable_and_runs_over() {
        let columns = vec![Column::wrapping("name"), Column::right("a figure column with a long title")];
        let mut t = TextTable::new(Layout::text(Some(20)), columns);
        t.row(vec!["a name of several words".to_string(), "1".to_string()]);
        let laid = t.render();
        assert!(laid.lines().all(|l| line_width(l) == line_width(laid.lines().next().unwrap())));
        assert!(laid.contains("│ a name of   "), "the name column keeps twelve columns:\n{laid}");
    }

    /// Names come from catalogs: an escape sequence, a carriage return or a tab in one must not
    /// recolour the terminal, overwrite the line or shift the borders, nor a pipe split a
    /// Markdown row.
    #[test]
    fn control_characters_and_markdown_pipes_are_made_harmless() {
        let name = "red \u{1b}[31mtext\u{1b}[0m, tab\there, cr\rhere | pipe";
        for md in [false, true] {
            let laid = drawn(md, vec![Column::left("name"), Column::right("n")], &[vec![name.to_string(), "1".to_string()]]);
            assert!(!laid.chars().any(|c| c.is_control() && c != '\n'), "{laid:?}");
            let widths: Vec<usize> = laid.lines().map(line_width).collect();
            assert!(widths.windows(2).all(|w| w[0] == w[1]), "aligned: {laid}");
            if md {
                assert!(laid.contains("\\| pipe") && laid.lines().nth(2).unwrap().matches(" | ").count() == 1, "{laid}");
            }
        }
    }

    #[test]
    fn ids_break_after_their_separators_and_long_words_within() {
        assert_eq!(wrap_line("mpi.enterprise.change_legal_representative", 20), ["mpi.enterprise.", "change_legal_", "representative"]);
        assert_eq!(wrap_line("vehicle-certificate-unlock", 12), ["vehicle-", "certificate-", "unlock"]);
        assert_eq!(wrap_line("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_line("Đăng ký khai sinh", 9), ["Đăng ký", "khai sinh"]);
    }

    #[test]
    fn empty_columns_and_titles_are_one_character_wide() {
        for md in [false, true] {
            let mut r = rows(5);
            r.iter_mut().for_each(|row| row[4].clear());
            let mut c = columns();
            c[4] = Column::left("");
            c[0] = Column::right("");
            assert_eq!(drawn(md, c.clone(), &r), comfy(md, &c, &r), "md {md}");
        }
    }
}
