//! The page and its grid: paper size, 版心, 22 lines of 28 characters (GB/T 9704 §5).

use super::*;
use crate::fonts::is_han;

pub(super) fn paper(c: &mut Checker, pages: &[PageMeasure]) {
    let wrong: Vec<String> = pages
        .iter()
        .filter(|p| {
            let portrait = (p.width - PAPER.0).abs() < 0.5 && (p.height - PAPER.1).abs() < 0.5;
            let landscape = (p.width - PAPER.1).abs() < 0.5 && (p.height - PAPER.0).abs() < 0.5;
            !(portrait || landscape)
        })
        .map(|p| format!("第{}页 {:.1}×{:.1}", p.number, p.width, p.height))
        .collect();
    c.push(
        "5.1 幅面",
        "A4 210 × 297 mm",
        if wrong.is_empty() {
            format!("{} 页均为 A4", pages.len())
        } else {
            wrong.join("；")
        },
        wrong.is_empty(),
    );
}

/// A page set upright on a portrait sheet (not a landscape page turned onto one).
pub(super) fn portrait(p: &PageMeasure) -> bool {
    p.height > p.width && !p.turned
}

pub(super) fn area(c: &mut Checker, pages: &[PageMeasure]) {
    let (mut left, mut right, mut bottom) = (f64::MAX, f64::MIN, f64::MIN);
    let mut top = f64::MAX;
    for p in pages.iter().filter(|p| portrait(p)) {
        for t in p
            .texts
            .iter()
            .filter(|t| !is_page_number(t) && !is_red(t) && !t.text.trim().is_empty())
        {
            left = left.min(t.x);
            // Ink, not advance: a compressed line-end comma's box reaches past the edge while
            // its ink stays inside.
            right = right.max(t.ink_right);
            top = top.min(em_top(t));
            bottom = bottom.max(em_bottom(t));
        }
        for r in p.rules.iter().filter(|r| r.length() < 160.0) {
            left = left.min(r.x1);
            right = right.max(r.x2);
        }
    }
    c.push(
        "5.2.1 天头（版心上边）",
        format!("文字不高于版心上边 {TOP:.2} mm"),
        format!("最高处 {top:.2} mm"),
        top >= TOP - TOL,
    );
    c.push(
        "5.2.1 订口（版心左边）",
        format!("文字不超出版心左边 {LEFT:.2} mm"),
        format!("最左处 {left:.2} mm"),
        left >= LEFT - TOL,
    );
    c.push(
        "5.2.1 版心右边",
        format!("文字（墨迹）不超出版心右边 {:.2} mm", LEFT + AREA.0),
        format!("最右处 {right:.2} mm"),
        right <= LEFT + AREA.0 + TOL,
    );
    c.push(
        "5.2.1 版心下边",
        format!("文字最低处不低于 {:.2} mm", TOP + AREA.1),
        format!("{bottom:.2} mm"),
        bottom <= TOP + AREA.1 + TOL,
    );
}

/// Body lines of a page: 16 pt lines, without the page number.
pub(super) fn body_lines(p: &PageMeasure) -> Vec<Vec<&TextRun>> {
    p.lines()
        .into_iter()
        .filter(|l| {
            l.iter()
                .all(|t| (t.size_pt - BODY_PT).abs() < 0.1 && !is_page_number(t))
        })
        .collect()
}

pub(super) fn grid(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    line_slots(c, pages);
    continuation_top(c, pages);
    full_pages(c, pages, expect);
    chars_per_line(c, pages, expect);
    indent(c, pages, expect);
}

/// The baseline of the grid's first line.
fn first_baseline() -> f64 {
    TOP + EM_TOP * BODY_PT * PT
}

/// Which of the 22 lines (from 0) a baseline stands on, unrounded.
fn slot(baseline: f64) -> f64 {
    (baseline - first_baseline()) / pitch()
}

/// The lines of a portrait page on the grid: its body lines, on page 1 only those under the
/// 版头 (from the 主送机关 or the title down).
fn grid_lines(p: &PageMeasure) -> Vec<Vec<&TextRun>> {
    let mut lines = body_lines(p);
    if p.number == 1 {
        let start = p
            .texts
            .iter()
            .filter(|t| (t.size_pt - 22.0).abs() < 0.1)
            .map(|t| t.baseline)
            .fold(f64::NAN, f64::max);
        lines.retain(|l| start.is_finite() && l[0].baseline > start);
    }
    lines
}

/// 5.2.3 行距: every body line stands on one of the 22 lines.
fn line_slots(c: &mut Checker, pages: &[PageMeasure]) {
    let mut off_grid = Vec::new();
    for p in pages.iter().filter(|p| portrait(p)) {
        for line in &grid_lines(p) {
            let slot = slot(line[0].baseline);
            if (slot - slot.round()).abs() * pitch() > 0.2
                || slot.round() < 0.0
                || slot.round() > 21.0
            {
                off_grid.push(format!("第{}页 基线 {:.2} mm", p.number, line[0].baseline));
            }
        }
    }
    c.push(
        "5.2.3 行距（每面22行撑满版心）",
        format!(
            "正文行位于 {:.2} mm 起、行距 {:.3} mm 的 22 个行位上",
            first_baseline(),
            pitch()
        ),
        if off_grid.is_empty() {
            "全部正文行都在行位上".to_string()
        } else {
            off_grid.join("；")
        },
        off_grid.is_empty(),
    );
}

/// 5.2.1 天头 on the pages after the first: the highest first line's top at the 版心's top.
fn continuation_top(c: &mut Checker, pages: &[PageMeasure]) {
    let tops: Vec<f64> = pages
        .iter()
        .skip(1)
        .filter(|p| portrait(p))
        .filter_map(|p| body_lines(p).first().map(|l| em_top(l[0])))
        .collect();
    if let Some(highest) = tops.iter().copied().reduce(f64::min) {
        c.near(
            "5.2.1 天头 37 mm（续页首行顶端）",
            "续页首行上边缘",
            TOP,
            highest,
            0.2,
        );
    }
}

/// 5.2.3 每面22行: a page whose text runs on to the next page (the next page starts with an
/// unindented continuation line) must be full: 22 lines. The one exception is a page shortened
/// so that the paragraph's last lines go over with the 落款 (§7.3.5.5).
fn full_pages(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    let mut short = Vec::new();
    let mut for_signature = Vec::new();
    for pair in pages
        .windows(2)
        .filter(|w| portrait(&w[0]) && portrait(&w[1]))
    {
        let (this, next) = (body_lines(&pair[0]), body_lines(&pair[1]));
        let continues = next
            .first()
            .is_some_and(|l| (l[0].x - LEFT).abs() < 0.1 && !is_heading(l));
        if !continues || pair[0].number == 1 {
            continue;
        }
        // Full: the last line stands on the last of the 22 slots (titles and blank lines above it
        // are slots of the grid too).
        let last_slot = this
            .last()
            .map_or(-1, |l| slot(l[0].baseline).round() as i64);
        let slots = last_slot + 1;
        if slots == GRID.0 as i64 {
            continue;
        }
        let signature_follows = expect
            .signature
            .as_deref()
            .is_some_and(|sig| next.iter().take(3).any(|l| l.iter().any(|t| t.text == sig)));
        if signature_follows {
            for_signature.push(pair[0].number);
        } else {
            short.push(format!("第{}页 {slots} 行", pair[0].number));
        }
    }
    let full = filled_pages(pages);
    let mut measured = if full.is_empty() {
        "没有排满的页面".to_string()
    } else {
        format!("第{}页为 22 行", join(&full))
    };
    if !for_signature.is_empty() {
        measured += &format!("；第{}页为使落款不单独成页而提前转页", join(&for_signature));
    }
    if !short.is_empty() {
        measured += &format!("；未排满就转页：{}", short.join("、"));
    }
    c.push(
        "5.2.3 每面22行",
        "文字转入下一页的页面排满 22 行",
        measured,
        short.is_empty(),
    );
}

/// The portrait pages whose grid lines reach the 22nd line.
fn filled_pages(pages: &[PageMeasure]) -> Vec<usize> {
    pages
        .iter()
        .filter(|p| portrait(p))
        .filter(|p| {
            grid_lines(p)
                .iter()
                .map(|l| slot(l[0].baseline).round() as i64)
                .max()
                == Some(GRID.0 as i64 - 1)
        })
        .map(|p| p.number)
        .collect()
}

/// 5.2.3 每行28字: the count on full lines made only of Han characters in 仿宋.
fn chars_per_line(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    let mut counts = Vec::new();
    for p in pages.iter().filter(|p| portrait(p)) {
        for line in body_lines(p) {
            let text: String = line.iter().map(|t| t.text.as_str()).collect();
            let (x0, x1) = (line[0].x, line.last().expect("a line has runs").right());
            // Within a millimetre at each end (LibreOffice sets a DOCX's line 0.3 mm in at the
            // left and 0.6 mm short at the right): a line a character short is 5.6 mm short
            // unless justified, and a justified line is counted by its characters anyway.
            let full_width = (x0 - LEFT).abs() < 1.0 && (x1 - LEFT - AREA.0).abs() < 1.0;
            let only_han = text.chars().all(is_han);
            if full_width
                && only_han
                && line
                    .iter()
                    .all(|t| role_ok(&t.family, &expect.faces.fangsong, &expect.faces))
            {
                counts.push(text.chars().count());
            }
        }
    }
    let pure: Vec<usize> = counts.iter().copied().filter(|n| *n != GRID.1).collect();
    if counts.is_empty() {
        c.unmeasured(
            "5.2.3 每行28字",
            "只含汉字的满行 28 字",
            "未测量：没有只含汉字的满行",
        );
    } else {
        c.push(
            "5.2.3 每行28字",
            "只含汉字的满行 28 字",
            format!("{} 个满行，其中 {} 行不是 28 字", counts.len(), pure.len()),
            pure.is_empty(),
        );
    }
}

/// 7.3.3 段首空二字: the deepest first-line indent of a 仿宋 paragraph, two characters.
fn indent(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    let indent = pages
        .iter()
        .flat_map(body_lines)
        .filter(|l| {
            l[0].family == expect.faces.fangsong
                && l[0].x > LEFT + 1.0
                && l[0].x < LEFT + 2.0 * char_pitch() + 1.0
        })
        .map(|l| l[0].x - LEFT)
        .fold(f64::NAN, f64::max);
    if indent.is_finite() {
        c.near(
            "7.3.3 段首空二字",
            "首行缩进",
            2.0 * char_pitch(),
            indent,
            0.3,
        );
    }
}

pub(super) fn join(pages: &[usize]) -> String {
    pages
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::synthetic::page;

    fn blank(number: usize, width: f64, height: f64) -> PageMeasure {
        page(number, (width, height), Vec::new(), Vec::new())
    }

    fn paper_of(pages: &[PageMeasure]) -> Finding {
        let mut c = Checker {
            findings: Vec::new(),
        };
        paper(&mut c, pages);
        c.findings.pop().expect("one finding")
    }

    fn run(text: &str, x: f64, baseline: f64) -> TextRun {
        super::super::synthetic::run(text, x, baseline, BODY_PT)
    }

    /// The 5.2.1 findings for a page holding `texts`, as (clause, failed).
    fn area_of(texts: Vec<TextRun>) -> Vec<(String, bool)> {
        let mut page = blank(1, PAPER.0, PAPER.1);
        page.texts = texts;
        let mut c = Checker {
            findings: Vec::new(),
        };
        area(&mut c, &[page]);
        c.findings
            .iter()
            .map(|f| (f.clause.to_string(), f.failed()))
            .collect()
    }

    fn failed(findings: &[(String, bool)]) -> Vec<&str> {
        findings
            .iter()
            .filter(|(_, failed)| *failed)
            .map(|(clause, _)| clause.as_str())
            .collect()
    }

    #[test]
    fn the_type_area_holds_text_inside_it_and_names_each_edge_text_crosses() {
        let line = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八";
        let first = TOP + EM_TOP * BODY_PT * PT;
        let inside = area_of(vec![
            run(line, LEFT, first),
            run("末行", LEFT, TOP + AREA.1 - 2.0),
        ]);
        assert_eq!(inside.len(), 4);
        assert!(failed(&inside).is_empty(), "{inside:?}");
        let left = area_of(vec![run("出界", LEFT - 3.0, first + 20.0)]);
        assert_eq!(failed(&left), ["5.2.1 订口（版心左边）"]);
        let right = area_of(vec![run(&format!("{line}多"), LEFT, first + 20.0)]);
        assert_eq!(failed(&right), ["5.2.1 版心右边"]);
        let low = area_of(vec![run("太低", LEFT, TOP + AREA.1 + 8.0)]);
        assert_eq!(failed(&low), ["5.2.1 版心下边"]);
        let high = area_of(vec![run("太高", LEFT, TOP - 2.0)]);
        assert_eq!(failed(&high), ["5.2.1 天头（版心上边）"]);
    }

    #[test]
    fn paper_passes_a4_either_way_up_and_fails_any_other_size_naming_the_page() {
        let a4 = paper_of(&[blank(1, PAPER.0, PAPER.1), blank(2, PAPER.1, PAPER.0)]);
        assert!(!a4.failed(), "{a4:?}");
        let letter = paper_of(&[blank(1, PAPER.0, PAPER.1), blank(2, 215.9, 279.4)]);
        assert!(letter.failed());
        assert!(letter.measured.contains("第2页 215.9×279.4"), "{letter:?}");
    }
}
