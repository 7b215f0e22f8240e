//! Batches: the 收文单位 sheet (one document per row, with its overrides and variables) and the
//! routing of every other sheet's rows by their 收文单位 column.

use std::collections::BTreeMap;

use super::{Context, RowReader};
use crate::contract::{self, Field, SheetId};
use crate::diag::{Diagnostic, Rule};
use crate::model::{Info, Recipient, Routed};
use crate::table::Table;

/// Reads 收文单位: each row a recipient; a column named like a 文件信息 key overrides it.
pub(super) fn recipients(cx: &mut Context, info: Option<&Info>) -> Vec<Recipient> {
    let sheet = contract::sheet(SheetId::Recipients);
    let Some(records) = cx.records(sheet) else {
        return Vec::new();
    };
    let mut out: Vec<Recipient> = Vec::new();
    for r in RowReader::rows(cx, sheet, &records) {
        let Some(name) = r.declared(cx, Field::Addressee) else {
            cx.report.push(
                Diagnostic::new(
                    Rule::ValueMissing,
                    r.loc(Field::Addressee),
                    format!("「{}」为空", r.name(Field::Addressee)),
                )
                .hint("每一行是一份公文的收文单位，请填写其全称；不需要的行请整行删除"),
            );
            continue;
        };
        if let Some(first) = out.iter().find(|o| o.name == name) {
            cx.report.push(
                Diagnostic::new(
                    Rule::RecipientDuplicate,
                    r.loc(Field::Addressee),
                    format!("收文单位“{name}”重复，与第{}行相同", first.at.row + 1),
                )
                .hint("每个收文单位只能有一行；请删去重复的一行或改正名称"),
            );
            continue;
        }
        let mut overrides = BTreeMap::new();
        let mut dates = BTreeMap::new();
        let mut variables = BTreeMap::new();
        for (i, c) in records.columns.iter().enumerate() {
            if sheet.column(&c.name).is_some() || c.name == contract::route() {
                continue;
            }
            let cell = &r.row.cells[i];
            if cell.is_blank() {
                continue;
            }
            let loc = r.at.cell(&c.name);
            let overrides_key = contract::info_key(&c.name).is_some()
                || info.is_some_and(|i| i.fields.contains_key(&c.name));
            if overrides_key {
                if let Some(super::info::Value { text, date }) =
                    super::info::value_text(cx, &c.name, cell, &loc)
                {
                    if let Some(d) = date {
                        dates.insert(c.name.clone(), d);
                    }
                    let faces =
                        contract::info_key(&c.name).map_or(contract::OTHER_FACES, |k| &k.faces[..]);
                    cx.print(loc, &text, faces);
                    overrides.insert(c.name.clone(), text);
                }
            } else {
                let text = cell.text();
                cx.print(loc, &text, contract::OTHER_FACES);
                variables.insert(c.name.clone(), text);
            }
        }
        out.push(Recipient {
            at: r.at.clone(),
            name,
            overrides,
            dates,
            variables,
        });
    }
    if out.is_empty() {
        cx.report.push(
            Diagnostic::new(
                Rule::RequiredListEmpty,
                crate::diag::Loc::sheet(cx.file(), contract::route()),
                format!("「{}」工作表中没有收文单位", sheet.name),
            )
            .hint(format!(
                "请逐行填写收文单位（{}）；不是批量发文时请删除这个工作表",
                sheet.col(Field::Addressee)
            )),
        );
    }
    out
}

/// The recipients' names, in order and as a set (a batch routes thousands of rows).
pub(super) struct Names<'a> {
    list: Vec<&'a str>,
    set: std::collections::HashSet<&'a str>,
}

impl<'a> Names<'a> {
    pub(super) fn new(list: Vec<&'a str>) -> Names<'a> {
        let set = list.iter().copied().collect();
        Names { list, set }
    }
}

fn unknown_route(names: &Names, route: &str) -> Option<String> {
    if names.set.contains(route) {
        return None;
    }
    let names = &names.list;
    Some(if names.is_empty() {
        format!("工作簿中没有「{}」工作表", contract::route())
    } else {
        let closest = names
            .iter()
            .map(|n| (crate::similar::edit(n, route), *n))
            .filter(|(s, _)| *s > 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, n)| format!("；是不是“{n}”？"))
            .unwrap_or_default();
        format!("「{}」工作表中没有“{route}”{closest}", contract::route())
    })
}

fn route_hint() -> String {
    format!(
        "这一列写哪个收文单位，这一行就只发给它；留空则发给每一个。请填写「{}」工作表中已有的名称",
        contract::route()
    )
}

/// Reports every record whose 收文单位 names no recipient.
pub(super) fn check_routes<'a>(
    cx: &mut Context,
    names: &Names,
    records: impl Iterator<Item = &'a dyn Routed>,
) {
    for record in records {
        let Some(to) = record.route() else {
            continue;
        };
        if let Some(problem) = unknown_route(names, to) {
            cx.report.push(
                Diagnostic::new(
                    Rule::RecipientUnknown,
                    record.at().cell(contract::route()),
                    format!("收文单位“{to}”无法识别：{problem}"),
                )
                .hint(route_hint()),
            );
        }
    }
}

/// The same for a table's 收文单位 column.
pub(super) fn check_table_routes(cx: &mut Context, names: &Names, table: &Table) {
    let Some(col) = table.column(contract::route()) else {
        return;
    };
    for (r, row) in table.rows.iter().enumerate() {
        let to = row.cells[col].value.text();
        let to = to.trim();
        if to.is_empty() {
            continue;
        }
        if let Some(problem) = unknown_route(names, to) {
            let loc = table.loc(cx.file(), r, col);
            cx.report.push(
                Diagnostic::new(
                    Rule::RecipientUnknown,
                    loc,
                    format!("收文单位“{to}”无法识别：{problem}"),
                )
                .hint(route_hint()),
            );
        }
    }
}
