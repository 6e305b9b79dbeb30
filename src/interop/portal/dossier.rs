//! A portal record's dossier (`thanh_phan_ho_so`) split into rows.
//!
//! The portal page shows the dossier as one or more tables. Each has a caption, the portal's
//! name for the group (`--` when it has none, `* Giấy tờ phải nộp:`, `Trường hợp …`, `Lưu ý`),
//! then the header `Tên giấy tờ | Mẫu đơn, tờ khai | Số lượng` and one row per paper. The crawl
//! glues all the cells together:
//! `<caption>Tên giấy tờMẫu đơn, tờ khaiSố lượng<name><form file><quantity><name>…<caption>Tên giấy tờ…`.
//! Every row ends with its quantity (`1 bản chính`, `0 bản chính,1 bản sao`), so the quantities
//! cut the text into rows, and the text between a table's last quantity and the next header
//! is the next table's caption.
//!
//! The rules, each from what the records of the Ministries of Public Security and Justice show:
//!
//! - **Quantity.** `N bản chính`, optionally `,M bản sao`, or `M bản sao` alone. A quantity
//!   inside a row's wording (`(01 bản chính hoặc 01 bản sao có chứng thực)`, `01 bản sao giấy
//!   khai sinh`) is not a cell: it is preceded by `(`, followed by a space, `)` or punctuation,
//!   or would leave the row without a name. The next row starts right after a real cell, with
//!   no space.
//! - **Glued digits.** `…Nghị định 116` + `0 bản chính` arrives as `…Nghị định 1160 bản chính`.
//!   Counts are small: every count in those records is one digit, and a zero-padded `01`/`02`
//!   is the portal's other habit. So the count takes one digit, except a two-digit run that
//!   starts with `0` or follows the name's closing punctuation (`….10 bản chính`), and a
//!   date's year stays whole (`ngày 24/7/2023` + `1`: `20231` splits as `2023` + `1`).
//! - **Form file.** The form cell sits between the name and the quantity: a file name
//!   (`….docx`, `.doc`, `.pdf`, …) or a glued `Mẫu số …`. It starts where the text is glued
//!   without a space (`…của Bộ Công an)Mẫu CC01….doc`, `…tài sảnMau TP DGTS 05.doc`), the first
//!   such place among the last 16 words (file names in the records have at most 13); several
//!   files glued together are kept joined by `; `.
//! - **Captions.** Each caption starts a new group, ending the case and the mode of the one
//!   before: `--` (no name) is common and submitted; `Giấy tờ phải nộp` is submitted;
//!   `Giấy tờ phải xuất trình` (or `… phải xuất trình các giấy tờ sau`) makes its rows
//!   presented; `Lưu ý` (note) makes its rows notes; a case label (`Trường hợp …`, `Đối với …`,
//!   `Nếu …`, with any bullet or numbering) makes its rows that case's. The mode does not carry
//!   over a caption: in the Ministry of Justice's records the untitled table after `Giấy tờ
//!   phải xuất trình` holds the application form, which is submitted. These captions are not
//!   rows. Any other caption (`Hồ sơ của người nhận con nuôi`, `Phiếu được tạo lập khi…`) names
//!   no alternative (both adoption dossiers are needed), so its rows are common, and the
//!   caption itself is kept as a note row rather than lost.
//! - **Case labels are captions only.** A row that carries a quantity is a row, whatever its
//!   wording: `+ Trường hợp không có văn bản nêu trên thì … lập văn bản cam đoan …1 bản chính`
//!   is a document, `- Trường hợp nộp hồ sơ trực tuyến thì …0 bản chính` a note. Row order
//!   cannot say what a row introduces: the portal does not keep it (notes come before the
//!   documents they are about).
//! - **Notes.** A row with no original and no copy asked for, a row under a `Lưu ý` caption,
//!   and a row whose wording starts `Lưu ý`, `Ghi chú` or `Số lượng hồ sơ` (the portal shows
//!   `1 bản chính` beside some of them) are notes: kept, but not components. Text after the
//!   last quantity is a note too.
//! - **Shown papers.** A row whose wording starts `Xuất trình` (show …) is presented wherever it
//!   stands, and is no note even at `0 bản chính`: a paper shown hands nothing in.
//!
//! Nothing here panics, whatever the text.

use crate::model::CopyKind;
use unicode_normalization::UnicodeNormalization;

/// A record's dossier: its cases and its rows, in the order of the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dossier {
    /// Case labels (`Trường hợp …`), cleaned like row names, each once, in order of appearance.
    pub cases: Vec<String>,
    /// Every row, notes included.
    pub rows: Vec<Row>,
}

/// One row of the dossier table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based position among all rows, notes included.
    pub number: usize,
    /// The row's text as it arrived (NFC), quantity and form file included, trimmed.
    pub raw: String,
    /// The document's wording: no quantity, form file or leading bullet/numbering, spaces
    /// folded, trailing `.`, `;`, `,` and `:` removed.
    pub name: String,
    /// Originals asked for.
    pub originals: u32,
    /// Copies asked for.
    pub copies: u32,
    /// The form's file name(s) from the form column, joined by `; `.
    pub form_file: Option<String>,
    /// Shown, not handed in: under a `Giấy tờ phải xuất trình` caption, or worded `Xuất trình …`.
    pub presented: bool,
    /// Index into [`Dossier::cases`]; `None` for rows every applicant hands in.
    pub case: Option<usize>,
    /// Not a document: no original and no copy asked for (a `Xuất trình` row excepted), or a
    /// note by caption or wording.
    pub note: bool,
}

impl Row {
    /// How the paper is handed in; `None` for a note, which is no component. Shown beats
    /// everything; then an original when one is asked for (with or without copies), else a
    /// copy, certified when the wording says `chứng thực` (the quantity cell cannot say).
    pub fn copy(&self) -> Option<CopyKind> {
        if self.note {
            None
        } else if self.presented {
            Some(CopyKind::Presented)
        } else if self.originals > 0 {
            Some(CopyKind::Original)
        } else if self.copies > 0 {
            // The quantity cell says only "copy"; the wording says whether it is certified.
            let certified = self.name.to_lowercase().contains("chứng thực");
            Some(if certified { CopyKind::CertifiedCopy } else { CopyKind::Copy })
        } else {
            None
        }
    }
}

/// The table header, whose three cells arrive glued (spaces between them are tolerated).
const HEADER: [&str; 3] = ["Tên giấy tờ", "Mẫu đơn, tờ khai", "Số lượng"];

/// The section title that leaks into a caption when the crawl cut the page badly.
const SECTION_TITLE: &str = "Thành phần hồ sơ";

/// Captions that only introduce the table.
const FILLERS: [&str; 5] = ["bao gồm", "gồm", "thành phần hồ sơ", "hồ sơ gồm", "hồ sơ bao gồm"];

/// Openings of a case label.
const CASE_WORDS: [&str; 5] = ["trường hợp", "các trường hợp", "trong trường hợp", "đối với", "nếu"];

/// Phrases of a caption over papers shown, not handed in.
const PRESENTED_WORDS: [&str; 4] =
    ["giấy tờ phải xuất trình", "giấy tờ xuất trình", "phải xuất trình các giấy tờ", "xuất trình các giấy tờ sau"];

/// Openings of a caption over papers handed in (the default, so only the caption is dropped).
const SUBMIT_WORDS: [&str; 4] = ["giấy tờ phải nộp", "giấy tờ nộp", "các giấy tờ phải nộp", "hồ sơ phải nộp"];

/// Opening of a row about a paper shown.
const SHOWN_WORD: &str = "xuất trình";

/// Openings of a note, by caption or by row wording.
const NOTE_WORDS: [&str; 4] = ["lưu ý", "ghi chú", "chú ý", "số lượng hồ sơ"];

/// Splits a record's `thanh_phan_ho_so` into cases and rows.
pub fn split(text: &str) -> Dossier {
    let text: String = text.nfc().collect();
    let headers = headers(&text);
    let mut builder = Builder::default();
    let end = (text.len(), text.len());
    let mut start = 0;
    for (i, &(header_start, header_end)) in headers.iter().chain(std::iter::once(&end)).enumerate() {
        let segment = text.get(start..header_start).unwrap_or("");
        let rest = builder.rows_of(segment);
        if i < headers.len() {
            builder.caption(rest);
        } else {
            builder.trailing(rest);
        }
        start = header_end;
    }
    Dossier { cases: builder.cases, rows: builder.rows }
}

/// Byte ranges of the table headers.
fn headers(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|t| t.find(HEADER[0])) {
        let start = from + at;
        let mut end = start + HEADER[0].len();
        let mut matched = true;
        for part in &HEADER[1..] {
            let rest = &text[end..];
            let trimmed = rest.trim_start();
            if trimmed.starts_with(part) {
                end += rest.len() - trimmed.len() + part.len();
            } else {
                matched = false;
                break;
            }
        }
        if matched {
            out.push((start, end));
        }
        from = end;
    }
    out
}

/// The rows being built, and the state the last caption set.
#[derive(Default)]
struct Builder {
    cases: Vec<String>,
    rows: Vec<Row>,
    presented: bool,
    notes: bool,
    case: Option<usize>,
}

impl Builder {
    /// Adds the rows of `segment` (text between two headers); returns what follows the last
    /// quantity.
    fn rows_of<'a>(&mut self, segment: &'a str) -> &'a str {
        let mut from = 0;
        for cell in cells(segment) {
            let raw = &segment[from..cell.end];
            let body = &segment[from..cell.start];
            self.push_row(raw, body, cell.originals, cell.copies);
            from = cell.end;
        }
        &segment[from..]
    }

    /// Starts a new group under `raw`, the caption before a header.
    fn caption(&mut self, raw: &str) {
        self.presented = false;
        self.notes = false;
        self.case = None;
        match classify(raw) {
            Caption::Nothing => {}
            Caption::Presented(case) => {
                self.presented = true;
                self.case = case.map(|label| self.case_index(label));
            }
            Caption::Notes(text) => {
                self.notes = true;
                if let Some(text) = text {
                    self.push_note(raw, text);
                }
            }
            Caption::Case(label) => self.case = Some(self.case_index(label)),
            Caption::Text(text) => self.push_note(raw, text),
        }
    }

    /// Text after the last quantity of the dossier: a note, if anything is left.
    fn trailing(&mut self, raw: &str) {
        let name = clean_name(raw);
        if !name.is_empty() {
            self.push_note(raw, name);
        }
    }

    fn case_index(&mut self, label: String) -> usize {
        match self.cases.iter().position(|c| *c == label) {
            Some(i) => i,
            None => {
                self.cases.push(label);
                self.cases.len() - 1
            }
        }
    }

    fn push_row(&mut self, raw: &str, body: &str, originals: u32, copies: u32) {
        let (text, form_file) = split_form(body);
        let name = clean_name(text);
        let lower = name.to_lowercase();
        // "Xuất trình …" (show …) is shown whatever the group, and hands in nothing, so its
        // quantity may well be 0 without making it a note.
        let shown = lower.starts_with(SHOWN_WORD);
        let note = self.notes || (!shown && ((originals == 0 && copies == 0) || starts_with_any(&lower, &NOTE_WORDS)));
        self.rows.push(Row {
            number: self.rows.len() + 1,
            raw: raw.trim().to_string(),
            name,
            originals,
            copies,
            form_file,
            presented: self.presented || shown,
            case: self.case,
            note,
        });
    }

    fn push_note(&mut self, raw: &str, name: String) {
        self.rows.push(Row {
            number: self.rows.len() + 1,
            raw: raw.trim().to_string(),
            name,
            originals: 0,
            copies: 0,
            form_file: None,
            presented: self.presented,
            case: self.case,
            note: true,
        });
    }
}

/// What a caption does.
#[derive(Debug, PartialEq, Eq)]
enum Caption {
    /// No name, a filler or `Giấy tờ phải nộp`: common rows, handed in.
    Nothing,
    /// Papers shown, possibly for a case.
    Presented(Option<String>),
    /// Notes; the text when the caption says more than `Lưu ý`.
    Notes(Option<String>),
    /// A case label.
    Case(String),
    /// Any other title, kept as a note row.
    Text(String),
}

fn classify(raw: &str) -> Caption {
    let raw = match raw.rfind(SECTION_TITLE) {
        Some(at) => &raw[at + SECTION_TITLE.len()..],
        None => raw,
    };
    let text = clean_name(raw);
    let lower = text.to_lowercase();
    if text.is_empty() || FILLERS.contains(&lower.as_str()) {
        return Caption::Nothing;
    }
    if let Some(word) = NOTE_WORDS.iter().find(|w| lower.starts_with(*w)) {
        let rest = lower[word.len()..].trim_start_matches([' ', ':']);
        return Caption::Notes((!rest.is_empty()).then_some(text));
    }
    let case = starts_with_any(&lower, &CASE_WORDS).then(|| text.clone());
    if PRESENTED_WORDS.iter().any(|w| lower.contains(w)) {
        return Caption::Presented(case);
    }
    if starts_with_any(&lower, &SUBMIT_WORDS) {
        return Caption::Nothing;
    }
    match case {
        Some(label) => Caption::Case(label),
        None => Caption::Text(text),
    }
}

fn starts_with_any(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.starts_with(w))
}

/// A quantity cell: the count digits start at `start`, the cell ends at `end`.
#[derive(Debug, PartialEq, Eq)]
struct Cell {
    start: usize,
    end: usize,
    originals: u32,
    copies: u32,
}

const ORIGINALS: &str = "bản chính";
const COPIES: &str = "bản sao";

/// The quantity cells of `segment`, in order.
fn cells(segment: &str) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut pos = 0;
    while let Some((at, word)) = next_word(segment, pos) {
        pos = at + word.len();
        if let Some(cell) = cell_at(segment, from, at, word) {
            from = cell.end;
            pos = cell.end;
            out.push(cell);
        }
    }
    out
}

/// The next `bản chính` or `bản sao` at or after `pos`.
fn next_word(s: &str, pos: usize) -> Option<(usize, &'static str)> {
    let rest = s.get(pos..)?;
    let originals = rest.find(ORIGINALS).map(|i| (pos + i, ORIGINALS));
    let copies = rest.find(COPIES).map(|i| (pos + i, COPIES));
    match (originals, copies) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The cell whose word is at `at`, when the text there is a quantity cell of a row that
/// began at `from`.
fn cell_at(s: &str, from: usize, at: usize, word: &str) -> Option<Cell> {
    let before = s.get(from..at)?;
    let spaced = before.trim_end_matches([' ', '\u{a0}']);
    let run = spaced.bytes().rev().take_while(u8::is_ascii_digit).count();
    if run == 0 {
        return None;
    }
    let run_start = from + spaced.len() - run;
    let digits = &s[run_start..from + spaced.len()];
    let mut preceding = s[from..run_start].chars().rev();
    let (prev, prev2) = (preceding.next(), preceding.next());
    if prev == Some('(') {
        return None;
    }
    let start = run_start + run - count_len(digits, prev, prev2);
    if s[from..start].trim().is_empty() {
        return None;
    }
    let count = number(&s[start..run_start + run]);
    let mut end = at + word.len();
    let (originals, copies) = if word == ORIGINALS {
        match copies_after(s, end) {
            Some((copies, copies_end)) => {
                end = copies_end;
                (count, copies)
            }
            None => (count, 0),
        }
    } else {
        (0, count)
    };
    cell_ends_at(s, end).then_some(Cell { start, end, originals, copies })
}

/// `,M bản sao` right after `N bản chính`: the copies and where they end.
fn copies_after(s: &str, end: usize) -> Option<(u32, usize)> {
    let rest = s.get(end..)?.trim_start_matches(' ').strip_prefix(',')?.trim_start_matches(' ');
    let run = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = rest[run..].trim_start_matches(' ');
    if run == 0 || !after.starts_with(COPIES) {
        return None;
    }
    let copies_end = s.len() - after.len() + COPIES.len();
    Some((number(&rest[..run]), copies_end))
}

/// Whether a quantity ending at `end` is a cell: the next row starts right after it, without a
/// space; wording goes on with a space or punctuation.
fn cell_ends_at(s: &str, end: usize) -> bool {
    let rest = s.get(end..).unwrap_or("");
    match rest.chars().next() {
        None => true,
        Some(c) if c.is_whitespace() => {
            let next = rest.trim_start();
            next.is_empty() || next.starts_with(['-', '+', '*', '•']) || next.starts_with(HEADER[0])
        }
        Some(c) => !")]},;.:/".contains(c),
    }
}

/// How many of the trailing `digits` glued before `bản chính` are the count (the rest end the
/// row's name); `prev` and `prev2` are the characters before the digits.
fn count_len(digits: &str, prev: Option<char>, prev2: Option<char>) -> usize {
    let n = digits.len();
    if n == 1 || prev.is_none() {
        return 1;
    }
    // A date's year is four digits: `ngày 24/7/2023` + `1`.
    if prev == Some('/') && (n == 5 || n == 6) {
        return n - 4;
    }
    // `20.03` + `1`: the digits go on a number of the name.
    let in_number = matches!(prev, Some('.' | ',')) && prev2.is_some_and(|c| c.is_ascii_digit());
    let after_punctuation = prev.is_some_and(|c| ".;:),".contains(c));
    if n == 2 && !in_number && (digits.starts_with('0') || after_punctuation) {
        return 2;
    }
    1
}

/// A count; absurdly long ones saturate.
fn number(digits: &str) -> u32 {
    digits.parse().unwrap_or(u32::MAX)
}

/// Extensions of form files.
const EXTENSIONS: [&str; 15] =
    ["docx", "xlsx", "pptx", "jpeg", "doc", "xls", "pdf", "odt", "ods", "rtf", "zip", "rar", "jpg", "png", "txt"];

/// How many words a form file's name may have: the longest in the records has 13 (`Mẫu số 01 -
/// Đơn tham gia lực lượng ANTT cơ sở (TT14.2024.BCA).docx`). A glue point further back is in
/// the document's wording (`…giấy ra viện.Thông tin về…`).
const FORM_WORDS: usize = 16;

/// `body` split into the name and the form file(s) glued after it.
fn split_form(body: &str) -> (&str, Option<String>) {
    let t = body.trim_end();
    let start = match extension_at(t) {
        Some(dot) => file_start(t, dot),
        None => bare_form_start(t),
    };
    match start {
        Some(start) if !t[..start].trim().is_empty() => (&t[..start], Some(join_files(&t[start..]))),
        _ => (t, None),
    }
}

/// Where `.ext` of a form-file extension starts, when `t` ends with one.
fn extension_at(t: &str) -> Option<usize> {
    extension_end_at(t, t.len())
}

/// Where the `.ext` ending at `end` starts, if there is one.
fn extension_end_at(t: &str, end: usize) -> Option<usize> {
    let head = t.get(..end)?;
    EXTENSIONS.iter().find_map(|ext| {
        let dot = end.checked_sub(ext.len() + 1)?;
        let tail = head.get(dot..)?;
        (dot > 0 && tail.starts_with('.') && tail[1..].eq_ignore_ascii_case(ext)).then_some(dot)
    })
}

/// Where the file name ending at `dot` starts: the first place within reach where text is
/// glued without a space, else the last `Mẫu`/`Mau` word, else the last word.
fn file_start(t: &str, dot: usize) -> Option<usize> {
    let spaces: Vec<usize> = t[..dot].match_indices(char::is_whitespace).map(|(i, _)| i).collect();
    let from = spaces.len().checked_sub(FORM_WORDS).map_or(0, |k| spaces[k]);
    if let Some(p) = glue_points(t, from, dot).next() {
        return Some(p);
    }
    let window = &t[from..dot];
    let form_word = ["Mẫu", "Mau", "mẫu", "mau"].iter().filter_map(|w| window.rfind(&format!(" {w}"))).max();
    let last_space = || window.char_indices().rev().find(|(_, c)| c.is_whitespace()).map(|(i, c)| from + i + c.len_utf8());
    form_word.map(|i| from + i + 1).or_else(last_space)
}

/// A `Mẫu số …` cell glued after the name without a file extension.
fn bare_form_start(t: &str) -> Option<usize> {
    glue_points(t, 0, t.len()).filter(|&p| t[p..].chars().count() <= 60).find(|&p| {
        let rest = &t[p..];
        ["Mẫu", "Mau", "MẪU"].iter().any(|w| rest.starts_with(w)) && is_punctuation_glue(t, p)
    })
}

fn is_punctuation_glue(t: &str, p: usize) -> bool {
    t[..p].chars().next_back().is_some_and(|c| ".;:),]".contains(c))
}

/// Positions in `t[from..to]` where a new cell starts glued to the text before it: after
/// closing punctuation (`…Công an)Mẫu`), at a lowercase-to-capital step (`tài sảnMau`), at a
/// numbered attachment (`cá nhân7-Mẫu`), or at a word glued to a code (`TP-QTV-02Mẫu`).
fn glue_points(t: &str, from: usize, to: usize) -> impl Iterator<Item = usize> + '_ {
    let mut chars = t[..to].char_indices().peekable();
    let mut prev: Option<char> = None;
    let mut prev2: Option<char> = None;
    std::iter::from_fn(move || {
        for (i, c) in chars.by_ref() {
            let glued = i > from && prev.is_some_and(|a| is_glue(t, i, prev2, a, c));
            prev2 = prev;
            prev = Some(c);
            if glued {
                return Some(i);
            }
        }
        None
    })
}

fn is_glue(t: &str, i: usize, prev2: Option<char>, a: char, b: char) -> bool {
    let rest = &t[i..];
    let word_after = rest.chars().nth(1).is_some_and(char::is_lowercase);
    if ".;)]".contains(a) && b.is_alphanumeric() {
        // `40.2024`: a number, not a glue.
        return !(a == '.' && prev2.is_some_and(|c| c.is_ascii_digit()) && b.is_ascii_digit());
    }
    if ",:".contains(a) {
        // `XÃ,PHƯỜNG` is a missing space; `TRÚ,33-Mẫu…` a numbered file.
        return b.is_ascii_digit() || ["Mẫu", "Mau"].iter().any(|w| rest.starts_with(w));
    }
    if a.is_lowercase() && b.is_uppercase() {
        return starts_word(rest);
    }
    if a.is_lowercase() && b.is_ascii_digit() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        return rest[digits..].starts_with(['-', '.']);
    }
    // `theo Mẫu TP-QTV-02` + `Mẫu TP-QTV-02.docx`; `…/NĐ-CP` + `Mus03….docx`.
    let after_code = a.is_ascii_digit() || (a.is_uppercase() && prev2.is_some_and(char::is_uppercase));
    after_code && b.is_uppercase() && word_after
}

/// Whether a capital at the start of `rest` starts a word (`Mẫu`, `Thông`) or a code (`TTHC2-`),
/// rather than ending an acronym like `VNeID`.
fn starts_word(rest: &str) -> bool {
    let mut chars = rest.chars().skip(1);
    match chars.next() {
        Some(c) if c.is_lowercase() => true,
        Some(c) if c.is_uppercase() => {
            let next = chars.find(|c| !c.is_uppercase());
            next.is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '_')
        }
        _ => false,
    }
}

/// Several file names glued together, joined by `; `.
fn join_files(form: &str) -> String {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, _) in form.char_indices().skip(1) {
        let next = form[i..].chars().next();
        let here = extension_end_at(form, i);
        // `.doc` + `x…` is `.docx`, not two files.
        let longer = here.is_some() && extension_end_at(form, i + 1) == here;
        if here.is_some() && next.is_some_and(|c| c.is_alphanumeric()) && !longer && !form[start..i].trim().is_empty() {
            parts.push(form[start..i].trim());
            start = i;
        }
    }
    parts.push(form[start..].trim());
    parts.join("; ")
}

/// Text with every kind of space made one space, invisible format characters dropped, runs of
/// whitespace folded and the ends trimmed.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Zero-width, bidirectional and soft-hyphen characters, which the portal's editors leave
/// inside words (`đăng k\u{200e}ý`).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// A row's or caption's wording: folded, without leading bullets and numbering, without
/// trailing `.`, `;`, `,` and `:`.
fn clean_name(s: &str) -> String {
    let folded = fold(s);
    let mut rest = folded.as_str();
    while let Some(next) = strip_marker(rest) {
        rest = next.trim_start();
    }
    rest.trim_end_matches([' ', '.', ';', ',', ':']).to_string()
}

/// `rest` without one leading bullet (`- `, `+ `, `* `, `*)`, `•`) or numbering (`1.`, `1)`,
/// `(1)`, `1.2.`, `a)`, `b.`, `II.`).
fn strip_marker(rest: &str) -> Option<&str> {
    if let Some(r) = rest.strip_prefix("*)") {
        return Some(r);
    }
    let first = rest.chars().next()?;
    if "-+*•·–—−▪►○●".contains(first) {
        return Some(&rest[first.len_utf8()..]);
    }
    let inner = rest.strip_prefix('(').unwrap_or(rest);
    strip_number(inner).or_else(|| strip_letter(inner))
}

/// `1.`, `1)`, `1.2.`: one or two digits per level.
fn strip_number(s: &str) -> Option<&str> {
    let mut i = 0;
    let bytes = s.as_bytes();
    loop {
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || digits > 2 {
            return None;
        }
        i += digits;
        match bytes.get(i) {
            Some(b')') => break,
            Some(b'.') if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => i += 1,
            Some(b'.') => break,
            _ => return None,
        }
    }
    let rest = &s[i + 1..];
    // `1.5 triệu` is a number, not numbering.
    (!rest.starts_with(|c: char| c.is_ascii_digit())).then_some(rest)
}

/// `a)`, `b.`, `đ)`, `II.`: a lowercase letter or a Roman numeral, then a word.
fn strip_letter(s: &str) -> Option<&str> {
    let letters = s.chars().take_while(|c| c.is_alphabetic()).collect::<String>();
    let roman = (1..=4).contains(&letters.len()) && letters.chars().all(|c| "IVX".contains(c));
    let lower = letters.chars().count() == 1 && letters.chars().all(|c| c.is_lowercase());
    if !(roman || lower) {
        return None;
    }
    let rest = &s[letters.len()..];
    let after = rest.strip_prefix(')').or_else(|| rest.strip_prefix('.'))?;
    let next = after.chars().next();
    let word_follows = next.is_none_or(|c| c.is_whitespace() || (lower && c.is_uppercase()));
    word_follows.then_some(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(d: &Dossier, i: usize) -> &Row {
        &d.rows[i]
    }

    #[test]
    fn header_is_not_a_row_and_rows_end_with_their_quantity() {
        let d = split("--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn khiếu nại1 bản chínhBản sao giấy tờ0 bản chính,1 bản sao");
        assert_eq!(d.rows.len(), 2);
        assert_eq!((row(&d, 0).name.as_str(), row(&d, 0).originals, row(&d, 0).copies), ("Đơn khiếu nại", 1, 0));
        assert_eq!((row(&d, 1).name.as_str(), row(&d, 1).originals, row(&d, 1).copies), ("Bản sao giấy tờ", 0, 1));
        assert_eq!(row(&d, 1).copy(), Some(CopyKind::Copy));
        assert!(d.cases.is_empty());
    }

    #[test]
    fn glued_digits_stay_with_the_name() {
        let d = split("Tên giấy tờMẫu đơn, tờ khaiSố lượngTheo Khoản 1 Điều 12 Nghị định 1160 bản chính,1 bản saoBáo cáo1 bản chính");
        assert_eq!(row(&d, 0).name, "Theo Khoản 1 Điều 12 Nghị định 116");
        assert_eq!((row(&d, 0).originals, row(&d, 0).copies), (0, 1));
        assert!(!row(&d, 0).note);
        let d = split("Bản khai (Nghị định 56/2023/NĐ-CP ngày 24/7/20231 bản chínhẢnh.02 bản chínhMẫu BM.NCC.20.031 bản chính");
        assert_eq!(row(&d, 0).name, "Bản khai (Nghị định 56/2023/NĐ-CP ngày 24/7/2023");
        assert_eq!((row(&d, 1).name.as_str(), row(&d, 1).originals), ("Ảnh", 2));
        assert_eq!((row(&d, 2).name.as_str(), row(&d, 2).originals), ("Mẫu BM.NCC.20.03", 1));
    }

    #[test]
    fn count_len_prefers_small_counts() {
        assert_eq!(count_len("1161", Some(' '), Some('h')), 1);
        assert_eq!(count_len("01", Some('h'), Some('n')), 2);
        assert_eq!(count_len("10", Some('.'), Some('h')), 2);
        assert_eq!(count_len("10", Some(' '), Some('ố')), 1);
        assert_eq!(count_len("201902", Some('/'), Some('7')), 2);
        assert_eq!(count_len("031", Some('.'), Some('0')), 1);
        assert_eq!(count_len("01", Some('.'), Some('0')), 1);
    }

    #[test]
    fn quantities_inside_the_wording_are_not_cells() {
        let text = "Tên giấy tờMẫu đơn, tờ khaiSố lượngHợp đồng (01 bản chính hoặc 01 bản sao có chứng thực) trong trường hợp cần1 bản chính01 bản sao giấy khai sinh hoặc trích lục1 bản chính";
        let d = split(text);
        assert_eq!(d.rows.len(), 2);
        assert_eq!(row(&d, 1).name, "01 bản sao giấy khai sinh hoặc trích lục");
    }

    #[test]
    fn form_files_are_not_part_of_the_name() {
        let d = split(
            "Văn bản đề nghị hủy tài khoản điện tử (NA20).Mau NA20-BCA.docx1 bản chínhGiấy đề nghị sáp nhập công ty luậtMẫu TP-LS-28-sđ.docx1 bản chính- Thông báo.Mẫu TP-HGTM-08.docxMẫu TP-HGTM-15.docx1 bản chính",
        );
        assert_eq!(row(&d, 0).name, "Văn bản đề nghị hủy tài khoản điện tử (NA20)");
        assert_eq!(row(&d, 0).form_file.as_deref(), Some("Mau NA20-BCA.docx"));
        assert_eq!(row(&d, 1).name, "Giấy đề nghị sáp nhập công ty luật");
        assert_eq!(row(&d, 1).form_file.as_deref(), Some("Mẫu TP-LS-28-sđ.docx"));
        assert_eq!(row(&d, 2).name, "Thông báo");
        assert_eq!(row(&d, 2).form_file.as_deref(), Some("Mẫu TP-HGTM-08.docx; Mẫu TP-HGTM-15.docx"));
    }

    #[test]
    fn more_form_files() {
        let cases = [
            (
                "Tờ khai (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA).1.MuCT01banhnhkmtheoThngts53 (3).doc",
                "1.MuCT01banhnhkmtheoThngts53 (3).doc",
            ),
            (
                "Văn bản đề nghị cấp đổi thẻ bảo hiểm y tế của Tổng cục, Bộ Tư lệnh, đơn vị trực thuộc BộMau02-ĐN(BHYT).doc",
                "Mau02-ĐN(BHYT).doc",
            ),
            ("Tờ khai (mẫu NA6) đối với cá nhân7-Mẫu NA6.doc", "7-Mẫu NA6.doc"),
            ("Tờ khai (mẫu TK03) của Bộ Công an;Mau TK03 TT 31.2023.doc", "Mau TK03 TT 31.2023.doc"),
            (
                "Thông báo xử lý (dành cho cá nhân) - 01 (một) bản chínhTTHC2-Mu02b-TBhsGTxldliucnhn-Cnhn.docx",
                "TTHC2-Mu02b-TBhsGTxldliucnhn-Cnhn.docx",
            ),
            ("Tờ khai đăng ký tài khoản VNeID.Mẫu 01.docx", "Mẫu 01.docx"),
            ("Tờ khai theo mẫu;Mẫu số 01", "Mẫu số 01"),
        ];
        for (body, form) in cases {
            assert_eq!(split_form(body).1.as_deref(), Some(form), "{body}");
        }
    }

    #[test]
    fn captions_set_groups_and_cases() {
        let text = "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng+ Trường hợp không có văn bản thì lập văn bản cam đoan1 bản chính- Chứng cứ chứng minh gồm:0 bản chính* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Hộ chiếu1 bản chính- Trường hợp cấp lại do bị mất thẻ:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn trình báo1 bản chính--Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai1 bản chính";
        let d = split(text);
        assert_eq!(d.cases, ["Trường hợp cấp lại do bị mất thẻ"]);
        let got: Vec<_> = d.rows.iter().map(|r| (r.name.as_str(), r.presented, r.case, r.note)).collect();
        assert_eq!(
            got,
            [
                ("Trường hợp không có văn bản thì lập văn bản cam đoan", false, None, false),
                ("Chứng cứ chứng minh gồm", false, None, true),
                ("Hộ chiếu", true, None, false),
                ("Đơn trình báo", false, Some(0), false),
                ("Tờ khai", false, None, false),
            ]
        );
        assert_eq!(d.rows[2].copy(), Some(CopyKind::Presented));
        assert_eq!(d.rows[1].copy(), None);
    }

    #[test]
    fn other_captions_and_trailing_text_are_notes() {
        let d = split(
            "Hồ sơ của người nhận con nuôi:Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn1 bản chính* Lưu ý:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Giấy tờ nước ngoài phải hợp pháp hóa1 bản chính,1 bản saoTrường hợp nộp trực tuyến thì kê khai.",
        );
        let got: Vec<_> = d.rows.iter().map(|r| (r.number, r.name.as_str(), r.note)).collect();
        assert_eq!(
            got,
            [
                (1, "Hồ sơ của người nhận con nuôi", true),
                (2, "Đơn", false),
                (3, "Giấy tờ nước ngoài phải hợp pháp hóa", true),
                (4, "Trường hợp nộp trực tuyến thì kê khai", true),
            ]
        );
        assert!(d.cases.is_empty());
    }

    #[test]
    fn certified_copies_by_wording() {
        let d = split("Bản sao có chứng thực giấy phép0 bản chính,1 bản sao");
        assert_eq!(d.rows[0].copy(), Some(CopyKind::CertifiedCopy));
    }

    #[test]
    fn names_lose_bullets_and_numbering() {
        for (raw, name) in [
            ("- Đơn", "Đơn"),
            ("+  Đơn;", "Đơn"),
            ("a) Đơn", "Đơn"),
            ("a.Trường hợp X", "Trường hợp X"),
            ("1. Đơn", "Đơn"),
            ("12) Đơn", "Đơn"),
            ("(3) Đơn", "Đơn"),
            ("1.2. Đơn", "Đơn"),
            ("II. Đơn", "Đơn"),
            ("*) Đơn", "Đơn"),
            ("02 ảnh 4x6", "02 ảnh 4x6"),
            ("1.5 triệu đồng", "1.5 triệu đồng"),
            ("đăng k\u{200e}ý\u{a0} hộ\n tịch.", "đăng ký hộ tịch"),
            ("A. Đơn", "A. Đơn"),
        ] {
            assert_eq!(clean_name(raw), name, "{raw}");
        }
    }

    #[test]
    fn odd_texts_do_not_panic() {
        for text in [
            "",
            "bản chính",
            "1 bản chính",
            "Tên giấy tờ",
            "Tên giấy tờMẫu đơn, tờ khai",
            "ả1 bản sao",
            "(1 bản chính",
            ".docx1 bản chính",
            "9999999999999 bản chính",
            "Đơn\u{a0}x.docx1 bản chính",
            "Đơn\u{2003}Mẫu\u{a0}1.pdf0 bản chính,1 bản sao",
        ] {
            let _ = split(text);
        }
    }
}
