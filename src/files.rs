//! Writing output safely: never over the inputs, and whole or not at all.
//!
//! `import`, `export` and `report` write where the user points them. Each output is first
//! checked against the workspace's inputs (a path resolved through `..` and symbolic links
//! cannot sneak into `procedures/`), then written beside its place and renamed into it, so a
//! reader never sees half a file or half a report.

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

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

/// An output file that would overwrite an input.
#[derive(Debug, thiserror::Error)]
#[error("refusing to write `{}`: {reason}", out.display())]
pub struct UnsafeFile {
    /// The requested file.
    pub out: PathBuf,
    /// What it would overwrite.
    pub reason: String,
}

/// Refuses an output file that is one of `inputs`, or lies inside one of `folders` (named).
pub fn refuse_unsafe_out(out: &Path, inputs: &[&Path], folders: &[(&str, &Path)]) -> Result<(), UnsafeFile> {
    let resolved = |p: &Path| resolve(p).unwrap_or_else(|_| p.to_path_buf());
    let o = resolved(out);
    let refuse = |reason: String| Err(UnsafeFile { out: out.to_path_buf(), reason });
    if o.is_dir() {
        return refuse("it is a folder".into());
    }
    for input in inputs {
        if resolved(input) == o {
            return refuse("it is the input file".into());
        }
    }
    for (name, folder) in folders {
        if o.starts_with(resolved(folder)) {
            return refuse(format!("it is inside the {name} folder `{}`", folder.display()));
        }
    }
    Ok(())
}

/// Writes `bytes` to `out` whole or not at all: into a temporary file beside it, then moved
/// into place. Without `replace`, an existing `out` is left alone (error `AlreadyExists`).
pub fn write_file(out: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    let name = out.file_name().ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file"))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let tmp = parent.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
    let written = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    let placed = if replace {
        fs::rename(&tmp, out)
    } else {
        // A hard link never replaces an existing file, so a file made meanwhile is not lost.
        match fs::hard_link(&tmp, out) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            Err(_) if out.exists() => Err(std::io::ErrorKind::AlreadyExists.into()),
            Err(_) => fs::rename(&tmp, out),
        }
    };
    let _ = fs::remove_file(&tmp);
    placed
}

/// One file of a folder: its name, and how to write it. Files are made as they are written,
/// one at a time, so a national catalog's report never holds all of them in memory (its
/// `analysis.json` alone is half a gigabyte, and it is streamed).
pub struct FolderFile<'a> {
    /// File name inside the folder.
    pub name: &'static str,
    write: Writer<'a>,
}

/// Writes one file's contents.
pub type Writer<'a> = Box<dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + 'a>;

impl<'a> FolderFile<'a> {
    /// The file `name`, made by `write` when the folder is written.
    pub fn new(name: &'static str, write: Writer<'a>) -> Self {
        FolderFile { name, write }
    }
}

impl std::fmt::Debug for FolderFile<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FolderFile").field("name", &self.name).finish_non_exhaustive()
    }
}

/// Why an output folder was not written. The messages name the report, the only folder
/// paperwork writes.
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
/// place. An existing `out` is replaced only when it holds nothing but files named in `files`
/// (an earlier run's output).
pub fn write_folder(out: &Path, files: &[FolderFile]) -> Result<(), OutputError> {
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
            let entries = match fs::read_dir(&abs) {
                // Another run moved the earlier report aside meanwhile: nothing is left to check.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                r => r.map_err(|e| io("cannot list the existing folder".into(), e))?.collect(),
            };
            let mut foreign: Vec<String> = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| io("cannot list the existing folder".into(), e))?;
                let n = entry.file_name().to_string_lossy().into_owned();
                let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
                if !(is_file && files.iter().any(|f| f.name == n)) {
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
    remove_leftovers(parent, &name);
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
    swap_into_place(&tmp, &abs, &old).map_err(|e| io("cannot move the new report into place".into(), e))
}

/// Moves the folder `tmp` to `abs`, replacing what is there: the earlier folder is moved aside
/// to `old` first (a folder cannot be renamed over a non-empty one) and removed once the new
/// one stands. Another run may put its own folder in place in between: then the move is tried
/// again, so that concurrent runs each end with one whole folder in place and none left over.
fn swap_into_place(tmp: &Path, abs: &Path, old: &Path) -> std::io::Result<()> {
    let mut last = None;
    for _ in 0..64 {
        if fs::symlink_metadata(abs).is_ok() {
            match fs::rename(abs, old) {
                Ok(()) => {}
                // Another run moved it aside first.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    let _ = fs::remove_dir_all(tmp);
                    return Err(e);
                }
            }
        }
        match fs::rename(tmp, abs) {
            Ok(()) => {
                let _ = fs::remove_dir_all(old);
                return Ok(());
            }
            // Another run's folder took the place meanwhile: move that one aside too.
            Err(e) if matches!(e.kind(), std::io::ErrorKind::DirectoryNotEmpty | std::io::ErrorKind::AlreadyExists) => {
                let _ = fs::remove_dir_all(old);
                last = Some(e);
            }
            // Anything else: the earlier folder goes back in place, untouched.
            Err(e) => {
                let _ = fs::rename(old, abs);
                let _ = fs::remove_dir_all(tmp);
                return Err(e);
            }
        }
    }
    let _ = fs::remove_dir_all(tmp);
    Err(last.unwrap_or_else(|| std::io::Error::other("the folder kept being replaced by other runs")))
}

/// Removes what runs that were killed left beside `name` in `parent`: `.<name>.tmp-<pid>` and
/// `.<name>.old-<pid>` folders whose process no longer runs. Where it cannot be told whether a
/// process runs (no `/proc`), nothing is removed.
fn remove_leftovers(parent: &Path, name: &str) {
    let proc_root = Path::new("/proc/self");
    if !proc_root.exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let pid = [".tmp-", ".old-"].iter().find_map(|kind| file.strip_prefix(&format!(".{name}{kind}")));
        if let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok())
            && pid != std::process::id()
            && !Path::new("/proc").join(pid.to_string()).exists()
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// A file's bytes, reading at most `cap` of them: `None` when there are more. What is read is
/// capped, not what the file system reports, which for some files is 0.
pub fn read_capped(p: &Path, cap: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(p)?.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

/// Writes a folder of `files` (paths relative to it) at `out`, whole or not at all: into a
/// hidden folder beside it, then renamed into place. An existing `out` is replaced only with
/// `replace`; the old one is moved aside first and removed once the new one stands. `check`
/// reads the written folder before it is put in place; its error leaves nothing behind.
pub fn write_tree(
    out: &Path,
    files: &[(PathBuf, Vec<u8>)],
    replace: bool,
    check: &dyn Fn(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let abs = resolve(out)?;
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Err(std::io::Error::other("it is a file-system root"));
    };
    let exists = fs::symlink_metadata(&abs).is_ok();
    if exists && !replace {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    if exists && !abs.is_dir() {
        return Err(std::io::Error::other("it is a file, not a folder"));
    }
    fs::create_dir_all(parent)?;
    let name = name.to_string_lossy();
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    remove_leftovers(parent, &name);
    let _ = fs::remove_dir_all(&tmp);
    let written = (|| -> std::io::Result<()> {
        for (rel, bytes) in files {
            if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
                return Err(std::io::Error::other(format!("`{}` is not a path inside the folder", rel.display())));
            }
            let path = tmp.join(rel);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)?;
            }
            let mut f = fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        check(&tmp)
    })();
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    swap_into_place(&tmp, &abs, &old)
}
