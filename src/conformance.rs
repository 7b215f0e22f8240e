//! Conformance: GB/T 9704-2012 clause by clause, checked on the laid-out pages.
//!
//! [`check`] reads the measurements of [`crate::measure`] and says, for each clause, what the
//! standard asks, what was measured and whether it agrees. The build runs it on every document
//! and reports disagreements; the tests require every clause to pass on every sample. The clause
//! table with its values is `docs/conformance.md`.

pub use crate::contract::Format;
use crate::measure::{PageMeasure, Rule, TextRun};
use crate::model::Document;

/// Paper size, mm.
pub const PAPER: (f64, f64) = (210.0, 297.0);
/// 天头: top of the 版心 from the paper top.
pub const TOP: f64 = 37.0;
/// 订口: left of the 版心 from the paper's left edge.
pub const LEFT: f64 = 28.0;
/// 版心 width and height.
pub const AREA: (f64, f64) = (156.0, 225.0);
/// 3号 (body) size in points.
pub const BODY_PT: f64 = 16.0;
/// One point in mm.
pub const PT: f64 = 25.4 / 72.0;
/// Lines per full page and characters per full line.
pub const GRID: (usize, usize) = (22, 28);
/// The line pitch that makes 22 one-em line boxes fill the 版心: (225 mm − 16 pt) / 21.
pub fn pitch() -> f64 {
    (AREA.1 - BODY_PT * PT) / (GRID.0 - 1) as f64
}
/// The character pitch that makes 28 characters fill a line.
pub fn char_pitch() -> f64 {
    AREA.0 / GRID.1 as f64
}
/// The body text's em box: top and bottom of a 16 pt line box relative to its baseline.
const EM_TOP: f64 = 0.88;
const EM_BOTTOM: f64 = 0.12;

/// Tolerance for positions the standard gives as exact (mm).
const TOL: f64 = 0.5;

/// Families the document's roles use (as Typst names them).
#[derive(Debug, Clone)]
pub struct Faces {
    /// 小标宋
    pub xiaobiaosong: String,
    /// 仿宋
    pub fangsong: String,
    /// 黑体
    pub hei: String,
    /// 楷体
    pub kai: String,
    /// 宋体
    pub song: String,
    /// Whether the 小标宋 role is served by a stand-in's bold face (FandolSong Bold), which must
    /// then show as bold.
    pub xiaobiaosong_bold: bool,
    /// The wide-coverage fallback, allowed in any role.
    pub fallback: Option<String>,
}

/// What the document is, so the right clauses apply.
#[derive(Debug, Clone)]
pub struct Expect {
    /// The layout its template declares.
    pub format: Format,
    /// Role faces.
    pub faces: Faces,
    /// 发文字号 as printed, when the document has one.
    pub doc_number: Option<String>,
    /// 署名 as printed.
    pub signature: Option<String>,
    /// 成文日期 as printed.
    pub date: Option<String>,
    /// Whether the 落款 uses the seal layout (§7.3.5.1) rather than the no-seal one (§7.3.5.2).
    pub seal: bool,
    /// 份号, 密级 (with its 保密期限 as printed, e.g. 秘密★1年) and 紧急程度, in the order printed.
    pub marks: Vec<String>,
    /// 附注 as given (printed in parentheses).
    pub note: Option<String>,
    /// A 简报's masthead: 简报名称, 期号, 编印单位 and date as printed.
    pub masthead: Option<Masthead>,
}

/// What a 简报's masthead prints.
#[derive(Debug, Clone)]
pub struct Masthead {
    /// 简报名称
    pub name: String,
    /// 期号
    pub issue: Option<String>,
    /// 编印单位
    pub unit: Option<String>,
    /// The date, printed.
    pub date: String,
}

impl Expect {
    /// Expectations of a page laid out in `format` with `faces` and nothing else known (no
    /// 发文字号, 落款, marks or note): for laying out Typst written by hand.
    pub fn plain(format: Format, faces: Faces) -> Expect {
        Expect {
            format,
            faces,
            doc_number: None,
            signature: None,
            date: None,
            seal: false,
            marks: Vec::new(),
            note: None,
            masthead: None,
        }
    }

    /// What `doc`, laid out in `format` with `faces`, must show.
    pub fn new(doc: &Document, format: Format, faces: Faces) -> Expect {
        let info = &doc.info;
        let date = crate::model::format_date(info.date);
        let bulletin = format == Format::Bulletin;
        Expect {
            format,
            faces,
            doc_number: info.get(crate::contract::DOC_NUMBER).map(str::to_string),
            signature: (!bulletin).then(|| info.signature()),
            date: (!bulletin).then(|| date.clone()),
            seal: info.seal,
            marks: info.header_marks(),
            note: info.get(crate::contract::NOTE).map(str::to_string),
            masthead: bulletin.then(|| Masthead {
                name: info.get("简报名称").unwrap_or(&info.title).to_string(),
                issue: info.get("期号").map(str::to_string),
                unit: info.get("编印单位").map(str::to_string),
                date,
            }),
        }
    }
}

/// One clause's result.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Clause number and subject, e.g. `7.2.4 发文机关标志位置`.
    pub clause: &'static str,
    /// What the standard asks.
    pub expected: String,
    /// What was measured.
    pub measured: String,
    /// Whether they agree.
    pub ok: bool,
}

struct Checker {
    findings: Vec<Finding>,
}

impl Checker {
    fn push(
        &mut self,
        clause: &'static str,
        expected: impl Into<String>,
        measured: impl Into<String>,
        ok: bool,
    ) {
        self.findings.push(Finding {
            clause,
            expected: expected.into(),
            measured: measured.into(),
            ok,
        });
    }

    fn near(&mut self, clause: &'static str, what: &str, want: f64, got: f64, tol: f64) {
        self.push(
            clause,
            format!("{what} {want:.2} mm（±{tol}）"),
            format!("{got:.2} mm"),
            (got - want).abs() <= tol,
        );
    }
}

fn is_page_number(t: &TextRun) -> bool {
    let s = t.text.trim();
    s.starts_with('—') && s.ends_with('—') && s.chars().any(|c| c.is_ascii_digit())
}

fn is_red(t: &TextRun) -> bool {
    t.fill.as_ref().is_some_and(|c| {
        let k = c.to_cmyk();
        (k.m - 0.8).abs() < 0.05 && (k.y - 0.8).abs() < 0.05 && k.c < 0.05 && k.k < 0.05
    })
}

fn is_black(c: &typst::visualize::Color) -> bool {
    let rgb = c.to_rgb();
    rgb.red + rgb.green + rgb.blue < 0.3
}

fn em_top(t: &TextRun) -> f64 {
    t.baseline - EM_TOP * t.size_pt * PT
}

fn em_bottom(t: &TextRun) -> f64 {
    t.baseline + EM_BOTTOM * t.size_pt * PT
}

fn xiaobiaosong(faces: &Faces) -> String {
    if faces.xiaobiaosong_bold {
        format!("{} Bold（700）", faces.xiaobiaosong)
    } else {
        faces.xiaobiaosong.clone()
    }
}

fn is_xiaobiaosong(t: &TextRun, faces: &Faces) -> bool {
    role_ok(&t.family, &faces.xiaobiaosong, faces) && (!faces.xiaobiaosong_bold || t.weight >= 600)
}

fn role_ok(family: &str, role: &str, faces: &Faces) -> bool {
    family == role || faces.fallback.as_deref() == Some(family)
}

/// The 发文机关标志: the largest red text on page 1.
fn mark(page: &PageMeasure) -> Option<&TextRun> {
    page.texts
        .iter()
        .filter(|t| is_red(t))
        .max_by(|a, b| a.size_pt.total_cmp(&b.size_pt))
}

/// Checks every clause that applies to the laid-out `pages`.
pub fn check(pages: &[PageMeasure], expect: &Expect) -> Vec<Finding> {
    let mut c = Checker {
        findings: Vec::new(),
    };
    let Some(first) = pages.first() else {
        return c.findings;
    };
    let mark = mark(first);
    let format = expect.format;
    paper(&mut c, pages);
    area(&mut c, pages);
    grid(&mut c, pages, expect);
    match &expect.masthead {
        Some(m) => masthead(&mut c, first, mark, m, expect),
        None => header(&mut c, first, mark, format, expect),
    }
    body(&mut c, pages, expect);
    signature(&mut c, pages, expect);
    attachments(&mut c, pages, expect);
    landscape_tables(&mut c, pages, expect);
    page_numbers(&mut c, pages, format, expect);
    end_matter(&mut c, pages, format);
    c.findings
}

fn paper(c: &mut Checker, pages: &[PageMeasure]) {
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
fn portrait(p: &PageMeasure) -> bool {
    p.height > p.width && !p.turned
}

fn area(c: &mut Checker, pages: &[PageMeasure]) {
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
fn body_lines(p: &PageMeasure) -> Vec<Vec<&TextRun>> {
    p.lines()
        .into_iter()
        .filter(|l| {
            l.iter()
                .all(|t| (t.size_pt - BODY_PT).abs() < 0.1 && !is_page_number(t))
        })
        .collect()
}

fn grid(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    let pitch = pitch();
    let first_baseline = TOP + EM_TOP * BODY_PT * PT;
    let mut off_grid = Vec::new();
    let mut full = Vec::new();
    for p in pages.iter().filter(|p| portrait(p)) {
        let mut lines = body_lines(p);
        if p.number == 1 {
            // Page 1: the body under the 版头, from the 主送机关 (or the title) down.
            let start = p
                .texts
                .iter()
                .filter(|t| (t.size_pt - 22.0).abs() < 0.1)
                .map(|t| t.baseline)
                .fold(f64::NAN, f64::max);
            lines.retain(|l| start.is_finite() && l[0].baseline > start);
        }
        for line in &lines {
            let slot = (line[0].baseline - first_baseline) / pitch;
            if (slot - slot.round()).abs() * pitch > 0.2
                || slot.round() < 0.0
                || slot.round() > 21.0
            {
                off_grid.push(format!("第{}页 基线 {:.2} mm", p.number, line[0].baseline));
            }
        }
        let slots: std::collections::BTreeSet<i64> = lines
            .iter()
            .map(|l| ((l[0].baseline - first_baseline) / pitch).round() as i64)
            .collect();
        if slots.last() == Some(&(GRID.0 as i64 - 1)) {
            full.push(p.number);
        }
    }
    c.push(
        "5.2.3 行距（每面22行撑满版心）",
        format!("正文行位于 {first_baseline:.2} mm 起、行距 {pitch:.3} mm 的 22 个行位上"),
        if off_grid.is_empty() {
            "全部正文行都在行位上".to_string()
        } else {
            off_grid.join("；")
        },
        off_grid.is_empty(),
    );
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
    // A page whose text runs on to the next page (the next page starts with an unindented
    // continuation line) must be full: 22 lines. The one exception is a page shortened so that
    // the paragraph's last lines go over with the 落款 (§7.3.5.5).
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
        let last_slot = this.last().map_or(-1, |l| {
            ((l[0].baseline - first_baseline) / pitch).round() as i64
        });
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
    // Characters per line: the pitch of full-width CJK text, and the count on full lines made
    // only of Han characters.
    let mut counts = Vec::new();
    let mut widest_start = f64::MAX;
    for p in pages.iter().filter(|p| portrait(p)) {
        for line in body_lines(p) {
            let text: String = line.iter().map(|t| t.text.as_str()).collect();
            let (x0, x1) = (line[0].x, line.last().expect("a line has runs").right());
            widest_start = widest_start.min(x0);
            let full_width = (x0 - LEFT).abs() < 0.1 && (x1 - LEFT - AREA.0).abs() < 0.3;
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
    c.push(
        "5.2.3 每行28字",
        "只含汉字的满行 28 字",
        if counts.is_empty() {
            "没有只含汉字的满行".to_string()
        } else {
            format!("{} 个满行，其中 {} 行不是 28 字", counts.len(), pure.len())
        },
        pure.is_empty(),
    );
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

fn is_han(ch: char) -> bool {
    matches!(ch as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn join(pages: &[usize]) -> String {
    pages
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("、")
}

fn header(
    c: &mut Checker,
    first: &PageMeasure,
    mark: Option<&TextRun>,
    format: Format,
    expect: &Expect,
) {
    let Some(mark) = mark else {
        c.push(
            "7.2.4 发文机关标志",
            "第1页有红色发文机关标志",
            "没有找到",
            false,
        );
        return;
    };
    let (want_top, clause) = match format {
        Format::File | Format::Bulletin => {
            (TOP + 35.0, "7.2.4 发文机关标志上边缘距版心上边缘 35 mm")
        }
        Format::Letter => (30.0, "10.1 信函标志上边缘距纸张上边缘 30 mm"),
    };
    c.near(
        clause,
        "标志字形上边缘距纸张上边缘",
        want_top,
        mark.ink_top,
        1.0,
    );
    c.near(
        "7.2.4 发文机关标志居中",
        "标志中线",
        LEFT + AREA.0 / 2.0,
        (mark.x + mark.right()) / 2.0,
        1.0,
    );
    c.push(
        "7.2.4 / 6.2 标志颜色（红色 Y80 M80）",
        "CMYK 0/80/80/0",
        format!("{:?}", mark.fill),
        is_red(mark),
    );
    c.push(
        "7.2.4 标志字体（小标宋）",
        xiaobiaosong(&expect.faces),
        format!("{} {}", mark.family, mark.weight),
        is_xiaobiaosong(mark, &expect.faces),
    );
    marks(c, first, format, expect);
    let Some(number) = expect.doc_number.as_deref() else {
        return;
    };
    let Some(run) = first.texts.iter().find(|t| t.text.contains(number)) else {
        c.push("7.2.5 发文字号", number.to_string(), "第1页没有找到", false);
        return;
    };
    c.push(
        "7.2.5 发文字号字号（3号）",
        "16 pt",
        format!("{:.1} pt", run.size_pt),
        (run.size_pt - BODY_PT).abs() < 0.1,
    );
    c.push(
        "7.2.5 发文字号内无空格",
        number.to_string(),
        run.text.clone(),
        !run.text.trim().contains(' '),
    );
    let red_rules: Vec<_> = first
        .rules
        .iter()
        .filter(|r| {
            r.paint.as_ref().is_some_and(|p| {
                let k = p.to_cmyk();
                (k.m - 0.8).abs() < 0.05 && (k.y - 0.8).abs() < 0.05
            })
        })
        .collect();
    let signer = first.texts.iter().find(|t| t.text.contains("签发人"));
    match format {
        Format::File | Format::Bulletin => {
            match signer {
                Some(s) => {
                    c.near(
                        "7.2.5 上行文发文字号居左空一字",
                        "发文字号左边",
                        LEFT + char_pitch(),
                        run.x,
                        0.3,
                    );
                    let line_right = first
                        .texts
                        .iter()
                        .filter(|t| (t.baseline - s.baseline).abs() < 0.5 && t.x >= s.x)
                        .map(TextRun::right)
                        .fold(f64::MIN, f64::max);
                    c.near(
                        "7.2.6 签发人居右空一字",
                        "签发人行右边",
                        LEFT + AREA.0 - char_pitch(),
                        line_right,
                        0.3,
                    );
                    // The names follow the label, two per line; the 发文字号 stands on the line of
                    // the last name.
                    let names: Vec<&TextRun> = first
                        .texts
                        .iter()
                        .filter(|t| {
                            t.baseline >= s.baseline - 0.5
                                && t.baseline < run.baseline + 11.0
                                && t.x > s.right() - 0.5
                                && !t.text.contains("签发人")
                                && !t.text.trim().is_empty()
                        })
                        .collect();
                    let last = names.iter().map(|t| t.baseline).fold(s.baseline, f64::max);
                    c.push(
                        "7.2.5 / 7.2.6 发文字号与最后一个签发人同行",
                        "同一基线",
                        format!("相差 {:.2} mm", (last - run.baseline).abs()),
                        (last - run.baseline).abs() < 0.3,
                    );
                    let all_kai = !names.is_empty()
                        && names
                            .iter()
                            .all(|t| role_ok(&t.family, &expect.faces.kai, &expect.faces));
                    c.push(
                        "7.2.6 签发人姓名用楷体",
                        expect.faces.kai.clone(),
                        names
                            .iter()
                            .map(|t| t.family.as_str())
                            .collect::<Vec<_>>()
                            .join("、"),
                        all_kai,
                    );
                    c.push(
                        "7.2.6 “签发人”用仿宋",
                        expect.faces.fangsong.clone(),
                        s.family.clone(),
                        role_ok(&s.family, &expect.faces.fangsong, &expect.faces),
                    );
                }
                None => c.near(
                    "7.2.5 发文字号居中",
                    "发文字号中线",
                    LEFT + AREA.0 / 2.0,
                    (run.x + run.right()) / 2.0,
                    0.5,
                ),
            }
            match red_rules.iter().find(|r| r.y > run.baseline) {
                Some(rule) => {
                    c.near(
                        "7.2.7 分隔线在发文字号之下 4 mm",
                        "分隔线上边缘",
                        em_bottom(run) + 4.0,
                        rule.y - rule.thickness / 2.0,
                        TOL,
                    );
                    c.near(
                        "7.2.7 分隔线与版心等宽",
                        "分隔线长度",
                        AREA.0,
                        rule.length(),
                        TOL,
                    );
                    c.near("7.2.7 分隔线左端", "分隔线左端", LEFT, rule.x1, TOL);
                    title(c, first, rule.y + rule.thickness / 2.0, expect);
                }
                None => c.push("7.2.7 版头分隔线", "红色分隔线", "没有找到", false),
            }
        }
        Format::Letter => {
            c.near(
                "10.1 信函发文字号居右顶格",
                "发文字号右边",
                LEFT + AREA.0,
                run.right(),
                0.3,
            );
            let top_pair: Vec<_> = red_rules.iter().filter(|r| r.y < 100.0).collect();
            let bottom_pair: Vec<_> = red_rules.iter().filter(|r| r.y > 200.0).collect();
            c.push(
                "10.1 信函上下双线",
                "标志下与页面下方各一组双线",
                format!("上 {} 条，下 {} 条", top_pair.len(), bottom_pair.len()),
                top_pair.len() == 2 && bottom_pair.len() == 2,
            );
            if let (Some(a), Some(b)) = (top_pair.first(), top_pair.last()) {
                c.near(
                    "10.1 上双线距标志 4 mm",
                    "上双线上边缘",
                    mark.ink_bottom + 4.0,
                    a.y - a.thickness / 2.0,
                    TOL,
                );
                double_rule(c, "上", a, b);
                // The title stands two lines below the last element under the rule (§10.1).
                let above_title = first
                    .texts
                    .iter()
                    .filter(|t| t.baseline > b.y && (t.size_pt - BODY_PT).abs() < 0.1)
                    .filter(|t| {
                        first
                            .texts
                            .iter()
                            .any(|x| (x.size_pt - 22.0).abs() < 0.1 && x.baseline > t.baseline)
                    })
                    .map(em_bottom)
                    .fold(b.y + b.thickness / 2.0, f64::max);
                title(c, first, above_title, expect);
            }
            if let (Some(a), Some(b)) = (bottom_pair.first(), bottom_pair.last()) {
                c.near(
                    "10.1 下双线距纸张下边 20 mm",
                    "下双线下边缘",
                    PAPER.1 - 20.0,
                    b.y + b.thickness / 2.0,
                    TOL,
                );
                double_rule(c, "下", a, b);
            }
        }
    }
}

/// One red double rule of the 信函 (§10.1): 170 mm, centred on the paper, the thick line outside
/// (above for the upper pair, below for the lower one). `a` is the upper line of the pair.
fn double_rule(c: &mut Checker, which: &str, a: &Rule, b: &Rule) {
    let (outer, inner) = if which == "上" { (a, b) } else { (b, a) };
    c.push(
        "10.1 双线外粗内细（上双线上粗下细，下双线上细下粗）",
        format!("{which}双线的外侧线更粗"),
        format!("上 {:.2} / 下 {:.2} mm", a.thickness, b.thickness),
        outer.thickness > inner.thickness,
    );
    c.near(
        "10.1 双线长 170 mm",
        &format!("{which}双线长度"),
        170.0,
        a.length(),
        TOL,
    );
    c.near(
        "10.1 双线居中",
        &format!("{which}双线左端"),
        (PAPER.0 - 170.0) / 2.0,
        a.x1,
        TOL,
    );
}

/// 份号, 密级 and 紧急程度 (§7.2.1–7.2.3, §10.1): 顶格 at the 版心's left edge, one per line in that
/// order — on 版心 lines 1–3, or in a 信函 from 7/8 of a 3号 character below the first double rule.
fn marks(c: &mut Checker, first: &PageMeasure, format: Format, expect: &Expect) {
    if expect.marks.is_empty() {
        return;
    }
    let found: Vec<&TextRun> = expect
        .marks
        .iter()
        .filter_map(|m| first.texts.iter().find(|t| t.text.trim() == m.as_str()))
        .collect();
    c.push(
        "7.2.1–7.2.3 份号、密级和保密期限、紧急程度",
        expect.marks.join(" / "),
        found
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" / "),
        found.len() == expect.marks.len(),
    );
    let top = match format {
        Format::File | Format::Bulletin => TOP,
        Format::Letter => {
            let rule = first
                .rules
                .iter()
                .filter(|r| r.y < 100.0)
                .map(|r| r.y + r.thickness / 2.0)
                .fold(f64::NAN, f64::max);
            rule + 7.0 / 8.0 * BODY_PT * PT
        }
    };
    for (i, t) in found.iter().enumerate() {
        let clause = "7.2.1–7.2.3 版头左上角各要素顶格、依次各占一行";
        c.near(clause, &format!("“{}”左边", t.text), LEFT, t.x, 0.3);
        c.near(
            clause,
            &format!("“{}”上边缘", t.text),
            top + i as f64 * pitch(),
            em_top(t),
            0.3,
        );
        if !t.text.trim().chars().all(|ch| ch.is_ascii_digit()) {
            c.push(
                "7.2.2 / 7.2.3 密级、紧急程度用3号黑体",
                format!("16 pt {}", expect.faces.hei),
                format!("“{}” {:.1} pt {}", t.text, t.size_pt, t.family),
                (t.size_pt - BODY_PT).abs() < 0.1
                    && role_ok(&t.family, &expect.faces.hei, &expect.faces),
            );
        }
    }
}

fn title(c: &mut Checker, first: &PageMeasure, rule_bottom: f64, expect: &Expect) {
    let Some(t) = first
        .texts
        .iter()
        .filter(|t| t.baseline > rule_bottom && (t.size_pt - 22.0).abs() < 0.1)
        .min_by(|a, b| a.baseline.total_cmp(&b.baseline))
    else {
        c.push(
            "7.3.1 标题",
            "2号小标宋标题",
            "没有找到 22 pt 的标题",
            false,
        );
        return;
    };
    c.push(
        "7.3.1 标题字号（2号）与字体（小标宋）",
        format!("22 pt {}", xiaobiaosong(&expect.faces)),
        format!("{:.1} pt {} {}", t.size_pt, t.family, t.weight),
        (t.size_pt - 22.0).abs() < 0.1 && is_xiaobiaosong(t, &expect.faces),
    );
    let gap = (em_top(t) - rule_bottom) / pitch();
    c.push(
        "7.3.1 / 10.1 标题上空二行",
        "约 2 行（1.8–2.3 行）",
        format!("{gap:.2} 行"),
        (1.8..=2.3).contains(&gap),
    );
    let centred = first
        .lines()
        .into_iter()
        .filter(|l| (l[0].size_pt - 22.0).abs() < 0.1)
        .all(|l| {
            let mid = (l[0].x + l.last().expect("a line has runs").right()) / 2.0;
            (mid - (LEFT + AREA.0 / 2.0)).abs() < 1.0
        });
    c.push(
        "7.3.1 标题居中",
        "每行中线在版心中线 ±1 mm",
        if centred {
            "居中"
        } else {
            "有标题行不居中"
        },
        centred,
    );
}

fn body(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    let faces = &expect.faces;
    let first_body = pages.first().map(|p| {
        p.texts
            .iter()
            .filter(|t| (t.size_pt - BODY_PT).abs() < 0.1 && t.family == faces.fangsong)
            .any(|t| t.x > LEFT + 1.0 && !t.text.contains("签发人"))
    });
    c.push(
        "7.3.3 首页显示正文",
        "第1页有正文",
        if first_body == Some(true) {
            "有"
        } else {
            "没有"
        },
        first_body == Some(true),
    );
    let mut wrong = Vec::new();
    for p in pages {
        for line in body_lines(p) {
            let text: String = line.iter().map(|t| t.text.as_str()).collect();
            let lead = line[0];
            let want = if is_level(&text, &['、']) {
                Some(&faces.hei)
            } else if text.starts_with('（') && text.chars().nth(1).is_some_and(is_cn_digit) {
                Some(&faces.kai)
            } else {
                None
            };
            if let Some(want) = want
                && !role_ok(&lead.family, want, faces)
            {
                wrong.push(format!(
                    "第{}页“{}”用了 {}",
                    p.number,
                    text.chars().take(8).collect::<String>(),
                    lead.family
                ));
            }
            for t in &line {
                let allowed = [&faces.fangsong, &faces.hei, &faces.kai];
                if !allowed.iter().any(|f| role_ok(&t.family, f, faces)) {
                    wrong.push(format!(
                        "第{}页“{}”用了 {}",
                        p.number,
                        t.text.chars().take(8).collect::<String>(),
                        t.family
                    ));
                }
            }
        }
    }
    wrong.dedup();
    c.push(
        "7.3.3 层次与正文字体（一、黑体 （一）楷体 正文仿宋）",
        "各层次用规定字体",
        if wrong.is_empty() {
            "全部符合".to_string()
        } else {
            wrong.join("；")
        },
        wrong.is_empty(),
    );
}

/// Whether a line starts a new block: a heading (一、 or （一）) or an 附件 label.
fn is_heading(line: &[&TextRun]) -> bool {
    let text: String = line.iter().map(|t| t.text.as_str()).collect();
    is_level(&text, &['、'])
        || (text.starts_with('（') && text.chars().nth(1).is_some_and(is_cn_digit))
        || text.starts_with('【')
        || text
            .strip_prefix("附件")
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
}

fn is_cn_digit(ch: char) -> bool {
    "一二三四五六七八九十".contains(ch)
}

fn is_level(text: &str, after: &[char]) -> bool {
    let digits: String = text.chars().take_while(|c| is_cn_digit(*c)).collect();
    !digits.is_empty() && text[digits.len()..].starts_with(after)
}

fn signature(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    let (Some(sig), Some(date)) = (expect.signature.as_deref(), expect.date.as_deref()) else {
        return;
    };
    // The last date with the 署名 above it (a 版记's 印发日期 may print the same date).
    let found = pages.iter().rev().find_map(|p| {
        p.texts
            .iter()
            .rev()
            .filter(|t| t.text == date)
            .find_map(|d| {
                let s = p
                    .texts
                    .iter()
                    .rev()
                    .find(|t| t.text == sig && t.baseline < d.baseline)?;
                Some((p, s, d))
            })
    });
    let Some((page, s, d)) = found else {
        c.push(
            "7.3.5 署名与成文日期",
            format!("{sig} / {date}"),
            "没有找到",
            false,
        );
        return;
    };
    let right = LEFT + AREA.0;
    // No seal: the date starts two characters right of the 署名; when that would push it past
    // 右空二字 (the date is "longer"), the date goes 右空二字 and the 署名 moves left (§7.3.5.2).
    if expect.seal {
        // A 署名 longer than the date by more than eight characters cannot be centred over a
        // date 右空四字: it stands flush right, and the date is centred under it.
        let long = s.width > d.width + 8.0 * char_pitch();
        c.near(
            "7.3.5.1 加盖印章时成文日期右空四字（署名过长时署名顶格居右，日期居中其下）",
            "日期右边",
            if long {
                right - (s.width - d.width) / 2.0
            } else {
                right - 4.0 * char_pitch()
            },
            d.right(),
            0.3,
        );
        c.near(
            "7.3.5.1 署名以成文日期为准居中",
            "署名中线",
            d.x + d.width / 2.0,
            s.x + s.width / 2.0,
            0.3,
        );
        if let Some([x, y, w, h]) = page
            .images
            .iter()
            .copied()
            .find(|i| i[1] < d.baseline && i[1] + i[3] > s.baseline)
        {
            c.near(
                "7.3.5.1 印章居中压署名和成文日期",
                "印章中线",
                d.x + d.width / 2.0,
                x + w / 2.0,
                1.0,
            );
            c.push(
                "7.3.5.1 署名和成文日期居印章中心偏下",
                "印章中心高于署名",
                format!(
                    "印章中心 {:.2} mm，署名基线 {:.2} mm",
                    y + h / 2.0,
                    s.baseline
                ),
                y + h / 2.0 < s.baseline,
            );
            let body_bottom = page
                .texts
                .iter()
                .filter(|t| {
                    t.baseline < s.baseline - 1.0
                        && (t.size_pt - BODY_PT).abs() < 0.1
                        && !is_page_number(t)
                })
                .map(em_bottom)
                .fold(f64::NAN, f64::max);
            if body_bottom.is_finite() {
                c.push(
                    "7.3.5.1 印章顶端上距正文一行之内",
                    format!("印章顶端与正文末行下边相距不超过一行（{:.2} mm）", pitch()),
                    format!("{:.2} mm", y - body_bottom),
                    (y - body_bottom).abs() <= pitch(),
                );
            }
        }
    } else {
        // Whichever of the two is held 右空二字, the date starts two characters right of the 署名.
        if d.width + 2.0 * char_pitch() > s.width {
            c.near(
                "7.3.5.2 成文日期右空二字",
                "日期右边",
                right - 2.0 * char_pitch(),
                d.right(),
                0.3,
            );
        } else {
            c.near(
                "7.3.5.2 署名右空二字",
                "署名右边",
                right - 2.0 * char_pitch(),
                s.right(),
                0.3,
            );
        }
        c.near(
            "7.3.5.2 日期首字比署名首字右移二字",
            "日期左边",
            s.x + 2.0 * char_pitch(),
            d.x,
            0.3,
        );
    }
    c.near(
        "7.3.5.2 日期在署名下一行",
        "日期基线",
        s.baseline + pitch(),
        d.baseline,
        0.3,
    );
    if let Some(note) = expect.note.as_deref() {
        let printed = format!("（{note}）");
        match page
            .texts
            .iter()
            .find(|t| t.text == printed && t.baseline > d.baseline)
        {
            Some(n) => {
                c.near(
                    "7.3.6 附注居左空二字",
                    "附注左边",
                    LEFT + 2.0 * char_pitch(),
                    n.x,
                    0.3,
                );
                c.near(
                    "7.3.6 附注在成文日期下一行",
                    "附注基线",
                    d.baseline + pitch(),
                    n.baseline,
                    0.3,
                );
            }
            None => c.push("7.3.6 附注", printed, "成文日期之后没有找到", false),
        }
    }
    let above = page.texts.iter().any(|t| {
        t.baseline < s.baseline - 1.0 && (t.size_pt - BODY_PT).abs() < 0.1 && !is_page_number(t)
    });
    c.push(
        "7.3.5 落款不单独成页",
        "署名页上方有正文",
        if above {
            "有".to_string()
        } else {
            format!("第{}页只有落款", page.number)
        },
        above,
    );
}

/// 附件说明 and 附件 pages (§7.3.4, §7.3.7, §8).
fn attachments(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    let faces = &expect.faces;
    for p in pages {
        let lines = body_lines(p);
        if let Some(at) = lines.iter().position(|l| l[0].text.starts_with("附件：")) {
            let line = &lines[at];
            c.near(
                "7.3.4 附件说明左空二字",
                "“附件：”左边",
                LEFT + 2.0 * char_pitch(),
                line[0].x,
                0.3,
            );
            if at > 0 {
                let gap = (line[0].baseline - lines[at - 1][0].baseline) / pitch();
                c.push(
                    "7.3.4 附件说明在正文下空一行",
                    "相隔 2 行",
                    format!("{gap:.2} 行"),
                    (gap - 2.0).abs() < 0.05,
                );
            }
            let names: Vec<f64> = lines[at + 1..]
                .iter()
                .take_while(|l| l[0].x > LEFT + 2.0 * char_pitch() + 1.0)
                .map(|l| l[0].x)
                .filter(|x| (x - (LEFT + 5.0 * char_pitch())).abs() < 2.0)
                .collect();
            if let Some(x) = names.first() {
                c.near(
                    "7.3.4 附件说明序号与首个名称对齐",
                    "第二个名称的序号左边",
                    LEFT + 5.0 * char_pitch(),
                    *x,
                    0.3,
                );
            }
        }
        let Some(label) = p.lines().into_iter().find(|l| {
            let text: String = l.iter().map(|t| t.text.as_str()).collect();
            let rest = text.trim_start_matches(|ch: char| "— 0123456789".contains(ch));
            rest.strip_prefix("附件")
                .is_some_and(|n| n.chars().all(|ch| ch.is_ascii_digit()))
        }) else {
            continue;
        };
        let run = *label
            .iter()
            .find(|t| t.text.contains("附件"))
            .expect("the label has a run");
        c.push(
            "7.3.7 附件标识 3号黑体",
            format!("16 pt {}", faces.hei),
            format!("第{}页 {:.1} pt {}", p.number, run.size_pt, run.family),
            (run.size_pt - BODY_PT).abs() < 0.1 && role_ok(&run.family, &faces.hei, faces),
        );
        if portrait(p) {
            c.near("7.3.7 附件标识顶格", "“附件N”左边", LEFT, run.x, 0.3);
            c.near(
                "7.3.7 附件标识在版心第1行（另面编排）",
                "“附件N”上边缘",
                TOP,
                em_top(run),
                0.3,
            );
            if let Some(title) = p
                .lines()
                .into_iter()
                .find(|l| (l[0].size_pt - 22.0).abs() < 0.1)
            {
                let mid_y = (em_top(title[0]) + em_bottom(title[0])) / 2.0;
                let line3 = TOP + 2.0 * pitch() + BODY_PT * PT / 2.0;
                c.near("7.3.7 附件标题居中于第3行", "标题行中线", line3, mid_y, 1.0);
                let mid_x = (title[0].x + title.last().expect("a line has runs").right()) / 2.0;
                c.near(
                    "7.3.7 附件标题居中",
                    "标题中线",
                    LEFT + AREA.0 / 2.0,
                    mid_x,
                    1.0,
                );
                c.push(
                    "7.3.7 附件标题 2号小标宋",
                    format!("22 pt {}", xiaobiaosong(faces)),
                    format!(
                        "{:.1} pt {} {}",
                        title[0].size_pt, title[0].family, title[0].weight
                    ),
                    is_xiaobiaosong(title[0], faces),
                );
            }
        }
    }
}

fn page_numbers(c: &mut Checker, pages: &[PageMeasure], format: Format, expect: &Expect) {
    let numbers: Vec<(usize, &TextRun)> = pages
        .iter()
        .filter_map(|p| {
            p.texts
                .iter()
                .find(|t| is_page_number(t))
                .map(|t| (p.number, t))
        })
        .collect();
    let mut wrong = Vec::new();
    for &(page, t) in &numbers {
        let digits: String = t.text.chars().filter(char::is_ascii_digit).collect();
        if digits != page.to_string() {
            wrong.push(format!("第{page}页印为“{}”", t.text));
        }
        if (t.size_pt - 14.0).abs() > 0.1 || !role_ok(&t.family, &expect.faces.song, &expect.faces)
        {
            wrong.push(format!("第{page}页页码为 {:.1} pt {}", t.size_pt, t.family));
        }
        if !t.text.contains("— ") && !t.text.contains("—\u{a0}") {
            wrong.push(format!("第{page}页页码“{}”一字线与数字之间无空", t.text));
        }
        // On a landscape page the number is turned with the page; its place is checked in portrait.
        let landscape = pages.get(page - 1).is_some_and(|p| !portrait(p));
        let dash = t.glyphs.iter().find(|g| g.ch == '—').map(|g| g.ink_top);
        if let Some(top) = dash.filter(|_| !landscape)
            && (top - (TOP + AREA.1 + 7.0)).abs() > TOL
        {
            wrong.push(format!("第{page}页一字线上边缘 {top:.2} mm"));
        }
        if !landscape {
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
        }
    }
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
    let unnumbered: Vec<usize> = pages
        .iter()
        .map(|p| p.number)
        .filter(|n| !numbers.iter().any(|(p, _)| p == n))
        .collect();
    for n in unnumbered
        .iter()
        .copied()
        .filter(|n| !(format == Format::Letter && *n == 1))
    {
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

fn end_matter(c: &mut Checker, pages: &[PageMeasure], format: Format) {
    let Some(last) = pages.last() else { return };
    // 版记 rules are 0.25 mm and thicker; a table's thin rules are not 版记 rules.
    let black: Vec<_> = last
        .rules
        .iter()
        .filter(|r| {
            r.is_horizontal()
                && r.paint.as_ref().is_some_and(is_black)
                && r.length() > AREA.0 - 1.0
                && r.thickness > 0.2
        })
        .collect();
    if format == Format::Letter {
        c.push(
            "10.1 信函版记不加印发行和分隔线",
            "版记无分隔线",
            format!("{} 条", black.len()),
            black.is_empty(),
        );
        // A 版记 alone on the last page is only right when the page before had no room for it.
        // The 版记 is the 14 pt lines from the 抄送 line down; alone means nothing above them.
        let lines: Vec<_> = last
            .lines()
            .into_iter()
            .filter(|l| !l.iter().all(|t| is_page_number(t)))
            .collect();
        let start = lines
            .iter()
            .position(|l| (l[0].size_pt - 14.0).abs() < 0.1 && l[0].text.starts_with("抄送"));
        let end_lines: Vec<_> = start.map(|i| lines[i..].to_vec()).unwrap_or_default();
        if start == Some(0)
            && !end_lines.is_empty()
            && let Some(before) = pages.len().checked_sub(2).map(|i| &pages[i])
        {
            let free = TOP + AREA.1 - body_lines(before).last().map_or(TOP, |l| em_bottom(l[0]));
            let need = end_lines.len() as f64 * pitch();
            c.push(
                "10.1 信函版记在最后一页版心最下方（不单独成页）",
                format!("上一页余下不足 {need:.1} mm 时才另起一页"),
                format!("上一页余下 {free:.1} mm，版记需 {need:.1} mm"),
                free < need,
            );
        }
        return;
    }
    let bulletin = format == Format::Bulletin;
    if black.is_empty() {
        if bulletin {
            c.push("简报 报尾", "最后一页有报尾分隔线", "没有找到", false);
        }
        return;
    }
    if !bulletin {
        c.push(
            "7.4.1 版记在偶数页（最后一面）",
            "最后一页为偶数页",
            format!("最后一页为第{}页", last.number),
            last.number % 2 == 0,
        );
    }
    let (first, end) = (
        black.first().expect("non-empty"),
        black.last().expect("non-empty"),
    );
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
    let runs: Vec<&TextRun> = last
        .texts
        .iter()
        .filter(|t| t.baseline > first.y && t.baseline < end.y)
        .collect();
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
    let label = if bulletin { "报" } else { "抄送" };
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
    let line: String = runs.iter().map(|t| t.text.as_str()).collect();
    if line.contains("印发") {
        let date_run = runs
            .iter()
            .filter(|t| t.text.contains("印发") || t.text.contains('日'))
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

/// A 简报's masthead (common practice, reference §1.7): the 简报名称 in large red 小标宋,
/// centred; the 期号 centred below it; the 编印单位 at the left edge of the 版心 and the date at
/// its right edge, on one line; a red rule as wide as the 版心 below them, above the body.
fn masthead(
    c: &mut Checker,
    first: &PageMeasure,
    mark: Option<&TextRun>,
    m: &Masthead,
    expect: &Expect,
) {
    let Some(name) = mark else {
        c.push("简报 报头名称", "第1页有红色的简报名称", "没有找到", false);
        return;
    };
    c.push(
        "简报 报头名称（红色小标宋、大于2号字）",
        format!(
            "“{}”，{} 红色，大于 22 pt",
            m.name,
            xiaobiaosong(&expect.faces)
        ),
        format!(
            "“{}” {:.1} pt {} {}",
            name.text, name.size_pt, name.family, name.weight
        ),
        name.text.replace(' ', "") == m.name.replace(' ', "")
            && is_red(name)
            && name.size_pt > 22.0
            && is_xiaobiaosong(name, &expect.faces),
    );
    c.near(
        "简报 报头名称居中",
        "名称中线",
        LEFT + AREA.0 / 2.0,
        (name.x + name.right()) / 2.0,
        1.0,
    );
    let below = |t: &&TextRun| t.baseline > name.baseline && (t.size_pt - BODY_PT).abs() < 0.1;
    if let Some(issue) = &m.issue {
        match first
            .texts
            .iter()
            .filter(below)
            .find(|t| t.text.trim() == issue)
        {
            Some(t) => c.near(
                "简报 期号居中于名称之下",
                "期号中线",
                LEFT + AREA.0 / 2.0,
                (t.x + t.right()) / 2.0,
                0.5,
            ),
            None => c.push("简报 期号", issue.clone(), "名称下没有找到", false),
        }
    }
    let date = first
        .texts
        .iter()
        .filter(below)
        .find(|t| t.text.trim() == m.date);
    // The 编印单位 may wrap: its runs are the ones whose text is part of it, first to last.
    let unit_runs: Vec<&TextRun> = m
        .unit
        .as_ref()
        .map(|u| {
            first
                .texts
                .iter()
                .filter(below)
                .filter(|t| !t.text.trim().is_empty() && u.contains(t.text.trim()))
                .filter(|t| date.is_none_or(|d| t.baseline <= d.baseline + 0.5))
                .collect()
        })
        .unwrap_or_default();
    match date {
        Some(d) => {
            c.near("简报 日期居右", "日期右边", LEFT + AREA.0, d.right(), 0.3);
            if let (Some(u), Some(last)) = (unit_runs.first(), unit_runs.last()) {
                c.near("简报 编印单位居左", "编印单位左边", LEFT, u.x, 0.3);
                c.push(
                    "简报 编印单位与日期同行",
                    "日期与编印单位（末行）同一基线",
                    format!("相差 {:.2} mm", (last.baseline - d.baseline).abs()),
                    (last.baseline - d.baseline).abs() < 0.3,
                );
            }
            let rule = first
                .rules
                .iter()
                .filter(|r| {
                    r.y > d.baseline
                        && r.paint.as_ref().is_some_and(|p| {
                            let k = p.to_cmyk();
                            (k.m - 0.8).abs() < 0.05 && (k.y - 0.8).abs() < 0.05
                        })
                })
                .min_by(|a, b| a.y.total_cmp(&b.y));
            match rule {
                Some(r) => {
                    c.near(
                        "简报 报头红线与版心等宽",
                        "红线长度",
                        AREA.0,
                        r.length(),
                        TOL,
                    );
                    c.near("简报 报头红线左端", "红线左端", LEFT, r.x1, TOL);
                    let body_top = body_lines(first)
                        .into_iter()
                        .filter(|l| l[0].baseline > r.y)
                        .map(|l| em_top(l[0]))
                        .fold(f64::NAN, f64::min);
                    let title_top = first
                        .texts
                        .iter()
                        .filter(|t| t.baseline > r.y && !t.text.trim().is_empty())
                        .map(em_top)
                        .fold(f64::NAN, f64::min);
                    let under = title_top.min(body_top);
                    c.push(
                        "简报 报头红线在报头与正文之间",
                        "红线在日期之下、正文之上",
                        format!("红线 {:.2} mm，其下第一行上边 {:.2} mm", r.y, under),
                        under.is_finite() && under > r.y + r.thickness / 2.0,
                    );
                }
                None => c.push("简报 报头红线", "日期之下有红色横线", "没有找到", false),
            }
        }
        None => c.push("简报 报头日期", m.date.clone(), "名称下没有找到", false),
    }
}

/// Landscape appendix pages (§8): every page turned the same way, so the table's head (its
/// header, repeated on every page) stands at the sheet's left edge — the 订口 of an odd page,
/// the 切口 of an even one; the table's type never below 五号 (10.5 pt).
fn landscape_tables(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    let turned: Vec<&PageMeasure> = pages.iter().filter(|p| p.turned).collect();
    if turned.is_empty() {
        return;
    }
    let mut wrong = Vec::new();
    for p in &turned {
        let cells: Vec<&TextRun> = p
            .texts
            .iter()
            .filter(|t| !is_page_number(t) && !t.text.trim().is_empty() && t.size_pt < 17.0)
            .filter(|t| !t.text.starts_with("附件"))
            .collect();
        let head: Vec<&TextRun> = cells
            .iter()
            .copied()
            .filter(|t| role_ok(&t.family, &expect.faces.hei, &expect.faces))
            .collect();
        let body: Vec<&TextRun> = cells
            .iter()
            .copied()
            .filter(|t| !role_ok(&t.family, &expect.faces.hei, &expect.faces))
            .collect();
        if head.is_empty() {
            wrong.push(format!("第{}页没有表头", p.number));
            continue;
        }
        let head_right = head.iter().map(|t| t.x).fold(f64::MIN, f64::max);
        let body_left = body.iter().map(|t| t.x).fold(f64::MAX, f64::min);
        if !body.is_empty() && head_right >= body_left {
            wrong.push(format!(
                "第{}页表头不在纸张左边（表头 {head_right:.1} mm，表身 {body_left:.1} mm）",
                p.number
            ));
        }
        if let Some(small) = cells.iter().find(|t| t.size_pt < 10.5 - 0.01) {
            wrong.push(format!(
                "第{}页“{}”只有 {:.1} pt",
                p.number,
                small.text.chars().take(6).collect::<String>(),
                small.size_pt
            ));
        }
    }
    c.push(
        "8 横排表格（表头在每页重复并朝订口/切口一边，字号不小于五号）",
        "每个横排页的表头都在纸张左边（单页订口、双页切口），10.5 pt 以上",
        if wrong.is_empty() {
            format!("{} 个横排页全部符合", turned.len())
        } else {
            wrong.join("；")
        },
        wrong.is_empty(),
    );
}
