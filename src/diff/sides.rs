//! Reading each side of a comparison: a workspace folder is loaded and analysed, anything else
//! is a JSON analysis; both sides must share the schema version this paperwork reads.

use crate::diag::Diagnostic;
use crate::engine::{AnalyzeOptions, SCHEMA_VERSION};
use crate::load::{LoadOptions, load};
use crate::pipeline;
use crate::report::{AnalysisReport, analysis_report};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Largest JSON side read (an analysis of 100,000 procedures is far below this).
pub const MAX_JSON_BYTES: u64 = 1 << 30;

/// Why a side could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The path does not exist or cannot be read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The side's path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A workspace side has errors; they are in `diagnostics`.
    #[error("the workspace `{}` has errors; nothing was compared (run `paperwork -C {} check`)", path.display(), path.display())]
    Workspace {
        /// The workspace folder.
        path: PathBuf,
        /// Every diagnostic of the load (errors and warnings).
        diagnostics: Vec<Diagnostic>,
        /// The text of the files they point into.
        sources: crate::diag::Sources,
    },
    /// A JSON side is not an analysis written by `analyze --format json`.
    #[error("`{path}` is not a paperwork analysis (written by `paperwork analyze --format json`): {message}")]
    NotAnalysis {
        /// The side's path.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The two sides were written with different output schema versions.
    #[error(
        "the two sides have different schema versions: `{old_path}` is version {old}, `{new_path}` is version {new}; \
         re-run `paperwork analyze --format json` on both catalogs with the same paperwork version"
    )]
    SchemaMismatch {
        /// Old side.
        old_path: PathBuf,
        /// Its version.
        old: u64,
        /// New side.
        new_path: PathBuf,
        /// Its version.
        new: u64,
    },
    /// Both sides agree on a version this paperwork cannot read.
    #[error("`{path}` has schema version {version}; this paperwork reads version {SCHEMA_VERSION}")]
    UnsupportedSchema {
        /// The side's path.
        path: PathBuf,
        /// Its version.
        version: u64,
    },
}

impl DiffError {
    /// Whether the input is at fault (exit 1) rather than the file system (exit 2).
    pub fn is_invalid_input(&self) -> bool {
        !matches!(self, DiffError::Io { .. })
    }
}

/// One side before full parsing: a report already built, or JSON awaiting its version check.
enum Raw {
    Report(Box<AnalysisReport<'static>>),
    Json(serde_json::Value),
}

/// Warnings from loading a workspace side, kept for the caller to show.
#[derive(Debug, Default)]
pub struct SideWarnings {
    /// The side's path.
    pub path: PathBuf,
    /// Warnings only.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads one side: a folder is loaded and analysed, `-` is JSON from standard input, any
/// other path a JSON file.
fn read_raw(path: &Path, as_of: Option<NaiveDate>, warnings: &mut Vec<SideWarnings>) -> Result<Raw, DiffError> {
    let io = |source| DiffError::Io { path: path.to_path_buf(), source };
    let too_large =
        || DiffError::NotAnalysis { path: path.to_path_buf(), message: format!("it holds more than {MAX_JSON_BYTES} bytes, the limit") };
    let not_utf8 = |e| DiffError::NotAnalysis { path: path.to_path_buf(), message: format!("not UTF-8 text ({e})") };
    if path == Path::new("-") {
        // What is read is capped, however much standard input holds.
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(std::io::stdin().lock(), MAX_JSON_BYTES + 1), &mut bytes).map_err(io)?;
        if bytes.len() as u64 > MAX_JSON_BYTES {
            return Err(too_large());
        }
        return parse_json(path, &String::from_utf8(bytes).map_err(not_utf8)?);
    }
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        let mut opts = LoadOptions::new(path);
        opts.as_of = as_of;
        let loaded = load(&opts);
        if loaded.has_errors() {
            return Err(DiffError::Workspace { path: path.to_path_buf(), diagnostics: loaded.diagnostics, sources: loaded.sources });
        }
        warnings.push(SideWarnings { path: path.to_path_buf(), diagnostics: loaded.diagnostics });
        let out = pipeline::run(&loaded.workspace, &AnalyzeOptions::default());
        return Ok(Raw::Report(Box::new(analysis_report(&loaded.workspace, &out.analysis, out.findings).into_owned())));
    }
    if !meta.is_file() {
        // Never opened: reading a FIFO waits for a writer, a device never ends.
        return Err(DiffError::NotAnalysis { path: path.to_path_buf(), message: "not a regular file or folder".to_string() });
    }
    let bytes = crate::files::read_capped(path, MAX_JSON_BYTES).map_err(io)?.ok_or_else(too_large)?;
    parse_json(path, &String::from_utf8(bytes).map_err(not_utf8)?)
}

fn parse_json(path: &Path, text: &str) -> Result<Raw, DiffError> {
    let v = crate::strict_json::parse(text).map_err(|e| {
        // A data error is a key given twice (the syntax is sound): paperwork writes each once.
        let message = match e.classify() {
            serde_json::error::Category::Data => format!("{e}; an analysis names each key once"),
            _ => format!("invalid JSON: {e}"),
        };
        DiffError::NotAnalysis { path: path.to_path_buf(), message }
    })?;
    Ok(Raw::Json(v))
}

fn version(path: &Path, raw: &Raw) -> Result<u64, DiffError> {
    match raw {
        Raw::Report(r) => Ok(u64::from(r.schema_version)),
        Raw::Json(v) => v.get("schema_version").and_then(serde_json::Value::as_u64).ok_or_else(|| DiffError::NotAnalysis {
            path: path.to_path_buf(),
            message: "no `schema_version` number at the top level".into(),
        }),
    }
}

fn finish(path: &Path, raw: Raw) -> Result<AnalysisReport<'static>, DiffError> {
    match raw {
        Raw::Report(r) => Ok(*r),
        Raw::Json(v) => {
            if v.get("procedures").is_none() || v.get("totals").is_none() {
                let hint = if v.get("steps").is_some() { " (this looks like `roadmap --format json`)" } else { "" };
                return Err(DiffError::NotAnalysis { path: path.to_path_buf(), message: format!("no `procedures` and `totals`{hint}") });
            }
            let report: AnalysisReport<'static> =
                serde_json::from_value(v).map_err(|e| DiffError::NotAnalysis { path: path.to_path_buf(), message: e.to_string() })?;
            // Procedures are matched by id: one listed twice would be compared once and counted
            // twice in the totals.
            let mut ids: Vec<&str> = report.procedures.iter().map(|p| &*p.id).collect();
            ids.sort_unstable();
            if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
                let message = format!("procedure `{}` is listed twice; an analysis lists each procedure once", w[0]);
                return Err(DiffError::NotAnalysis { path: path.to_path_buf(), message });
            }
            Ok(report)
        }
    }
}

/// Both sides read and checked to share one schema version.
#[derive(Debug)]
pub struct Sides {
    /// The old analysis.
    pub old: AnalysisReport<'static>,
    /// The new analysis.
    pub new: AnalysisReport<'static>,
    /// Warnings from workspace sides.
    pub warnings: Vec<SideWarnings>,
}

/// Reads both sides; `as_of` overrides `policy.as_of` of workspace sides.
pub fn read_sides(old: &Path, new: &Path, as_of: Option<NaiveDate>) -> Result<Sides, DiffError> {
    let mut warnings = Vec::new();
    let raw_old = read_raw(old, as_of, &mut warnings)?;
    let raw_new = read_raw(new, as_of, &mut warnings)?;
    let (vo, vn) = (version(old, &raw_old)?, version(new, &raw_new)?);
    if vo != vn {
        return Err(DiffError::SchemaMismatch { old_path: old.to_path_buf(), old: vo, new_path: new.to_path_buf(), new: vn });
    }
    if vo != u64::from(SCHEMA_VERSION) {
        return Err(DiffError::UnsupportedSchema { path: old.to_path_buf(), version: vo });
    }
    for w in &mut warnings {
        w.diagnostics.retain(|d| !d.is_error());
    }
    Ok(Sides { old: finish(old, raw_old)?, new: finish(new, raw_new)?, warnings })
}
