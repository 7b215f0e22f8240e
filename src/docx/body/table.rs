//! Tables: an appendix register (its cells placed on the grid as Typst places them, header rows
//! repeated, merges kept) and the 版记 (its rows between rules, its last rule on the 版心's
//! bottom edge).

use super::xml::{exact, para};
use super::{Writer, below_top, lead, piece, pitch_pt};
use crate::conformance::{AREA, BODY_PT, PT};
use crate::docx::blocks::{Cell, EndMatter, Table};
use crate::docx::parts::{END_PT, TRACKING};
use crate::docx::units::{half_points, mm, twips};
use crate::fonts::Role;

impl Writer<'_> {
    pub(super) fn table(&mut self, t: &Table) {
        let cols = t.widths.len().max(1);
        let header = lay_cells(&t.header, cols);
        let body = lay_cells(&t.cells, cols);
        let size = half_points(t.size);
        let mut x = String::new();
        x.push_str(&format!(
            r#"<w:tbl><w:tblPr><w:tblW w:w="{}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{m}" w:type="dxa"/><w:right w:w="{m}" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>"#,
            t.widths.iter().map(|w| twips(*w)).sum::<i64>(),
            ["top", "left", "bottom", "right", "insideH", "insideV"]
                .iter()
                .map(|s| format!(r#"<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#))
                .collect::<String>(),
            m = twips(0.4 * t.size),
        ));
        for w in &t.widths {
            x.push_str(&format!(r#"<w:gridCol w:w="{}"/>"#, twips(*w)));
        }
        x.push_str("</w:tblGrid>");
        for (rows, head) in [(&header, true), (&body, false)] {
            for r in 0..rows.height {
                let trpr = if head {
                    "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
                } else {
                    "<w:trPr><w:cantSplit/></w:trPr>"
                };
                x.push_str(&format!("<w:tr>{trpr}"));
                let mut c = 0;
                while c < cols {
                    let width: f64;
                    let span;
                    let inner;
                    match rows.at(r, c) {
                        Slot::Origin(cell) => {
                            span = cell.span;
                            width = t.widths[c..(c + span.0).min(cols)].iter().sum();
                            let merge = if span.1 > 1 {
                                r#"<w:vMerge w:val="restart"/>"#
                            } else {
                                ""
                            };
                            let (style, role) = if head {
                                ("TableHead", Role::Hei)
                            } else {
                                ("TableText", Role::FangSong)
                            };
                            let jc = if cell.centred { "center" } else { "left" };
                            // The header's first row repeats at the top of every page, which
                            // is the grid's text-area top, `lead` above the 版心: its text
                            // starts that much lower, in the 版心.
                            let before = if head && r == 0 {
                                format!(r#"<w:spacing w:before="{}"/>"#, twips(lead()))
                            } else {
                                String::new()
                            };
                            let sz = format!(r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#);
                            let runs = self.runs(&cell.text, role, &sz);
                            inner = (
                                merge.to_string(),
                                para(style, &format!(r#"{before}<w:jc w:val="{jc}"/>"#), &runs),
                            );
                        }
                        Slot::Covered(cell) => {
                            span = cell.span;
                            width = t.widths[c..(c + span.0).min(cols)].iter().sum();
                            inner = (
                                r#"<w:vMerge/>"#.to_string(),
                                para(if head { "TableHead" } else { "TableText" }, "", ""),
                            );
                        }
                        Slot::Empty => {
                            span = (1, 1);
                            width = t.widths[c];
                            inner = (String::new(), para("TableText", "", ""));
                        }
                    }
                    let grid = if span.0 > 1 {
                        format!(r#"<w:gridSpan w:val="{}"/>"#, span.0)
                    } else {
                        String::new()
                    };
                    x.push_str(&format!(
                        r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/>{grid}{}<w:vAlign w:val="center"/></w:tcPr>{}</w:tc>"#,
                        twips(width),
                        inner.0,
                        inner.1
                    ));
                    c += span.0.max(1);
                }
                x.push_str("</w:tr>");
            }
        }
        x.push_str("</w:tbl>");
        self.out.push_str(&x);
        self.out.push_str(&para("TableText", "", ""));
    }

    /// The 版记 (or 报送) on the page the PDF has it, its last rule on the 版心's bottom edge:
    /// `at` is where it starts in the PDF (page, mm from the top), `stop` where the body ends.
    /// On a page of its own (after a blank page, perhaps), it starts a section whose pages carry
    /// no number (§7.5).
    pub(super) fn end(&mut self, end: &EndMatter, at: (usize, f64), stop: Option<(usize, f64)>) {
        let (page, y) = at;
        let (stop_page, stop_y) = stop.unwrap_or(at);
        let breaks = page.saturating_sub(stop_page);
        // After a landscape register the 版记 is on a page of its own too: the register's
        // section ends, and the 版记's section begins on a new page.
        // The space above it, as a paragraph of that exact height.
        let space = if breaks > 0 || self.landscape {
            let sect = self.sect_pr();
            self.out
                .push_str(&format!("<w:p><w:pPr>{sect}</w:pPr></w:p>"));
            self.landscape = false;
            self.numbered = false;
            if breaks > 1 {
                // The blank page before an even 版记 page.
                self.out.push_str(&para("Normal", "", ""));
            }
            below_top(y)
        } else {
            // The PDF's body ends at its last line's text (a 16 pt box); the DOCX's at the foot
            // of that line's box, one pitch from its top, `lead` above the text.
            (y - stop_y) / PT - (pitch_pt() - lead() - BODY_PT)
        };
        let page_break = if breaks > 1 {
            "<w:pageBreakBefore/>"
        } else {
            ""
        };
        if space > 0.5 || breaks > 1 {
            self.out.push_str(&para(
                "EndMatter",
                &format!("{page_break}{}", exact(space.max(1.0))),
                "",
            ));
        }
        let outer = if end.letter { "nil" } else { "single" };
        let thick = 8; // 0.35 mm ≈ 1 pt, in eighths of a point
        let thin = 6; // 0.25 mm ≈ 0.75 pt
        let mut x = format!(
            r#"<w:tbl><w:tblPr><w:tblW w:w="{w}" w:type="dxa"/><w:tblBorders><w:top w:val="{outer}" w:sz="{thick}" w:space="0" w:color="000000"/><w:left w:val="nil"/><w:bottom w:val="{outer}" w:sz="{thick}" w:space="0" w:color="000000"/><w:right w:val="nil"/><w:insideH w:val="{outer}" w:sz="{thin}" w:space="0" w:color="000000"/><w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid><w:gridCol w:w="{w}"/></w:tblGrid>"#,
            w = mm(AREA.0),
        );
        let row = |content: String| {
            format!(
                r#"<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/></w:tcPr>{content}</w:tc></w:tr>"#,
                mm(AREA.0)
            )
        };
        for (label, text) in &end.rows {
            let label = format!("{label}：");
            // Wrapped lines align after the colon (§7.4.2): hung by the label's width, its
            // characters tracked as the style tracks them.
            let n = label.chars().count() as f64;
            let hang = n * END_PT + (n - 1.0) * TRACKING;
            let ppr = format!(
                r#"<w:ind w:left="{}" w:hanging="{}"/>"#,
                twips(END_PT + hang),
                twips(hang)
            );
            let mut t = vec![piece(&label)];
            t.extend(text.iter().cloned());
            let r = self.runs(&t, Role::FangSong, "");
            x.push_str(&row(para("EndMatter", &ppr, &r)));
        }
        if let Some((org, date)) = &end.issued {
            let mut r = self.runs(org, Role::FangSong, "");
            r.push_str("<w:r><w:tab/></w:r>");
            r.push_str(&self.runs(date, Role::FangSong, ""));
            let tabs = format!(
                r#"<w:tabs><w:tab w:val="right" w:pos="{}"/></w:tabs>"#,
                mm(AREA.0) - twips(END_PT)
            );
            x.push_str(&row(para("EndMatter", &tabs, &r)));
        }
        x.push_str("</w:tbl>");
        self.out.push_str(&x);
        // A paragraph must follow a table; as small as a paragraph can be.
        self.out.push_str(&para("EndMatter", &exact(1.0), ""));
    }
}

/// Cells placed on a grid as Typst places them: row by row, each in the first free slot wide
/// enough for it.
struct Grid<'a> {
    height: usize,
    slots: Vec<Vec<Slot<'a>>>,
}

#[derive(Clone, Copy)]
enum Slot<'a> {
    Empty,
    Origin(&'a Cell),
    Covered(&'a Cell),
}

impl<'a> Grid<'a> {
    pub(super) fn at(&self, r: usize, c: usize) -> Slot<'a> {
        self.slots
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(Slot::Empty)
    }
}

fn lay_cells(cells: &[Cell], cols: usize) -> Grid<'_> {
    let mut slots: Vec<Vec<Slot>> = Vec::new();
    let free = |slots: &Vec<Vec<Slot>>, r: usize, c: usize| {
        !matches!(
            slots.get(r).and_then(|row| row.get(c)),
            Some(Slot::Origin(_) | Slot::Covered(_))
        )
    };
    let (mut r, mut c) = (0usize, 0usize);
    for cell in cells {
        let (cs, rs) = (cell.span.0.clamp(1, cols), cell.span.1.max(1));
        loop {
            if c + cs > cols {
                r += 1;
                c = 0;
                continue;
            }
            if (0..cs).all(|k| free(&slots, r, c + k)) {
                break;
            }
            c += 1;
        }
        for dr in 0..rs {
            while slots.len() <= r + dr {
                slots.push(vec![Slot::Empty; cols]);
            }
            for dc in 0..cs {
                slots[r + dr][c + dc] = if dr == 0 && dc == 0 {
                    Slot::Origin(cell)
                } else if dc == 0 {
                    Slot::Covered(cell)
                } else {
                    // Covered by the same cell's span to the left: skipped by its gridSpan.
                    Slot::Covered(cell)
                };
            }
        }
        c += cs;
    }
    Grid {
        height: slots.len(),
        slots,
    }
}
