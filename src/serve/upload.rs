//! Upload: workbooks the page sends, saved into `input/`.
//!
//! A file is taken as a workbook by what it holds, not by its name: a ZIP package with an
//! Excel workbook part (xlsx, xlsm) or an OpenDocument spreadsheet's mimetype (ods), or an OLE
//! compound file (xls, and Excel's encrypted workbooks). A package too damaged to list is taken
//! as a workbook too, saved, and reported broken by the build like any other. The name is
//! cleaned as a recipient's name is (Chinese kept; no folders, no characters a file name cannot
//! hold) and must end as a workbook does. Nothing already in `input/` is replaced unless asked:
//! a replaced workbook is kept in `output/.gongwen/replaced/`.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::project::Project;

/// Most files in one upload.
pub(crate) const MAX_FILES: usize = 50;

/// An OLE compound file's first bytes (xls; Office's encrypted workbooks).
const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The first bytes of a ZIP package.
const ZIP: [u8; 4] = *b"PK\x03\x04";

/// An uploaded file, read.
#[derive(Debug, Clone)]
pub(crate) struct File {
    /// The name it will be saved as, cleaned.
    pub(crate) name: String,
    /// Its bytes.
    pub(crate) bytes: Vec<u8>,
}

/// Why an upload is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A name that cannot be a workbook's (400).
    Name(String),
    /// Not a workbook by its content (415).
    NotWorkbook(String),
    /// A different file of that name is in `input/` (409).
    Exists(String),
}

/// What happened to a saved file.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Saved {
    /// Its name.
    pub(crate) name: String,
    /// `input/…`
    pub(crate) path: String,
    /// Whether it replaced a different file.
    pub(crate) replaced: bool,
    /// Whether the same file was there already (nothing written).
    pub(crate) unchanged: bool,
}

/// `name` as it will be saved: cleaned, or refused when it does not end as a workbook does.
///
/// # Errors
/// When the cleaned name is not a workbook's.
pub(crate) fn clean_name(name: &str) -> Result<String, Refusal> {
    // Browsers send a bare name; some send a path. Only the last part is a name.
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean = crate::plan::safe_name(last);
    if crate::project::is_workbook(Path::new(&clean)) {
        Ok(clean)
    } else {
        Err(Refusal::Name(format!(
            "“{name}”不是工作簿的文件名：请上传 .xlsx、.xlsm、.xls 或 .ods 文件"
        )))
    }
}

/// Whether `bytes` hold a workbook (or what is left of one).
///
/// # Errors
/// A message saying what the file seems to be instead.
pub(crate) fn sniff(name: &str, bytes: &[u8]) -> Result<(), Refusal> {
    let refuse = |what: &str| {
        Err(Refusal::NotWorkbook(format!(
            "“{name}”{what}，不是工作簿：请在 Excel 或 WPS 中另存为 .xlsx 后再上传"
        )))
    };
    if bytes.is_empty() {
        return refuse("是空文件");
    }
    if bytes.starts_with(&OLE) {
        return Ok(());
    }
    if !bytes.starts_with(&ZIP) {
        return refuse("的内容");
    }
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        // A package cut short or damaged: saved, and the build says it is broken.
        return Ok(());
    };
    let has = |archive: &zip::ZipArchive<_>, f: &dyn Fn(&str) -> bool| {
        archive.file_names().filter_map(Result::ok).any(|n| f(&n))
    };
    if has(&archive, &|n| {
        n == "xl/workbook.xml" || n == "xl/workbook.bin"
    }) {
        return Ok(());
    }
    if let Ok(mut mimetype) = archive.by_name("mimetype") {
        let mut text = String::new();
        let _ = mimetype.by_ref().take(200).read_to_string(&mut text);
        if text.starts_with("application/vnd.oasis.opendocument.spreadsheet") {
            return Ok(());
        }
        return refuse("是其他 OpenDocument 文件");
    }
    if has(&archive, &|n| n.starts_with("word/")) {
        return refuse("是 Word 文档");
    }
    if has(&archive, &|n| n.starts_with("ppt/")) {
        return refuse("是演示文稿");
    }
    refuse("是一个压缩包")
}

/// Saves `files` into the project's `input/`: all of them, or (on a refusal) none.
/// A file of the same name and bytes is left as it is; a different one is replaced only when
/// `replace`, and kept in `output/.gongwen/replaced/` first.
///
/// # Errors
/// A refusal for the first file whose name is taken, or a write that failed.
pub(crate) fn save(
    project: &Project,
    files: &[File],
    replace: bool,
) -> Result<Vec<Saved>, SaveError> {
    let input = project.input_dir();
    let mut plan = Vec::new();
    for f in files {
        let target = input.join(&f.name);
        let existing = std::fs::read(&target).ok();
        let unchanged = existing.as_deref() == Some(f.bytes.as_slice());
        let replaced = existing.is_some() && !unchanged;
        if replaced && !replace {
            return Err(SaveError::Refused(Refusal::Exists(format!(
                "input/ 中已有同名的工作簿“{}”，内容不同；要替换它请确认（replace=1）",
                f.name
            ))));
        }
        plan.push((f, target, replaced, unchanged));
    }
    let backups = project.output_dir().join(".gongwen").join("replaced");
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut writes: Vec<(PathBuf, &[u8])> = Vec::new();
    let mut kept: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (f, target, replaced, unchanged) in &plan {
        if *replaced && let Ok(old) = std::fs::read(target) {
            kept.push((backups.join(format!("{stamp}-{}", f.name)), old));
        }
        if !unchanged {
            writes.push((target.clone(), &f.bytes));
        }
    }
    for (path, old) in &kept {
        crate::output::write_all_atomically(&[(path.clone(), old)]).map_err(SaveError::Write)?;
    }
    crate::output::write_all_atomically(&writes).map_err(SaveError::Write)?;
    Ok(plan
        .into_iter()
        .map(|(f, _, replaced, unchanged)| Saved {
            name: f.name.clone(),
            path: format!("input/{}", f.name),
            replaced,
            unchanged,
        })
        .collect())
}

/// Why files were not saved.
#[derive(Debug)]
pub(crate) enum SaveError {
    /// Refused (a name taken).
    Refused(Refusal),
    /// Writing failed.
    Write(anyhow::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(names: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write as _;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (n, b) in names {
            w.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn workbooks_are_known_by_content() {
        let xlsx = zip_with(&[("[Content_Types].xml", b"x"), ("xl/workbook.xml", b"x")]);
        assert!(sniff("a.xlsx", &xlsx).is_ok());
        let ods = zip_with(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        )]);
        assert!(sniff("a.ods", &ods).is_ok());
        let mut xls = OLE.to_vec();
        xls.extend([0; 100]);
        assert!(sniff("a.xls", &xls).is_ok());
        // Cut short: saved, the build reports it broken.
        assert!(sniff("a.xlsx", &xlsx[..xlsx.len() / 2]).is_ok());
        let docx = zip_with(&[("word/document.xml", b"x")]);
        for (bytes, what) in [
            (docx, "Word 文档"),
            (b"%PDF-1.7".to_vec(), "的内容"),
            (Vec::new(), "空文件"),
            (zip_with(&[("a.txt", b"x")]), "压缩包"),
        ] {
            match sniff("a.xlsx", &bytes) {
                Err(Refusal::NotWorkbook(m)) => assert!(m.contains(what), "{m}"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn names_are_cleaned_and_must_be_a_workbooks() {
        assert_eq!(clean_name("整改台账.xlsx").unwrap(), "整改台账.xlsx");
        assert_eq!(clean_name("../../整改台账.xlsx").unwrap(), "整改台账.xlsx");
        assert_eq!(clean_name("C:\\x\\台账.XLS").unwrap(), "台账.XLS");
        assert_eq!(clean_name("a:b?.xlsx").unwrap(), "a_b_.xlsx");
        assert!(clean_name("台账.pdf").is_err());
        assert!(clean_name("~$台账.xlsx").is_err());
        assert!(clean_name("..").is_err());
    }

    #[test]
    fn nothing_in_input_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::new(dir.path());
        std::fs::create_dir_all(project.input_dir()).unwrap();
        let f = |name: &str, b: &[u8]| File {
            name: name.to_string(),
            bytes: b.to_vec(),
        };
        let saved = save(&project, &[f("甲.xlsx", b"1")], false).unwrap();
        assert!(!saved[0].replaced && !saved[0].unchanged);
        let saved = save(&project, &[f("甲.xlsx", b"1")], false).unwrap();
        assert!(saved[0].unchanged);
        // A different file of the same name, with a new one: neither is written.
        let refused = save(&project, &[f("乙.xlsx", b"2"), f("甲.xlsx", b"3")], false);
        assert!(matches!(
            refused,
            Err(SaveError::Refused(Refusal::Exists(_)))
        ));
        assert!(!project.input_dir().join("乙.xlsx").exists());
        assert_eq!(
            std::fs::read(project.input_dir().join("甲.xlsx")).unwrap(),
            b"1"
        );
        let saved = save(&project, &[f("甲.xlsx", b"3")], true).unwrap();
        assert!(saved[0].replaced);
        assert_eq!(
            std::fs::read(project.input_dir().join("甲.xlsx")).unwrap(),
            b"3"
        );
        let backups: Vec<_> = std::fs::read_dir(project.output_dir().join(".gongwen/replaced"))
            .unwrap()
            .collect();
        assert_eq!(backups.len(), 1);
    }
}
