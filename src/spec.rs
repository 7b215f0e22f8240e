//! Spec: what a 文种's template declares about itself (its layout and the sheets and keys it
//! uses), read from the template's front matter. Validation reads this declaration, never the
//! templates themselves.

use std::collections::BTreeMap;

use crate::contract::{self, Format};

/// What a 文种's template declares in its front matter: a TOML block at the very start of the
/// template, inside a Tera comment:
///
/// ```text
/// {#+++
/// format = "信函"            # 文件 | 信函 | 简报
/// requires = ["正文"]        # sheets the workbook must have
/// reads = ["检查记录"]       # other sheets it reads, as tables (sheets["检查记录"])
/// optional = ["督办事项"]    # contract sheets it reads when present (附件 for appendices)
/// keys = ["发文字号"]        # 文件信息 keys it uses
/// description = "督办函（信函格式）"
/// [free-keys]                # its own 文件信息 keys: meaning and example
/// "检查单位" = ["开展检查的单位", "××市安全生产委员会"]
/// [examples]                 # example values for a blank workbook
/// "标题" = "关于……的督办函"
/// [[sheets]]                 # its own sheets, declared as contract.toml declares the built-in
/// name = "检查记录"          # ones: columns with types, required, synonyms, route, checks,
/// checks = ["serial"]        # xlsx, examples
/// columns = [{ field = "serial", name = "序号" }, { name = "检查日期", type = "date" }]
/// +++#}
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// The 文种 (the template's name).
    pub kind: String,
    /// The layout.
    pub format: Format,
    /// Sheets the workbook must have.
    pub requires: Vec<String>,
    /// Sheets beyond the contract's that the template reads.
    pub reads: Vec<String>,
    /// Sheets of the contract it reads when the workbook has them (`附件` for appendix sheets).
    pub optional: Vec<String>,
    /// 文件信息 keys it uses beyond the required ones.
    pub keys: Vec<String>,
    /// Its own 文件信息 keys: name → (meaning, example).
    pub free_keys: BTreeMap<String, (String, String)>,
    /// Example values of 文件信息 keys for a blank workbook of this 文种.
    pub examples: BTreeMap<String, String>,
    /// What the 文种 is for, in a sentence.
    pub description: String,
    /// The sheets it declares of its own, read as tables by their declaration.
    pub sheets: Vec<contract::Sheet>,
}

impl Spec {
    /// Whether the template reads the sheet `name` as a table of its own.
    pub fn reads(&self, name: &str) -> bool {
        let name = name.trim();
        self.reads.iter().chain(&self.requires).any(|r| r == name) || self.declared(name).is_some()
    }

    /// The template's own declaration of the sheet `name`.
    pub fn declared(&self, name: &str) -> Option<&contract::Sheet> {
        self.sheets.iter().find(|s| s.name == name.trim())
    }

    /// Whether the 文种 uses the sheet `name` at all: 文件信息 and 收文单位 always, the sheets it
    /// requires, reads or takes when present (`附件` standing for every 附件N). Only these
    /// are read and checked; another sheet gets one warning naming it.
    pub fn uses(&self, name: &str) -> bool {
        let name = name.trim();
        let declared = |n: &str| {
            self.requires
                .iter()
                .chain(&self.reads)
                .chain(&self.optional)
                .any(|r| r == n)
                || self.declared(n).is_some()
        };
        name == crate::contract::sheet(crate::contract::SheetId::Info).name
            || name == crate::contract::sheet(crate::contract::SheetId::Recipients).name
            || declared(name)
            || (crate::contract::appendix_number(name).is_some()
                && declared(crate::contract::appendix()))
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FrontMatter {
    format: String,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    reads: Vec<String>,
    #[serde(default)]
    optional: Vec<String>,
    #[serde(default)]
    keys: Vec<String>,
    #[serde(default)]
    free_keys: BTreeMap<String, (String, String)>,
    #[serde(default)]
    examples: BTreeMap<String, String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sheets: Vec<contract::Sheet>,
}

const FRONT_OPEN: &str = "{#+++";
const FRONT_CLOSE: &str = "+++#}";

/// Reads a template's front matter.
pub(crate) fn parse(kind: &str, text: &str, display: &str) -> Result<Spec, String> {
    let example = "模板开头应为：{#+++ 换行 format = \"文件\"（或 \"信函\"、\"简报\"） 换行 +++#}";
    let body = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .strip_prefix(FRONT_OPEN)
        .and_then(|rest| rest.split_once(FRONT_CLOSE))
        .map(|(front, _)| front)
        .ok_or_else(|| format!("模板 {display} 开头没有声明格式；{example}"))?;
    let front: FrontMatter = toml::from_str(body).map_err(|e| {
        format!(
            "模板 {display} 开头的声明有误（{}）；{example}",
            e.message()
        )
    })?;
    let format = Format::parse(&front.format).ok_or_else(|| {
        format!(
            "模板 {display} 声明的格式“{}”无法识别；可用的格式：文件、信函、简报",
            front.format
        )
    })?;
    let mut sheets = front.sheets;
    for s in &mut sheets {
        if contract::named(&s.name).is_some() || contract::appendix_number(&s.name).is_some() {
            return Err(format!(
                "模板 {display} 声明的工作表「{}」与 gongwen 自带的工作表同名；请另取一个名称",
                s.name
            ));
        }
        s.id = None;
        s.settle(contract::route())
            .map_err(|e| format!("模板 {display} 开头的声明有误：{e}"))?;
    }
    Ok(Spec {
        kind: kind.to_string(),
        format,
        requires: front.requires,
        reads: front.reads,
        optional: front.optional,
        keys: front.keys,
        free_keys: front.free_keys,
        examples: front.examples,
        description: front.description,
        sheets,
    })
}
