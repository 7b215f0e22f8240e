//! The supervisor's checks on lists: 序号 gaps and repeats, duplicate and near-duplicate items,
//! items too short to be concrete — on the built-in lists (问题清单, 督办事项, 下一步工作), every
//! appendix table, and a template's own sheets by the checks their declaration turns on.

use crate::contract::{self, Check, Field, Sheet, SheetId};
use crate::diag::{Diagnostic, Loc, Rule};
use crate::fonts::is_han;
use crate::model::Document;
use crate::spec::Spec;
use crate::table::Table;

/// One entry of a list to check.
pub(super) struct Entry {
    /// The item's text and its cell.
    pub(super) text: String,
    pub(super) text_loc: Loc,
    /// The 序号 typed, and its cell.
    pub(super) serial: Option<(String, Loc)>,
}

/// How a list is called in messages, and which checks apply.
pub(super) struct List<'a> {
    pub(super) name: String,
    pub(super) label: Option<&'a str>,
    /// 序号 gaps and repeats.
    pub(super) serial: bool,
    /// Duplicate and near-duplicate items.
    pub(super) duplicates: bool,
    /// Whether an item under six hanzi is too short (tasks and findings, not headings).
    pub(super) short: bool,
}

impl<'a> List<'a> {
    /// A list of the sheet `declared`, with the checks its declaration turns on.
    fn of(declared: &Sheet, name: &str, label: Option<&'a str>) -> List<'a> {
        List {
            name: name.to_string(),
            label,
            serial: declared.checks(Check::Serial),
            duplicates: declared.checks(Check::Duplicates),
            short: declared.checks(Check::Short),
        }
    }

    fn prefix(&self) -> String {
        match self.label {
            Some(l) => format!("（{l}）「{}」", self.name),
            None => format!("「{}」", self.name),
        }
    }
}

pub(super) fn lists(doc: &Document, spec: &Spec, label: Option<&str>, out: &mut Vec<Diagnostic>) {
    let issues = contract::sheet(SheetId::Issues);
    let items = contract::sheet(SheetId::Items);
    let steps = contract::sheet(SheetId::Steps);
    let entry = |at: &crate::model::At, sheet: &Sheet, text: &str, serial: &Option<String>| Entry {
        text: text.to_string(),
        text_loc: at.cell(sheet.col(Field::Item)),
        serial: serial
            .clone()
            .map(|s| (s, at.cell(sheet.col(Field::Serial)))),
    };
    let issue_entries: Vec<Entry> = doc
        .lists
        .issues
        .iter()
        .map(|i| entry(&i.at, issues, &i.finding, &i.serial))
        .collect();
    let item_entries: Vec<Entry> = doc
        .lists
        .items
        .iter()
        .map(|i| entry(&i.at, items, &i.text, &i.serial))
        .collect();
    let step_entries: Vec<Entry> = doc
        .lists
        .steps
        .iter()
        .map(|s| entry(&s.at, steps, &s.title, &None))
        .collect();
    for (sheet, entries) in [
        (issues, issue_entries),
        (items, item_entries),
        (steps, step_entries),
    ] {
        check_list(&List::of(sheet, &sheet.name, label), &entries, out);
    }
    let file = doc
        .info
        .cells
        .values()
        .next()
        .map(|l| l.file.clone())
        .unwrap_or_default();
    for t in &doc.lists.appendices {
        let list = List {
            name: t.name.clone(),
            label,
            serial: true,
            duplicates: true,
            short: true,
        };
        let serial = contract::sheet(SheetId::Issues).col(Field::Serial);
        let text = task_columns().iter().find_map(|n| t.column(n));
        check_list(&list, &table_entries(t, &file, t.column(serial), text), out);
    }
    // The template's own sheets, by the checks their declaration turns on.
    for (name, t) in &doc.lists.sheets {
        let Some(declared) = spec.declared(name) else {
            continue;
        };
        let column = |f: Field| {
            let name = &declared.field(f)?.name;
            t.columns
                .iter()
                .position(|c| c.name == *name || c.full_name() == *name)
        };
        let entries = table_entries(t, &file, column(Field::Serial), column(Field::Item));
        check_list(&List::of(declared, name, label), &entries, out);
    }
}

/// The headers of an appendix table's column of tasks or findings: the names of the built-in
/// lists' items that are checked for being too short.
pub(super) fn task_columns() -> Vec<&'static str> {
    contract::sheets()
        .iter()
        .filter(|s| s.checks(Check::Short))
        .filter_map(|s| s.field(Field::Item))
        .flat_map(|c| std::iter::once(&c.name).chain(&c.synonyms))
        .map(String::as_str)
        .collect()
}

/// The entries of a table: its column of tasks or findings `text` and its 序号 column `serial`;
/// a table without a text column has only its 序号 checked (a register of names, 一览表, is no
/// list of tasks).
pub(super) fn table_entries(
    t: &Table,
    file: &str,
    serial: Option<usize>,
    text: Option<usize>,
) -> Vec<Entry> {
    let serial_of = |r: usize| {
        serial
            .map(|c| (t.rows[r].cells[c].value.text(), t.loc(file, r, c)))
            .filter(|(s, _)| !s.trim().is_empty())
    };
    (0..t.rows.len())
        .filter_map(|r| {
            let (text, text_loc) = match (text, serial) {
                (Some(c), _) => (t.rows[r].cells[c].value.text(), t.loc(file, r, c)),
                (None, Some(c)) => (String::new(), t.loc(file, r, c)),
                (None, None) => return None,
            };
            Some(Entry {
                text,
                text_loc,
                serial: serial_of(r),
            })
        })
        .collect()
}

/// The text compared for duplicates: no white space or punctuation.
pub(super) fn comparable(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || is_han(*c))
        .collect()
}

/// Fewer 汉字 than this and an item is too short to be concrete (seed 003's “举报奖励”).
pub(super) const MIN_HAN: usize = 6;
/// Edit similarity (normalized Levenshtein) from which two items are near-duplicates: seed 002's
/// items 3/18 score 0.98; the same finding at two different companies (“甲矿业公司未按规定开展
/// 风险辨识评估” / “乙石料厂未按规定…”) about 0.8, and is not a duplicate.
pub(super) const NEAR_EDIT: f64 = 0.9;
/// Share of the shorter item found, in order, in the longer one (longest common subsequence)
/// from which a long item is repeated inside another: seed 002's 19 within 4 scores 1.00,
/// distinct tasks on the same subject 0.57 at most.
pub(super) const NEAR_CONTAINED: f64 = 0.9;
/// Only items at least this long (characters compared) are checked for containment.
pub(super) const CONTAINED_MIN_CHARS: usize = 30;
/// Items shorter than this are only compared for exact duplicates.
pub(super) const NEAR_MIN_CHARS: usize = 10;

pub(super) fn check_list(list: &List, entries: &[Entry], out: &mut Vec<Diagnostic>) {
    if list.serial {
        serials(list, entries, out);
    }
    let texts: Vec<String> = entries.iter().map(|e| comparable(&e.text)).collect();
    for (j, e) in entries.iter().enumerate() {
        if list.short {
            let han = e.text.chars().filter(|c| is_han(*c)).count();
            if han < MIN_HAN && !e.text.trim().is_empty() {
                out.push(
                    Diagnostic::new(
                        Rule::ItemTooShort,
                        e.text_loc.clone(),
                        format!(
                            "{}中的“{}”只有{han}个汉字，不够具体",
                            list.prefix(),
                            e.text.trim()
                        ),
                    )
                    .value(e.text.clone())
                    .hint(
                        "请写明做什么、怎么做、做到什么程度（至少6个汉字），不要只写几个字的口号",
                    ),
                );
            }
        }
        if !list.duplicates || texts[j].chars().count() < 4 {
            continue;
        }
        // Compare with every earlier item; report the first match only.
        let found = (0..j).find_map(|i| {
            if texts[i].chars().count() < 4 {
                return None;
            }
            if texts[i] == texts[j] {
                return Some((i, 1.0, true));
            }
            let shorter = texts[i].chars().count().min(texts[j].chars().count());
            // Items that differ in their numbers (第1号采场 / 第2号采场) are different items.
            if shorter < NEAR_MIN_CHARS || numbers(&texts[i]) != numbers(&texts[j]) {
                return None;
            }
            let contained = if shorter >= CONTAINED_MIN_CHARS {
                crate::similar::contained(&texts[i], &texts[j])
            } else {
                0.0
            };
            let edit = crate::similar::edit(&texts[i], &texts[j]);
            let score = contained.max(edit);
            (contained >= NEAR_CONTAINED || edit >= NEAR_EDIT).then_some((i, score, false))
        });
        if let Some((i, score, exact)) = found {
            let other = &entries[i];
            let whom = match &other.serial {
                Some((s, loc)) => format!("第{}行（序号{s}）", loc.cell.map_or(0, |c| c.0 + 1)),
                None => format!("第{}行", other.text_loc.cell.map_or(0, |c| c.0 + 1)),
            };
            let (rule, what) = if exact {
                (Rule::DuplicateItem, format!("与{whom}完全相同"))
            } else {
                (
                    Rule::NearDuplicate,
                    format!("与{whom}几乎相同（相似度 {:.0}%）", score * 100.0),
                )
            };
            out.push(
                Diagnostic::new(
                    rule,
                    e.text_loc.clone(),
                    format!("{}中的这一项{what}：“{}”", list.prefix(), excerpt(&e.text, 40)),
                )
                .value(e.text.clone())
                .hint("请核对这两项：如是同一项，删去一行（并修正序号）；如是不同的两项，写清它们的区别"),
            );
        }
    }
}

/// The runs of digits in `text`, in order.
pub(super) fn numbers(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The first `n` characters of `text`, with … when cut.
pub(super) fn excerpt(text: &str, n: usize) -> String {
    let t = text.trim();
    if t.chars().count() <= n {
        t.to_string()
    } else {
        t.chars().take(n).collect::<String>() + "…"
    }
}

/// 序号 must run 1, 2, 3… : one warning per gap, one per repeat or step back.
pub(super) fn serials(list: &List, entries: &[Entry], out: &mut Vec<Diagnostic>) {
    let numbered: Vec<(u64, &str, &Loc)> = entries
        .iter()
        .filter_map(|e| e.serial.as_ref())
        .filter_map(|(s, loc)| {
            let n = s
                .trim()
                .trim_end_matches(['.', '、', '．'])
                .parse::<u64>()
                .ok()?;
            Some((n, s.as_str(), loc))
        })
        .collect();
    let mut expected = 1u64;
    let mut seen: Vec<(u64, &Loc)> = Vec::new();
    for &(n, text, loc) in &numbered {
        if let Some((_, first)) = seen.iter().find(|(m, _)| *m == n) {
            out.push(
                Diagnostic::new(
                    Rule::SerialRepeat,
                    loc.clone(),
                    format!(
                        "{}的序号{n}重复（与第{}行相同）",
                        list.prefix(),
                        first.cell.map_or(0, |c| c.0 + 1)
                    ),
                )
                .value(text)
                .hint("请改正序号，使其依次为 1、2、3……；如这一行是重复的，请删去"),
            );
        } else if n < expected {
            out.push(
                Diagnostic::new(
                    Rule::SerialRepeat,
                    loc.clone(),
                    format!(
                        "{}的序号{n}排在{}之后，顺序颠倒",
                        list.prefix(),
                        expected - 1
                    ),
                )
                .value(text)
                .hint("请按顺序排列各行，或改正序号"),
            );
        } else if n > expected {
            let missing = if n == expected + 1 {
                expected.to_string()
            } else {
                format!("{expected}—{}", n - 1)
            };
            out.push(
                Diagnostic::new(
                    Rule::SerialGap,
                    loc.clone(),
                    format!(
                        "{}的序号从{}跳到{n}，缺少{missing}",
                        list.prefix(),
                        expected.saturating_sub(1)
                    ),
                )
                .value(text)
                .hint("请核对是否漏掉了事项；如没有漏，请把序号改为连续"),
            );
        }
        seen.push((n, loc));
        expected = expected.max(n + 1);
    }
}
