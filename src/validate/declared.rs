//! A template's own sheets: read as tables (merged headers kept), then held to their
//! declaration in the template's front matter — required columns and values, each column's
//! type, dates read in every accepted form — as the contract holds the built-in sheets.

use super::{Context, DATE_HINT, status_problem};
use crate::contract::{Kind, Sheet};
use crate::diag::{Diagnostic, Loc, Rule};
use crate::model::{Status, parse_yes};
use crate::read::Cell as SheetCell;
use crate::table::{Table, Tone, Value};

/// `table` with its columns named as declared and its values typed, every problem reported.
pub(super) fn hold(cx: &mut Context, mut table: Table, declared: &Sheet) -> Table {
    let file = cx.file().to_string();
    let at: Vec<Option<usize>> = declared
        .columns
        .iter()
        .map(|c| {
            table
                .columns
                .iter()
                .position(|t| c.answers_to(&t.full_name()) || c.answers_to(&t.name))
        })
        .collect();
    let missing: Vec<&str> = declared
        .columns
        .iter()
        .zip(&at)
        .filter(|(c, i)| c.required && i.is_none())
        .map(|(c, _)| c.name.as_str())
        .collect();
    if !missing.is_empty() {
        cx.report
            .push(missing_columns(&file, &table, declared, &missing));
    }
    // A synonym reads as the declared column (under its group, if any): templates use the
    // declared names.
    for (c, i) in declared.columns.iter().zip(&at) {
        if let Some(i) = *i
            && table.columns[i].full_name() != c.name
            && table.columns[i].name != c.name
        {
            table.columns[i].name = c.name.clone();
        }
    }
    let book = cx.book;
    let sheet = book.sheet(&table.name);
    let spans = table.span_index();
    let covered: std::collections::HashSet<(usize, usize)> = (0..table.rows.len())
        .flat_map(|r| (0..table.columns.len()).map(move |c| (r, c)))
        .filter(|&(r, c)| spans.covered(r, c))
        .collect();
    for (column, i) in declared.columns.iter().zip(&at) {
        let Some(c) = *i else { continue };
        for r in 0..table.rows.len() {
            if covered.contains(&(r, c)) {
                continue;
            }
            // Error values and uncomputed formulas were reported when the table was read.
            let source = sheet
                .and_then(|s| Some(s.get(table.rows[r].source_row?, *table.source_cols.get(c)?)));
            if matches!(source, Some(SheetCell::Error(_) | SheetCell::Formula(_))) {
                continue;
            }
            let loc = table.loc(&file, r, c);
            let cell = &mut table.rows[r].cells[c];
            if cell.value.is_empty() {
                if column.required {
                    cx.report.push(
                        Diagnostic::new(
                            Rule::ValueMissing,
                            loc,
                            format!("「{}」为空", column.name),
                        )
                        .hint(format!(
                            "「{}」的每一行都要填写「{}」（{}）；不需要的行请整行删除",
                            declared.name, column.name, column.meaning
                        )),
                    );
                }
                continue;
            }
            match typed(&cell.value, column.kind, &column.choices) {
                Ok((value, tone)) => {
                    cell.value = value;
                    cell.tone = tone;
                }
                Err(problem) => {
                    let text = cell.value.text();
                    cx.report.push(problem.at(loc, column, &text));
                }
            }
        }
    }
    table
}

/// Why a value is not what its column's type asks for.
enum Problem {
    /// Not a date.
    Date,
    /// Not a number (or not a whole one).
    Number { whole: bool },
    /// No 整改状态 wording.
    Status,
    /// Not one of the choices.
    Choice,
    /// Not 是 or 否.
    YesNo,
    /// No heading level.
    Level,
}

impl Problem {
    fn at(&self, loc: Loc, column: &crate::contract::Column, text: &str) -> Diagnostic {
        let name = &column.name;
        let shown = |what: &str| format!("「{name}」的内容“{text}”{what}");
        let d = match self {
            Problem::Date => {
                Diagnostic::new(Rule::DateInvalid, loc, shown("不是日期")).hint(DATE_HINT)
            }
            Problem::Number { whole } => Diagnostic::new(
                Rule::ValueInvalid,
                loc,
                shown(if *whole {
                    "不是整数"
                } else {
                    "不是数字"
                }),
            )
            .hint(if *whole {
                "请填写整数，如 12（不带单位和小数）"
            } else {
                "请填写数字，如 12 或 3.5（不带单位；单位可写在表头里）"
            }),
            Problem::Status => status_problem(loc, name, text),
            Problem::Choice => Diagnostic::new(Rule::ValueInvalid, loc, shown("不是可选的值"))
                .hint(format!(
                    "请从这些值中选择一个：{}",
                    column.choices.join("、")
                )),
            Problem::YesNo => Diagnostic::new(Rule::ValueInvalid, loc, shown("不是“是”或“否”"))
                .hint("请填写 是 或 否"),
            Problem::Level => Diagnostic::new(Rule::ValueInvalid, loc, shown("不是层级"))
                .hint("请填写 1、2、3 或 4，普通段落留空"),
        };
        d.value(text)
    }
}

/// `value` read as `kind`, or why it cannot be.
fn typed(value: &Value, kind: Kind, choices: &[String]) -> Result<(Value, Tone), Problem> {
    let text = value.text();
    let plain = |v: Value| Ok((v, Tone::Plain));
    match kind {
        Kind::Text | Kind::Lines => plain(value.clone()),
        Kind::Date => match value {
            Value::Date(_) => plain(value.clone()),
            Value::Text(t) => crate::date::parse(t)
                .map(Value::Date)
                .map_or(Err(Problem::Date), plain),
            Value::Number(_) => Err(Problem::Date),
        },
        Kind::DateOrText => match value {
            Value::Text(t) => {
                plain(crate::date::parse(t).map_or_else(|| value.clone(), Value::Date))
            }
            _ => plain(value.clone()),
        },
        Kind::Number | Kind::Whole => {
            let whole = kind == Kind::Whole;
            let n = match value {
                Value::Number(n) => Some(*n),
                Value::Text(t) => t.trim().replace([',', '，'], "").parse::<f64>().ok(),
                Value::Date(_) => None,
            };
            match n {
                Some(n) if !whole || n.fract() == 0.0 => plain(Value::Number(n)),
                _ => Err(Problem::Number { whole }),
            }
        }
        Kind::Status => {
            let s = Status::parse(&text).ok_or(Problem::Status)?;
            let tone = match s {
                Status::Done => Tone::Done,
                Status::InProgress => Tone::InProgress,
                Status::NotStarted => Tone::NotStarted,
            };
            Ok((Value::Text(s.label().to_string()), tone))
        }
        Kind::Choice => {
            let t = text.trim();
            if choices.iter().any(|c| c == t) {
                plain(Value::Text(t.to_string()))
            } else {
                Err(Problem::Choice)
            }
        }
        Kind::YesNo => match parse_yes(&text) {
            Some(yes) => plain(Value::Text(if yes { "是" } else { "否" }.to_string())),
            None => Err(Problem::YesNo),
        },
        Kind::Level => match text.trim() {
            "1" | "2" | "3" | "4" => plain(Value::Text(text.trim().to_string())),
            _ => Err(Problem::Level),
        },
    }
}

/// The header of `table` lacks declared columns: which, and the header probably meant.
fn missing_columns(file: &str, table: &Table, declared: &Sheet, missing: &[&str]) -> Diagnostic {
    let header: Vec<String> = table.columns.iter().map(|c| c.full_name()).collect();
    let guesses: String = missing
        .iter()
        .filter_map(|m| {
            crate::read::closest_header(m, &header, declared)
                .map(|h| format!("表头中的「{h}」是不是「{m}」？"))
        })
        .collect();
    let loc = match table.header_row {
        Some(h) => Loc::cell(file, &table.name, h, 0),
        None => Loc::sheet(file, &table.name),
    };
    Diagnostic::new(
        Rule::HeaderMissing,
        loc,
        format!(
            "「{}」的表头缺少列「{}」",
            declared.name,
            missing.join("」「")
        ),
    )
    .hint(format!(
        "{guesses}请在表头行写上这些列名（模板声明「{}」必须有：{}；现有的列：{}）",
        declared.name,
        declared.required().join("、"),
        header.join("、")
    ))
}
