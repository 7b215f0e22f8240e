//! Ledger: a job's records as the tables of its XLSX — the 整改台账 from 问题清单 with a 统计
//! sheet, the 督办事项 list, and every appendix register — all of the one [`Table`] type, so the
//! XLSX writer draws them alike. In a batch the 收文单位 column is kept, so one workbook shows who
//! got what.

use crate::contract::{self, Field, SheetId};
use crate::model::{Issue, Job, Status, Tally, group_by};
use crate::spec::Spec;
use crate::table::{Cell, Column, Row, Table, Tone, Value};

/// Every table of the job, in the order the XLSX lists them: the built-in sheets whose
/// declaration says so, the appendices, and the template's own sheets declared `xlsx = true`.
pub(crate) fn tables(job: &Job, spec: &Spec) -> Vec<Table> {
    let mut out = Vec::new();
    if !job.lists.issues.is_empty() && contract::sheet(SheetId::Issues).xlsx {
        out.push(issues_table(job));
        out.push(tally_table(job));
    }
    if !job.lists.items.is_empty() && contract::sheet(SheetId::Items).xlsx {
        out.push(items_table(job));
    }
    out.extend(job.lists.appendices.iter().cloned());
    out.extend(
        spec.sheets
            .iter()
            .filter(|s| s.xlsx)
            .filter_map(|s| job.lists.sheets.get(&s.name).cloned()),
    );
    out
}

fn text(s: Option<&String>) -> Cell {
    Cell::text(s.cloned().unwrap_or_default())
}

fn date(d: Option<chrono::NaiveDate>) -> Cell {
    Cell {
        value: d.map_or(Value::Text(String::new()), Value::Date),
        tone: Tone::Plain,
    }
}

fn number(n: usize) -> Cell {
    Cell {
        value: Value::Number(n as f64),
        tone: Tone::Plain,
    }
}

fn status_tone(s: Status) -> Tone {
    match s {
        Status::Done => Tone::Done,
        Status::InProgress => Tone::InProgress,
        Status::NotStarted => Tone::NotStarted,
    }
}

/// The 整改台账: one row per issue, the contract's columns then any extra ones.
fn issues_table(job: &Job) -> Table {
    let as_of = job.info.date;
    let routed = job.is_batch() && job.lists.issues.iter().any(|i| i.route.is_some());
    let mut extras: Vec<&String> = job
        .lists
        .issues
        .iter()
        .flat_map(|i| i.extra.keys())
        .collect();
    extras.sort();
    extras.dedup();
    type Getter = Box<dyn Fn(usize, &Issue) -> Cell>;
    let sheet = contract::sheet(SheetId::Issues);
    let col = |f: Field| sheet.col(f);
    let mut cols: Vec<(&str, Getter)> = Vec::new();
    if routed {
        cols.push((contract::route(), Box::new(|_, i| text(i.route.as_ref()))));
    }
    cols.extend::<[(&str, Getter); 13]>([
        (col(Field::Serial), Box::new(|n, _| number(n))),
        (col(Field::Tier), Box::new(|_, i| text(i.level.as_ref()))),
        (
            col(Field::Category),
            Box::new(|_, i| text(i.category.as_ref())),
        ),
        (col(Field::Source), Box::new(|_, i| text(i.source.as_ref()))),
        (
            col(Field::Item),
            Box::new(|_, i| Cell::text(i.finding.clone())),
        ),
        (
            col(Field::Status),
            Box::new(|_, i| Cell {
                value: Value::Text(i.status.label().into()),
                tone: status_tone(i.status),
            }),
        ),
        (
            col(Field::Measures),
            Box::new(|_, i| {
                Cell::text(
                    i.measures
                        .iter()
                        .map(|m| m.text.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            }),
        ),
        (col(Field::Unit), Box::new(|_, i| text(i.unit.as_ref()))),
        (col(Field::Person), Box::new(|_, i| text(i.person.as_ref()))),
        (col(Field::Deadline), Box::new(|_, i| date(i.deadline))),
        (col(Field::Finished), Box::new(|_, i| date(i.finished))),
        (
            "是否逾期",
            Box::new(move |_, i| {
                if i.is_overdue(as_of) {
                    Cell {
                        value: Value::Text("已逾期".into()),
                        tone: Tone::Alert,
                    }
                } else {
                    Cell::text("")
                }
            }),
        ),
        (col(Field::Note), Box::new(|_, i| text(i.note.as_ref()))),
    ]);
    for name in extras {
        let key = name.clone();
        cols.push((name, Box::new(move |_, i| text(i.extra.get(&key)))));
    }
    let mut t = Table::new(
        "整改台账",
        format!(
            "{}整改台账（截至{}）",
            job.info.issuer,
            crate::date::format(as_of)
        ),
        cols.iter().map(|(n, _)| Column::new(*n)).collect(),
    );
    t.rows = job
        .lists
        .issues
        .iter()
        .enumerate()
        .map(|(n, i)| Row {
            cells: cols.iter().map(|(_, get)| get(n + 1, i)).collect(),
            source_row: Some(i.at.row),
        })
        .collect();
    t
}

/// 统计: issues by 层面 × 整改状态, and the total.
fn tally_table(job: &Job) -> Table {
    let as_of = job.info.date;
    let headers = [
        contract::sheet(SheetId::Issues).col(Field::Tier),
        "问题总数",
        Status::Done.label(),
        Status::InProgress.label(),
        Status::NotStarted.label(),
        "已逾期",
    ];
    let mut t = Table::new(
        "统计",
        format!("{}问题整改情况统计", job.info.issuer),
        headers.iter().map(|h| Column::new(*h)).collect(),
    );
    let mut rows: Vec<(String, Tally)> = group_by(job.lists.issues.iter(), |i| i.level.as_deref())
        .into_iter()
        .map(|(name, list)| {
            (
                name.unwrap_or("（未分层面）").to_string(),
                Tally::of(list, as_of),
            )
        })
        .collect();
    rows.push(("合计".to_string(), Tally::of(&job.lists.issues, as_of)));
    t.rows = rows
        .into_iter()
        .map(|(name, tally)| Row {
            cells: std::iter::once(Cell::text(name))
                .chain(
                    [
                        tally.total,
                        tally.done,
                        tally.in_progress,
                        tally.not_started,
                        tally.overdue,
                    ]
                    .into_iter()
                    .map(number),
                )
                .collect(),
            source_row: None,
        })
        .collect();
    t
}

/// 督办事项: one row per item, numbered in sheet order.
fn items_table(job: &Job) -> Table {
    let routed = job.is_batch() && job.lists.items.iter().any(|i| i.route.is_some());
    let mut extras: Vec<&String> = job
        .lists
        .items
        .iter()
        .flat_map(|i| i.extra.keys())
        .collect();
    extras.sort();
    extras.dedup();
    let mut names: Vec<&str> = Vec::new();
    if routed {
        names.push(contract::route());
    }
    let sheet = contract::sheet(SheetId::Items);
    names.extend(
        [
            Field::Serial,
            Field::Item,
            Field::Deadline,
            Field::Unit,
            Field::Note,
        ]
        .map(|f| sheet.col(f)),
    );
    names.extend(extras.iter().map(|s| s.as_str()));
    let mut t = Table::new(
        sheet.name.clone(),
        format!("{}{}", job.info.issuer, sheet.name),
        names.iter().map(|n| Column::new(*n)).collect(),
    );
    t.rows = job
        .lists
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let mut cells = Vec::new();
            if routed {
                cells.push(text(i.route.as_ref()));
            }
            cells.extend([
                number(n + 1),
                Cell::text(i.text.clone()),
                text(i.deadline.as_ref()),
                text(i.unit.as_ref()),
                text(i.note.as_ref()),
            ]);
            cells.extend(extras.iter().map(|k| text(i.extra.get(*k))));
            Row {
                cells,
                source_row: Some(i.at.row),
            }
        })
        .collect();
    t
}
