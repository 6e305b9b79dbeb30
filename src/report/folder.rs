//! The report folder (`paperwork report`): its files, and writing them whole or not at all.
//!
//! The folder is written into a sibling temporary folder and renamed into place, so a reader
//! never sees half a report. It is never written over the workspace or its inputs, and an
//! existing folder is replaced only when it holds nothing but an earlier report's files.

use crate::report::text;
use crate::report::{AnalysisReport, RoadmapReport};
use crate::workspace::{Lang, Workspace};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Names of the files a report folder holds, in writing order.
pub const FILES: [&str; 6] = ["index.html", "analysis.json", "roadmap.json", "components.csv", "roadmap.csv", "summary.md"];

/// Byte-order mark that makes spreadsheets read a CSV as UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One file of the report: its name, and how to write it. Files are made as they are
/// written, one at a time, so a national catalog's report never holds all of them in memory
/// (its `analysis.json` alone is half a gigabyte, and it is streamed).
pub struct ReportFile<'a> {
    /// File name inside the folder.
    pub name: &'static str,
    write: Writer<'a>,
}

/// Writes one file's contents.
type Writer<'a> = Box<dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + 'a>;

impl std::fmt::Debug for ReportFile<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportFile").field("name", &self.name).finish_non_exhaustive()
    }
}

/// Why the report folder was not written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder would overwrite the workspace or its inputs.
    #[error("refusing to write the report to `{}`: {reason}; choose a folder outside `procedures/` and `rules/`, e.g. `--out paperwork-report`", out.display())]
    Unsafe {
        /// The requested folder.
        out: PathBuf,
        /// What it would overwrite.
        reason: String,
    },
    /// The folder exists and holds files the report did not write.
    #[error(
        "refusing to replace `{}`: it holds `{entry}`, which is not part of a paperwork report; choose an empty or new folder",
        out.display()
    )]
    NotAReport {
        /// The requested folder.
        out: PathBuf,
        /// The first foreign entry.
        entry: String,
    },
    /// A file-system operation failed.
    #[error("cannot write the report to `{}`: {what}: {source}", out.display())]
    Io {
        /// The requested folder.
        out: PathBuf,
        /// The operation.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Every file of the report, to be made as it is written. `excel` puts a byte-order mark
/// before the CSVs.
pub fn report_files<'a>(ws: &'a Workspace, a: &'a AnalysisReport, r: &'a RoadmapReport, lang: Lang, excel: bool) -> Vec<ReportFile<'a>> {
    let file = |name, write: Writer<'a>| ReportFile { name, write };
    let bom = move |w: &mut dyn std::io::Write| if excel { w.write_all(BOM) } else { Ok(()) };
    vec![
        file("index.html", Box::new(move |w| w.write_all(crate::report::html::index(ws, a, r, lang).as_bytes()))),
        // `write_folder` buffers every file.
        file("analysis.json", Box::new(move |w| a.write_json(w).map(drop))),
        file("roadmap.json", Box::new(move |w| text::write_json(w, r))),
        file("components.csv", Box::new(move |w| bom(w).and_then(|_| w.write_all(text::analysis_csv(a).as_bytes())))),
        file("roadmap.csv", Box::new(move |w| bom(w).and_then(|_| w.write_all(text::roadmap_csv(r).as_bytes())))),
        file(
            "summary.md",
            Box::new(move |w| {
                let summary =
                    text::analysis_text(ws, &crate::report::Overview::of_report(ws, a, crate::report::GroupBy::Sector, lang), lang, true)
                        + "\n"
                        + &text::roadmap_text(ws, r, lang, true, false);
                w.write_all(summary.as_bytes())
            }),
        ),
    ]
}

/// `path` made absolute with `.` and `..` resolved, following symbolic links of the part
/// that exists (the rest need not exist yet).
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let abs = lexical(&std::path::absolute(path)?);
    let mut existing = abs.as_path();
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    // Canonicalize the longest existing ancestor and append the rest, which does not exist yet.
    loop {
        if let Ok(c) = fs::canonicalize(existing) {
            let mut out = c;
            out.extend(rest.iter().rev());
            return Ok(out);
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent;
            }
            _ => return Ok(abs),
        }
    }
}

fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Refuses an output folder that is, or is inside, `procedures` or `rules`, that is the
/// workspace root, or that contains any of them (replacing it would delete the inputs).
pub fn check_out_dir(out: &Path, root: &Path, procedures: &Path, rules: &Path) -> Result<(), OutputError> {
    let io = |what: &str, source| OutputError::Io { out: out.to_path_buf(), what: what.to_string(), source };
    let o = resolve(out).map_err(|e| io("cannot resolve the path", e))?;
    if o.parent().is_none() || o.file_name().is_none() {
        return Err(OutputError::Unsafe { out: out.to_path_buf(), reason: "it is a file-system root".into() });
    }
    let root = resolve(root).map_err(|e| io("cannot resolve the workspace", e))?;
    if o == root {
        return Err(OutputError::Unsafe { out: out.to_path_buf(), reason: "it is the workspace folder itself".into() });
    }
    for (name, input) in [("procedures", procedures), ("rules", rules)] {
        let i = resolve(input).map_err(|e| io("cannot resolve an input folder", e))?;
        if o.starts_with(&i) {
            return Err(OutputError::Unsafe {
                out: out.to_path_buf(),
                reason: format!("it is inside the {name} folder `{}`", input.display()),
            });
        }
        if i.starts_with(&o) {
            return Err(OutputError::Unsafe {
                out: out.to_path_buf(),
                reason: format!("it contains the {name} folder `{}`", input.display()),
            });
        }
    }
    if root.starts_with(&o) {
        return Err(OutputError::Unsafe { out: out.to_path_buf(), reason: "it contains the workspace".into() });
    }
    Ok(())
}

/// Writes `files` as the folder `out`: into `.<name>.tmp-<pid>` beside it, then renamed into
/// place. An existing `out` is replaced only when it holds nothing but report files.
pub fn write_folder(out: &Path, files: &[ReportFile]) -> Result<(), OutputError> {
    let io = |what: String, source| OutputError::Io { out: out.to_path_buf(), what, source };
    let abs = resolve(out).map_err(|e| io("cannot resolve the path".into(), e))?;
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Err(OutputError::Unsafe { out: out.to_path_buf(), reason: "it is a file-system root".into() });
    };
    let name = name.to_string_lossy().into_owned();
    match fs::symlink_metadata(&abs) {
        Ok(m) if !m.is_dir() => {
            return Err(OutputError::NotAReport { out: out.to_path_buf(), entry: format!("{name} (a file, not a folder)") });
        }
        Ok(_) => {
            let entries = fs::read_dir(&abs).map_err(|e| io("cannot list the existing folder".into(), e))?;
            let mut foreign: Vec<String> = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| io("cannot list the existing folder".into(), e))?;
                let n = entry.file_name().to_string_lossy().into_owned();
                let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
                if !(is_file && FILES.contains(&n.as_str())) {
                    foreign.push(n);
                }
            }
            foreign.sort();
            if let Some(entry) = foreign.into_iter().next() {
                return Err(OutputError::NotAReport { out: out.to_path_buf(), entry });
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io("cannot inspect the folder".into(), e)),
    }
    fs::create_dir_all(parent).map_err(|e| io(format!("cannot create `{}`", parent.display()), e))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let _ = fs::remove_dir_all(&tmp);
    let written = (|| -> Result<(), OutputError> {
        fs::create_dir(&tmp).map_err(|e| io(format!("cannot create `{}`", tmp.display()), e))?;
        for f in files {
            let path = tmp.join(f.name);
            let file = fs::File::create(&path).map_err(|e| io(format!("cannot create `{}`", path.display()), e))?;
            let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
            (f.write)(&mut w)
                .and_then(|_| w.into_inner().map_err(|e| e.into_error()))
                .and_then(|file| file.sync_all())
                .map_err(|e| io(format!("cannot write `{}`", path.display()), e))?;
        }
        Ok(())
    })();
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    // Renaming over a non-empty folder is not possible: move the earlier report aside first.
    let had_old = abs.exists();
    if had_old && let Err(e) = fs::rename(&abs, &old) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(io("cannot move the earlier report aside".into(), e));
    }
    if let Err(e) = fs::rename(&tmp, &abs) {
        if had_old {
            let _ = fs::rename(&old, &abs);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(io("cannot move the new report into place".into(), e));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}
