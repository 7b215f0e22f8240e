//! Lint: the checks a supervisor applies to a validated workbook. Each is a named [`Rule`] with
//! severity warning: the document is built, and the clerk is told what to look at, where.
//!
//! - [`lists`] (问题清单, 督办事项, 下一步工作, each appendix table, a template's own sheets), per document after routing:
//!   序号 gaps and repeats, duplicate and near-duplicate items, items too short to be concrete;
//! - 文件信息: 发文字号, 份号, 抄送, 主送机关;
//! - 问题清单: overdue items, 已完成整改 without or after its 完成时间;
//! - free text that quotes a count the rows contradict;
//! - half-width punctuation inside Chinese text; characters no font covers.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rayon::prelude::*;
use regex::Regex;

use crate::contract::{self, Check, Field, KeyId, SheetId};
use crate::date::format as format_date;
use crate::diag::{Diagnostic, Loc, Rule};
use crate::fonts::{FALLBACK_FAMILY, FontSet, Role, is_han};
use crate::model::{Document, Info, Status};
use crate::validate::{Printed, Validated};

mod lists;

use lists::{excerpt, lists};

/// What the checks need beyond the workbook.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options {
    /// The date items are overdue as of (default: the document's 成文日期).
    pub as_of: Option<NaiveDate>,
}

/// Every supervisor's check on `validated`, whose `documents` (one per letter of a batch) are
/// checked each on its own.
pub(crate) fn check(
    validated: &Validated,
    documents: &[Document],
    options: Options,
) -> Vec<Diagnostic> {
    let job = &validated.job;
    // Each document's lists on their own: a batch's letters in parallel.
    let (listed, miscounts): (Vec<Vec<Diagnostic>>, Vec<Vec<Miscount>>) = documents
        .par_iter()
        .map(|doc| {
            let mut found = Vec::new();
            let label = doc.recipient.as_ref().map(|r| r.name.as_str());
            lists(doc, &validated.spec, label, &mut found);
            (found, counts(doc, &validated.printed))
        })
        .unzip();
    let mut out: Vec<Diagnostic> = listed.into_iter().flatten().collect();
    out.extend(miscounted(miscounts.into_iter().flatten().collect()));
    info(&job.info, &mut out);
    // A batch letter's own 文件信息 values (its overrides, applied by the model), at their cells.
    for doc in documents {
        if let Some(r) = &doc.recipient {
            info_keys_only(&doc.info, &r.overrides, &mut out);
        }
    }
    issues(job, options.as_of.unwrap_or(job.info.date), &mut out);
    // On the sheets whose declaration turns the check on (appendices and undeclared sheets always).
    let checked = |p: &&Printed| {
        p.loc
            .sheet
            .as_deref()
            .and_then(|n| contract::named(n).or_else(|| validated.spec.declared(n)))
            .is_none_or(|s| s.checks(Check::Halfwidth))
    };
    halfwidth(validated.printed.iter().filter(checked), &mut out);
    // A check run per letter of a batch finds a shared row's problem once per letter.
    let mut seen = BTreeSet::new();
    out.retain(|d| seen.insert((d.rule, d.loc.to_string(), d.message.clone())));
    out
}

/// 文件信息 checks that do not depend on rows.
fn info(info: &Info, out: &mut Vec<Diagnostic>) {
    let keys: std::collections::BTreeMap<String, String> = info.fields.clone();
    info_keys_only(info, &keys, out);
}

/// The 文件信息 checks, for the keys in `keys` only (a recipient's overrides).
fn info_keys_only(
    info: &Info,
    keys: &std::collections::BTreeMap<String, String>,
    out: &mut Vec<Diagnostic>,
) {
    let cell = |key: &str| {
        info.cells
            .get(key)
            .cloned()
            .unwrap_or_else(|| Loc::file(String::new()))
    };
    let get = |key: &str| keys.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
    if let Some(number) = get(contract::key(KeyId::DocNumber))
        && let faults = check_doc_number(number)
        && !faults.is_empty()
    {
        out.push(
            Diagnostic::new(Rule::DocNumberFormat, cell(contract::key(KeyId::DocNumber)), format!("发文字号“{number}”不合规范：{}", faults.join("；")))
                .value(number)
                .hint("GB/T 9704 的写法是 机关代字〔年份〕序号号，例如 冀政报〔2024〕3号：年份用六角括号〔〕，序号不编虚位、不加“第”"),
        );
    }
    let copy_number = contract::key(KeyId::CopyNumber);
    if let Some(copy) = get(copy_number)
        && !(copy.len() == 6 && copy.chars().all(|c| c.is_ascii_digit()))
    {
        out.push(
            Diagnostic::new(Rule::CopyNumberFormat, cell(copy_number), format!("{copy_number}“{copy}”不是6位阿拉伯数字"))
                .value(copy)
                .hint("份号用6位阿拉伯数字，不足6位的在前面补0，如 000012（GB/T 9704 7.2.1）；如在 Excel 中输入，请把单元格设为文本，以免前面的0被去掉"),
        );
    }
    if let Some(cc) = get(contract::key(KeyId::CopyTo))
        && !cc.ends_with('。')
    {
        out.push(
            Diagnostic::new(
                Rule::CopyToPeriod,
                cell(contract::key(KeyId::CopyTo)),
                format!("抄送“{cc}”末尾没有句号，印出时已补上“。”"),
            )
            .value(cc)
            .hint("按 GB/T 9704 7.4.2，抄送机关最后一个后面标句号；请在表格中补上"),
        );
    }
    if let Some(to) = get(contract::key(KeyId::Addressee))
        && to.ends_with(['：', ':'])
    {
        out.push(
            Diagnostic::new(
                Rule::AddresseeColon,
                cell(contract::key(KeyId::Addressee)),
                format!("主送机关“{to}”末尾写了冒号，印出时已去掉"),
            )
            .value(to)
            .hint("主送机关后的全角冒号由 gongwen 自动加上，表格中不必写"),
        );
    }
}

/// What is wrong with a 发文字号, if anything.
pub(crate) fn check_doc_number(number: &str) -> Vec<String> {
    let mut faults = Vec::new();
    // The year's brackets: anything but 六角括号 is reported, then read as if it were one.
    let mut text = number.to_string();
    for (open, close, name) in [
        ('[', ']', "方括号[]"),
        ('【', '】', "方头括号【】"),
        ('(', ')', "圆括号()"),
        ('（', '）', "圆括号（）"),
        ('〈', '〉', "尖括号〈〉"),
    ] {
        if !number.contains('〔') && number.contains(open) && number.contains(close) {
            faults.push(format!("年份用了{name}，应为六角括号〔〕"));
            text = text.replacen(open, "〔", 1).replacen(close, "〕", 1);
            break;
        }
    }
    let Some((_, rest)) = text.split_once('〔') else {
        faults.push("年份没有用六角括号〔〕括起".to_string());
        return faults;
    };
    let Some((year, serial)) = rest.split_once('〕') else {
        faults.push("六角括号不成对".to_string());
        return faults;
    };
    if year.chars().count() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        faults.push(format!("年份“{year}”不是四位阿拉伯数字"));
    }
    let serial = match serial.strip_suffix('号') {
        Some(s) => s,
        None => {
            faults.push("没有以“号”结尾".to_string());
            serial
        }
    };
    let serial = match serial.strip_prefix('第') {
        Some(s) => {
            faults.push("序号前加了“第”".to_string());
            s
        }
        None => serial,
    };
    if serial.is_empty() || !serial.chars().all(|c| c.is_ascii_digit()) {
        faults.push(format!("序号“{serial}”不是阿拉伯数字"));
    } else if serial.starts_with('0') {
        faults.push(format!("序号“{serial}”编了虚位（前面的0）"));
    }
    faults
}

/// 问题清单: overdue as of `as_of`, 已完成整改 without a 完成时间 (when the sheet has that
/// column), 完成时间 after the 成文日期.
fn issues(job: &crate::model::Job, as_of: NaiveDate, out: &mut Vec<Diagnostic>) {
    let date = job.info.date;
    let sheet = contract::sheet(SheetId::Issues);
    for (n, i) in job.lists.issues.iter().enumerate() {
        let no = n + 1;
        if i.is_overdue(as_of) {
            let deadline = i.deadline.map(format_date).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    Rule::Overdue,
                    i.at.cell(sheet.col(Field::Deadline)),
                    format!(
                        "第{no}条问题“{}”的整改时限是{deadline}，截至{}仍{}",
                        excerpt(&i.finding, 20),
                        format_date(as_of),
                        if i.status == Status::NotStarted {
                            "未启动"
                        } else {
                            "未完成"
                        }
                    ),
                )
                .value(deadline)
                .hint(format!(
                    "报告中会如实写明逾期条数；请督促整改，或在「{}」中说明原因",
                    sheet.col(Field::Note)
                )),
            );
        }
        let finished = sheet.col(Field::Finished);
        let has_column = i.at.columns.iter().any(|(c, _)| c == finished);
        if i.status == Status::Done && i.finished.is_none() && has_column {
            out.push(
                Diagnostic::new(
                    Rule::DoneWithoutDate,
                    i.at.cell(finished),
                    format!("第{no}条问题已完成整改，但「{finished}」为空"),
                )
                .hint(format!(
                    "请填写完成整改的日期；尚未完成的，请把「{}」改为 积极整改中",
                    sheet.col(Field::Status)
                )),
            );
        }
        if let Some(f) = i.finished.filter(|f| *f > date) {
            out.push(
                Diagnostic::new(
                    Rule::FinishedAfterDate,
                    i.at.cell(finished),
                    format!(
                        "第{no}条问题的完成时间{}晚于成文日期{}",
                        format_date(f),
                        format_date(date)
                    ),
                )
                .value(format_date(f))
                .hint("成文之日还没有发生的完成时间不能写入报告：请改正完成时间或成文日期"),
            );
        }
    }
}

fn count_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let n = r"([0-9]+|[零一二两三四五六七八九十百]+)";
        Regex::new(&format!(
            r"(?P<done>已(?:完成)?整改(?:完成)?{n}(?:条|项|个))|(?P<left>(?:剩余|尚有|还有|仍有){n}(?:条|项|个))|(?P<total>(?:问题|隐患)共?{n}(?:条|项|个)|{n}(?:条|项|个)(?:问题|隐患))"
        ))
        .expect("a valid pattern")
    })
}

fn number(text: &str) -> Option<usize> {
    text.parse().ok().or_else(|| {
        let t = text.replace('两', "二");
        chinese_number::from_chinese_to_u32_ten_thousand(&t)
            .ok()
            .map(|n| n as usize)
    })
}

/// A count quoted in prose that one document's rows contradict.
#[derive(Debug, Clone)]
struct Miscount {
    /// The cell that quotes it.
    loc: Loc,
    /// The words quoting it.
    whole: String,
    /// What is counted.
    what: String,
    /// The count by the document's rows.
    actual: usize,
    /// The document's recipient, in a batch.
    label: Option<String>,
}

/// The counts `doc`'s own prose quotes that its own rows contradict: only the cells it prints
/// (文件信息, and the rows of 正文 and 下一步工作 routed to it), against its own 问题清单.
fn counts(doc: &Document, printed: &[Printed]) -> Vec<Miscount> {
    let mut out = Vec::new();
    if doc.lists.issues.is_empty() {
        return out;
    }
    let tally = doc.tally();
    let levels: Vec<(String, usize)> = doc
        .levels()
        .into_iter()
        .filter_map(|(name, list)| Some((name?.to_string(), list.len())))
        .collect();
    let rows: BTreeSet<(&str, u32)> = doc
        .lists
        .sections
        .iter()
        .map(|s| &s.at)
        .chain(doc.lists.steps.iter().map(|s| &s.at))
        .map(|at| (&*at.sheet, at.row))
        .collect();
    let own = |p: &&Printed| match (p.loc.sheet.as_deref(), p.loc.cell) {
        (Some(s), _) if s == contract::sheet(contract::SheetId::Info).name => true,
        (Some(s), Some((row, _)))
            if s == contract::sheet(contract::SheetId::Sections).name
                || s == contract::sheet(contract::SheetId::Steps).name =>
        {
            rows.contains(&(s, row))
        }
        _ => false,
    };
    for p in printed.iter().filter(own) {
        for m in count_pattern().captures_iter(&p.text) {
            let whole = m.get(0).expect("a match").as_str();
            // Groups 2, 4 and 6/7 hold the number of the done, left and total forms.
            let digits = [2, 4, 6, 7].iter().find_map(|&g| m.get(g));
            let Some(quoted) = digits.and_then(|g| number(g.as_str())) else {
                continue;
            };
            let (what, actual) = if m.name("done").is_some() {
                ("已整改", tally.done)
            } else if m.name("left").is_some() {
                ("剩余", tally.remaining)
            } else {
                // “……层面问题7条”: the count of that 层面.
                let start = m.get(0).expect("a match").start();
                let before = &p.text[..start];
                match levels
                    .iter()
                    .find(|(name, _)| before.ends_with(name.as_str()))
                {
                    Some((name, count)) => (name.as_str(), *count),
                    None => ("问题总数", tally.total),
                }
            };
            if quoted != actual {
                out.push(Miscount {
                    loc: p.loc.clone(),
                    whole: whole.to_string(),
                    what: what.to_string(),
                    actual,
                    label: doc.recipient.as_ref().map(|r| r.name.clone()),
                });
            }
        }
    }
    out
}

/// One warning per quoting cell: a row every letter of a batch prints is reported once, naming
/// the letters it is wrong in and what their rows count.
fn miscounted(found: Vec<Miscount>) -> Vec<Diagnostic> {
    let mut by_cell: Vec<(Loc, String, String, Vec<Miscount>)> = Vec::new();
    for m in found {
        match by_cell
            .iter_mut()
            .find(|(loc, whole, what, _)| *loc == m.loc && *whole == m.whole && *what == m.what)
        {
            Some((_, _, _, list)) => list.push(m),
            None => by_cell.push((m.loc.clone(), m.whole.clone(), m.what.clone(), vec![m])),
        }
    }
    by_cell
        .into_iter()
        .map(|(loc, whole, what, list)| {
            let expected = match list.as_slice() {
                [one] if one.label.is_none() => format!("{what}应为{}条", one.actual),
                _ => {
                    let each: Vec<String> = list
                        .iter()
                        .map(|m| format!("{} {}条", m.label.as_deref().unwrap_or(""), m.actual))
                        .collect();
                    format!("{what}应为：{}", each.join("、"))
                }
            };
            Diagnostic::new(
                Rule::CountMismatch,
                loc,
                format!(
                    "文中“{whole}”与{}不符：按清单，{expected}",
                    contract::sheet(SheetId::Issues).name
                ),
            )
            .value(whole)
            .hint(format!(
                "报告中的数字应与清单一致：请改正这段文字，或核对{}是否漏行、重行",
                contract::sheet(SheetId::Issues).name
            ))
        })
        .collect()
}

/// Half-width punctuation next to Chinese text, with the full-width form it should be.
const HALFWIDTH: [(char, char); 7] = [
    (',', '，'),
    (':', '：'),
    (';', '；'),
    ('(', '（'),
    (')', '）'),
    ('?', '？'),
    ('!', '！'),
];

fn is_chinese(c: char) -> bool {
    is_han(c) || ('\u{3000}'..='\u{303F}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c)
}

fn halfwidth<'a>(printed: impl IntoIterator<Item = &'a Printed>, out: &mut Vec<Diagnostic>) {
    for p in printed {
        let chars: Vec<char> = p.text.chars().collect();
        let mut found: Vec<(char, char, String)> = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            let Some(&(_, full)) = HALFWIDTH.iter().find(|(h, _)| *h == c) else {
                continue;
            };
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            // A pair like (1) counts when the text around the pair is Chinese.
            let beside = |x: Option<char>| x.is_some_and(is_chinese);
            let paired = match c {
                '(' => chars[i..]
                    .iter()
                    .position(|&x| x == ')')
                    .is_some_and(|k| beside(chars.get(i + k + 1).copied()) || beside(before)),
                ')' => chars[..i]
                    .iter()
                    .rposition(|&x| x == '(')
                    .is_some_and(|k| beside(k.checked_sub(1).map(|j| chars[j])) || beside(after)),
                _ => false,
            };
            if beside(before) || beside(after) || paired {
                let from = i.saturating_sub(4);
                let to = (i + 5).min(chars.len());
                let context: String = chars[from..to].iter().collect();
                found.push((c, full, context));
            }
        }
        if found.is_empty() {
            continue;
        }
        let what: Vec<String> = found
            .iter()
            .take(3)
            .map(|(h, f, ctx)| format!("“{ctx}”中的“{h}”应为“{f}”"))
            .collect();
        let fixed: String = p
            .text
            .chars()
            .map(|c| {
                HALFWIDTH
                    .iter()
                    .find(|(h, _)| *h == c)
                    .map_or(c, |(_, f)| *f)
            })
            .collect();
        out.push(
            Diagnostic::new(
                Rule::HalfwidthPunctuation,
                p.loc.clone(),
                format!(
                    "中文里夹用了半角标点：{}{}",
                    what.join("；"),
                    if found.len() > 3 {
                        format!("等{}处", found.len())
                    } else {
                        String::new()
                    }
                ),
            )
            .value(p.text.clone())
            .hint(format!("请改为全角标点：{}", excerpt(&fixed, 60))),
        );
    }
}

/// Warns about every character of a printed cell that its face lacks, once per cell, character
/// and face.
pub(crate) fn coverage(printed: &[Printed], fonts: &FontSet) -> Vec<Diagnostic> {
    // A face's coverage is a list of ranges searched from the start; a batch prints the same few
    // thousand characters over and over, so each character is looked up once per face.
    let mut known: std::collections::HashMap<(Role, char), Option<bool>> =
        std::collections::HashMap::new();
    let mut out = Vec::new();
    for p in printed {
        if p.text.is_ascii() {
            continue;
        }
        for &role in p.faces {
            let mut missing: Vec<(char, bool)> = Vec::new();
            for ch in p.text.chars() {
                let lack = *known
                    .entry((role, ch))
                    .or_insert_with(|| fonts.uncovered(role, ch));
                if let Some(fallback) = lack
                    && !missing.iter().any(|(c, _)| *c == ch)
                {
                    missing.push((ch, fallback));
                }
            }
            for (ch, fallback) in missing {
                out.push(uncovered_char(
                    ch,
                    fallback,
                    role,
                    &fonts.choice(role).family,
                    p,
                ));
            }
        }
    }
    out
}

fn uncovered_char(ch: char, fallback: bool, role: Role, face: &str, p: &Printed) -> Diagnostic {
    if fallback {
        Diagnostic::new(
            Rule::GlyphMissing,
            p.loc.clone(),
            format!(
                "字符“{ch}”不在「{}」字体 {face} 中，将改用 {FALLBACK_FAMILY} 印出，字形与周围文字不同",
                role.name(),
            ),
        )
        .value(ch.to_string())
        .hint(format!(
            "如需字形一致，请把含有“{ch}”的正式{}字体放进 fonts/ 文件夹",
            role.name()
        ))
    } else {
        Diagnostic::new(
            Rule::GlyphMissing,
            p.loc.clone(),
            format!(
                "字符“{ch}”（U+{:04X}）没有任何字体能够印出，将显示为空框",
                ch as u32
            ),
        )
        .value(ch.to_string())
        .hint("请改用常用字，或把含有该字的字体放进 fonts/ 文件夹")
    }
}

#[cfg(test)]
mod tests {
    use super::lists::*;
    use super::*;

    fn entries(list: &[(&str, &str)]) -> Vec<Entry> {
        list.iter()
            .enumerate()
            .map(|(r, (serial, text))| Entry {
                text: text.to_string(),
                text_loc: Loc::cell("a.xlsx", "附件1", r as u32 + 2, 1),
                serial: (!serial.is_empty()).then(|| {
                    (
                        serial.to_string(),
                        Loc::cell("a.xlsx", "附件1", r as u32 + 2, 0),
                    )
                }),
            })
            .collect()
    }

    fn run(list: &[(&str, &str)]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let l = List {
            name: "附件1".into(),
            label: None,
            serial: true,
            duplicates: true,
            short: true,
        };
        check_list(&l, &entries(list), &mut out);
        out
    }

    #[test]
    fn one_warning_per_gap_and_per_repeat() {
        let d = run(&[
            ("1", "第一项具体工作任务"),
            ("2", "第二项具体工作任务内容"),
            ("4", "第四项具体的工作任务安排"),
            ("5", "第五项具体的工作任务部署"),
            ("5", "另一项完全不同的安排事项"),
            ("6", "第六项具体的工作任务要求"),
        ]);
        let rules: Vec<Rule> = d.iter().map(|x| x.rule).collect();
        assert_eq!(rules, [Rule::SerialGap, Rule::SerialRepeat], "{d:#?}");
        assert!(d[0].message.contains("从2跳到4，缺少3"), "{}", d[0].message);
    }

    #[test]
    fn near_duplicates_are_found_and_distinct_items_on_one_subject_are_not() {
        let d = run(&[
            (
                "1",
                "建立完善安全风险监测预警机制，到2022年6月底前所有尾矿库建立完善在线安全监测系统，全面实现省市县企在线风险监测四级联网。",
            ),
            (
                "2",
                "推动企业持续开展“机械化换人、自动化减人”工作，在地下矿山推广使用撬毛台车等先进技术和装备。",
            ),
            (
                "3",
                "在露天矿山推广使用高陡边坡安全监测、非电引爆系统等技术和装备。",
            ),
            (
                "4",
                "建立完善安全风险监测预警机制，到2022年6月底前所有尾矿库建立完善在线安全监测系统，全面实现省市区县企在线风险监测四级联网。",
            ),
            (
                "5",
                "会同有关部门制定标准，组织对入井人数超过30人的地下矿山逐一进行专家会诊，提出会诊意见，明确整改措施。",
            ),
            (
                "6",
                "组织对入井人数超过30人的地下矿山逐一进行专家会诊，提出会诊意见，明确整改措施。",
            ),
            ("7", "清源矿业有限公司未按规定开展安全风险辨识评估"),
            ("8", "青山石料厂未按规定开展安全风险辨识评估"),
            ("9", "南湖铜矿第1号采场顶板管理不到位，浮石未及时处理"),
            ("10", "南湖铜矿第2号采场顶板管理不到位，浮石未及时处理"),
        ]);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d.iter().all(|x| x.rule == Rule::NearDuplicate));
        assert!(d[0].message.contains("第3行（序号1）"), "{}", d[0].message);
        assert!(d[1].message.contains("第7行（序号5）"), "{}", d[1].message);
    }

    #[test]
    fn short_items_are_counted_in_hanzi() {
        let d = run(&[("", "举报奖励"), ("", "完善隐蔽致灾因素普查报告")]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule, Rule::ItemTooShort);
        assert!(d[0].message.contains("只有4个汉字"));
    }

    #[test]
    fn document_numbers_follow_the_standard() {
        assert!(check_doc_number("晋应急函〔2022〕136号").is_empty());
        assert_eq!(
            check_doc_number("晋应急函[2022]136号"),
            ["年份用了方括号[]，应为六角括号〔〕"]
        );
        assert!(check_doc_number("晋应急函【2022】136号")[0].contains("方头括号"));
        assert!(check_doc_number("晋应急函(2022)136号")[0].contains("圆括号"));
        assert_eq!(
            check_doc_number("晋应急函〔2022〕第136号"),
            ["序号前加了“第”"]
        );
        assert!(check_doc_number("晋应急函〔2022〕036号")[0].contains("虚位"));
        assert!(check_doc_number("晋应急函〔22〕36号")[0].contains("四位"));
        // Every fault at once, not only the first.
        assert_eq!(
            check_doc_number("某应急函[2024]08号"),
            [
                "年份用了方括号[]，应为六角括号〔〕",
                "序号“08”编了虚位（前面的0）"
            ]
        );
        assert_eq!(
            check_doc_number("某应急函[2024]第08号"),
            [
                "年份用了方括号[]，应为六角括号〔〕",
                "序号前加了“第”",
                "序号“08”编了虚位（前面的0）"
            ]
        );
        assert_eq!(
            check_doc_number("某应急函2024年8号"),
            ["年份没有用六角括号〔〕括起"]
        );
    }

    #[test]
    fn halfwidth_punctuation_inside_chinese_is_found() {
        let p = |t: &str| Printed {
            loc: Loc::cell("a.xlsx", "正文", 1, 2),
            text: t.into(),
            faces: &[Role::FangSong],
        };
        let mut out = Vec::new();
        halfwidth(
            &[
                p("加强巡查,发现问题及时上报(见附件)"),
                p("联系电话: 0351-1234567"),
                p("sxaqjgyc@126.com, 10:30"),
                p("完成时限：2024年9月30日"),
            ],
            &mut out,
        );
        assert_eq!(out.len(), 2, "{out:#?}");
        assert!(out[0].message.contains("“,”应为“，”"), "{}", out[0].message);
        assert!(out[1].message.contains("“:”应为“：”"), "{}", out[1].message);
        assert!(
            out[0]
                .hint
                .as_ref()
                .unwrap()
                .contains("加强巡查，发现问题及时上报（见附件）")
        );
    }

    #[test]
    fn counts_in_words_parse() {
        assert_eq!(number("9"), Some(9));
        assert_eq!(number("七"), Some(7));
        assert_eq!(number("十二"), Some(12));
        assert_eq!(number("两"), Some(2));
        let caps = count_pattern()
            .captures("期间发现问题9条，已整改6条，剩余两条")
            .is_some();
        assert!(caps);
    }
}
