//! Conformance: GB/T 9704-2012 clause by clause, checked on the laid-out pages.
//!
//! [`check`] reads the measurements of [`crate::measure`] and says, for each clause, what the
//! standard asks, what was measured and whether it agrees. The build runs it on every document
//! and reports disagreements; the tests require every clause to pass on every sample. The clause
//! table with its values is `docs/conformance.md`.

mod body;
mod end;
mod head;
mod page;

use body::{attachments, body, is_heading, landscape_tables, signature};
use end::{end_matter, page_numbers};
use head::{header, masthead};
use page::{area, body_lines, grid, paper, portrait};

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
        let date = crate::date::format(info.date);
        let bulletin = format == Format::Bulletin;
        Expect {
            format,
            faces,
            doc_number: info
                .get(crate::contract::key(crate::contract::KeyId::DocNumber))
                .map(str::to_string),
            signature: (!bulletin).then(|| info.signature()),
            date: (!bulletin).then(|| date.clone()),
            seal: info.seal,
            marks: info.header_marks(),
            note: info
                .get(crate::contract::key(crate::contract::KeyId::Note))
                .map(str::to_string),
            masthead: bulletin.then(|| Masthead {
                name: info
                    .get(crate::contract::key(crate::contract::KeyId::BulletinName))
                    .unwrap_or(&info.title)
                    .to_string(),
                issue: info
                    .get(crate::contract::key(crate::contract::KeyId::BulletinNumber))
                    .map(str::to_string),
                unit: info
                    .get(crate::contract::key(crate::contract::KeyId::Editor))
                    .map(str::to_string),
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
    /// Whether they agree, or nothing could be measured.
    pub verdict: Verdict,
}

/// What a clause's measurement found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The layout meets the clause.
    Pass,
    /// The layout misses it.
    Fail,
    /// Nothing on the pages let it be measured (a clause about full lines on a document without
    /// one): neither passed nor failed, and said so.
    Unmeasured,
}

impl Finding {
    /// Whether the layout misses the clause.
    pub fn failed(&self) -> bool {
        self.verdict == Verdict::Fail
    }
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
            verdict: if ok { Verdict::Pass } else { Verdict::Fail },
        });
    }

    /// Records that nothing on the pages let `clause` be measured, and why.
    fn unmeasured(
        &mut self,
        clause: &'static str,
        expected: impl Into<String>,
        why: impl Into<String>,
    ) {
        self.findings.push(Finding {
            clause,
            expected: expected.into(),
            measured: why.into(),
            verdict: Verdict::Unmeasured,
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

/// The 发文机关标志 (or a 简报's name): the largest red text on page 1 or, when nothing on it is
/// red, the largest text in another colour than black — so that a 标志 in the wrong red is found
/// and fails the colour clause, instead of being reported missing.
fn mark(page: &PageMeasure) -> Option<&TextRun> {
    let largest = |keep: fn(&TextRun) -> bool| {
        page.texts
            .iter()
            .filter(|t| keep(t))
            .max_by(|a, b| a.size_pt.total_cmp(&b.size_pt))
    };
    largest(is_red).or_else(|| largest(is_coloured))
}

/// Whether a run is printed in a colour, not black.
fn is_coloured(t: &TextRun) -> bool {
    t.fill.as_ref().is_some_and(|c| !is_black(c))
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

/// Synthetic measured pages and documents for the clauses' unit tests.
#[cfg(test)]
pub(super) mod synthetic;

#[cfg(test)]
mod tests;
