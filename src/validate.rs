//! Validation: turn the sheets of a workbook into a typed [`Document`], reporting every problem.
//!
//! Every rule of `input-contract.md` that concerns a single workbook is checked here, and every
//! problem names its cell. Validation never stops at the first problem.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Loc, Report};
use crate::model::{Document, Info, Issue, Measure, Section, Status, Step};
use crate::read::{Cell, Row, Table, Workbook};

/// Sheets this version reads.
const KNOWN_SHEETS: [&str; 4] = ["文件信息", "问题清单", "下一步工作", "正文"];
/// 文种 whose documents are built from 问题清单.
const LEDGER_KINDS: [&str; 2] = ["整改报告", "整改情况报告"];
/// Columns of 问题清单 the contract names.
const ISSUE_COLUMNS: [&str; 13] = [
    "序号",
    "层面",
    "类别",
    "存在问题",
    "问题来源",
    "整改状态",
    "整改措施",
    "责任单位",
    "责任人",
    "整改时限",
    "完成时间",
    "备注",
    "收文单位",
];

/// Parses a date cell or one of the text forms `2024-03-02`, `2024/3/2`, `2024.3.2`,
/// `2024年3月2日`.
pub fn parse_date(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Date(d) => Some(*d),
        Cell::Text(t) => {
            let t = t.trim();
            let t = t.strip_suffix('日').unwrap_or(t);
            let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
            let [y, m, d] = parts.as_slice() else {
                return None;
            };
            if y.len() != 4 {
                return None;
            }
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }
}

const DATE_HINT: &str =
    "请填写日期单元格，或写成 2024-03-02、2024/3/2、2024.3.2、2024年3月2日 之一";

/// Validates a workbook read from `book`. Returns the document when it has no errors.
pub fn validate(book: &Workbook) -> (Option<Document>, Report) {
    let mut report = Report::default();
    let file = book.display.as_str();
    for sheet in &book.sheets {
        if !KNOWN_SHEETS.contains(&sheet.name.trim())
            && !sheet.rows.iter().flatten().all(Cell::is_blank)
        {
            report.push(
                Diagnostic::warning(
                    Loc::sheet(file, &sheet.name),
                    "本版本不读取这个工作表，其内容不会出现在文档中",
                )
                .hint(format!(
                    "可用的工作表：{}；如是笔误请改正工作表名称",
                    KNOWN_SHEETS.join("、")
                )),
            );
        }
    }
    let info = read_info(book, &mut report);
    let issues = read_issues(book, info.as_ref(), &mut report);
    let steps = read_steps(book, &mut report);
    let sections = read_sections(book, &mut report);
    if report.has_errors() {
        return (None, report);
    }
    let info = info.expect("no errors means 文件信息 was read");
    (
        Some(Document {
            info,
            issues,
            steps,
            sections,
        }),
        report,
    )
}

fn read_info(book: &Workbook, report: &mut Report) -> Option<Info> {
    let file = book.display.as_str();
    let Some(sheet) = book.sheet("文件信息") else {
        report.push(
            Diagnostic::error(Loc::file(file), "缺少工作表「文件信息」")
                .hint("请添加名为「文件信息」的工作表，表头为「项目 | 内容」，至少填写 文种、发文机关、标题、成文日期"),
        );
        return None;
    };
    let table = match Table::find(sheet, file, &["项目", "内容"]) {
        Ok(t) => t,
        Err(d) => {
            report.push(d);
            return None;
        }
    };
    let (key_col, value_col) = (table.column("项目")?, table.column("内容")?);
    let mut fields = BTreeMap::new();
    let mut date = None;
    let mut cells: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for row in &table.rows {
        let key = crate::read::normalize_header(&row.cells[key_col].text());
        let value = &row.cells[value_col];
        let at = (row.row, table.columns[value_col].col);
        let loc = Loc::cell(file, &table.sheet, at.0, at.1);
        if key.is_empty() {
            report.push(
                Diagnostic::warning(
                    Loc::cell(file, &table.sheet, row.row, table.columns[key_col].col),
                    format!("「内容」“{}”没有对应的「项目」名称，已忽略", value.text()),
                )
                .hint("请在「项目」列写上这一项的名称"),
            );
            continue;
        }
        if cells.insert(key.clone(), at).is_some() {
            report.push(Diagnostic::warning(
                loc.clone(),
                format!("项目「{key}」重复填写，采用最后一次的内容"),
            ));
        }
        let text = if key.ends_with("日期") && !value.is_blank() {
            match parse_date(value) {
                Some(d) => {
                    if key == "成文日期" {
                        date = Some(d);
                    }
                    crate::model::format_date(d)
                }
                None => {
                    report.push(
                        Diagnostic::error(
                            loc,
                            format!("「{key}」的内容“{}”不是日期", value.text()),
                        )
                        .hint(DATE_HINT),
                    );
                    continue;
                }
            }
        } else {
            value.text()
        };
        fields.insert(key, text);
    }
    let sheet_loc = Loc::sheet(file, &table.sheet);
    for key in ["文种", "发文机关", "标题", "成文日期"] {
        if fields.get(key).is_none_or(|v| v.is_empty())
            && !(key == "成文日期" && cells.contains_key(key))
        {
            report.push(
                Diagnostic::error(sheet_loc.clone(), format!("缺少必填项目「{key}」")).hint(
                    format!("请在「文件信息」中添加一行：项目写「{key}」，内容写上对应的值"),
                ),
            );
        }
    }
    if let Some(number) = fields.get("发文字号").filter(|n| !n.is_empty())
        && let Some(problem) = check_doc_number(number)
    {
        let (r, c) = cells["发文字号"];
        report.push(
            Diagnostic::warning(Loc::cell(file, &table.sheet, r, c), format!("发文字号“{number}”{problem}"))
                .hint("GB/T 9704 的写法是 机关代字〔年份〕序号号，例如 冀政报〔2024〕3号：年份用六角括号〔〕，序号不编虚位、不加“第”"),
        );
    }
    let signers = fields
        .get("签发人")
        .map(|s| {
            s.split(['、', '，', ',', ' ', '　', '\n'])
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let seal = match fields.get("印章").map(|v| v.trim()).unwrap_or("") {
        "" | "否" | "无" | "不加盖" | "不盖章" => false,
        "是" | "有" | "加盖" | "盖章" | "加盖印章" => true,
        other => {
            let (r, c) = cells["印章"];
            report.push(
                Diagnostic::error(Loc::cell(file, &table.sheet, r, c), format!("「印章」的内容“{other}”无法识别"))
                    .hint("加盖印章的公文填“是”（落款按加盖印章的格式排：成文日期右空四字、署名居中其上），不加盖填“否”或留空"),
            );
            false
        }
    };
    Some(Info {
        seal,
        kind: fields.get("文种")?.clone(),
        issuer: fields.get("发文机关")?.clone(),
        title: fields.get("标题")?.clone(),
        date: date?,
        signers,
        fields,
    })
}

/// What is wrong with a 发文字号, if anything.
fn check_doc_number(number: &str) -> Option<&'static str> {
    if number.contains('第') {
        return Some("含有“第”字");
    }
    let Some((_, rest)) = number.split_once('〔') else {
        return Some("的年份没有用六角括号〔〕");
    };
    let Some((year, serial)) = rest.split_once('〕') else {
        return Some("的六角括号不成对");
    };
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return Some("的年份不是四位数字");
    }
    let Some(serial) = serial.strip_suffix('号') else {
        return Some("没有以“号”结尾");
    };
    if serial.is_empty() || !serial.chars().all(|c| c.is_ascii_digit()) {
        return Some("的序号不是阿拉伯数字");
    }
    if serial.starts_with('0') {
        return Some("的序号有前导零（虚位）");
    }
    None
}

/// Reads a table's cells for one row by header name.
struct RowReader<'a> {
    table: &'a Table,
    row: &'a Row,
    file: &'a str,
}

impl RowReader<'_> {
    fn cell(&self, name: &str) -> Option<&Cell> {
        self.table.column(name).map(|i| &self.row.cells[i])
    }

    fn loc(&self, name: &str) -> Loc {
        let col = self
            .table
            .column(name)
            .map_or(0, |i| self.table.columns[i].col);
        Loc::cell(self.file, &self.table.sheet, self.row.row, col)
    }

    fn text(&self, name: &str) -> Option<String> {
        self.cell(name).map(Cell::text).filter(|t| !t.is_empty())
    }

    fn date(&self, name: &str, report: &mut Report) -> Option<NaiveDate> {
        let cell = self.cell(name).filter(|c| !c.is_blank())?;
        let date = parse_date(cell);
        if date.is_none() {
            report.push(
                Diagnostic::error(
                    self.loc(name),
                    format!("「{name}」的内容“{}”不是日期", cell.text()),
                )
                .hint(DATE_HINT),
            );
        }
        date
    }
}

fn read_issues(book: &Workbook, info: Option<&Info>, report: &mut Report) -> Vec<Issue> {
    let file = book.display.as_str();
    let Some(sheet) = book.sheet("问题清单") else {
        if let Some(kind) = info
            .map(|i| i.kind.as_str())
            .filter(|k| LEDGER_KINDS.contains(k))
        {
            report.push(
                Diagnostic::error(
                    Loc::file(file),
                    format!("文种「{kind}」需要工作表「问题清单」，但工作簿中没有"),
                )
                .hint("请添加「问题清单」工作表，至少包含「存在问题」「整改状态」两列"),
            );
        }
        return Vec::new();
    };
    let table = match Table::find(sheet, file, &["存在问题", "整改状态"]) {
        Ok(t) => t,
        Err(d) => {
            report.push(d);
            return Vec::new();
        }
    };
    let mut issues = Vec::new();
    for (n, row) in table.rows.iter().enumerate() {
        let r = RowReader {
            table: &table,
            row,
            file,
        };
        let number = n + 1;
        if let Some(cell) = r.cell("序号").filter(|c| !c.is_blank()) {
            let given = cell.text();
            if given != number.to_string() {
                report.push(
                    Diagnostic::warning(r.loc("序号"), format!("序号“{given}”与行的顺序不符，应为 {number}"))
                        .hint(format!("文档按行的顺序自动编号，此行编为第{number}条；请检查是否漏行、重行，或改正序号")),
                );
            }
        }
        let finding = r.text("存在问题");
        if finding.is_none() {
            report.push(
                Diagnostic::error(r.loc("存在问题"), "「存在问题」为空")
                    .hint("每一行都要写明存在的问题；如这一行不需要，请整行删除"),
            );
        }
        let status_text = r.text("整改状态").unwrap_or_default();
        let status = Status::parse(&status_text);
        if status.is_none() {
            let shown = if status_text.is_empty() {
                "为空".to_string()
            } else {
                format!("“{status_text}”无法识别")
            };
            report.push(
                Diagnostic::error(r.loc("整改状态"), format!("「整改状态」{shown}"))
                    .hint("请填写 已完成整改、积极整改中 或 未启动（也可写 已完成、已整改、整改中、正在整改、未开始）"),
            );
        }
        let deadline = r.date("整改时限", report);
        let finished = r.date("完成时间", report);
        for name in ["整改时限", "完成时间"] {
            if let Some(Cell::Error(e)) = r.cell(name) {
                report.push(
                    Diagnostic::error(r.loc(name), format!("「{name}」是公式错误 {e}"))
                        .hint("请改正该单元格的公式"),
                );
            }
        }
        let measures = r
            .text("整改措施")
            .map(|t| {
                t.lines()
                    .map(strip_ordinal)
                    .filter(|l| !l.is_empty())
                    .map(|text| Measure { text })
                    .collect()
            })
            .unwrap_or_default();
        let extra = table
            .columns
            .iter()
            .zip(&row.cells)
            .filter(|(c, _)| !ISSUE_COLUMNS.contains(&c.name.as_str()))
            .map(|(c, v)| (c.name.clone(), v.text()))
            .collect();
        if let (Some(finding), Some(status)) = (finding, status) {
            issues.push(Issue {
                number,
                row: row.row,
                level: r.text("层面"),
                category: r.text("类别").map(|c| strip_category_number(&c)),
                finding,
                source: r.text("问题来源"),
                status,
                measures,
                unit: r.text("责任单位"),
                person: r.text("责任人"),
                deadline,
                finished,
                note: r.text("备注"),
                extra,
            });
        }
    }
    issues
}

/// Drops a typed `一是` / `1.` / `（一）` at the start of a measure line: the document numbers them.
fn strip_ordinal(line: &str) -> String {
    let line = line.trim();
    let cn = "一二三四五六七八九十";
    let after_cn = line.trim_start_matches(|c| cn.contains(c));
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
fn strip_category_number(category: &str) -> String {
    let c = category.trim();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = c.strip_prefix(open)
            && let Some((num, tail)) = rest.split_once(close)
            && !num.is_empty()
            && num.chars().all(|ch| "一二三四五六七八九十".contains(ch))
        {
            return tail.trim().to_string();
        }
    }
    c.to_string()
}

fn read_steps(book: &Workbook, report: &mut Report) -> Vec<Step> {
    let file = book.display.as_str();
    let Some(sheet) = book.sheet("下一步工作") else {
        return Vec::new();
    };
    let table = match Table::find(sheet, file, &["标题", "内容"]) {
        Ok(t) => t,
        Err(d) => {
            report.push(d);
            return Vec::new();
        }
    };
    table
        .rows
        .iter()
        .filter_map(|row| {
            let r = RowReader {
                table: &table,
                row,
                file,
            };
            let title = r.text("标题").map(|t| strip_ordinal(&t));
            if title.is_none() {
                report.push(
                    Diagnostic::error(r.loc("标题"), "「标题」为空")
                        .hint("每项下一步工作都要有标题（一句话概括）"),
                );
            }
            Some(Step {
                title: title?,
                content: r.text("内容").unwrap_or_default(),
            })
        })
        .collect()
}

fn read_sections(book: &Workbook, report: &mut Report) -> Vec<Section> {
    let file = book.display.as_str();
    let Some(sheet) = book.sheet("正文") else {
        return Vec::new();
    };
    let table = match Table::find(sheet, file, &["层级", "标题", "内容"]) {
        Ok(t) => t,
        Err(d) => {
            report.push(d);
            return Vec::new();
        }
    };
    table
        .rows
        .iter()
        .filter_map(|row| {
            let r = RowReader { table: &table, row, file };
            let level_text = r.text("层级").unwrap_or_default();
            let level = match level_text.as_str() {
                "" => 0,
                "1" | "一" => 1,
                "2" | "二" => 2,
                "3" | "三" => 3,
                "4" | "四" => 4,
                other => {
                    report.push(
                        Diagnostic::error(r.loc("层级"), format!("「层级」“{other}”无法识别"))
                            .hint("请填写 1（一、）、2（（一））、3（1.）、4（（1））之一，普通段落留空"),
                    );
                    return None;
                }
            };
            let title = r.text("标题").unwrap_or_default();
            if level > 0 && title.is_empty() {
                report.push(Diagnostic::error(r.loc("标题"), format!("第{level}级标题为空")).hint("请填写标题，或把「层级」留空作为普通段落"));
            }
            let paragraphs = r
                .text("内容")
                .map(|t| t.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect())
                .unwrap_or_default();
            Some(Section { level, title, paragraphs })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn the_four_date_text_forms_parse() {
        let want = NaiveDate::from_ymd_opt(2024, 3, 2);
        for form in [
            "2024-03-02",
            "2024/3/2",
            "2024.3.2",
            "2024年3月2日",
            " 2024-3-2 ",
        ] {
            assert_eq!(parse_date(&text(form)), want, "{form}");
        }
        assert_eq!(parse_date(&text("2024年13月2日")), None);
        assert_eq!(parse_date(&text("三月二日")), None);
        assert_eq!(parse_date(&Cell::Number(45353.0)), None);
    }

    #[test]
    fn document_numbers_follow_the_standard() {
        assert_eq!(check_doc_number("晋应急函〔2022〕136号"), None);
        assert!(check_doc_number("晋应急函[2022]136号").is_some());
        assert!(check_doc_number("晋应急函〔2022〕第136号").is_some());
        assert!(check_doc_number("晋应急函〔2022〕036号").is_some());
        assert!(check_doc_number("晋应急函〔22〕36号").is_some());
    }

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
