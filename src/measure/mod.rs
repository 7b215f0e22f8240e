//! Measure: where everything landed on the laid-out pages, in millimetres from the paper's
//! top-left corner.
//!
//! This walks Typst's frames after layout, so checks read the document exactly as it will be
//! printed: text runs with their baseline, ink extent, size, face and colour, and rules (lines and
//! thin filled rectangles) with their position, length, thickness and colour. The GB/T 9704
//! conformance tests are written against it.
//!
//! [`measure_pdf`] measures a PDF file into the same pages (the PDF that LibreOffice makes of a
//! DOCX, say), so the same checks run on it.

use std::collections::HashMap;
use std::sync::Mutex;

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::text::{FontInstance, TextItem};
use typst::visualize::{Color, Geometry, Paint, Shape};
use typst_layout::PagedDocument;

mod pdf;

pub use pdf::{PdfReading, measure_pdf, measure_pdf_with};

/// A run of text on a page.
#[derive(Debug, Clone)]
pub struct TextRun {
    /// Left edge of the run.
    pub x: f64,
    /// Baseline.
    pub baseline: f64,
    /// Top of the highest glyph's ink.
    pub ink_top: f64,
    /// Bottom of the lowest glyph's ink.
    pub ink_bottom: f64,
    /// Advance width of the run.
    pub width: f64,
    /// Right edge of the ink of its glyphs (a line-end comma's ink ends well before its box).
    pub ink_right: f64,
    /// Font size in points.
    pub size_pt: f64,
    /// The face's family as Typst names it.
    pub family: String,
    /// The face's weight (400 regular, 700 bold).
    pub weight: u16,
    /// Whether the glyphs are stroked (synthetic bold).
    pub stroked: bool,
    /// The glyph colour.
    pub fill: Option<Color>,
    /// The text.
    pub text: String,
    /// Each glyph's character, left edge and ink top (the top of its outline).
    pub glyphs: Vec<GlyphBox>,
}

/// One glyph's place.
#[derive(Debug, Clone, Copy)]
pub struct GlyphBox {
    /// The first character the glyph shows.
    pub ch: char,
    /// Left edge of its advance.
    pub x: f64,
    /// Top of its ink.
    pub ink_top: f64,
}

impl TextRun {
    /// Right edge of the run.
    pub fn right(&self) -> f64 {
        self.x + self.width
    }
}

/// A straight horizontal or vertical rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Left (or top) end.
    pub x1: f64,
    /// Vertical position of its centre line.
    pub y: f64,
    /// Right end.
    pub x2: f64,
    /// Bottom end (equal to `y` for horizontal rules).
    pub y2: f64,
    /// Thickness.
    pub thickness: f64,
    /// Colour.
    pub paint: Option<Color>,
}

impl Rule {
    /// Length along its direction.
    pub fn length(&self) -> f64 {
        (self.x2 - self.x1).abs().max((self.y2 - self.y).abs())
    }

    /// Whether it runs left to right.
    pub fn is_horizontal(&self) -> bool {
        (self.y2 - self.y).abs() < 0.01
    }
}

/// One page's contents.
#[derive(Debug, Clone, Default)]
pub struct PageMeasure {
    /// Physical page number, from 1.
    pub number: usize,
    /// Paper width.
    pub width: f64,
    /// Paper height.
    pub height: f64,
    /// Text runs in layout order.
    pub texts: Vec<TextRun>,
    /// Rules.
    pub rules: Vec<Rule>,
    /// Images (a seal, say): left, top, width, height.
    pub images: Vec<[f64; 4]>,
    /// Whether the page is a landscape page turned onto a portrait sheet (see
    /// [`crate::compile::turn`]); its text runs at right angles to the sheet.
    pub turned: bool,
}

impl PageMeasure {
    /// Text lines: runs grouped by baseline (within 0.5 mm), top to bottom, each line's runs left
    /// to right.
    pub fn lines(&self) -> Vec<Vec<&TextRun>> {
        let mut runs: Vec<&TextRun> = self
            .texts
            .iter()
            .filter(|t| !t.text.trim().is_empty())
            .collect();
        runs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
        let mut lines: Vec<Vec<&TextRun>> = Vec::new();
        for run in runs {
            match lines.last_mut() {
                Some(line) if (line[0].baseline - run.baseline).abs() < 0.5 => line.push(run),
                _ => lines.push(vec![run]),
            }
        }
        lines
    }
}

fn mm(a: Abs) -> f64 {
    a.to_mm()
}

/// Measures every page of a laid-out document.
pub fn measure(doc: &PagedDocument) -> Vec<PageMeasure> {
    measure_with(doc, &Boxes::default())
}

/// [`measure`], with glyph boxes kept in `boxes` across documents (a run's letters share them).
pub fn measure_with(doc: &PagedDocument, boxes: &Boxes) -> Vec<PageMeasure> {
    doc.pages()
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let mut m = PageMeasure {
                number: i + 1,
                width: mm(page.frame.width()),
                height: mm(page.frame.height()),
                turned: crate::compile::is_turned(&page.frame),
                ..Default::default()
            };
            walk(&page.frame, Transform::identity(), &mut m, boxes);
            m
        })
        .collect()
}

/// Glyph bounding boxes already read: a CFF glyph's box means interpreting its outline, and the
/// letters of a batch print the same few hundred glyphs many times. Kept per font instance
/// (compared by font and variations, not by address) and glyph.
#[derive(Default)]
pub struct Boxes(Mutex<HashMap<FontInstance, HashMap<u16, Option<ttf_parser::Rect>>>>);

impl Boxes {
    /// The boxes of `glyphs` of `font`, read once each.
    fn of(&self, font: &FontInstance, glyphs: &[u16]) -> Vec<Option<ttf_parser::Rect>> {
        let mut all = self.0.lock().expect("the glyph boxes");
        if !all.contains_key(font) {
            all.insert(font.clone(), HashMap::new());
        }
        let known = all.get_mut(font).expect("just inserted");
        glyphs
            .iter()
            .map(|&g| {
                *known
                    .entry(g)
                    .or_insert_with(|| font.ttf().glyph_bounding_box(ttf_parser_glyph(g)))
            })
            .collect()
    }
}

fn walk(frame: &Frame, ts: Transform, out: &mut PageMeasure, boxes: &Boxes) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                walk(&group.frame, inner, out, boxes);
            }
            FrameItem::Text(text) => out.texts.push(text_run(text, *pos, ts, boxes)),
            FrameItem::Image(_, size, _) => {
                let (a, b) = (pos.transform(ts), (*pos + size.to_point()).transform(ts));
                let (x, y) = (mm(a.x).min(mm(b.x)), mm(a.y).min(mm(b.y)));
                out.images
                    .push([x, y, (mm(b.x) - mm(a.x)).abs(), (mm(b.y) - mm(a.y)).abs()]);
            }
            FrameItem::Shape(shape, _) => out.rules.extend(rule(shape, *pos, ts)),
            _ => {}
        }
    }
}

/// A text item at `pos` in a frame placed by `ts`, with the ink of its glyphs.
fn text_run(text: &TextItem, pos: Point, ts: Transform, boxes: &Boxes) -> TextRun {
    let origin = pos.transform(ts);
    // The text's scale: the length of the transformed unit vector (rotation-proof).
    let scale = ts.sx.get().hypot(ts.ky.get());
    let size = text.size * scale;
    let face = text.font.font();
    let baseline = mm(origin.y);
    let ink = Ink::of(text, size, mm(origin.x), baseline, boxes);
    TextRun {
        x: mm(origin.x),
        baseline,
        ink_top: if ink.top.is_finite() {
            baseline + ink.top
        } else {
            baseline
        },
        ink_bottom: if ink.bottom.is_finite() {
            baseline + ink.bottom
        } else {
            baseline
        },
        width: mm(text.width()) * ts.sx.get(),
        ink_right: if ink.right.is_finite() {
            ink.right
        } else {
            mm(origin.x)
        },
        size_pt: size.to_pt(),
        family: face.info().family.clone(),
        weight: face.info().variant.weight.to_number(),
        stroked: text.stroke.is_some(),
        fill: solid(&text.fill),
        text: text.text.to_string(),
        glyphs: ink.glyphs,
    }
}

/// The ink of a text item's glyphs: its extent above and below the baseline (infinite when no
/// glyph has ink), the right edge of its ink, and each glyph's place.
struct Ink {
    top: f64,
    bottom: f64,
    right: f64,
    glyphs: Vec<GlyphBox>,
}

impl Ink {
    /// The ink of `text` set at `size`, its pen starting at `x` on `baseline`.
    fn of(text: &TextItem, size: Abs, x: f64, baseline: f64, boxes: &Boxes) -> Ink {
        let per_unit = size.to_mm() / text.font.units_per_em();
        let mut ink = Ink {
            top: f64::INFINITY,
            bottom: f64::NEG_INFINITY,
            right: f64::NEG_INFINITY,
            glyphs: Vec::with_capacity(text.glyphs.len()),
        };
        let mut pen = x;
        let ids: Vec<u16> = text.glyphs.iter().map(|g| g.id).collect();
        for (g, bbox) in text.glyphs.iter().zip(boxes.of(&text.font, &ids)) {
            if let Some(b) = bbox {
                ink.top = ink.top.min(-(b.y_max as f64) * per_unit);
                ink.bottom = ink.bottom.max(-(b.y_min as f64) * per_unit);
            }
            let ch = text.text[g.range.start as usize..]
                .chars()
                .next()
                .unwrap_or(' ');
            let ink_top = bbox.map_or(baseline, |b| baseline - b.y_max as f64 * per_unit);
            let x = pen + g.x_offset.at(size).to_mm();
            if let Some(b) = bbox {
                ink.right = ink.right.max(x + b.x_max as f64 * per_unit);
            }
            ink.glyphs.push(GlyphBox { ch, x, ink_top });
            pen += g.x_advance.at(size).to_mm();
        }
        ink
    }
}

/// The rule a shape at `pos` draws: a line, or a filled rectangle thinner than 2 mm.
fn rule(shape: &Shape, pos: Point, ts: Transform) -> Option<Rule> {
    let at = |p: Point| p.transform(ts);
    match &shape.geometry {
        Geometry::Line(delta) => {
            let (a, b) = (at(pos), at(pos + *delta));
            let thickness = shape.stroke.as_ref().map_or(0.0, |s| mm(s.thickness));
            let paint = shape.stroke.as_ref().and_then(|s| solid(&s.paint));
            Some(ordered(
                mm(a.x),
                mm(a.y),
                mm(b.x),
                mm(b.y),
                thickness,
                paint,
            ))
        }
        Geometry::Rect(size) if shape.fill.is_some() => {
            let (a, b) = (at(pos), at(pos + size.to_point()));
            let (w, h) = ((mm(b.x) - mm(a.x)).abs(), (mm(b.y) - mm(a.y)).abs());
            let paint = shape.fill.as_ref().and_then(solid);
            if h < 2.0 && w > h {
                let y = (mm(a.y) + mm(b.y)) / 2.0;
                Some(ordered(mm(a.x), y, mm(b.x), y, h, paint))
            } else if w < 2.0 && h > w {
                let x = (mm(a.x) + mm(b.x)) / 2.0;
                Some(ordered(x, mm(a.y), x, mm(b.y), w, paint))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn ttf_parser_glyph(id: u16) -> ttf_parser::GlyphId {
    ttf_parser::GlyphId(id)
}

fn ordered(x1: f64, y1: f64, x2: f64, y2: f64, thickness: f64, paint: Option<Color>) -> Rule {
    let (x1, x2) = if x1 <= x2 { (x1, x2) } else { (x2, x1) };
    let (y, y2) = if y1 <= y2 { (y1, y2) } else { (y2, y1) };
    Rule {
        x1,
        y,
        x2,
        y2,
        thickness,
        paint,
    }
}

fn solid(paint: &Paint) -> Option<Color> {
    match paint {
        Paint::Solid(c) => Some(c.clone()),
        _ => None,
    }
}
