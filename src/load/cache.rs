//! The parse cache: parsed files keyed by content hash and tool version, so a re-run after
//! editing one file of a hundred parses one file.
//!
//! Entries are postcard-encoded model types (with their locations) behind a header. A missing,
//! corrupt or foreign entry is simply a miss: the file is parsed again and the entry rewritten.
//! Every failure to write is ignored: the cache only ever saves time.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

// Bumped when an entry's layout changes: keys include it, so older entries are never read.
const MAGIC: &[u8; 8] = b"PWCACHE3";

/// The largest entry read: the parsed form of the largest file admitted, with room to spare.
const MAX_ENTRY_BYTES: u64 = 2 * super::DEFAULT_MAX_FILE_BYTES;

/// A cache folder.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    used: Mutex<BTreeSet<String>>,
}

impl Cache {
    /// A cache in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Cache { dir: dir.into(), used: Mutex::new(BTreeSet::new()) }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of a file's text: its kind, the tool version and the parser settings' version.
    pub fn key(kind: &str, text: &str) -> String {
        let mut h = blake3::Hasher::new();
        h.update(MAGIC);
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&[0]);
        h.update(kind.as_bytes());
        h.update(&[0]);
        h.update(text.as_bytes());
        h.finalize().to_hex().to_string()
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.bin"))
    }

    /// The cached value, if present and intact. Only a regular file the size of an entry is
    /// read: a cache folder can come with a repository, and an entry that is a link to a device
    /// or a pipe would otherwise be read without end or wait for ever.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let path = self.path(key);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_ENTRY_BYTES {
            return None;
        }
        let bytes = crate::files::read_capped(&path, MAX_ENTRY_BYTES).ok()??;
        let body = bytes.strip_prefix(MAGIC.as_slice())?;
        let (hash, payload) = body.split_at_checked(32)?;
        // The hash of the key and the payload guards against truncated or altered entries, and
        // against an entry copied under another file's key: it belongs to this key alone.
        if seal(key, payload).as_bytes() != hash {
            return None;
        }
        let value = postcard::from_bytes(payload).ok()?;
        self.used.lock().expect("cache lock").insert(key.to_string());
        Some(value)
    }

    /// Stores a value; failures are ignored.
    pub fn put<T: Serialize>(&self, key: &str, value: &T) {
        let Ok(payload) = postcard::to_allocvec(value) else { return };
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let mut bytes = Vec::with_capacity(payload.len() + 40);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(seal(key, &payload).as_bytes());
        bytes.extend_from_slice(&payload);
        let tmp = self.dir.join(format!(".{key}.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, &bytes).is_ok() && std::fs::rename(&tmp, self.path(key)).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        self.used.lock().expect("cache lock").insert(key.to_string());
    }

    /// Removes entries this run did not use (for a cache that belongs to one workspace). Only
    /// what the cache wrote is removed: files named by a key that start with its header, in a
    /// folder that is not a link (which could point anywhere).
    pub fn prune(&self) {
        if std::fs::symlink_metadata(&self.dir).map_or(true, |m| !m.is_dir()) {
            return;
        }
        let used = self.used.lock().expect("cache lock");
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let Some(key) = name.strip_suffix(".bin") else { continue };
            let is_key = key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit());
            if is_key && !used.contains(key) && e.file_type().is_ok_and(|t| t.is_file()) && written_here(&e.path()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// The check stored with an entry: the hash of its key and its payload.
fn seal(key: &str, payload: &[u8]) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    h.update(key.as_bytes());
    h.update(&[0]);
    h.update(payload);
    h.finalize()
}

/// Whether a file starts with the cache's header.
fn written_here(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && &head == MAGIC
}
