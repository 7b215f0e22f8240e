//! Blank workbooks: `gongwen new <文种>` writes, from the contract declaration and the 文种's
//! template declaration, a workbook with every sheet and column that 文种 reads, one example
//! row each, dropdowns for values from a list (整改状态, 层面, 层级, 印章), date formats on date
//! columns, a prompt on every header saying what goes below it, and a 说明 sheet in plain
//! Chinese. `check` passes on it and `build` makes a valid document from it.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use crate::contract::{self, Field, KeyId, Kind, SheetId};
use crate::model::Status;
use crate::spec::Spec;

/// Rows below the header that get the dropdowns and date formats.
const ROWS: u32 = 500;

fn date_of(text: &str) -> Option<NaiveDate> {
    crate::date::parse(text)
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

struct Formats {
    head: Format,
    body: Format,
    date: Format,
    title: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let body = Format::new()
            .set_font_name("仿宋")
            .set_font_size(11)
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin);
        Formats {
            head: Format::new()
                .set_font_name("黑体")
                .set_font_size(11)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xD9E1F2)),
            date: body.clone().set_num_format("yyyy-mm-dd"),
            body,
            title: Format::new()
                .set_font_name("黑体")
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            note: Format::new()
                .set_font_name("仿宋")
                .set_font_size(11)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
        }
    }
}

/// A prompt on a header or key cell: its name as title (Excel allows 32 characters) and what
/// goes below it.
fn prompt(title: &str, message: &str) -> Result<DataValidation, XlsxError> {
    let title: String = title.chars().take(30).collect();
    let message: String = message.chars().take(250).collect();
    DataValidation::new()
        .allow_any_value()
        .set_input_title(title)?
        .set_input_message(message)
}

/// A dropdown of `values` (with `style` when a clerk types something else).
fn dropdown(
    values: &[&str],
    style: DataValidationErrorStyle,
    message: &str,
) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(values)?
        .set_error_style(style)
        .set_error_title("请从下拉列表中选择")?
        .set_error_message(message)
}

/// A date check on a column.
fn date_check() -> Result<DataValidation, XlsxError> {
    let from = excel_date(NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date"))?;
    let to = excel_date(NaiveDate::from_ymd_opt(2100, 12, 31).expect("a date"))?;
    DataValidation::new()
        .allow_date(DataValidationRule::Between(from, to))
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_title("这一列填日期")?
        .set_error_message("请填写日期，如 2026-06-30；也可以写成 2026年6月30日")
}

/// The sheets a blank workbook of `spec` holds: the contract's in its order, then the
/// template's own.
fn sheets(spec: &Spec) -> Vec<&contract::Sheet> {
    contract::sheets()
        .iter()
        .filter(|s| s.id != Some(SheetId::Info))
        .filter(|s| {
            spec.requires
                .iter()
                .chain(&spec.optional)
                .any(|n| *n == s.name)
        })
        .chain(&spec.sheets)
        .collect()
}

/// Whether the 文种 makes batches (reads 收文单位), so every list gets its 收文单位 column.
fn batches(spec: &Spec) -> bool {
    spec.optional.iter().any(|n| n == contract::route())
}

/// Writes the blank workbook for `spec` and returns its bytes.
///
/// # Errors
/// rust_xlsxwriter's errors (a bug, not bad input).
pub(crate) fn workbook(spec: &Spec) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    let created = excel_date(NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"))?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{}（空白工作簿）", spec.kind))
            .set_creation_datetime(&created),
    );
    info_sheet(book.add_worksheet(), spec, &f)?;
    for sheet in sheets(spec) {
        list_sheet(book.add_worksheet(), sheet, spec, &f)?;
    }
    if spec.optional.iter().any(|n| n == contract::appendix()) {
        appendix_sheet(book.add_worksheet(), &f)?;
    }
    notes_sheet(book.add_worksheet(), spec, &f)?;
    book.save_to_buffer()
}

fn info_sheet(ws: &mut Worksheet, spec: &Spec, f: &Formats) -> Result<(), XlsxError> {
    let info = contract::sheet(SheetId::Info);
    ws.set_name(&info.name)?;
    for (c, field) in [Field::Key, Field::Value].into_iter().enumerate() {
        let column = info
            .field(field)
            .expect("文件信息 declares its two columns");
        let c = c as u16;
        ws.write_string_with_format(0, c, &column.name, &f.head)?;
        ws.add_data_validation(0, c, 0, c, &prompt(&column.name, &column.meaning)?)?;
    }
    let mut rows: Vec<(String, String, String, Kind)> = Vec::new();
    for k in contract::keys() {
        let wanted = k.required || spec.keys.contains(&k.name);
        if !wanted {
            continue;
        }
        let value = if k.id == KeyId::Kind {
            spec.kind.clone()
        } else {
            spec.examples
                .get(&k.name)
                .cloned()
                .unwrap_or_else(|| k.example.to_string())
        };
        rows.push((k.name.to_string(), value, k.meaning.to_string(), k.kind));
    }
    for (name, (meaning, example)) in &spec.free_keys {
        rows.push((name.clone(), example.clone(), meaning.clone(), Kind::Text));
    }
    for (i, (key, value, meaning, kind)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, key, &f.body)?;
        match (kind, date_of(value)) {
            (Kind::Date, Some(d)) => {
                ws.write_datetime_with_format(r, 1, &excel_date(d)?, &f.date)?;
                ws.add_data_validation(
                    r,
                    1,
                    r,
                    1,
                    &date_check()?
                        .set_input_title(key.as_str())?
                        .set_input_message(meaning.as_str())?,
                )?;
            }
            (Kind::YesNo, _) => {
                ws.write_string_with_format(r, 1, value, &f.body)?;
                let v = dropdown(
                    &["是", "否"],
                    DataValidationErrorStyle::Stop,
                    "请填写 是 或 否",
                )?
                .set_input_title(key.as_str())?
                .set_input_message(meaning.as_str())?;
                ws.add_data_validation(r, 1, r, 1, &v)?;
            }
            _ => {
                ws.write_string_with_format(r, 1, value, &f.body)?;
                ws.add_data_validation(r, 1, r, 1, &prompt(key, meaning)?)?;
            }
        }
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 70)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn list_sheet(
    ws: &mut Worksheet,
    sheet: &contract::Sheet,
    spec: &Spec,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    let rows = sheet.example_rows();
    for (c, column) in blank_columns(sheet, spec).iter().enumerate() {
        let c = c as u16;
        // The column's example in each example row: the sheet's own, else the column's.
        let examples: Vec<String> = match sheet.columns.iter().position(|d| d.name == column.name) {
            Some(i) => rows.iter().map(|row| row[i].clone()).collect(),
            None => vec![column.example.clone(); rows.len()],
        };
        write_column(ws, c, column, &examples, f)?;
        if let Some(v) = column_check(column)? {
            ws.add_data_validation(
                1,
                c,
                ROWS,
                c,
                &v.set_input_title(column.name.as_str())?
                    .set_input_message(column.meaning.as_str())?,
            )?;
        }
        if column.kind == Kind::Date {
            ws.set_column_format(c, &f.date)?;
        }
    }
    ws.set_row_height(1, 30)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The columns of a list sheet in a blank workbook: its 收文单位 column only where there are
/// recipients; the 收文单位 sheet also shows that a column named like a 文件信息 key overrides
/// it for that recipient.
fn blank_columns(sheet: &contract::Sheet, spec: &Spec) -> Vec<contract::Column> {
    let recipients = sheet.id == Some(SheetId::Recipients);
    let mut columns: Vec<contract::Column> = sheet
        .columns
        .iter()
        .filter(|c| c.field != Some(Field::Route) || recipients || batches(spec))
        .cloned()
        .collect();
    if recipients {
        columns.push(contract::Column {
            name: contract::key(KeyId::DocNumber).to_string(),
            meaning: "这一份公文自己的发文字号（与文件信息同名的列覆盖文件信息中的同一项）"
                .to_string(),
            example: "××应急函〔2026〕1号".to_string(),
            ..columns[0].clone()
        });
    }
    columns
}

/// A column's header (with a prompt saying what goes below it), its width and its examples.
fn write_column(
    ws: &mut Worksheet,
    c: u16,
    column: &contract::Column,
    examples: &[String],
    f: &Formats,
) -> Result<(), XlsxError> {
    let (name, meaning) = (column.name.as_str(), column.meaning.as_str());
    ws.write_string_with_format(0, c, name, &f.head)?;
    ws.add_data_validation(0, c, 0, c, &prompt(name, meaning)?)?;
    let widest = examples
        .iter()
        .flat_map(|e| e.lines().map(UnicodeWidthStr::width))
        .max()
        .unwrap_or(0);
    let width = (name.width().max(widest) as f64 + 2.0).clamp(8.0, 50.0);
    ws.set_column_width(c, width)?;
    for (r, example) in examples.iter().enumerate() {
        let row = r as u32 + 1;
        match (column.kind, date_of(example)) {
            (Kind::Date, Some(d)) => {
                ws.write_datetime_with_format(row, c, &excel_date(d)?, &f.date)?;
            }
            _ if example.is_empty() => {
                ws.write_blank(row, c, &f.body)?;
            }
            _ => {
                ws.write_string_with_format(row, c, example, &f.body)?;
            }
        }
    }
    Ok(())
}

/// The check on a column's cells by its kind: a dropdown of its values, or a date.
fn column_check(column: &contract::Column) -> Result<Option<DataValidation>, XlsxError> {
    let choices: Vec<&str> = column.choices.iter().map(String::as_str).collect();
    Ok(match column.kind {
        Kind::Status => Some(dropdown(
            &Status::WORDINGS.map(|(s, _)| s.label()),
            DataValidationErrorStyle::Warning,
            "请填写 已完成整改、积极整改中 或 未启动",
        )?),
        Kind::Level => Some(dropdown(
            &["1", "2", "3", "4"],
            DataValidationErrorStyle::Stop,
            "层级填 1（一、）、2（（一））、3（1.）或 4（（1）），普通段落留空",
        )?),
        Kind::Date => Some(date_check()?),
        Kind::Choice => Some(dropdown(
            &choices,
            DataValidationErrorStyle::Stop,
            &format!("请从下拉列表中选择：{}", choices.join("、")),
        )?),
        Kind::YesNo => Some(dropdown(
            &["是", "否"],
            DataValidationErrorStyle::Stop,
            "请填写 是 或 否",
        )?),
        // A text column with choices suggests them and takes others too.
        _ if !choices.is_empty() => Some(dropdown(
            &choices,
            DataValidationErrorStyle::Information,
            "可从列表中选择，也可以填写其他内容",
        )?),
        _ => None,
    })
}

fn appendix_sheet(ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    let example = &contract::get().appendix_example;
    let a = contract::appendix();
    ws.set_name(format!("{a}1"))?;
    let last = example.header.len().saturating_sub(1) as u16;
    ws.merge_range(0, 0, 0, last, &example.title, &f.title)?;
    for (c, h) in example.header.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, h, &f.head)?;
    }
    for (c, v) in example.row.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, v, &f.body)?;
    }
    ws.add_data_validation(0, 0, 0, 0, &prompt("表格标题", &format!("第一行是附件的标题（可跨列合并）；第二行是表头，可用两行表头（合并单元格）或写成“组/列”；以下每行一条。{a}1、{a}2……各为一个工作表"))?)?;
    for (c, w) in example.widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(2, 0)?;
    Ok(())
}

fn notes_sheet(ws: &mut Worksheet, spec: &Spec, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(contract::notes())?;
    let mut lines: Vec<String> = vec![
        format!("这是文种「{}」的空白工作簿。{}", spec.kind, spec.description),
        "填写方法：把每个工作表中的示例行改成自己的内容（可以增加行），保存后运行 gongwen check 检查、gongwen build 生成公文。".into(),
        format!("gongwen 按表头名称读取各列，列的顺序可以调整，表头上方可以加标题行；这个「{}」工作表不会被读取，可以删除。", contract::notes()),
        "日期可以填日期，也可以写成 2026-06-30、2026/6/30、2026.6.30 或 2026年6月30日，一律印为 2026年6月30日。".into(),
        String::new(),
        {
            let info = contract::sheet(SheetId::Info);
            let required: Vec<&str> = contract::keys()
                .iter()
                .filter(|k| k.required)
                .map(|k| k.name.as_str())
                .collect();
            format!("「{}」：{}。每行一项，必填：{}。", info.name, info.meaning, required.join("、"))
        },
    ];
    for sheet in sheets(spec) {
        let required: Vec<&str> = sheet.required();
        lines.push(format!(
            "「{}」：{}。{}",
            sheet.name,
            sheet.meaning,
            if required.is_empty() {
                "各列都可不填。".to_string()
            } else {
                format!("必须有的列：{}。", required.join("、"))
            }
        ));
        for c in &sheet.columns {
            lines.push(format!("    {}：{}", c.name, c.meaning));
        }
    }
    if spec.optional.iter().any(|n| n == contract::appendix()) {
        let a = contract::appendix();
        lines.push(format!("「{a}1」「{a}2」……：附件表格。第一行写标题，下面是表头和各行内容；表头可以是两行（用合并单元格表示分组），也可以写成“分组/列名”。每个附件在公文后另页排印，也写入输出的 XLSX。"));
    }
    if batches(spec) {
        let r = contract::route();
        lines.push(format!("批量发文：有「{r}」工作表时，每行生成一份公文；与文件信息同名的列（如 {}）覆盖这一份的该项。其他工作表中「{r}」列写了哪个单位，这一行就只发给它，留空则发给每一个。不批量发文时删除「{r}」工作表即可。", contract::key(KeyId::DocNumber)));
    }
    ws.set_column_width(0, 110)?;
    for (r, line) in lines.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, line, &f.note)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_kind_has_a_blank_workbook_with_its_sheets() {
        let templates = crate::render::Templates::load(None);
        for kind in templates.kinds() {
            let spec = templates.spec(kind).unwrap();
            let bytes = workbook(spec).unwrap();
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("a.xlsx");
            std::fs::write(&path, bytes).unwrap();
            let book = crate::read::read_workbook(&path, "a.xlsx").unwrap();
            let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names[0], contract::sheet(SheetId::Info).name, "{kind}");
            assert_eq!(*names.last().unwrap(), contract::notes(), "{kind}");
            for needed in &spec.requires {
                assert!(names.contains(&needed.as_str()), "{kind} lacks {needed}");
            }
        }
    }
}
