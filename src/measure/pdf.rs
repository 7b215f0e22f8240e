//! Measure a PDF file: the same [`PageMeasure`]s that [`super::measure`] reads from Typst's
//! frames, read instead from the drawing operations of a PDF (Typst's own export, or the PDF that
//! LibreOffice makes of a DOCX), so the conformance clauses can be checked on either.
//!
//! hayro interprets each page into a [`Device`] that keeps every glyph (its character, origin,
//! direction, size, outline box, font and fill), every straight stroked line and thin filled
//! rectangle (rules) and every image. Glyphs are then joined into runs as Typst's text items are:
//! the same font, size, colour and stroke, on one baseline, each glyph where the one before it
//! ends (give or take spacing and justification), and — in a tagged PDF such as Typst's — inside
//! one marked-content sequence. A run's fields mean what they mean for Typst's runs: `x` and
//! `baseline` are its origin on the sheet, offsets along the text (glyph boxes, ink) are added to
//! `x` and ink heights to `baseline` as if the text were upright, and `width` is the advance
//! projected on the sheet's horizontal (zero for text turned a quarter).
//!
//! A landscape page is measured turned onto a portrait sheet as [`crate::compile`] turns Typst's
//! landscape pages; a portrait page whose text runs upwards (Typst's turned pages, exported) is
//! marked turned as it is.

use std::collections::HashMap;
use std::sync::LazyLock;

use hayro::hayro_interpret::font::{Glyph, OutlineGlyph};
use hayro::hayro_interpret::hayro_syntax::Pdf;
use hayro::hayro_interpret::hayro_syntax::object::{Name, Object};
use hayro::hayro_interpret::{
    BlendMode, CacheKey, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache,
    InterpreterSettings, Paint, PathDrawMode, SoftMask, TransformExt, interpret_page,
};
use hayro::vello_cpu::kurbo::{Affine, BezPath, PathEl, Point, Rect, Vec2};
use typst::text::{Font, FontInfo};
use typst::visualize::{Cmyk, Color, Luma, ProcessColor, Rgb};

use super::{GlyphBox, PageMeasure, Rule, TextRun};

/// Millimetres per point.
const MM: f64 = 25.4 / 72.0;

/// How [`measure_pdf_with`] reads a PDF.
#[derive(Clone, Default)]
pub struct PdfReading {
    /// Faces that name the PDF's fonts by their PostScript names, besides the faces built into
    /// gongwen: an embedded subset without a name table (a bare CFF program, a Type 1 font) takes
    /// the family and weight of the face of the same PostScript name.
    pub fonts: Vec<Font>,
    /// Join glyphs into runs by their places alone, across marked-content sequences (as an
    /// untagged PDF is read).
    pub ignore_marked_content: bool,
}

/// Measures every page of the PDF `bytes`, naming fonts by the faces built into gongwen.
///
/// # Errors
/// When the bytes are not a PDF hayro can read.
pub fn measure_pdf(bytes: &[u8]) -> anyhow::Result<Vec<PageMeasure>> {
    measure_pdf_with(bytes, &PdfReading::default())
}

/// Measures every page of the PDF `bytes` as `reading` says.
///
/// # Errors
/// When the bytes are not a PDF hayro can read.
pub fn measure_pdf_with(bytes: &[u8], reading: &PdfReading) -> anyhow::Result<Vec<PageMeasure>> {
    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| anyhow::anyhow!("PDF 无法读取（{e:?}）"))?;
    let names = Names::new(&pdf, &reading.fonts);
    let cache = InterpreterCache::new();
    let settings = InterpreterSettings::default();
    let mut faces = HashMap::new();
    let mut inks = HashMap::new();
    let mut pages = Vec::new();
    for (i, page) in pdf.pages().iter().enumerate() {
        let (w, h) = page.render_dimensions();
        let (w, h) = (f64::from(w), f64::from(h));
        let mut context = Context::new(
            page.initial_transform(true).to_kurbo(),
            Rect::new(0.0, 0.0, w, h),
            &cache,
            page.xref(),
            settings.clone(),
        );
        let mut device = Collector {
            names: &names,
            faces: &mut faces,
            inks: &mut inks,
            marked: 0,
            glyphs: Vec::new(),
            rules: Vec::new(),
            images: Vec::new(),
        };
        interpret_page(page, &mut context, &mut device);
        let drawn = Drawn {
            glyphs: device.glyphs,
            rules: device.rules,
            images: device.images,
        };
        pages.push(drawn.measure(i + 1, w, h, !reading.ignore_marked_content));
    }
    Ok(pages)
}

/// A font's family and weight, as Typst names them.
#[derive(Debug, Clone)]
struct Face {
    family: String,
    weight: u16,
}

/// What names the PDF's fonts: the base font names of its font dictionaries (by hayro's cache
/// key of the dictionary) and the known faces by PostScript name.
struct Names<'f> {
    base_fonts: HashMap<u128, String>,
    extra: HashMap<String, Face>,
    built_in: &'f HashMap<String, Face>,
}

/// The faces built into gongwen, by PostScript name.
static BUILT_IN: LazyLock<HashMap<String, Face>> = LazyLock::new(|| {
    let mut faces = HashMap::new();
    for data in crate::fonts::embedded_all() {
        for font in Font::iter(typst::foundations::Bytes::new(data)) {
            add_face(&mut faces, &font);
        }
    }
    faces
});

fn add_face(faces: &mut HashMap<String, Face>, font: &Font) {
    if let Some(name) = font.post_script_name() {
        faces.entry(name).or_insert_with(|| Face {
            family: font.info().family.clone(),
            weight: font.info().variant.weight.to_number(),
        });
    }
}

impl Names<'static> {
    fn new(pdf: &Pdf, fonts: &[Font]) -> Names<'static> {
        let mut base_fonts = HashMap::new();
        for object in pdf.objects() {
            if let Object::Dict(dict) = object
                && dict
                    .get::<Name<'_>>(b"Type".as_slice())
                    .is_some_and(|t| t.as_str() == "Font")
                && let Some(name) = dict.get::<Name<'_>>(b"BaseFont".as_slice())
            {
                base_fonts.insert(dict.cache_key(), name.as_str().to_string());
            }
        }
        let mut extra = HashMap::new();
        for font in fonts {
            add_face(&mut extra, font);
        }
        Names {
            base_fonts,
            extra,
            built_in: &BUILT_IN,
        }
    }
}

impl Names<'_> {
    /// The family and weight of the glyph's font: from the name table of the embedded font
    /// program when it has one, else from the face of its PostScript name, else from the name
    /// itself (the part before the style, 700 when it says Bold).
    fn face(&self, glyph: &OutlineGlyph) -> Face {
        let data = glyph.font_data();
        if let Some(info) = data
            .as_ref()
            .and_then(|d| FontInfo::new((*d.data).as_ref(), 0))
        {
            return Face {
                family: strip_subset(&info.family).to_string(),
                weight: info.variant.weight.to_number(),
            };
        }
        let name = data
            .as_ref()
            .and_then(|d| d.postscript_name.clone())
            .or_else(|| self.base_fonts.get(&glyph.font_cache_key()).cloned())
            .unwrap_or_default();
        let name = postscript(&name);
        if let Some(face) = self.extra.get(name).or_else(|| self.built_in.get(name)) {
            return face.clone();
        }
        let weight = data
            .as_ref()
            .and_then(|d| d.weight)
            .and_then(|w| u16::try_from(w).ok())
            .unwrap_or(if name.contains("Bold") { 700 } else { 400 });
        Face {
            family: name.split('-').next().unwrap_or(name).to_string(),
            weight,
        }
    }
}

/// A PostScript name without its subset tag (`ABCDEF+`) and without the CMap a Type 0 font's
/// base font name may end in (`-Identity-H`).
fn postscript(name: &str) -> &str {
    let name = strip_subset(name);
    name.strip_suffix("-Identity-H")
        .or_else(|| name.strip_suffix("-Identity-V"))
        .unwrap_or(name)
}

fn strip_subset(name: &str) -> &str {
    match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) => rest,
        _ => name,
    }
}

/// One glyph as drawn, in points on the page (y down).
#[derive(Debug, Clone)]
struct DrawnGlyph {
    /// hayro's key of its font.
    font: u128,
    glyph: u32,
    face: Face,
    text: String,
    /// The glyph's origin.
    origin: Point,
    /// The origin of the coordinate system the text is drawn in (Typst's export draws each text
    /// item in its own, from where the item starts).
    frame: Point,
    /// The unit vector along the text.
    dir: Vec2,
    /// The font size: the em, measured across the text.
    em: f64,
    /// The em measured along the text (differs from `em` under horizontal scaling).
    em_along: f64,
    /// The advance, in ems.
    advance: f64,
    /// The outline's box, in ems (y up).
    ink: Option<Rect>,
    fill: Option<Color>,
    stroked: bool,
    /// The marked-content sequence it was drawn in.
    marked: usize,
    /// Its full transform, to pair a stroke with the fill of the same glyph.
    transform: Affine,
}

/// A rule as drawn, in points: its two ends, thickness and colour.
#[derive(Debug, Clone)]
struct DrawnRule {
    a: Point,
    b: Point,
    thickness: f64,
    paint: Option<Color>,
}

/// The device hayro draws a page into.
struct Collector<'c> {
    names: &'c Names<'c>,
    faces: &'c mut HashMap<u128, Face>,
    inks: &'c mut HashMap<(u128, u32), Option<Rect>>,
    marked: usize,
    glyphs: Vec<DrawnGlyph>,
    rules: Vec<DrawnRule>,
    images: Vec<Rect>,
}

impl<'a> Device<'a> for Collector<'_> {
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}

    fn set_blend_mode(&mut self, _: BlendMode) {}

    fn draw_path(
        &mut self,
        path: &BezPath,
        transform: Affine,
        paint: &Paint<'a>,
        draw_mode: &PathDrawMode,
    ) {
        let paint = colour_of(paint);
        match draw_mode {
            PathDrawMode::Stroke(props) => {
                if let [PathEl::MoveTo(a), PathEl::LineTo(b)] = path.elements() {
                    let thickness =
                        f64::from(props.line_width) * transform.determinant().abs().sqrt();
                    self.rules.push(DrawnRule {
                        a: transform * *a,
                        b: transform * *b,
                        thickness,
                        paint,
                    });
                }
            }
            PathDrawMode::Fill(_) => {
                let Some(r) = rectangle(path, transform) else {
                    return;
                };
                let (w, h) = (r.width(), r.height());
                // As `measure` reads Typst's filled rectangles: thin ones are rules (2 mm).
                let thin = 2.0 / MM;
                if h < thin && w > h {
                    let y = (r.y0 + r.y1) / 2.0;
                    self.rules.push(DrawnRule {
                        a: Point::new(r.x0, y),
                        b: Point::new(r.x1, y),
                        thickness: h,
                        paint,
                    });
                } else if w < thin && h > w {
                    let x = (r.x0 + r.x1) / 2.0;
                    self.rules.push(DrawnRule {
                        a: Point::new(x, r.y0),
                        b: Point::new(x, r.y1),
                        thickness: w,
                        paint,
                    });
                }
            }
        }
    }

    fn push_clip_path(&mut self, _: &ClipPath) {}

    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph(
        &mut self,
        glyph: &Glyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        paint: &Paint<'a>,
        draw_mode: &GlyphDrawMode,
    ) {
        // Type 3 glyphs (drawn by content streams) are not measured.
        let Glyph::Outline(outline) = glyph else {
            return;
        };
        let full = transform * glyph_transform;
        let id = outline.glyph_id().to_u32();
        let font = outline.font_cache_key();
        match draw_mode {
            GlyphDrawMode::Invisible => return,
            GlyphDrawMode::Stroke(_) => {
                // Fill-and-stroke draws the fill first: the same glyph, stroked too.
                if let Some(last) = self.glyphs.last_mut()
                    && last.font == font
                    && last.glyph == id
                    && last.transform == full
                {
                    last.stroked = true;
                    return;
                }
            }
            GlyphDrawMode::Fill => {}
        }
        let names = self.names;
        let face = self
            .faces
            .entry(font)
            .or_insert_with(|| names.face(outline))
            .clone();
        let ink = *self.inks.entry((font, id)).or_insert_with(|| {
            let path = outline.outline();
            (!path.elements().is_empty()).then(|| {
                let b = path.control_box();
                Rect::new(b.x0 / 1000.0, b.y0 / 1000.0, b.x1 / 1000.0, b.y1 / 1000.0)
            })
        });
        // Glyph space is 1000 units to the em.
        let along = full * Point::new(1000.0, 0.0) - full * Point::ORIGIN;
        let across = full * Point::new(0.0, 1000.0) - full * Point::ORIGIN;
        let text = match outline.as_unicode() {
            Some(hayro::hayro_interpret::hayro_cmap::BfString::Char(c)) => c.to_string(),
            Some(hayro::hayro_interpret::hayro_cmap::BfString::String(s)) => s,
            None => char::REPLACEMENT_CHARACTER.to_string(),
        };
        self.glyphs.push(DrawnGlyph {
            font,
            glyph: id,
            face,
            text,
            origin: full * Point::ORIGIN,
            frame: transform * Point::ORIGIN,
            dir: along.normalize(),
            em: across.hypot(),
            em_along: along.hypot(),
            advance: f64::from(outline.advance_width().unwrap_or(0.0)) / 1000.0,
            ink,
            fill: colour_of(paint),
            stroked: matches!(draw_mode, GlyphDrawMode::Stroke(_)),
            marked: self.marked,
            transform: full,
        });
    }

    fn draw_image(&mut self, image: Image<'a, '_>, transform: Affine) {
        if let Image::Raster(_) = image {
            let size = Rect::new(
                0.0,
                0.0,
                f64::from(image.width()),
                f64::from(image.height()),
            );
            self.images.push(bounds(
                [
                    Point::new(size.x0, size.y0),
                    Point::new(size.x1, size.y0),
                    Point::new(size.x1, size.y1),
                    Point::new(size.x0, size.y1),
                ]
                .map(|p| transform * p),
            ));
        }
    }

    fn pop_clip_path(&mut self) {}

    fn pop_transparency_group(&mut self) {}

    fn begin_marked_content(&mut self, _: &[u8], _: Option<i32>) {
        self.marked += 1;
    }

    fn end_marked_content(&mut self) {
        self.marked += 1;
    }
}

/// The smallest upright rectangle holding `points`.
fn bounds(points: [Point; 4]) -> Rect {
    let xs = points.map(|p| p.x);
    let ys = points.map(|p| p.y);
    let min = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
    let max = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
    Rect::new(min(xs), min(ys), max(xs), max(ys))
}

/// The page rectangle `path` fills under `transform`, when it is one upright rectangle.
fn rectangle(path: &BezPath, transform: Affine) -> Option<Rect> {
    let mut points = Vec::with_capacity(5);
    for (i, el) in path.elements().iter().enumerate() {
        match el {
            PathEl::MoveTo(p) if i == 0 => points.push(transform * *p),
            PathEl::LineTo(p) if i > 0 => points.push(transform * *p),
            PathEl::ClosePath if i + 1 == path.elements().len() => {}
            _ => return None,
        }
    }
    if points.len() == 5 && (points[4] - points[0]).hypot() < 1e-3 {
        points.pop();
    }
    let corners: [Point; 4] = points.try_into().ok()?;
    let upright = (0..4).all(|i| {
        let (p, q) = (corners[i], corners[(i + 1) % 4]);
        (p.x - q.x).abs() < 1e-3 || (p.y - q.y).abs() < 1e-3
    });
    upright.then(|| bounds(corners))
}

/// A paint's colour, as Typst would hold it: a PDF's DeviceCMYK (or four-component ICC) colour
/// stays CMYK, so the red of GB/T 9704 (M80 Y80) reads as it was written.
fn colour_of(paint: &Paint<'_>) -> Option<Color> {
    match paint {
        Paint::Color(c) => Some(colour(c)),
        Paint::Pattern(_) => None,
    }
}

/// hayro keeps a colour's space and components private and converts CMYK to RGB through a
/// profile (which would lose the M80 Y80 of the red); its `Debug` form shows both, so they are
/// read from it, and any colour not read so falls back to hayro's RGB.
fn colour(c: &hayro::hayro_interpret::color::Color) -> Color {
    let debug = format!("{c:?}");
    let space = debug
        .split_once("color_space: ColorSpace(")
        .map(|(_, rest)| rest);
    let components: Option<Vec<f32>> = debug
        .split_once("components: [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .and_then(|(list, _)| list.split(',').map(|v| v.trim().parse().ok()).collect());
    let device = |space: &str| {
        [
            "DeviceGray",
            "DeviceRgb",
            "DeviceCmyk",
            "ICCBased",
            "CalGray",
            "CalRgb",
        ]
        .iter()
        .any(|s| space.starts_with(s))
    };
    if let (Some(space), Some(v)) = (space, components)
        && device(space)
    {
        match v[..] {
            [l] => return Color::Process(ProcessColor::Luma(Luma::new(l, 1.0))),
            [r, g, b] => return Color::Process(ProcessColor::Rgb(Rgb::new(r, g, b, 1.0))),
            [c, m, y, k] => return Color::Process(ProcessColor::Cmyk(Cmyk { c, m, y, k })),
            _ => {}
        }
    }
    let [r, g, b, _] = c.to_rgba().to_rgba8();
    Color::from_u8(r, g, b, 255)
}

/// A page's drawing, in points.
struct Drawn {
    glyphs: Vec<DrawnGlyph>,
    rules: Vec<DrawnRule>,
    images: Vec<Rect>,
}

impl Drawn {
    /// The page's measure: `width` × `height` points, as drawn; by marked-content sequence when
    /// `marked`.
    fn measure(mut self, number: usize, width: f64, height: f64, marked: bool) -> PageMeasure {
        let (mut width, mut height) = (width, height);
        let turned = if width > height {
            // A landscape page, turned onto a portrait sheet as Typst's are
            // (`compile::turn`): x' = y, y' = width − x.
            let turn = Affine::new([0.0, -1.0, 1.0, 0.0, 0.0, width]);
            for g in &mut self.glyphs {
                g.origin = turn * g.origin;
                g.frame = turn * g.frame;
                g.dir = turn * g.dir.to_point() - turn * Point::ORIGIN;
                g.transform = turn * g.transform;
            }
            for r in &mut self.rules {
                r.a = turn * r.a;
                r.b = turn * r.b;
            }
            for i in &mut self.images {
                *i = bounds(
                    [
                        Point::new(i.x0, i.y0),
                        Point::new(i.x1, i.y0),
                        Point::new(i.x1, i.y1),
                        Point::new(i.x0, i.y1),
                    ]
                    .map(|p| turn * p),
                );
            }
            (width, height) = (height, width);
            true
        } else {
            // Typst's turned pages come out portrait with their text running upwards.
            let printed: Vec<&DrawnGlyph> = self
                .glyphs
                .iter()
                .filter(|g| !g.text.trim().is_empty())
                .collect();
            let upwards = printed
                .iter()
                .filter(|g| g.dir.x.abs() < 0.01 && g.dir.y < -0.99)
                .count();
            !printed.is_empty() && upwards * 2 > printed.len()
        };
        let mut texts = Vec::new();
        let mut run: Vec<&DrawnGlyph> = Vec::new();
        for g in &self.glyphs {
            if let Some(last) = run.last()
                && !continues(last, g, marked)
            {
                texts.push(text_run(&run));
                run.clear();
            }
            run.push(g);
        }
        if !run.is_empty() {
            texts.push(text_run(&run));
        }
        // LibreOffice draws a paragraph's border twice over: one rule, once.
        let mut rules: Vec<Rule> = Vec::with_capacity(self.rules.len());
        for rule in self.rules.iter().map(|r| {
            super::ordered(
                r.a.x * MM,
                r.a.y * MM,
                r.b.x * MM,
                r.b.y * MM,
                r.thickness * MM,
                r.paint.clone(),
            )
        }) {
            let twice = |r: &Rule| {
                [
                    r.x1 - rule.x1,
                    r.y - rule.y,
                    r.x2 - rule.x2,
                    r.y2 - rule.y2,
                    r.thickness - rule.thickness,
                ]
                .iter()
                .all(|d| d.abs() < 0.01)
                    && r.paint == rule.paint
            };
            if !rules.iter().any(twice) {
                rules.push(rule);
            }
        }
        let images = self
            .images
            .iter()
            .map(|i| [i.x0 * MM, i.y0 * MM, i.width() * MM, i.height() * MM])
            .collect();
        PageMeasure {
            number,
            width: width * MM,
            height: height * MM,
            texts,
            rules,
            images,
            turned,
        }
    }
}

/// Whether `next` continues the run that `last` ends: the same font, size, colour and stroke,
/// the same direction and baseline, starting where `last` ends give or take 0.6 em (tracking,
/// punctuation squeezed, justification), and, when `marked`, in the same marked-content
/// sequence.
fn continues(last: &DrawnGlyph, next: &DrawnGlyph, marked: bool) -> bool {
    let same_style = last.font == next.font
        && (last.em - next.em).abs() < 0.01
        && last.fill == next.fill
        && last.stroked == next.stroked
        && (!marked || last.marked == next.marked);
    if !same_style || last.dir.dot(next.dir) < 0.999 {
        return false;
    }
    let d = next.origin - last.origin;
    let along = d.dot(last.dir);
    let across = last.dir.cross(d);
    let gap = along - last.advance * last.em_along;
    across.abs() < 0.15 && gap.abs() <= 0.6 * last.em
}

/// The measured run of `glyphs` (at least one), as [`super::measure`] measures a Typst text item.
///
/// The run starts at its first glyph, or at the origin of the coordinate system it is drawn in
/// when that lies on its baseline up to an em before the glyph: Typst's export draws each text
/// item from its start, and a first glyph shifted back from there (an opening bracket trimmed at
/// the start of a line) keeps the item's start where Typst's frames have it.
fn text_run(glyphs: &[&DrawnGlyph]) -> TextRun {
    let first = glyphs[0];
    let last = glyphs[glyphs.len() - 1];
    let back = first.origin - first.frame;
    let start =
        if first.dir.cross(back).abs() < 0.15 && (-first.em..=0.0).contains(&back.dot(first.dir)) {
            first.frame
        } else {
            first.origin
        };
    let (x, baseline) = (start.x * MM, start.y * MM);
    let em = first.em * MM;
    let em_along = first.em_along * MM;
    let pen = |g: &DrawnGlyph| (g.origin - start).dot(first.dir) * MM;
    let (mut top, mut bottom, mut ink_right) =
        (f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    let mut boxes = Vec::with_capacity(glyphs.len());
    let mut text = String::new();
    for g in glyphs {
        let gx = x + pen(g);
        if let Some(ink) = g.ink {
            top = top.min(-ink.y1 * em);
            bottom = bottom.max(-ink.y0 * em);
            ink_right = ink_right.max(gx + ink.x1 * em_along);
        }
        boxes.push(GlyphBox {
            ch: g.text.chars().next().unwrap_or(' '),
            x: gx,
            ink_top: g.ink.map_or(baseline, |ink| baseline - ink.y1 * em),
        });
        text.push_str(&g.text);
    }
    let advance = pen(last) + last.advance * em_along;
    TextRun {
        x,
        baseline,
        ink_top: if top.is_finite() {
            baseline + top
        } else {
            baseline
        },
        ink_bottom: if bottom.is_finite() {
            baseline + bottom
        } else {
            baseline
        },
        width: advance * first.dir.x,
        ink_right: if ink_right.is_finite() { ink_right } else { x },
        size_pt: first.em,
        family: first.face.family.clone(),
        weight: first.face.weight,
        stroked: first.stroked,
        fill: first.fill.clone(),
        text,
        glyphs: boxes,
    }
}
