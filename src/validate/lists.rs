//! The list sheets: 问题清单, 下一步工作, 正文, 简报文章, 督办事项. One record per row, each keeping
//! its cell.

use super::{Context, RowReader, report_unread_columns};
use crate::contract::{ARTICLES, ISSUES, ITEMS, SECTIONS, STEPS};
use crate::diag::{Diagnostic, Rule};
use crate::fonts::Role;
use crate::model::{Article, Issue, Item, Measure, Section, Status, Step};

/// Chinese digits, as typed numbers are written (一 … 十).
const CN_DIGITS: &str = "一二三四五六七八九十";

pub(super) fn issues(cx: &mut Context) -> Vec<Issue> {
    let Some(records) = cx.records(&ISSUES) else {
        return Vec::new();
    };
    let mut issues = Vec::new();
    for r in RowReader::rows(cx, &records) {
        let serial = r.text(cx, "序号");
        let finding = r.declared(cx, &ISSUES, "存在问题");
        if finding.is_none() && !r.unusable("存在问题") {
            cx.report.push(
                Diagnostic::new(Rule::ValueMissing, r.loc("存在问题"), "「存在问题」为空")
                    .hint("每一行都要写明存在的问题；如这一行不需要，请整行删除"),
            );
        }
        let status_text = r.text(cx, "整改状态").unwrap_or_default();
        let status = Status::parse(&status_text);
        // An error value or uncomputed formula was reported by `text` already.
        if status.is_none() && !r.unusable("整改状态") {
            let (rule, shown) = if status_text.is_empty() {
                (Rule::ValueMissing, "「整改状态」为空".to_string())
            } else {
                let guess = Status::closest(&status_text)
                    .map(|s| format!("，是不是“{}”？", s.label()))
                    .unwrap_or_default();
                (
                    Rule::StatusUnknown,
                    format!("「整改状态」“{status_text}”无法识别{guess}"),
                )
            };
            cx.report.push(
                Diagnostic::new(rule, r.loc("整改状态"), shown)
                    .value(status_text.clone())
                    .hint("请填写 已完成整改、积极整改中 或 未启动（也可写 已完成、已整改、整改中、正在整改、未开始）"),
            );
        }
        let deadline = r.date(cx, "整改时限");
        let finished = r.date(cx, "完成时间");
        let measures = r
            .lines(cx, &ISSUES, "整改措施")
            .iter()
            .map(|l| strip_ordinal(l))
            .filter(|l| !l.is_empty())
            .map(|text| Measure { text })
            .collect();
        let level = r.declared(cx, &ISSUES, "层面");
        let category = r
            .declared(cx, &ISSUES, "类别")
            .map(|c| strip_category_number(&c));
        let record = (
            r.declared(cx, &ISSUES, "问题来源"),
            r.declared(cx, &ISSUES, "责任单位"),
            r.declared(cx, &ISSUES, "责任人"),
            r.declared(cx, &ISSUES, "备注"),
            r.route(cx),
            r.extra(cx, &ISSUES),
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

pub(super) fn steps(cx: &mut Context) -> Vec<Step> {
    let Some(records) = cx.records(&STEPS) else {
        return Vec::new();
    };
    report_unread_columns(cx, &records, &STEPS);
    let mut out = Vec::new();
    for r in RowReader::rows(cx, &records) {
        let title = r.declared(cx, &STEPS, "标题").map(|t| strip_ordinal(&t));
        let content = r.declared(cx, &STEPS, "内容").unwrap_or_default();
        let route = r.route(cx);
        match title {
            None if r.unusable("标题") => {}
            Some(title) => out.push(Step {
                at: r.at.clone(),
                route,
                title,
                content,
            }),
            None => cx.report.push(
                Diagnostic::new(Rule::ValueMissing, r.loc("标题"), "「标题」为空")
                    .hint("每项下一步工作都要有标题（一句话概括）"),
            ),
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
    let Some(records) = cx.records(&SECTIONS) else {
        return Vec::new();
    };
    report_unread_columns(cx, &records, &SECTIONS);
    let mut out = Vec::new();
    for r in RowReader::rows(cx, &records) {
        let level_text = r.text(cx, "层级").unwrap_or_default();
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
                        r.loc("层级"),
                        format!("「层级」“{other}”无法识别"),
                    )
                    .hint("请填写 1（一、）、2（（一））、3（1.）、4（（1））之一，普通段落留空"),
                );
                continue;
            }
        };
        let title = r
            .printed(cx, "标题", heading_faces(level))
            .unwrap_or_default();
        let paragraphs = r.lines(cx, &SECTIONS, "内容");
        let route = r.route(cx);
        if level > 0 && title.is_empty() && (level <= 2 || paragraphs.is_empty()) {
            cx.report.push(
                Diagnostic::new(Rule::ValueMissing, r.loc("标题"), format!("第{level}级标题为空"))
                    .hint("请填写标题；第3、4级可不写标题而只写内容（印为“1.内容”）；普通段落请把「层级」留空"),
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
    let Some(records) = cx.records(&ARTICLES) else {
        return Vec::new();
    };
    report_unread_columns(cx, &records, &ARTICLES);
    let mut out = Vec::new();
    for r in RowReader::rows(cx, &records) {
        let column = r.declared(cx, &ARTICLES, "栏目");
        let title = r.lines(cx, &ARTICLES, "标题");
        let paragraphs = r.lines(cx, &ARTICLES, "正文");
        let source = r.declared(cx, &ARTICLES, "来源");
        let route = r.route(cx);
        if title.is_empty() {
            cx.report.push(
                Diagnostic::new(Rule::ValueMissing, r.loc("标题"), "文章的「标题」为空")
                    .hint("每篇文章都要有标题；主标题和副标题之间可以换行（Alt+Enter）"),
            );
            continue;
        }
        if paragraphs.is_empty() {
            cx.report.push(
                Diagnostic::new(
                    Rule::ValueMissing,
                    r.loc("正文"),
                    format!("文章“{}”的「正文」为空", title.join("")),
                )
                .hint("请填写文章正文，每段一行；不需要的文章请整行删除"),
            );
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
    let Some(records) = cx.records(&ITEMS) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for r in RowReader::rows(cx, &records) {
        let serial = r.text(cx, "序号");
        let text = r.declared(cx, &ITEMS, "事项");
        let deadline = r.date_or_text(cx, "完成时限");
        let unit = r.declared(cx, &ITEMS, "责任单位");
        let note = r.declared(cx, &ITEMS, "备注");
        let route = r.route(cx);
        let extra = r.extra(cx, &ITEMS);
        match text {
            None if r.unusable("事项") => {}
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
            None => cx.report.push(
                Diagnostic::new(Rule::ValueMissing, r.loc("事项"), "「事项」为空")
                    .hint("每一行都要写明督办的事项；不需要的行请整行删除"),
            ),
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
