//! Fonts: loaded once per run, and the five GB/T 9704 roles resolved by preference.
//!
//! Each role (小标宋, 仿宋, 黑体, 楷体, 宋体) takes the official face when it is in the project's
//! `fonts/` folder or installed on the system, else the open Fandol stand-in; a wide-coverage
//! face (Noto Serif CJK SC) serves characters the role face lacks, and every such character is
//! reported. Typst never falls back silently (`fallback: false`). The Fandol and Noto files are
//! built into the binary, so a project without `fonts/` still builds.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo, FontStyle, FontVariant, FontWeight};
use typst::utils::LazyHash;

/// Fonts built into the binary: (file name, bytes).
const EMBEDDED: &[(&str, &[u8])] = &[
    (
        "FandolSong-Regular.otf",
        include_bytes!("../fonts/FandolSong-Regular.otf"),
    ),
    (
        "FandolSong-Bold.otf",
        include_bytes!("../fonts/FandolSong-Bold.otf"),
    ),
    (
        "FandolFang-Regular.otf",
        include_bytes!("../fonts/FandolFang-Regular.otf"),
    ),
    (
        "FandolHei-Regular.otf",
        include_bytes!("../fonts/FandolHei-Regular.otf"),
    ),
    (
        "FandolHei-Bold.otf",
        include_bytes!("../fonts/FandolHei-Bold.otf"),
    ),
    (
        "FandolKai-Regular.otf",
        include_bytes!("../fonts/FandolKai-Regular.otf"),
    ),
    (
        "NotoSerifCJKsc-Regular.otf",
        include_bytes!("../fonts/NotoSerifCJKsc-Regular.otf"),
    ),
];

/// A font built into the binary, by file name (the page uses FandolHei where the browser's
/// machine has no Chinese face).
pub(crate) fn embedded(name: &str) -> Option<&'static [u8]> {
    EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

/// Every font file built into the binary (the measurement of a PDF names embedded subsets by them).
pub(crate) fn embedded_all() -> impl Iterator<Item = &'static [u8]> {
    EMBEDDED.iter().map(|(_, b)| *b)
}

/// The wide-coverage face used for characters a role face lacks.
pub(crate) const FALLBACK_FAMILY: &str = "Noto Serif CJK SC";

/// Whether `ch` is a 汉字 (the CJK ideograph blocks and their extensions).
pub(crate) fn is_han(ch: char) -> bool {
    matches!(ch as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// A typeface role of GB/T 9704.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Title and 发文机关标志.
    XiaoBiaoSong,
    /// Body text.
    FangSong,
    /// Level-1 headings, 密级, 紧急程度, 附件 label.
    Hei,
    /// Level-2 headings, 签发人 names.
    Kai,
    /// Page numbers.
    Song,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::XiaoBiaoSong,
        Role::FangSong,
        Role::Hei,
        Role::Kai,
        Role::Song,
    ];

    /// The role's Chinese name, as the style library names it.
    pub fn name(self) -> &'static str {
        match self {
            Role::XiaoBiaoSong => "小标宋",
            Role::FangSong => "仿宋",
            Role::Hei => "黑体",
            Role::Kai => "楷体",
            Role::Song => "宋体",
        }
    }

    /// Families of the official faces, most preferred first (Typst's names: name ID 1).
    fn official(self) -> &'static [&'static str] {
        match self {
            Role::XiaoBiaoSong => &[
                "FZXiaoBiaoSong-B05S",
                "FZXiaoBiaoSong-B05",
                "方正小标宋简体",
                "方正小标宋_GBK",
            ],
            Role::FangSong => &[
                "FangSong_GB2312",
                "仿宋_GB2312",
                "FangSong",
                "仿宋",
                "FZFangSong-Z02S",
            ],
            Role::Hei => &["SimHei", "黑体", "FZHei-B01S"],
            Role::Kai => &["KaiTi_GB2312", "楷体_GB2312", "KaiTi", "楷体", "FZKai-Z03S"],
            Role::Song => &["SimSun", "宋体", "NSimSun"],
        }
    }

    /// The name Word, WPS and LibreOffice know the official face by (a DOCX names it when the
    /// PDF used the stand-in).
    pub fn office_name(self) -> &'static str {
        match self {
            Role::XiaoBiaoSong => "方正小标宋简体",
            Role::FangSong => "仿宋_GB2312",
            Role::Hei => "黑体",
            Role::Kai => "楷体_GB2312",
            Role::Song => "宋体",
        }
    }

    /// The open stand-in shipped with gongwen.
    fn stand_in(self) -> &'static str {
        match self {
            Role::XiaoBiaoSong | Role::Song => "FandolSong",
            Role::FangSong => "FandolFang R",
            Role::Hei => "FandolHei",
            Role::Kai => "FandolKai",
        }
    }
}

/// Which face serves a role.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The role.
    pub role: Role,
    /// The family Typst knows it by.
    pub family: String,
    /// Whether it is the official face rather than the stand-in.
    pub official: bool,
    /// Whether the family has a real bold face.
    pub has_bold: bool,
    /// Where the face came from.
    pub origin: String,
    /// Index of its regular face in the font list.
    face: usize,
}

/// All fonts of a run and the role choices.
pub struct FontSet {
    /// The faces, in load order.
    pub fonts: Vec<Font>,
    /// Typst's index of them.
    pub book: LazyHash<FontBook>,
    /// One choice per role, in [`Role::ALL`] order.
    pub roles: Vec<Choice>,
    /// Index of the fallback face, when present.
    fallback: Option<usize>,
    origins: Vec<String>,
    /// A hash of every font file loaded (built-in faces by name): what a document's fingerprint
    /// takes of the fonts.
    pub fingerprint: String,
}

impl FontSet {
    /// Loads the project's `fonts/` folder (when given), official faces installed on the system
    /// (when `system` is set), and the built-in faces for families not already present.
    ///
    /// # Errors
    /// When a role has no face at all.
    pub fn load(dir: Option<&Path>, system: bool) -> anyhow::Result<FontSet> {
        let mut faces = Faces::default();
        if let Some(dir) = dir {
            faces.add_project(dir);
        }
        if system {
            faces.add_system();
        }
        faces.add_embedded();
        let Faces {
            fonts,
            origins,
            hash,
        } = faces;
        let book = FontBook::from_fonts(&fonts);
        let roles = Role::ALL
            .into_iter()
            .map(|role| choose(role, &book, &fonts, &origins))
            .collect::<anyhow::Result<Vec<Choice>>>()?;
        let fallback = book.select(&FALLBACK_FAMILY.to_lowercase(), FontVariant::default());
        Ok(FontSet {
            fonts,
            book: LazyHash::new(book),
            roles,
            fallback,
            origins,
            fingerprint: hash.finalize().to_hex().to_string(),
        })
    }

    /// The choice for a role.
    pub fn choice(&self, role: Role) -> &Choice {
        &self.roles[Role::ALL
            .iter()
            .position(|r| *r == role)
            .expect("every role is chosen")]
    }

    /// The face that serves characters no role face has, with where it came from.
    pub fn fallback(&self) -> Option<(&str, &str)> {
        self.fallback.map(|i| {
            (
                self.fonts[i].info().family.as_str(),
                self.origins[i].as_str(),
            )
        })
    }

    /// The virtual file `/fonts.typ` that the style library imports.
    pub fn typst_prelude(&self) -> String {
        let mut out = String::from("// 由 gongwen 生成：各角色使用的字体\n#let 字体 = (\n");
        for c in &self.roles {
            let _ = write!(
                out,
                "  {}: ({}",
                c.role.name(),
                crate::escape::typst_string(&c.family)
            );
            if let Some((fallback, _)) = self.fallback() {
                let _ = write!(out, ", {}", crate::escape::typst_string(fallback));
            }
            out.push_str("),\n");
        }
        out.push_str(")\n");
        let xbs = self.choice(Role::XiaoBiaoSong);
        let _ = writeln!(out, "#let 小标宋粗 = {}", !xbs.official && xbs.has_bold);
        let _ = writeln!(
            out,
            "#let 仿宋有粗体 = {}",
            self.choice(Role::FangSong).has_bold
        );
        let _ = writeln!(out, "#let 楷体有粗体 = {}", self.choice(Role::Kai).has_bold);
        let _ = writeln!(out, "#let 黑体有粗体 = {}", self.choice(Role::Hei).has_bold);
        out
    }

    /// Whether the role's face lacks `c`: `None` when it has it (or `c` is blank), else whether
    /// the fallback has it.
    pub fn uncovered(&self, role: Role, c: char) -> Option<bool> {
        if c.is_whitespace() || c.is_control() {
            return None;
        }
        let face = self.fonts[self.choice(role).face].info();
        if face.coverage.contains(c as u32) {
            return None;
        }
        let fallback = self.fallback.map(|i| self.fonts[i].info());
        Some(fallback.is_some_and(|f: &FontInfo| f.coverage.contains(c as u32)))
    }
}

/// The faces loaded so far, each with where it came from, and a hash of the files they came
/// from.
#[derive(Default)]
struct Faces {
    fonts: Vec<Font>,
    origins: Vec<String>,
    hash: blake3::Hasher,
}

impl Faces {
    /// Every face in the project's `fonts/` folder.
    fn add_project(&mut self, dir: &Path) {
        for path in font_files(dir) {
            if let Ok(data) = std::fs::read(&path) {
                let origin = format!(
                    "fonts/{}",
                    path.strip_prefix(dir).unwrap_or(&path).display()
                );
                self.hash.update(origin.as_bytes());
                self.hash.update(&data);
                self.push(Bytes::new(data), &origin, |_| true);
            }
        }
    }

    /// The official faces installed on the system (a file is hashed only when a face of it is
    /// taken).
    fn add_system(&mut self) {
        let wanted: Vec<String> = Role::ALL
            .iter()
            .flat_map(|r| r.official())
            .map(|f| f.to_lowercase())
            .collect();
        for path in system_font_dirs().iter().flat_map(|d| font_files(d)) {
            if let Ok(data) = std::fs::read(&path) {
                let origin = format!("系统字体 {}", path.display());
                let before = self.fonts.len();
                let digest = blake3::hash(&data);
                self.push(Bytes::new(data), &origin, |info| {
                    wanted.contains(&info.family.to_lowercase())
                });
                if self.fonts.len() > before {
                    self.hash.update(origin.as_bytes());
                    self.hash.update(digest.as_bytes());
                }
            }
        }
    }

    /// Built-in faces fill in the families the project and the system did not provide (all
    /// faces of such a family: FandolSong Regular and Bold both).
    fn add_embedded(&mut self) {
        let present: Vec<String> = self
            .fonts
            .iter()
            .map(|f: &Font| f.info().family.to_lowercase())
            .collect();
        for (name, data) in EMBEDDED {
            self.hash.update(name.as_bytes());
            self.push(Bytes::new(*data), &format!("内置 {name}"), |info| {
                !present.contains(&info.family.to_lowercase())
            });
        }
    }

    /// The upright faces in `data` that `keep` accepts, from `origin`.
    fn push(&mut self, data: Bytes, origin: &str, keep: impl Fn(&FontInfo) -> bool) {
        for font in Font::iter(data) {
            if keep(font.info()) && font.info().variant.style == FontStyle::Normal {
                self.fonts.push(font);
                self.origins.push(origin.to_string());
            }
        }
    }
}

/// The face for `role`: the first official face present, else the stand-in; an error when
/// neither is.
fn choose(
    role: Role,
    book: &FontBook,
    fonts: &[Font],
    origins: &[String],
) -> anyhow::Result<Choice> {
    let official = role
        .official()
        .iter()
        .find(|f| book.contains_family(&f.to_lowercase()));
    let (family, is_official) = match official {
        Some(f) => (*f, true),
        None if book.contains_family(&role.stand_in().to_lowercase()) => (role.stand_in(), false),
        None => anyhow::bail!(
            "没有可用于「{}」的字体：请把 {} 或 {} 放进 fonts/ 文件夹",
            role.name(),
            role.official()[0],
            role.stand_in()
        ),
    };
    let lower = family.to_lowercase();
    let face = book
        .select(&lower, FontVariant::default())
        .expect("family is in the book");
    let has_bold = book.select_family(&lower).any(|i| {
        book.info(i)
            .is_some_and(|info| info.variant.weight >= FontWeight::SEMIBOLD)
    });
    Ok(Choice {
        role,
        family: fonts[face].info().family.clone(),
        official: is_official,
        has_bold,
        origin: origins[face].clone(),
        face,
    })
}

fn font_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["otf", "ttf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str())
            }) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn system_font_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        "/System/Library/Fonts",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        dirs.extend([
            home.join(".fonts"),
            home.join(".local/share/fonts"),
            home.join("Library/Fonts"),
        ]);
    }
    if let Some(windir) = std::env::var_os("WINDIR") {
        dirs.push(PathBuf::from(windir).join("Fonts"));
    }
    if let Some(local) = std::env::var_os("LOCALAPPDATA") {
        dirs.push(PathBuf::from(local).join("Microsoft/Windows/Fonts"));
    }
    dirs
}
