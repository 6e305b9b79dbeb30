//! `--volumes FILE`: dossiers per year by procedure code, from a CSV or a workbook, with the
//! basis of each estimate.

use crate::diag::{Code, Diagnostic, Location};
use crate::interop::sheet::{ImportError, parse_volume, read_table};
use std::collections::HashMap;
use std::path::Path;

/// Annual volume and its basis, by procedure code.
pub type Volumes = HashMap<String, (u64, Option<String>)>;

/// Header words for each column, compared after lower-casing and folding spaces to `_`.
const CODE: &[&str] = &["code", "id", "procedure", "ma_thu_tuc", "mã_thủ_tục", "mã_tthc", "mã"];
const VOLUME: &[&str] = &["annual_volume", "volume", "dossiers", "so_ho_so", "số_hồ_sơ", "số_hồ_sơ_năm", "số_lượng_hồ_sơ"];
const BASIS: &[&str] = &["basis", "source", "nguon", "nguồn", "căn_cứ", "ghi_chú"];

fn header(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// Reads the volumes file. Rows with a bad code or volume are diagnosed (and the import then
/// writes nothing); a code given twice is an error too.
pub fn read(path: &Path, diags: &mut Vec<Diagnostic>) -> Result<Volumes, ImportError> {
    let display = path.display().to_string();
    let table = read_table(path, &display, None, diags)?;
    let mut rows = table.rows.into_iter();
    let Some((_, head)) = rows.next() else {
        return Err(ImportError::Read { path: display, message: "the file is empty".into() });
    };
    let find = |words: &[&str]| head.iter().position(|h| words.contains(&header(h).as_str()));
    let (Some(code), Some(volume)) = (find(CODE), find(VOLUME)) else {
        return Err(ImportError::Read {
            path: display,
            message: "the first row must name a `code` column and an `annual_volume` column (and may name `basis`)".into(),
        });
    };
    let basis = find(BASIS);
    let mut out = Volumes::new();
    let mut first_row: HashMap<String, u64> = HashMap::new();
    for (line, cells) in rows {
        let cell = |i: usize| cells.get(i).map_or("", |s| s.as_str());
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let at = |col: usize| Some(Location::at(display.as_str(), line, col as u64 + 1));
        let c = cell(code).to_string();
        if c.is_empty() {
            diags.push(
                Diagnostic::new(Code::ImportInvalidCell, "this row has no procedure code", at(code))
                    .help("give the national code, e.g. 1.001193"),
            );
            continue;
        }
        let Some(v) = parse_volume(cell(volume)) else {
            diags.push(
                Diagnostic::new(Code::ImportInvalidCell, format!("`{}` is not a number of dossiers a year", cell(volume)), at(volume))
                    .help("write a whole number, e.g. 1500000 or 1,500,000"),
            );
            continue;
        };
        if v > crate::load::MAX_VOLUME {
            diags.push(
                Diagnostic::new(
                    Code::ImportInvalidCell,
                    format!("{v} dossiers a year is over the largest accepted, {}", crate::load::MAX_VOLUME),
                    at(volume),
                )
                .help("check the value for a digit too many"),
            );
            continue;
        }
        if let Some(first) = first_row.get(&c) {
            diags.push(
                Diagnostic::new(Code::ImportConflict, format!("procedure `{c}` is given a volume twice (first on row {first})"), at(code))
                    .help("keep one row per procedure"),
            );
            continue;
        }
        first_row.insert(c.clone(), line);
        let b = basis.map(|i| cell(i).to_string()).filter(|s| !s.is_empty());
        out.insert(c, (v, b));
    }
    Ok(out)
}
