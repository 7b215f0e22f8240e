//! 文件信息: one key per row (项目 | 内容).

use std::collections::BTreeMap;

use super::{Context, DATE_HINT, parse_date};
use crate::contract::{self, Field, KeyId, Kind, SheetId};
use crate::diag::{Diagnostic, Loc, Rule};
use crate::model::{Info, parse_yes, split_names};
use crate::read::{Cell, normalize_header};

/// Reads 文件信息; `None` when it is missing or lacks a required key (each reported).
pub(super) fn read(cx: &mut Context) -> (Option<Info>, Option<KindCell>) {
    let mut kind = None;
    let info = read_info(cx, &mut kind);
    (info, kind)
}

/// The 文种 a workbook names, and its cell: known even when other keys are missing, so that
/// the sheets it uses are read and checked in the same run.
pub(super) type KindCell = (String, Loc);

fn read_info(cx: &mut Context, kind_found: &mut Option<KindCell>) -> Option<Info> {
    let file = cx.file().to_string();
    let sheet = contract::sheet(SheetId::Info);
    let (key_name, value_name) = (sheet.col(Field::Key), sheet.col(Field::Value));
    if cx.book.sheet(&sheet.name).is_none() {
        let required: Vec<&str> = contract::keys()
            .iter()
            .filter(|k| k.required)
            .map(|k| k.name.as_str())
            .collect();
        cx.report.push(
            Diagnostic::new(
                Rule::SheetMissing,
                Loc::file(&file),
                format!("缺少工作表「{}」", sheet.name),
            )
            .hint(format!(
                "请添加名为「{}」的工作表，表头为「{key_name} | {value_name}」，至少填写 {}",
                sheet.name,
                required.join("、")
            )),
        );
        return None;
    }
    let table = cx.records(sheet)?;
    let key_col = table.column(key_name)?;
    let value_col = table.column(value_name)?;
    let mut fields = BTreeMap::new();
    let mut cells: BTreeMap<String, Loc> = BTreeMap::new();
    let mut date = None;
    for row in &table.rows {
        let key = normalize_header(&row.cells[key_col].text());
        let value = &row.cells[value_col];
        let loc = Loc::cell(&file, &table.sheet, row.row, table.columns[value_col].col);
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
        if cells.insert(key.clone(), loc.clone()).is_some() {
            cx.report.push(
                Diagnostic::new(
                    Rule::KeyDuplicate,
                    loc.clone(),
                    format!("{key_name}「{key}」重复填写，采用最后一次的内容"),
                )
                .hint("请删去多余的一行"),
            );
        }
        let Some(Value {
            text,
            date: as_date,
        }) = value_text(cx, &key, value, &loc)
        else {
            continue;
        };
        let id = contract::info_key(&key).map(|k| k.id);
        if id == Some(KeyId::Date) {
            date = as_date;
        }
        let faces = contract::info_key(&key).map_or(contract::OTHER_FACES, |k| &k.faces[..]);
        if !matches!(id, Some(KeyId::Kind | KeyId::Seal)) {
            cx.print(loc, &text, faces);
        }
        fields.insert(key, text);
    }
    let kind_key = contract::key(KeyId::Kind);
    if let (Some(k), Some(loc)) = (fields.get(kind_key), cells.get(kind_key))
        && !k.trim().is_empty()
    {
        *kind_found = Some((k.trim().to_string(), loc.clone()));
    }
    let sheet_loc = Loc::sheet(&file, &table.sheet);
    let mut complete = true;
    for k in contract::keys().iter().filter(|k| k.required) {
        if fields.get(&k.name).is_none_or(|v| v.trim().is_empty()) {
            complete = false;
            let key = k.name.as_str();
            let (rule, loc, what) = match cells.get(key) {
                Some(loc) if fields.contains_key(key) => {
                    (Rule::ValueMissing, loc.clone(), format!("「{key}」为空"))
                }
                Some(_) => continue, // reported as an unreadable value already
                None => (
                    Rule::KeyMissing,
                    sheet_loc.clone(),
                    format!("缺少必填项目「{key}」"),
                ),
            };
            cx.report
                .push(Diagnostic::new(rule, loc, what).hint(format!(
                    "请在「{}」中填写「{key}」（{}）",
                    sheet.name, k.meaning
                )));
        }
    }
    let seal_key = contract::key(KeyId::Seal);
    let seal = match fields.get(seal_key) {
        None => false,
        Some(v) => parse_yes(v).unwrap_or_else(|| {
            cx.report.push(
                Diagnostic::new(Rule::ValueInvalid, cells[seal_key].clone(), format!("「{seal_key}」的内容“{v}”无法识别"))
                    .hint("加盖印章的公文填“是”（落款按加盖印章的格式排：成文日期右空四字、署名居中其上），不加盖填“否”或留空"),
            );
            false
        }),
    };
    if !complete {
        return None;
    }
    Some(Info {
        seal,
        kind: fields.get(contract::key(KeyId::Kind))?.trim().to_string(),
        issuer: fields.get(contract::key(KeyId::Issuer))?.clone(),
        title: fields.get(contract::key(KeyId::Title))?.clone(),
        date: date?,
        signers: fields
            .get(contract::key(KeyId::Signers))
            .map(|s| split_names(s))
            .unwrap_or_default(),
        fields,
        cells,
    })
}

/// A value as text: dates (by the key's declared kind, or a key ending in 日期) printed as 公文
/// print them. `None`, reported, when the value cannot be read.
/// A 文件信息 value: its text as printed, and the date when the key holds one.
pub(super) struct Value {
    /// As printed (a date as 2024年3月2日).
    pub(super) text: String,
    /// The date, read once here and kept typed.
    pub(super) date: Option<chrono::NaiveDate>,
}

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
