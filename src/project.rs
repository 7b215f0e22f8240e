//! Project: the folder a clerk works in (`input/`, `templates/`, `fonts/`, `output/`).

use std::path::{Path, PathBuf};

/// Workbook file endings gongwen reads.
pub const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

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
