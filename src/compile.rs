//! Compile: Typst source → laid-out document → PDF, in-process, with the run's fonts.
//!
//! One [`Compiler`] is made per run and shared by every document (it is `Sync`), so fonts and
//! Typst's standard library are loaded once. Each document gets a cheap [`DocWorld`] that serves
//! `/main.typ` (the rendered template), `/gongwen.typ` (the style library), `/fonts.typ` (the
//! role fonts) and, read-only, files under the project's `templates/` folder (a seal image, say).

use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::layout::{Abs, Frame, FrameKind, Ratio, Size, Transform};
use typst::model::Document as _;
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::{Page, PagedDocument};

use crate::fonts::FontSet;

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a valid virtual path"),
    )
    .intern()
}

static MAIN: LazyLock<FileId> = LazyLock::new(|| file_id("/main.typ"));
static STYLE: LazyLock<FileId> = LazyLock::new(|| file_id("/gongwen.typ"));
static FONTS: LazyLock<FileId> = LazyLock::new(|| file_id("/fonts.typ"));

/// How errors name the generated Typst source when it was not kept.
pub(crate) const GENERATED: &str = "生成的 Typst 源码";

/// What every compile of a run shares.
pub struct Compiler {
    library: LazyHash<Library>,
    fonts: FontSet,
    style: Source,
    prelude: Source,
    assets: Option<PathBuf>,
}

/// A laid-out document (pages to measure and export) and Typst's warnings.
pub struct Laid {
    /// The laid-out document; landscape pages are already turned onto portrait sheets.
    pub document: PagedDocument,
    /// Typst's warnings, each with where it points.
    pub warnings: Vec<Fault>,
}

/// A compiled document: the PDF and the laid-out pages (for measuring).
pub struct Compiled {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// The laid-out document.
    pub document: PagedDocument,
    /// Typst's warnings, each with where it points.
    pub warnings: Vec<Fault>,
}

/// The turn that puts a landscape page's content on a portrait sheet of height `h`: the
/// landscape top edge goes to the sheet's left edge, so that, printed and bound, a table's head
/// faces the 订口 on odd pages and the 切口 on even pages (GB/T 9704 §8), and no printer
/// driver decides the direction.
pub(crate) fn turn(h: Abs) -> Transform {
    Transform {
        sx: Ratio::zero(),
        ky: Ratio::new(-1.0),
        kx: Ratio::one(),
        sy: Ratio::zero(),
        tx: Abs::zero(),
        ty: h,
    }
}

/// Whether a page was turned by [`turn_landscape`]: its frame is one group under [`turn`].
pub(crate) fn is_turned(frame: &Frame) -> bool {
    let mut items = frame.items();
    match (items.next(), items.next()) {
        (Some((_, typst::layout::FrameItem::Group(g))), None) => {
            g.transform == turn(frame.height())
        }
        _ => false,
    }
}

/// Puts every landscape page on a portrait sheet, turned by [`turn`].
fn turn_landscape(document: PagedDocument) -> PagedDocument {
    if document
        .pages()
        .iter()
        .all(|p| p.frame.width() <= p.frame.height())
    {
        return document;
    }
    let pages = document
        .pages()
        .iter()
        .map(|page| {
            let (w, h) = (page.frame.width(), page.frame.height());
            if w <= h {
                return page.clone();
            }
            let mut inner = page.frame.clone();
            inner.transform(turn(w));
            let mut sheet = Frame::new(Size::new(h, w), FrameKind::Hard);
            sheet.push_frame(typst::layout::Point::zero(), inner);
            Page {
                frame: sheet,
                ..page.clone()
            }
        })
        .collect();
    PagedDocument::new(pages, document.info().clone())
}

impl Compiler {
    /// Prepares compiles with these fonts, this style library, and `assets` (the project's
    /// `templates/` folder) for files the templates read.
    pub fn new(fonts: FontSet, style_library: &str, assets: Option<PathBuf>) -> Compiler {
        let prelude = Source::new(*FONTS, fonts.typst_prelude());
        Compiler {
            library: LazyHash::new(Library::builder().build()),
            style: Source::new(*STYLE, style_library.to_string()),
            prelude,
            fonts,
            assets,
        }
    }

    /// The fonts of this run.
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// The `/fonts.typ` every document of this run imports (made once, in [`Compiler::new`]).
    pub fn prelude(&self) -> &str {
        self.prelude.text()
    }

    /// Lays `source` out. `date` is the document's date: Typst's "today". Landscape pages come
    /// back turned onto portrait sheets.
    ///
    /// # Errors
    /// Typst's errors, each with the line of the generated source it points at.
    pub fn lay_out(&self, source: &str, date: NaiveDate) -> Result<Laid, Vec<Fault>> {
        let world = DocWorld {
            base: self,
            main: Source::new(*MAIN, source.to_string()),
            date,
        };
        let result = typst::compile::<PagedDocument>(&world);
        let warnings = result
            .warnings
            .iter()
            .map(|d| describe(&world, d))
            .collect();
        let document = result.output.map_err(|errors| {
            errors
                .iter()
                .map(|d| describe(&world, d))
                .collect::<Vec<_>>()
        })?;
        Ok(Laid {
            document: turn_landscape(document),
            warnings,
        })
    }

    /// Exports a laid-out document to PDF, dated `date` (the creation date, so the same input
    /// always gives the same bytes) and identified by `ident`. `tagged`: with the structure tree
    /// of an accessible PDF (a combined print file of several documents has none).
    ///
    /// # Errors
    /// Typst's export errors.
    pub fn pdf(
        &self,
        document: &PagedDocument,
        date: NaiveDate,
        ident: &str,
        tagged: bool,
    ) -> Result<Vec<u8>, Vec<Fault>> {
        let timestamp = Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
            .map(typst_pdf::Timestamp::new_utc);
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom(ident.to_string()),
            timestamp,
            tagged,
            ..Default::default()
        };
        typst_pdf::pdf(document, &options).map_err(|errors| {
            errors
                .iter()
                .map(|d| Fault {
                    place: None,
                    message: format!("Typst 错误：导出 PDF：{}", d.message),
                })
                .collect::<Vec<_>>()
        })
    }

    /// Lays `source` out and exports it (see [`Compiler::lay_out`] and [`Compiler::pdf`]).
    ///
    /// # Errors
    /// Typst's errors.
    pub fn compile(
        &self,
        source: &str,
        date: NaiveDate,
        ident: &str,
    ) -> Result<Compiled, Vec<Fault>> {
        let laid = self.lay_out(source, date)?;
        let pdf = self.pdf(&laid.document, date, ident, true)?;
        Ok(Compiled {
            pdf,
            document: laid.document,
            warnings: laid.warnings,
        })
    }
}

/// The world of one document.
struct DocWorld<'a> {
    base: &'a Compiler,
    main: Source,
    date: NaiveDate,
}

impl DocWorld<'_> {
    fn asset_path(&self, id: FileId) -> FileResult<PathBuf> {
        let vpath = id.vpath().get_without_slash();
        let dir = self
            .base
            .assets
            .as_ref()
            .ok_or_else(|| FileError::NotFound(PathBuf::from(vpath)))?;
        let relative = Path::new(vpath);
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(FileError::AccessDenied);
        }
        Ok(dir.join(relative))
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.base.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.base.fonts.book
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN {
            Ok(self.main.clone())
        } else if id == *STYLE {
            Ok(self.base.style.clone())
        } else if id == *FONTS {
            Ok(self.base.prelude.clone())
        } else {
            let path = self.asset_path(id)?;
            let text = std::fs::read_to_string(&path).map_err(|e| FileError::from_io(e, &path))?;
            Ok(Source::new(id, text))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *MAIN || id == *STYLE || id == *FONTS {
            return Ok(Bytes::from_string(self.source(id)?.text().to_string()));
        }
        let path = self.asset_path(id)?;
        std::fs::read(&path)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &path))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.base.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(
            self.date.year(),
            self.date.month() as u8,
            self.date.day() as u8,
        )
    }
}

/// The file a Typst error points into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The Typst source generated from the template for this document.
    Generated,
    /// The style library.
    StyleLibrary,
    /// Another file of the project's `templates/`.
    Template(String),
}

/// A Typst error or warning: where it points (file, 1-based line and column) and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Where, when Typst says.
    pub place: Option<(Origin, u32, u32)>,
    /// What, with Typst's hints.
    pub message: String,
}

impl Fault {
    /// The place as a diagnostic names it, the generated source being the file `generated`.
    pub fn source_place(&self, generated: &str) -> Option<crate::diag::SourcePlace> {
        let (origin, line, column) = self.place.as_ref()?;
        let file = match origin {
            Origin::Generated => generated.to_string(),
            Origin::StyleLibrary => "样式库 gongwen.typ".to_string(),
            Origin::Template(path) => path.clone(),
        };
        Some(crate::diag::SourcePlace {
            file,
            line: *line,
            column: *column,
        })
    }
}

impl Fault {
    /// The fault as one line, the generated source being the file `generated`.
    pub fn describe(&self, generated: &str) -> String {
        match self.source_place(generated) {
            Some(place) => format!("{place}：{}", self.message),
            None => self.message.clone(),
        }
    }
}

impl From<String> for Fault {
    fn from(message: String) -> Fault {
        Fault {
            place: None,
            message,
        }
    }
}

/// A Typst diagnostic: where (file and line) and what.
fn describe(world: &DocWorld, diag: &SourceDiagnostic) -> Fault {
    let kind = if diag.severity == Severity::Error {
        "错误"
    } else {
        "警告"
    };
    let place = diag.span.id().and_then(|id| {
        let range = world.range(diag.span)?;
        let source = world.source(id).ok()?;
        let (line, col) = source.lines().byte_to_line_column(range.start)?;
        let origin = match id {
            id if id == *MAIN => Origin::Generated,
            id if id == *STYLE => Origin::StyleLibrary,
            id => Origin::Template(format!("templates{}", id.vpath().get_with_slash())),
        };
        Some((origin, line as u32 + 1, col as u32 + 1))
    });
    let hints: String = diag
        .hints
        .iter()
        .map(|h| format!("（提示：{}）", h.v))
        .collect();
    Fault {
        place,
        message: format!("Typst {kind}：{}{hints}", diag.message),
    }
}
