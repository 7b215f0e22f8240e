//! View: what a template sees of one [`Document`], and what the conformance check expects of it.
//!
//! Keys are ASCII because Tera 2 identifiers are ASCII; 文件信息 keys keep their Chinese names
//! under `info` (`info["检查单位"]`), 收文单位 variables under `recipient`, other sheets under
//! `sheets`. Every value is data: templates insert it as literal text.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::contract::{self, Format};
use crate::date::format as format_date;
use crate::model::{Document, Issue, Status, Tally, chinese, group_by};
use crate::spec::Spec;
use crate::table::Table;

/// The template context.
#[derive(Debug, Serialize)]
pub(crate) struct View {
    /// Every 文件信息 key as text (`info["标题"]`), contract keys present even when empty, 署名
    /// defaulted, 抄送 ending in 。.
    pub info: BTreeMap<String, String>,
    /// The 文件信息 keys the contract declares as paragraphs (通知正文, 附件说明), one line each
    /// (`lines["通知正文"]`), empty when not given.
    pub lines: BTreeMap<String, Vec<String>>,
    /// The document's facts, checked and computed.
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
    /// 简报 articles under their 栏目 (consecutive articles of one 栏目 share it).
    pub columns: Vec<ColumnView>,
    /// 督办事项, numbered 1..N.
    pub items: Vec<ItemView>,
    /// Appendix tables, in order.
    pub appendices: Vec<AppendixView>,
    /// The recipient's 主送机关 and variables (`recipient["辖区尾矿库数"]`); empty unless a batch.
    pub recipient: BTreeMap<String, String>,
    /// Other sheets the template declares it reads, by name.
    pub sheets: BTreeMap<String, SheetView>,
}

/// Checked file facts.
#[derive(Debug, Serialize)]
pub(crate) struct DocView {
    /// 文种
    pub kind: String,
    /// The layout the template declares: 文件, 信函 or 简报.
    pub format: &'static str,
    /// 发文机关
    pub issuer: String,
    /// The red 发文机关标志: given, or from 发文机关 and the format (…文件 for 文件格式).
    pub mark: String,
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
    /// The 附件说明 names, in order.
    pub attachments: Vec<String>,
    /// The title of the document a 通知 prints after itself (文件信息 印发文件标题), broken into
    /// lines like the title; empty when there is none.
    pub enclosure_lines: Vec<String>,
}

/// A 层面 and its 类别.
#[derive(Debug, Serialize)]
pub(crate) struct GroupView {
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
pub(crate) struct CategoryView {
    /// The 类别, when given.
    pub name: Option<String>,
    /// Counts within the category.
    pub tally: Tally,
    /// Its issues.
    pub issues: Vec<IssueView>,
}

/// One issue as templates see it.
#[derive(Debug, Serialize)]
pub(crate) struct IssueView {
    /// 1..N across all groups.
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

/// One measure as templates see it.
#[derive(Debug, Serialize)]
pub(crate) struct MeasureView {
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
pub(crate) struct StepView {
    /// 一是…
    pub ordinal: String,
    /// 标题 without a final 。
    pub title: String,
    /// 内容
    pub content: String,
}

/// One 正文 row.
#[derive(Debug, Serialize)]
pub(crate) struct SectionView {
    /// 0 (paragraphs only) to 4.
    pub level: u8,
    /// The style library's function for the heading: 一级, 二级, 三级, 四级 (empty for level 0).
    pub heading: &'static str,
    /// Heading text.
    pub title: String,
    /// The paragraph the heading runs into, when it does (a title ending in 。, or a level-3/4
    /// row without a title: “1.内容”).
    pub run_in: Option<String>,
    /// The paragraphs (after the run-in one).
    pub paragraphs: Vec<String>,
}

impl SectionView {
    fn new(s: &crate::model::Section) -> SectionView {
        let run_in = s.level > 0
            && !s.paragraphs.is_empty()
            && (s.title.is_empty() || s.title.ends_with('。'));
        let (lead, rest) = match s.paragraphs.split_first() {
            Some((first, rest)) if run_in => (Some(first.clone()), rest.to_vec()),
            _ => (None, s.paragraphs.clone()),
        };
        SectionView {
            level: s.level,
            heading: ["", "一级", "二级", "三级", "四级"][usize::from(s.level.min(4))],
            title: s.title.clone(),
            run_in: lead,
            paragraphs: rest,
        }
    }
}

/// A 栏目 of a 简报 and its articles.
#[derive(Debug, Serialize)]
pub(crate) struct ColumnView {
    /// The 栏目, when given.
    pub name: Option<String>,
    /// Its articles.
    pub articles: Vec<ArticleView>,
}

/// One article.
#[derive(Debug, Serialize)]
pub(crate) struct ArticleView {
    /// The title's lines, as the clerk broke them.
    pub title_lines: Vec<String>,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
    /// 来源
    pub source: Option<String>,
}

/// One 督办事项.
#[derive(Debug, Serialize)]
pub(crate) struct ItemView {
    /// 1..N in this document.
    pub no: usize,
    /// 事项
    pub text: String,
    /// 完成时限, printed.
    pub deadline: Option<String>,
    /// 责任单位
    pub unit: Option<String>,
    /// 备注
    pub note: Option<String>,
    /// Other columns by header.
    pub extra: BTreeMap<String, String>,
}

/// One appendix.
#[derive(Debug, Serialize)]
pub(crate) struct AppendixView {
    /// Its number (附件1 → 1), as numbered in this document.
    pub no: usize,
    /// Its title.
    pub title: String,
    /// The table as it prints.
    pub table: TableView,
}

/// A table as the `登记表` function of the style library draws it.
#[derive(Debug, Serialize)]
pub(crate) struct TableView {
    /// Its title.
    pub title: String,
    /// On landscape pages.
    pub landscape: bool,
    /// Type size, pt.
    pub size: f64,
    /// Column widths, pt.
    pub widths: Vec<f64>,
    /// Header rows (1 or 2).
    pub header_rows: usize,
    /// Header cells in reading order.
    pub header: Vec<CellView>,
    /// Body cells in reading order, cells covered by a merged cell left out.
    pub cells: Vec<CellView>,
}

/// One table cell as drawn.
#[derive(Debug, Serialize)]
pub(crate) struct CellView {
    /// The text.
    pub text: String,
    /// Columns covered.
    pub colspan: usize,
    /// Rows covered.
    pub rowspan: usize,
    /// Centred rather than set left.
    pub centred: bool,
}

/// Another sheet the template reads.
#[derive(Debug, Serialize)]
pub(crate) struct SheetView {
    /// The table's title.
    pub title: String,
    /// Column names (`组/列` under a group).
    pub columns: Vec<String>,
    /// Rows as column name → text.
    pub rows: Vec<BTreeMap<String, String>>,
    /// The table as it prints.
    pub table: TableView,
}

/// Facts about the project a view needs besides the document.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Project {
    /// Whether `templates/印章.png` exists.
    pub seal_image: bool,
}

impl View {
    /// The view of `doc` for the template `spec` declares.
    pub(crate) fn new(doc: &Document, spec: &Spec, project: Project) -> View {
        let as_of = doc.info.date;
        let lists = &doc.lists;
        View {
            info: info_fields(doc),
            lines: info_lines(doc),
            doc: DocView::new(doc, spec.format, project),
            counts: doc.tally(),
            groups: groups(doc, as_of),
            issues: numbered(&lists.issues, |n, i| IssueView::new(i, n, as_of)),
            steps: numbered(&lists.steps, StepView::new),
            steps_cn: chinese(lists.steps.len()),
            sections: lists.sections.iter().map(SectionView::new).collect(),
            columns: columns(doc),
            items: numbered(&lists.items, ItemView::new),
            appendices: numbered(&lists.appendices, AppendixView::new),
            recipient: recipient(doc),
            sheets: lists
                .sheets
                .iter()
                .map(|(name, t)| (name.clone(), SheetView::new(t)))
                .collect(),
        }
    }
}

/// Each record's view, numbered from 1.
fn numbered<T, V>(records: &[T], view: impl Fn(usize, &T) -> V) -> Vec<V> {
    records
        .iter()
        .enumerate()
        .map(|(n, r)| view(n + 1, r))
        .collect()
}

/// The 文件信息 keys the contract declares as paragraphs, each value's lines trimmed, empty
/// lines dropped.
fn info_lines(doc: &Document) -> BTreeMap<String, Vec<String>> {
    contract::keys()
        .iter()
        .filter(|k| k.kind == contract::Kind::Lines)
        .map(|k| {
            let lines = doc
                .info
                .get(&k.name)
                .map(|v| {
                    v.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            (k.name.to_string(), lines)
        })
        .collect()
}

impl DocView {
    fn new(doc: &Document, format: Format, project: Project) -> DocView {
        let title_lines = |t: &str| crate::title::lines(t, crate::title::TITLE_CHARS_PER_LINE);
        DocView {
            kind: doc.info.kind.clone(),
            format: format.name(),
            issuer: doc.info.issuer.clone(),
            mark: mark(doc, format),
            title: doc.info.title.clone(),
            title_lines: title_lines(&doc.info.title),
            date: format_date(doc.info.date),
            signers: doc.info.signers.clone(),
            seal: doc.info.seal,
            seal_image: project.seal_image,
            attachments: doc.attachment_names(),
            enclosure_lines: doc
                .info
                .get(contract::key(contract::KeyId::IssuedTitle))
                .map(title_lines)
                .unwrap_or_default(),
        }
    }
}

impl StepView {
    fn new(n: usize, s: &crate::model::Step) -> StepView {
        StepView {
            ordinal: format!("{}是", chinese(n)),
            title: s.title.trim_end_matches('。').to_string(),
            content: s.content.clone(),
        }
    }
}

/// The 简报's articles under their 栏目, consecutive articles of one 栏目 sharing it.
fn columns(doc: &Document) -> Vec<ColumnView> {
    group_by(doc.lists.articles.iter(), |a| a.column.as_deref())
        .into_iter()
        .map(|(name, list)| ColumnView {
            name: name.map(str::to_string),
            articles: list
                .into_iter()
                .map(|a| ArticleView {
                    title_lines: crate::title::lines(
                        &a.title.join("\n"),
                        crate::title::TITLE_CHARS_PER_LINE,
                    ),
                    paragraphs: a.paragraphs.clone(),
                    source: a.source.clone(),
                })
                .collect(),
        })
        .collect()
}

impl ItemView {
    fn new(no: usize, i: &crate::model::Item) -> ItemView {
        ItemView {
            no,
            text: i.text.clone(),
            deadline: i.deadline.clone(),
            unit: i.unit.clone(),
            note: i.note.clone(),
            extra: i.extra.clone(),
        }
    }
}

impl AppendixView {
    fn new(no: usize, t: &Table) -> AppendixView {
        AppendixView {
            no,
            title: t.title.clone(),
            table: TableView::new(t),
        }
    }
}

/// The recipient's 主送机关 and variables; empty unless a batch.
fn recipient(doc: &Document) -> BTreeMap<String, String> {
    doc.recipient
        .iter()
        .flat_map(|r| {
            std::iter::once((
                contract::key(contract::KeyId::Addressee).to_string(),
                r.name.clone(),
            ))
            .chain(r.variables.clone())
        })
        .collect()
}

/// The 发文机关标志 the layout prints: given, or 发文机关 (+文件 in 文件格式).
fn mark(doc: &Document, format: Format) -> String {
    match (doc.info.get(contract::key(contract::KeyId::Mark)), format) {
        (Some(m), _) => m.to_string(),
        (None, Format::File) => format!("{}文件", doc.info.issuer),
        (None, _) => doc.info.issuer.clone(),
    }
}

fn info_fields(doc: &Document) -> BTreeMap<String, String> {
    let mut fields = doc.info.fields.clone();
    for key in contract::keys() {
        fields.entry(key.name.to_string()).or_default();
    }
    fields.insert(
        contract::key(contract::KeyId::Signature).into(),
        doc.info.signature(),
    );
    fields.insert(
        contract::key(contract::KeyId::Date).into(),
        format_date(doc.info.date),
    );
    fields.insert(
        contract::key(contract::KeyId::Title).into(),
        doc.info.title.clone(),
    );
    // The style library adds the full-width colon after the 主送机关.
    if let Some(to) = fields.get_mut(contract::key(contract::KeyId::Addressee)) {
        *to = to.trim_end().trim_end_matches(['：', ':']).to_string();
    }
    if let Some(cc) = fields
        .get_mut(contract::key(contract::KeyId::CopyTo))
        .filter(|c| !c.trim().is_empty() && !c.trim_end().ends_with('。'))
    {
        let trimmed = cc.trim_end().to_string();
        *cc = trimmed + "。";
    }
    fields
}

fn groups(doc: &Document, as_of: NaiveDate) -> Vec<GroupView> {
    // Issues are numbered 1..N across all groups, in sheet order.
    let number = |i: &Issue| {
        doc.lists
            .issues
            .iter()
            .position(|x| std::ptr::eq(x, i))
            .map_or(0, |n| n + 1)
    };
    doc.levels()
        .into_iter()
        .enumerate()
        .map(|(gi, (name, issues))| {
            let categories = group_by(issues.iter().copied(), |i| i.category.as_deref())
                .into_iter()
                .map(|(cname, list)| CategoryView {
                    name: cname.map(str::to_string),
                    tally: Tally::of(list.iter().copied(), as_of),
                    issues: list
                        .into_iter()
                        .map(|i| IssueView::new(i, number(i), as_of))
                        .collect(),
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
        .collect()
}

impl IssueView {
    fn new(i: &Issue, no: usize, as_of: NaiveDate) -> Self {
        IssueView {
            no,
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

impl TableView {
    /// The table as it prints.
    pub(crate) fn new(t: &Table) -> TableView {
        let layout = t.print_layout();
        let header = t
            .header()
            .into_iter()
            .map(|h| CellView {
                text: h.text,
                colspan: h.colspan,
                rowspan: h.rowspan,
                centred: true,
            })
            .collect();
        let mut cells = Vec::new();
        let spans = t.span_index();
        for (r, row) in t.rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                if spans.covered(r, c) {
                    continue;
                }
                let span = spans.at(r, c);
                cells.push(CellView {
                    text: cell.value.text(),
                    colspan: span.map_or(1, |s| s.cols),
                    rowspan: span.map_or(1, |s| s.rows),
                    centred: layout.centred[c],
                });
            }
        }
        TableView {
            title: t.title.clone(),
            landscape: layout.landscape,
            size: layout.size_pt,
            widths: layout.widths_pt,
            header_rows: t.header_rows(),
            header,
            cells,
        }
    }
}

impl SheetView {
    fn new(t: &Table) -> SheetView {
        let columns: Vec<String> = t.columns.iter().map(|c| c.full_name()).collect();
        // A column under a group is found by its own name too, when no other column has it.
        let leaf = |i: usize| {
            let name = &t.columns[i].name;
            (t.columns[i].group.is_some()
                && t.columns.iter().filter(|c| c.name == *name).count() == 1
                && !columns.contains(name))
            .then(|| name.clone())
        };
        SheetView {
            title: t.title.clone(),
            rows: t
                .rows
                .iter()
                .map(|r| {
                    let mut row: BTreeMap<String, String> = BTreeMap::new();
                    for (i, (c, v)) in columns.iter().zip(&r.cells).enumerate() {
                        let text = v.value.text();
                        if let Some(name) = leaf(i) {
                            row.insert(name, text.clone());
                        }
                        row.insert(c.clone(), text);
                    }
                    row
                })
                .collect(),
            columns,
            table: TableView::new(t),
        }
    }
}
