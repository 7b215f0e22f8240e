//! Plan: what one workbook makes — its outputs, each with its own path under `output/`.
//!
//! A workbook makes one document (`S.pdf`), or one per recipient of its 收文单位 sheet
//! (`S/<主送机关>.pdf`) plus the whole batch in one print file (`S.pdf`, every letter starting on
//! an odd page); and, when it has tables, `S.xlsx`. Recipient names become file names that are
//! valid on Linux and Windows and never leave `output/`.

use std::path::PathBuf;

use crate::diag::{Diagnostic, Rule};
use crate::model::Job;

/// One document to lay out: for the only document or for one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// The recipient's index in [`Job::recipients`], in a batch.
    pub recipient: Option<usize>,
    /// How messages name this document: the recipient, or nothing for the only document.
    pub label: Option<String>,
    /// Path under `output/`.
    pub path: PathBuf,
}

impl Letter {
    /// Its DOCX, beside its PDF under `output/`.
    pub fn docx(&self) -> PathBuf {
        self.path.with_extension("docx")
    }

    /// What starts a message about this document: （收文单位） in a batch, nothing otherwise.
    pub fn tag(&self) -> String {
        self.label
            .as_deref()
            .map(|l| format!("（{l}）"))
            .unwrap_or_default()
    }
}

/// Everything one workbook makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The documents, in order.
    pub letters: Vec<Letter>,
    /// The batch's print file (every letter, each starting on an odd page), under `output/`.
    pub combined: Option<PathBuf>,
    /// The XLSX of the job's tables, under `output/`, when it has tables.
    pub xlsx: Option<PathBuf>,
    /// Whether every document gets a DOCX beside its PDF.
    pub docx: bool,
}

impl Plan {
    /// Every output path, in order.
    pub fn outputs(&self) -> Vec<PathBuf> {
        self.letters
            .iter()
            .flat_map(|l| [Some(l.path.clone()), self.docx.then(|| l.docx())])
            .flatten()
            .chain(self.combined.clone())
            .chain(self.xlsx.clone())
            .collect()
    }
}

/// The plan for `job`, whose workbook has the file stem `stem`; `has_tables` says whether it
/// writes an XLSX, `docx` whether every document gets a DOCX. Recipient names that had to change
/// or collide are reported against their cell.
pub(crate) fn plan(job: &Job, stem: &str, has_tables: bool, docx: bool) -> (Plan, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let xlsx = has_tables.then(|| PathBuf::from(format!("{stem}.xlsx")));
    if !job.is_batch() {
        let plan = Plan {
            letters: vec![Letter {
                recipient: None,
                label: None,
                path: PathBuf::from(format!("{stem}.pdf")),
            }],
            combined: None,
            xlsx,
            docx,
        };
        return (plan, warnings);
    }
    let names: Vec<&str> = job.recipients.iter().map(|r| r.name.as_str()).collect();
    let files = file_names(&names);
    let mut letters = Vec::new();
    for (i, (r, file)) in job.recipients.iter().zip(files).enumerate() {
        if file.renamed {
            warnings.push(
                Diagnostic::new(
                    Rule::FileRenamed,
                    r.at.cell(crate::contract::key(crate::contract::KeyId::Addressee)),
                    format!(
                        "收文单位“{}”不能原样用作文件名，其公文保存为 {stem}/{}.pdf",
                        r.name, file.name
                    ),
                )
                .hint(file.why),
            );
        }
        letters.push(Letter {
            recipient: Some(i),
            label: Some(r.name.clone()),
            path: PathBuf::from(stem).join(format!("{}.pdf", file.name)),
        });
    }
    let plan = Plan {
        letters,
        combined: Some(PathBuf::from(format!("{stem}.pdf"))),
        xlsx,
        docx,
    };
    (plan, warnings)
}

/// A recipient's file name, and why it differs from the name when it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileName {
    /// The file name, without `.pdf`.
    pub name: String,
    /// Whether it differs from the recipient's name.
    pub renamed: bool,
    /// Why (for the warning).
    pub why: String,
}

/// The longest file name (in characters, before `.pdf`) a recipient gets.
pub(crate) const MAX_NAME_CHARS: usize = 60;

/// Names Windows reserves for devices, whatever the extension.
fn is_reserved(name: &str) -> bool {
    let stem = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit())
}

/// One name made safe: no separators, control characters, `..`, reserved device names, trailing
/// dots or spaces; at most [`MAX_NAME_CHARS`] characters.
pub(crate) fn safe_name(name: &str) -> String {
    let flat: String = name
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let flat = flat
        .split(' ')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let flat = if is_reserved(&flat) {
        format!("_{flat}")
    } else {
        flat
    };
    let mut safe = sanitize_filename::sanitize_with_options(
        flat,
        sanitize_filename::Options {
            windows: true,
            truncate: true,
            replacement: "_",
        },
    );
    while safe.contains("..") {
        safe = safe.replace("..", "_");
    }
    let mut safe: String = safe.chars().take(MAX_NAME_CHARS).collect();
    // Cutting may leave a trailing dot or space again.
    while safe.ends_with(['.', ' ']) {
        safe.pop();
    }
    let safe = safe.trim_start_matches(['.', ' ']).to_string();
    if safe.is_empty() {
        "_".to_string()
    } else {
        safe
    }
}

/// File names for `names`, in order: each made safe, and names that would collide (also after
/// trimming spaces or by letter case, as Windows compares them) made distinct with （2）, （3）….
pub(crate) fn file_names(names: &[&str]) -> Vec<FileName> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for name in names {
        let base = safe_name(name);
        let mut why = Vec::new();
        if base != *name {
            why.push("文件名中不能有 / \\ : * ? \" < > | 和控制字符，不能是 CON、NUL 等设备名，不能以点或空格结尾，也不能太长".to_string());
        }
        let mut candidate = base.clone();
        let mut n = 2;
        while taken.contains(&candidate.to_lowercase()) {
            candidate = format!("{base}（{n}）");
            n += 1;
        }
        if candidate != base {
            why.push("它与前面的收文单位得到的文件名相同（不计空格和大小写）".to_string());
        }
        taken.push(candidate.to_lowercase());
        out.push(FileName {
            renamed: candidate != *name,
            name: candidate,
            why: why.join("；"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_plain_file_names() {
        let names = [
            "../../etc/passwd",
            "..",
            ".",
            "CON",
            "com1.txt",
            "a\\b",
            "C:\\Windows",
            "名称\u{0}控制\u{7}",
            "尾部点和空格. . ",
            "  前后空格  ",
            "/",
            "",
            &"很长的名称".repeat(30),
        ];
        let files = file_names(&names);
        for (name, f) in names.iter().zip(&files) {
            let n = &f.name;
            assert!(!n.is_empty(), "{name:?}");
            assert!(
                !n.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']),
                "{n:?}"
            );
            assert!(!n.chars().any(char::is_control), "{n:?}");
            assert!(!n.contains(".."), "{n:?}");
            assert!(
                !n.ends_with(['.', ' ']) && !n.starts_with(['.', ' ']),
                "{n:?}"
            );
            assert!(!is_reserved(n), "{n:?}");
            assert!(n.chars().count() <= MAX_NAME_CHARS + 4, "{n:?}");
            let p = std::path::Path::new(n);
            assert_eq!(p.components().count(), 1, "{n:?} is one path component");
        }
        assert_eq!(files[3].name, "_CON");
        assert!(files[3].renamed);
    }

    #[test]
    fn colliding_names_get_distinct_files() {
        let files = file_names(&[
            "甲市应急管理局",
            "甲市应急管理局 ",
            "ABC局",
            "abc局",
            "甲市/应急管理局",
            "甲市_应急管理局",
        ]);
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "甲市应急管理局",
                "甲市应急管理局（2）",
                "ABC局",
                "abc局（2）",
                "甲市_应急管理局",
                "甲市_应急管理局（2）"
            ]
        );
        assert!(!files[0].renamed);
        assert!(files[1].renamed && files[1].why.contains("相同"));
        let mut lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        lower.sort();
        lower.dedup();
        assert_eq!(lower.len(), names.len());
    }
}
