//! Page numbers (§7.5) and the 版记 or a 简报's 报尾 (§7.4, §10.1).

use super::*;

pub(super) fn page_numbers(
    c: &mut Checker,
    pages: &[PageMeasure],
    format: Format,
    expect: &Expect,
) {
    let numbers: Vec<(usize, &TextRun)> = pages
        .iter()
        .filter_map(|p| {
            p.texts
                .iter()
                .find(|t| is_page_number(t))
                .map(|t| (p.number, t))
        })
        .collect();
    let wrong: Vec<String> = numbers
        .iter()
        .flat_map(|&(page, t)| number_faults(page, t, expect))
        .collect();
    c.push(
        "7.5 页码（4号半角宋体 — N —，版心下 7 mm，单页右空一字、双页左空一字）",
        format!(
            "一字线上边缘 {:.2} mm；单页右边 {:.2} mm；双页左边 {:.2} mm",
            TOP + AREA.1 + 7.0,
            LEFT + AREA.0 - 14.0 * PT,
            LEFT + 14.0 * PT
        ),
        if wrong.is_empty() {
            format!("{} 个页码全部符合", numbers.len())
        } else {
            wrong.join("；")
        },
        wrong.is_empty(),
    );
    if format == Format::Letter {
        let first_numbered = numbers.first().is_some_and(|(p, _)| *p == 1);
        c.push(
            "10.1 信函首页不显示页码",
            "第1页无页码",
            if first_numbered {
                "第1页有页码"
            } else {
                "第1页无页码"
            },
            !first_numbered,
        );
    }
    unnumbered(c, pages, &numbers, format);
}

/// What is wrong with the number `t` printed on page `page` (§7.5): its digits, 4号 宋体, the
/// space between dash and digits, and — on a portrait page — the dash's height and the number's
/// side.
fn number_faults(page: usize, t: &TextRun, expect: &Expect) -> Vec<String> {
    let mut wrong = Vec::new();
    let digits: String = t.text.chars().filter(char::is_ascii_digit).collect();
    if digits != page.to_string() {
        wrong.push(format!("第{page}页印为“{}”", t.text));
    }
    if (t.size_pt - 14.0).abs() > 0.1 || !role_ok(&t.family, &expect.faces.song, &expect.faces) {
        wrong.push(format!("第{page}页页码为 {:.1} pt {}", t.size_pt, t.family));
    }
    if !t.text.contains("— ") && !t.text.contains("—\u{a0}") {
        wrong.push(format!("第{page}页页码“{}”一字线与数字之间无空", t.text));
    }
    // A landscape page is measured turned onto its portrait sheet, where its number stands as
    // on every other page (§7.5): its place is checked there too.
    let dash = t.glyphs.iter().find(|g| g.ch == '—').map(|g| g.ink_top);
    if let Some(top) = dash
        && (top - (TOP + AREA.1 + 7.0)).abs() > TOL
    {
        wrong.push(format!("第{page}页一字线上边缘 {top:.2} mm"));
    }
    let (want, got, side) = if page % 2 == 1 {
        (LEFT + AREA.0 - 14.0 * PT, t.right(), "右边")
    } else {
        (LEFT + 14.0 * PT, t.x, "左边")
    };
    if (want - got).abs() > 0.3 {
        wrong.push(format!(
            "第{page}页页码{side} {got:.2} mm，应为 {want:.2} mm"
        ));
    }
    wrong
}

/// 7.5: the pages without a number (a 信函's first page aside) may only be blank or hold the
/// 版记.
fn unnumbered(
    c: &mut Checker,
    pages: &[PageMeasure],
    numbers: &[(usize, &TextRun)],
    format: Format,
) {
    let unnumbered = pages
        .iter()
        .map(|p| p.number)
        .filter(|n| !numbers.iter().any(|(p, _)| p == n))
        .filter(|n| !(format == Format::Letter && *n == 1));
    for n in unnumbered {
        let page = &pages[n - 1];
        let body = !body_lines(page).is_empty();
        let end_matter = page.rules.iter().any(|r| {
            r.is_horizontal()
                && (r.length() - AREA.0).abs() < 0.5
                && r.paint.as_ref().is_some_and(is_black)
        });
        c.push(
            "7.5 空白页和版记页不编页码",
            "无页码的页只能是空白页或版记页",
            format!(
                "第{n}页：{}",
                if end_matter {
                    "版记页"
                } else if !body {
                    "空白页"
                } else {
                    "有正文却无页码"
                }
            ),
            !body || end_matter,
        );
    }
}

/// How far down the type area something is printed on `page`: its lowest text (page numbers
/// aside), rule (a table's borders) or image; the top of the type area when nothing is.
fn lowest_content(page: &PageMeasure) -> f64 {
    let foot = TOP + AREA.1 + 1.0;
    let texts = page
        .texts
        .iter()
        .filter(|t| !t.text.trim().is_empty() && !is_page_number(t))
        .map(em_bottom);
    let rules = page.rules.iter().map(|r| r.y.max(r.y2));
    let images = page.images.iter().map(|i| i[1] + i[3]);
    texts
        .chain(rules)
        .chain(images)
        .filter(|y| *y <= foot)
        .fold(TOP, f64::max)
}

pub(super) fn end_matter(c: &mut Checker, pages: &[PageMeasure], format: Format) {
    let Some(last) = pages.last() else { return };
    let black = end_rules(last);
    if format == Format::Letter {
        letter_end(c, pages, last, &black);
        return;
    }
    let bulletin = format == Format::Bulletin;
    let (Some(first), Some(end)) = (black.first(), black.last()) else {
        if bulletin {
            c.push("简报 报尾", "最后一页有报尾分隔线", "没有找到", false);
        }
        return;
    };
    if !bulletin {
        c.push(
            "7.4.1 版记在偶数页（最后一面）",
            "最后一页为偶数页",
            format!("最后一页为第{}页", last.number),
            last.number % 2 == 0,
        );
    }
    c.near(
        if bulletin {
            "简报 报尾末条分隔线与版心下边缘重合"
        } else {
            "7.4.1 版记末条分隔线与版心下边缘重合"
        },
        "末条分隔线下边缘",
        TOP + AREA.1,
        end.y + end.thickness / 2.0,
        TOL,
    );
    end_rule_widths(c, &black, bulletin);
    let runs: Vec<&TextRun> = last
        .texts
        .iter()
        .filter(|t| t.baseline > first.y && t.baseline < end.y)
        .collect();
    end_lines(c, &runs, bulletin);
    let lines: Vec<_> = last
        .lines()
        .into_iter()
        .filter(|l| l[0].baseline > first.y && l[0].baseline < end.y)
        .collect();
    wrapped_rows(c, &lines, bulletin);
}

/// The 版记's rules on the last page: black, horizontal, as wide as the 版心 and 0.25 mm or
/// thicker (a table's thin rules are not 版记 rules).
fn end_rules(last: &PageMeasure) -> Vec<&Rule> {
    last.rules
        .iter()
        .filter(|r| {
            r.is_horizontal()
                && r.paint.as_ref().is_some_and(is_black)
                && r.length() > AREA.0 - 1.0
                && r.thickness > 0.2
        })
        .collect()
}

/// A 信函's 版记 (§10.1): no rules; at the foot of the last page, alone there only when the page
/// before had no room for it.
fn letter_end(c: &mut Checker, pages: &[PageMeasure], last: &PageMeasure, black: &[&Rule]) {
    c.push(
        "10.1 信函版记不加印发行和分隔线",
        "版记无分隔线",
        format!("{} 条", black.len()),
        black.is_empty(),
    );
    // The 版记 is the 14 pt lines from the 抄送 line down; alone means nothing above them.
    let lines: Vec<_> = last
        .lines()
        .into_iter()
        .filter(|l| !l.iter().all(|t| is_page_number(t)))
        .collect();
    let start = lines.iter().position(|l| {
        (l[0].size_pt - 14.0).abs() < 0.1
            && l[0]
                .text
                .starts_with(crate::contract::key(crate::contract::KeyId::CopyTo))
    });
    let end_lines: Vec<_> = start.map(|i| lines[i..].to_vec()).unwrap_or_default();
    // A turned (landscape) page before it leaves no room for a portrait 版记 at all.
    if start == Some(0)
        && !end_lines.is_empty()
        && let Some(before) = pages.len().checked_sub(2).map(|i| &pages[i])
        && !before.turned
    {
        let free = TOP + AREA.1 - lowest_content(before);
        let need = end_lines.len() as f64 * pitch();
        c.push(
            "10.1 信函版记在最后一页版心最下方（不单独成页）",
            format!("上一页余下不足 {need:.1} mm 时才另起一页"),
            format!("上一页余下 {free:.1} mm，版记需 {need:.1} mm"),
            free < need,
        );
    }
}

/// The 版记's (or 报尾's) rules (§7.4.1): the first and last 0.35 mm, those between 0.25 mm, all
/// as wide as the 版心.
fn end_rule_widths(c: &mut Checker, black: &[&Rule], bulletin: bool) {
    let (first, end) = (
        black.first().expect("non-empty"),
        black.last().expect("non-empty"),
    );
    let thick_ok = (first.thickness - 0.35).abs() < 0.03 && (end.thickness - 0.35).abs() < 0.03;
    let middle_ok = black[1..black.len() - 1]
        .iter()
        .all(|r| (r.thickness - 0.25).abs() < 0.03);
    c.push(
        if bulletin {
            "简报 报尾分隔线（首末 0.35 mm，中间 0.25 mm，与版心等宽）"
        } else {
            "7.4.1 版记分隔线（首末 0.35 mm，中间 0.25 mm，与版心等宽）"
        },
        "0.35 / 0.25 / 0.35 mm，长 156 mm",
        black
            .iter()
            .map(|r| format!("{:.2} mm×{:.1}", r.thickness, r.length()))
            .collect::<Vec<_>>()
            .join("，"),
        thick_ok
            && middle_ok
            && black
                .iter()
                .all(|r| (r.length() - AREA.0).abs() < TOL && (r.x1 - LEFT).abs() < TOL),
    );
}

/// The 版记's (or 报尾's) lines, the `runs` between its first and last rules (§7.4.2, §7.4.3):
/// 4号, the 抄送 (or 报) 左空一字, the 印发日期 右空一字.
fn end_lines(c: &mut Checker, runs: &[&TextRun], bulletin: bool) {
    let size_ok = !runs.is_empty() && runs.iter().all(|t| (t.size_pt - 14.0).abs() < 0.1);
    c.push(
        if bulletin {
            "简报 报尾用4号字"
        } else {
            "7.4.2 版记用4号字"
        },
        "14 pt",
        runs.iter()
            .map(|t| format!("{:.0}", t.size_pt))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join("、")
            + " pt",
        size_ok,
    );
    let label = crate::contract::key(if bulletin {
        crate::contract::KeyId::ReportTo
    } else {
        crate::contract::KeyId::CopyTo
    });
    if let Some(cc) = runs.iter().find(|t| t.text.starts_with(label)) {
        c.near(
            if bulletin {
                "简报 报送左空一字"
            } else {
                "7.4.2 抄送左空一字"
            },
            &format!("“{label}：”左边"),
            LEFT + 14.0 * PT,
            cc.x,
            0.3,
        );
    }
    // The line that says 印发 (a producer may split it into runs anywhere, even inside 印发):
    // its rightmost run ends the date.
    let issued = runs.iter().find_map(|r| {
        let same: Vec<_> = runs
            .iter()
            .filter(|t| (t.baseline - r.baseline).abs() < 0.5)
            .collect();
        let text: String = same.iter().map(|t| t.text.as_str()).collect();
        text.contains("印发").then_some(same)
    });
    if let Some(line) = issued {
        let date_run = line
            .into_iter()
            .max_by(|a, b| a.right().total_cmp(&b.right()));
        if let Some(d) = date_run {
            c.near(
                "7.4.3 印发日期右空一字",
                "印发日期右边",
                LEFT + AREA.0 - 14.0 * PT,
                d.right(),
                0.3,
            );
        }
    }
}

/// A labelled row's wrapped lines (§7.4.2 抄送; a 简报's 报 and 送 alike) begin under the first
/// character after the colon: the label's characters, 4号 each, from the label line's start.
fn wrapped_rows(c: &mut Checker, lines: &[Vec<&TextRun>], bulletin: bool) {
    let mut wrong = Vec::new();
    let mut measured = 0;
    // Where the text after the current row's colon begins.
    let mut after_colon = None;
    for line in lines {
        let text: String = line.iter().map(|t| t.text.as_str()).collect();
        // A row's first line begins with its label: 抄送, 报 or 送, then the colon.
        let label = text.find('：').map(|i| text[..i].chars().count());
        if text.contains("印发") {
            after_colon = None;
        } else if let Some(n) = label.filter(|&n| n <= 2) {
            after_colon = Some(line[0].x + (n + 1) as f64 * 14.0 * PT);
        } else if let Some(want) = after_colon {
            measured += 1;
            if (line[0].x - want).abs() > 0.3 {
                wrong.push(format!(
                    "“{}”左边 {:.2} mm，应为 {want:.2} mm",
                    text.chars().take(6).collect::<String>(),
                    line[0].x
                ));
            }
        }
    }
    if measured > 0 {
        c.push(
            if bulletin {
                "简报 报尾回行与冒号后首字对齐"
            } else {
                "7.4.2 抄送回行时与冒号后的首字对齐"
            },
            "回行左边与冒号后首字左边相距不超过 0.3 mm",
            if wrong.is_empty() {
                format!("{measured} 个回行全部对齐")
            } else {
                wrong.join("；")
            },
            wrong.is_empty(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, baseline: f64, size_pt: f64) -> TextRun {
        super::super::synthetic::run(text, LEFT, baseline, size_pt)
    }

    fn page(number: usize, texts: Vec<TextRun>, rules: Vec<Rule>) -> PageMeasure {
        super::super::synthetic::page(number, PAPER, texts, rules)
    }

    fn table_rule(y: f64) -> Rule {
        Rule {
            x1: LEFT,
            y,
            x2: LEFT + AREA.0,
            y2: y,
            thickness: 0.1,
            paint: None,
        }
    }

    /// The last page: a 信函's 版记 (one 抄送 line) alone at the foot of the type area.
    fn end_alone() -> PageMeasure {
        let foot = TOP + AREA.1;
        page(
            2,
            vec![
                run("抄送：某某市应急管理局。", foot - 3.0, 14.0),
                run("— 2 —", foot + 10.0, 14.0),
            ],
            Vec::new(),
        )
    }

    fn alone_verdict(before: PageMeasure) -> Finding {
        let mut c = Checker {
            findings: Vec::new(),
        };
        end_matter(&mut c, &[before, end_alone()], Format::Letter);
        c.findings
            .into_iter()
            .find(|f| f.clause.contains("不单独成页"))
            .expect("the clause is measured")
    }

    #[test]
    fn a_letters_end_matter_alone_passes_when_a_table_filled_the_page_before() {
        // An appendix table ending 7.6 mm above the foot: no room for the 版记 (one line).
        let before = page(
            1,
            vec![run("尾矿库名称", TOP + AREA.1 - 12.0, 12.0)],
            vec![table_rule(TOP + 20.0), table_rule(TOP + AREA.1 - 7.6)],
        );
        let f = alone_verdict(before);
        assert_eq!(f.verdict, Verdict::Pass, "{f:?}");
        assert!(f.measured.starts_with("上一页余下 7.6 mm"), "{f:?}");
    }

    #[test]
    fn a_letters_end_matter_alone_fails_when_the_page_before_had_room() {
        let before = page(
            1,
            vec![run("正文最后一行。", TOP + 100.0, BODY_PT)],
            Vec::new(),
        );
        let f = alone_verdict(before);
        assert_eq!(f.verdict, Verdict::Fail, "{f:?}");
    }
}
