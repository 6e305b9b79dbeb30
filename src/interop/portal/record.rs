//! Reading the National Public Service Portal's procedure records.
//!
//! A record is the portal's procedure page cut into fields (`ma_thu_tuc`, `ten_thu_tuc`,
//! `cap_thuc_hien`, `thanh_phan_ho_so`, …; see docs/format.md, "Importing the portal's
//! records"). A file holds one record, a JSON array of records, or JSON Lines; a folder is
//! read recursively in sorted path order. Fields the portal adds later are ignored, and
//! `Không có thông tin` ("no information") or an empty string counts as absent. A record that cannot become a procedure is a [`Warning`] naming its
//! file and, in an array or JSON Lines, its position; reading never stops at one.

use super::dossier::fold;
use crate::model::Level;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// Largest file read. A record is tens of kilobytes; a whole ministry's JSON Lines is a few
/// megabytes, so a file past this is not a catalog (or should be split).
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// What the portal writes for an empty field.
const NO_INFORMATION: &str = "không có thông tin";

/// The records read, and the problems met.
#[derive(Debug, Default)]
pub struct Read {
    /// Records in input order (files in sorted path order within a folder).
    pub records: Vec<Record>,
    /// One per file or record that was skipped.
    pub warnings: Vec<Warning>,
}

/// A file or record that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file.
    pub file: PathBuf,
    /// 1-based position of the record: its line in JSON Lines, its item in an array.
    pub item: Option<usize>,
    /// A sentence saying what is wrong (it names the line or item too).
    pub reason: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.reason)
    }
}

/// One procedure as the portal publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The file it was read from.
    pub file: PathBuf,
    /// The input it belongs to, naming its procedures file: the subfolder's path relative to
    /// the input folder (`bo-cong-an`), the input folder's name for files directly in it, or
    /// the file's stem for an input file.
    pub group: PathBuf,
    /// National procedure code (`ma_thu_tuc`), e.g. `1.000178`.
    pub code: String,
    /// Procedure name (`ten_thu_tuc`); empty when the record has none.
    pub name: String,
    /// The decision that published it (`so_quyet_dinh`).
    pub decision: Option<String>,
    /// Levels that carry it out (`cap_thuc_hien`), see [`parse_levels`].
    pub levels: Vec<Level>,
    /// Sector (`linh_vuc`).
    pub sector: Option<String>,
    /// Who applies (`doi_tuong_thuc_hien`).
    pub applicants: Option<String>,
    /// Agency with the power to decide (`co_quan_co_tham_quyen`).
    pub competent_agency: Option<String>,
    /// Agency that carries it out (`co_quan_thuc_hien`).
    pub performing_agency: Option<String>,
    /// The dossier table as the portal flattened it (`thanh_phan_ho_so`), for
    /// [`super::dossier::split`].
    pub dossier: String,
    /// Result documents (`ket_qua_xu_ly`), see [`parse_results`].
    pub results: Vec<ResultDoc>,
    /// Codes of the legal documents it rests on (`can_cu_phap_ly`), see [`parse_legal_basis`].
    pub legal_basis: Vec<String>,
    /// The portal page (`detail_url`).
    pub url: Option<String>,
}

/// A document the procedure issues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultDoc {
    /// Its name.
    pub name: String,
    /// Its national result code (`KQ.G01.000156`, `000.00.00.G15-KQ0108`).
    pub code: Option<String>,
}

/// Reads the records of `paths`, each a file or a folder (read recursively: `*.json`,
/// `*.jsonl`, `*.ndjson`, in sorted path order). A file named directly is read whatever its
/// extension.
pub fn read(paths: &[PathBuf]) -> Read {
    let mut reader = Reader::default();
    for path in paths {
        reader.input(path);
    }
    reader.out
}

#[derive(Default)]
struct Reader {
    out: Read,
    /// Codes read so far, and the file each came from.
    codes: HashMap<String, PathBuf>,
    /// Files read so far (resolved), so that one named twice is read once.
    files: HashSet<PathBuf>,
}

impl Reader {
    fn warn(&mut self, file: &Path, item: Option<usize>, reason: String) {
        self.out.warnings.push(Warning { file: file.to_path_buf(), item, reason });
    }

    fn input(&mut self, path: &Path) {
        match std::fs::metadata(path) {
            Err(e) => self.warn(path, None, format!("cannot be read ({e}); no record was taken from it")),
            Ok(m) if m.is_dir() => {
                for file in self.discover(path) {
                    let group = folder_group(path, &file);
                    self.file(&file, &group);
                }
            }
            Ok(m) if m.is_file() => {
                let group = path.file_stem().map_or_else(|| PathBuf::from("records"), PathBuf::from);
                self.file(path, &group);
            }
            // Never opened: reading a FIFO waits for a writer, a device never ends.
            Ok(_) => self.warn(path, None, "is not a regular file (a pipe, a device or a socket), so it was not read".into()),
        }
    }

    /// The record files below `dir`, in sorted path order.
    fn discover(&mut self, dir: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
            match entry {
                Ok(e) if is_record_file(e.path()) => {
                    if e.file_type().is_file() {
                        files.push(e.path().to_path_buf());
                    } else if !e.file_type().is_dir() {
                        self.warn(e.path(), None, "is not a regular file (a pipe, a device or a socket), so it was not read".into());
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let path = err.path().unwrap_or(dir).to_path_buf();
                    let reason = if err.loop_ancestor().is_some() {
                        "is a symbolic link back to a folder that contains it; it was not followed".to_string()
                    } else {
                        format!("cannot be read ({err}); no record was taken from it")
                    };
                    self.warn(&path, None, reason);
                }
            }
        }
        files.sort();
        files
    }

    fn file(&mut self, path: &Path, group: &Path) {
        let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if !self.files.insert(resolved) {
            self.warn(path, None, "is named more than once among the inputs; its records were read once".into());
            return;
        }
        let Some(text) = self.text(path) else { return };
        for item in items(path, &text) {
            let record = item.value.and_then(|value| to_record(value, &item.place)).and_then(|fields| self.check_code(fields));
            match record {
                Ok(fields) => {
                    self.codes.insert(fields.code.clone(), path.to_path_buf());
                    self.out.records.push(fields.into_record(path, group));
                }
                Err(reason) => self.warn(path, item.number, reason),
            }
        }
    }

    /// The file's text, or a warning.
    fn text(&mut self, path: &Path) -> Option<String> {
        let bytes = match crate::files::read_capped(path, MAX_FILE_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                let reason = format!("is larger than {} MiB, so it was not read; split it into smaller files", MAX_FILE_BYTES >> 20);
                self.warn(path, None, reason);
                return None;
            }
            Err(e) => {
                self.warn(path, None, format!("cannot be read ({e}); no record was taken from it"));
                return None;
            }
        };
        match String::from_utf8(bytes) {
            Ok(text) => Some(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text)),
            Err(_) => {
                self.warn(path, None, "is not UTF-8 text, so it was not read; save it as UTF-8".into());
                None
            }
        }
    }

    /// Refuses a code already read from another record.
    fn check_code(&self, fields: Fields) -> Result<Fields, String> {
        if let Some(first) = self.codes.get(&fields.code) {
            return Err(format!(
                "{} has procedure code {}, already read from {}; this record was skipped",
                fields.place,
                fields.code,
                first.display()
            ));
        }
        Ok(fields)
    }
}

/// Whether a file found in a folder is read: `*.json`, `*.jsonl`, `*.ndjson`.
fn is_record_file(path: &Path) -> bool {
    let ext = path.extension().and_then(|x| x.to_str()).map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("json" | "jsonl" | "ndjson"))
}

/// The group of `file` found below the input folder `dir`.
fn folder_group(dir: &Path, file: &Path) -> PathBuf {
    let relative = file.parent().and_then(|p| p.strip_prefix(dir).ok()).filter(|r| !r.as_os_str().is_empty());
    match relative {
        Some(r) => r.to_path_buf(),
        None => {
            let name = dir.file_name().map(PathBuf::from);
            name.or_else(|| std::fs::canonicalize(dir).ok()?.file_name().map(PathBuf::from)).unwrap_or_else(|| PathBuf::from("records"))
        }
    }
}

/// Where the record of a one-record file is, in a warning.
const WHOLE_FILE: &str = "the record";

/// A JSON value of a file, or why there is none.
struct Item {
    /// 1-based line (JSON Lines) or item (array).
    number: Option<usize>,
    /// "the record", "line 3", "item 3": where it is, for warnings.
    place: String,
    value: Result<Value, String>,
}

impl Item {
    fn whole(value: Result<Value, String>) -> Self {
        Item { number: None, place: WHOLE_FILE.into(), value }
    }
}

/// The values of a file: one object, an array's items, or JSON Lines (by extension, or when the
/// whole text is not one JSON value but its lines are).
fn items(path: &Path, text: &str) -> Vec<Item> {
    let ext = path.extension().and_then(|x| x.to_str()).map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("jsonl" | "ndjson")) {
        return lines(text);
    }
    if text.trim().is_empty() {
        return vec![Item::whole(Err("is empty; it holds no record".into()))];
    }
    match crate::strict_json::parse(text) {
        Ok(Value::Array(values)) if values.is_empty() => vec![Item::whole(Err("is an empty array; it holds no record".into()))],
        Ok(Value::Array(values)) => values
            .into_iter()
            .enumerate()
            .map(|(i, v)| Item { number: Some(i + 1), place: format!("item {} of the array", i + 1), value: Ok(v) })
            .collect(),
        Ok(value) => vec![Item::whole(Ok(value))],
        Err(_) if looks_like_lines(text) => lines(text),
        Err(e) => vec![Item::whole(Err(not_read(&e, "it holds no record")))],
    }
}

/// Why a text is no record: not JSON, or JSON that names a key twice (`ma_thu_tuc` twice would
/// leave it to chance which code the procedure gets).
fn not_read(e: &serde_json::Error, so: &str) -> String {
    let reason = e.to_string();
    if reason.contains("appears twice") {
        format!("names a key twice ({reason}), so it is ambiguous and was skipped")
    } else {
        format!("is not valid JSON ({reason}), so {so}")
    }
}

/// More than one non-empty line, the first of them a JSON value by itself.
fn looks_like_lines(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next();
    lines.next().is_some() && first.is_some_and(|l| serde_json::from_str::<Value>(l).is_ok())
}

fn lines(text: &str) -> Vec<Item> {
    let lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let items = lines.map(|(i, line)| {
        let value = crate::strict_json::parse(line).map_err(|e| format!("line {} {}", i + 1, not_read(&e, "it was skipped")));
        Item { number: Some(i + 1), place: format!("line {}", i + 1), value }
    });
    let out: Vec<Item> = items.collect();
    if out.is_empty() { vec![Item::whole(Err("is empty; it holds no record".into()))] } else { out }
}

/// A record's fields, before it knows its file.
struct Fields {
    /// Where it is in its file, for warnings.
    place: String,
    code: String,
    map: Map<String, Value>,
    dossier: String,
}

impl Fields {
    fn into_record(self, file: &Path, group: &Path) -> Record {
        let map = &self.map;
        Record {
            file: file.to_path_buf(),
            group: group.to_path_buf(),
            name: field(map, "ten_thu_tuc").unwrap_or_default(),
            decision: field(map, "so_quyet_dinh"),
            levels: field(map, "cap_thuc_hien").map(|s| parse_levels(&s)).unwrap_or_default(),
            sector: label(map, "linh_vuc"),
            applicants: field(map, "doi_tuong_thuc_hien"),
            competent_agency: label(map, "co_quan_co_tham_quyen"),
            performing_agency: label(map, "co_quan_thuc_hien"),
            results: field_raw(map, "ket_qua_xu_ly").map(parse_results).unwrap_or_default(),
            legal_basis: field_raw(map, "can_cu_phap_ly").map(parse_legal_basis).unwrap_or_default(),
            url: field(map, "detail_url"),
            code: self.code,
            dossier: self.dossier,
        }
    }
}

/// Checks that `value` can become a procedure: an object with a code and a dossier.
fn to_record(value: Value, place: &str) -> Result<Fields, String> {
    let map = match value {
        Value::Object(map) => map,
        other => return Err(format!("{place} is {}, not a JSON object, so it is not a procedure record", kind(&other))),
    };
    if map.get("ma_thu_tuc").is_some_and(|v| !v.is_string() && !v.is_null()) {
        return Err(format!("{place} has a procedure code (`ma_thu_tuc`) that is not text; write it as a string, e.g. \"1.000178\""));
    }
    let Some(code) = field(&map, "ma_thu_tuc") else {
        return Err(format!("{place} has no procedure code (`ma_thu_tuc` is missing or empty), so it cannot become a procedure"));
    };
    // The code becomes an id, written in every table and file name: one word, nothing hidden.
    if code.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "{place} has a procedure code `{}` with a space, a line break or a control character in it, so it cannot become a procedure id; it was skipped",
            code.escape_debug()
        ));
    }
    let Some(dossier) = field_raw(&map, "thanh_phan_ho_so").map(str::to_string) else {
        let at = if place == WHOLE_FILE { String::new() } else { format!(" ({place})") };
        return Err(format!(
            "procedure {code}{at} has no dossier (`thanh_phan_ho_so` is missing or empty), so it has no components to analyse; it was skipped"
        ));
    };
    Ok(Fields { place: place.to_string(), code, dossier, map })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A string field as given, unless absent, empty or "no information".
fn field_raw<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    let s = map.get(key)?.as_str()?;
    let folded = fold(s);
    let empty = folded.is_empty() || folded.trim_end_matches('.').to_lowercase() == NO_INFORMATION;
    (!empty).then_some(s)
}

/// A string field, NFC, spaces folded.
fn field(map: &Map<String, Value>, key: &str) -> Option<String> {
    field_raw(map, key).map(|s| fold(&s.nfc().collect::<String>()))
}

/// A name field (agency, sector): as [`field`], without a trailing full stop.
fn label(map: &Map<String, Value>, key: &str) -> Option<String> {
    field(map, key).map(|s| s.trim_end_matches(['.', ' ']).to_string()).filter(|s| !s.is_empty())
}

/// The levels of a `cap_thuc_hien` such as `Cấp bộ, Cấp tỉnh`, each once, in [`Level`] order.
/// `Cấp bộ` (ministry) is central, `Cấp tỉnh` province, `Cấp xã` commune; any other body
/// (`Cơ quan khác`) or word is other.
///
/// `Cấp huyện` (district) is commune: the districts were abolished on 1 July 2025 and their
/// procedures went down to the communes, not up to the provinces. The portal's own records
/// show it: civil status with a foreign element, a district procedure before 2025 (Phòng Tư
/// pháp cấp huyện), is `Cấp xã` in every Ministry of Justice record read (e.g. 2.000528,
/// 2.000806). An older record still saying `Cấp huyện` is thus done by a commune today.
pub fn parse_levels(s: &str) -> Vec<Level> {
    let mut levels: Vec<Level> = s.split([',', ';', '\n']).filter_map(level_of).collect();
    levels.sort();
    levels.dedup();
    levels
}

fn level_of(part: &str) -> Option<Level> {
    let part = fold(&part.nfc().collect::<String>()).to_lowercase();
    if part.is_empty() || part.trim_end_matches('.') == NO_INFORMATION {
        return None;
    }
    let words: Vec<&str> = part.split([' ', '-', '/']).collect();
    let has = |w: &str| words.contains(&w);
    Some(if has("bộ") || (has("trung") && has("ương")) {
        Level::Central
    } else if has("tỉnh") {
        Level::Province
    } else if has("xã") || has("huyện") || has("phường") {
        Level::Commune
    } else {
        Level::Other
    })
}

/// Where the page's chrome starts after the results (`Từ khóa…Mô tả…Chọn cơ quan thực hiện…
/// Nộp hồ sơ`).
const RESULT_CHROME: [&str; 2] = ["Từ khóa", "Chọn cơ quan thực hiện"];

/// The result documents of a `ket_qua_xu_ly`: `<name>Mã: <code><name>Mã: <code>…` then the
/// page's chrome, which is dropped. A code is kept when it has the national codes' shape (a
/// digit and a `.` or `-`); test values typed into the portal (`dsfas`, `12231`) are not codes.
pub fn parse_results(s: &str) -> Vec<ResultDoc> {
    let s: String = s.nfc().collect();
    let end = RESULT_CHROME.iter().filter_map(|m| s.find(m)).min().unwrap_or(s.len());
    let mut parts = s[..end].split("Mã:");
    let mut name = parts.next().unwrap_or("");
    let mut out = Vec::new();
    for part in parts {
        let (code, rest) = split_code(part);
        push_result(&mut out, name, code);
        name = rest;
    }
    push_result(&mut out, name, None);
    out
}

fn push_result(out: &mut Vec<ResultDoc>, name: &str, code: Option<String>) {
    let name = fold(name).trim_start_matches(['-', '+', ' ']).trim_end_matches(['.', ' ']).to_string();
    let absent = name.is_empty() || name.to_lowercase() == NO_INFORMATION;
    if absent && code.is_none() {
        return;
    }
    out.push(ResultDoc { name: if absent { String::new() } else { name }, code });
}

/// A result code at the start of `part`, and the next result's name glued after it.
fn split_code(part: &str) -> (Option<String>, &str) {
    let t = part.trim_start();
    let len = kq_code_len(t).unwrap_or_else(|| generic_code_len(t));
    let code = t[..len].trim_end_matches(['-', '.', '/', '_']);
    let is_code = code.bytes().any(|b| b.is_ascii_digit()) && code.contains(['.', '-']);
    (is_code.then(|| code.to_string()), &t[len..])
}

/// `KQ.G01.000156`: `KQ.`, the agency's letter and number, `.`, the number.
fn kq_code_len(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let mut i = "KQ.".len();
    if !t.starts_with("KQ.") {
        return None;
    }
    let letters = b[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
    i += letters;
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    i += digits;
    if letters == 0 || digits == 0 || b.get(i) != Some(&b'.') {
        return None;
    }
    let number = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    (number > 0).then_some(i + 1 + number)
}

/// Any other code: ASCII letters, digits and `._-/`, less the start of a Vietnamese word glued
/// after it (`utwChứng chỉ…`: the code is `utw`).
fn generic_code_len(t: &str) -> usize {
    let run = t.bytes().take_while(|b| b.is_ascii_alphanumeric() || b"._-/".contains(b)).count();
    let glued_word = t[run..].starts_with(|c: char| c.is_alphabetic());
    if !glued_word {
        return run;
    }
    t[..run].rfind(|c: char| c.is_ascii_uppercase()).unwrap_or(run)
}

/// The codes of the legal documents in a `can_cu_phap_ly` (`85/2019/TT-BTC`, `123/2015/NĐ-CP`,
/// `01/2025/QH15`, `66.16/2026/NQ-CP`), in order, each once. The table arrives as
/// `Tên văn bản pháp lýMã văn bản<name><code><name><code>…`; codes quoted in the names are
/// taken too (they are almost always the row's own).
pub fn parse_legal_basis(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.nfc().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let mut last_end = 0;
    while i < chars.len() {
        // A number starts after a non-digit, or right where the code before it ended
        // (`…QH1320/2012/QH13`).
        let prev = |k: usize| i.checked_sub(k).map(|p| chars[p]);
        let inside = prev(1).is_some_and(|c| c.is_ascii_digit() || c == '/')
            || (prev(1) == Some('.') && prev(2).is_some_and(|c| c.is_ascii_digit()));
        let starts_number = chars[i].is_ascii_digit() && (!inside || i == last_end);
        match starts_number.then(|| legal_code_at(&chars, i)).flatten() {
            Some((code, end)) => {
                if !out.contains(&code) {
                    out.push(code);
                }
                i = end;
                last_end = end;
            }
            None => i += 1,
        }
    }
    out
}

/// A legal document code starting at `i`: `number/[year/]SUFFIX`, and where it ends.
fn legal_code_at(chars: &[char], i: usize) -> Option<(String, usize)> {
    let mut j = i;
    let digits = |j: usize| chars[j..].iter().take_while(|c| c.is_ascii_digit()).count();
    // The number: `85`, `66.16`.
    j += digits(j);
    while chars.get(j) == Some(&'.') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
        j += 1 + digits(j + 1);
    }
    let number: String = chars[i..j].iter().collect();
    if chars.get(j) != Some(&'/') {
        return None;
    }
    j += 1;
    let year_len = digits(j);
    let year = (year_len == 4 && chars.get(j + 4) == Some(&'/')).then(|| chars[j..j + 4].iter().collect::<String>());
    if year.is_some() {
        j += 5;
    }
    let (suffix, end) = legal_suffix(chars, j)?;
    let number = unglue_number(&number, year.as_deref());
    let code = match year {
        Some(year) => format!("{number}/{year}/{suffix}"),
        None => format!("{number}/{suffix}"),
    };
    Some((code, end))
}

/// `NĐ-CP`, `TT-BCA`, `QĐ-TTg`, `QH15`, `NQ-UBTVQH14`: capital parts joined by `-` (typed `_`
/// or `- ` at times); only a part ending in `QH` (the legislature) takes two digits, so that a
/// code glued to the next one (`NĐ-CP05/2012/…`) ends where it should.
fn legal_suffix(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut j = start;
    let mut parts: Vec<String> = Vec::new();
    loop {
        let (part, end) = suffix_part(chars, j)?;
        parts.push(part);
        j = end;
        let sep = match (chars.get(j), chars.get(j + 1)) {
            (Some('-' | '_'), Some(' ')) => 2,
            (Some('-' | '_'), _) => 1,
            _ => 0,
        };
        if sep == 0 || !chars.get(j + sep).is_some_and(|c| c.is_uppercase()) {
            break;
        }
        j += sep;
    }
    let suffix = parts.join("-");
    (suffix.chars().count() >= 2).then_some((suffix, j))
}

/// One part of a code's suffix starting at `j`, and where it ends.
fn suffix_part(chars: &[char], j: usize) -> Option<(String, usize)> {
    let run = chars[j..].iter().take_while(|c| c.is_uppercase()).count();
    let next = chars.get(j + run);
    let mut end = j + run;
    if next == Some(&'g') && chars[j..end].ends_with(&['T', 'T']) {
        // `QĐ-TTg`: the Prime Minister.
        end += 1;
    } else if run > 2 && next.is_some_and(|c| c.is_lowercase()) && !starts_with(chars, end, "ngày") {
        // The next name glued on: `NĐ-CPLuật` ends the code at `CP` (but `TT-BCAngày 01/7` is
        // a missing space before the date).
        end -= 1;
    } else if let Some(word) = SHOUTED_TITLES.iter().find(|w| ends_with(&chars[j..end], w) && next == Some(&' ')) {
        // A title in capitals glued on: `TT-BCAQUY ĐỊNH MỨC THU…`.
        end -= word.chars().count();
    }
    if end == j {
        return None;
    }
    let part: String = chars[j..end].iter().collect();
    let legislature = chars[end..].iter().take_while(|c| c.is_ascii_digit()).count();
    if part.ends_with("QH") && legislature >= 2 {
        end += 2;
    }
    Some((chars[j..end].iter().collect(), end))
}

/// First words of the titles that the portal writes in capitals.
const SHOUTED_TITLES: [&str; 9] = ["QUYẾT", "QUY", "LUẬT", "NGHỊ", "THÔNG", "HƯỚNG", "SỬA", "BAN", "VỀ"];

fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    let mut i = at;
    word.chars().all(|w| {
        let same = chars.get(i) == Some(&w);
        i += 1;
        same
    })
}

fn ends_with(chars: &[char], word: &str) -> bool {
    let n = word.chars().count();
    chars.len() > n && starts_with(chars, chars.len() - n, word)
}

/// A document number glued to a year the name ends with (`Luật Khiếu nại năm 2011` +
/// `02/2011/QH13` arrives as `201102/2011/QH13`) loses the year.
fn unglue_number<'a>(number: &'a str, year: Option<&str>) -> &'a str {
    let glued_year = number.len() >= 5 && (number.starts_with("19") || number.starts_with("20")) && number.is_ascii();
    if glued_year && year.is_some() { &number[4..] } else { number }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_of_every_value_in_the_records() {
        use Level::*;
        for (text, levels) in [
            ("Cấp bộ", vec![Central]),
            ("Cấp tỉnh", vec![Province]),
            ("Cấp xã", vec![Commune]),
            ("Cơ quan khác", vec![Other]),
            ("Cấp bộ, Cấp tỉnh", vec![Central, Province]),
            ("Cấp tỉnh, Cấp xã", vec![Province, Commune]),
            ("Cấp bộ, Cấp tỉnh, Cấp xã", vec![Central, Province, Commune]),
            ("Cấp xã, Cơ quan khác", vec![Commune, Other]),
            ("Cấp bộ, Cấp xã", vec![Central, Commune]),
            ("Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác", vec![Central, Province, Commune, Other]),
        ] {
            assert_eq!(parse_levels(text), levels, "{text}");
        }
    }

    #[test]
    fn levels_are_ordered_deduplicated_and_districts_are_communes() {
        use Level::*;
        assert_eq!(parse_levels("Cấp xã, Cấp huyện, Cấp bộ, cấp bộ"), [Central, Commune]);
        assert_eq!(parse_levels("Cấp huyện"), [Commune]);
        assert_eq!(parse_levels("Cấp Trung ương; Tòa án"), [Central, Other]);
        assert_eq!(parse_levels(" Cấp\u{a0}tỉnh ,"), [Province]);
        assert!(parse_levels("").is_empty());
        assert!(parse_levels("Không có thông tin").is_empty());
    }

    fn result(name: &str, code: Option<&str>) -> ResultDoc {
        ResultDoc { name: name.into(), code: code.map(str::to_string) }
    }

    #[test]
    fn results_drop_the_page_chrome() {
        let text = "Trích lục đăng ký nhận cha, mẹ, conMã: KQ.G15.000033Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Tỉnh/ Thành phố --Nộp hồ sơ";
        assert_eq!(parse_results(text), [result("Trích lục đăng ký nhận cha, mẹ, con", Some("KQ.G15.000033"))]);
    }

    #[test]
    fn several_results_glued_to_their_codes() {
        let text = "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cưMã: KQ.G01.000064Thông báo kết quả giải quyết thủ tục về cư trúMã: KQ.G01.000065Phiếu từ chối tiếp nhận, giải quyết hồ sơ (lĩnh vực cư trú)Mã: KQ.G01.000067Từ khóaCấp lại thẻ căn cướcMô tảKhông có thông tin";
        assert_eq!(
            parse_results(text),
            [
                result("Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cư", Some("KQ.G01.000064")),
                result("Thông báo kết quả giải quyết thủ tục về cư trú", Some("KQ.G01.000065")),
                result("Phiếu từ chối tiếp nhận, giải quyết hồ sơ (lĩnh vực cư trú)", Some("KQ.G01.000067")),
            ]
        );
    }

    #[test]
    fn other_code_shapes_and_test_values() {
        let text = "Giấy đăng ký tham gia trợ giúp pháp lý được cấp lại.Mã: 000.00.00.G15-KQ0108Từ khóaKhông có thông tin";
        assert_eq!(parse_results(text), [result("Giấy đăng ký tham gia trợ giúp pháp lý được cấp lại", Some("000.00.00.G15-KQ0108"))]);
        let text = "Quyết định bổ nhiệmMã: hgvg9Quyết định xóa đăng ký tập sựMã: 12231Từ khóaKhông có thông tin";
        assert_eq!(parse_results(text), [result("Quyết định bổ nhiệm", None), result("Quyết định xóa đăng ký tập sự", None)]);
        let text = "Bản sao giao dịchMã: dsfasTừ khóa";
        assert_eq!(parse_results(text), [result("Bản sao giao dịch", None)]);
        let text = "- Chuyển hồ sơMã: KQ.G09.000452- Quyết định hưởng chế độMã: KQ.G09.000453Từ khóa";
        assert_eq!(
            parse_results(text),
            [result("Chuyển hồ sơ", Some("KQ.G09.000452")), result("Quyết định hưởng chế độ", Some("KQ.G09.000453"))]
        );
    }

    #[test]
    fn results_without_codes_or_without_anything() {
        assert_eq!(parse_results("Giấy phép lái xe"), [result("Giấy phép lái xe", None)]);
        assert!(parse_results("Không có thông tin").is_empty());
        assert!(parse_results("").is_empty());
        assert!(parse_results("Mã: Từ khóaKhông có thông tin").is_empty());
    }

    #[test]
    fn legal_basis_codes_in_order_once() {
        let text = "Tên văn bản pháp lýMã văn bảnHướng dẫn xử lý khiếu nại68/2013/TT-BCALuật Khiếu nại  năm 201102/2011/QH13Quy định quy trình11/2015/TT-BCANghị định 05/2012/NĐ-CP05/2012/NĐ-CP";
        assert_eq!(parse_legal_basis(text), ["68/2013/TT-BCA", "02/2011/QH13", "11/2015/TT-BCA", "05/2012/NĐ-CP"]);
    }

    #[test]
    fn legal_basis_codes_glued_to_the_next_name() {
        let text = "Tên văn bản pháp lýMã văn bảnLuật 20/2012/QH1320/2012/QH13Luật 51/2019/QH1451/2019/QH14Thông tư85/2019/TT-BTCNghị định123/2015/NĐ-CPLuật Căn cước26/2023/QH15Quyết định53/2010/QĐ-TTgThông tư 01/2025/QH15Nghị quyết66.16/2026/NQ-CP Thông tư số 53/2025/TT-BCAngày 01/7/2025 của Bộ Công an.Phí25/2021/TT-BTCQUY ĐỊNH MỨC THU";
        assert_eq!(
            parse_legal_basis(text),
            [
                "20/2012/QH13",
                "51/2019/QH14",
                "85/2019/TT-BTC",
                "123/2015/NĐ-CP",
                "26/2023/QH15",
                "53/2010/QĐ-TTg",
                "01/2025/QH15",
                "66.16/2026/NQ-CP",
                "53/2025/TT-BCA",
                "25/2021/TT-BTC",
            ]
        );
    }

    #[test]
    fn legal_basis_ignores_dates_and_survives_anything() {
        assert_eq!(
            parse_legal_basis("ngày 14/11/2016 của Bộ Tài chính; số 11/2020/TT- BTP; 31/2025/TT_BCA"),
            ["11/2020/TT-BTP", "31/2025/TT-BCA"]
        );
        for text in ["", "/", "1/", "12/2020/", "12/2020/-", "9999999999/9999/ZZ", "Tên văn bản pháp lýMã văn bản"] {
            let _ = parse_legal_basis(text);
        }
    }
}
