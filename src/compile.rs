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
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

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

/// What every compile of a run shares.
pub struct Compiler {
    library: LazyHash<Library>,
    fonts: FontSet,
    style: Source,
    prelude: Source,
    assets: Option<PathBuf>,
}

/// A compiled document: the PDF and the laid-out pages (for measuring).
pub struct Compiled {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// The laid-out document.
    pub document: PagedDocument,
    /// Typst's warnings, as text with their source line.
    pub warnings: Vec<String>,
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

    /// Compiles `source` to PDF. `date` is the document's date: it is Typst's "today" and the
    /// PDF's creation date, so the same input always gives the same bytes.
    ///
    /// # Errors
    /// Typst's errors, each with the line of the generated source it points at.
    pub fn compile(
        &self,
        source: &str,
        date: NaiveDate,
        ident: &str,
    ) -> Result<Compiled, Vec<String>> {
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
        let timestamp = Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
            .map(typst_pdf::Timestamp::new_utc);
        let options = typst_pdf::PdfOptions {
            ident: Smart::Custom(ident.to_string()),
            timestamp,
            ..Default::default()
        };
        let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| {
            errors
                .iter()
                .map(|d| describe(&world, d))
                .collect::<Vec<_>>()
        })?;
        Ok(Compiled {
            pdf,
            document,
            warnings,
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

/// A Typst diagnostic as one line: where (file and line) and what.
fn describe(world: &DocWorld, diag: &SourceDiagnostic) -> String {
    let kind = if diag.severity == Severity::Error {
        "错误"
    } else {
        "警告"
    };
    let place = diag
        .span
        .id()
        .and_then(|id| {
            let range = world.range(diag.span)?;
            let source = world.source(id).ok()?;
            let (line, col) = source.lines().byte_to_line_column(range.start)?;
            let name = match id {
                id if id == *MAIN => "生成的 Typst 源码".to_string(),
                id if id == *STYLE => "样式库 gongwen.typ".to_string(),
                id => format!("templates{}", id.vpath().get_with_slash()),
            };
            Some(format!("{name} 第{}行第{}列", line + 1, col + 1))
        })
        .unwrap_or_else(|| "排版".to_string());
    let hints: String = diag
        .hints
        .iter()
        .map(|h| format!("（提示：{}）", h.v))
        .collect();
    format!("Typst {kind}：{place}：{}{hints}", diag.message)
}
