//! 文件信息: one key per row (项目 | 内容).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Context, DATE_HINT, parse_date};
use crate::contract::{self, Field, KeyId, Kind, SheetId};
use crate::diag::{Diagnostic, Loc, Rule};
use crate::model::{Info, parse_yes, split_names};
use crate::read::{Cell, normalize_header};

/// The 文种 a workbook names, and its cell: known even when other keys are missing, so that
/// the sheets it uses are read and checked in the same run.
pub(super) struct KindCell {
    /// The 文种, trimmed.
    pub(super) kind: String,
    /// Its cell.
    pub(super) loc: Loc,
}

/// Reads 文件信息: the record, `None` when the sheet is missing or lacks a required key (each
/// reported), and the 文种 it names.
pub(super) fn read(cx: &mut Context) -> (Option<Info>, Option<KindCell>) {
    let sheet = contract::sheet(SheetId::Info);
    if cx.book.sheet(&sheet.name).is_none() {
        let missing = missing_sheet(cx.file(), sheet);
        cx.report.push(missing);
        return (None, None);
    }
    let Some(entries) = read_entries(cx, sheet) else {
        return (None, None);
    };
    let kind = entries.kind();
    let complete = report_missing_keys(cx, sheet, &entries);
    let seal = read_seal(cx, &entries);
    let info = if complete {
        entries.into_info(seal)
    } else {
        None
    };
    (info, kind)
}

/// The keys of 文件信息 as read, before the required ones are checked.
struct Entries {
    /// Each key's value as printed.
    fields: BTreeMap<String, String>,
    /// Each key's value cell.
    cells: BTreeMap<String, Loc>,
    /// The 成文日期, typed.
    date: Option<NaiveDate>,
    /// The sheet, for a key it lacks.
    sheet: Loc,
}

impl Entries {
    /// The 文种 named, when its value is not empty.
    fn kind(&self) -> Option<KindCell> {
        let key = contract::key(KeyId::Kind);
        let (kind, loc) = (self.fields.get(key)?, self.cells.get(key)?);
        let kind = kind.trim();
        (!kind.is_empty()).then(|| KindCell {
            kind: kind.to_string(),
            loc: loc.clone(),
        })
    }

    /// The record, when every key it needs is there.
    fn into_info(self, seal: bool) -> Option<Info> {
        let fields = self.fields;
        Some(Info {
            seal,
            kind: fields.get(contract::key(KeyId::Kind))?.trim().to_string(),
            issuer: fields.get(contract::key(KeyId::Issuer))?.clone(),
            title: fields.get(contract::key(KeyId::Title))?.clone(),
            date: self.date?,
            signers: fields
                .get(contract::key(KeyId::Signers))
                .map(|s| split_names(s))
                .unwrap_or_default(),
            fields,
            cells: self.cells,
        })
    }
}

/// The error for a workbook without 文件信息, naming the keys it must hold.
fn missing_sheet(file: &str, sheet: &contract::Sheet) -> Diagnostic {
    let (key_name, value_name) = (sheet.col(Field::Key), sheet.col(Field::Value));
    let required: Vec<&str> = contract::keys()
        .iter()
        .filter(|k| k.required)
        .map(|k| k.name.as_str())
        .collect();
    Diagnostic::new(
        Rule::SheetMissing,
        Loc::file(file),
        format!("缺少工作表「{}」", sheet.name),
    )
    .hint(format!(
        "请添加名为「{}」的工作表，表头为「{key_name} | {value_name}」，至少填写 {}",
        sheet.name,
        required.join("、")
    ))
}

/// Reads every row of 文件信息 (项目 | 内容); `None` when its header is missing (reported).
fn read_entries(cx: &mut Context, sheet: &contract::Sheet) -> Option<Entries> {
    let file = cx.file().to_string();
    let (key_name, value_name) = (sheet.col(Field::Key), sheet.col(Field::Value));
    let table = cx.records(sheet)?;
    let key_col = table.column(key_name)?;
    let value_col = table.column(value_name)?;
    let mut entries = Entries {
        fields: BTreeMap::new(),
        cells: BTreeMap::new(),
        date: None,
        sheet: Loc::sheet(&file, &table.sheet),
    };
    for row in &table.rows {
        let key = normalize_header(&row.cells[key_col].text());
        let value = &row.cells[value_col];
        if key.is_empty() {
            cx.report.push(
                Diagnostic::new(
                    Rule::KeyUnnamed,
                    Loc::cell(&file, &table.sheet, row.row, table.columns[key_col].col),
                    format!(
                        "「{value_name}」“{}”没有对应的「{key_name}」名称，已忽略",
                        value.text()
                    ),
                )
                .hint(format!("请在「{key_name}」列写上这一项的名称")),
            );
            continue;
        }
        let loc = Loc::cell(&file, &table.sheet, row.row, table.columns[value_col].col);
        read_entry(cx, &mut entries, key_name, key, value, loc);
    }
    Some(entries)
}

/// Reads the value of `key` at `loc` into `entries`, listing it as printed; a key given twice
/// keeps its last value (reported), an unreadable value is left out (reported).
fn read_entry(
    cx: &mut Context,
    entries: &mut Entries,
    key_name: &str,
    key: String,
    value: &Cell,
    loc: Loc,
) {
    if entries.cells.insert(key.clone(), loc.clone()).is_some() {
        cx.report.push(
            Diagnostic::new(
                Rule::KeyDuplicate,
                loc.clone(),
                format!("{key_name}「{key}」重复填写，采用最后一次的内容"),
            )
            .hint("请删去多余的一行"),
        );
    }
    let Some(Value { text, date }) = value_text(cx, &key, value, &loc) else {
        return;
    };
    let declared = contract::info_key(&key);
    let id = declared.map(|k| k.id);
    if id == Some(KeyId::Date) {
        entries.date = date;
    }
    let faces = declared.map_or(contract::OTHER_FACES, |k| &k.faces[..]);
    if !matches!(id, Some(KeyId::Kind | KeyId::Seal)) {
        cx.print(loc, &text, faces);
    }
    entries.fields.insert(key, text);
}

/// Reports each required key that is missing or empty; whether none is.
fn report_missing_keys(cx: &mut Context, sheet: &contract::Sheet, entries: &Entries) -> bool {
    let mut complete = true;
    for k in contract::keys().iter().filter(|k| k.required) {
        if entries
            .fields
            .get(&k.name)
            .is_some_and(|v| !v.trim().is_empty())
        {
            continue;
        }
        complete = false;
        let key = k.name.as_str();
        let (rule, loc, what) = match entries.cells.get(key) {
            Some(loc) if entries.fields.contains_key(key) => {
                (Rule::ValueMissing, loc.clone(), format!("「{key}」为空"))
            }
            Some(_) => continue, // reported as an unreadable value already
            None => (
                Rule::KeyMissing,
                entries.sheet.clone(),
                format!("缺少必填项目「{key}」"),
            ),
        };
        cx.report
            .push(Diagnostic::new(rule, loc, what).hint(format!(
                "请在「{}」中填写「{key}」（{}）",
                sheet.name, k.meaning
            )));
    }
    complete
}

/// Whether the document is sealed (印章: 是); a wording that is neither yes nor no is reported
/// and taken as no.
fn read_seal(cx: &mut Context, entries: &Entries) -> bool {
    let seal_key = contract::key(KeyId::Seal);
    match entries.fields.get(seal_key) {
        None => false,
        Some(v) => parse_yes(v).unwrap_or_else(|| {
            cx.report.push(
                Diagnostic::new(Rule::ValueInvalid, entries.cells[seal_key].clone(), format!("「{seal_key}」的内容“{v}”无法识别"))
                    .hint("加盖印章的公文填“是”（落款按加盖印章的格式排：成文日期右空四字、署名居中其上），不加盖填“否”或留空"),
            );
            false
        }),
    }
}

/// A 文件信息 value: its text as printed, and the date when the key holds one.
pub(super) struct Value {
    /// As printed (a date as 2024年3月2日).
    pub(super) text: String,
    /// The date, read once here and kept typed.
    pub(super) date: Option<NaiveDate>,
}

/// A value as text: dates (by the key's declared kind, or a key ending in 日期) printed as 公文
/// print them. `None`, reported, when the value cannot be read.
pub(super) fn value_text(cx: &mut Context, key: &str, value: &Cell, loc: &Loc) -> Option<Value> {
    if let Some(d) = super::cell_problem(loc.clone(), key, value) {
        cx.report.push(d);
        return None;
    }
    let is_date = contract::info_key(key).map_or(key.ends_with("日期"), |k| k.kind == Kind::Date);
    if !is_date || value.is_blank() {
        return Some(Value {
            text: value.text(),
            date: None,
        });
    }
    match parse_date(value) {
        Some(d) => Some(Value {
            text: crate::date::format(d),
            date: Some(d),
        }),
        None => {
            cx.report.push(
                Diagnostic::new(
                    Rule::DateInvalid,
                    loc.clone(),
                    format!("「{key}」的内容“{}”不是日期", value.text()),
                )
                .hint(DATE_HINT),
            );
            None
        }
    }
}
