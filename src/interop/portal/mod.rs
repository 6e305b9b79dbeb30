//! The National Public Service Portal's procedure records (dichvucong.gov.vn) into a
//! workspace: [`record`] reads the records, [`dossier`] splits a record's flattened dossier
//! table into rows, [`recognize`] finds each row's document among the workspace's, [`build`]
//! makes the procedures and what the rules lack, and [`write`] gives the files.

pub mod build;
pub mod dossier;
pub mod recognize;
pub mod record;
pub mod volumes;
pub mod write;

pub use build::{Imported, Summary};

use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

/// Reads the records under `paths` and builds their procedures against `ws`'s rules.
pub fn import(ws: &Workspace, paths: &[PathBuf], volumes: &volumes::Volumes) -> Imported {
    let read = record::read(paths);
    build::build(ws, read.records, read.warnings, volumes)
}

/// The first line of a procedures file an import writes: an import replaces the files an
/// earlier one wrote, and does not copy them.
pub const HEADER: &str = "# Imported by `paperwork import --from portal`";

/// Why the files of an import could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// A workspace file could not be read.
    #[error("cannot read `{0}`: {1}")]
    Read(String, std::io::Error),
    /// A procedure to replace is written in a way the import cannot cut out.
    #[error(
        "procedure `{0}` of `{1}` is replaced by the record of the same code, but it is not a block list item the import can remove; remove it there and import again"
    )]
    Unremovable(String, String),
}

/// The files of the workspace an import writes, relative to its folder:
/// - the workspace's rules files, but a previous import's `imported.yaml`, and
///   `rules/imported.yaml` with what the rules lacked;
/// - the workspace's procedures files, but those a previous import wrote, less the procedures
///   whose code a record has (the record's dossier wins), and `procedures/portal/<group>.yaml`
///   with the imported procedures of each input folder or file;
/// - `import-report.csv`.
///
/// `sources` names the inputs for the files' header comments.
pub fn files(i: &Imported, ws: &Workspace, rules: &Path, procedures: &Path, sources: &str) -> Result<Vec<(PathBuf, Vec<u8>)>, FilesError> {
    let mut out = Vec::new();
    for (rel, bytes) in yaml_files(rules)? {
        if !build::from_previous_import(&rel.to_string_lossy()) {
            out.push((Path::new("rules").join(rel), bytes));
        }
    }
    out.push((Path::new("rules").join(build::IMPORTED_RULES), write::imported_rules_yaml(i).into_bytes()));
    let replaced = replaced_lines(i, ws, procedures);
    for (rel, bytes) in yaml_files(procedures)? {
        if bytes.starts_with(HEADER.as_bytes()) {
            continue;
        }
        let bytes = match replaced.get(&rel) {
            None => bytes,
            Some(items) => {
                let text = String::from_utf8_lossy(&bytes);
                let file = rel.display().to_string();
                remove_items(&text, items).map_err(|id| FilesError::Unremovable(id, file))?.into_bytes()
            }
        };
        out.push((Path::new("procedures").join(rel), bytes));
    }
    for (name, procs) in &i.files {
        let file = format!("{}.yaml", if name.is_empty() { "portal" } else { name });
        out.push((Path::new("procedures/portal").join(file), write::procedures_yaml(sources, procs, &i.bases).into_bytes()));
    }
    out.push((PathBuf::from("import-report.csv"), write::report_csv(&i.rows)));
    Ok(out)
}

/// The `.yaml`/`.yml` files under `dir`, relative to it, in sorted path order.
fn yaml_files(dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, FilesError> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| FilesError::Read(dir.display().to_string(), std::io::Error::other(e)))?;
        let p = entry.path();
        if !entry.file_type().is_file() || !p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            continue;
        }
        let read = |e| FilesError::Read(p.display().to_string(), e);
        let bytes = crate::files::read_capped(p, crate::load::DEFAULT_MAX_FILE_BYTES)
            .map_err(read)?
            .ok_or_else(|| read(std::io::Error::other("it is larger than the file cap")))?;
        out.push((p.strip_prefix(dir).unwrap_or(p).to_path_buf(), bytes));
    }
    Ok(out)
}

/// By procedures file (relative to `procedures`), the procedures a record replaces: their ids
/// and the lines their ids stand on.
fn replaced_lines(i: &Imported, ws: &Workspace, procedures: &Path) -> std::collections::BTreeMap<PathBuf, Vec<(String, u32)>> {
    let mut out: std::collections::BTreeMap<PathBuf, Vec<(String, u32)>> = Default::default();
    for p in i.files.values().flatten() {
        let Some(old) = ws.proc_ids.get(&p.id).map(|k| &ws.procedures[k]) else { continue };
        let file = ws.root.join(&old.at.file);
        let (Ok(file), Ok(dir)) = (crate::files::resolve(&file), crate::files::resolve(procedures)) else { continue };
        if let Ok(rel) = file.strip_prefix(&dir) {
            out.entry(rel.to_path_buf()).or_default().push((p.id.clone(), old.at.line));
        }
    }
    out
}

/// `text` without the block-list items whose id stands on the given lines: from the item's
/// `-` to the next line indented no deeper than it. Err names an item written otherwise.
fn remove_items(text: &str, items: &[(String, u32)]) -> Result<String, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut drop = vec![false; lines.len()];
    for (id, line) in items {
        let at = (*line as usize).checked_sub(1).filter(|&k| k < lines.len()).ok_or_else(|| id.clone())?;
        let id_col = lines[at].find("id").ok_or_else(|| id.clone())?;
        let start = (0..=at)
            .rev()
            .find(|&k| lines[k].trim_start().starts_with("- ") && indent(lines[k]) < id_col.max(1))
            .ok_or_else(|| id.clone())?;
        let dash = indent(lines[start]);
        let blank_or_deeper = |l: &str| l.trim().is_empty() || indent(l) > dash;
        let end = (start + 1..lines.len()).find(|&k| !blank_or_deeper(lines[k])).unwrap_or(lines.len());
        drop[start..end].iter_mut().for_each(|d| *d = true);
    }
    let kept: String = lines.iter().zip(&drop).filter(|(_, d)| !**d).map(|(l, _)| *l).collect();
    // A list left empty would read as `procedures: null`.
    let has_item = kept.lines().any(|l| l.trim_start().starts_with("- "));
    Ok(if has_item {
        kept
    } else {
        format!(
            "{}procedures: []\n",
            kept.lines().filter(|l| l.trim_start().starts_with('#')).map(|l| format!("{l}\n")).collect::<String>()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_procedure_is_cut_out_with_its_lines() {
        let text = "procedures:\n  - id: \"1\"   # first\n    name: A\n    # about A\n    documents: []\n\n  # B comes next\n  - id: \"2\"\n    name: B\n";
        let kept = remove_items(text, &[("1".into(), 2)]).unwrap();
        assert_eq!(kept, "procedures:\n  # B comes next\n  - id: \"2\"\n    name: B\n");
        let none = remove_items(&kept, &[("2".into(), 3)]).unwrap();
        // Comments stay: they may describe the file.
        assert_eq!(none, "  # B comes next\nprocedures: []\n");
        assert_eq!(remove_items("procedures: [{ id: x }]\n", &[("x".into(), 1)]), Err("x".into()));
    }
}
