//! Ledger: the 整改台账 as a formatted XLSX, from the same records as the PDF.
//!
//! Sheet 整改台账 holds one row per issue with the contract's columns and any extra ones; sheet
//! 统计 counts issues by 层面 × 整改状态. Column widths are computed from display width (CJK
//! counts two), because `autofit` under-measures Chinese text.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};
use unicode_width::UnicodeWidthStr;

use crate::model::{Document, Issue, Status, Tally};

const BODY_FONT: &str = "仿宋";
const HEAD_FONT: &str = "黑体";
/// Excel's paper size code for A4.
const A4: u8 = 9;

/// How a ledger column gets its value from an issue.
type Getter = Box<dyn Fn(&Issue, &Document) -> Value>;

/// One column of the ledger: header, how wide it may grow, and its value for an issue.
struct LedgerColumn {
    header: String,
    max_width: f64,
    value: Getter,
}

enum Value {
    Text(String),
    Number(f64),
    Date(chrono::NaiveDate),
}

fn text(s: Option<&String>) -> Value {
    Value::Text(s.cloned().unwrap_or_default())
}

fn columns(doc: &Document) -> Vec<LedgerColumn> {
    let col = |header: &str, max_width: f64, value: Getter| LedgerColumn {
        header: header.to_string(),
        max_width,
        value,
    };
    let mut cols = vec![
        col("序号", 6.0, Box::new(|i, _| Value::Number(i.number as f64))),
        col("层面", 10.0, Box::new(|i, _| text(i.level.as_ref()))),
        col("类别", 16.0, Box::new(|i, _| text(i.category.as_ref()))),
        col("问题来源", 12.0, Box::new(|i, _| text(i.source.as_ref()))),
        col(
            "存在问题",
            36.0,
            Box::new(|i, _| Value::Text(i.finding.clone())),
        ),
        col(
            "整改状态",
            11.0,
            Box::new(|i, _| Value::Text(i.status.label().into())),
        ),
        col(
            "整改措施",
            44.0,
            Box::new(|i, _| {
                Value::Text(
                    i.measures
                        .iter()
                        .map(|m| m.text.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            }),
        ),
        col("责任单位", 14.0, Box::new(|i, _| text(i.unit.as_ref()))),
        col("责任人", 8.0, Box::new(|i, _| text(i.person.as_ref()))),
        col(
            "整改时限",
            16.0,
            Box::new(|i, _| i.deadline.map_or(Value::Text(String::new()), Value::Date)),
        ),
        col(
            "完成时间",
            16.0,
            Box::new(|i, _| i.finished.map_or(Value::Text(String::new()), Value::Date)),
        ),
        col(
            "是否逾期",
            9.0,
            Box::new(|i, d| {
                Value::Text(
                    if i.is_overdue(d.info.date) {
                        "已逾期"
                    } else {
                        ""
                    }
                    .into(),
                )
            }),
        ),
        col("备注", 14.0, Box::new(|i, _| text(i.note.as_ref()))),
    ];
    let mut extras: Vec<&String> = doc.issues.iter().flat_map(|i| i.extra.keys()).collect();
    extras.sort();
    extras.dedup();
    for name in extras {
        let key = name.clone();
        cols.push(col(
            name,
            14.0,
            Box::new(move |i, _| text(i.extra.get(&key))),
        ));
    }
    cols
}

/// The width a column needs, in Excel character units (CJK counts two), within bounds.
fn width_for(texts: impl Iterator<Item = String>, max: f64) -> f64 {
    let widest = texts
        .flat_map(|t| t.lines().map(|l| l.width()).collect::<Vec<_>>())
        .max()
        .unwrap_or(0);
    (widest as f64 + 2.0).clamp(6.0, max)
}

/// Points per wrapped line of 10 pt text.
const LINE_HEIGHT: f64 = 13.5;

/// How many lines `text` takes in a column `width` units wide once wrapped. Excel and
/// LibreOffice do not grow row heights for wrapped text written by a program, so we set them.
fn wrapped_lines(text: &str, width: f64) -> usize {
    let per_line = (width - 1.0).max(1.0);
    text.lines()
        .map(|l| ((l.width() as f64) / per_line).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

fn display(value: &Value) -> String {
    match value {
        Value::Text(t) => t.clone(),
        Value::Number(n) => n.to_string(),
        Value::Date(d) => crate::model::format_date(*d),
    }
}

/// Writes the ledger workbook and returns its bytes.
///
/// # Errors
/// rust_xlsxwriter's errors (they mean a bug, not bad data: values are checked before).
pub fn write(doc: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let date = doc.info.date;
    let created = ExcelDateTime::from_ymd(
        date.year_ce().1 as u16,
        date.month0() as u8 + 1,
        date.day0() as u8 + 1,
    )?;
    book.set_properties(
        &DocProperties::new()
            .set_title(&doc.info.title)
            .set_creation_datetime(&created),
    );
    ledger_sheet(book.add_worksheet(), doc)?;
    tally_sheet(book.add_worksheet(), doc)?;
    book.save_to_buffer()
}

use chrono::Datelike;

fn cell_format(font: &str) -> Format {
    Format::new()
        .set_font_name(font)
        .set_font_size(10)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

fn ledger_sheet(sheet: &mut Worksheet, doc: &Document) -> Result<(), XlsxError> {
    sheet.set_name("整改台账")?;
    let cols = columns(doc);
    let last_col = (cols.len() - 1) as u16;
    let title = Format::new()
        .set_font_name(HEAD_FONT)
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    sheet.merge_range(
        0,
        0,
        0,
        last_col,
        &format!(
            "{}整改台账（截至{}）",
            doc.info.issuer,
            crate::model::format_date(doc.info.date)
        ),
        &title,
    )?;
    sheet.set_row_height(0, 30)?;
    let head = cell_format(HEAD_FONT)
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_bold();
    let body = cell_format(BODY_FONT);
    let centered = body.clone().set_align(FormatAlign::Center);
    let date_fmt = centered.clone().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let status_fill = |s: Status| match s {
        Status::Done => Color::RGB(0xE2EFDA),
        Status::InProgress => Color::RGB(0xFFF2CC),
        Status::NotStarted => Color::RGB(0xEDEDED),
    };
    let overdue = body
        .clone()
        .set_font_color(Color::RGB(0xC00000))
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xFCE4E4));
    for (c, col) in cols.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, &col.header, &head)?;
    }
    let widths: Vec<f64> = cols
        .iter()
        .map(|col| {
            let texts = std::iter::once(col.header.clone())
                .chain(doc.issues.iter().map(|i| display(&(col.value)(i, doc))));
            let dated = col.header.contains("时限") || col.header.contains("时间");
            if dated {
                14.0
            } else {
                width_for(texts, col.max_width)
            }
        })
        .collect();
    for (c, width) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
    }
    for (r, issue) in doc.issues.iter().enumerate() {
        let row = (r + 2) as u32;
        let lines = cols
            .iter()
            .zip(&widths)
            .map(|(col, w)| wrapped_lines(&display(&(col.value)(issue, doc)), *w))
            .max()
            .unwrap_or(1);
        sheet.set_row_height(row, lines as f64 * LINE_HEIGHT + 4.0)?;
        for (c, col) in cols.iter().enumerate() {
            let c = c as u16;
            match (col.value)(issue, doc) {
                Value::Number(n) => sheet.write_number_with_format(row, c, n, &centered)?,
                Value::Date(d) => {
                    let x =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    sheet.write_datetime_with_format(row, c, &x, &date_fmt)?
                }
                Value::Text(t) if col.header == "整改状态" => sheet.write_string_with_format(
                    row,
                    c,
                    &t,
                    &centered
                        .clone()
                        .set_background_color(status_fill(issue.status)),
                )?,
                Value::Text(t) if col.header == "是否逾期" && !t.is_empty() => {
                    sheet.write_string_with_format(row, c, &t, &overdue)?
                }
                Value::Text(t) => sheet.write_string_with_format(row, c, &t, &body)?,
            };
        }
    }
    let last_row = (doc.issues.len() + 1) as u32;
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, last_row.max(2), last_col)?;
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 1)?;
    sheet.set_print_center_horizontally(true);
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

fn tally_sheet(sheet: &mut Worksheet, doc: &Document) -> Result<(), XlsxError> {
    sheet.set_name("统计")?;
    let head = cell_format(HEAD_FONT)
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_bold();
    let body = cell_format(BODY_FONT);
    let number = body.clone().set_align(FormatAlign::Center);
    let headers = [
        "层面",
        "问题总数",
        Status::Done.label(),
        Status::InProgress.label(),
        Status::NotStarted.label(),
        "已逾期",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &head)?;
    }
    let mut rows: Vec<(String, Tally)> = doc
        .levels()
        .into_iter()
        .map(|(name, issues)| {
            let name = name.unwrap_or("（未分层面）").to_string();
            let sub = Document {
                issues: issues.into_iter().cloned().collect(),
                ..doc.clone()
            };
            (name, sub.tally())
        })
        .collect();
    rows.push(("合计".to_string(), doc.tally()));
    for (r, (name, t)) in rows.iter().enumerate() {
        let row = (r + 1) as u32;
        sheet.write_string_with_format(row, 0, name, &body)?;
        for (c, n) in [t.total, t.done, t.in_progress, t.not_started, t.overdue]
            .iter()
            .enumerate()
        {
            sheet.write_number_with_format(row, (c + 1) as u16, *n as f64, &number)?;
        }
    }
    let first = width_for(rows.iter().map(|(n, _)| n.clone()), 30.0);
    sheet.set_column_width(0, first)?;
    for c in 1..headers.len() {
        sheet.set_column_width(c as u16, 12.0)?;
    }
    sheet.set_paper_size(A4);
    Ok(())
}
