//! Project: the folder a clerk works in (`input/`, `templates/`, `fonts/`, `output/`).

use std::path::{Path, PathBuf};

/// Workbook file endings gongwen reads.
pub const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// The seal image a project may provide, in its `templates/` folder. The file is the project's
/// choice; a cell only says whether the document is sealed, never which file to read.
pub(crate) const SEAL_IMAGE: &str = "印章.png";

/// A project folder.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project folder.
    pub root: PathBuf,
}

impl Project {
    /// The project rooted at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Project {
        Project { root: root.into() }
    }

    /// `input/`
    pub fn input_dir(&self) -> PathBuf {
        self.root.join("input")
    }

    /// `output/`
    pub fn output_dir(&self) -> PathBuf {
        self.root.join("output")
    }

    /// `templates/`, when the project has one.
    pub fn templates_dir(&self) -> Option<PathBuf> {
        Some(self.root.join("templates")).filter(|d| d.is_dir())
    }

    /// `fonts/`, when the project has one.
    pub fn fonts_dir(&self) -> Option<PathBuf> {
        Some(self.root.join("fonts")).filter(|d| d.is_dir())
    }

    /// The seal image, when the project has one.
    pub(crate) fn seal_image(&self) -> Option<PathBuf> {
        self.templates_dir()
            .map(|d| d.join(SEAL_IMAGE))
            .filter(|p| p.is_file())
    }

    /// Keeps the generated Typst source of a failed compile (of the output at `output`) for
    /// inspection: the file it is in (as errors name it) and a hint.
    pub(crate) fn keep_source(&self, output: &Path, source: &str) -> (String, String) {
        let path = self
            .output_dir()
            .join(".gongwen")
            .join(output.with_extension("typ"));
        match crate::output::write_all_atomically(&[(path.clone(), source.as_bytes())]) {
            Ok(()) => {
                let shown = self.display(&path);
                let hint = format!("生成的 Typst 源码已保存到 {shown}，可对照行号检查模板");
                (shown, hint)
            }
            Err(_) => (
                crate::compile::GENERATED.to_string(),
                "请检查模板".to_string(),
            ),
        }
    }

    /// Every workbook in `input/`, sorted; Office lock files (`~$…`) and hidden files are skipped.
    pub fn input_workbooks(&self) -> std::io::Result<Vec<PathBuf>> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(self.input_dir())?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && is_workbook(p))
            .collect();
        found.sort();
        Ok(found)
    }

    /// How messages name a file: relative to the project when inside it.
    pub fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// Whether `path` names a workbook (by ending), excluding lock and hidden files.
pub fn is_workbook(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    !name.starts_with("~$") && !name.starts_with('.') && WORKBOOK_EXTENSIONS.contains(&ext.as_str())
}
