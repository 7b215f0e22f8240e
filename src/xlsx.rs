//! XLSX: one writer for every [`Table`] — the 整改台账 ledger, the 督办事项 list, the appendix
//! registers — so that they all look alike and a clerk can print any of them.
//!
//! Each table becomes a worksheet: its title in a row merged across the table, the header of one
//! or two rows with its groups merged, the body with its merged cells, thin borders, wrapped
//! text, column widths from display width (a hanzi counts two: `autofit` under-measures Chinese),
//! row heights from the wrapped lines (Excel and LibreOffice do not grow them for a file written
//! by a program), the header frozen and filterable, and A4 print setup with the header rows
//! repeated on every page.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};
use unicode_width::UnicodeWidthStr;

use crate::table::{Table, Tone, Value};

const BODY_FONT: &str = "仿宋";
const HEAD_FONT: &str = "黑体";
/// Excel's paper size code for A4.
const A4: u8 = 9;
/// Points per wrapped line of 10 pt text.
const LINE_HEIGHT: f64 = 13.5;
/// Widest a column grows, in Excel character units.
const MAX_WIDTH: f64 = 40.0;
/// Width of a date column.
const DATE_WIDTH: f64 = 15.0;

/// Writes `tables`, one worksheet each, into a workbook and returns its bytes. `date` is the
/// document's date: the file's creation date, so the same input gives the same bytes.
///
/// # Errors
/// rust_xlsxwriter's errors (they mean a bug, not bad data: values are checked before).
pub(crate) fn write(tables: &[Table], title: &str, date: NaiveDate) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created =
        ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&created),
    );
    let mut names: Vec<String> = Vec::new();
    for table in tables {
        let name = sheet_name(&table.name, &names);
        names.push(name.clone());
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        write_table(sheet, table)?;
    }
    book.save_to_buffer()
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'').to_string();
    let base: String = if clean.is_empty() {
        "表".to_string()
    } else {
        clean
    };
    let base: String = base.chars().take(31).collect();
    let mut name = base.clone();
    let mut n = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let suffix = format!("（{n}）");
        name = base
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    name
}

fn cell_format(font: &str) -> Format {
    Format::new()
        .set_font_name(font)
        .set_font_size(10)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

/// The formats of one sheet.
struct Formats {
    title: Format,
    head: Format,
    body: Format,
    centred: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        let body = cell_format(BODY_FONT);
        let centred = body.clone().set_align(FormatAlign::Center);
        Formats {
            title: Format::new()
                .set_font_name(HEAD_FONT)
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            head: cell_format(HEAD_FONT)
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_bold(),
            date: centred.clone().set_num_format("yyyy\"年\"m\"月\"d\"日\""),
            body,
            centred,
        }
    }

    /// The format of a body cell: by its value and its tone.
    fn for_cell(&self, value: &Value, tone: Tone, centred: bool) -> Format {
        let base = match value {
            Value::Date(_) => self.date.clone(),
            Value::Number(_) => self.centred.clone(),
            Value::Text(_) if centred => self.centred.clone(),
            Value::Text(_) => self.body.clone(),
        };
        match tone {
            Tone::Plain => base,
            Tone::Done => base.set_background_color(Color::RGB(0xE2EFDA)),
            Tone::InProgress => base.set_background_color(Color::RGB(0xFFF2CC)),
            Tone::NotStarted => base.set_background_color(Color::RGB(0xEDEDED)),
            Tone::Alert => base
                .set_font_color(Color::RGB(0xC00000))
                .set_bold()
                .set_background_color(Color::RGB(0xFCE4E4)),
        }
    }
}

/// The width a column needs, in Excel character units (a hanzi counts two), within bounds.
fn width_for<'a>(texts: impl Iterator<Item = &'a str>) -> f64 {
    let widest = texts
        .flat_map(|t| t.lines().map(UnicodeWidthStr::width).collect::<Vec<_>>())
        .max()
        .unwrap_or(0);
    (widest as f64 + 2.0).clamp(6.0, MAX_WIDTH)
}

/// How many lines `text` takes in a column `width` units wide once wrapped.
fn wrapped_lines(text: &str, width: f64) -> usize {
    let per_line = (width - 1.0).max(1.0);
    text.lines()
        .map(|l| ((l.width() as f64) / per_line).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

fn write_table(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxError> {
    let f = Formats::new();
    let widths = column_widths(table);
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    write_title(sheet, table, &widths, &f)?;
    write_header(sheet, table, &widths, &f)?;
    write_body(sheet, table, &widths, &f)?;
    set_up_pages(sheet, table)
}

/// The last column of the sheet (the title spans to it).
fn last_col(table: &Table) -> u16 {
    (table.columns.len().max(1) - 1) as u16
}

/// The sheet row of the first body row: after the title and the header.
fn first_body(table: &Table) -> u32 {
    1 + table.header_rows() as u32
}

/// Column widths from the header leaves and the body (merged cells over several columns do
/// not widen one column); a column with a date is wide enough for it.
fn column_widths(table: &Table) -> Vec<f64> {
    let spans = table.span_index();
    (0..table.columns.len())
        .map(|c| {
            let body: Vec<String> = table
                .rows
                .iter()
                .enumerate()
                .filter(|(r, _)| spans.at(*r, c).is_none_or(|s| s.cols == 1))
                .map(|(_, row)| row.cells[c].value.text())
                .collect();
            let dated = table
                .rows
                .iter()
                .any(|r| matches!(r.cells[c].value, Value::Date(_)));
            let w = width_for(
                std::iter::once(table.columns[c].name.as_str())
                    .chain(body.iter().map(String::as_str)),
            );
            if dated { w.max(DATE_WIDTH) } else { w }
        })
        .collect()
}

/// The title in the first row, merged across the table, as tall as its wrapped lines.
fn write_title(
    sheet: &mut Worksheet,
    table: &Table,
    widths: &[f64],
    f: &Formats,
) -> Result<(), XlsxError> {
    if table.columns.len() > 1 {
        sheet.merge_range(0, 0, 0, last_col(table), &table.title, &f.title)?;
    } else {
        sheet.write_string_with_format(0, 0, &table.title, &f.title)?;
    }
    let total_width: f64 = widths.iter().sum();
    let title_lines = wrapped_lines(&table.title, total_width / 1.6).max(1);
    sheet.set_row_height(0, 24.0 * title_lines as f64 + 6.0)?;
    Ok(())
}

/// The header's rows, groups merged over their columns, each row as tall as its tallest cell.
fn write_header(
    sheet: &mut Worksheet,
    table: &Table,
    widths: &[f64],
    f: &Formats,
) -> Result<(), XlsxError> {
    let mut head_lines = vec![1usize; table.header_rows()];
    for h in table.header() {
        let row = 1 + h.row as u32;
        let (c1, c2) = (h.col as u16, (h.col + h.colspan - 1) as u16);
        let r2 = row + h.rowspan as u32 - 1;
        if c1 != c2 || row != r2 {
            sheet.merge_range(row, c1, r2, c2, &h.text, &f.head)?;
        } else {
            sheet.write_string_with_format(row, c1, &h.text, &f.head)?;
        }
        let w: f64 = widths[h.col..h.col + h.colspan].iter().sum();
        let lines = wrapped_lines(&h.text, w).div_ceil(h.rowspan);
        for l in &mut head_lines[h.row..h.row + h.rowspan] {
            *l = (*l).max(lines);
        }
    }
    for (k, lines) in head_lines.iter().enumerate() {
        sheet.set_row_height(1 + k as u32, *lines as f64 * LINE_HEIGHT + 6.0)?;
    }
    Ok(())
}

/// The body, merged cells merged, each row as tall as its tallest cell (a merged cell's lines
/// shared among its rows); a column of short values is centred.
fn write_body(
    sheet: &mut Worksheet,
    table: &Table,
    widths: &[f64],
    f: &Formats,
) -> Result<(), XlsxError> {
    let spans = table.span_index();
    let centred: Vec<bool> = (0..table.columns.len())
        .map(|c| {
            table
                .rows
                .iter()
                .all(|r| r.cells[c].value.text().width() <= 8)
        })
        .collect();
    for (r, row) in table.rows.iter().enumerate() {
        let xr = first_body(table) + r as u32;
        let mut lines = 1;
        for (c, cell) in row.cells.iter().enumerate() {
            if spans.covered(r, c) {
                continue;
            }
            let format = f.for_cell(&cell.value, cell.tone, centred[c]);
            let text = cell.value.text();
            if let Some(span) = spans.at(r, c) {
                let (r2, c2) = (xr + span.rows as u32 - 1, (c + span.cols - 1) as u16);
                sheet.merge_range(xr, c as u16, r2, c2, "", &format)?;
                let w: f64 = widths[c..c + span.cols].iter().sum();
                lines = lines.max(wrapped_lines(&text, w).div_ceil(span.rows));
            } else {
                lines = lines.max(wrapped_lines(&text, widths[c]));
            }
            write_value(sheet, xr, c as u16, &cell.value, &format)?;
        }
        sheet.set_row_height(xr, lines as f64 * LINE_HEIGHT + 4.0)?;
    }
    Ok(())
}

/// A body value as what it is: text, a number or a date.
fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Value::Text(t) => sheet.write_string_with_format(row, col, t, format)?,
        Value::Number(n) => sheet.write_number_with_format(row, col, *n, format)?,
        Value::Date(d) => {
            let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            sheet.write_datetime_with_format(row, col, &x, format)?
        }
    };
    Ok(())
}

/// The header stays in view, filters sit on its last row, and it repeats on every A4 page
/// (landscape for a table of more than six columns).
fn set_up_pages(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxError> {
    let last_header = table.header_rows() as u32;
    let first_body = first_body(table);
    sheet.set_freeze_panes(first_body, 0)?;
    let last_row = (first_body + table.rows.len() as u32)
        .saturating_sub(1)
        .max(first_body);
    sheet.autofilter(last_header, 0, last_row, last_col(table))?;
    if table.columns.len() > 6 {
        sheet.set_landscape();
    }
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, last_header)?;
    sheet.set_print_center_horizontally(true);
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let taken = vec!["附件1".to_string()];
        assert_eq!(sheet_name("附件1", &taken), "附件1（2）");
        assert_eq!(sheet_name("a/b:c", &[]), "a_b_c");
        assert!(sheet_name(&"很".repeat(40), &[]).chars().count() <= 31);
    }

    #[test]
    fn wrapped_lines_count_chinese_as_two() {
        assert_eq!(wrapped_lines("一二三四五", 11.0), 1);
        assert_eq!(wrapped_lines("一二三四五六", 11.0), 2);
        assert_eq!(wrapped_lines("甲\n乙", 20.0), 2);
    }
}
