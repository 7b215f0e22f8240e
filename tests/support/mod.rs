//! Shared test harness: fixture projects in temporary folders, the gongwen binary, PDF text.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A project folder holding only `input/`, deleted when dropped.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("input")).unwrap();
        Project { dir }
    }

    /// A project with the repository's sample workbooks.
    pub fn with_samples() -> Project {
        let p = Project::new();
        for e in std::fs::read_dir(repo().join("input")).unwrap() {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "xlsx") {
                std::fs::copy(e.path(), p.input(e.file_name().to_str().unwrap())).unwrap();
            }
        }
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn input(&self, name: &str) -> PathBuf {
        self.path().join("input").join(name)
    }

    pub fn output(&self, name: &str) -> PathBuf {
        self.path().join("output").join(name)
    }

    /// Runs `gongwen -C <project> --no-system-fonts <args>`.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .arg("-C")
            .arg(self.path())
            .arg("--no-system-fonts")
            .args(args)
            .output()
            .unwrap()
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs a poppler-utils tool on `pdf` and returns what it printed.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) is installed: {e}"));
    assert!(
        out.status.success(),
        "{tool} rejects {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of a PDF (pdftotext), with all white space removed so line breaks do not matter.
pub fn pdf_text(pdf: &Path) -> String {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// `pdfinfo`'s page count, which also proves the PDF parses.
pub fn pdf_pages(pdf: &Path) -> usize {
    let info = poppler("pdfinfo", &[], pdf);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// A cell value for [`write_sheet`].
#[derive(Clone)]
pub enum V {
    S(&'static str),
    O(String),
    D(u16, u8, u8),
    F(&'static str, &'static str),
    N(f64),
    E,
}

/// Writes rows to a new sheet; `merges` are (first_row, first_col, last_row, last_col).
pub fn write_sheet(
    book: &mut Workbook,
    name: &str,
    rows: &[Vec<V>],
    merges: &[(u32, u16, u32, u16)],
) {
    let sheet = book.add_worksheet();
    sheet.set_name(name).unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for &(r1, c1, r2, c2) in merges {
        let text = match &rows[r1 as usize][c1 as usize] {
            V::S(s) => s.to_string(),
            V::O(s) => s.clone(),
            _ => String::new(),
        };
        sheet
            .merge_range(r1, c1, r2, c2, &text, &Format::new())
            .unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if merges
                .iter()
                .any(|&(r1, c1, r2, c2)| r >= r1 && r <= r2 && c >= c1 && c <= c2)
            {
                continue;
            }
            match v {
                V::S(s) => drop(sheet.write_string(r, c, *s).unwrap()),
                V::O(s) => drop(sheet.write_string(r, c, s).unwrap()),
                V::D(y, m, d) => drop(
                    sheet
                        .write_datetime_with_format(
                            r,
                            c,
                            ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                            &date,
                        )
                        .unwrap(),
                ),
                V::F(f, cached) => drop(
                    sheet
                        .write_formula(r, c, Formula::new(*f).set_result(*cached))
                        .unwrap(),
                ),
                V::N(n) => drop(sheet.write_number(r, c, *n).unwrap()),
                V::E => {}
            }
        }
    }
}

/// A 文件信息 sheet from key/value pairs.
pub fn info_sheet(book: &mut Workbook, pairs: &[(&'static str, V)]) {
    let mut rows = vec![vec![V::S("项目"), V::S("内容")]];
    for (k, v) in pairs {
        rows.push(vec![V::S(k), v.clone()]);
    }
    write_sheet(book, "文件信息", &rows, &[]);
}
