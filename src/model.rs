//! Model: what a workbook says once validated, as typed records that keep their cell, and the
//! facts computed from them.
//!
//! Nothing here reads files. A [`Job`] is a whole workbook; [`Job::document`] routes its rows to
//! one [`Document`] (the only one, or one per recipient of a batch). Counts quoted in prose
//! (totals, per 层面, per status, overdue) are computed from the rows, never typed by hand.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chinese_number::{ChineseCase, ChineseCountMethod, ChineseVariant, NumberToChinese};
use chrono::NaiveDate;
use serde::Serialize;

use crate::contract;
use crate::diag::Loc;
use crate::table::{Table, Value};

/// A number in Chinese, as 公文 count: 1 → 一, 10 → 十, 21 → 二十一.
pub(crate) fn chinese(n: usize) -> String {
    (n as u64)
        .to_chinese(
            ChineseVariant::Simple,
            ChineseCase::Lower,
            ChineseCountMethod::TenThousand,
        )
        .unwrap_or_else(|_| n.to_string())
}

/// Where a record came from: its sheet and row, and the column of each header, so that any
/// check can point at the cell it is about.
#[derive(Debug, Clone)]
pub struct At {
    /// The file as messages name it.
    pub file: Arc<str>,
    /// The sheet.
    pub sheet: Arc<str>,
    /// Zero-based Excel row.
    pub row: u32,
    /// Each column's name and zero-based Excel column.
    pub columns: Arc<[(String, u32)]>,
}

impl At {
    /// The cell of this row under `column` (the row's first cell when the sheet has no such
    /// column).
    pub fn cell(&self, column: &str) -> Loc {
        let col = self
            .columns
            .iter()
            .find(|(n, _)| n == column)
            .or_else(|| self.columns.first())
            .map_or(0, |(_, c)| *c);
        Loc::cell(&*self.file, &*self.sheet, self.row, col)
    }
}

/// The state of one rectification item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Status {
    /// 已完成整改
    Done,
    /// 积极整改中
    InProgress,
    /// 未启动
    NotStarted,
}

impl Status {
    /// The canonical wording.
    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "已完成整改",
            Status::InProgress => "积极整改中",
            Status::NotStarted => "未启动",
        }
    }

    /// Every accepted wording, canonical first, for each status.
    pub const WORDINGS: [(Status, &'static [&'static str]); 3] = [
        (
            Status::Done,
            &[
                "已完成整改",
                "已完成",
                "已整改",
                "完成",
                "完成整改",
                "已办结",
                "已销号",
                "整改完成",
            ],
        ),
        (
            Status::InProgress,
            &[
                "积极整改中",
                "整改中",
                "正在整改",
                "正在整改中",
                "推进中",
                "持续整改",
                "持续整改中",
                "整改推进中",
            ],
        ),
        (
            Status::NotStarted,
            &["未启动", "未开始", "尚未启动", "未整改", "尚未整改"],
        ),
    ];

    /// The status whose wording is closest to `text`, when one is close enough to suggest.
    pub fn closest(text: &str) -> Option<Status> {
        Status::WORDINGS
            .iter()
            .flat_map(|(s, words)| words.iter().map(move |w| (*s, *w)))
            .map(|(s, w)| (crate::similar::edit(w, text.trim()), s))
            .filter(|(score, _)| *score >= 0.4)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, s)| s)
    }

    /// Reads a clerk's wording, accepting the usual synonyms.
    pub fn parse(text: &str) -> Option<Status> {
        let t: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '。')
            .collect();
        Status::WORDINGS
            .iter()
            .find(|(_, words)| words.contains(&t.as_str()))
            .map(|(s, _)| *s)
    }
}

/// One measure taken for an item: one line of the 整改措施 cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    /// The whole line.
    pub text: String,
}

impl Measure {
    /// The lead-in: the first sentence, without its 。, when the line has more after it.
    pub fn lead(&self) -> Option<&str> {
        let (lead, rest) = self.text.split_once('。')?;
        (!rest.trim().is_empty() && !lead.is_empty()).then_some(lead)
    }

    /// What follows the lead-in (the whole line when there is none).
    pub fn rest(&self) -> &str {
        match self.lead() {
            Some(lead) => self.text[lead.len() + '。'.len_utf8()..].trim_start(),
            None => &self.text,
        }
    }
}

/// One finding of the inspection and its rectification.
#[derive(Debug, Clone)]
pub struct Issue {
    /// Where it came from.
    pub at: At,
    /// 序号 as the clerk typed it (the document numbers by row order).
    pub serial: Option<String>,
    /// The recipient it goes to in a batch (none: every document).
    pub route: Option<String>,
    /// First grouping (层面).
    pub level: Option<String>,
    /// Second grouping inside a 层面 (类别).
    pub category: Option<String>,
    /// 存在问题
    pub finding: String,
    /// 问题来源, e.g. 《建议函》提出
    pub source: Option<String>,
    /// 整改状态
    pub status: Status,
    /// 整改措施, one per line.
    pub measures: Vec<Measure>,
    /// 责任单位
    pub unit: Option<String>,
    /// 责任人
    pub person: Option<String>,
    /// 整改时限
    pub deadline: Option<NaiveDate>,
    /// 完成时间
    pub finished: Option<NaiveDate>,
    /// 备注
    pub note: Option<String>,
    /// Columns the contract does not name, kept for templates and the ledger, by header.
    pub extra: BTreeMap<String, String>,
}

impl Issue {
    /// Past its 整改时限 on `as_of` and not done.
    pub fn is_overdue(&self, as_of: NaiveDate) -> bool {
        self.status != Status::Done && self.deadline.is_some_and(|d| d < as_of)
    }
}

/// One row of 下一步工作.
#[derive(Debug, Clone)]
pub struct Step {
    /// Where it came from.
    pub at: At,
    /// The recipient it goes to.
    pub route: Option<String>,
    /// 标题
    pub title: String,
    /// 内容
    pub content: String,
}

/// One row of the 正文 sheet.
#[derive(Debug, Clone)]
pub struct Section {
    /// Where it came from.
    pub at: At,
    /// The recipient it goes to.
    pub route: Option<String>,
    /// 1..4 for headings 一、（一）1.（1）; 0 for plain paragraphs.
    pub level: u8,
    /// The heading text (without its number).
    pub title: String,
    /// Paragraphs (one per line of 内容).
    pub paragraphs: Vec<String>,
}

/// One article of a 简报.
#[derive(Debug, Clone)]
pub struct Article {
    /// Where it came from.
    pub at: At,
    /// The recipient it goes to.
    pub route: Option<String>,
    /// 栏目
    pub column: Option<String>,
    /// The title's lines (a main title over a subtitle keeps its break).
    pub title: Vec<String>,
    /// Paragraphs of 正文.
    pub paragraphs: Vec<String>,
    /// 来源
    pub source: Option<String>,
}

/// One row of 督办事项.
#[derive(Debug, Clone)]
pub struct Item {
    /// Where it came from.
    pub at: At,
    /// 序号 as the clerk typed it (the document numbers 1..N after routing).
    pub serial: Option<String>,
    /// The recipient it goes to.
    pub route: Option<String>,
    /// 事项
    pub text: String,
    /// 完成时限: a date printed 2024年9月30日, or text such as 长期坚持.
    pub deadline: Option<String>,
    /// 责任单位
    pub unit: Option<String>,
    /// 备注
    pub note: Option<String>,
    /// Other columns by header.
    pub extra: BTreeMap<String, String>,
}

/// One row of 收文单位: a recipient of a batch and what differs in its document.
#[derive(Debug, Clone)]
pub struct Recipient {
    /// Where it came from.
    pub at: At,
    /// 主送机关
    pub name: String,
    /// Columns named like 文件信息 keys: they replace that key in this recipient's document.
    pub overrides: BTreeMap<String, String>,
    /// The overrides that are dates, as read by validation.
    pub dates: BTreeMap<String, NaiveDate>,
    /// Every other column: `收文单位.<列名>` for templates.
    pub variables: BTreeMap<String, String>,
}

/// The facts of the 文件信息 sheet the layout needs, plus every key as text.
#[derive(Debug, Clone)]
pub struct Info {
    /// 文种: chooses the template.
    pub kind: String,
    /// 发文机关
    pub issuer: String,
    /// 标题
    pub title: String,
    /// 成文日期
    pub date: NaiveDate,
    /// 签发人, split on 、，, and spaces.
    pub signers: Vec<String>,
    /// 印章: whether the document bears the issuer's seal (the 落款's seal layout).
    pub seal: bool,
    /// Every key of the sheet, dates printed as 公文 print them.
    pub fields: BTreeMap<String, String>,
    /// The cell each key's value came from.
    pub cells: BTreeMap<String, Loc>,
}

impl Info {
    /// A key's value, when given and not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// 署名: given, or the 发文机关.
    pub fn signature(&self) -> String {
        self.get(contract::key(contract::KeyId::Signature))
            .unwrap_or(&self.issuer)
            .to_string()
    }

    /// 份号, 密级 (★ 保密期限) and 紧急程度 as the header prints them, in that order.
    pub fn header_marks(&self) -> Vec<String> {
        use contract::KeyId;
        let get = |id: KeyId| self.get(contract::key(id));
        let secret = get(KeyId::Secrecy).map(|s| match get(KeyId::SecrecyTerm) {
            Some(period) => format!("{s}★{period}"),
            None => s.to_string(),
        });
        [
            get(KeyId::CopyNumber).map(str::to_string),
            secret,
            get(KeyId::Urgency).map(str::to_string),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// One document to print: the workbook's data, routed to one recipient when it is a batch.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file facts (a recipient's overrides applied).
    pub info: Info,
    /// The recipient, in a batch.
    pub recipient: Option<Recipient>,
    /// Its lists and tables, routed to it: 督办事项 numbered 1..N in this document, appendix
    /// tables without their 收文单位 column.
    pub lists: Lists,
}

/// Counts of a set of issues by status.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Tally {
    /// All items.
    pub total: usize,
    /// 已完成整改
    pub done: usize,
    /// 积极整改中
    pub in_progress: usize,
    /// 未启动
    pub not_started: usize,
    /// Not done (in progress + not started).
    pub remaining: usize,
    /// Past 整改时限 on 成文日期 and not done.
    pub overdue: usize,
}

impl Tally {
    /// Counts `issues` as of `as_of`.
    pub fn of<'a>(issues: impl IntoIterator<Item = &'a Issue>, as_of: NaiveDate) -> Tally {
        let mut t = Tally::default();
        for i in issues {
            t.total += 1;
            match i.status {
                Status::Done => t.done += 1,
                Status::InProgress => t.in_progress += 1,
                Status::NotStarted => t.not_started += 1,
            }
            t.overdue += usize::from(i.is_overdue(as_of));
        }
        t.remaining = t.in_progress + t.not_started;
        t
    }
}

impl Document {
    /// Counts over all issues.
    pub fn tally(&self) -> Tally {
        Tally::of(&self.lists.issues, self.info.date)
    }

    /// The 层面 in order of first appearance, each with its issues (one unnamed group when the
    /// sheet has no 层面).
    pub fn levels(&self) -> Vec<(Option<&str>, Vec<&Issue>)> {
        group_by(self.lists.issues.iter(), |i| i.level.as_deref())
    }

    /// The 附件说明 names: the workbook's own (文件信息 附件说明, one per line), or the titles of
    /// the appendix tables.
    pub fn attachment_names(&self) -> Vec<String> {
        match self
            .info
            .get(contract::key(contract::KeyId::AttachmentNote))
        {
            Some(given) => given
                .lines()
                .map(|l| strip_list_number(l.trim()))
                .filter(|l| !l.is_empty())
                .collect(),
            None => self
                .lists
                .appendices
                .iter()
                .map(|t| t.title.clone())
                .collect(),
        }
    }
}

/// `1.名称` / `1、名称` / `附件：名称` → `名称`: the document numbers the names itself.
fn strip_list_number(line: &str) -> String {
    let line = line.strip_prefix("附件：").unwrap_or(line);
    let digits = line.trim_start_matches(|c: char| c.is_ascii_digit());
    if digits.len() < line.len()
        && let Some(rest) = digits
            .strip_prefix('.')
            .or_else(|| digits.strip_prefix('、'))
            .or_else(|| digits.strip_prefix('．'))
    {
        return rest.trim().to_string();
    }
    line.trim().to_string()
}

/// Groups records by a key, in order of first appearance.
pub(crate) fn group_by<'a, T, K: PartialEq + Copy>(
    records: impl Iterator<Item = &'a T>,
    key: impl Fn(&'a T) -> K,
) -> Vec<(K, Vec<&'a T>)> {
    let mut groups: Vec<(K, Vec<&T>)> = Vec::new();
    for record in records {
        let k = key(record);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, list)) => list.push(record),
            None => groups.push((k, vec![record])),
        }
    }
    groups
}

/// A whole workbook, validated: the file facts, every sheet's records and tables, and the
/// recipients when it is a batch.
#[derive(Debug, Clone)]
pub struct Job {
    /// 文件信息
    pub info: Info,
    /// 收文单位 (empty: one document).
    pub recipients: Vec<Recipient>,
    /// Every row of its lists and tables, before routing.
    pub lists: Lists,
}

/// The lists and tables of a workbook: the whole workbook's in a [`Job`], one document's in a
/// [`Document`].
#[derive(Debug, Clone, Default)]
pub struct Lists {
    /// 问题清单
    pub issues: Vec<Issue>,
    /// 下一步工作
    pub steps: Vec<Step>,
    /// 正文
    pub sections: Vec<Section>,
    /// 简报文章
    pub articles: Vec<Article>,
    /// 督办事项
    pub items: Vec<Item>,
    /// 附件N sheets, in number order (with their 收文单位 column in a [`Job`]).
    pub appendices: Vec<Table>,
    /// Other sheets the template declares it reads.
    pub sheets: BTreeMap<String, Table>,
}

impl Lists {
    /// The records of the five list sheets, sheet by sheet (问题清单, 下一步工作, 正文, 简报文章,
    /// 督办事项), each in row order.
    pub fn records(&self) -> impl Iterator<Item = &dyn Routed> {
        fn each<T: Routed>(list: &[T]) -> impl Iterator<Item = &dyn Routed> {
            list.iter().map(|r| r as &dyn Routed)
        }
        each(&self.issues)
            .chain(each(&self.steps))
            .chain(each(&self.sections))
            .chain(each(&self.articles))
            .chain(each(&self.items))
    }
}

/// A record of a list sheet: the row it came from and the recipient it goes to.
pub trait Routed {
    /// Where it came from.
    fn at(&self) -> &At;
    /// The recipient it goes to in a batch (none: every document).
    fn route(&self) -> Option<&str>;
}

macro_rules! routed {
    ($($record:ty),*) => {
        $(impl Routed for $record {
            fn at(&self) -> &At {
                &self.at
            }
            fn route(&self) -> Option<&str> {
                self.route.as_deref()
            }
        })*
    };
}
routed!(Issue, Step, Section, Article, Item);

/// Keeps the records that go to `to` (every record when there is no recipient).
fn routed<T: Routed + Clone>(records: &[T], to: Option<&str>) -> Vec<T> {
    records
        .iter()
        .filter(|r| match (r.route(), to) {
            (Some(only), Some(name)) => only == name,
            _ => true,
        })
        .cloned()
        .collect()
}

/// Which rows of a table go to whom, by its 收文单位 column: found once per workbook, so that
/// making each letter of a batch does not read the whole table again.
pub(crate) struct Routes {
    /// The 收文单位 column, if the table has one.
    col: Option<usize>,
    /// Rows with an empty 收文单位 (they go to everyone), and the spans over them.
    shared: Share,
    /// The other rows and the spans over them, by the 收文单位 they name.
    named: HashMap<String, Share>,
}

/// Rows that go to the same recipients, and the spans over any of them (ascending indices).
#[derive(Default)]
struct Share {
    rows: Vec<usize>,
    spans: Vec<usize>,
}

/// `a` and `b` (each ascending) merged, ascending, without repeats.
fn merged(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut all = [a, b].concat();
    all.sort_unstable();
    all.dedup();
    all
}

impl Routes {
    /// Which rows of `table` go to whom, found once.
    pub(crate) fn new(table: &Table) -> Routes {
        let col = table.column(contract::route());
        let mut routes = Routes {
            col,
            shared: Share::default(),
            named: HashMap::new(),
        };
        let Some(col) = col else {
            return routes;
        };
        let mut key_of = Vec::with_capacity(table.rows.len());
        for (r, row) in table.rows.iter().enumerate() {
            let to = match &row.cells[col].value {
                Value::Text(v) => v.trim().to_string(),
                other => other.text().trim().to_string(),
            };
            key_of.push(to.clone());
            routes.share_mut(to).rows.push(r);
        }
        for (i, s) in table.spans.iter().enumerate() {
            let mut keys: Vec<&String> = key_of[s.row..s.row + s.rows].iter().collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                routes.share_mut(key.clone()).spans.push(i);
            }
        }
        routes
    }

    fn share_mut(&mut self, to: String) -> &mut Share {
        if to.is_empty() {
            &mut self.shared
        } else {
            self.named.entry(to).or_default()
        }
    }

    /// `table`'s rows that go to `to` (every row when there is no recipient), without its
    /// 收文单位 column.
    pub(crate) fn table(&self, table: &Table, to: Option<&str>) -> Table {
        let Some(col) = self.col else {
            return table.clone();
        };
        match to.map(|name| self.named.get(name)) {
            None => {
                let rows: Vec<usize> = (0..table.rows.len()).collect();
                let spans: Vec<usize> = (0..table.spans.len()).collect();
                table.select(&rows, &spans, &[col])
            }
            Some(own) => {
                let own = own.map_or((&[][..], &[][..]), |s| (&s.rows[..], &s.spans[..]));
                let rows = merged(&self.shared.rows, own.0);
                let spans = merged(&self.shared.spans, own.1);
                table.select(&rows, &spans, &[col])
            }
        }
    }
}

/// The routes of every table of a [`Job`] (see [`Job::routes`]).
pub struct JobRoutes {
    appendices: Vec<Routes>,
    sheets: BTreeMap<String, Routes>,
}

impl Job {
    /// Whether the workbook makes one document per recipient.
    pub fn is_batch(&self) -> bool {
        !self.recipients.is_empty()
    }

    /// Which rows of each table go to whom: found once, for every [`Job::document`].
    pub fn routes(&self) -> JobRoutes {
        JobRoutes {
            appendices: self.lists.appendices.iter().map(Routes::new).collect(),
            sheets: self
                .lists
                .sheets
                .iter()
                .map(|(n, t)| (n.clone(), Routes::new(t)))
                .collect(),
        }
    }

    /// The document for `recipient` (an index into [`Job::recipients`]), or the only document;
    /// `routes` are this job's [`Job::routes`].
    pub fn document(&self, recipient: Option<usize>, routes: &JobRoutes) -> Document {
        let recipient = recipient.and_then(|i| self.recipients.get(i)).cloned();
        let to = recipient.as_ref().map(|r| r.name.as_str());
        let mut info = self.info.clone();
        if let Some(r) = &recipient {
            info.fields.insert(
                contract::key(contract::KeyId::Addressee).to_string(),
                r.name.clone(),
            );
            info.cells.insert(
                contract::key(contract::KeyId::Addressee).to_string(),
                r.at.cell(contract::key(contract::KeyId::Addressee)),
            );
            for (key, value) in &r.overrides {
                info.fields.insert(key.clone(), value.clone());
                info.cells.insert(key.clone(), r.at.cell(key));
            }
            apply_core_overrides(&mut info, r);
        }
        Document {
            info,
            lists: Lists {
                issues: routed(&self.lists.issues, to),
                steps: routed(&self.lists.steps, to),
                sections: routed(&self.lists.sections, to),
                articles: routed(&self.lists.articles, to),
                items: routed(&self.lists.items, to),
                appendices: self
                    .lists
                    .appendices
                    .iter()
                    .zip(&routes.appendices)
                    .map(|(t, r)| r.table(t, to))
                    .collect(),
                sheets: self
                    .lists
                    .sheets
                    .iter()
                    .map(|(n, t)| (n.clone(), routes.sheets[n].table(t, to)))
                    .collect(),
            },
            recipient,
        }
    }
}

/// The typed facts a recipient's overrides change: 标题, 发文机关, 成文日期 (already checked as a
/// date by validation), 印章, 签发人.
fn apply_core_overrides(info: &mut Info, r: &Recipient) {
    for (key, value) in &r.overrides {
        use contract::KeyId;
        match contract::info_key(key).map(|k| k.id) {
            Some(KeyId::Title) => info.title = value.clone(),
            Some(KeyId::Issuer) => info.issuer = value.clone(),
            Some(KeyId::Signers) => info.signers = split_names(value),
            Some(KeyId::Seal) => info.seal = parse_yes(value).unwrap_or(info.seal),
            Some(KeyId::Date) => {
                if let Some(d) = r.dates.get(key) {
                    info.date = *d;
                }
            }
            _ => {}
        }
    }
}

/// Names separated by 、，, or spaces.
pub(crate) fn split_names(text: &str) -> Vec<String> {
    text.split(['、', '，', ',', ' ', '　', '\n'])
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// 是 / 否 and their usual wordings; `None` when neither.
pub(crate) fn parse_yes(text: &str) -> Option<bool> {
    match text.trim() {
        "" | "否" | "无" | "不加盖" | "不盖章" => Some(false),
        "是" | "有" | "加盖" | "盖章" | "加盖印章" => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Cell, Column, Row, Span};

    #[test]
    fn routes_give_each_recipient_what_filtering_the_whole_table_gives() {
        let mut t = Table::new(
            "附件1",
            "清单",
            [contract::route(), "任务", "完成时限"]
                .into_iter()
                .map(Column::new)
                .collect(),
        );
        let rows = [
            ("甲市", "一", "6月"),
            ("", "二", ""),
            ("乙市", "三", "7月"),
            ("甲市", "四", "7月"),
            (" 乙市 ", "五", "8月"),
        ];
        for (i, (to, task, due)) in rows.into_iter().enumerate() {
            t.rows.push(Row {
                cells: vec![Cell::text(to), Cell::text(task), Cell::text(due)],
                source_row: Some(i as u32 + 1),
            });
        }
        let span = |row, rows| Span {
            row,
            col: 2,
            rows,
            cols: 1,
        };
        t.spans = vec![span(0, 2), span(2, 2)];
        let routes = Routes::new(&t);
        let all_spans: Vec<usize> = (0..t.spans.len()).collect();
        for to in [Some("甲市"), Some("乙市"), Some("丙市"), None] {
            let kept: Vec<usize> = (0..t.rows.len())
                .filter(|&r| {
                    let v = t.rows[r].cells[0].value.text();
                    v.trim().is_empty() || to.is_none_or(|n| v.trim() == n)
                })
                .collect();
            assert_eq!(
                routes.table(&t, to),
                t.select(&kept, &all_spans, &[0]),
                "{to:?}"
            );
        }
        let jia = routes.table(&t, Some("甲市"));
        assert_eq!(jia.rows.len(), 3);
        assert_eq!(jia.spans, [span(0, 2)].map(|s| Span { col: 1, ..s }));
        let yi = routes.table(&t, Some("乙市"));
        assert_eq!(yi.rows.len(), 3, "the shared row and its own two");
        assert_eq!(
            yi.rows[0].cells[1].value.text(),
            "6月",
            "a span's value moves to the first row kept"
        );
        assert!(yi.spans.is_empty());
        assert_eq!(routes.table(&t, Some("丙市")).rows.len(), 1);
    }

    #[test]
    fn dates_print_without_leading_zeros() {
        assert_eq!(
            crate::date::format(NaiveDate::from_ymd_opt(2024, 3, 2).unwrap()),
            "2024年3月2日"
        );
        assert_eq!(
            crate::date::format(NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()),
            "2023年12月31日"
        );
    }

    #[test]
    fn chinese_ordinals() {
        assert_eq!(chinese(1), "一");
        assert_eq!(chinese(10), "十");
        assert_eq!(chinese(11), "十一");
        assert_eq!(chinese(21), "二十一");
    }

    #[test]
    fn status_synonyms() {
        assert_eq!(Status::parse(" 已完成 "), Some(Status::Done));
        assert_eq!(Status::parse("正在整改"), Some(Status::InProgress));
        assert_eq!(Status::parse("未开始"), Some(Status::NotStarted));
        assert_eq!(Status::parse("差不多了"), None);
        assert_eq!(Status::closest("已完成了"), Some(Status::Done));
        assert_eq!(Status::closest("整改进行中"), Some(Status::InProgress));
        assert_eq!(Status::closest("差不多"), None);
    }

    #[test]
    fn measure_lead_in_is_the_first_sentence() {
        let m = Measure {
            text: "强化组织保障。深入贯彻落实。".into(),
        };
        assert_eq!(m.lead(), Some("强化组织保障"));
        assert_eq!(m.rest(), "深入贯彻落实。");
        let single = Measure {
            text: "聘请专业技术力量参与隐患排查。".into(),
        };
        assert_eq!(single.lead(), None);
        assert_eq!(single.rest(), "聘请专业技术力量参与隐患排查。");
    }

    #[test]
    fn attachment_names_drop_their_typed_numbers() {
        assert_eq!(strip_list_number("1.任务清单"), "任务清单");
        assert_eq!(strip_list_number("附件：任务清单"), "任务清单");
        assert_eq!(strip_list_number("2、一览表"), "一览表");
        assert_eq!(strip_list_number("2024年计划"), "2024年计划");
    }
}
