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

const MAGIC: &[u8; 8] = b"PWCACHE1";

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

    /// The cached value, if present and intact.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        let body = bytes.strip_prefix(MAGIC.as_slice())?;
        let (hash, payload) = body.split_at_checked(32)?;
        // The payload's own hash guards against truncated or altered entries.
        if blake3::hash(payload).as_bytes() != hash {
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
        bytes.extend_from_slice(blake3::hash(&payload).as_bytes());
        bytes.extend_from_slice(&payload);
        let tmp = self.dir.join(format!(".{key}.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, &bytes).is_ok() && std::fs::rename(&tmp, self.path(key)).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        self.used.lock().expect("cache lock").insert(key.to_string());
    }

    /// Removes entries this run did not use (for a cache that belongs to one workspace).
    pub fn prune(&self) {
        let used = self.used.lock().expect("cache lock");
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if let Some(key) = name.strip_suffix(".bin")
                && !used.contains(key)
            {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}
