//! Output: atomic writes under `output/` and the record of what was built from what.
//!
//! Files are written to a temporary file in the same folder and renamed into place, so a reader
//! never sees a half-written PDF, and a failed job leaves the previous outputs untouched. The
//! manifest (`output/.gongwen/manifest.json`) maps each workbook to the fingerprint of everything
//! its outputs depend on, so unchanged documents are not rebuilt.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use tempfile::NamedTempFile;

/// Writes all `files` so that either every one is replaced or none is.
///
/// # Errors
/// When a file cannot be written; files already renamed stay replaced, the rest are untouched.
pub fn write_all_atomically(files: &[(PathBuf, &[u8])]) -> anyhow::Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .with_context(|| format!("无法创建文件夹 {}", dir.display()))?;
        let mut tmp = NamedTempFile::new_in(dir)
            .with_context(|| format!("无法在 {} 中写临时文件", dir.display()))?;
        tmp.write_all(bytes)
            .and_then(|()| tmp.as_file().sync_all())
            .with_context(|| format!("无法写入 {}", path.display()))?;
        // Temporary files are created private (0600); outputs are ordinary files.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let _ = tmp
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644));
        }
        staged.push((tmp, path));
    }
    for (tmp, path) in staged {
        tmp.persist(path).with_context(|| {
            format!("无法保存 {}（文件是否正被其他程序打开？）", path.display())
        })?;
    }
    Ok(())
}

/// What each workbook's outputs were last built from.
#[derive(Debug, Default)]
pub struct Manifest {
    path: PathBuf,
    entries: BTreeMap<String, String>,
}

impl Manifest {
    /// Reads the manifest of `output_dir` (empty when there is none or it is unreadable).
    pub fn load(output_dir: &Path) -> Manifest {
        let path = output_dir.join(".gongwen").join("manifest.json");
        let entries = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Manifest { path, entries }
    }

    /// Whether `key` was last built from `fingerprint`.
    pub fn is_current(&self, key: &str, fingerprint: &str) -> bool {
        self.entries.get(key).is_some_and(|f| f == fingerprint)
    }

    /// Records that `key` was built from `fingerprint`.
    pub fn record(&mut self, key: &str, fingerprint: &str) {
        self.entries
            .insert(key.to_string(), fingerprint.to_string());
    }

    /// Forgets `key` (its outputs are stale or missing).
    pub fn forget(&mut self, key: &str) {
        self.entries.remove(key);
    }

    /// Saves the manifest atomically.
    ///
    /// # Errors
    /// When it cannot be written.
    pub fn save(&self) -> anyhow::Result<()> {
        let json = serde_json::to_vec_pretty(&self.entries)?;
        write_all_atomically(&[(self.path.clone(), &json)])
    }
}
