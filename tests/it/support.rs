//! Shared test harness: fixture projects in temporary folders, the gongwen binary, PDF text,
//! XLSX read back with calamine.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook, open_workbook_auto};
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

    /// Puts the repository's test seal into the project's `templates/印章.png`.
    pub fn add_seal(&self) {
        std::fs::create_dir_all(self.path().join("templates")).unwrap();
        std::fs::copy(
            repo().join("tests/fixtures/印章.png"),
            self.path().join("templates/印章.png"),
        )
        .unwrap();
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

    /// A project with one of the repository's samples only.
    pub fn with_sample(name: &str) -> Project {
        let p = Project::new();
        std::fs::copy(repo().join("input").join(name), p.input(name)).unwrap();
        p
    }

    /// Every file under the project folder, relative to it, sorted.
    pub fn files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, root, out);
                } else {
                    out.push(p.strip_prefix(root).unwrap().to_path_buf());
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), self.path(), &mut out);
        out.sort();
        out
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

/// `s` without white space.
pub fn strip(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of a PDF (pdftotext), with all white space removed so line breaks do not matter.
pub fn pdf_text(pdf: &Path) -> String {
    strip(&poppler("pdftotext", &["-enc", "UTF-8"], pdf))
}

/// The text of each page of a PDF, white space removed.
pub fn pdf_page_texts(pdf: &Path) -> Vec<String> {
    let text = poppler("pdftotext", &["-enc", "UTF-8"], pdf);
    let mut pages: Vec<String> = text.split('\u{c}').map(strip).collect();
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    pages
}

/// A worksheet read back with calamine, every cell as text.
pub fn read_sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The sheet names of a workbook.
pub fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names()
}

/// A worksheet's merged regions as (first row, first col, last row, last col), zero-based.
pub fn merged(path: &Path, name: &str) -> Vec<(u32, u32, u32, u32)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut out: Vec<(u32, u32, u32, u32)> = book
        .merge_cells_by_sheet_name(name)
        .unwrap()
        .into_iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    out.sort();
    out
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

/// Writes the 正文 sheet: a row (层级, 标题, 内容) per paragraph; level 0 and an empty title
/// leave the cell empty (a paragraph under no heading).
pub fn body_sheet(book: &mut Workbook, paragraphs: &[(u8, &'static str, &'static str)]) {
    let mut rows = vec![vec![V::S("层级"), V::S("标题"), V::S("内容")]];
    for (level, title, text) in paragraphs {
        rows.push(vec![
            if *level == 0 {
                V::E
            } else {
                V::N(f64::from(*level))
            },
            if title.is_empty() { V::E } else { V::S(title) },
            V::S(text),
        ]);
    }
    write_sheet(book, "正文", &rows, &[]);
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
