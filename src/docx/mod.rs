//! DOCX: an editable Word file beside every PDF, from the same laid-out document.
//!
//! The style library marks every block it lays out (see `blocks`); this module reads those
//! marks from the compiled document and writes WordprocessingML laid out to GB/T 9704 in its
//! own terms: A4 with the 版心 of the PDF, a document grid of 22 lines × 28 characters, named
//! paragraph styles that carry the faces and indents (the four heading levels are Word's
//! built-in headings, so the navigation pane shows the outline), tables with repeated header
//! rows and merged cells, landscape sections for wide registers, page numbers in odd and even
//! footers, the 版记 at the foot of its page. Same input, same bytes: the zip's times and the
//! core properties come from the 成文日期.

mod blocks;
mod body;
mod package;
mod parts;

use chrono::NaiveDate;
use typst_layout::PagedDocument;

use crate::fonts::{FontSet, Role};
use crate::measure::PageMeasure;

/// The faces a DOCX names, by role: the face the PDF used when it is the official one,
/// otherwise the official face's name (what WPS, Word and LibreOffice then substitute is in
/// the README).
#[derive(Debug, Clone)]
pub(crate) struct Faces {
    names: [String; 5],
}

impl Faces {
    /// The faces of `fonts`' choices.
    pub(crate) fn of(fonts: &FontSet) -> Faces {
        Faces {
            names: Role::ALL.map(|role| {
                let choice = fonts.choice(role);
                if choice.official {
                    choice.family.clone()
                } else {
                    role.office_name().to_string()
                }
            }),
        }
    }

    /// The name of `role`'s face.
    pub(crate) fn name(&self, role: Role) -> &str {
        let i = Role::ALL.iter().position(|r| *r == role).unwrap_or(0);
        &self.names[i]
    }
}

/// What every DOCX of a run shares, read once per run: the faces by role and the seal image.
pub(crate) struct Shared {
    /// Faces by role.
    pub faces: Faces,
    /// The seal image (PNG), when the project has one.
    pub seal: Option<Vec<u8>>,
}

impl Shared {
    /// The faces of `fonts` and the seal image of `project`.
    pub(crate) fn load(project: &crate::project::Project, fonts: &FontSet) -> Shared {
        Shared {
            faces: Faces::of(fonts),
            seal: project.seal_image().and_then(|p| std::fs::read(p).ok()),
        }
    }
}

/// What a DOCX needs besides the laid-out document.
pub(crate) struct Setup<'a> {
    /// The run's faces and seal.
    pub shared: &'a Shared,
    /// The document's title (core properties).
    pub title: &'a str,
    /// 成文日期: the times inside the package.
    pub date: NaiveDate,
}

/// The DOCX of a laid-out document; `first` is its first page as measured (the 版头 is placed
/// where the PDF has it).
pub(crate) fn make(
    document: &PagedDocument,
    first: Option<&PageMeasure>,
    setup: &Setup,
) -> anyhow::Result<Vec<u8>> {
    let blocks = blocks::blocks(document);
    let written = body::write(&blocks, blocks::body_end(document), setup, first);
    package::zip(&written, setup)
}

/// Lengths in the units WordprocessingML uses.
mod units {
    /// Twentieths of a point from points.
    pub(crate) fn twips(pt: f64) -> i64 {
        (pt * 20.0).round() as i64
    }

    /// Twentieths of a point from millimetres.
    pub(crate) fn mm(mm: f64) -> i64 {
        twips(mm / 25.4 * 72.0)
    }

    /// English metric units (drawings) from points.
    pub(crate) fn emu(pt: f64) -> i64 {
        (pt * 12700.0).round() as i64
    }

    /// Half-points (font sizes) from points.
    pub(crate) fn half_points(pt: f64) -> i64 {
        (pt * 2.0).round() as i64
    }
}

/// Text escaped for XML.
fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}
