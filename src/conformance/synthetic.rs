//! Synthetic measured pages for the clauses' unit tests: runs and pages, and four whole
//! documents laid out exactly to the standard's numbers — a 上行文 and a 下行文 in the 文件格式,
//! a 信函 and a 简报 — each of which passes every clause that applies to it.
//!
//! No Typst: the runs are placed by hand on the 22 × 28 grid. A run's characters are all as wide
//! as the grid's (156/28 mm at 16 pt, scaled by the size), its ink from 0.8 em above the baseline
//! down to the baseline.

use typst::visualize::{Cmyk, Color, ProcessColor};

use super::*;
use crate::measure::GlyphBox;

/// A run of `text` at `x` on `baseline`, in `size_pt`, its characters as wide as the grid sets
/// 28 of them in the 156 mm line (scaled by the size).
pub(crate) fn run(text: &str, x: f64, baseline: f64, size_pt: f64) -> TextRun {
    let width = text.chars().count() as f64 * AREA.0 / 28.0 * size_pt / BODY_PT;
    TextRun {
        x,
        baseline,
        ink_top: baseline - size_pt * PT * 0.8,
        ink_bottom: baseline,
        width,
        ink_right: x + width,
        size_pt,
        family: FANG.to_string(),
        weight: 400,
        stroked: false,
        fill: None,
        text: text.to_string(),
        glyphs: Vec::new(),
    }
}

/// Page `number` of the given size, holding `texts` and `rules`.
pub(crate) fn page(
    number: usize,
    (width, height): (f64, f64),
    texts: Vec<TextRun>,
    rules: Vec<Rule>,
) -> PageMeasure {
    PageMeasure {
        number,
        width,
        height,
        texts,
        rules,
        images: Vec::new(),
        turned: false,
    }
}

/// The faces' families.
pub(crate) const FANG: &str = "FandolFang";
pub(crate) const HEI: &str = "FandolHei";
pub(crate) const KAI: &str = "FandolKai";
pub(crate) const SONG: &str = "FandolSong";

/// The Fandol stand-ins: 小标宋 is FandolSong Bold.
pub(crate) fn faces() -> Faces {
    Faces {
        xiaobiaosong: SONG.to_string(),
        fangsong: FANG.to_string(),
        hei: HEI.to_string(),
        kai: KAI.to_string(),
        song: SONG.to_string(),
        xiaobiaosong_bold: true,
        fallback: None,
    }
}

/// The red of §6.2: CMYK 0/80/80/0.
pub(crate) fn red() -> Color {
    Color::Process(ProcessColor::Cmyk(Cmyk {
        c: 0.0,
        m: 0.8,
        y: 0.8,
        k: 0.0,
    }))
}

/// The 发文机关署名 of the documents but the 下行文.
pub(crate) const ORGAN: &str = "某某省应急管理厅";
/// The 下行文's 署名: longer than its date by more than two characters.
pub(crate) const LONG_ORGAN: &str = "中共某某市委某某市人民政府督查室";
/// Every document's 成文日期.
pub(crate) const DATE: &str = "2025年6月30日";
/// The 发文字号 of the 上行文 and the 信函.
pub(crate) const NUMBER: &str = "某应急〔2025〕12号";
/// The 下行文's 发文字号.
pub(crate) const DOWN_NUMBER: &str = "某政〔2025〕8号";
/// The 上行文's 附注 as given (printed in parentheses).
pub(crate) const NOTE: &str = "此件公开发布";
/// The 简报's 编印单位.
pub(crate) const UNIT: &str = "某某省应急管理厅办公室";

/// The baseline of line `k` (0–21) of the 22-line grid.
pub(crate) fn slot(k: usize) -> f64 {
    TOP + EM_TOP * BODY_PT * PT + k as f64 * pitch()
}

/// `n` Han characters: no digits or punctuation, so never a heading.
pub(crate) fn han(n: usize) -> String {
    "安全生产责任落实整改工作推进情况报告如下各地区各部门要认真贯彻执行"
        .chars()
        .cycle()
        .take(n)
        .collect()
}

/// Moves a run by `dx`, `dy`.
pub(crate) fn shift(t: &mut TextRun, dx: f64, dy: f64) {
    t.x += dx;
    t.ink_right += dx;
    t.baseline += dy;
    t.ink_top += dy;
    t.ink_bottom += dy;
    for g in &mut t.glyphs {
        g.x += dx;
        g.ink_top += dy;
    }
}

/// A 3号 仿宋 run at `x` on line `k`.
pub(crate) fn at(text: &str, x: f64, k: usize) -> TextRun {
    run(text, x, slot(k), BODY_PT)
}

/// `t` in `family` at `weight`.
pub(crate) fn face(mut t: TextRun, family: &str, weight: u16) -> TextRun {
    t.family = family.to_string();
    t.weight = weight;
    t
}

fn hei(t: TextRun) -> TextRun {
    face(t, HEI, 400)
}

fn kai(t: TextRun) -> TextRun {
    face(t, KAI, 400)
}

/// `t` centred in the 版心.
fn centred(mut t: TextRun) -> TextRun {
    let dx = LEFT + AREA.0 / 2.0 - (t.x + t.right()) / 2.0;
    shift(&mut t, dx, 0.0);
    t
}

/// `t` ending at `right`.
fn ending(mut t: TextRun, right: f64) -> TextRun {
    let dx = right - t.right();
    shift(&mut t, dx, 0.0);
    t
}

/// A red 小标宋 标志 of `size_pt`, centred, its ink's top at `ink_top`.
fn mark(text: &str, size_pt: f64, ink_top: f64) -> TextRun {
    let mut t = centred(face(run(text, 0.0, 0.0, size_pt), SONG, 700));
    t.fill = Some(red());
    let dy = ink_top - t.ink_top;
    shift(&mut t, 0.0, dy);
    t
}

/// A 2号 小标宋 title, each line centred, the first line's em box from `em_top`, the lines a
/// grid pitch apart.
fn title(lines: &[&str], em_top: f64) -> Vec<TextRun> {
    let baseline = em_top + EM_TOP * 22.0 * PT;
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let t = run(l, 0.0, baseline + i as f64 * pitch(), 22.0);
            centred(face(t, SONG, 700))
        })
        .collect()
}

/// A paragraph's first line on line `k`: indented two characters, to the right edge.
fn opening(k: usize) -> TextRun {
    at(&han(26), LEFT + 2.0 * char_pitch(), k)
}

/// A full line on line `k`: 28 Han characters from edge to edge.
fn full(k: usize) -> TextRun {
    at(&han(28), LEFT, k)
}

/// A paragraph's last line on line `k`.
fn closing(k: usize) -> TextRun {
    at(&format!("{}。", han(9)), LEFT, k)
}

/// Full lines on lines `from..=to`.
fn fulls(from: usize, to: usize) -> Vec<TextRun> {
    (from..=to).map(full).collect()
}

/// The page number of page `n`, “— n —” in 4号 宋体: the dash's ink 7 mm below the 版心, odd
/// pages 右空一字, even pages 左空一字.
fn folio(n: usize) -> TextRun {
    let mut t = face(
        run(&format!("— {n} —"), 0.0, TOP + AREA.1 + 9.0, 14.0),
        SONG,
        400,
    );
    t.glyphs = vec![GlyphBox {
        ch: '—',
        x: 0.0,
        ink_top: TOP + AREA.1 + 7.0,
    }];
    if n % 2 == 1 {
        ending(t, LEFT + AREA.0 - 14.0 * PT)
    } else {
        shift(&mut t, LEFT + 14.0 * PT, 0.0);
        t
    }
}

/// A rule from `x1`, `length` long, centred on `y`.
pub(crate) fn rule(x1: f64, y: f64, length: f64, thickness: f64, paint: Color) -> Rule {
    Rule {
        x1,
        y,
        x2: x1 + length,
        y2: y,
        thickness,
        paint: Some(paint),
    }
}

/// A black 版记 rule as wide as the 版心.
fn black(y: f64, thickness: f64) -> Rule {
    rule(LEFT, y, AREA.0, thickness, Color::BLACK)
}

/// A 4号 run at `x` on `baseline`.
fn small(text: &str, x: f64, baseline: f64) -> TextRun {
    run(text, x, baseline, 14.0)
}

/// The 版记 (or a 简报's 报尾) at the foot of the 版心: rules of 0.35, 0.25 and 0.35 mm, the
/// last one's lower edge on the 版心's, and 4号 lines between them, 左空一字; the first row
/// wrapped onto a second line under the first character after its colon, when `wrapped`.
fn imprint(
    first: &str,
    wrapped: Option<&str>,
    second: &str,
    date: Option<&str>,
) -> (Vec<TextRun>, Vec<Rule>) {
    let one = LEFT + 14.0 * PT;
    let mut texts = vec![small(second, one, 259.0)];
    let mut top = 245.5;
    if let Some(w) = wrapped {
        let label = first.split('：').next().unwrap_or("").chars().count() + 1;
        texts.push(small(w, one + label as f64 * 14.0 * PT, 251.0));
        top -= 8.0;
    }
    texts.push(small(first, one, top + 5.5));
    if let Some(d) = date {
        texts.push(ending(small(d, 0.0, 259.0), LEFT + AREA.0 - 14.0 * PT));
    }
    let rules = vec![
        black(top, 0.35),
        black(253.5, 0.25),
        black(TOP + AREA.1 - 0.175, 0.35),
    ];
    (texts, rules)
}

/// A portrait A4 page.
fn sheet(number: usize, texts: Vec<TextRun>, rules: Vec<Rule>) -> PageMeasure {
    page(number, PAPER, texts, rules)
}

/// A landscape page of 附件2's table, turned onto the portrait sheet: the table's head (黑体) at
/// the sheet's left, its body to the right, all in 小四 (12 pt).
fn table_page(number: usize, label: bool) -> PageMeasure {
    let mut texts = Vec::new();
    if label {
        texts.push(hei(at("附件2", 20.0, 0)));
    }
    for (i, (head, cell)) in [("编号", "1"), ("名称", "某某尾矿库"), ("地址", "某某县")]
        .into_iter()
        .enumerate()
    {
        let y = 60.0 + 20.0 * i as f64;
        texts.push(face(run(head, 30.0, y, 12.0), HEI, 400));
        texts.push(run(cell, 60.0, y, 12.0));
    }
    texts.push(folio(number));
    let mut p = sheet(number, texts, Vec::new());
    p.turned = true;
    p
}

/// A document: its measured pages and what it must show.
#[derive(Clone)]
pub(crate) struct Doc {
    /// The measured pages.
    pub(crate) pages: Vec<PageMeasure>,
    /// What the document is.
    pub(crate) expect: Expect,
}

impl Doc {
    /// Every clause's finding.
    pub(crate) fn findings(&self) -> Vec<Finding> {
        check(&self.pages, &self.expect)
    }

    /// Page `n` (from 1).
    pub(crate) fn page(&mut self, n: usize) -> &mut PageMeasure {
        &mut self.pages[n - 1]
    }

    /// The first run on page `n` whose text is `text`.
    pub(crate) fn text(&mut self, n: usize, text: &str) -> &mut TextRun {
        self.pages[n - 1]
            .texts
            .iter_mut()
            .find(|t| t.text == text)
            .unwrap_or_else(|| panic!("no “{text}” on page {n}"))
    }

    /// The leftmost run on line `k` of page `n`.
    pub(crate) fn line(&mut self, n: usize, k: usize) -> &mut TextRun {
        self.pages[n - 1]
            .texts
            .iter_mut()
            .filter(|t| (t.baseline - slot(k)).abs() < 0.1)
            .min_by(|a, b| a.x.total_cmp(&b.x))
            .unwrap_or_else(|| panic!("nothing on line {k} of page {n}"))
    }

    /// Moves the first run on page `n` whose text is `text`.
    pub(crate) fn shift(&mut self, n: usize, text: &str, dx: f64, dy: f64) {
        shift(self.text(n, text), dx, dy);
    }

    /// Drops the runs on page `n` whose text is `text`.
    pub(crate) fn remove(&mut self, n: usize, text: &str) {
        self.pages[n - 1].texts.retain(|t| t.text != text);
    }

    /// Drops the page numbers of page `n`.
    pub(crate) fn drop_folio(&mut self, n: usize) {
        self.pages[n - 1].texts.retain(|t| !is_page_number(t));
    }
}

/// What a document of `format` shows and nothing else.
fn expect(format: Format) -> Expect {
    Expect::plain(format, faces())
}

/// The 发文字号 at `x` on line `k` and the red rule 4 mm below it, as wide as the 版心.
fn number_and_rule(number: &str, x: f64, k: usize) -> (TextRun, Rule) {
    let n = at(number, x, k);
    let top = em_bottom(&n) + 4.0;
    (n, rule(LEFT, top + 0.175, AREA.0, 0.35, red()))
}

/// A 上行文 in the 文件格式, eight pages: 份号, 密级 and 紧急程度; three 签发人 (two on the
/// first line), the 发文字号 居左空一字 on the line of the last; a two-line title; headings of
/// both levels; page 2 full and running on to page 3; the 附件说明 of two attachments, the 落款
/// with a seal and the 附注; 附件1 on a portrait page, 附件2 a table on two landscape pages; a
/// blank page 7 and the 版记 on page 8.
pub(crate) fn upward() -> Doc {
    let cp = char_pitch();
    let mut p2 = vec![full(0), full(1), closing(2), opening(3), full(4)];
    p2.push(hei(at("二、存在问题", LEFT + 2.0 * cp, 5)));
    p2.push(opening(6));
    p2.extend(fulls(7, 21));
    p2.push(folio(2));
    // The 附件 title's em box centred on line 3.
    let line3 = TOP + 2.0 * pitch() + BODY_PT * PT / 2.0;
    let mut p4 = vec![hei(at("附件1", LEFT, 0))];
    p4.extend(title(
        &["某某市整改情况统计表"],
        line3 - (EM_TOP + EM_BOTTOM) / 2.0 * 22.0 * PT,
    ));
    p4.extend([opening(4), full(5), closing(6), folio(4)]);
    let (end_texts, end_rules) = imprint(
        "抄送：某某市应急管理局，某某县应急管理局，某某市人民政府，",
        Some("某某县人民政府。"),
        "某某省应急管理厅办公室",
        Some("2025年6月30日印发"),
    );
    Doc {
        pages: vec![
            upward_first_page(),
            sheet(2, p2, Vec::new()),
            upward_signature_page(),
            sheet(4, p4, Vec::new()),
            table_page(5, true),
            table_page(6, false),
            sheet(7, Vec::new(), Vec::new()),
            sheet(8, end_texts, end_rules),
        ],
        expect: Expect {
            doc_number: Some(NUMBER.to_string()),
            signature: Some(ORGAN.to_string()),
            date: Some(DATE.to_string()),
            seal: true,
            marks: vec!["000001".into(), "机密★1年".into(), "特急".into()],
            note: Some(NOTE.to_string()),
            ..expect(Format::File)
        },
    }
}

/// The 上行文's page 1: the marks, the 标志, the 签发人 and the 发文字号, the red rule, the title
/// and the body from the 主送机关 to the 22nd line.
fn upward_first_page() -> PageMeasure {
    let cp = char_pitch();
    let label = at("签发人：", LEFT + AREA.0 - 12.0 * cp, 6);
    let names = label.right();
    let (number, red_rule) = number_and_rule(NUMBER, LEFT + cp, 7);
    let title_top = red_rule.y + 0.175 + 2.0 * pitch();
    let mut p1 = vec![
        at("000001", LEFT, 0),
        hei(at("机密★1年", LEFT, 1)),
        hei(at("特急", LEFT, 2)),
        mark("某某省应急管理厅文件", 36.0, TOP + 35.0),
        label,
        kai(at("张三丰", names, 6)),
        kai(at("李四光", names + 4.0 * cp, 6)),
        kai(at("王五一", names, 7)),
        number,
    ];
    p1.extend(title(
        &["关于某某市安全生产", "专项整治情况的报告"],
        title_top,
    ));
    p1.extend([
        at("某某省人民政府：", LEFT, 13),
        opening(14),
        full(15),
        closing(16),
        hei(at("一、总体情况", LEFT + 2.0 * cp, 17)),
        opening(18),
        kai(at("（一）主要做法。", LEFT + 2.0 * cp, 19)),
        at(&han(18), LEFT + 10.0 * cp, 19),
        full(20),
        full(21),
        folio(1),
    ]);
    sheet(1, p1, vec![red_rule])
}

/// The 上行文's page 3: the end of the body, the 附件说明 one line below it, the 落款 with the
/// seal (the date 右空四字, the 署名 centred over it) and the 附注.
fn upward_signature_page() -> PageMeasure {
    let cp = char_pitch();
    let date = ending(at(DATE, 0.0, 8), LEFT + AREA.0 - 4.0 * cp);
    let mut signature = at(ORGAN, 0.0, 7);
    let dx = (date.x + date.right()) / 2.0 - (signature.x + signature.right()) / 2.0;
    shift(&mut signature, dx, 0.0);
    let seal_x = (date.x + date.right()) / 2.0 - 21.0;
    let texts = vec![
        full(0),
        closing(1),
        at("附件：1．某某市整改情况统计表", LEFT + 2.0 * cp, 3),
        at("2．某某市尾矿库一览表", LEFT + 5.0 * cp, 4),
        signature,
        date,
        at(&format!("（{NOTE}）"), LEFT + 2.0 * cp, 9),
        folio(3),
    ];
    let mut p3 = sheet(3, texts, Vec::new());
    p3.images.push([seal_x, 88.0, 42.0, 42.0]);
    p3
}

/// A 下行文 in the 文件格式, four pages: the 发文字号 centred, a one-line title; page 2 is two
/// lines short because the paragraph's last lines go over with the 落款 (§7.3.5.5); the 落款
/// without a seal, its 署名 longer than the date (右空二字); the 版记 on page 4.
pub(crate) fn downward() -> Doc {
    let cp = char_pitch();
    let (number, red_rule) = number_and_rule(DOWN_NUMBER, 0.0, 7);
    let number = centred(number);
    let title_top = red_rule.y + 0.175 + 2.0 * pitch();
    let mut p1 = vec![mark("某某市人民政府文件", 40.0, TOP + 35.0), number];
    p1.extend(title(&["关于做好汛期安全生产工作的通知"], title_top));
    p1.extend([
        at("各县（市、区）人民政府，市政府各部门：", LEFT, 12),
        opening(13),
        full(14),
        closing(15),
        hei(at("一、加强组织领导", LEFT + 2.0 * cp, 16)),
        opening(17),
    ]);
    p1.extend(fulls(18, 21));
    p1.push(folio(1));
    let mut p2 = fulls(0, 2);
    p2.extend([closing(3), opening(4)]);
    p2.extend(fulls(5, 19));
    p2.push(folio(2));
    let signature = ending(at(LONG_ORGAN, 0.0, 3), LEFT + AREA.0 - 2.0 * cp);
    let date = at(DATE, signature.x + 2.0 * cp, 4);
    let p3 = vec![full(0), closing(1), signature, date, folio(3)];
    let (end_texts, end_rules) = imprint(
        "抄送：市委各部门，市人大常委会办公室。",
        None,
        "某某市人民政府办公室",
        Some("2025年6月30日印发"),
    );
    Doc {
        pages: vec![
            sheet(1, p1, vec![red_rule]),
            sheet(2, p2, Vec::new()),
            sheet(3, p3, Vec::new()),
            sheet(4, end_texts, end_rules),
        ],
        expect: Expect {
            doc_number: Some(DOWN_NUMBER.to_string()),
            signature: Some(LONG_ORGAN.to_string()),
            date: Some(DATE.to_string()),
            ..expect(Format::File)
        },
    }
}

/// The thicknesses of a 信函's double rule: 1.5 pt and 0.75 pt, 1 pt apart.
const THICK: f64 = 1.5 * PT;
const THIN: f64 = 0.75 * PT;
const APART: f64 = PT;

/// A red double rule of the 信函, 170 mm, centred on the paper, from `top` down; the thick line
/// above when `thick_first`.
fn double_rule(top: f64, thick_first: bool) -> Vec<Rule> {
    let (upper, lower) = if thick_first {
        (THICK, THIN)
    } else {
        (THIN, THICK)
    };
    let x1 = (PAPER.0 - 170.0) / 2.0;
    vec![
        rule(x1, top + upper / 2.0, 170.0, upper, red()),
        rule(x1, top + upper + APART + lower / 2.0, 170.0, lower, red()),
    ]
}

/// A 信函, three pages: the 标志 30 mm from the paper's top, the double rules 4 mm below it and
/// 20 mm above the paper's foot; 份号 and 紧急程度 under the rule, the 发文字号 on the first of
/// them at the right edge; no page number on page 1; the 落款 without a seal at the foot of
/// page 2, its date longer than the 署名 (日期右空二字); the 版记 (one 抄送 line, no rules) alone
/// on page 3 because page 2 has no room left.
pub(crate) fn letter() -> Doc {
    let cp = char_pitch();
    let the_mark = mark(ORGAN, 36.0, 30.0);
    let mut rules = double_rule(the_mark.ink_bottom + 4.0, true);
    rules.extend(double_rule(PAPER.1 - 20.0 - (THICK + APART + THIN), false));
    let under = rules[1].y + THIN / 2.0 + 7.0 / 8.0 * BODY_PT * PT;
    let first_line = under + EM_TOP * BODY_PT * PT;
    let copy = run("000001", LEFT, first_line, BODY_PT);
    let urgency = hei(run("特急", LEFT, first_line + pitch(), BODY_PT));
    let number = ending(run(NUMBER, 0.0, first_line, BODY_PT), LEFT + AREA.0);
    let title_top = em_bottom(&urgency) + 2.0 * pitch();
    let mut p1 = vec![the_mark, copy, urgency, number];
    p1.extend(title(&["关于开展尾矿库汛期安全检查的函"], title_top));
    p1.extend([
        at("某某市应急管理局：", LEFT, 7),
        opening(8),
        full(9),
        closing(10),
        hei(at("一、检查范围", LEFT + 2.0 * cp, 11)),
        opening(12),
    ]);
    p1.extend(fulls(13, 21));
    let mut p2 = vec![full(0), closing(1), opening(2)];
    p2.extend(fulls(3, 17));
    p2.push(closing(18));
    let date = ending(at(DATE, 0.0, 21), LEFT + AREA.0 - 2.0 * cp);
    p2.push(at(ORGAN, date.x - 2.0 * cp, 20));
    p2.extend([date, folio(2)]);
    let p3 = vec![
        small("抄送：某某县应急管理局。", LEFT + 14.0 * PT, 259.0),
        folio(3),
    ];
    Doc {
        pages: vec![
            sheet(1, p1, rules),
            sheet(2, p2, Vec::new()),
            sheet(3, p3, Vec::new()),
        ],
        expect: Expect {
            doc_number: Some(NUMBER.to_string()),
            signature: Some(ORGAN.to_string()),
            date: Some(DATE.to_string()),
            marks: vec!["000001".into(), "特急".into()],
            ..expect(Format::Letter)
        },
    }
}

/// A 简报, two pages: the red 简报名称 centred, the 期号 centred under it, the 编印单位 at the left
/// and the date at the right on one line, a red rule as wide as the 版心 under them; a 栏目
/// “【工作动态】” and an article's title; the 报尾 (报、送) at the foot of page 2.
pub(crate) fn bulletin() -> Doc {
    let unit = at(UNIT, LEFT, 5);
    let rule_top = em_top(&unit) + BODY_PT * PT + 2.0;
    let mut p1 = vec![
        mark("安全生产工作简报", 42.0, TOP + 10.0),
        centred(at("第5期", 0.0, 3)),
        unit,
        ending(at(DATE, 0.0, 5), LEFT + AREA.0),
        hei(at("【工作动态】", LEFT, 7)),
    ];
    p1.extend(title(
        &["某某市开展汛期安全检查"],
        slot(8) - EM_TOP * BODY_PT * PT,
    ));
    p1.extend([opening(9), full(10), closing(11)]);
    p1.push(kai(at("（一）摸清底数。", LEFT + 2.0 * char_pitch(), 12)));
    p1.push(at(&han(18), LEFT + 10.0 * char_pitch(), 12));
    p1.extend(fulls(13, 21));
    p1.push(folio(1));
    let (mut p2, end_rules) = imprint(
        "报：某某省人民政府，某某省应急管理厅，某某市人民政府，某某",
        Some("县人民政府。"),
        "送：各市应急管理局。",
        None,
    );
    p2.extend([
        full(0),
        closing(1),
        opening(2),
        full(3),
        closing(4),
        folio(2),
    ]);
    Doc {
        pages: vec![
            sheet(1, p1, vec![rule(LEFT, rule_top + 0.25, AREA.0, 0.5, red())]),
            sheet(2, p2, end_rules),
        ],
        expect: Expect {
            masthead: Some(Masthead {
                name: "安全生产工作简报".to_string(),
                issue: Some("第5期".to_string()),
                unit: Some(UNIT.to_string()),
                date: DATE.to_string(),
            }),
            ..expect(Format::Bulletin)
        },
    }
}

/// The four documents, named.
pub(crate) fn documents() -> [(&'static str, Doc); 4] {
    [
        ("上行文", upward()),
        ("下行文", downward()),
        ("信函", letter()),
        ("简报", bulletin()),
    ]
}
