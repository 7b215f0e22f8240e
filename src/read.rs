//! Reading: open a workbook with calamine and turn each sheet into a grid of plain cells.
//!
//! Merged cells give their value to every cell they cover, formula cells give their cached value,
//! and date cells become dates. Rows and columns keep Excel's numbering (0-based here, printed
//! 1-based), counted by us rather than by calamine's deserializer, whose positions are wrong.
//! [`Table`] then finds a sheet's header row under any title rows and reads rows by header name.

use std::path::Path;

use calamine::{Data, Dimensions, Reader, Sheets, open_workbook_auto};
use chrono::NaiveDate;

use crate::contract;
use crate::diag::{Diagnostic, Loc, Rule};

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in the cell.
    Empty,
    /// Text, as typed.
    Text(String),
    /// A number (formulas give their cached value).
    Number(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A date cell.
    Date(NaiveDate),
    /// An Excel error such as `#DIV/0!`.
    Error(String),
    /// A formula with no computed value saved with it (a file written by a program and never
    /// opened and saved in Excel or WPS): the formula, with its `=`.
    Formula(String),
}

impl Cell {
    /// Whether the cell holds nothing but white space.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, the way a clerk sees it (dates as `2024年3月2日`).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) => format_number(*n),
            Cell::Bool(true) => "是".into(),
            Cell::Bool(false) => "否".into(),
            Cell::Date(d) => crate::date::format(*d),
            Cell::Error(e) => e.clone(),
            Cell::Formula(f) => f.clone(),
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A merged region of a sheet, zero-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// First row.
    pub r1: u32,
    /// First column.
    pub c1: u32,
    /// Last row.
    pub r2: u32,
    /// Last column.
    pub c2: u32,
}

impl Merge {
    /// Whether the region covers the zero-based cell.
    pub fn covers(&self, row: u32, col: u32) -> bool {
        (self.r1..=self.r2).contains(&row) && (self.c1..=self.c2).contains(&col)
    }
}

/// One sheet as a dense grid; `rows[r][c]` is Excel row `r + 1`, column `c + 1`. A merged
/// region's value fills every cell it covers; the regions themselves are kept in `merges`.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// The cells, from A1.
    pub rows: Vec<Vec<Cell>>,
    /// The merged regions (none for .ods, whose merges calamine does not expose).
    pub merges: Vec<Merge>,
}

impl Sheet {
    /// The cell at zero-based (row, col), or [`Cell::Empty`] outside the used area.
    pub fn get(&self, row: u32, col: u32) -> &Cell {
        self.rows
            .get(row as usize)
            .and_then(|r| r.get(col as usize))
            .unwrap_or(&Cell::Empty)
    }

    /// The merged region whose top-left cell is (row, col).
    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Merge> {
        self.merges.iter().find(|m| m.r1 == row && m.c1 == col)
    }

    /// The merged region covering (row, col), if any.
    pub fn merge_covering(&self, row: u32, col: u32) -> Option<&Merge> {
        self.merges.iter().find(|m| m.covers(row, col))
    }

    /// Whether the sheet holds nothing at all.
    pub fn is_blank(&self) -> bool {
        self.rows.iter().flatten().all(Cell::is_blank)
    }
}

/// A workbook read into memory.
#[derive(Debug, Clone)]
pub(crate) struct Workbook {
    /// How messages name the file.
    pub display: String,
    /// The sheets in workbook order.
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    /// The sheet with this name (surrounding white space ignored).
    pub(crate) fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name.trim() == name)
    }
}

/// Reads every sheet of the workbook at `path`. `display` is how messages name the file.
///
/// # Errors
/// A diagnostic in Chinese when the file is empty, encrypted, damaged or not a workbook, or a
/// sheet cannot be read.
pub(crate) fn read_workbook(path: &Path, display: &str) -> Result<Workbook, Diagnostic> {
    let head = std::fs::File::open(path)
        .and_then(|mut f| {
            let mut buf = [0u8; 8];
            let n = std::io::Read::read(&mut f, &mut buf)?;
            Ok(buf[..n].to_vec())
        })
        .unwrap_or_default();
    if head.is_empty() {
        return Err(Diagnostic::new(
            Rule::FileEmpty,
            Loc::file(display),
            "文件是空的（0 字节），不是有效的工作簿",
        )
        .hint("请用 Excel 或 WPS 重新保存这个工作簿；如果是复制时出错，请重新复制"));
    }
    let mut book = open_workbook_auto(path).map_err(|e| open_error(path, display, &head, &e))?;
    let names = book.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = book.worksheet_range(&name).map_err(|e| {
            Diagnostic::new(
                Rule::FileCorrupt,
                Loc::sheet(display, &name),
                format!("无法读取工作表（{e}）"),
            )
            .hint("工作表可能已损坏：请在 Excel 或 WPS 中打开并另存后重试")
        })?;
        let formulas = book.worksheet_formula(&name).ok();
        let merges: Vec<Merge> = merged_regions(&mut book, &name)
            .iter()
            .map(|d| Merge {
                r1: d.start.0,
                c1: d.start.1,
                r2: d.end.0,
                c2: d.end.1,
            })
            .filter(|m| m.r2 >= m.r1 && m.c2 >= m.c1 && (m.r2 > m.r1 || m.c2 > m.c1))
            .collect();
        sheets.push(Sheet {
            rows: grid(&range, &merges, formulas.as_ref()),
            merges,
            name,
        });
    }
    if sheets.iter().all(Sheet::is_blank) {
        return Err(
            Diagnostic::new(Rule::FileEmpty, Loc::file(display), "工作簿中没有任何内容").hint({
                let required: Vec<&str> = contract::keys()
                    .iter()
                    .filter(|k| k.required)
                    .map(|k| k.name.as_str())
                    .collect();
                format!(
                    "请至少填写「{}」工作表（{}）；可用 gongwen new <{}> 生成一个空白工作簿",
                    contract::sheet(contract::SheetId::Info).name,
                    required.join("、"),
                    contract::key(contract::KeyId::Kind)
                )
            }),
        );
    }
    Ok(Workbook {
        display: display.to_string(),
        sheets,
    })
}

/// The diagnostic for a file calamine cannot open: encrypted, or damaged, or not a workbook.
fn open_error(path: &Path, display: &str, head: &[u8], e: &calamine::Error) -> Diagnostic {
    let ext = path
        .extension()
        .and_then(|x| x.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    // An encrypted .xlsx is an OLE compound file rather than a zip.
    const OLE: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];
    let encrypted = (head.starts_with(&OLE) && (ext == "xlsx" || ext == "xlsm"))
        || e.to_string().to_lowercase().contains("password");
    if encrypted {
        return Diagnostic::new(
            Rule::FileEncrypted,
            Loc::file(display),
            "工作簿设有打开密码，无法读取",
        )
        .hint("请在 Excel 或 WPS 中打开它，取消“用密码加密”后保存，再重新生成；gongwen 不会要求或保存密码");
    }
    Diagnostic::new(
        Rule::FileCorrupt,
        Loc::file(display),
        format!("无法打开工作簿：文件已损坏，或不是 Excel/WPS 表格（{e}）"),
    )
    .hint("请确认文件是 .xlsx、.xlsm、.xls 或 .ods 格式且能在 Excel 或 WPS 中打开；如在 Excel 中打开着，请先保存并关闭")
}

fn merged_regions<R: std::io::Read + std::io::Seek>(
    book: &mut Sheets<R>,
    name: &str,
) -> Vec<Dimensions> {
    match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        // calamine exposes no merged regions for .xlsb and .ods.
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    }
}

fn grid(
    range: &calamine::Range<Data>,
    merged: &[Merge],
    formulas: Option<&calamine::Range<String>>,
) -> Vec<Vec<Cell>> {
    let (mut height, mut width) = (0usize, 0usize);
    if let Some((r0, c0)) = range.start() {
        let (h, w) = range.get_size();
        height = r0 as usize + h;
        width = c0 as usize + w;
    }
    if let Some((r0, c0)) = formulas.and_then(|f| f.start()) {
        let (h, w) = formulas.map_or((0, 0), |f| f.get_size());
        height = height.max(r0 as usize + h);
        width = width.max(c0 as usize + w);
    }
    let mut rows = vec![vec![Cell::Empty; width]; height];
    if let Some((r0, c0)) = range.start() {
        for (r, row) in range.rows().enumerate() {
            for (c, value) in row.iter().enumerate() {
                rows[r0 as usize + r][c0 as usize + c] = convert(value);
            }
        }
    }
    // A formula whose cell holds no value was never computed: keep the formula to report it.
    if let Some(f) = formulas
        && let Some((r0, c0)) = f.start()
    {
        for (r, row) in f.rows().enumerate() {
            for (c, formula) in row.iter().enumerate() {
                let cell = &mut rows[r0 as usize + r][c0 as usize + c];
                if !formula.is_empty() && *cell == Cell::Empty {
                    *cell = Cell::Formula(format!("={formula}"));
                }
            }
        }
    }
    for region in merged {
        let (sr, sc) = (region.r1 as usize, region.c1 as usize);
        let Some(value) = rows.get(sr).and_then(|r| r.get(sc)).cloned() else {
            continue;
        };
        for row in rows.iter_mut().take(region.r2 as usize + 1).skip(sr) {
            for cell in row.iter_mut().take(region.c2 as usize + 1).skip(sc) {
                if cell.is_blank() {
                    *cell = value.clone();
                }
            }
        }
    }
    rows
}

fn convert(value: &Data) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(y.into(), m.into(), d.into())
                .map_or_else(|| Cell::Number(dt.as_f64()), Cell::Date)
        }
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A header name with all white space removed, so `整改\n时限` matches `整改时限`.
pub(crate) fn normalize_header(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A column found in a header row.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// The contract's name for it (a synonym is read as the declared name), or the normalized
    /// header as written for a column the contract does not declare.
    pub name: String,
    /// The header as written (normalized), for messages.
    pub written: String,
    /// Zero-based column index.
    pub col: u32,
}

/// One data row: its Excel row and the cells under each header.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Zero-based Excel row.
    pub row: u32,
    /// Cells in header order, aligned with [`Records::columns`].
    pub cells: Vec<Cell>,
}

/// A sheet read by the header names its contract declares.
#[derive(Debug, Clone)]
pub(crate) struct Records {
    /// The sheet's name.
    pub sheet: String,
    /// Zero-based row of the header.
    pub header_row: u32,
    /// The header's columns, in sheet order.
    pub columns: Vec<Column>,
    /// The non-blank rows under the header.
    pub rows: Vec<Row>,
}

impl Records {
    /// Finds the header row (the first row holding every required column of `spec`, by name or
    /// synonym) and reads the rows below it, skipping fully blank rows.
    ///
    /// # Errors
    /// A diagnostic naming the missing columns, and the header probably meant for each.
    pub(crate) fn find(
        sheet: &Sheet,
        file: &str,
        spec: &contract::Sheet,
    ) -> Result<Records, Diagnostic> {
        let required = spec.required();
        let mut best: Option<(usize, Vec<&str>)> = None;
        for (r, row) in sheet.rows.iter().enumerate() {
            let names: Vec<String> = row.iter().map(|c| normalize_header(&c.text())).collect();
            let canonical: Vec<Option<&str>> = names
                .iter()
                .map(|n| spec.column(n).map(|c| c.name.as_str()))
                .collect();
            let missing: Vec<&str> = required
                .iter()
                .copied()
                .filter(|req| !canonical.contains(&Some(*req)))
                .collect();
            if missing.is_empty() {
                return Ok(Self::from_header(sheet, r as u32, &names, spec));
            }
            if names.iter().any(|n| !n.is_empty())
                && best.as_ref().is_none_or(|(_, m)| missing.len() < m.len())
            {
                best = Some((r, missing));
            }
        }
        let found_any = best.is_some();
        let (at, missing) = best.unwrap_or((0, required.clone()));
        let guesses: Vec<String> = missing
            .iter()
            .filter_map(|m| {
                let header: Vec<String> = sheet
                    .rows
                    .get(at)
                    .map(|r| r.iter().map(|c| normalize_header(&c.text())).collect())
                    .unwrap_or_default();
                closest_header(m, &header, spec).map(|h| format!("表头中的「{h}」是不是「{m}」？"))
            })
            .collect();
        let loc = if found_any {
            Loc::cell(file, &sheet.name, at as u32, 0)
        } else {
            Loc::sheet(file, &sheet.name)
        };
        let mut hint = format!(
            "请在表头行写上这些列名（表头行须包含：{}）",
            required.join("、")
        );
        if !guesses.is_empty() {
            hint = format!("{}{hint}", guesses.join(""));
        }
        Err(Diagnostic::new(
            Rule::HeaderMissing,
            loc,
            format!("找不到表头行：缺少列「{}」", missing.join("」「")),
        )
        .hint(hint))
    }

    fn from_header(
        sheet: &Sheet,
        header_row: u32,
        names: &[String],
        spec: &contract::Sheet,
    ) -> Records {
        let columns: Vec<Column> = names
            .iter()
            .enumerate()
            .filter(|(_, n)| !n.is_empty())
            .map(|(c, n)| Column {
                name: spec
                    .column(n)
                    .map_or_else(|| n.clone(), |d| d.name.to_string()),
                written: n.clone(),
                col: c as u32,
            })
            .collect();
        let rows = sheet
            .rows
            .iter()
            .enumerate()
            .skip(header_row as usize + 1)
            .map(|(r, _)| Row {
                row: r as u32,
                cells: columns
                    .iter()
                    .map(|c| sheet.get(r as u32, c.col).clone())
                    .collect(),
            })
            .filter(|row| !row.cells.iter().all(Cell::is_blank))
            .collect();
        Records {
            sheet: sheet.name.clone(),
            header_row,
            columns,
            rows,
        }
    }

    /// The index of the column named `name`, if the header has it.
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// The header cell a clerk probably meant for the missing column `wanted`: the undeclared header
/// most similar to it or to one of its synonyms.
pub(crate) fn closest_header(
    wanted: &str,
    header: &[String],
    spec: &contract::Sheet,
) -> Option<String> {
    let declared = spec.column(wanted)?;
    let names: Vec<&str> = std::iter::once(declared.name.as_str())
        .chain(declared.synonyms.iter().map(String::as_str))
        .collect();
    header
        .iter()
        .filter(|h| !h.is_empty() && spec.column(h).is_none())
        .map(|h| {
            let score = names
                .iter()
                .map(|n| crate::similar::edit(n, h))
                .fold(0.0, f64::max);
            (score, h)
        })
        .filter(|(score, _)| *score >= 0.34)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, h)| h.clone())
}

/// Sheets built in memory for unit tests.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// A sheet named 问题清单 from rows of text (empty strings are empty cells).
    pub(crate) fn sheet(rows: Vec<Vec<&str>>) -> Sheet {
        Sheet {
            name: contract::sheet(contract::SheetId::Issues).name.clone(),
            rows: rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|s| {
                            if s.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(s.into())
                            }
                        })
                        .collect()
                })
                .collect(),
            merges: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::sheet;
    use super::*;

    #[test]
    fn header_is_found_under_a_title_row_and_blank_rows_are_skipped() {
        let s = sheet(vec![
            vec!["整改台账", "", ""],
            vec!["", "", ""],
            vec![" 整改\n状态 ", "存在问题", "备注"],
            vec!["已完成", "问题一", ""],
            vec!["", "", ""],
            vec!["整改中", "问题二", "x"],
        ]);
        let t = Records::find(&s, "a.xlsx", contract::sheet(contract::SheetId::Issues)).unwrap();
        assert_eq!(t.header_row, 2);
        assert_eq!(
            t.columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["整改状态", "存在问题", "备注"]
        );
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].row, 5);
        assert_eq!(t.rows[1].cells[2], Cell::Text("x".into()));
    }

    #[test]
    fn synonyms_are_read_as_the_declared_column() {
        let s = sheet(vec![
            vec!["问题描述", "整改进度", "完成时限"],
            vec!["甲", "已完成", ""],
        ]);
        let t = Records::find(&s, "a.xlsx", contract::sheet(contract::SheetId::Issues)).unwrap();
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["存在问题", "整改状态", "整改时限"]);
        assert_eq!(t.columns[0].written, "问题描述");
    }

    #[test]
    fn missing_columns_are_named_with_the_header_probably_meant() {
        let s = sheet(vec![vec!["存在问题", "整改状况", "备注"]]);
        let err =
            Records::find(&s, "a.xlsx", contract::sheet(contract::SheetId::Issues)).unwrap_err();
        assert!(err.message.contains("「整改状态」"), "{}", err.message);
        assert!(!err.message.contains("「存在问题」"));
        let hint = err.hint.unwrap();
        assert!(
            hint.contains("表头中的「整改状况」是不是「整改状态」？"),
            "{hint}"
        );
    }
}
