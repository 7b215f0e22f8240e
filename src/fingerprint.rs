//! Fingerprints: what an output is made from, hashed, and the record of what was written.
//!
//! A run hashes once what every document shares (gongwen's version, the style library, the fonts
//! and the project's assets); each document's fingerprint adds its own source and date. The
//! [`Recorder`] keeps a workbook's manifest entry up to date as its letters are written.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::model::Document;
use crate::output::{self, Manifest};

/// A hash of `parts`, each length-prefixed so that no two lists of parts hash alike.
pub(crate) fn hash(parts: &[&[u8]]) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().to_hex().to_string()
}

/// Hash of the files in `templates/` that templates may read (a seal image…).
pub(crate) fn assets_fingerprint(dir: Option<&Path>) -> String {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    if let Some(dir) = dir
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in files {
            parts.push(
                f.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .as_bytes()
                    .to_vec(),
            );
            parts.push(std::fs::read(&f).unwrap_or_default());
        }
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    hash(&refs)
}

/// The fingerprint of one document: what every document shares (`document_env`), its date and
/// the Typst source its template rendered.
pub(crate) fn document(document_env: &str, source: &str, doc: &Document) -> String {
    hash(&[
        document_env.as_bytes(),
        crate::date::format(doc.info.date).as_bytes(),
        source.as_bytes(),
    ])
}

/// Keeps a workbook's manifest entry up to date as its letters are written, saving it now and
/// then, so that a build killed midway keeps what it finished.
pub(crate) struct Recorder<'a> {
    pub(crate) manifest: &'a Mutex<Manifest>,
    pub(crate) workbook: String,
    pub(crate) env: String,
    pub(crate) saved: Mutex<std::time::Instant>,
}

impl Recorder<'_> {
    /// Records that each path was written from its fingerprint. The entry's input stays unknown
    /// until the whole workbook is done, so the quick skip never trusts a half-done entry.
    /// Outputs written together (a letter's PDF and DOCX) are recorded in one go, so that a
    /// build killed between them never records one without the other.
    pub(crate) fn outputs(&self, written: &[(&Path, &str)]) {
        let mut m = self.manifest.lock().expect("the manifest lock");
        let entry = m.entry_mut(&self.workbook);
        entry.input.clear();
        entry.env.clone_from(&self.env);
        for (path, fingerprint) in written {
            entry
                .outputs
                .insert(output::key(path), fingerprint.to_string());
        }
        let mut saved = self.saved.lock().expect("the save time");
        if saved.elapsed() >= std::time::Duration::from_millis(200) {
            let _ = m.save();
            *saved = std::time::Instant::now();
        }
    }
}
