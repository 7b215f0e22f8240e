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

/// Temporary files start with this, so that those a killed build left behind are recognised.
pub const TEMP_PREFIX: &str = ".gongwen-";

/// A temporary file in `dir`, named with [`TEMP_PREFIX`] and locked while it is open, so that
/// [`remove_leftovers`] tells one being written (by this process or another) from one left behind.
fn temp_in(dir: &Path) -> anyhow::Result<NamedTempFile> {
    let tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .with_context(|| format!("无法在 {} 中写临时文件", dir.display()))?;
    // Where locks are not supported the file is only unprotected from a sweep that cannot
    // lock it either, and so leaves it alone.
    let _ = tmp.as_file().try_lock();
    Ok(tmp)
}

/// Writes `path` through `write` into a temporary file renamed into place once complete, so a
/// reader never sees it half written; nothing is kept in memory.
///
/// # Errors
/// When `write` fails or the file cannot be written.
pub fn write_streaming(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建文件夹 {}", dir.display()))?;
    let tmp = temp_in(dir)?;
    let mut w = std::io::BufWriter::new(tmp);
    write(&mut w)?;
    let tmp = w
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("无法写入 {}", path.display()))?;
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("无法写入 {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .with_context(|| format!("无法保存 {}（文件是否正被其他程序打开？）", path.display()))?;
    Ok(())
}

/// Removes temporary files a killed build left under `dir`.
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let path = e.path();
        if path.is_dir() {
            remove_leftovers(&path);
        } else if e.file_name().to_string_lossy().starts_with(TEMP_PREFIX) && abandoned(&path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Whether no one holds the temporary file at `path`: its writer was killed. A file being
/// written (an upload saving a replaced workbook while a build starts) is locked by its writer.
fn abandoned(path: &Path) -> bool {
    std::fs::File::open(path).is_ok_and(|f| f.try_lock().is_ok())
}

/// A build's hold on a project: while it lives, another build in the same project is refused.
/// The operating system releases it when the process ends, however it ends.
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
}

/// Takes the project's build lock (`output/.gongwen/lock`).
///
/// # Errors
/// When another build holds it, or it cannot be made.
pub fn lock(output_dir: &Path) -> anyhow::Result<Lock> {
    let dir = output_dir.join(".gongwen");
    std::fs::create_dir_all(&dir).with_context(|| format!("无法创建文件夹 {}", dir.display()))?;
    let path = dir.join("lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("无法打开 {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Lock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "这个项目中已有另一个 gongwen 正在生成（{}）\n  处理办法：请等它结束后再运行；同一个项目同一时间只能有一次生成（build 或 watch 的重新生成）在进行",
            path.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("无法锁定 {}", path.display()))
        }
    }
}

/// Writes all `files` so that either every one is replaced or none is.
///
/// # Errors
/// When a file cannot be written; files already renamed stay replaced, the rest are untouched.
pub fn write_all_atomically(files: &[(PathBuf, &[u8])]) -> anyhow::Result<()> {
    let staged = files
        .iter()
        .map(|(path, bytes)| Ok((stage(path, bytes, true)?, path)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    for (tmp, path) in staged {
        tmp.persist(path).with_context(|| {
            format!("无法保存 {}（文件是否正被其他程序打开？）", path.display())
        })?;
    }
    Ok(())
}

/// Writes a file of gongwen's own cache (under `output/.gongwen/`) atomically, without waiting
/// for the disk: one lost to a power cut is found unreadable and made again.
///
/// # Errors
/// When the file cannot be written.
pub fn write_cache(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    stage(path, bytes, false)?
        .persist(path)
        .with_context(|| format!("无法保存 {}", path.display()))?;
    Ok(())
}

/// `bytes` in a temporary file next to `path`, on the disk when `durable`, ready to rename.
fn stage(path: &Path, bytes: &[u8], durable: bool) -> anyhow::Result<NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建文件夹 {}", dir.display()))?;
    let mut tmp = temp_in(dir)?;
    tmp.write_all(bytes)
        .and_then(|()| {
            if durable {
                tmp.as_file().sync_all()
            } else {
                Ok(())
            }
        })
        .with_context(|| format!("无法写入 {}", path.display()))?;
    // Temporary files are created private (0600); outputs are ordinary files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    Ok(tmp)
}

/// Writes a new file at `path` (its folder made when needed); an existing file is never replaced.
///
/// # Errors
/// When the file exists or cannot be written.
pub fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if path.exists() {
        anyhow::bail!(
            "{} 已经存在，没有覆盖它\n  处理办法：请另写一个文件名，例如 gongwen new <文种> input/新文件.xlsx",
            path.display()
        );
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建文件夹 {}", dir.display()))?;
    let mut tmp = NamedTempFile::new_in(dir)
        .with_context(|| format!("无法在 {} 中写临时文件", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("无法写入 {}", path.display()))?;
    // `persist_noclobber` fails rather than replace a file that appeared meanwhile.
    tmp.persist_noclobber(path)
        .map_err(|e| e.error)
        .with_context(|| format!("无法保存 {}（文件已存在或没有写入权限）", path.display()))?;
    Ok(())
}

/// What one workbook's outputs were last built from.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Hash of the workbook's bytes.
    pub input: String,
    /// Hash of everything else a build reads: templates, style library, fonts, project assets,
    /// gongwen's version.
    pub env: String,
    /// Each output (path under `output/`, with `/`) and the fingerprint of what it was made from.
    pub outputs: BTreeMap<String, String>,
}

/// The record of every output built, by workbook: `output/.gongwen/manifest.json`.
#[derive(Debug, Default)]
pub struct Manifest {
    path: PathBuf,
    entries: BTreeMap<String, Entry>,
}

impl Manifest {
    /// Records a workbook's build and saves the manifest, after removing the outputs (under
    /// `out`) of the previous build that this one no longer makes.
    pub(crate) fn record_built(
        &mut self,
        display: &str,
        out: &Path,
        previous: Option<&Entry>,
        entry: Entry,
    ) -> anyhow::Result<()> {
        let stale: Vec<PathBuf> = previous
            .iter()
            .flat_map(|p| p.outputs.keys())
            .filter(|k| !entry.outputs.contains_key(*k))
            .filter_map(|k| from_key(k))
            .collect();
        for p in stale {
            let _ = std::fs::remove_file(out.join(p));
        }
        self.record(display, entry);
        self.save()
    }

    /// Reads the manifest of `output_dir` (empty when there is none or it is unreadable, so that
    /// everything is rebuilt).
    pub fn load(output_dir: &Path) -> Manifest {
        let path = output_dir.join(".gongwen").join("manifest.json");
        let entries = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Manifest { path, entries }
    }

    /// What `workbook` was last built into.
    pub fn entry(&self, workbook: &str) -> Option<&Entry> {
        self.entries.get(workbook)
    }

    /// What `workbook` was built into, to change in place (empty when it is new).
    pub fn entry_mut(&mut self, workbook: &str) -> &mut Entry {
        self.entries.entry(workbook.to_string()).or_default()
    }

    /// Records what `workbook` was built into.
    pub fn record(&mut self, workbook: &str, entry: Entry) {
        self.entries.insert(workbook.to_string(), entry);
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

/// An output's path under `output/` as the manifest keys it (`/` between folders).
pub fn key(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The path under `output/` a manifest key names, when it is a plain relative path (a manifest
/// edited by hand cannot make gongwen touch anything outside `output/`).
pub fn from_key(key: &str) -> Option<PathBuf> {
    let p = PathBuf::from(key);
    p.components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
        .then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sweep_removes_abandoned_temporary_files_and_spares_those_being_written() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join(".gongwen").join("replaced");
        std::fs::create_dir_all(&nested).unwrap();
        // Left by a killed writer: nobody holds it.
        let abandoned = nested.join(format!("{TEMP_PREFIX}killed"));
        std::fs::write(&abandoned, b"half").unwrap();
        // Being written right now (by another thread of this process, say).
        let mut open = temp_in(&nested).unwrap();
        open.write_all(b"being written").unwrap();
        // Not a temporary file of ours.
        let kept = nested.join("20261202-180000-整改台账.xlsx");
        std::fs::write(&kept, b"kept").unwrap();

        remove_leftovers(dir.path());

        assert!(!abandoned.exists(), "the abandoned file is removed");
        assert!(open.path().exists(), "the file being written is left alone");
        assert!(kept.exists());
        let target = nested.join("saved.xlsx");
        open.persist(&target).unwrap();
        assert_eq!(std::fs::read(target).unwrap(), b"being written");
    }
}
