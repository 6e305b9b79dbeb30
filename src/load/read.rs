//! Finding and reading a workspace's files: discovery in sorted path order, the size caps, and
//! UTF-8 decoding, each problem a located diagnostic.

use super::LoadOptions;
use crate::diag::{Code, Diagnostic, Location};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One file's display path and, when it could be read, its text.
pub(super) struct SourceFile {
    pub(super) display: String,
    pub(super) text: Option<String>,
}

/// Finds the YAML files below `dir`, sorted by path; loops and unreadable entries are diagnosed.
pub(super) fn discover(dir: &Path, root: &Path, diags: &mut Vec<Diagnostic>, what: &str) -> Vec<PathBuf> {
    if !dir.is_dir() {
        diags.push(
            Diagnostic::new(
                Code::MissingFolder,
                format!("the workspace has no `{what}/` folder at `{}`", dir.display()),
                Some(Location::file(display_path(dir, root))),
            )
            .help(format!("run from a workspace folder, pass `-C DIR`, or point `--{what} DIR` at the folder holding the {what} files")),
        );
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) if matches!(e.path().extension().and_then(|x| x.to_str()), Some("yaml" | "yml")) => {
                if e.file_type().is_file() {
                    files.push(e.path().to_path_buf());
                } else if !e.file_type().is_dir() {
                    // Never opened: reading a FIFO waits for a writer, a device never ends.
                    let path = display_path(e.path(), root);
                    diags.push(
                        Diagnostic::new(
                            Code::Io,
                            format!("`{path}` is not a regular file (a pipe, a device or a socket)"),
                            Some(Location::file(path)),
                        )
                        .help("replace it with a YAML file, or move it out of the workspace"),
                    );
                }
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(|p| display_path(p, root)).unwrap_or_else(|| display_path(dir, root));
                let (message, help) = if err.loop_ancestor().is_some() {
                    (format!("symbolic link loop at `{path}`"), "remove the link that points back to its own folder")
                } else {
                    (format!("cannot read `{path}`: {err}"), "check the path exists and is readable")
                };
                diags.push(Diagnostic::new(Code::Io, message, Some(Location::file(path))).help(help));
            }
        }
    }
    files.sort();
    files
}

pub(super) fn display_path(p: &Path, root: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// A file to read, by its display path; `None` when it must not be read (a diagnostic says why).
pub(super) type Admitted<'a> = (String, Option<&'a PathBuf>);

/// Checks files against the caps, in path order so that the same file trips the total cap on
/// every run; oversized files are diagnosed without being read.
pub(super) fn admit<'a>(paths: &'a [PathBuf], opts: &LoadOptions, total: &mut u64, diags: &mut Vec<Diagnostic>) -> Vec<Admitted<'a>> {
    paths
        .iter()
        .map(|p| {
            let display = display_path(p, &opts.root);
            let size = match std::fs::metadata(p) {
                Ok(m) => m.len(),
                Err(e) => {
                    diags.push(Diagnostic::new(Code::Io, format!("cannot read `{display}`: {e}"), Some(Location::file(&display))));
                    return (display, None);
                }
            };
            if size > opts.max_file_bytes {
                diags.push(
                    Diagnostic::new(
                        Code::FileTooLarge,
                        format!("`{display}` is {} MiB, over the {} MiB cap for one file", size >> 20, opts.max_file_bytes >> 20),
                        Some(Location::file(&display)),
                    )
                    .help("split the catalog into several files (any number of files may sit in nested folders)"),
                );
                return (display, None);
            }
            *total += size;
            if *total > opts.max_total_bytes {
                diags.push(
                    Diagnostic::new(
                        Code::FileTooLarge,
                        format!("the workspace exceeds the {} MiB cap for all files together at `{display}`", opts.max_total_bytes >> 20),
                        Some(Location::file(&display)),
                    )
                    .help("analyse the catalog in parts with `--procedures DIR`"),
                );
                return (display, None);
            }
            (display, Some(p))
        })
        .collect()
}

/// Reads and UTF-8 checks one admitted file.
pub(super) fn read_source((display, p): Admitted<'_>, cap: u64) -> (SourceFile, Option<Diagnostic>) {
    let Some(p) = p else { return (SourceFile { display, text: None }, None) };
    match crate::files::read_capped(p, cap) {
        Ok(None) => {
            // Its size on disk said otherwise: a file whose content is made as it is read.
            let d = Diagnostic::new(
                Code::FileTooLarge,
                format!("`{display}` holds more than the {} MiB cap for one file", cap >> 20),
                Some(Location::file(&display)),
            )
            .help("point the workspace at ordinary YAML files; split a catalog that large into several");
            (SourceFile { display, text: None }, Some(d))
        }
        Ok(Some(bytes)) => match decode(bytes, &display) {
            Ok(text) => (SourceFile { display, text: Some(text) }, None),
            Err(d) => (SourceFile { display, text: None }, Some(d)),
        },
        Err(e) => {
            let d = Diagnostic::new(Code::Io, format!("cannot read `{display}`: {e}"), Some(Location::file(&display)));
            (SourceFile { display, text: None }, Some(d))
        }
    }
}

/// Reads admitted files in parallel, results kept in path order.
pub(super) fn read_files(admitted: Vec<Admitted<'_>>, cap: u64, diags: &mut Vec<Diagnostic>) -> Vec<SourceFile> {
    let read: Vec<(SourceFile, Option<Diagnostic>)> = admitted.into_par_iter().map(|f| read_source(f, cap)).collect();
    read.into_iter()
        .map(|(file, d)| {
            diags.extend(d);
            file
        })
        .collect()
}

/// Bytes → text, naming the first byte that is not UTF-8.
pub(super) fn decode(mut bytes: Vec<u8>, display: &str) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let before = &bytes[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        Diagnostic::new(
            Code::NotUtf8,
            format!("byte 0x{:02X} at byte offset {at} is not UTF-8", bytes[at]),
            Some(Location::at(display, line as u64, column as u64).with_span(u32::try_from(at).unwrap_or(u32::MAX), 1)),
        )
        .help("save the file as UTF-8 (Vietnamese text in legacy encodings such as TCVN3 or VNI must be converted)")
    })
}
