//! The list sheets: 问题清单, 下一步工作, 正文, 简报文章, 督办事项. One record per row, each keeping
//! its cell.

use super::{Context, RowReader, report_unread_columns};
use crate::contract::{self, Field, SheetId};
use crate::diag::{Diagnostic, Rule};
use crate::fonts::Role;
use crate::model::{Article, Issue, Item, Measure, Section, Status, Step};

/// Chinese digits, as typed numbers are written (一 … 十).
const CN_DIGITS: &str = "一二三四五六七八九十";

/// A value missing from a row: the rule, the cell, a message naming the column.
fn missing(r: &RowReader, field: Field, what: &str, hint: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::ValueMissing,
        r.loc(field),
        format!("{what}「{}」为空", r.name(field)),
    )
    .hint(hint)
}

pub(super) fn issues(cx: &mut Context) -> Vec<Issue> {
    let sheet = contract::sheet(SheetId::Issues);
    let Some(records) = cx.records(sheet) else {
        return Vec::new();
    };
    let mut issues = Vec::new();
    for r in RowReader::rows(cx, sheet, &records) {
        let serial = r.text(cx, Field::Serial);
        let finding = r.declared(cx, Field::Item);
        if finding.is_none() && !r.unusable(Field::Item) {
            cx.report.push(missing(
                &r,
                Field::Item,
                "",
                "每一行都要写明存在的问题；如这一行不需要，请整行删除",
            ));
        }
        let status = status(cx, &r);
        let deadline = r.date(cx, Field::Deadline);
        let finished = r.date(cx, Field::Finished);
        let measures = r
            .lines(cx, Field::Measures)
            .iter()
            .map(|l| strip_ordinal(l))
            .filter(|l| !l.is_empty())
            .map(|text| Measure { text })
            .collect();
        let level = r.declared(cx, Field::Tier);
        let category = r
            .declared(cx, Field::Category)
            .map(|c| strip_category_number(&c));
        let record = (
            r.declared(cx, Field::Source),
            r.declared(cx, Field::Unit),
            r.declared(cx, Field::Person),
            r.declared(cx, Field::Note),
            r.route(cx),
            r.extra(cx),
        );
        let (source, unit, person, note, route, extra) = record;
        if let (Some(finding), Some(status)) = (finding, status) {
            issues.push(Issue {
                at: r.at.clone(),
                serial,
                route,
                level,
                category,
                finding,
                source,
                status,
                measures,
                unit,
                person,
                deadline,
                finished,
                note,
                extra,
            });
        }
    }
    issues
}

/// A row's 整改状态; an empty or unknown wording is reported (with the closest one).
fn status(cx: &mut Context, r: &RowReader) -> Option<Status> {
    let text = r.text(cx, Field::Status).unwrap_or_default();
    let status = Status::parse(&text);
    // An error value or uncomputed formula was reported by `text` already.
    if status.is_none() && !r.unusable(Field::Status) {
        cx.report.push(super::status_problem(
            r.loc(Field::Status),
            r.name(Field::Status),
            &text,
        ));
    }
    status
}

pub(super) fn steps(cx: &mut Context) -> Vec<Step> {
    let sheet = contract::sheet(SheetId::Steps);
    let Some(records) = cx.records(sheet) else {
        return Vec::new();
    };
    report_unread_columns(cx, &records, sheet);
    let mut out = Vec::new();
    for r in RowReader::rows(cx, sheet, &records) {
        let title = r.declared(cx, Field::Item).map(|t| strip_ordinal(&t));
        let content = r.declared(cx, Field::Content).unwrap_or_default();
        let route = r.route(cx);
        match title {
            None if r.unusable(Field::Item) => {}
            Some(title) => out.push(Step {
                at: r.at.clone(),
                route,
                title,
                content,
            }),
            None => cx.report.push(missing(
                &r,
                Field::Item,
                "",
                "每项下一步工作都要有标题（一句话概括）",
            )),
        }
    }
    out
}

/// The faces of a 正文 heading of `level`.
fn heading_faces(level: u8) -> &'static [Role] {
    match level {
        1 => &[Role::Hei],
        2 => &[Role::Kai],
        _ => &[Role::FangSong],
    }
}

pub(super) fn sections(cx: &mut Context) -> Vec<Section> {
    let sheet = contract::sheet(SheetId::Sections);
    let Some(records) = cx.records(sheet) else {
        return Vec::new();
    };
    report_unread_columns(cx, &records, sheet);
    let mut out = Vec::new();
    for r in RowReader::rows(cx, sheet, &records) {
        let level_text = r.text(cx, Field::Depth).unwrap_or_default();
        let level = match level_text.as_str() {
            "" => 0,
            "1" | "一" => 1,
            "2" | "二" => 2,
            "3" | "三" => 3,
            "4" | "四" => 4,
            other => {
                cx.report.push(
                    Diagnostic::new(
                        Rule::ValueInvalid,
                        r.loc(Field::Depth),
                        format!("「{}」“{other}”无法识别", r.name(Field::Depth)),
                    )
                    .hint("请填写 1（一、）、2（（一））、3（1.）、4（（1））之一，普通段落留空"),
                );
                continue;
            }
        };
        let title = r
            .printed(cx, Field::Title, heading_faces(level))
            .unwrap_or_default();
        let paragraphs = r.lines(cx, Field::Content);
        let route = r.route(cx);
        if level > 0 && title.is_empty() && (level <= 2 || paragraphs.is_empty()) {
            cx.report.push(
                Diagnostic::new(Rule::ValueMissing, r.loc(Field::Title), format!("第{level}级标题为空"))
                    .hint(format!("请填写标题；第3、4级可不写标题而只写内容（印为“1.内容”）；普通段落请把「{}」留空", r.name(Field::Depth))),
            );
            continue;
        }
        out.push(Section {
            at: r.at.clone(),
            route,
            level,
            title,
            paragraphs,
        });
    }
    out
}

pub(super) fn articles(cx: &mut Context) -> Vec<Article> {
    let sheet = contract::sheet(SheetId::Articles);
    let Some(records) = cx.records(sheet) else {
        return Vec::new();
    };
    report_unread_columns(cx, &records, sheet);
    let mut out = Vec::new();
    for r in RowReader::rows(cx, sheet, &records) {
        let column = r.declared(cx, Field::Rubric);
        let title = r.lines(cx, Field::Title);
        let paragraphs = r.lines(cx, Field::Content);
        let source = r.declared(cx, Field::Source);
        let route = r.route(cx);
        if title.is_empty() {
            cx.report.push(missing(
                &r,
                Field::Title,
                "文章的",
                "每篇文章都要有标题；主标题和副标题之间可以换行（Alt+Enter）",
            ));
            continue;
        }
        if paragraphs.is_empty() {
            cx.report.push(missing(
                &r,
                Field::Content,
                &format!("文章“{}”的", title.join("")),
                "请填写文章正文，每段一行；不需要的文章请整行删除",
            ));
            continue;
        }
        out.push(Article {
            at: r.at.clone(),
            route,
            column,
            title,
            paragraphs,
            source,
        });
    }
    out
}

pub(super) fn items(cx: &mut Context) -> Vec<Item> {
    let sheet = contract::sheet(SheetId::Items);
    let Some(records) = cx.records(sheet) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for r in RowReader::rows(cx, sheet, &records) {
        let serial = r.text(cx, Field::Serial);
        let text = r.declared(cx, Field::Item);
        let deadline = r.date_or_text(cx, Field::Deadline);
        let unit = r.declared(cx, Field::Unit);
        let note = r.declared(cx, Field::Note);
        let route = r.route(cx);
        let extra = r.extra(cx);
        match text {
            None if r.unusable(Field::Item) => {}
            Some(text) => out.push(Item {
                at: r.at.clone(),
                serial,
                route,
                text,
                deadline,
                unit,
                note,
                extra,
            }),
            None => cx.report.push(missing(
                &r,
                Field::Item,
                "",
                "每一行都要写明督办的事项；不需要的行请整行删除",
            )),
        }
    }
    out
}

/// Drops a typed `一是` at the start of a measure line: the document numbers them.
pub(super) fn strip_ordinal(line: &str) -> String {
    let line = line.trim();
    let after_cn = line.trim_start_matches(|c| CN_DIGITS.contains(c));
    if after_cn.len() < line.len()
        && let Some(rest) = after_cn.strip_prefix('是')
    {
        return rest
            .trim_start_matches(['，', ',', '、', '：'])
            .trim()
            .to_string();
    }
    line.to_string()
}

/// Drops a typed `（一）` before a 类别: the document numbers them.
pub(super) fn strip_category_number(category: &str) -> String {
    let c = category.trim();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = c.strip_prefix(open)
            && let Some((num, tail)) = rest.split_once(close)
            && !num.is_empty()
            && num.chars().all(|ch| CN_DIGITS.contains(ch))
        {
            return tail.trim().to_string();
        }
    }
    c.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_ordinals_are_dropped() {
        assert_eq!(strip_ordinal("一是强化组织保障。"), "强化组织保障。");
        assert_eq!(strip_ordinal("十二是，加强巡查"), "加强巡查");
        assert_eq!(strip_ordinal("一线检查到位"), "一线检查到位");
        assert_eq!(
            strip_category_number("（三）应急预案不完善"),
            "应急预案不完善"
        );
        assert_eq!(strip_category_number("（三方）协作"), "（三方）协作");
    }
}
