//! Model: the validated, typed document a workbook describes, and the facts computed from it.
//!
//! Nothing here reads files. Counts quoted in prose (totals, per 层面, per status, overdue) are
//! computed from the rows, never typed by hand. [`Document::view`] is what templates see.

use std::collections::BTreeMap;

use chinese_number::{ChineseCase, ChineseCountMethod, ChineseVariant, NumberToChinese};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// `2024年3月2日`: the way 公文 print dates, without leading zeros.
pub fn format_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A number in Chinese, as 公文 count: 1 → 一, 10 → 十, 21 → 二十一.
pub fn chinese(n: usize) -> String {
    (n as u64)
        .to_chinese(
            ChineseVariant::Simple,
            ChineseCase::Lower,
            ChineseCountMethod::TenThousand,
        )
        .unwrap_or_else(|_| n.to_string())
}

/// The 文件信息 keys the contract names; templates can read each as `info["键"]`, empty when the
/// workbook leaves it out.
pub const CONTRACT_KEYS: [&str; 26] = [
    "文种",
    "发文机关",
    "发文机关标志",
    "发文字号",
    "签发人",
    "印章",
    "份号",
    "密级",
    "保密期限",
    "紧急程度",
    "标题",
    "主送机关",
    "成文日期",
    "署名",
    "附注",
    "联系人",
    "联系电话",
    "电子邮箱",
    "抄送",
    "印发机关",
    "印发日期",
    "报",
    "送",
    "简报名称",
    "期号",
    "编印单位",
];

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

    /// Reads a clerk's wording, accepting the usual synonyms.
    pub fn parse(text: &str) -> Option<Status> {
        let t: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '。')
            .collect();
        match t.as_str() {
            "已完成整改" | "已完成" | "已整改" | "完成" | "完成整改" | "已办结" | "已销号" => {
                Some(Status::Done)
            }
            "积极整改中" | "整改中" | "正在整改" | "正在整改中" | "推进中" | "持续整改"
            | "持续整改中" => Some(Status::InProgress),
            "未启动" | "未开始" | "尚未启动" | "未整改" => Some(Status::NotStarted),
            _ => None,
        }
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
    /// 1..N across all groups, in sheet order.
    pub number: usize,
    /// Zero-based Excel row it came from.
    pub row: u32,
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
    /// Columns the contract does not name, kept for templates, by header.
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
    /// 标题
    pub title: String,
    /// 内容
    pub content: String,
}

/// One row of the 正文 sheet.
#[derive(Debug, Clone)]
pub struct Section {
    /// 1..4 for headings 一、（一）1.（1）; 0 for plain paragraphs.
    pub level: u8,
    /// The heading text.
    pub title: String,
    /// Paragraphs (one per line of 内容).
    pub paragraphs: Vec<String>,
}

/// The facts of the 文件信息 sheet that the layout needs, plus every key as text.
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
}

/// A validated document: everything a template and the ledger need.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file facts.
    pub info: Info,
    /// The items of 问题清单, numbered.
    pub issues: Vec<Issue>,
    /// 下一步工作
    pub steps: Vec<Step>,
    /// 正文
    pub sections: Vec<Section>,
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
    fn of<'a>(issues: impl IntoIterator<Item = &'a Issue>, as_of: NaiveDate) -> Tally {
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
        Tally::of(&self.issues, self.info.date)
    }

    /// The 层面 in order of first appearance, each with its issues (one unnamed group when the
    /// sheet has no 层面).
    pub fn levels(&self) -> Vec<(Option<&str>, Vec<&Issue>)> {
        group_by(self.issues.iter(), |i| i.level.as_deref())
    }

    /// What templates see. Keys are ASCII because Tera 2 identifiers are ASCII; the 文件信息
    /// keys keep their Chinese names under `info`, read as `info["检查单位"]`.
    pub fn view(&self) -> View {
        let as_of = self.info.date;
        let issue_view = |i: &Issue| IssueView::new(i, as_of);
        let groups = self
            .levels()
            .into_iter()
            .enumerate()
            .map(|(gi, (name, issues))| {
                let categories = group_by(issues.iter().copied(), |i| i.category.as_deref())
                    .into_iter()
                    .map(|(cname, list)| CategoryView {
                        name: cname.map(str::to_string),
                        tally: Tally::of(list.iter().copied(), as_of),
                        issues: list.into_iter().map(issue_view).collect(),
                    })
                    .collect();
                GroupView {
                    no: gi + 1,
                    no_cn: chinese(gi + 1),
                    name: name.map(str::to_string),
                    tally: Tally::of(issues.iter().copied(), as_of),
                    categories,
                }
            })
            .collect();
        let mut fields = self.info.fields.clone();
        for key in CONTRACT_KEYS {
            fields.entry(key.to_string()).or_default();
        }
        if fields["署名"].is_empty() {
            fields.insert("署名".into(), self.info.issuer.clone());
        }
        if let Some(cc) = fields
            .get_mut("抄送")
            .filter(|c| !c.is_empty() && !c.ends_with('。'))
        {
            cc.push('。');
        }
        View {
            info: fields,
            doc: DocView {
                kind: self.info.kind.clone(),
                issuer: self.info.issuer.clone(),
                title: self.info.title.clone(),
                title_lines: crate::title::lines(
                    &self.info.title,
                    crate::title::TITLE_CHARS_PER_LINE,
                ),
                date: format_date(self.info.date),
                signers: self.info.signers.clone(),
                seal: self.info.seal,
                seal_image: false,
            },
            counts: self.tally(),
            groups,
            issues: self.issues.iter().map(issue_view).collect(),
            steps: self
                .steps
                .iter()
                .enumerate()
                .map(|(n, s)| StepView {
                    ordinal: format!("{}是", chinese(n + 1)),
                    title: s.title.trim_end_matches('。').to_string(),
                    content: s.content.clone(),
                })
                .collect(),
            steps_cn: chinese(self.steps.len()),
            sections: self
                .sections
                .iter()
                .map(|s| SectionView {
                    level: s.level,
                    title: s.title.clone(),
                    paragraphs: s.paragraphs.clone(),
                })
                .collect(),
        }
    }
}

fn group_by<'a, K: PartialEq + Copy>(
    issues: impl Iterator<Item = &'a Issue>,
    key: impl Fn(&'a Issue) -> K,
) -> Vec<(K, Vec<&'a Issue>)> {
    let mut groups: Vec<(K, Vec<&Issue>)> = Vec::new();
    for issue in issues {
        let k = key(issue);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, list)) => list.push(issue),
            None => groups.push((k, vec![issue])),
        }
    }
    groups
}

/// The template context.
#[derive(Debug, Serialize)]
pub struct View {
    /// Every 文件信息 key as text (`info["标题"]`, `info["检查单位"]`), with 署名 defaulted.
    pub info: BTreeMap<String, String>,
    /// The required facts, checked.
    pub doc: DocView,
    /// Counts over all issues.
    pub counts: Tally,
    /// Issues grouped by 层面 then 类别.
    pub groups: Vec<GroupView>,
    /// All issues in order.
    pub issues: Vec<IssueView>,
    /// 下一步工作, with 一是/二是 ordinals.
    pub steps: Vec<StepView>,
    /// The number of steps in Chinese (三).
    pub steps_cn: String,
    /// 正文 rows.
    pub sections: Vec<SectionView>,
}

/// Checked file facts.
#[derive(Debug, Serialize)]
pub struct DocView {
    /// 文种
    pub kind: String,
    /// 发文机关
    pub issuer: String,
    /// 标题
    pub title: String,
    /// 标题 broken into lines between words, balanced (see [`crate::title`]).
    pub title_lines: Vec<String>,
    /// 成文日期, printed.
    pub date: String,
    /// 签发人 names.
    pub signers: Vec<String>,
    /// Whether the document is sealed (文件信息 印章: 是): the seal layout of the 落款.
    pub seal: bool,
    /// Whether the project has a seal image (`templates/印章.png`) to print.
    pub seal_image: bool,
}

/// A 层面 and its 类别.
#[derive(Debug, Serialize)]
pub struct GroupView {
    /// 1-based position.
    pub no: usize,
    /// Position in Chinese (一).
    pub no_cn: String,
    /// The 层面, when the sheet has one.
    pub name: Option<String>,
    /// Counts within the group.
    pub tally: Tally,
    /// The 类别 in order (one unnamed category when none is given).
    pub categories: Vec<CategoryView>,
}

/// A 类别 and its issues.
#[derive(Debug, Serialize)]
pub struct CategoryView {
    /// The 类别, when given.
    pub name: Option<String>,
    /// Counts within the category.
    pub tally: Tally,
    /// Its issues.
    pub issues: Vec<IssueView>,
}

/// One issue as templates see it.
#[derive(Debug, Serialize)]
pub struct IssueView {
    /// 1..N
    pub no: usize,
    /// 层面
    pub level: Option<String>,
    /// 类别
    pub category: Option<String>,
    /// 存在问题
    pub finding: String,
    /// 问题来源
    pub source: Option<String>,
    /// Canonical status wording.
    pub status: &'static str,
    /// Whether the status is 已完成整改.
    pub done: bool,
    /// Measures with their ordinals (一是…).
    pub measures: Vec<MeasureView>,
    /// 责任单位
    pub unit: Option<String>,
    /// 责任人
    pub person: Option<String>,
    /// 整改时限, printed.
    pub deadline: Option<String>,
    /// 完成时间, printed.
    pub finished: Option<String>,
    /// Past its deadline and not done.
    pub overdue: bool,
    /// 备注
    pub note: Option<String>,
    /// Other columns by header.
    pub extra: BTreeMap<String, String>,
}

impl IssueView {
    fn new(i: &Issue, as_of: NaiveDate) -> Self {
        IssueView {
            no: i.number,
            level: i.level.clone(),
            category: i.category.clone(),
            finding: i.finding.clone(),
            source: i.source.clone(),
            status: i.status.label(),
            done: i.status == Status::Done,
            measures: i
                .measures
                .iter()
                .enumerate()
                .map(|(n, m)| MeasureView {
                    ordinal: format!("{}是", chinese(n + 1)),
                    text: m.text.clone(),
                    lead: m.lead().map(str::to_string),
                    rest: m.rest().to_string(),
                })
                .collect(),
            unit: i.unit.clone(),
            person: i.person.clone(),
            deadline: i.deadline.map(format_date),
            finished: i.finished.map(format_date),
            overdue: i.is_overdue(as_of),
            note: i.note.clone(),
            extra: i.extra.clone(),
        }
    }
}

/// One measure as templates see it.
#[derive(Debug, Serialize)]
pub struct MeasureView {
    /// 一是, 二是…
    pub ordinal: String,
    /// The whole line.
    pub text: String,
    /// The first sentence without its 。, when the line has more.
    pub lead: Option<String>,
    /// The rest after the lead-in (the whole line when there is none).
    pub rest: String,
}

/// One next step.
#[derive(Debug, Serialize)]
pub struct StepView {
    /// 一是…
    pub ordinal: String,
    /// 标题 without a final 。
    pub title: String,
    /// 内容
    pub content: String,
}

/// One 正文 row.
#[derive(Debug, Serialize)]
pub struct SectionView {
    /// 0 (paragraphs only) to 4.
    pub level: u8,
    /// Heading text.
    pub title: String,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
}

/// A small document for unit tests of later stages.
#[cfg(test)]
pub mod tests_support {
    use super::*;

    /// A view of a two-issue document.
    pub fn sample_view() -> View {
        let date = NaiveDate::from_ymd_opt(2024, 3, 25).unwrap();
        let issue = |number, status| Issue {
            number,
            row: number as u32,
            level: Some("政府层面".into()),
            category: None,
            finding: format!("问题{number}"),
            source: None,
            status,
            measures: vec![Measure {
                text: "措施。".into(),
            }],
            unit: None,
            person: None,
            deadline: NaiveDate::from_ymd_opt(2024, 3, 1),
            finished: None,
            note: None,
            extra: BTreeMap::new(),
        };
        Document {
            info: Info {
                kind: "整改报告".into(),
                issuer: "某县人民政府".into(),
                title: "关于问题整改情况的报告".into(),
                date,
                signers: vec![],
                seal: false,
                fields: BTreeMap::new(),
            },
            issues: vec![issue(1, Status::Done), issue(2, Status::InProgress)],
            steps: vec![],
            sections: vec![],
        }
        .view()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_is_counted_as_of_the_document_date() {
        let v = tests_support::sample_view();
        assert_eq!(
            v.counts,
            Tally {
                total: 2,
                done: 1,
                in_progress: 1,
                not_started: 0,
                remaining: 1,
                overdue: 1
            }
        );
        assert_eq!(v.info["署名"], "某县人民政府");
        assert_eq!(v.info["份号"], "");
    }

    #[test]
    fn dates_print_without_leading_zeros() {
        assert_eq!(
            format_date(NaiveDate::from_ymd_opt(2024, 3, 2).unwrap()),
            "2024年3月2日"
        );
        assert_eq!(
            format_date(NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()),
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
}
