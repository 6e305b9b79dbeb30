//! The component sheet: `paperwork import` reads one (CSV or a workbook) into a procedures
//! file, and `paperwork export --format csv` writes one.
//!
//! A sheet has a header row, then one row per component. Procedure cells (`name`, `agency`,
//! `level`, ...) may repeat on every row of the procedure or stand on one row only; rows that
//! give two different values are an error. A row whose `procedure` cell is empty continues the
//! procedure above it (merged cells read this way); a row with no `document` only declares the
//! procedure. When `alternatives` is filled the component is `one_of: [document, alternatives...]`.
//! List cells separate ids by `;`, `,` or spaces; `[]` in `proves` is an explicitly empty list.
//! `level` takes one level or several.
//!
//! The `case` cell puts the component in a case of its procedure (empty: a common component):
//! rows of a procedure with the same `case` text make one case, cases in order of first
//! appearance, and a row with a `case` but no `document` declares the case. `case_share`, the
//! case's share of the dossiers, may stand on any of the case's rows; rows that give two
//! different shares for one case are an error, and so are the shares of a procedure's cases
//! that add up to more than 1.
//!
//! Headers ignore case, spaces and hyphens; a column not renamed by `--column` also answers to
//! the key the procedures file gives it (`annual_volume`, `when`, `share`, `id`) and to the
//! Vietnamese headers of ministries' sheets. A header that names no column, and a filled cell
//! under no header, are warned about: they are not imported.
//!
//! `ministry`, `applicants`, `legal_basis`, `decision` and `source_url` carry what the catalog
//! publishes about a procedure; `legal_basis` separates its items by `;` or line breaks only, as
//! they hold spaces and commas. An empty `volume` states none.
//!
//! Problems are [`Diagnostic`]s located at `file:row:column`: the spreadsheet row and the
//! 1-based column index.

use crate::diag::{Code, Diagnostic, Location, did_you_mean};
use crate::model::{CopyKind, Level};
use crate::workspace::{FactId, Id, Interner, Levels, Workspace};
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
    /// central | province | commune | other, or several.
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
    /// The procedure's case the component belongs to (empty: asked in every case).
    Case,
    /// The case's share of the procedure's dossiers, in (0, 1].
    CaseShare,
    /// The ministry that publishes the procedure (agency id).
    Ministry,
    /// Who applies.
    Applicants,
    /// The legal documents it rests on (separated by `;` or line breaks).
    LegalBasis,
    /// The decision that published it.
    Decision,
    /// Where it is published.
    SourceUrl,
}

/// Number of columns.
const FIELDS: usize = 23;

impl Field {
    /// Every column, in the order `export --format csv` writes them.
    pub const ALL: [Field; FIELDS] = [
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
        Field::Case,
        Field::CaseShare,
        Field::Ministry,
        Field::Applicants,
        Field::LegalBasis,
        Field::Decision,
        Field::SourceUrl,
    ];

    /// Vietnamese headers that name this column too (as `normalize_header` leaves them), the
    /// way ministries' own spreadsheets and the portal head them.
    pub fn vietnamese(self) -> &'static [&'static str] {
        match self {
            Field::Procedure => &["mã_thủ_tục", "mã_tthc", "mã_số", "ma_thu_tuc"],
            Field::Name => &["tên_thủ_tục", "tên_tthc", "ten_thu_tuc"],
            Field::Agency => &["cơ_quan", "cơ_quan_thực_hiện", "cơ_quan_có_thẩm_quyền"],
            Field::Level => &["cấp_thực_hiện", "cấp"],
            Field::Sector => &["lĩnh_vực"],
            Field::LifeEvents => &["sự_kiện"],
            Field::Volume => &["số_hồ_sơ", "số_hồ_sơ_năm", "số_lượng_hồ_sơ", "so_ho_so"],
            Field::Document => &["tên_giấy_tờ", "giấy_tờ", "thành_phần_hồ_sơ"],
            Field::Alternatives => &["giấy_tờ_thay_thế"],
            Field::Copy => &["hình_thức", "loại_bản"],
            Field::Condition => &["điều_kiện"],
            Field::Case => &["trường_hợp"],
            Field::Applicants => &["đối_tượng_thực_hiện", "đối_tượng"],
            Field::LegalBasis => &["căn_cứ_pháp_lý"],
            Field::Decision => &["quyết_định_công_bố", "số_quyết_định"],
            _ => &[],
        }
    }

    /// Other English headers that name this column too (as `normalize_header` leaves them): the
    /// key of the procedures file where it differs from the column's (`annual_volume`, `when`,
    /// `share`, `id`), and the words `--volumes` takes for a volume.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Procedure => &["id", "procedure_id"],
            Field::Volume => &["annual_volume", "dossiers", "dossiers_per_year"],
            Field::Condition => &["when"],
            Field::CaseShare => &["share"],
            _ => &[],
        }
    }

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
            Field::Case => "case",
            Field::CaseShare => "case_share",
            Field::Ministry => "ministry",
            Field::Applicants => "applicants",
            Field::LegalBasis => "legal_basis",
            Field::Decision => "decision",
            Field::SourceUrl => "source_url",
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
                | Field::Ministry
                | Field::Applicants
                | Field::LegalBasis
                | Field::Decision
                | Field::SourceUrl
        )
    }

    fn is_list(self) -> bool {
        matches!(self, Field::LifeEvents | Field::Produces | Field::RecordsTo | Field::Alternatives | Field::Proves)
    }
}

/// The header of each column: the key unless renamed.
#[derive(Debug, Clone)]
pub struct Columns {
    headers: [String; FIELDS],
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
    /// Levels, in order of first appearance, at least one.
    pub levels: Vec<Level>,
    /// Sector id.
    pub sector: Option<String>,
    /// Life events.
    pub life_events: Vec<String>,
    /// Dossiers per year, when given.
    pub annual_volume: Option<u64>,
    /// Components asked in every case, in row order.
    pub documents: Vec<ImportedComponent>,
    /// Cases in order of first appearance.
    pub cases: Vec<ImportedCase>,
    /// Documents it issues.
    pub produces: Vec<String>,
    /// Databases it records into.
    pub records_to: Vec<String>,
    /// The ministry that publishes it (agency id), when given.
    pub ministry: Option<String>,
    /// Who applies, when given.
    pub applicants: Option<String>,
    /// The legal documents it rests on.
    pub legal_basis: Vec<String>,
    /// The decision that published it, when given.
    pub decision: Option<String>,
    /// Where it is published, when given.
    pub source_url: Option<String>,
}

/// One case of a procedure read from a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedCase {
    /// The case as the `case` cells word it.
    pub name: String,
    /// Its share of the dossiers, when stated.
    pub share: Option<f64>,
    /// Its components, in row order.
    pub documents: Vec<ImportedComponent>,
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
        self.procedures.iter().map(|p| p.documents.len() + p.cases.iter().map(|k| k.documents.len()).sum::<usize>()).sum()
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

/// The line of a quote that opens a cell and is never closed, if there is one. A quote opens a
/// cell only at its start; inside a quoted cell `""` is a quote and `"` ends the cell.
fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<u64> {
    let (mut line, mut at_start, mut quoted, mut opened) = (1u64, true, false, 0u64);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && at_start {
            quoted = true;
            opened = line;
        }
        at_start = !quoted && (b == delimiter || b == b'\n' || b == b'\r');
        line += u64::from(b == b'\n');
        i += 1;
    }
    quoted.then_some(opened)
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
    let delimiter = sniff_delimiter(bytes);
    if let Some(line) = unclosed_quote(bytes, delimiter) {
        // A CSV reader takes everything after such a quote as one cell: the rows after it would
        // vanish into it without a word.
        diags.push(
            Diagnostic::new(
                Code::ImportInvalidCell,
                format!("a quoted cell opened on line {line} is never closed: every line after it would be read as part of that cell"),
                Some(Location::at(display, line, 0)),
            )
            .help("close the quote at the end of the cell; a quote inside a quoted cell is written twice (\"\")"),
        );
        return Table { rows };
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(bytes);
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

/// The most a workbook may expand to, all its parts uncompressed: ample for a national catalog's
/// sheet, and far below what would exhaust memory.
pub const MAX_WORKBOOK_EXPANDED: u64 = 512 << 20;

/// Refuses a zipped workbook (.xlsx, .xlsm, .xlsb, .ods) whose parts would expand beyond
/// [`MAX_WORKBOOK_EXPANDED`]: a few megabytes can hold gigabytes of shared strings, which the
/// workbook reader would hold in memory whole. The sizes are those the zip's directory
/// declares, which the tools that write workbooks state truly; a crafted file that understates
/// them is not caught here.
fn check_expansion(path: &Path) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        // Not a zip (an .xls): the reader says what is wrong with it.
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| e.to_string())?;
        total = total.saturating_add(part.size());
        if total > MAX_WORKBOOK_EXPANDED {
            return Err(format!(
                "it expands to more than {} MiB (part `{}` alone is {} MiB), over the {} MiB the import reads; save the sheet again without unused data, or as CSV",
                total >> 20,
                part.name(),
                part.size() >> 20,
                MAX_WORKBOOK_EXPANDED >> 20
            ));
        }
    }
    Ok(())
}

fn read_workbook(path: &Path, display: &str, sheet: Option<&str>) -> Result<Table, ImportError> {
    use calamine::{Data, Reader};
    let read_err = |message: String| ImportError::Read { path: display.to_string(), message };
    check_expansion(path).map_err(read_err)?;
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
    use unicode_normalization::UnicodeNormalization;
    // NFC: a Vietnamese header saved decomposed (as some spreadsheets do) is the same header.
    let h: String = h.trim().nfc().collect::<String>().to_lowercase();
    h.split(|c: char| c.is_whitespace() || c == '-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("_")
}

/// Headers of the notes a ministry keeps beside its components (as normalized by
/// [`normalize_header`]): not imported, and no warning, since nothing there was meant for the
/// analysis.
const NOTE_HEADERS: [&str; 10] = ["notes", "note", "comments", "comment", "remarks", "sources", "source", "ghi_chú", "chú_thích", "nguồn"];

/// Whether `header` may be a typo of column `key`: [`did_you_mean`] decides among those of about
/// the same length (or that `header` begins with), so that a `sources` column stays a note and
/// is not taken for a misspelt `source_url`.
fn typo_of(header: &str, key: &str) -> bool {
    header.chars().count().abs_diff(key.chars().count()) <= 2 || header.starts_with(key)
}

/// The letter a spreadsheet heads the 0-based column `j` with: A, …, Z, AA, ….
fn column_letter(j: usize) -> String {
    let mut letters = Vec::new();
    let mut n = j + 1;
    while n > 0 {
        n -= 1;
        letters.push(char::from(b'A' + (n % 26) as u8));
        n /= 26;
    }
    letters.iter().rev().collect()
}

/// Splits a list cell at `;`, `,` and spaces; a surrounding `[...]` is dropped.
fn split_list(cell: &str) -> Vec<String> {
    let inner = cell.strip_prefix('[').and_then(|s| s.strip_suffix(']')).unwrap_or(cell);
    inner.split(|c: char| c == ';' || c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Splits a cell of items that may hold spaces and commas (legal documents) at `;` and line
/// breaks.
fn split_lines(cell: &str) -> Vec<String> {
    cell.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
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
        "other" | "khác" | "cơ_quan_khác" => Level::Other,
        _ => return None,
    })
}

/// A level cell: one level or several, separated by `;`, `,` or spaces (a surrounding `[...]`
/// is dropped), in order of first appearance without repeats. Words of several words
/// (`cấp tỉnh`, `cơ quan khác`) are read whole. `Err` holds the first words that are no level.
pub fn parse_levels(cell: &str) -> Result<Vec<Level>, String> {
    let inner = cell.strip_prefix('[').and_then(|s| s.strip_suffix(']')).unwrap_or(cell);
    let mut levels = Vec::new();
    for part in inner.split([';', ',']) {
        let words: Vec<&str> = part.split_whitespace().collect();
        // The longest run of words from `i` that is a level, and where it ends.
        let at = |i: usize| (i + 1..=words.len()).rev().find_map(|j| parse_level(&words[i..j].join(" ")).map(|l| (l, j)));
        let mut i = 0;
        while i < words.len() {
            let Some((level, end)) = at(i) else {
                let end = (i + 1..words.len()).find(|&k| at(k).is_some()).unwrap_or(words.len());
                return Err(words[i..end].join(" "));
            };
            if !levels.contains(&level) {
                levels.push(level);
            }
            i = end;
        }
    }
    Ok(levels)
}

/// A case's share: a number above 0 and at most 1, with `.` or `,` as the decimal mark, or a
/// percentage (`25%`). `None` when it is no number; the range is checked by the caller.
pub fn parse_share(cell: &str) -> Option<f64> {
    let s = cell.trim();
    let (s, scale) = match s.strip_suffix('%') {
        Some(p) => (p.trim_end(), 100.0),
        None => (s, 1.0),
    };
    let s = if s.contains('.') { s.to_string() } else { s.replacen(',', ".", 1) };
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v / scale)
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
    /// Components with the index of their case in `cases` (None: common).
    components: Vec<(Option<usize>, ImportedComponent)>,
    cases: Vec<DraftCase>,
}

/// A case as its rows give it.
struct DraftCase {
    name: String,
    /// The share, where first given.
    share: Option<(f64, Given)>,
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
    fn header(&mut self, row: u64, cells: &[String]) -> Option<[Option<usize>; FIELDS]> {
        let mut col_of: [Option<usize>; FIELDS] = [None; FIELDS];
        let wanted: Vec<String> = Field::ALL.iter().map(|f| normalize_header(self.columns.header(*f))).collect();
        let mut unknown = Vec::new();
        for (j, cell) in cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let norm = normalize_header(cell);
            // A column not renamed also answers to its other English and Vietnamese headers.
            let other = || {
                Field::ALL.iter().position(|f| {
                    self.columns.header(*f) == f.key() && (f.aliases().contains(&norm.as_str()) || f.vietnamese().contains(&norm.as_str()))
                })
            };
            match wanted.iter().position(|w| *w == norm).or_else(other) {
                Some(k) => match col_of[k] {
                    Some(first) => {
                        let message = if normalize_header(&cells[first]) == norm {
                            format!("column `{cell}` appears twice")
                        } else {
                            format!("column `{cell}` is the `{}` column again, already headed `{}`", Field::ALL[k].key(), cells[first])
                        };
                        let d = Diagnostic::new(Code::ImportHeader, message, Some(self.at(row, j as u64 + 1)))
                            .related(self.at(row, first as u64 + 1), "first here")
                            .help("keep one of the two columns, or rename one with `--column KEY=HEADER`");
                        self.diags.push(d);
                    }
                    None => col_of[k] = Some(j),
                },
                None => unknown.push(j),
            }
        }
        self.unknown_headers(row, cells, &unknown, &col_of, &wanted);
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

    /// Diagnoses the headers that name no column: one that looks like a typo of a missing column
    /// is an error, any other a warning that its cells are not imported (a column of notes may
    /// stay, but a column meant for the sheet must not vanish without a word).
    fn unknown_headers(&mut self, row: u64, cells: &[String], unknown: &[usize], col_of: &[Option<usize>; FIELDS], wanted: &[String]) {
        for &j in unknown {
            let header = normalize_header(&cells[j]);
            let missing = Field::ALL
                .iter()
                .enumerate()
                .filter(|(k, _)| col_of[*k].is_none() && typo_of(&header, &wanted[*k]))
                .map(|(k, _)| wanted[k].as_str());
            if NOTE_HEADERS.contains(&header.as_str()) {
                continue;
            }
            if let Some(hint) = did_you_mean(&header, missing) {
                self.error(
                    Code::ImportHeader,
                    format!("unknown column `{}`", cells[j]),
                    row,
                    j as u64 + 1,
                    Some(format!("{hint} (or map it with `--column KEY=HEADER`)")),
                );
                continue;
            }
            let d = Diagnostic::new(
                Code::ImportIgnored,
                format!("column {} `{}` is not a column of the component sheet and was ignored", column_letter(j), cells[j]),
                Some(self.at(row, j as u64 + 1)),
            )
            .help("if it is meant for the sheet, head it with a column's name (procedure, name, agency, level, volume, document, condition, case, case_share, …) or map it with `--column KEY=HEADER`; a column of notes may stay");
            self.diags.push(d);
        }
    }

    /// Warns of the filled cells of a row that no header names (a row longer than the header,
    /// often a delimiter inside an unquoted CSV cell): they are not imported.
    fn headless_cells(&mut self, row: u64, cells: &[String], header: &[String]) {
        let headless: Vec<usize> =
            (0..cells.len()).filter(|&j| !cells[j].is_empty() && header.get(j).is_none_or(String::is_empty)).collect();
        let Some(&first) = headless.first() else { return };
        let width = header.iter().rposition(|h| !h.is_empty()).map_or(0, |j| j + 1);
        let listed: Vec<String> =
            headless.iter().map(|&j| format!("{} `{}`", column_letter(j), crate::report::text::ellipsis(&cells[j], 40))).collect();
        let what = if headless.iter().all(|&j| j >= width) {
            format!("more cells than the header's {width}")
        } else {
            "cells in columns with no header".to_string()
        };
        let d = Diagnostic::new(
            Code::ImportIgnored,
            format!("row {row} has {what}; ignored: {}", listed.join(", ")),
            Some(self.at(row, first as u64 + 1)),
        )
        .help("head the column, or remove the cells; in CSV, a cell holding the delimiter must be quoted (\"a, b\")");
        self.diags.push(d);
    }

    fn read(&mut self, table: &Table) -> (Vec<ImportedProcedure>, usize) {
        let Some(h) = table.rows.iter().position(|(_, cells)| cells.iter().any(|c| !c.is_empty())) else {
            // A sheet that could not be read at all has said why already.
            if self.diags.iter().any(|d| d.is_error()) {
                return (Vec::new(), 0);
            }
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
            self.headless_cells(row, cells, header);
            let cell = |f: Field| -> Option<(&str, u64)> {
                let j = col_of[f.index()]?;
                cells.get(j).filter(|s| !s.is_empty()).map(|s| (s.as_str(), j as u64 + 1))
            };
            let draft = match cell(Field::Procedure) {
                Some((id, _)) => *index.entry(id.to_string()).or_insert_with(|| {
                    drafts.push(Draft { id: id.to_string(), row, cells: BTreeMap::new(), components: Vec::new(), cases: Vec::new() });
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
            let case = self.case(&mut drafts[draft], row, &cell);
            if let Some(c) = self.component(row, &cell) {
                drafts[draft].components.push((case, c));
            }
        }
        let procedures = drafts.into_iter().filter_map(|d| self.procedure(d, &col_of)).collect();
        (procedures, rows)
    }

    /// The case a row puts its component in (None: common), registering it in `d` and checking
    /// its share.
    fn case<'c>(&mut self, d: &mut Draft, row: u64, cell: &dyn Fn(Field) -> Option<(&'c str, u64)>) -> Option<usize> {
        let share = cell(Field::CaseShare);
        let share_header = self.columns.header(Field::CaseShare).to_string();
        let Some((name, _)) = cell(Field::Case) else {
            if let Some((_, column)) = share {
                let case = self.columns.header(Field::Case).to_string();
                self.error(
                    Code::ImportInvalidCell,
                    format!("row {row} gives a `{share_header}` but names no case"),
                    row,
                    column,
                    Some(format!("fill the `{case}` cell of this row, or clear its `{share_header}` (common components have no share)")),
                );
            }
            return None;
        };
        let k = d.cases.iter().position(|c| c.name == name).unwrap_or_else(|| {
            d.cases.push(DraftCase { name: name.to_string(), share: None });
            d.cases.len() - 1
        });
        let Some((text, column)) = share else { return Some(k) };
        let help = "write the fraction of the procedure's dossiers in this case, e.g. 0.25 or 25%; leave it empty and the case shares what the other cases leave";
        let value = match parse_share(text) {
            Some(v) if v > 0.0 && v <= 1.0 => v,
            Some(_) => {
                self.error(
                    Code::ImportInvalidCell,
                    format!("case share `{text}` is not above 0 and at most 1"),
                    row,
                    column,
                    Some(help.into()),
                );
                return Some(k);
            }
            None => {
                self.error(Code::ImportInvalidCell, format!("case share `{text}` is not a number"), row, column, Some(help.into()));
                return Some(k);
            }
        };
        match &d.cases[k].share {
            None => d.cases[k].share = Some((value, Given { value: text.to_string(), canonical: value.to_string(), row, column })),
            Some((v, _)) if *v == value => {}
            Some((_, g)) => {
                let diag = Diagnostic::new(
                    Code::ImportConflict,
                    format!("case `{name}` of procedure `{}` has `{share_header}` `{text}` here, but `{}` in row {}", d.id, g.value, g.row),
                    Some(self.at(row, column)),
                )
                .related(self.at(g.row, g.column), format!("`{share_header}` first given as `{}`", g.value))
                .help(format!("give one share for the whole case (the `{share_header}` cells of its other rows may be left empty)"));
                self.diags.push(diag);
            }
        }
        Some(k)
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
    fn required(&mut self, d: &Draft, f: Field, col_of: &[Option<usize>; FIELDS]) -> Option<(String, u64, u64)> {
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
    fn procedure(&mut self, d: Draft, col_of: &[Option<usize>; FIELDS]) -> Option<ImportedProcedure> {
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
        if let Some(g) = d.cells.get(&Field::Ministry) {
            ok &= self.reference(&ws.agency_ids, "agency", "agencies", &g.value.clone(), g.row, g.column);
        }
        let levels = level.and_then(|(cell, row, column)| self.levels(&cell, row, column));
        let annual_volume = match d.cells.get(&Field::Volume) {
            Some(g) => {
                let v = parse_volume(&g.value);
                if v.is_none() {
                    let (word, row, column) = (g.value.clone(), g.row, g.column);
                    self.error(
                        Code::ImportInvalidCell,
                        format!("volume `{word}` is not a whole number of zero or more"),
                        row,
                        column,
                        Some("write the dossiers per year as digits, e.g. 1500000 or 1,500,000".into()),
                    );
                    ok = false;
                }
                v
            }
            None => None,
        };
        ok &= self.references(&d, Field::Produces, &ws.doc_ids, "document", "documents");
        ok &= self.references(&d, Field::RecordsTo, &ws.db_ids, "database", "databases");
        ok &= self.case_shares(&d);
        let (Some((agency, ..)), Some(levels), true) = (agency, levels, ok) else { return None };
        let mut cases: Vec<ImportedCase> =
            d.cases.into_iter().map(|c| ImportedCase { name: c.name, share: c.share.map(|(v, _)| v), documents: Vec::new() }).collect();
        let mut documents = Vec::new();
        for (case, c) in d.components {
            match case {
                Some(k) => cases[k].documents.push(c),
                None => documents.push(c),
            }
        }
        Some(ImportedProcedure {
            name: text(Field::Name),
            name_en: text(Field::NameEn),
            agency,
            levels,
            sector: text(Field::Sector),
            life_events: list(Field::LifeEvents),
            annual_volume,
            produces: list(Field::Produces),
            records_to: list(Field::RecordsTo),
            documents,
            cases,
            ministry: text(Field::Ministry),
            applicants: text(Field::Applicants),
            legal_basis: d.cells.get(&Field::LegalBasis).map(|g| split_lines(&g.value)).unwrap_or_default(),
            decision: text(Field::Decision),
            source_url: text(Field::SourceUrl),
            id: d.id,
        })
    }

    /// Whether the stated shares of the procedure's cases add up to at most 1, as `check`
    /// demands (`E023`); otherwise an error at the share that takes the sum over 1.
    fn case_shares(&mut self, d: &Draft) -> bool {
        let shares: Vec<(f64, &Given)> = d.cases.iter().filter_map(|c| c.share.as_ref().map(|(v, g)| (*v, g))).collect();
        let mut sum = 0.0;
        let Some(over) = shares.iter().position(|(v, _)| {
            sum += v;
            crate::workspace::Case::shares_exceed_one(sum)
        }) else {
            return true;
        };
        let total: f64 = shares.iter().map(|(v, _)| v).sum();
        let header = self.columns.header(Field::CaseShare).to_string();
        let g = shares[over].1;
        let mut diag = Diagnostic::new(
            Code::ImportInvalidCell,
            format!("the case shares of procedure `{}` add up to {}, more than 1", d.id, crate::workspace::Case::readable_share(total)),
            Some(self.at(g.row, g.column)),
        )
        .help(format!(
            "an applicant is in exactly one case: the shares are fractions of one whole; lower them, or clear a `{header}` to let its case share what the others leave"
        ));
        for (_, other) in shares.iter().filter(|(_, o)| !std::ptr::eq(*o, g)) {
            diag = diag.related(self.at(other.row, other.column), format!("`{header}` `{}`", other.value));
        }
        self.diags.push(diag);
        false
    }

    /// The levels of a `level` cell, diagnosed when it names none or a word that is no level.
    fn levels(&mut self, cell: &str, row: u64, column: u64) -> Option<Vec<Level>> {
        let help = "write central, province, commune or other (or trung ương, tỉnh, xã, cơ quan khác); separate several by `;`";
        let message = match parse_levels(cell) {
            Ok(levels) if !levels.is_empty() => return Some(levels),
            Ok(_) => format!("`{cell}` names no level"),
            Err(word) if word == cell => format!("`{word}` is not a level"),
            Err(word) => format!("`{word}` in `{cell}` is not a level"),
        };
        self.error(Code::ImportInvalidCell, message, row, column, Some(help.into()));
        None
    }
}

/// The form of a procedure cell that rows must agree on.
fn canonical(f: Field, value: &str) -> String {
    if f.is_list() {
        return split_list(value).join(" ");
    }
    if f == Field::LegalBasis {
        return split_lines(value).join("\n");
    }
    match f {
        Field::Volume => parse_volume(value).map_or_else(|| value.to_string(), |v| v.to_string()),
        Field::Level => match parse_levels(value) {
            Ok(levels) => Levels::of(&levels).iter().map(Level::as_str).collect::<Vec<_>>().join(" "),
            Err(_) => value.to_string(),
        },
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
    level: YamlLevel<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sector: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    life_events: Flow<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annual_volume: Option<u64>,
    documents: Vec<YamlComponent<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cases: Vec<YamlCase<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    produces: Flow<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    records_to: Flow<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ministry: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applicants: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    legal_basis: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_url: Option<&'a str>,
}

/// `level: commune`, or `level: [province, commune]` for several.
#[derive(Serialize)]
#[serde(untagged)]
enum YamlLevel<'a> {
    One(Level),
    Many(FlowSeq<&'a [Level]>),
}

impl<'a> YamlLevel<'a> {
    fn of(levels: &'a [Level]) -> YamlLevel<'a> {
        match levels {
            [one] => YamlLevel::One(*one),
            many => YamlLevel::Many(FlowSeq(many)),
        }
    }
}

#[derive(Serialize)]
struct YamlCase<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    share: Option<f64>,
    documents: Vec<YamlComponent<'a>>,
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

impl<'a> YamlComponent<'a> {
    fn of(c: &'a ImportedComponent) -> YamlComponent<'a> {
        let one_of = c.documents.len() > 1;
        YamlComponent {
            document: (!one_of).then(|| c.documents[0].as_str()),
            one_of: if one_of { flow(&c.documents) } else { None },
            of: c.of.as_deref(),
            proves: c.proves.as_deref().map(FlowSeq),
            when: c.when.as_deref(),
            copy: c.copy,
        }
    }
}

/// The procedures file for imported procedures, headed by a comment naming the source.
pub fn to_yaml(procedures: &[ImportedProcedure], source: &str) -> String {
    let file = YamlFile { procedures: procedures.iter().map(yaml_procedure).collect() };
    let body = serde_saphyr::to_string(&file).expect("plain strings and numbers serialize");
    let source: String = source.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    format!("# Imported by `paperwork import` from {source}.\n{body}")
}

/// One procedure as an item of a `procedures:` list (`- id: …`), unindented: for files that
/// put something of their own beside each procedure, such as the portal import's comments.
pub(crate) fn procedure_yaml_item(p: &ImportedProcedure) -> String {
    serde_saphyr::to_string(&[yaml_procedure(p)]).expect("plain strings and numbers serialize")
}

fn yaml_procedure(p: &ImportedProcedure) -> YamlProcedure<'_> {
    YamlProcedure {
        id: &p.id,
        name: p.name.as_deref(),
        name_en: p.name_en.as_deref(),
        agency: &p.agency,
        level: YamlLevel::of(&p.levels),
        sector: p.sector.as_deref(),
        life_events: flow(&p.life_events),
        annual_volume: p.annual_volume,
        documents: p.documents.iter().map(YamlComponent::of).collect(),
        cases: p
            .cases
            .iter()
            .map(|k| YamlCase { name: &k.name, share: k.share, documents: k.documents.iter().map(YamlComponent::of).collect() })
            .collect(),
        produces: flow(&p.produces),
        records_to: flow(&p.records_to),
        ministry: p.ministry.as_deref(),
        applicants: p.applicants.as_deref(),
        legal_basis: &p.legal_basis,
        decision: p.decision.as_deref(),
        source_url: p.source_url.as_deref(),
    }
}

/// The component sheet of a workspace as CSV, in exactly the format `import` reads.
pub fn sheet_csv(ws: &Workspace) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, cells: &[String]| crate::report::text::csv_row(w, cells).expect("writing to memory");
    write(&mut w, &Field::ALL.map(|f| f.key().to_string()));
    for p in &ws.procedures {
        let procedure = procedure_cells(ws, p);
        // A row: the procedure's cells, a component's (or none) and a case's (or none).
        let row = |c: Option<&crate::workspace::Component>, case: Option<u32>| {
            let mut row = procedure.clone();
            if let Some(c) = c {
                for (f, cell) in [Field::Document, Field::Alternatives, Field::Of, Field::Copy, Field::Condition, Field::Proves]
                    .into_iter()
                    .zip(component_cells(ws, c))
                {
                    row[f.index()] = cell;
                }
            }
            if let Some(k) = case.and_then(|k| p.cases.get(k as usize)) {
                row[Field::Case.index()] = k.name.clone();
                // Stated shares only: the others are what the stated ones leave.
                row[Field::CaseShare.index()] = if k.stated { k.share.to_string() } else { String::new() };
            }
            row
        };
        // Common components first, then each case's; a case without any declares itself.
        for case in std::iter::once(None).chain((0..p.cases.len() as u32).map(Some)) {
            let mut components = p.components.iter().filter(|c| c.case == case).peekable();
            if components.peek().is_none() && (case.is_some() || p.cases.is_empty()) {
                write(&mut w, &row(None, case));
            }
            for c in components {
                write(&mut w, &row(Some(c), case));
            }
        }
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("cells are UTF-8")
}

/// A row with a procedure's cells filled and the others empty.
fn procedure_cells(ws: &Workspace, p: &crate::workspace::Procedure) -> Vec<String> {
    let join = |names: Vec<&str>| names.join("; ");
    let about = p.about.as_deref();
    let mut row = vec![String::new(); FIELDS];
    for (f, cell) in [
        (Field::Procedure, p.id.clone()),
        (Field::Name, p.name.clone().unwrap_or_default()),
        (Field::NameEn, p.name_en.clone().unwrap_or_default()),
        (Field::Agency, ws.agencies[p.agency].id.clone()),
        (Field::Level, join(p.levels.iter().map(Level::as_str).collect())),
        (Field::Sector, p.sector.map(|s| ws.sectors.name(s).to_string()).unwrap_or_default()),
        (Field::LifeEvents, join(p.life_events.iter().map(String::as_str).collect())),
        // An empty cell: no volume stated.
        (Field::Volume, if p.volume_stated { p.annual_volume.to_string() } else { String::new() }),
        (Field::Produces, join(p.produces.iter().map(|&d| ws.doc_ids.name(d)).collect())),
        (Field::RecordsTo, join(p.records_to.iter().map(|&d| ws.db_ids.name(d)).collect())),
        (Field::Ministry, p.ministry.map(|m| ws.agencies[m].id.clone()).unwrap_or_default()),
        (Field::Applicants, about.and_then(|a| a.applicants.clone()).unwrap_or_default()),
        (Field::LegalBasis, about.map(|a| join(a.legal_basis.iter().map(String::as_str).collect())).unwrap_or_default()),
        (Field::Decision, about.and_then(|a| a.decision.clone()).unwrap_or_default()),
        (Field::SourceUrl, about.and_then(|a| a.source_url.clone()).unwrap_or_default()),
    ] {
        row[f.index()] = cell;
    }
    row
}

/// The cells of a component, `document` to `proves`.
fn component_cells(ws: &Workspace, c: &crate::workspace::Component) -> [String; 6] {
    let join = |names: Vec<&str>| names.join("; ");
    let proves = c.proves.as_ref().map(|set| {
        let mut facts: Vec<&str> = set.ones().map(|f| ws.fact_ids.name(FactId::new(f))).collect();
        facts.sort_unstable();
        if facts.is_empty() { "[]".to_string() } else { join(facts) }
    });
    [
        ws.doc_ids.name(c.documents[0]).to_string(),
        join(c.documents[1..].iter().map(|&d| ws.doc_ids.name(d)).collect()),
        c.of.clone().unwrap_or_default(),
        c.copy.map(copy_word).unwrap_or_default().to_string(),
        c.when.clone().unwrap_or_default(),
        proves.unwrap_or_default(),
    ]
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
    fn an_unclosed_quote_is_found_where_it_opens() {
        assert_eq!(unclosed_quote(b"a,b\n\"x,y\n1,2\n", b','), Some(2));
        assert_eq!(unclosed_quote(b"a,\"b \"\"c\"\" d\"\n5\" pipe,x\n", b','), None, "doubled quotes and a quote inside a cell");
        assert_eq!(unclosed_quote(b"a,\"two\nlines\",b\n", b','), None);
        assert_eq!(unclosed_quote(b"a;\"b\n", b';'), Some(1));
    }

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
    fn level_cells_hold_one_level_or_several() {
        use Level::*;
        assert_eq!(parse_levels("Cấp tỉnh"), Ok(vec![Province]));
        assert_eq!(parse_levels("tỉnh; xã"), Ok(vec![Province, Commune]));
        assert_eq!(parse_levels("Cấp xã, Cấp tỉnh, cấp xã"), Ok(vec![Commune, Province]));
        assert_eq!(parse_levels("province commune"), Ok(vec![Province, Commune]));
        assert_eq!(parse_levels("[central, other]"), Ok(vec![Central, Other]));
        assert_eq!(parse_levels("Cơ quan khác"), Ok(vec![Other]));
        assert_eq!(parse_levels("trung ương khác"), Ok(vec![Central, Other]));
        assert_eq!(parse_levels("[]"), Ok(vec![]));
        assert_eq!(parse_levels("district"), Err("district".into()));
        assert_eq!(parse_levels("tỉnh; Cấp huyện"), Err("Cấp huyện".into()));
        assert_eq!(parse_levels("tỉnh foo bar xã"), Err("foo bar".into()));
    }

    #[test]
    fn shares_are_fractions_or_percentages() {
        assert_eq!(parse_share("0.25"), Some(0.25));
        assert_eq!(parse_share("0,25"), Some(0.25));
        assert_eq!(parse_share("25%"), Some(0.25));
        assert_eq!(parse_share(" 1 "), Some(1.0));
        assert_eq!(parse_share("0"), Some(0.0), "the range is checked by the reader");
        assert_eq!(parse_share("a quarter"), None);
        assert_eq!(parse_share("NaN"), None);
        let third = 1.0 / 3.0;
        assert_eq!(parse_share(&third.to_string()), Some(third), "export writes shares that read back exactly");
    }

    #[test]
    fn a_typo_is_told_from_a_column_of_notes() {
        let hint = |header: &str| {
            let keys = Field::ALL.iter().map(|f| f.key()).filter(|k| typo_of(header, k));
            did_you_mean(header, keys)
        };
        assert_eq!(hint("documnet").as_deref(), Some("did you mean `document`?"));
        assert_eq!(hint("applicant").as_deref(), Some("did you mean `applicants`?"));
        assert_eq!(hint("name_english").as_deref(), Some("did you mean `name_en`?"));
        for note in ["notes", "sources", "source", "legal", "ghi_chú"] {
            assert_eq!(hint(note), None, "{note}");
        }
    }

    #[test]
    fn columns_are_lettered_as_a_spreadsheet_heads_them() {
        let letters: Vec<String> = [0, 5, 25, 26, 27, 51, 52, 701, 702].into_iter().map(column_letter).collect();
        assert_eq!(letters, ["A", "F", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
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
            levels: vec![Level::Commune],
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
            cases: vec![],
            produces: vec![],
            records_to: vec![],
            ministry: None,
            applicants: None,
            legal_basis: vec![],
            decision: None,
            source_url: None,
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
