//! The document's body in WordprocessingML: the blocks laid out again as paragraphs, tables and
//! sections, each paragraph in its named style and every run naming its faces.

mod head;
mod table;
mod xml;

use super::blocks::{Block, Kind, Piece, Signature, Text, plain};
use super::units::{mm, twips};
use super::{Setup, escape};
use crate::conformance::{AREA, BODY_PT, LEFT, PAPER, PT, TOP, char_pitch, pitch};
use crate::fonts::Role;
use crate::measure::PageMeasure;
pub(crate) use xml::in_schema_order;
use xml::{document_xml, header_xml, page_break, para, seal_drawing, spacing_before};

/// What the body needs beside it in the package.
pub(crate) struct Written {
    /// `word/document.xml`.
    pub document: String,
    /// Whether the seal image is used.
    pub seal: bool,
    /// A 信函's first-page header (`word/header1.xml`), holding its 标志 and upper double rule.
    pub first_header: Option<String>,
}

/// The red of the 发文机关标志 and the rules: CMYK Y80 M80 as RGB.
pub(crate) const RED: &str = "FF3333";

/// Where LibreOffice sets the baseline in a line of exact height: this share of the height
/// below the line's top (Word sets it a little lower, with the descent at the line's foot).
const ASCENT: f64 = 0.8;

/// A 3号 character's em box: its top this share of the size above the baseline (as in the PDF).
const EM_TOP: f64 = 0.88;

/// Points from the page's text-area top (the top margin) to the 版心 top: where the em box of a
/// body line's text begins in a line one pitch high.
pub(crate) fn lead() -> f64 {
    ASCENT * pitch_pt() - EM_TOP * BODY_PT
}

/// Points below the text-area top of a position `y` mm from the paper top.
fn below_top(y: f64) -> f64 {
    (y - TOP) / PT + lead()
}

/// The baseline of the body line on grid slot `n`, points below the text-area top.
fn slot(n: usize) -> f64 {
    (n as f64 + ASCENT) * pitch_pt()
}

/// Where a page's header starts, mm from the paper's top.
const HEADER: f64 = 10.0;

/// A tab, in a run.
const TAB: &str = "<w:r><w:tab/></w:r>";

/// The line pitch in points.
pub(crate) fn pitch_pt() -> f64 {
    pitch() / PT
}

/// The character pitch in points.
pub(crate) fn char_pt() -> f64 {
    char_pitch() / PT
}

/// Writes the body of `blocks`; `first` is the PDF's first page as measured.
pub(crate) fn write(
    blocks: &[Block],
    body_end: Option<(usize, f64)>,
    setup: &Setup,
    first: Option<&PageMeasure>,
) -> Written {
    let mut w = Writer {
        setup,
        out: String::new(),
        landscape: false,
        letter: false,
        seal: false,
        sections: 0,
        first,
        y: 0.0,
        numbered: true,
        origin: 0.0,
        first_header: None,
    };
    for block in blocks {
        match &block.kind {
            Kind::Head(head) => w.head(head),
            // An empty paragraph takes no room in the PDF either.
            Kind::Paragraph { text, .. } if plain(text).trim().is_empty() => {}
            Kind::Paragraph { text, align } => w.paragraph(text, align.as_deref()),
            Kind::Heading {
                level,
                number,
                title,
                run_in,
            } => w.heading(*level, number, title, run_in.as_ref()),
            Kind::Blank(n) => {
                for _ in 0..*n {
                    w.out.push_str(&para("Normal", "", ""));
                }
            }
            Kind::Attachments(names) => w.attachments(names),
            Kind::Signature(s) => w.signature(s),
            Kind::Note(text) => {
                let mut t = vec![piece("（")];
                t.extend(text.iter().cloned());
                t.push(piece("）"));
                w.paragraph(&t, None);
            }
            Kind::Attachment {
                number,
                title,
                landscape,
            } => w.attachment(number.as_deref(), title, *landscape),
            Kind::Table(t) => w.table(t),
            Kind::End(end) => w.end(end, (block.page, block.y), body_end),
            Kind::Column { text, gap } => {
                let mut t = vec![piece("【")];
                t.extend(text.iter().cloned());
                t.push(piece("】"));
                w.blank_lines(*gap);
                w.out
                    .push_str(&para("Column", "", &w.runs(&t, Role::Hei, "")));
            }
            Kind::Article { title, gap } => {
                w.blank_lines(*gap);
                w.title(title, "");
            }
            Kind::Enclosure(lines) => {
                w.out.push_str(&page_break());
                w.title(lines, &spacing_before(pitch_pt()));
                w.out.push_str(&para("Normal", "", ""));
            }
        }
    }
    let last = w.sect_pr();
    w.out.push_str(&last);
    Written {
        document: document_xml(&w.out),
        seal: w.seal,
        first_header: w.first_header.map(|h| header_xml(&h)),
    }
}

struct Writer<'a> {
    setup: &'a Setup<'a>,
    out: String,
    landscape: bool,
    letter: bool,
    seal: bool,
    sections: usize,
    first: Option<&'a PageMeasure>,
    /// Points below the text-area top reached by the 版头 so far.
    y: f64,
    /// Whether the current section's pages carry page numbers.
    numbered: bool,
    /// Points from the text-area top to where the paragraphs being written start (the first
    /// page's header, for a 信函's 标志).
    origin: f64,
    /// A 信函's first-page header: its 标志 and upper double rule.
    first_header: Option<String>,
}

fn piece(s: &str) -> Piece {
    Piece::Text {
        text: s.to_string(),
        bold: false,
    }
}

impl Writer<'_> {
    fn face(&self, role: Role) -> &str {
        self.setup.shared.faces.name(role)
    }

    /// Runs of `text` in `role`'s face, with `rpr` added to every run's properties.
    fn runs(&self, text: &Text, role: Role, rpr: &str) -> String {
        let f = escape(self.face(role)).into_owned();
        let fonts = format!(
            r#"<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}" w:hint="eastAsia"/>"#
        );
        let mut out = String::new();
        for p in text {
            match p {
                Piece::Text { text, bold } => {
                    let b = if *bold { "<w:b/><w:bCs/>" } else { "" };
                    out.push_str(&format!(
                        r#"<w:r><w:rPr>{fonts}{b}{rpr}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
                        escape(text)
                    ));
                }
                Piece::Break => {
                    out.push_str(&format!(r#"<w:r><w:rPr>{fonts}{rpr}</w:rPr><w:br/></w:r>"#))
                }
            }
        }
        out
    }

    fn paragraph(&mut self, text: &Text, align: Option<&str>) {
        let ppr = match align {
            Some(a) if a.contains("right") || a.contains("end") => {
                r#"<w:ind w:firstLine="0"/><w:jc w:val="right"/>"#
            }
            Some(a) if a.contains("center") => r#"<w:ind w:firstLine="0"/><w:jc w:val="center"/>"#,
            _ => "",
        };
        let r = self.runs(text, Role::FangSong, "");
        self.out.push_str(&para("Normal", ppr, &r));
    }

    fn heading(&mut self, level: u8, number: &str, title: &Text, run_in: Option<&Text>) {
        let role = match level {
            1 => Role::Hei,
            2 => Role::Kai,
            _ => Role::FangSong,
        };
        let mut head = vec![piece(number)];
        head.extend(title.iter().cloned());
        let untitled = plain(title).trim().is_empty();
        let style = if untitled {
            "Normal".to_string()
        } else {
            format!("Heading{}", level.clamp(1, 4))
        };
        let mut r = self.runs(&head, if untitled { Role::FangSong } else { role }, "");
        if let Some(body) = run_in {
            r.push_str(&self.runs(body, Role::FangSong, ""));
        }
        self.out.push_str(&para(&style, "", &r));
    }

    fn attachments(&mut self, names: &[Text]) {
        let many = names.len() > 1;
        let mut t = vec![piece("附件：")];
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                t.push(Piece::Break);
            }
            if many {
                t.push(piece(&format!("{}.", i + 1)));
            }
            t.extend(name.iter().cloned());
        }
        let r = self.runs(&t, Role::FangSong, "");
        self.out
            .push_str(&para("AttachmentNote", &spacing_before(pitch_pt()), &r));
    }

    /// `n` empty lines of the grid. Space before a paragraph is dropped at the top of a page by
    /// LibreOffice (an article's title there rose above the 版心); an empty line is kept by every
    /// reader, as the PDF keeps it.
    fn blank_lines(&mut self, n: usize) {
        for _ in 0..n {
            self.out.push_str(&para("Normal", "", ""));
        }
    }

    fn signature(&mut self, s: &Signature) {
        // The blank lines above it as empty lines (a seal anchored to the 署名's paragraph is
        // then placed from the 署名's own line in every reader).
        self.blank_lines(if s.seal.is_some() { 2 } else { 1 });
        let seal = s.seal.map(|size| (size, s.seal_centre));
        let mut first = true;
        for (text, edge) in [(&s.name, s.name_right), (&s.date, s.date_right)] {
            let Some(text) = text else { continue };
            let mut r = String::new();
            if first
                && let Some((size, centre)) = seal
                && s.seal_image
                && self.setup.shared.seal.is_some()
            {
                // The seal behind the 署名 and date, its centre at the 署名 line's top.
                let top = lead() - size / 2.0;
                r.push_str(&seal_drawing(centre - size / 2.0, top, size));
                self.seal = true;
            }
            r.push_str(&self.runs(text, Role::FangSong, ""));
            // Without a seal both lines are set from the right edge the PDF gives them (右空二字),
            // so that an edited date stays 右空二字; with one, both are centred on the seal, as
            // the PDF centres them (§7.3.5.1), two characters of slack on either side so that a
            // 署名 flush right does not wrap. Either way the two lines move together in a reader
            // whose text area is a little narrower (LibreOffice rounds its character grid to
            // whole twips and centres it), and a date that a reader sets wider stays centred.
            let ppr = match seal {
                None => format!(
                    r#"<w:ind w:left="0" w:right="{}" w:firstLine="0"/><w:jc w:val="right"/>"#,
                    twips((AREA.0 / PT - edge).max(0.0))
                ),
                Some((_, centre)) => {
                    let slack = 2.0 * char_pt();
                    let (left, right) = if 2.0 * centre > AREA.0 / PT {
                        (2.0 * centre - AREA.0 / PT - slack, -slack)
                    } else {
                        (-slack, AREA.0 / PT - 2.0 * centre - slack)
                    };
                    format!(
                        r#"<w:ind w:left="{}" w:right="{}" w:firstLine="0"/><w:jc w:val="center"/>"#,
                        twips(left),
                        twips(right)
                    )
                }
            };
            self.out.push_str(&para("Signature", &ppr, &r));
            first = false;
        }
    }

    fn attachment(&mut self, number: Option<&str>, title: &[Text], landscape: bool) {
        let label = format!("附件{}", number.unwrap_or(""));
        let new_section = landscape || self.landscape;
        if new_section {
            let sect = self.sect_pr();
            self.out
                .push_str(&format!("<w:p><w:pPr>{sect}</w:pPr></w:p>"));
            self.landscape = landscape;
        }
        let ppr = if new_section {
            ""
        } else {
            "<w:pageBreakBefore/>"
        };
        let r = self.runs(&vec![piece(&label)], Role::Hei, "");
        self.out.push_str(&para("AttachmentLabel", ppr, &r));
        self.out.push_str(&para("Normal", "", ""));
        if !title.is_empty() {
            self.title(title, "");
        }
    }

    /// A centred 2号 小标宋 title of `lines`.
    fn title(&mut self, lines: &[Text], ppr: &str) {
        let mut t = Text::new();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                t.push(Piece::Break);
            }
            t.extend(line.iter().cloned());
        }
        let r = self.runs(&t, Role::XiaoBiaoSong, "");
        self.out.push_str(&para("Title", ppr, &r));
    }

    /// The section properties that end the current section.
    fn sect_pr(&mut self) -> String {
        let first = self.sections == 0;
        self.sections += 1;
        let (w, h) = if self.landscape {
            (PAPER.1, PAPER.0)
        } else {
            PAPER
        };
        let footers = if !self.numbered {
            r#"<w:footerReference w:type="default" r:id="rIdFooterNone"/><w:footerReference w:type="even" r:id="rIdFooterNone"/>"#
        } else if self.letter && first {
            r#"<w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/><w:footerReference w:type="first" r:id="rIdFooterFirst"/>"#
        } else if self.landscape {
            r#"<w:footerReference w:type="default" r:id="rIdFooterTurnedOdd"/><w:footerReference w:type="even" r:id="rIdFooterTurnedEven"/>"#
        } else {
            r#"<w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>"#
        };
        let title_pg = if self.letter && first {
            "<w:titlePg/>"
        } else {
            ""
        };
        let footers = if self.first_header.is_some() && first {
            format!(r#"<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>{footers}"#)
        } else {
            footers.to_string()
        };
        let header = mm(HEADER);
        // The bottom margin leaves room for exactly 22 lines (less a hair, so the 22nd fits).
        let bottom = mm(PAPER.1 - TOP) + twips(lead()) - twips(22.0 * pitch_pt()) - 2;
        let right = PAPER.0 - LEFT - AREA.0;
        let (orient, margins) = if self.landscape {
            // The portrait sheet turned: 订口 at the top, 天头 at the right.
            (
                r#" w:orient="landscape""#,
                format!(
                    r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{header}" w:footer="{}" w:gutter="0"/>"#,
                    mm(LEFT) - twips(lead()),
                    mm(TOP),
                    mm(right),
                    bottom,
                    footer_distance()
                ),
            )
        } else {
            (
                "",
                format!(
                    r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{header}" w:footer="{}" w:gutter="0"/>"#,
                    mm(TOP) - twips(lead()),
                    mm(right),
                    bottom,
                    mm(LEFT),
                    footer_distance()
                ),
            )
        };
        format!(
            r#"<w:sectPr>{footers}<w:pgSz w:w="{}" w:h="{}"{orient}/>{margins}<w:pgNumType w:fmt="decimal"/>{title_pg}<w:docGrid w:type="linesAndChars" w:linePitch="{}" w:charSpace="{}"/></w:sectPr>"#,
            mm(w),
            mm(h),
            twips(pitch_pt()),
            char_space(),
        )
    }
}

/// `w:charSpace`: how much the grid's character pitch differs from the body size, in 1/4096
/// of a point.
pub(crate) fn char_space() -> i64 {
    ((char_pt() - BODY_PT) * 4096.0).round() as i64
}

/// The footers' distance from the paper's foot: 20 mm, where a 信函's lower double rule has its
/// lower edge. A footer's content ends there and grows upward (LibreOffice, measured; Word by
/// its definition of the distance).
pub(crate) fn footer_distance() -> i64 {
    mm(FOOTER_FOOT)
}

/// Where every footer ends, in millimetres above the paper's foot.
const FOOTER_FOOT: f64 = 20.0;

/// How far a page number's line stands above the footers' foot, in points: its dash 7 mm below
/// the 版心. (An empty line of that height under the number holds it there; LibreOffice drops
/// the space after a footer's last paragraph.)
pub(crate) fn number_lift() -> f64 {
    // The line's text sits at its foot.
    (PAPER.1 - number_baseline() - 0.2 * NUMBER_PT * PT - FOOTER_FOOT) / PT
}

/// A page number's size, points (4号); it stands one character of that size in from the 版心's
/// side (单页右空一字、双页左空一字).
pub(crate) const NUMBER_PT: f64 = 14.0;

/// A page number's baseline, millimetres from the (portrait) paper's top: its dash's top, about
/// 0.3 em above the baseline, 7 mm below the 版心.
pub(crate) fn number_baseline() -> f64 {
    TOP + AREA.1 + 7.0 + 0.3 * NUMBER_PT * PT
}
