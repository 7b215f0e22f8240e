//! Pages: images of an output's PDF pages, rendered on the server (hayro, the PDF rasterizer
//! Typst itself uses for PDF images) and kept in a bounded cache.
//!
//! The image is of the PDF as written, so a batch's print file shows exactly what is printed.
//! A cached image is keyed by the file's path, size and modification time, so a rebuilt
//! output is rendered again.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use anyhow::Context as _;

/// Most bytes of images kept.
const CACHE_BYTES: u64 = 96 << 20;

/// Pixels per point: the default, the least and the most a request may ask for.
pub(crate) const DEFAULT_SCALE: f32 = 1.5;
const SCALES: std::ops::RangeInclusive<f32> = 0.5..=4.0;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
    page: usize,
    /// Hundredths of a pixel per point.
    scale: u32,
}

#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<Key, Arc<Vec<u8>>> for Weight {
    fn weight(&self, _key: &Key, png: &Arc<Vec<u8>>) -> u64 {
        png.len() as u64
    }
}

/// Page images rendered so far.
pub(crate) struct Pages {
    cache: quick_cache::sync::Cache<Key, Arc<Vec<u8>>, Weight>,
}

impl Default for Pages {
    fn default() -> Pages {
        Pages {
            cache: quick_cache::sync::Cache::with_weighter(4096, CACHE_BYTES, Weight),
        }
    }
}

/// Why a page could not be shown.
#[derive(Debug)]
pub(crate) enum Missing {
    /// The PDF has no such page.
    NoPage(usize),
    /// The file could not be read or rendered.
    Failed(anyhow::Error),
}

impl Pages {
    /// The PNG image of page `page` (from 1) of the PDF at `path`, `scale` pixels per point
    /// (clamped to 0.5–4).
    ///
    /// # Errors
    /// When the page does not exist or the PDF cannot be read.
    pub(crate) fn png(
        &self,
        path: &Path,
        page: usize,
        scale: f32,
    ) -> Result<Arc<Vec<u8>>, Missing> {
        let meta = std::fs::metadata(path)
            .with_context(|| format!("无法读取 {}", path.display()))
            .map_err(Missing::Failed)?;
        let scale = if scale.is_finite() {
            scale.clamp(*SCALES.start(), *SCALES.end())
        } else {
            DEFAULT_SCALE
        };
        let key = Key {
            path: path.to_path_buf(),
            len: meta.len(),
            modified: meta.modified().ok(),
            page,
            scale: (scale * 100.0).round() as u32,
        };
        if let Some(png) = self.cache.get(&key) {
            return Ok(png);
        }
        let bytes = std::fs::read(path)
            .with_context(|| format!("无法读取 {}", path.display()))
            .map_err(Missing::Failed)?;
        let png = Arc::new(render(bytes, page, scale)?);
        self.cache.insert(key, png.clone());
        Ok(png)
    }
}

/// The number of pages of the PDF `bytes`, when it can be read.
pub(crate) fn count(bytes: Vec<u8>) -> Option<usize> {
    hayro::hayro_syntax::Pdf::new(bytes)
        .ok()
        .map(|pdf| pdf.pages().len())
}

/// Page `page` (from 1) of the PDF `bytes` as a PNG image at `scale` pixels per point, on white.
fn render(bytes: Vec<u8>, page: usize, scale: f32) -> Result<Vec<u8>, Missing> {
    let pdf = hayro::hayro_syntax::Pdf::new(bytes)
        .map_err(|e| Missing::Failed(anyhow::anyhow!("PDF 无法读取（{e:?}）")))?;
    let pages = pdf.pages();
    let Some(p) = page.checked_sub(1).and_then(|i| pages.get(i)) else {
        return Err(Missing::NoPage(pages.len()));
    };
    let pixmap = hayro::render(
        p,
        &hayro::RenderCache::new(),
        &hayro::hayro_interpret::InterpreterSettings::default(),
        &hayro::RenderSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: hayro::vello_cpu::color::palette::css::WHITE,
            ..hayro::RenderSettings::default()
        },
    );
    pixmap
        .into_png()
        .map_err(|e| Missing::Failed(anyhow::anyhow!("无法生成页面图像（{e}）")))
}
