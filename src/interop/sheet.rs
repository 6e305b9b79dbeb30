//! The component sheet: `paperwork import` reads one (CSV or a workbook) into a procedures
//! file, and `paperwork export --format csv` writes one.
//!
//! A sheet has a header row, then one row per component. Procedure cells (`name`, `agency`,
//! `level`, ...) may repeat on every row of the procedure or stand on one row only; rows that
//! give two different values are an error. A row whose `procedure` cell is empty continues the
//! procedure above it (merged cells read this way); a row with no `document` only declares the
//! procedure. When `alternatives` is filled the component is `one_of: [document, alternatives...]`.
//! List cells separate ids by `;`, `,` or spaces; `[]` in `proves` is an explicitly empty list.
//!
//! Problems are [`Diagnostic`]s located at `file:row:column`: the spreadsheet row and the
//! 1-based column index.

use crate::diag::{Code, Diagnostic, Location, did_you_mean};
use crate::model::{CopyKind, Level};
use crate::workspace::{FactId, Id, Interner, Workspace};
use serde::Serialize;
use serde_saphyr::FlowSeq;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Largest sheet read.
pub const MAX_SHEET_BYTES: u64 = crate::load::DEFAULT_MAX_FILE_BYTES;

/// A column of the component sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Procedure id.
    Procedure,
    /// Procedure name in the catalog's language.
    Name,
    /// Procedure name in English.
    NameEn,
    /// Agency id.
    Agency,
    /// central | province | commune.
    Level,
    /// Sector id.
    Sector,
    /// Life event ids.
    LifeEvents,
    /// Dossiers per year.
    Volume,
    /// Document ids the procedure issues.
    Produces,
    /// Database ids it records into.
    RecordsTo,
    /// The component's document id.
    Document,
    /// Other acceptable documents (makes the component `one_of`).
    Alternatives,
    /// Whose document.
    Of,
    /// original | copy | certified_copy | presented.
    Copy,
    /// Condition under which it is asked (`when`).
    Condition,
    /// Facts narrowing what is needed from it.
    Proves,
}

impl Field {
    /// Every column, in the order `export --format csv` writes them.
    pub const ALL: [Field; 16] = [
        Field::Procedure,
        Field::Name,
        Field::NameEn,
        Field::Agency,
        Field::Level,
        Field::Sector,
        Field::LifeEvents,
        Field::Volume,
        Field::Produces,
        Field::RecordsTo,
        Field::Document,
        Field::Alternatives,
        Field::Of,
        Field::Copy,
        Field::Condition,
        Field::Proves,
    ];

    /// The key used by `--column KEY=HEADER`, also the default header.
    pub fn key(self) -> &'static str {
        match self {
            Field::Procedure => "procedure",
            Field::Name => "name",
            Field::NameEn => "name_en",
            Field::Agency => "agency",
            Field::Level => "level",
            Field::Sector => "sector",
            Field::LifeEvents => "life_events",
            Field::Volume => "volume",
            Field::Produces => "produces",
            Field::RecordsTo => "records_to",
            Field::Document => "document",
            Field::Alternatives => "alternatives",
            Field::Of => "of",
            Field::Copy => "copy",
            Field::Condition => "condition",
            Field::Proves => "proves",
        }
    }

    fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).expect("every field is listed")
    }

    /// Whether the cell describes the procedure rather than the component.
    fn of_procedure(self) -> bool {
        matches!(
            self,
            Field::Name
                | Field::NameEn
                | Field::Agency
                | Field::Level
                | Field::Sector
                | Field::LifeEvents
                | Field::Volume
                | Field::Produces
                | Field::RecordsTo
        )
    }

    fn is_list(self) -> bool {
        matches!(self, Field::LifeEvents | Field::Produces | Field::RecordsTo | Field::Alternatives | Field::Proves)
    }
}

/// The header of each column: the key unless renamed.
#[derive(Debug, Clone)]
pub struct Columns {
    headers: [String; 16],
}

impl Default for Columns {
    fn default() -> Self {
        Columns { headers: Field::ALL.map(|f| f.key().to_string()) }
    }
}

impl Columns {
    /// Default headers renamed by `KEY=HEADER` specs (as given to `--column`).
    pub fn with_renames(specs: &[String]) -> Result<Columns, ImportError> {
        let mut c = Columns::default();
        for spec in specs {
            let Some((key, header)) = spec.split_once('=') else {
                return Err(ImportError::Usage(format!("`--column {spec}` is not KEY=HEADER, e.g. `--column document=\"Giấy tờ\"`")));
            };
            let (key, header) = (key.trim(), header.trim());
            let Some(f) = Field::ALL.iter().find(|f| f.key() == key) else {
                let hint = did_you_mean(key, Field::ALL.iter().map(|f| f.key())).map(|h| format!("; {h}")).unwrap_or_default();
                let keys: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
                return Err(ImportError::Usage(format!(
                    "unknown column key `{key}` in `--column {spec}`{hint} (keys: {})",
                    keys.join(", ")
                )));
            };
            if header.is_empty() {
                return Err(ImportError::Usage(format!("`--column {spec}` names no header")));
            }
            c.headers[f.index()] = header.to_string();
        }
        Ok(c)
    }

    /// The header of a column.
    pub fn header(&self, f: Field) -> &str {
        &self.headers[f.index()]
    }
}

/// How to read a sheet.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Header names.
    pub columns: Columns,
    /// Worksheet of a workbook (default: the first).
    pub sheet: Option<String>,
}

/// Why a sheet could not be read at all, or a file not written (exit 2, not a finding).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Wrong arguments.
    #[error("{0}")]
    Usage(String),
    /// The file could not be read or is not a sheet.
    #[error("cannot read `{path}`: {message}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
}

/// One procedure read from a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedProcedure {
    /// Id.
    pub id: String,
    /// Local name.
    pub name: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// Agency id.
    pub agency: String,
    /// Level.
    pub level: Level,
    /// Sector id.
    pub sector: Option<String>,
    /// Life events.
    pub life_events: Vec<String>,
    /// Dossiers per year, when given.
    pub annual_volume: Option<u64>,
    /// Components in row order.
    pub documents: Vec<ImportedComponent>,
    /// Documents it issues.
    pub produces: Vec<String>,
    /// Databases it records into.
    pub records_to: Vec<String>,
}

/// One component read from a sheet row.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedComponent {
    /// The document, or two or more alternatives (`one_of`).
    pub documents: Vec<String>,
    /// Whose document.
    pub of: Option<String>,
    /// Narrowed facts.
    pub proves: Option<Vec<String>>,
    /// Condition.
    pub when: Option<String>,
    /// How handed in.
    pub copy: Option<CopyKind>,
}

/// What reading a sheet produced.
#[derive(Debug)]
pub struct Imported {
    /// Procedures in order of first appearance.
    pub procedures: Vec<ImportedProcedure>,
    /// Data rows read (blank rows not counted).
    pub rows: usize,
    /// Every problem found, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl Imported {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Number of components.
    pub fn components(&self) -> usize {
        self.procedures.iter().map(|p| p.documents.len()).sum()
    }
}

/// Reads the sheet at `path` (shown as `display`) and checks it against the workspace's rules.
///
/// Procedures already defined in the workspace are conflicts, except those in `replacing`
/// (the file about to be overwritten).
pub fn import(path: &Path, display: &str, opts: &ImportOptions, ws: &Workspace, replacing: Option<&Path>) -> Result<Imported, ImportError> {
    let mut diags = Vec::new();
    let table = read_table(path, display, opts.sheet.as_deref(), &mut diags)?;
    let replacing = replacing.and_then(|p| crate::files::resolve(p).ok());
    // Workspace files are named as seen from where the sheet is named (the current folder).
    let seen = |file: &str| if ws.root == Path::new(".") { PathBuf::from(file) } else { ws.root.join(file) };
    let existing: HashMap<&str, Location> = ws
        .procedures
        .iter()
        .filter(|p| replacing.as_ref().is_none_or(|r| crate::files::resolve(&seen(&p.at.file)).ok().as_ref() != Some(r)))
        .map(|p| (p.id.as_str(), Location { file: seen(&p.at.file).display().to_string(), ..p.at.clone() }))
        .collect();
    let mut reader = SheetReader { display, columns: &opts.columns, ws, existing, diags };
    let (procedures, rows) = reader.read(&table);
    let mut diagnostics = reader.diags;
    crate::diag::sort(&mut diagnostics);
    Ok(Imported { procedures, rows, diagnostics })
}

/// Rows of cells, trimmed; row numbers as a spreadsheet shows them.
pub(crate) struct Table {
    pub(crate) rows: Vec<(u64, Vec<String>)>,
}

pub(crate) fn read_table(path: &Path, display: &str, sheet: Option<&str>, diags: &mut Vec<Diagnostic>) -> Result<Table, ImportError> {
    let read_err = |message: String| ImportError::Read { path: display.to_string(), message };
    let meta = std::fs::metadata(path).map_err(|e| read_err(e.to_string()))?;
    if !meta.is_file() {
        return Err(read_err("it is not a file".into()));
    }
    if meta.len() > MAX_SHEET_BYTES {
        return Err(read_err(format!("it is {} bytes, more than the {MAX_SHEET_BYTES}-byte cap", meta.len())));
    }
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "csv" | "tsv" | "txt" => {
            if sheet.is_some() {
                return Err(ImportError::Usage("`--sheet` applies to workbooks (.xlsx, .xls, .ods), not to CSV".into()));
            }
            let bytes = std::fs::read(path).map_err(|e| read_err(e.to_string()))?;
            Ok(read_csv(&bytes, display, diags))
        }
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_workbook(path, display, sheet),
        _ => Err(read_err("it is neither CSV (.csv, .tsv) nor a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods)".into())),
    }
}

/// Picks `,`, `;` or tab: whichever the header line holds most of (outside quotes).
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    counts.iter().fold((b',', 0), |best, &(d, n)| if n > best.1 { (d, n) } else { best }).0
}

fn read_csv(bytes: &[u8], display: &str, diags: &mut Vec<Diagnostic>) -> Table {
    let mut rows = Vec::new();
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        diags.push(
            Diagnostic::new(Code::NotUtf8, format!("`{display}` is UTF-16 text, not UTF-8"), Some(Location::file(display)))
                .help("save the sheet as \"CSV UTF-8 (comma delimited)\""),
        );
        return Table { rows };
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(sniff_delimiter(bytes)).from_reader(bytes);
    // Line breaks inside quoted cells make a row span several lines; rows are counted as a
    // spreadsheet counts them.
    let mut extra_lines = 0u64;
    for record in reader.byte_records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                diags.push(Diagnostic::new(
                    Code::ImportInvalidCell,
                    format!("cannot read the row: {e}"),
                    Some(Location::at(display, line, 0)),
                ));
                break;
            }
        };
        // A record's position is where reading began, before the blank lines it skipped.
        let (mut line, mut at) = record.position().map_or((0, 0), |p| (p.line(), p.byte() as usize));
        while let Some(&b @ (b'\n' | b'\r')) = bytes.get(at) {
            line += u64::from(b == b'\n');
            at += 1;
        }
        let row = line.saturating_sub(extra_lines);
        let mut cells = Vec::with_capacity(record.len());
        for (j, field) in record.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(s) => cells.push(crate::report::text::spreadsheet_unsafe(s.trim()).to_string()),
                Err(e) => {
                    diags.push(
                        Diagnostic::new(
                            Code::NotUtf8,
                            format!("byte 0x{:02X} in this cell is not UTF-8", field[e.valid_up_to()]),
                            Some(Location::at(display, row, j as u64 + 1)),
                        )
                        .help("save the sheet as \"CSV UTF-8\" (Vietnamese text in TCVN3 or VNI must be converted)"),
                    );
                    return Table { rows };
                }
            }
            extra_lines += field.iter().filter(|&&b| b == b'\n').count() as u64;
        }
        rows.push((row, cells));
    }
    Table { rows }
}

fn read_workbook(path: &Path, display: &str, sheet: Option<&str>) -> Result<Table, ImportError> {
    use calamine::{Data, Reader};
    let read_err = |message: String| ImportError::Read { path: display.to_string(), message };
    let mut book = calamine::open_workbook_auto(path).map_err(|e| read_err(e.to_string()))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(want) => {
            names.iter().find(|n| *n == want).or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(want))).cloned().ok_or_else(|| {
                let hint = did_you_mean(want, names.iter().map(String::as_str)).map(|h| format!("; {h}")).unwrap_or_default();
                let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                ImportError::Usage(format!("`{display}` has no sheet `{want}`{hint} (sheets: {})", list.join(", ")))
            })?
        }
        None => names.first().cloned().ok_or_else(|| read_err("the workbook has no sheet".into()))?,
    };
    let range = book.worksheet_range(&name).map_err(|e| read_err(format!("sheet `{name}`: {e}")))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut out = vec![String::new(); first_col as usize];
            out.extend(cells.iter().map(|c| match c {
                Data::Empty => String::new(),
                Data::String(s) => crate::report::text::spreadsheet_unsafe(s.trim()).to_string(),
                Data::Error(e) => e.to_string(),
                other => other.to_string().trim().to_string(),
            }));
            (u64::from(first_row) + i as u64 + 1, out)
        })
        .collect();
    Ok(Table { rows })
}

fn normalize_header(h: &str) -> String {
    h.trim().to_lowercase().split(|c: char| c.is_whitespace() || c == '-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("_")
}

/// Splits a list cell at `;`, `,` and spaces; a surrounding `[...]` is dropped.
fn split_list(cell: &str) -> Vec<String> {
    let inner = cell.strip_prefix('[').and_then(|s| s.strip_suffix(']')).unwrap_or(cell);
    inner.split(|c: char| c == ';' || c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Dossiers per year: digits, optionally grouped by one kind of separator (`1,500,000`,
/// `1.500.000`, `1 500 000`), or a whole number written as a float by a spreadsheet.
pub fn parse_volume(cell: &str) -> Option<u64> {
    let s = cell.trim();
    if let Ok(v) = s.parse::<u64>() {
        return Some(v);
    }
    for sep in [',', '.', ' ', '\u{a0}', '\u{202f}', '_', '\''] {
        let groups: Vec<&str> = s.split(sep).collect();
        let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
        if groups.len() > 1 && digits(groups[0]) && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3 && digits(g)) {
            return groups.concat().parse().ok();
        }
    }
    let f: f64 = s.parse().ok()?;
    (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 9.0e15).then_some(f as u64)
}

/// A level word, in English or Vietnamese.
pub fn parse_level(cell: &str) -> Option<Level> {
    Some(match normalize_header(cell).as_str() {
        "central" | "national" | "trung_ương" | "cấp_trung_ương" | "bộ" | "cấp_bộ" => Level::Central,
        "province" | "provincial" | "tỉnh" | "cấp_tỉnh" => Level::Province,
        "commune" | "xã" | "cấp_xã" => Level::Commune,
        _ => return None,
    })
}

/// A copy word, in English or Vietnamese.
pub fn parse_copy(cell: &str) -> Option<CopyKind> {
    Some(match normalize_header(cell).as_str() {
        "original" | "bản_chính" => CopyKind::Original,
        "copy" | "bản_sao" => CopyKind::Copy,
        "certified_copy" | "bản_sao_chứng_thực" | "bản_sao_có_chứng_thực" => CopyKind::CertifiedCopy,
        "presented" | "xuất_trình" => CopyKind::Presented,
        _ => return None,
    })
}

/// The word a copy kind is written as.
pub fn copy_word(c: CopyKind) -> &'static str {
    match c {
        CopyKind::Original => "original",
        CopyKind::Copy => "copy",
        CopyKind::CertifiedCopy => "certified_copy",
        CopyKind::Presented => "presented",
    }
}

/// A procedure cell as first given, for comparing with later rows.
struct Given {
    value: String,
    canonical: String,
    row: u64,
    column: u64,
}

struct Draft {
    id: String,
    row: u64,
    cells: BTreeMap<Field, Given>,
    components: Vec<ImportedComponent>,
}

struct SheetReader<'a> {
    display: &'a str,
    columns: &'a Columns,
    ws: &'a Workspace,
    existing: HashMap<&'a str, Location>,
    diags: Vec<Diagnostic>,
}

impl SheetReader<'_> {
    fn at(&self, row: u64, column: u64) -> Location {
        Location::at(self.display, row, column)
    }

    fn error(&mut self, code: Code, message: String, row: u64, column: u64, help: Option<String>) {
        let d = Diagnostic::new(code, message, Some(self.at(row, column))).maybe_help(help);
        self.diags.push(d);
    }

    /// Checks that `id` names a known item; errors with a did-you-mean otherwise.
    /// Whether every id listed in cell `f` of `d` is known to `ids`, diagnosing those that are not.
    fn references<I: Id>(&mut self, d: &Draft, f: Field, ids: &Interner<I>, kind: &str, rules_key: &str) -> bool {
        let Some(g) = d.cells.get(&f) else { return true };
        let mut ok = true;
        for id in split_list(&g.value) {
            ok &= self.reference(ids, kind, rules_key, &id, g.row, g.column);
        }
        ok
    }

    fn reference<I: Id>(&mut self, ids: &Interner<I>, kind: &str, rules_key: &str, id: &str, row: u64, column: u64) -> bool {
        if ids.get(id).is_some() {
            return true;
        }
        let help = did_you_mean(id, ids.names())
            .unwrap_or_else(|| format!("define it under `{rules_key}:` in a file of `rules/`, or correct the cell"));
        self.error(Code::ImportUnknownReference, format!("unknown {kind} `{id}`"), row, column, Some(help));
        false
    }

    /// Maps each field to its column index; `None` when a required column is missing.
    fn header(&mut self, row: u64, cells: &[String]) -> Option<[Option<usize>; 16]> {
        let mut col_of: [Option<usize>; 16] = [None; 16];
        let wanted: Vec<String> = Field::ALL.iter().map(|f| normalize_header(self.columns.header(*f))).collect();
        let mut unknown = Vec::new();
        for (j, cell) in cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let norm = normalize_header(cell);
            match wanted.iter().position(|w| *w == norm) {
                Some(k) => match col_of[k] {
                    Some(first) => {
                        let d =
                            Diagnostic::new(Code::ImportHeader, format!("column `{cell}` appears twice"), Some(self.at(row, j as u64 + 1)))
                                .related(self.at(row, first as u64 + 1), "first here")
                                .help("keep one of the two columns, or rename one with `--column KEY=HEADER`");
                        self.diags.push(d);
                    }
                    None => col_of[k] = Some(j),
                },
                None => unknown.push(j),
            }
        }
        // An extra column is normal (notes, sources); one that looks like a missing column is a typo.
        for j in unknown {
            let missing = Field::ALL.iter().enumerate().filter(|(k, _)| col_of[*k].is_none()).map(|(k, _)| wanted[k].as_str());
            if let Some(hint) = did_you_mean(&normalize_header(&cells[j]), missing) {
                self.error(
                    Code::ImportHeader,
                    format!("unknown column `{}`", cells[j]),
                    row,
                    j as u64 + 1,
                    Some(format!("{hint} (or map it with `--column KEY=HEADER`)")),
                );
            }
        }
        let mut complete = true;
        for f in [Field::Procedure, Field::Agency, Field::Level, Field::Document] {
            if col_of[f.index()].is_none() {
                let header = self.columns.header(f).to_string();
                self.error(
                    Code::ImportHeader,
                    format!("the sheet has no `{header}` column"),
                    row,
                    0,
                    Some(format!("add a column headed `{header}`, or name yours with `--column {}=HEADER`", f.key())),
                );
                complete = false;
            }
        }
        complete.then_some(col_of)
    }

    fn read(&mut self, table: &Table) -> (Vec<ImportedProcedure>, usize) {
        let Some(h) = table.rows.iter().position(|(_, cells)| cells.iter().any(|c| !c.is_empty())) else {
            self.diags.push(
                Diagnostic::new(Code::ImportHeader, format!("`{}` holds no header row", self.display), Some(Location::file(self.display)))
                    .help("the first filled row names the columns: procedure, agency, level, document, ..."),
            );
            return (Vec::new(), 0);
        };
        let (header_row, header) = &table.rows[h];
        let Some(col_of) = self.header(*header_row, header) else {
            return (Vec::new(), 0);
        };
        let mut drafts: Vec<Draft> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut current: Option<usize> = None;
        let mut rows = 0;
        for (row, cells) in &table.rows[h + 1..] {
            let row = *row;
            if cells.iter().all(String::is_empty) {
                continue;
            }
            rows += 1;
            let cell = |f: Field| -> Option<(&str, u64)> {
                let j = col_of[f.index()]?;
                cells.get(j).filter(|s| !s.is_empty()).map(|s| (s.as_str(), j as u64 + 1))
            };
            let draft = match cell(Field::Procedure) {
                Some((id, _)) => *index.entry(id.to_string()).or_insert_with(|| {
                    drafts.push(Draft { id: id.to_string(), row, cells: BTreeMap::new(), components: Vec::new() });
                    drafts.len() - 1
                }),
                None => match current {
                    Some(d) => d,
                    None => {
                        let column = col_of[Field::Procedure.index()].map_or(0, |j| j as u64 + 1);
                        let header = self.columns.header(Field::Procedure).to_string();
                        self.error(
                            Code::ImportInvalidCell,
                            format!("row {row} names no procedure"),
                            row,
                            column,
                            Some(format!("fill the `{header}` cell (rows below it may leave it empty to continue the same procedure)")),
                        );
                        continue;
                    }
                },
            };
            current = Some(draft);
            for f in Field::ALL.into_iter().filter(|f| f.of_procedure()) {
                let Some((value, column)) = cell(f) else { continue };
                let canonical = canonical(f, value);
                match drafts[draft].cells.get(&f) {
                    None => {
                        drafts[draft].cells.insert(f, Given { value: value.to_string(), canonical, row, column });
                    }
                    Some(g) if g.canonical == canonical => {}
                    Some(g) => {
                        let header = self.columns.header(f);
                        let d = Diagnostic::new(
                            Code::ImportConflict,
                            format!("procedure `{}` has `{header}` `{value}` here, but `{}` in row {}", drafts[draft].id, g.value, g.row),
                            Some(self.at(row, column)),
                        )
                        .related(self.at(g.row, g.column), format!("`{header}` first given as `{}`", g.value))
                        .help("give one value for the whole procedure (cells of later rows may also be left empty)");
                        self.diags.push(d);
                    }
                }
            }
            if let Some(c) = self.component(row, &cell) {
                drafts[draft].components.push(c);
            }
        }
        let procedures = drafts.into_iter().filter_map(|d| self.procedure(d, &col_of)).collect();
        (procedures, rows)
    }

    /// The component of a row, if it has one (and it is valid).
    fn component<'c>(&mut self, row: u64, cell: &dyn Fn(Field) -> Option<(&'c str, u64)>) -> Option<ImportedComponent> {
        let ws = self.ws;
        let Some((document, doc_col)) = cell(Field::Document) else {
            let stray = [Field::Alternatives, Field::Of, Field::Copy, Field::Condition, Field::Proves]
                .into_iter()
                .find_map(|f| cell(f).map(|c| (f, c)));
            if let Some((f, (_, column))) = stray {
                let (header, doc) = (self.columns.header(f).to_string(), self.columns.header(Field::Document).to_string());
                self.error(
                    Code::ImportInvalidCell,
                    format!("row {row} fills `{header}` but names no document"),
                    row,
                    column,
                    Some(format!("fill the `{doc}` cell of this row, or clear the component's cells")),
                );
            }
            return None;
        };
        let mut ok = self.reference(&ws.doc_ids, "document", "documents", document, row, doc_col);
        let mut documents = vec![document.to_string()];
        if let Some((alts, column)) = cell(Field::Alternatives) {
            for alt in split_list(alts) {
                ok &= self.reference(&ws.doc_ids, "document", "documents", &alt, row, column);
                if !documents.contains(&alt) {
                    documents.push(alt);
                }
            }
        }
        let proves = match cell(Field::Proves) {
            Some((list, column)) => {
                let facts = split_list(list);
                for f in &facts {
                    ok &= self.reference(&ws.fact_ids, "fact", "facts", f, row, column);
                }
                Some(facts)
            }
            None => None,
        };
        let copy = match cell(Field::Copy) {
            Some((word, column)) => {
                match parse_copy(word) {
                    Some(c) => Some(c),
                    None => {
                        self.error(
                        Code::ImportInvalidCell,
                        format!("`{word}` is not a way of handing in a document"),
                        row,
                        column,
                        Some("write original, copy, certified_copy or presented (or bản chính, bản sao, bản sao có chứng thực, xuất trình)".into()),
                    );
                        ok = false;
                        None
                    }
                }
            }
            None => None,
        };
        ok.then(|| ImportedComponent {
            documents,
            of: cell(Field::Of).map(|(s, _)| s.to_string()),
            proves,
            when: cell(Field::Condition).map(|(s, _)| s.to_string()),
            copy,
        })
    }

    /// A procedure cell that some row must fill: its value and place.
    fn required(&mut self, d: &Draft, f: Field, col_of: &[Option<usize>; 16]) -> Option<(String, u64, u64)> {
        if let Some(g) = d.cells.get(&f) {
            return Some((g.value.clone(), g.row, g.column));
        }
        let column = col_of[f.index()].map_or(0, |j| j as u64 + 1);
        let header = self.columns.header(f).to_string();
        self.error(
            Code::ImportInvalidCell,
            format!("procedure `{}` has no `{header}` in any row", d.id),
            d.row,
            column,
            Some(format!("fill the `{header}` cell of one of its rows")),
        );
        None
    }

    /// Validates a procedure's cells once all its rows are read.
    fn procedure(&mut self, d: Draft, col_of: &[Option<usize>; 16]) -> Option<ImportedProcedure> {
        let ws = self.ws;
        let mut ok = true;
        if let Some(at) = self.existing.get(d.id.as_str()).cloned() {
            let column = col_of[Field::Procedure.index()].map_or(0, |j| j as u64 + 1);
            let diag = Diagnostic::new(
                Code::ImportConflict,
                format!("procedure `{}` is already in the workspace", d.id),
                Some(self.at(d.row, column)),
            )
            .related(at.clone(), "defined here")
            .help("remove it from the sheet or from the workspace (re-importing over the same file with `--force` replaces it)");
            self.diags.push(diag);
            ok = false;
        }
        let text = |f: Field| d.cells.get(&f).map(|g| g.value.clone());
        let list = |f: Field| d.cells.get(&f).map(|g| split_list(&g.value)).unwrap_or_default();
        let agency = self.required(&d, Field::Agency, col_of);
        let level = self.required(&d, Field::Level, col_of);
        if let Some((a, row, column)) = &agency {
            ok &= self.reference(&ws.agency_ids, "agency", "agencies", a, *row, *column);
        }
        let level = match level {
            Some((word, row, column)) => match parse_level(&word) {
                Some(l) => Some(l),
                None => {
                    self.error(
                        Code::ImportInvalidCell,
                        format!("`{word}` is not a level"),
                        row,
                        column,
                        Some("write central, province or commune (or trung ương, tỉnh, xã)".into()),
                    );
                    None
                }
            },
            None => None,
        };
        let annual_volume = match d.cells.get(&Field::Volume) {
            Some(g) => match parse_volume(&g.value) {
                Some(v) => Some(v),
                None => {
                    let (word, row, column) = (g.value.clone(), g.row, g.column);
                    self.error(
                        Code::ImportInvalidCell,
                        format!("volume `{word}` is not a whole number of zero or more"),
                        row,
                        column,
                        Some("write the dossiers per year as digits, e.g. 1500000 or 1,500,000".into()),
                    );
                    ok = false;
                    None
                }
            },
            None => None,
        };
        ok &= self.references(&d, Field::Produces, &ws.doc_ids, "document", "documents");
        ok &= self.references(&d, Field::RecordsTo, &ws.db_ids, "database", "databases");
        let (Some((agency, ..)), Some(level), true) = (agency, level, ok) else { return None };
        Some(ImportedProcedure {
            name: text(Field::Name),
            name_en: text(Field::NameEn),
            agency,
            level,
            sector: text(Field::Sector),
            life_events: list(Field::LifeEvents),
            annual_volume,
            produces: list(Field::Produces),
            records_to: list(Field::RecordsTo),
            documents: d.components,
            id: d.id,
        })
    }
}

/// The form of a procedure cell that rows must agree on.
fn canonical(f: Field, value: &str) -> String {
    if f.is_list() {
        return split_list(value).join(" ");
    }
    match f {
        Field::Volume => parse_volume(value).map_or_else(|| value.to_string(), |v| v.to_string()),
        Field::Level => parse_level(value).map_or_else(|| value.to_string(), |l| l.as_str().to_string()),
        _ => value.to_string(),
    }
}

#[derive(Serialize)]
struct YamlFile<'a> {
    procedures: Vec<YamlProcedure<'a>>,
}

type Flow<'a> = Option<FlowSeq<&'a [String]>>;

fn flow(list: &[String]) -> Flow<'_> {
    (!list.is_empty()).then_some(FlowSeq(list))
}

#[derive(Serialize)]
struct YamlProcedure<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_en: Option<&'a str>,
    agency: &'a str,
    level: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    sector: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    life_events: Flow<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annual_volume: Option<u64>,
    documents: Vec<YamlComponent<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    produces: Flow<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    records_to: Flow<'a>,
}

#[derive(Serialize)]
struct YamlComponent<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    one_of: Flow<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    of: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proves: Option<FlowSeq<&'a [String]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    when: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    copy: Option<CopyKind>,
}

/// The procedures file for imported procedures, headed by a comment naming the source.
pub fn to_yaml(procedures: &[ImportedProcedure], source: &str) -> String {
    let file = YamlFile {
        procedures: procedures
            .iter()
            .map(|p| YamlProcedure {
                id: &p.id,
                name: p.name.as_deref(),
                name_en: p.name_en.as_deref(),
                agency: &p.agency,
                level: p.level,
                sector: p.sector.as_deref(),
                life_events: flow(&p.life_events),
                annual_volume: p.annual_volume,
                documents: p
                    .documents
                    .iter()
                    .map(|c| {
                        let one_of = c.documents.len() > 1;
                        YamlComponent {
                            document: (!one_of).then(|| c.documents[0].as_str()),
                            one_of: if one_of { flow(&c.documents) } else { None },
                            of: c.of.as_deref(),
                            proves: c.proves.as_deref().map(FlowSeq),
                            when: c.when.as_deref(),
                            copy: c.copy,
                        }
                    })
                    .collect(),
                produces: flow(&p.produces),
                records_to: flow(&p.records_to),
            })
            .collect(),
    };
    let body = serde_saphyr::to_string(&file).expect("plain strings and numbers serialize");
    let source: String = source.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    format!("# Imported by `paperwork import` from {source}.\n{body}")
}

/// The component sheet of a workspace as CSV, in exactly the format `import` reads.
pub fn sheet_csv(ws: &Workspace) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, cells: &[String]| crate::report::text::csv_row(w, cells).expect("writing to memory");
    write(&mut w, &Field::ALL.map(|f| f.key().to_string()));
    let join = |names: Vec<&str>| names.join("; ");
    for p in &ws.procedures {
        let procedure = [
            p.id.clone(),
            p.name.clone().unwrap_or_default(),
            p.name_en.clone().unwrap_or_default(),
            ws.agencies[p.agency].id.clone(),
            p.levels.iter().map(Level::as_str).collect::<Vec<_>>().join("; "),
            p.sector.map(|s| ws.sectors.name(s).to_string()).unwrap_or_default(),
            join(p.life_events.iter().map(String::as_str).collect()),
            p.annual_volume.to_string(),
            join(p.produces.iter().map(|&d| ws.doc_ids.name(d)).collect()),
            join(p.records_to.iter().map(|&d| ws.db_ids.name(d)).collect()),
        ];
        if p.components.is_empty() {
            let mut row = procedure.to_vec();
            row.resize(Field::ALL.len(), String::new());
            write(&mut w, &row);
        }
        for c in &p.components {
            let proves = c.proves.as_ref().map(|set| {
                let mut facts: Vec<&str> = set.ones().map(|f| ws.fact_ids.name(FactId::new(f))).collect();
                facts.sort_unstable();
                if facts.is_empty() { "[]".to_string() } else { join(facts) }
            });
            let mut row = procedure.to_vec();
            row.extend([
                ws.doc_ids.name(c.documents[0]).to_string(),
                join(c.documents[1..].iter().map(|&d| ws.doc_ids.name(d)).collect()),
                c.of.clone().unwrap_or_default(),
                c.copy.map(copy_word).unwrap_or_default().to_string(),
                c.when.clone().unwrap_or_default(),
                proves.unwrap_or_default(),
            ]);
            write(&mut w, &row);
        }
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("cells are UTF-8")
}

/// Checks `--out` of `import`: a `.yaml`/`.yml` file, not the sheet, not under `rules/`, and
/// not an existing file unless `force`.
pub fn check_import_out(out: &Path, sheet: &Path, rules: &Path, force: bool) -> Result<(), ImportError> {
    let ext = out.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    if !matches!(ext.as_deref(), Some("yaml" | "yml")) {
        return Err(ImportError::Usage(format!(
            "`--out {}` must end in .yaml or .yml, or no workspace would read it (e.g. `--out procedures/imported.yaml`)",
            out.display()
        )));
    }
    crate::files::refuse_unsafe_out(out, &[sheet], &[("rules", rules)]).map_err(|e| ImportError::Usage(e.to_string()))?;
    if !force && out.exists() {
        return Err(ImportError::Usage(format!("`{}` already exists; add --force to replace it", out.display())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volumes_accept_grouping_but_not_decimals() {
        assert_eq!(parse_volume("1500000"), Some(1_500_000));
        assert_eq!(parse_volume("1,500,000"), Some(1_500_000));
        assert_eq!(parse_volume("1.500.000"), Some(1_500_000));
        assert_eq!(parse_volume("1 500 000"), Some(1_500_000));
        assert_eq!(parse_volume("1500000.0"), Some(1_500_000));
        assert_eq!(parse_volume("1,5"), None);
        assert_eq!(parse_volume("1.5"), None);
        assert_eq!(parse_volume("-3"), None);
        assert_eq!(parse_volume("many"), None);
    }

    #[test]
    fn words_in_english_or_vietnamese() {
        assert_eq!(parse_level("Cấp tỉnh"), Some(Level::Province));
        assert_eq!(parse_level(" commune "), Some(Level::Commune));
        assert_eq!(parse_copy("Bản sao có chứng thực"), Some(CopyKind::CertifiedCopy));
        assert_eq!(parse_copy("certified copy"), Some(CopyKind::CertifiedCopy));
        assert_eq!(parse_copy("photocopy"), None);
    }

    #[test]
    fn lists_split_on_semicolons_commas_and_spaces() {
        assert_eq!(split_list("a; b,c  d"), ["a", "b", "c", "d"]);
        assert_eq!(split_list("[x, y]"), ["x", "y"]);
        assert!(split_list("[]").is_empty());
    }

    #[test]
    fn the_delimiter_is_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter(b"procedure;name;agency\n1;\"a,b\";c"), b';');
        assert_eq!(sniff_delimiter(b"procedure,\"x;y\",agency\n"), b',');
        assert_eq!(sniff_delimiter(b"procedure\tname\n"), b'\t');
    }

    #[test]
    fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
        let mut diags = Vec::new();
        let t = read_csv(b"\xEF\xBB\xBF\n\nh\na\n\nb,\"x\ny\"\r\nc\n", "s.csv", &mut diags);
        assert!(diags.is_empty());
        let rows: Vec<(u64, &str)> = t.rows.iter().map(|(r, cells)| (*r, cells[0].as_str())).collect();
        assert_eq!(rows, [(3, "h"), (4, "a"), (6, "b"), (7, "c")]);
    }

    #[test]
    fn a_cell_that_is_not_utf8_is_located() {
        let mut diags = Vec::new();
        read_csv(b"procedure,name\n1,caf\xE9\n", "s.csv", &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::NotUtf8);
        assert_eq!(diags[0].location, Some(Location::at("s.csv", 2, 2)));
        read_csv(b"\xFF\xFEp\x00", "u.csv", &mut diags);
        assert!(diags[1].message.contains("UTF-16"));
    }

    #[test]
    fn yaml_quotes_what_needs_it() {
        let p = ImportedProcedure {
            id: "1.001".into(),
            name: Some("Đăng ký: khai sinh # 1".into()),
            name_en: Some("yes".into()),
            agency: "moj".into(),
            level: Level::Commune,
            sector: Some("null".into()),
            life_events: vec!["birth".into(), "a,b".into()],
            annual_volume: Some(10),
            documents: vec![ImportedComponent {
                documents: vec!["x".into(), "- y".into()],
                of: Some("parent".into()),
                proves: Some(vec![]),
                when: Some("line one\nline two".into()),
                copy: Some(CopyKind::CertifiedCopy),
            }],
            produces: vec![],
            records_to: vec![],
        };
        let text = to_yaml(&[p], "x.csv");
        let file: crate::model::ProcedureFile = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let q = &file.procedures[0];
        assert_eq!(q.id.value, "1.001");
        assert_eq!(q.name.as_deref(), Some("Đăng ký: khai sinh # 1"));
        assert_eq!(q.name_en.as_deref(), Some("yes"));
        assert_eq!(q.sector.as_ref().map(|s| s.value.as_str()), Some("null"));
        assert_eq!(q.life_events, ["birth", "a,b"]);
        let c = &q.documents[0].value;
        assert_eq!(c.one_of.as_ref().map(|l| l.iter().map(|t| t.value.clone()).collect::<Vec<_>>()), Some(vec!["x".into(), "- y".into()]));
        assert_eq!(c.proves.as_ref().map(Vec::len), Some(0));
        assert_eq!(c.when.as_deref(), Some("line one\nline two"));
        assert_eq!(c.copy, Some(CopyKind::CertifiedCopy));
    }
}
