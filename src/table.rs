//! Table: the one kind of table gongwen reads and writes.
//!
//! An appendix register (包保责任人一览表, 任务清单), the 督办事项 list and the 整改台账 ledger are
//! the same thing: a title, columns that may stand under a group (三级包保责任 over 县级 / 乡级 /
//! 企业, a header of two rows), rows, and body cells merged over rows (the 完成时限 of a task list).
//! [`Table::read`] builds one from a sheet, whether the clerk drew the groups with merged cells or
//! wrote `组/列` names; [`Table::print_layout`] decides how it prints (type size, column widths,
//! landscape); the view and the `登记表` function of the style library draw it in Typst, and
//! [`crate::xlsx`] writes it to a worksheet.

use chrono::NaiveDate;
use unicode_width::UnicodeWidthStr;

use crate::contract;
use crate::diag::{Diagnostic, Loc, Rule};
use crate::read::{Cell as SheetCell, Sheet};

/// A value in a table cell.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum Value {
    /// Text (may hold line breaks).
    Text(String),
    /// A number.
    Number(f64),
    /// A date, printed 2024年3月2日.
    Date(NaiveDate),
}

impl Value {
    /// The value as printed.
    pub fn text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Number(n) => SheetCell::Number(*n).text(),
            Value::Date(d) => crate::date::format(*d),
        }
    }

    /// Whether the cell is empty.
    pub fn is_empty(&self) -> bool {
        matches!(self, Value::Text(t) if t.trim().is_empty())
    }
}

/// How a cell is marked, in the XLSX (fills and colours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum Tone {
    /// Nothing special.
    #[default]
    Plain,
    /// 已完成整改
    Done,
    /// 积极整改中
    InProgress,
    /// 未启动
    NotStarted,
    /// Needs attention (an overdue item).
    Alert,
}

/// One body cell.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Cell {
    /// Its value.
    pub value: Value,
    /// Its marking.
    pub tone: Tone,
}

impl Cell {
    /// A plain text cell.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            value: Value::Text(text.into()),
            tone: Tone::Plain,
        }
    }
}

/// A leaf column, possibly under a group.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Column {
    /// The group over it (the upper header row), if any.
    pub group: Option<String>,
    /// Its own header.
    pub name: String,
}

impl Column {
    /// A column without a group.
    pub fn new(name: impl Into<String>) -> Column {
        Column {
            group: None,
            name: name.into(),
        }
    }

    /// The column as a clerk would write it in one header row: `组/列`.
    pub fn full_name(&self) -> String {
        match &self.group {
            Some(g) => format!("{g}/{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// One body row.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Row {
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// Zero-based Excel row it came from, for messages.
    pub source_row: Option<u32>,
}

/// A body cell merged over several rows or columns: its top-left cell and its extent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    /// Body row index of the top-left cell.
    pub row: usize,
    /// Column index of the top-left cell.
    pub col: usize,
    /// Rows covered (≥ 1).
    pub rows: usize,
    /// Columns covered (≥ 1).
    pub cols: usize,
}

impl Span {
    /// Whether the span covers the body cell.
    pub fn covers(&self, row: usize, col: usize) -> bool {
        (self.row..self.row + self.rows).contains(&row)
            && (self.col..self.col + self.cols).contains(&col)
    }
}

/// One header cell as drawn: its text, where it starts and how far it reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadCell {
    /// The text.
    pub text: String,
    /// Header row (0 or 1).
    pub row: usize,
    /// First column.
    pub col: usize,
    /// Columns covered.
    pub colspan: usize,
    /// Rows covered.
    pub rowspan: usize,
}

/// A table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Table {
    /// A short name: the sheet it came from (附件1) or what it is (整改台账).
    pub name: String,
    /// The title printed above it.
    pub title: String,
    /// The leaf columns, left to right.
    pub columns: Vec<Column>,
    /// The body.
    pub rows: Vec<Row>,
    /// Body cells merged over rows or columns.
    pub spans: Vec<Span>,
    /// Zero-based Excel row of the (first) header row, for messages.
    pub header_row: Option<u32>,
    /// Zero-based Excel column of each leaf column, for messages.
    pub source_cols: Vec<u32>,
}

/// The spans of a table by cell (see [`Table::span_index`]).
pub struct SpanIndex<'a>(std::collections::HashMap<(usize, usize), (&'a Span, bool)>);

impl SpanIndex<'_> {
    /// The span whose top-left cell is (row, col).
    pub fn at(&self, row: usize, col: usize) -> Option<&Span> {
        self.0
            .get(&(row, col))
            .and_then(|(s, first)| first.then_some(*s))
    }

    /// Whether (row, col) is covered by a span that starts elsewhere.
    pub fn covered(&self, row: usize, col: usize) -> bool {
        self.0.get(&(row, col)).is_some_and(|(_, first)| !first)
    }
}

impl Table {
    /// An empty table with these columns.
    pub fn new(name: impl Into<String>, title: impl Into<String>, columns: Vec<Column>) -> Table {
        Table {
            name: name.into(),
            title: title.into(),
            columns,
            rows: Vec::new(),
            spans: Vec::new(),
            header_row: None,
            source_cols: Vec::new(),
        }
    }

    /// How many header rows it needs: two when any column stands under a group.
    pub fn header_rows(&self) -> usize {
        if self.columns.iter().any(|c| c.group.is_some()) {
            2
        } else {
            1
        }
    }

    /// The header as drawn: a group spans its consecutive columns; a column without a group
    /// spans both rows of a two-row header.
    pub fn header(&self) -> Vec<HeadCell> {
        let two = self.header_rows() == 2;
        let mut cells = Vec::new();
        let mut c = 0;
        while c < self.columns.len() {
            let col = &self.columns[c];
            match &col.group {
                Some(g) => {
                    let n = self.columns[c..]
                        .iter()
                        .take_while(|x| x.group.as_ref() == Some(g))
                        .count();
                    cells.push(HeadCell {
                        text: g.clone(),
                        row: 0,
                        col: c,
                        colspan: n,
                        rowspan: 1,
                    });
                    for (i, leaf) in self.columns[c..c + n].iter().enumerate() {
                        cells.push(HeadCell {
                            text: leaf.name.clone(),
                            row: 1,
                            col: c + i,
                            colspan: 1,
                            rowspan: 1,
                        });
                    }
                    c += n;
                }
                None => {
                    cells.push(HeadCell {
                        text: col.name.clone(),
                        row: 0,
                        col: c,
                        colspan: 1,
                        rowspan: if two { 2 } else { 1 },
                    });
                    c += 1;
                }
            }
        }
        cells.sort_by_key(|h| (h.row, h.col));
        cells
    }

    /// The index of the column named `name` (without a group).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.group.is_none() && c.name == name)
    }

    /// Where the spans are, to look cells up in constant time (a ledger has thousands of rows
    /// and hundreds of merged cells).
    pub fn span_index(&self) -> SpanIndex<'_> {
        let mut cells = std::collections::HashMap::new();
        for s in &self.spans {
            for r in s.row..s.row + s.rows {
                for c in s.col..s.col + s.cols {
                    cells.insert((r, c), (s, r == s.row && c == s.col));
                }
            }
        }
        SpanIndex(cells)
    }

    /// Where a body cell came from, for messages.
    pub fn loc(&self, file: &str, row: usize, col: usize) -> Loc {
        match (
            self.rows.get(row).and_then(|r| r.source_row),
            self.source_cols.get(col),
        ) {
            (Some(r), Some(c)) => Loc::cell(file, &self.name, r, *c),
            _ => Loc::sheet(file, &self.name),
        }
    }

    /// The table with only the rows `kept` (ascending) and without the columns `drop` names;
    /// spans shrink to the rows kept (a span left with one cell is no span). `spans` (ascending
    /// indices into [`Table::spans`]) holds at least every span over a row kept. Costs what the
    /// rows kept and those spans cost, not the whole table: a batch takes each letter's rows so.
    pub fn select(&self, kept: &[usize], spans: &[usize], drop: &[usize]) -> Table {
        let candidates = || spans.iter().map(|&i| &self.spans[i]);
        // Where a row of the table lands, if it is kept.
        let new_row = |old: usize| kept.binary_search(&old).ok();
        // The rows kept within `start..end`.
        let kept_in = |start: usize, end: usize| {
            let from = kept.partition_point(|&r| r < start);
            let to = kept.partition_point(|&r| r < end);
            &kept[from..to]
        };
        let cols: Vec<usize> = (0..self.columns.len())
            .filter(|c| !drop.contains(c))
            .collect();
        let new_col = |old: usize| cols.iter().position(|&k| k == old);
        let new_spans = candidates()
            .filter_map(|s| {
                let rows = kept_in(s.row, s.row + s.rows);
                let cs: Vec<usize> = (s.col..s.col + s.cols).filter_map(new_col).collect();
                let span = Span {
                    row: new_row(*rows.first()?)?,
                    col: *cs.first()?,
                    rows: rows.len(),
                    cols: cs.len(),
                };
                (span.rows > 1 || span.cols > 1).then_some(span)
            })
            .collect();
        // A span whose top-left row was dropped gives its value to the first row kept.
        let mut rows: Vec<Row> = kept.iter().map(|&r| self.rows[r].clone()).collect();
        for s in candidates() {
            if let Some(first) = kept_in(s.row, s.row + s.rows)
                .first()
                .and_then(|&r| new_row(r))
            {
                for c in s.col..s.col + s.cols {
                    rows[first].cells[c] = self.rows[s.row].cells[c].clone();
                }
            }
        }
        Table {
            name: self.name.clone(),
            title: self.title.clone(),
            columns: cols.iter().map(|&c| self.columns[c].clone()).collect(),
            rows: rows
                .into_iter()
                .map(|r| Row {
                    cells: cols.iter().map(|&c| r.cells[c].clone()).collect(),
                    source_row: r.source_row,
                })
                .collect(),
            spans: new_spans,
            header_row: self.header_row,
            source_cols: cols
                .iter()
                .filter_map(|&c| self.source_cols.get(c).copied())
                .collect(),
        }
    }

    /// Reads an appendix sheet: an optional title row, a header of one row (groups written as
    /// `组/列`) or two rows (groups drawn with merged cells), and the body with its merged cells.
    ///
    /// # Errors
    /// When the sheet holds no header.
    pub fn read(sheet: &Sheet, file: &str) -> Result<Table, Diagnostic> {
        let (title, h) = title_and_header_row(sheet, file)?;
        let two_rows = has_two_row_header(sheet, h);
        let (columns, source_cols): (Vec<Column>, Vec<u32>) =
            header_columns(sheet, h, two_rows).unzip();
        if columns.is_empty() {
            return Err(Diagnostic::new(
                Rule::HeaderMissing,
                Loc::cell(file, &sheet.name, h, 0),
                format!("工作表「{}」没有表头", sheet.name.trim()),
            )
            .hint("请在标题行下面写表头（列名），再在下面逐行填写内容"));
        }
        let body_start = h + if two_rows { 2 } else { 1 };
        let body_rows: Vec<u32> = (body_start..sheet.rows.len() as u32)
            .filter(|&r| !is_blank_row(sheet, r as usize))
            .collect();
        let rows = body_rows
            .iter()
            .map(|&r| Row {
                cells: source_cols
                    .iter()
                    .map(|&c| Cell {
                        value: value_of(sheet.get(r, c)),
                        tone: Tone::Plain,
                    })
                    .collect(),
                source_row: Some(r),
            })
            .collect();
        let spans = body_spans(sheet, body_start, &body_rows, &source_cols);
        let name = sheet.name.trim().to_string();
        Ok(Table {
            title: title.unwrap_or_else(|| title_from_sheet_name(&name)),
            name,
            columns,
            rows,
            spans,
            header_row: Some(h),
            source_cols,
        })
    }
}

/// Whether row `r` of the sheet holds nothing.
fn is_blank_row(sheet: &Sheet, r: usize) -> bool {
    sheet.rows[r].iter().all(SheetCell::is_blank)
}

/// The title, when the first row that holds anything holds one text and the next several, and
/// the (first) header row: the next row then, else that first row. An error when the sheet is
/// empty.
fn title_and_header_row(sheet: &Sheet, file: &str) -> Result<(Option<String>, u32), Diagnostic> {
    let mut nonblank = (0..sheet.rows.len()).filter(|&r| !is_blank_row(sheet, r));
    let Some(first) = nonblank.next() else {
        return Err(Diagnostic::new(
            Rule::HeaderMissing,
            Loc::sheet(file, &sheet.name),
            format!("工作表「{}」是空的", sheet.name.trim()),
        )
        .hint("请在第一行写表格标题，下面写表头和各行内容；不需要这个工作表时请删除它"));
    };
    // A row's texts, a merged title's repeated text once.
    let distinct = |r: usize| {
        let mut texts: Vec<String> = sheet.rows[r]
            .iter()
            .map(SheetCell::text)
            .filter(|t| !t.is_empty())
            .collect();
        texts.dedup();
        texts
    };
    let first_texts = distinct(first);
    let (title, header_row) = match nonblank.next() {
        Some(next) if first_texts.len() == 1 && distinct(next).len() >= 2 => {
            (Some(first_texts[0].clone()), next)
        }
        _ => (None, first),
    };
    Ok((title, header_row as u32))
}

/// Whether the header starting at row `h` has two rows: a cell of it merged across columns (a
/// group) or down into the next row.
fn has_two_row_header(sheet: &Sheet, h: u32) -> bool {
    sheet
        .merges
        .iter()
        .any(|m| (m.r1 == h && m.r2 == h && m.c2 > m.c1) || (m.r1 == h && m.r2 == h + 1))
}

/// The leaf columns of the header at row `h`, each with its sheet column; columns without a
/// name are left out.
fn header_columns(sheet: &Sheet, h: u32, two_rows: bool) -> impl Iterator<Item = (Column, u32)> {
    let width = sheet.rows.iter().map(Vec::len).max().unwrap_or(0) as u32;
    (0..width).filter_map(move |c| {
        let top = clean_header(&sheet.get(h, c).text());
        let (group, name) = if two_rows {
            let bottom = clean_header(&sheet.get(h + 1, c).text());
            let grouped = sheet
                .merge_covering(h, c)
                .is_some_and(|m| m.r1 == h && m.r2 == h && m.c2 > m.c1);
            if grouped && !bottom.is_empty() {
                (Some(top), bottom)
            } else if top.is_empty() {
                (None, bottom)
            } else {
                (None, top)
            }
        } else {
            match top.split_once(['/', '／']) {
                Some((g, n)) if !g.trim().is_empty() && !n.trim().is_empty() => {
                    (Some(g.trim().to_string()), n.trim().to_string())
                }
                _ => (None, top),
            }
        };
        (!name.is_empty()).then_some((Column { group, name }, c))
    })
}

/// The body's merged cells (those starting at or below `body_start`) as spans over the body
/// rows and columns read; a merge left with one cell is no span.
fn body_spans(sheet: &Sheet, body_start: u32, body_rows: &[u32], source_cols: &[u32]) -> Vec<Span> {
    sheet
        .merges
        .iter()
        .filter(|m| m.r1 >= body_start)
        .filter_map(|m| {
            let row = body_rows.iter().position(|&r| r == m.r1)?;
            let col = source_cols.iter().position(|&c| c == m.c1)?;
            let rows = body_rows
                .iter()
                .filter(|&&r| (m.r1..=m.r2).contains(&r))
                .count();
            let cols = source_cols
                .iter()
                .filter(|&&c| (m.c1..=m.c2).contains(&c))
                .count();
            (rows > 1 || cols > 1).then_some(Span {
                row,
                col,
                rows,
                cols,
            })
        })
        .collect()
}

/// `附件1 包保责任一览表` → `包保责任一览表`; a bare `附件1` keeps its name.
fn title_from_sheet_name(name: &str) -> String {
    let rest = name
        .trim_start_matches(contract::appendix())
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim();
    if rest.is_empty() {
        name.to_string()
    } else {
        rest.to_string()
    }
}

fn value_of(cell: &SheetCell) -> Value {
    match cell {
        SheetCell::Number(n) => Value::Number(*n),
        SheetCell::Date(d) => Value::Date(*d),
        SheetCell::Text(t) => Value::Text(
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        other => Value::Text(other.text()),
    }
}

fn is_wide(c: char) -> bool {
    !c.is_ascii()
}

/// A header as printed: lines joined, spaces between Chinese characters dropped (`任 务` → `任务`).
pub(crate) fn clean_header(text: &str) -> String {
    let chars: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            if before.is_some_and(is_wide) || after.is_some_and(is_wide) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// How a table prints: portrait or landscape, the type size, and each column's width.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintLayout {
    /// On landscape pages.
    pub landscape: bool,
    /// Type size in points.
    pub size_pt: f64,
    /// Column widths in points, summing to the 版心 width.
    pub widths_pt: Vec<f64>,
    /// Whether each column's cells are centred (short values) rather than set left.
    pub centred: Vec<bool>,
}

/// Type sizes a table may use, largest first: 四号, 小四, 五号 (never below 五号; 三号 is the
/// body's size, and table text off the body's grid must not be taken for body text).
pub(crate) const SIZES_PT: [f64; 3] = [14.0, 12.0, 10.5];
/// Width of the 版心 in points: portrait (156 mm) and landscape (225 mm).
pub(crate) const WIDTHS_PT: (f64, f64) = (156.0 / 25.4 * 72.0, 225.0 / 25.4 * 72.0);
/// Horizontal padding of a cell, in em, both sides together.
pub(crate) const CELL_PAD_EM: f64 = 0.8;

/// Width of `text`'s longest line in em (a hanzi is one em, ASCII half).
fn em_width(text: &str) -> f64 {
    text.lines()
        .map(|l| l.width() as f64 / 2.0)
        .fold(0.0, f64::max)
}

/// Width in em of the longest run that cannot break (ASCII words and numbers).
fn unbreakable_em(text: &str) -> f64 {
    text.split(|c: char| !c.is_ascii() || c.is_whitespace())
        .map(|w| w.len() as f64 / 2.0)
        .fold(0.0, f64::max)
}

/// A column is comfortable at this width (em) or at its natural width if that is less: names
/// and short phrases then wrap at most once or twice.
const COMFORTABLE_EM: f64 = 6.0;
/// Step of the width allocation, em.
const STEP_EM: f64 = 0.25;

/// Lines `text` takes in a column `width` em wide.
fn lines_in(text: &str, width: f64) -> f64 {
    let w = width.max(0.5);
    text.lines()
        .map(|l| (em_width(l) / w).ceil().max(1.0))
        .sum::<f64>()
        .max(1.0)
}

impl Table {
    /// Decides how the table prints: landscape when it has more than six columns or its columns
    /// do not fit the portrait 版心 at 五号; the largest size (四号 down to 五号) at which every
    /// column gets a comfortable width (its natural width, at most six characters, never
    /// narrower than its longest unbreakable run or half its header); then the room left goes,
    /// a quarter em at a time, to the column that most shortens the table.
    pub fn print_layout(&self) -> PrintLayout {
        let columns = self.column_texts();
        let fit = Fit::new(&columns);
        let mut widths = Widths::comfortable(&columns, &fit);
        widths.widen_where_it_shortens(&columns, self.rows.len());
        widths.widen_toward_natural(&columns);
        widths.share_room();
        PrintLayout {
            landscape: fit.landscape,
            size_pt: fit.size_pt,
            widths_pt: widths.points(&fit),
            centred: columns
                .iter()
                .map(|c| c.natural <= COMFORTABLE_EM)
                .collect(),
        }
    }

    /// Each column's texts and the widths they ask for: its header and its body cells that
    /// span one column (a cell spanning rows shares its lines among them).
    fn column_texts(&self) -> Vec<ColumnText<'_>> {
        let spans = self.span_index();
        let mut columns: Vec<ColumnText> = self.columns.iter().map(ColumnText::new).collect();
        for (c, column) in columns.iter_mut().enumerate() {
            for (r, row) in self.rows.iter().enumerate() {
                if spans.covered(r, c) {
                    continue;
                }
                let span = spans.at(r, c).copied();
                if span.is_some_and(|s| s.cols > 1) {
                    continue;
                }
                column.add(r, &row.cells[c].value, span.map_or(1.0, |s| s.rows as f64));
            }
        }
        columns
    }
}

/// One column as the width allocation sees it.
struct ColumnText<'a> {
    /// Its header.
    head: &'a str,
    /// Width in em of its longest line, header or cell.
    natural: f64,
    /// The least width in em it is comfortable at.
    least: f64,
    /// Its body cells that span one column.
    cells: Vec<BodyText>,
}

/// A body cell's text, in the row it starts in.
struct BodyText {
    /// The body row.
    row: usize,
    /// The text as printed.
    text: String,
    /// Rows it spans, that share its lines.
    rows: f64,
}

impl<'a> ColumnText<'a> {
    /// The column with its header only: a header of two characters stays on one line; a
    /// longer one may wrap to two.
    fn new(column: &'a Column) -> ColumnText<'a> {
        let chars = column.name.chars().count() as f64;
        let head_least = if chars <= 2.0 {
            chars
        } else {
            (chars / 2.0).ceil()
        };
        ColumnText {
            head: &column.name,
            natural: em_width(&column.name),
            least: 1.0f64.max(head_least.min(COMFORTABLE_EM)),
            cells: Vec::new(),
        }
    }

    /// Adds the body cell of row `row` spanning `rows` rows: a date or a number must fit on
    /// one line; text may wrap, but never inside an unbreakable run.
    fn add(&mut self, row: usize, value: &Value, rows: f64) {
        let text = value.text();
        let w = em_width(&text);
        self.natural = self.natural.max(w);
        let least = match value {
            Value::Date(_) | Value::Number(_) => w,
            Value::Text(_) => unbreakable_em(&text).max(w.min(COMFORTABLE_EM)),
        };
        self.least = self.least.max(least);
        self.cells.push(BodyText { row, text, rows });
    }

    /// The next width beyond `width` (em) at which one of its lines takes a line less.
    fn next_useful_width(&self, width: f64) -> f64 {
        std::iter::once(self.head)
            .chain(self.cells.iter().map(|b| b.text.as_str()))
            .flat_map(|t| t.lines())
            .filter_map(|l| {
                let len = em_width(l);
                let k = (len / width.max(0.5)).ceil();
                (k > 1.0).then(|| len / (k - 1.0))
            })
            .filter(|w| *w > width + 1e-6)
            .fold(f64::INFINITY, f64::min)
    }
}

/// The page and the type size a table prints at.
struct Fit {
    /// On landscape pages.
    landscape: bool,
    /// The 版心 width, points.
    total_pt: f64,
    /// Type size, points.
    size_pt: f64,
}

impl Fit {
    /// Landscape when there are more than six columns or their least widths do not fit the
    /// portrait 版心 at 五号; the largest size at which they fit (五号 when none does).
    fn new(columns: &[ColumnText]) -> Fit {
        let need = |size: f64| {
            columns
                .iter()
                .map(|c| (c.least + CELL_PAD_EM) * size)
                .sum::<f64>()
        };
        let smallest = *SIZES_PT.last().expect("sizes");
        let landscape = columns.len() > 6 || need(smallest) > WIDTHS_PT.0;
        let total_pt = if landscape { WIDTHS_PT.1 } else { WIDTHS_PT.0 };
        let size_pt = SIZES_PT
            .iter()
            .copied()
            .find(|&s| need(s) <= total_pt)
            .unwrap_or(smallest);
        Fit {
            landscape,
            total_pt,
            size_pt,
        }
    }
}

/// Column widths in em being allocated, and the room left to give.
struct Widths {
    /// Each column's width, em, padding left out.
    em: Vec<f64>,
    /// Width not given yet, em.
    room: f64,
}

impl Widths {
    /// Every column at its least width. When even that does not fit, all shrink alike and
    /// there is no room.
    fn comfortable(columns: &[ColumnText], fit: &Fit) -> Widths {
        let mut em: Vec<f64> = columns.iter().map(|c| c.least).collect();
        let line = fit.total_pt / fit.size_pt;
        let mut room = line - em.iter().map(|w| w + CELL_PAD_EM).sum::<f64>();
        if room < 0.0 {
            let k = (line - CELL_PAD_EM * columns.len() as f64) / em.iter().sum::<f64>();
            for w in &mut em {
                *w *= k;
            }
            room = 0.0;
        }
        Widths { em, room }
    }

    /// Widens, one step at a time, the column whose next useful width (the width at which one
    /// of its cells loses a line) shortens the table most per em it costs.
    fn widen_where_it_shortens(&mut self, columns: &[ColumnText], rows: usize) {
        while let Some((c, next)) = self.best_widening(columns, rows) {
            self.room -= next - self.em[c];
            self.em[c] = next;
        }
    }

    /// The column to widen next and its new width: the best rate of lines saved per em among
    /// the widenings the room allows; none when no widening saves a line.
    fn best_widening(&mut self, columns: &[ColumnText], rows: usize) -> Option<(usize, f64)> {
        let now = height(columns, rows, &self.em);
        let mut best: Option<(f64, usize, f64)> = None;
        for (c, column) in columns.iter().enumerate() {
            let next = column.next_useful_width(self.em[c]);
            let cost = next - self.em[c];
            if !next.is_finite() || cost > self.room + 1e-9 {
                continue;
            }
            let old = self.em[c];
            self.em[c] = next;
            let gain = now - height(columns, rows, &self.em);
            self.em[c] = old;
            let rate = gain / cost;
            if gain > 1e-9 && best.is_none_or(|(r, _, _)| rate > r) {
                best = Some((rate, c, next));
            }
        }
        best.map(|(_, c, next)| (c, next))
    }

    /// Gives the room, a step at a time, toward natural widths, the column lacking most first.
    fn widen_toward_natural(&mut self, columns: &[ColumnText]) {
        let natural = |c: usize| columns[c].natural;
        let em = &mut self.em;
        while self.room >= STEP_EM {
            let Some(c) = (0..em.len())
                .filter(|&c| natural(c) - em[c] > 1e-6)
                .max_by(|&a, &b| (natural(a) - em[a]).total_cmp(&(natural(b) - em[b])))
            else {
                break;
            };
            let give = STEP_EM.min(natural(c) - em[c]);
            em[c] += give;
            self.room -= give;
        }
    }

    /// Room left when every column has its natural width: shared by width.
    fn share_room(&mut self) {
        if self.room > 0.0 {
            let sum: f64 = self.em.iter().sum();
            for w in &mut self.em {
                *w += self.room * *w / sum;
            }
        }
    }

    /// The widths in points with their padding, scaled to fill the 版心 exactly and rounded
    /// down to a hundredth.
    fn points(&self, fit: &Fit) -> Vec<f64> {
        let raw: Vec<f64> = self
            .em
            .iter()
            .map(|w| (w + CELL_PAD_EM) * fit.size_pt)
            .collect();
        let sum: f64 = raw.iter().sum();
        raw.iter()
            .map(|w| (w * fit.total_pt / sum * 100.0).floor() / 100.0)
            .collect()
    }
}

/// The table's height in lines with the widths `em`: each row as tall as its tallest cell, a
/// cell spanning rows sharing its lines among them; the header as tall as its tallest cell.
fn height(columns: &[ColumnText], rows: usize, em: &[f64]) -> f64 {
    let mut row_lines = vec![1.0f64; rows];
    for (c, column) in columns.iter().enumerate() {
        for cell in &column.cells {
            let l = lines_in(&cell.text, em[c]) / cell.rows;
            if l > row_lines[cell.row] {
                row_lines[cell.row] = l;
            }
        }
    }
    let head = columns
        .iter()
        .enumerate()
        .map(|(c, column)| lines_in(column.head, em[c]))
        .fold(1.0, f64::max);
    row_lines.iter().sum::<f64>() + head
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Merge;

    fn sheet(rows: Vec<Vec<&str>>, merges: Vec<(u32, u32, u32, u32)>) -> Sheet {
        let mut s = crate::read::tests_support::sheet(rows);
        s.name = "附件1".into();
        s.merges = merges
            .into_iter()
            .map(|(r1, c1, r2, c2)| Merge { r1, c1, r2, c2 })
            .collect();
        s
    }

    #[test]
    fn a_two_row_merged_header_and_a_slash_header_read_the_same() {
        // The sheet as a clerk draws it: merged cells are filled by the reader.
        let merged = sheet(
            vec![
                vec!["一览表", "一览表", "一览表", "一览表"],
                vec!["序号", "名称", "三级包保责任", "三级包保责任"],
                vec!["序号", "名称", "县级", "乡级"],
                vec!["1", "甲矿", "张三", "李四"],
                vec!["2", "乙矿", "张三", "王五"],
            ],
            vec![
                (0, 0, 0, 3),
                (1, 0, 2, 0),
                (1, 1, 2, 1),
                (1, 2, 1, 3),
                (3, 2, 4, 2),
            ],
        );
        let slash = sheet(
            vec![
                vec!["一览表"],
                vec!["序号", "名称", "三级包保责任/县级", "三级包保责任 / 乡级"],
                vec!["1", "甲矿", "张三", "李四"],
                vec!["2", "乙矿", "张三", "王五"],
            ],
            vec![],
        );
        let a = Table::read(&merged, "a.xlsx").unwrap();
        let b = Table::read(&slash, "a.xlsx").unwrap();
        assert_eq!(a.title, "一览表");
        assert_eq!(a.columns, b.columns);
        assert_eq!(a.header(), b.header());
        assert_eq!(a.header_rows(), 2);
        let head = a.header();
        assert_eq!(
            head[2],
            HeadCell {
                text: "三级包保责任".into(),
                row: 0,
                col: 2,
                colspan: 2,
                rowspan: 1
            }
        );
        assert_eq!(head[0].rowspan, 2);
        assert_eq!(a.rows.len(), 2);
        assert_eq!(
            a.spans,
            [Span {
                row: 0,
                col: 2,
                rows: 2,
                cols: 1
            }]
        );
        assert!(b.spans.is_empty());
        assert_eq!(a.rows[1].source_row, Some(4));
    }

    #[test]
    fn filtering_rows_shrinks_spans_and_moves_their_value() {
        let t = Table::read(
            &sheet(
                vec![
                    vec![contract::route(), "任务", "完成时限"],
                    vec!["甲市", "一", "6月"],
                    vec!["乙市", "二", "6月"],
                    vec!["甲市", "三", "6月"],
                    vec!["乙市", "四", "7月"],
                ],
                vec![(1, 2, 3, 2)],
            ),
            "a.xlsx",
        )
        .unwrap();
        assert_eq!(t.title, "附件1");
        let only = |who: &'static str| {
            let kept: Vec<usize> = (0..t.rows.len())
                .filter(|&r| t.rows[r].cells[0].value == Value::Text(who.into()))
                .collect();
            let spans: Vec<usize> = (0..t.spans.len()).collect();
            t.select(&kept, &spans, &[0])
        };
        let b = only("乙市");
        assert_eq!(b.columns.len(), 2);
        assert_eq!(b.rows.len(), 2);
        assert_eq!(b.rows[0].cells[1].value, Value::Text("6月".into()));
        assert!(b.spans.is_empty(), "one row of the span is left: no span");
        let a = only("甲市");
        assert_eq!(
            a.spans,
            [Span {
                row: 0,
                col: 1,
                rows: 2,
                cols: 1
            }]
        );
    }

    #[test]
    fn headers_drop_spaces_between_chinese_characters() {
        assert_eq!(clean_header(" 任 务 "), "任务");
        assert_eq!(clean_header("矿山企业\n名称"), "矿山企业名称");
        assert_eq!(clean_header("Mine  name"), "Mine name");
    }

    #[test]
    fn wide_tables_print_landscape_and_never_below_wuhao() {
        let mut t = Table::new(
            "附件1",
            "一览表",
            (0..12).map(|i| Column::new(format!("列名{i}"))).collect(),
        );
        t.rows.push(Row {
            cells: (0..12)
                .map(|_| Cell::text("西峡县金邦矿业有限公司梅子沟金矿"))
                .collect(),
            source_row: None,
        });
        let l = t.print_layout();
        assert!(l.landscape);
        assert!(l.size_pt >= 10.5);
        let sum: f64 = l.widths_pt.iter().sum();
        assert!((sum - WIDTHS_PT.1).abs() < 0.2, "{sum}");
        let narrow = Table::new(
            "附件1",
            "清单",
            vec![Column::new("序号"), Column::new("任务")],
        );
        let l = narrow.print_layout();
        assert!(!l.landscape);
        assert_eq!(l.size_pt, 14.0);
    }
}
