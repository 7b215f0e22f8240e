//! The input contract as data: every sheet, column and 文件信息 key gongwen reads, declared once,
//! in `contract.toml`, in the very form a template's front matter declares its own sheets in.
//!
//! `docs/input-contract.md` says in prose what a clerk puts in a workbook, and its tables are
//! generated from these declarations (a test keeps them in step). Validation finds header rows
//! and reads values by them, the character-coverage check takes the face each cell prints in
//! from them, the supervisor's checks and the XLSX follow their flags, and blank workbooks are
//! made from them. The code finds a built-in sheet, column or key by its id ([`SheetId`],
//! [`Field`], [`KeyId`]) and never spells its name.

use crate::fonts::Role;

/// The layouts a 文种's template can declare; layout and the conformance check follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Format {
    /// 文件格式 (GB/T 9704 §7): red “…文件” 标志 35 mm below the 版心 top, 156 mm red rule.
    File,
    /// 信函格式 (§10.1): 标志 30 mm from the paper top, 170 mm red double rules.
    Letter,
    /// 简报: masthead with 简报名称, 期号, 编印单位 and date; 报/送 at the end.
    Bulletin,
}

impl Format {
    /// Every format, as templates name them.
    pub const ALL: [Format; 3] = [Format::File, Format::Letter, Format::Bulletin];

    /// The name a template uses (`format = "信函"`) and the style library's `格式`.
    pub fn name(self) -> &'static str {
        match self {
            Format::File => "文件",
            Format::Letter => "信函",
            Format::Bulletin => "简报",
        }
    }

    /// The format a template names (`文件`, `文件格式`, `信函`, `信函格式`, `简报`).
    pub fn parse(text: &str) -> Option<Format> {
        let t = text.trim();
        let t = t.strip_suffix("格式").unwrap_or(t);
        Format::ALL.into_iter().find(|f| f.name() == t)
    }
}

/// What kind of value a column or key holds, which decides how it is read and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Free text.
    #[default]
    Text,
    /// Text whose lines are separate paragraphs (or measures).
    Lines,
    /// A date cell or one of the four text forms; printed 2024年3月2日.
    Date,
    /// A date, or text such as 2024年9月 or 长期坚持.
    DateOrText,
    /// A number.
    Number,
    /// A whole number.
    Whole,
    /// A 整改状态 wording.
    Status,
    /// One of the column's `choices`.
    Choice,
    /// A heading level 1..4, or empty.
    Level,
    /// 是 or 否.
    YesNo,
}

impl Kind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [Kind; 10] = [
        Kind::Text,
        Kind::Lines,
        Kind::Date,
        Kind::DateOrText,
        Kind::Number,
        Kind::Whole,
        Kind::Status,
        Kind::Choice,
        Kind::Level,
        Kind::YesNo,
    ];

    /// The name a declaration writes (`type = "date"`).
    pub fn id(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Lines => "lines",
            Kind::Date => "date",
            Kind::DateOrText => "date-or-text",
            Kind::Number => "number",
            Kind::Whole => "whole",
            Kind::Status => "status",
            Kind::Choice => "choice",
            Kind::Level => "level",
            Kind::YesNo => "yes-no",
        }
    }

    /// What it accepts, in a clerk's words.
    pub fn meaning(self) -> &'static str {
        match self {
            Kind::Text => "文字",
            Kind::Lines => "文字，每行一段（单元格内 Alt+Enter 换行）",
            Kind::Date => {
                "日期单元格，或 2024-03-02、2024/3/2、2024.3.2、2024年3月2日；印为 2024年3月2日"
            }
            Kind::DateOrText => "日期（印为 2024年3月2日），或 2024年9月、长期坚持 等文字",
            Kind::Number => "数字",
            Kind::Whole => "整数",
            Kind::Status => {
                "整改状态：已完成整改、积极整改中 或 未启动（也认 已完成、整改中 等常见写法）"
            }
            Kind::Choice => "下拉选项之一（choices 中列出的值）",
            Kind::Level => "层次标题的级别 1、2、3、4，普通段落留空",
            Kind::YesNo => "是 或 否",
        }
    }
}

/// A supervisor's check a sheet's declaration turns on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The `serial` column runs 1, 2, 3… without gaps or repeats.
    Serial,
    /// No two rows' `item` columns are the same or nearly the same.
    Duplicates,
    /// An `item` under six 汉字 is too short to be concrete.
    Short,
    /// No half-width punctuation next to Chinese text.
    Halfwidth,
}

impl Check {
    /// Every check, in the order the documentation lists them.
    pub const ALL: [Check; 4] = [
        Check::Serial,
        Check::Duplicates,
        Check::Short,
        Check::Halfwidth,
    ];

    /// The name a declaration writes (`checks = ["serial"]`).
    pub fn id(self) -> &'static str {
        match self {
            Check::Serial => "serial",
            Check::Duplicates => "duplicates",
            Check::Short => "short",
            Check::Halfwidth => "halfwidth",
        }
    }

    /// What it checks, in a clerk's words.
    pub fn meaning(self) -> &'static str {
        match self {
            Check::Serial => "field = \"serial\" 的列（序号）须依次为 1、2、3……，不跳号、不重号",
            Check::Duplicates => "field = \"item\" 的列中，完全相同或几乎相同的两行",
            Check::Short => "field = \"item\" 的列中，不足6个汉字、不够具体的一行",
            Check::Halfwidth => "中文里的半角标点（, : ; ( ) ? !）",
        }
    }
}

/// The built-in sheets, by what they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SheetId {
    /// 文件信息: one key per row.
    Info,
    /// The items of an inspection and their rectification.
    Issues,
    /// The next steps of a report.
    Steps,
    /// Headings and paragraphs of long prose.
    Sections,
    /// The articles of a bulletin.
    Articles,
    /// The items a supervision letter presses for.
    Items,
    /// A batch's recipients: one document per row.
    Recipients,
}

/// What a column is for: how the code finds a built-in sheet's column, and how the checks find a
/// declared sheet's `serial` and `item` columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    /// 文件信息's column of key names.
    Key,
    /// 文件信息's column of values.
    Value,
    /// A row's number as typed (序号).
    Serial,
    /// The text a row is about: a finding, a task, a step (checked for duplicates and length).
    Item,
    /// The first grouping of issues (层面).
    Tier,
    /// The grouping within a tier (类别).
    Category,
    /// Where an issue or article comes from.
    Source,
    /// A 整改状态.
    Status,
    /// Measures, one per line.
    Measures,
    /// The unit responsible.
    Unit,
    /// The person responsible.
    Person,
    /// A deadline.
    Deadline,
    /// When an issue was closed.
    Finished,
    /// A remark.
    Note,
    /// The recipient a row goes to in a batch.
    Route,
    /// A heading's level.
    Depth,
    /// A title or heading.
    Title,
    /// Paragraphs.
    Content,
    /// A bulletin's rubric.
    Rubric,
    /// A recipient's name.
    Addressee,
}

/// The 文件信息 keys the code reads, by what they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum KeyId {
    Kind,
    Issuer,
    Mark,
    DocNumber,
    Signers,
    Seal,
    CopyNumber,
    Secrecy,
    SecrecyTerm,
    Urgency,
    Title,
    Addressee,
    Date,
    Signature,
    Note,
    Contact,
    Phone,
    Email,
    CopyTo,
    Printer,
    PrintDate,
    ReportTo,
    SendTo,
    BulletinName,
    BulletinNumber,
    Editor,
    AttachmentNote,
    IssuedTitle,
    NoticeBody,
}

fn fang_song() -> Vec<Role> {
    vec![Role::FangSong]
}

/// One column of a sheet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Column {
    /// What it is for, when the code or a check needs to find it.
    #[serde(default)]
    pub field: Option<Field>,
    /// The header name (white space inside a header is ignored when matching).
    pub name: String,
    /// Whether the header must have it, and every row a value in it.
    #[serde(default)]
    pub required: bool,
    /// What it holds.
    #[serde(default, rename = "type")]
    pub kind: Kind,
    /// The values a `choice` column takes (a dropdown in a blank workbook).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// The faces its text prints in (a heading column prints in the face of its level).
    #[serde(default = "fang_song", skip_serializing)]
    pub faces: Vec<Role>,
    /// Other headers clerks use for the same column.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
    /// What it means, in a clerk's words.
    #[serde(default)]
    pub meaning: String,
    /// A value for the example row of a blank workbook (empty: leave the cell empty).
    #[serde(default)]
    pub example: String,
}

impl Column {
    /// Whether a header written `name` is this column.
    pub fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.synonyms.iter().any(|s| s == name)
    }
}

/// A sheet read by header names.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Sheet {
    /// Which built-in sheet it is (a template's own sheets have none).
    #[serde(default, skip_serializing)]
    pub id: Option<SheetId>,
    /// The sheet's name.
    pub name: String,
    /// What it is for.
    #[serde(default)]
    pub meaning: String,
    /// Whether rows go to one recipient of a batch through a 收文单位 column (added when not
    /// declared).
    #[serde(default)]
    pub route: bool,
    /// Whether the sheet goes into the document's XLSX.
    #[serde(default)]
    pub xlsx: bool,
    /// The supervisor's checks that apply to its rows.
    #[serde(default)]
    pub checks: Vec<Check>,
    /// Its columns, in the order a blank workbook lays them out.
    pub columns: Vec<Column>,
    /// Example rows for a blank workbook (column name → value); without them, one row of the
    /// columns' `example`s.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<std::collections::BTreeMap<String, String>>,
}

impl Sheet {
    /// The names of the columns a header row must hold.
    pub fn required(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter(|c| c.required)
            .map(|c| c.name.as_str())
            .collect()
    }

    /// The column declared under `name` or one of its synonyms.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.answers_to(name))
    }

    /// The column that is `field`, if the sheet has one.
    pub fn field(&self, field: Field) -> Option<&Column> {
        self.columns.iter().find(|c| c.field == Some(field))
    }

    /// The name of the column that is `field`.
    ///
    /// # Panics
    /// When the sheet declares no such column: `contract.toml` and the code disagree, which the
    /// tests of every reader find.
    pub fn col(&self, field: Field) -> &str {
        match self.field(field) {
            Some(c) => &c.name,
            None => panic!("「{}」没有声明 {field:?} 列", self.name),
        }
    }

    /// Whether the declaration turns `check` on.
    pub fn checks(&self, check: Check) -> bool {
        self.checks.contains(&check)
    }

    /// The example rows of a blank workbook, as one value per column.
    pub fn example_rows(&self) -> Vec<Vec<String>> {
        if self.examples.is_empty() {
            return vec![self.columns.iter().map(|c| c.example.clone()).collect()];
        }
        self.examples
            .iter()
            .map(|row| {
                self.columns
                    .iter()
                    .map(|c| row.get(&c.name).cloned().unwrap_or_default())
                    .collect()
            })
            .collect()
    }

    /// Completes a declaration (the 收文单位 column of a routed sheet) and checks it: names
    /// unique, choices given, examples naming its columns.
    ///
    /// # Errors
    /// What is wrong with it, in a template author's words.
    pub fn settle(&mut self, route: &str) -> Result<(), String> {
        if self.route && self.column(route).is_none() {
            self.columns.push(Column {
                field: Some(Field::Route),
                name: route.to_string(),
                required: false,
                kind: Kind::Text,
                choices: Vec::new(),
                faces: fang_song(),
                synonyms: Vec::new(),
                meaning: "批量发文时，这一行只发给这个收文单位；留空则发给每一个".to_string(),
                example: String::new(),
            });
        }
        let name = self.name.trim();
        if name.is_empty() {
            return Err("工作表的 name 为空".to_string());
        }
        let mut seen: Vec<&str> = Vec::new();
        for c in &self.columns {
            for n in std::iter::once(&c.name).chain(&c.synonyms) {
                if seen.contains(&n.as_str()) {
                    return Err(format!("工作表「{name}」的列名“{n}”重复"));
                }
                seen.push(n);
            }
            if c.kind == Kind::Choice && c.choices.is_empty() {
                return Err(format!(
                    "工作表「{name}」的列「{}」是 choice 类型，但没有写 choices（可选的值）",
                    c.name
                ));
            }
        }
        for row in &self.examples {
            if let Some(unknown) = row.keys().find(|k| self.column(k).is_none()) {
                return Err(format!(
                    "工作表「{name}」的 examples 中的“{unknown}”不是它声明的列"
                ));
            }
        }
        let needs = |check: Check, field: Field| {
            if self.checks(check) && self.field(field).is_none() {
                Err(format!(
                    "工作表「{name}」开启了检查 {}，但没有 field = \"{}\" 的列",
                    check.id(),
                    match field {
                        Field::Serial => "serial",
                        _ => "item",
                    }
                ))
            } else {
                Ok(())
            }
        };
        needs(Check::Serial, Field::Serial)?;
        needs(Check::Duplicates, Field::Item)?;
        needs(Check::Short, Field::Item)
    }
}

/// One key of the 文件信息 sheet.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Key {
    /// Which key it is.
    pub id: KeyId,
    /// The key as written in the 项目 column.
    pub name: String,
    /// Whether every workbook must give it.
    #[serde(default)]
    pub required: bool,
    /// What it holds.
    #[serde(default, rename = "type")]
    pub kind: Kind,
    /// The faces its value prints in.
    #[serde(default = "fang_song")]
    pub faces: Vec<Role>,
    /// What it means.
    #[serde(default)]
    pub meaning: String,
    /// A value for a blank workbook (empty: the key is listed without a value).
    #[serde(default)]
    pub example: String,
}

/// The example appendix sheet of a blank workbook.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppendixExample {
    /// Its title, over the header.
    pub title: String,
    /// Its header.
    pub header: Vec<String>,
    /// Its example row.
    pub row: Vec<String>,
    /// Its column widths, in characters.
    pub widths: Vec<f64>,
}

/// The whole contract, as `contract.toml` declares it.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Contract {
    /// The prefix of appendix sheets: 附件1, 附件2…
    pub appendix_prefix: String,
    /// A sheet that explains a workbook to the clerk; never read.
    pub notes_sheet: String,
    /// The example appendix sheet of a blank workbook.
    pub appendix_example: AppendixExample,
    /// The built-in sheets.
    pub sheets: Vec<Sheet>,
    /// The 文件信息 keys.
    pub keys: Vec<Key>,
}

/// The declarations, as written.
pub const SOURCE: &str = include_str!("contract.toml");

impl Contract {
    /// Reads and settles `text`.
    ///
    /// # Errors
    /// When it is no valid declaration.
    pub fn parse(text: &str) -> Result<Contract, String> {
        let mut c: Contract = toml::from_str(text).map_err(|e| e.to_string())?;
        let route = c
            .sheets
            .iter()
            .find(|s| s.id == Some(SheetId::Recipients))
            .map(|s| s.name.clone())
            .ok_or("没有声明收文单位工作表")?;
        for s in &mut c.sheets {
            s.settle(&route)?;
        }
        Ok(c)
    }
}

/// The contract gongwen is built with.
pub fn get() -> &'static Contract {
    static CONTRACT: std::sync::LazyLock<Contract> = std::sync::LazyLock::new(|| {
        // Compiled in and parsed by a unit test: it cannot fail in a built binary.
        Contract::parse(SOURCE).unwrap_or_else(|e| panic!("contract.toml: {e}"))
    });
    &CONTRACT
}

/// The built-in sheet `id`.
pub fn sheet(id: SheetId) -> &'static Sheet {
    get()
        .sheets
        .iter()
        .find(|s| s.id == Some(id))
        .unwrap_or_else(|| panic!("contract.toml declares no {id:?} sheet"))
}

/// The built-in sheet named `name` (surrounding white space ignored).
pub fn named(name: &str) -> Option<&'static Sheet> {
    get().sheets.iter().find(|s| s.name == name.trim())
}

/// Every built-in sheet.
pub fn sheets() -> &'static [Sheet] {
    &get().sheets
}

/// Every 文件信息 key the contract names. Any other key is a free variable for templates.
pub fn keys() -> &'static [Key] {
    &get().keys
}

/// The name of the key `id`.
pub fn key(id: KeyId) -> &'static str {
    keys()
        .iter()
        .find(|k| k.id == id)
        .map(|k| k.name.as_str())
        .unwrap_or_else(|| panic!("contract.toml declares no {id:?} key"))
}

/// The contract's key named `name`.
pub fn info_key(name: &str) -> Option<&'static Key> {
    keys().iter().find(|k| k.name == name)
}

/// The column through which rows go to one recipient of a batch: the recipients sheet's name.
pub fn route() -> &'static str {
    &sheet(SheetId::Recipients).name
}

/// The prefix of appendix sheets: 附件1, 附件2…
pub fn appendix() -> &'static str {
    &get().appendix_prefix
}

/// A sheet that explains a workbook to the clerk (written by `gongwen new`); never read.
pub fn notes() -> &'static str {
    &get().notes_sheet
}

/// The number of an appendix sheet (`附件2` or `附件2 尾矿库一览表` → 2).
pub fn appendix_number(sheet_name: &str) -> Option<u32> {
    let rest = sheet_name.trim().strip_prefix(appendix())?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|n| *n > 0)
}

/// The declarations as the tables of `docs/input-contract.md` (a test keeps the document in
/// step with them): every sheet with its flags and columns, every 文件信息 key, the column types
/// and the checks.
pub fn markdown() -> String {
    let yes = |b: bool| if b { "yes" } else { "" };
    let cell = |t: &str| t.replace('|', "\\|").replace('\n', " / ");
    let mut out = String::new();
    for s in sheets() {
        out.push_str(&format!("#### {}\n\n{}", s.name, cell(&s.meaning)));
        let mut flags = Vec::new();
        if s.route {
            flags.push(format!("rows route by {} (`route`)", route()));
        }
        if s.xlsx {
            flags.push("goes into the XLSX (`xlsx`)".to_string());
        }
        if !s.checks.is_empty() {
            let ids: Vec<String> = s.checks.iter().map(|c| format!("`{}`", c.id())).collect();
            flags.push(format!("checks {}", ids.join(", ")));
        }
        if !flags.is_empty() {
            out.push_str(&format!("\n\nFlags: {}.", flags.join("; ")));
        }
        out.push_str("\n\n| column | type | required | also accepted | field | meaning |\n| --- | --- | --- | --- | --- | --- |\n");
        for c in &s.columns {
            let field = c
                .field
                .map(|f| format!("`{}`", serde_plain(&f)))
                .unwrap_or_default();
            let mut meaning = cell(&c.meaning);
            if !c.choices.is_empty() {
                meaning.push_str(&format!("（可选：{}）", c.choices.join("、")));
            }
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                c.name,
                c.kind.id(),
                yes(c.required),
                c.synonyms.join(", "),
                field,
                meaning
            ));
        }
        out.push('\n');
    }
    out.push_str("#### 文件信息 keys\n\n| key | type | required | meaning | example |\n| --- | --- | --- | --- | --- |\n");
    for k in keys() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            k.name,
            k.kind.id(),
            yes(k.required),
            cell(&k.meaning),
            cell(&k.example)
        ));
    }
    out.push_str("\n#### Column types\n\n| type | accepts |\n| --- | --- |\n");
    for k in Kind::ALL {
        out.push_str(&format!("| `{}` | {} |\n", k.id(), k.meaning()));
    }
    out.push_str("\n#### Checks\n\n| check | finds |\n| --- | --- |\n");
    for c in Check::ALL {
        out.push_str(&format!("| `{}` | {} |\n", c.id(), cell(c.meaning())));
    }
    out
}

/// An enum's name as a declaration writes it.
fn serde_plain(value: &impl serde::Serialize) -> String {
    toml::Value::try_from(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

const TITLE: &[Role] = &[Role::XiaoBiaoSong];
const HEI: &[Role] = &[Role::Hei];
const FANG: &[Role] = &[Role::FangSong];

/// Faces of an appendix table: its title, its header, its body.
pub const APPENDIX_FACES: [&[Role]; 3] = [TITLE, HEI, FANG];

/// The face of text of a sheet the contract does not declare (read by a template).
pub const OTHER_FACES: &[Role] = FANG;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_by_their_names() {
        assert_eq!(Format::parse("信函格式"), Some(Format::Letter));
        assert_eq!(Format::parse("文件"), Some(Format::File));
        assert_eq!(Format::parse(" 简报 "), Some(Format::Bulletin));
        assert_eq!(Format::parse("命令"), None);
    }

    #[test]
    fn appendix_sheets_are_numbered() {
        let a = appendix();
        assert_eq!(appendix_number(&format!("{a}1")), Some(1));
        assert_eq!(appendix_number(&format!(" {a}12 包保一览表")), Some(12));
        assert_eq!(appendix_number(a), None);
        assert_eq!(appendix_number(&format!("{a}说明")), None);
        assert_eq!(appendix_number(&format!("{a}0")), None);
    }

    #[test]
    fn the_contract_parses_and_declares_every_id_once() {
        let c = Contract::parse(SOURCE).unwrap();
        let ids: Vec<SheetId> = c.sheets.iter().filter_map(|s| s.id).collect();
        for id in [
            SheetId::Info,
            SheetId::Issues,
            SheetId::Steps,
            SheetId::Sections,
            SheetId::Articles,
            SheetId::Items,
            SheetId::Recipients,
        ] {
            assert_eq!(ids.iter().filter(|i| **i == id).count(), 1, "{id:?}");
        }
        let mut names: Vec<&str> = c.sheets.iter().map(|s| s.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), c.sheets.len());
        let mut keys: Vec<&str> = c.keys.iter().map(|k| k.name.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), c.keys.len());
        for s in &c.sheets {
            let mut fields: Vec<Field> = s.columns.iter().filter_map(|c| c.field).collect();
            let n = fields.len();
            fields.sort_by_key(|f| format!("{f:?}"));
            fields.dedup();
            assert_eq!(fields.len(), n, "{}: a field twice", s.name);
        }
    }

    #[test]
    fn a_routed_sheet_gets_its_route_column_and_a_bad_declaration_is_explained() {
        let mut s: Sheet = toml::from_str(
            "name = \"检查记录\"\nroute = true\nchecks = [\"serial\"]\ncolumns = [{ name = \"单位\" }]",
        )
        .unwrap();
        let err = s.clone().settle(route()).unwrap_err();
        assert!(err.contains("serial"), "{err}");
        s.checks.clear();
        s.settle(route()).unwrap();
        assert_eq!(s.columns[1].name, route());
        assert_eq!(s.columns[1].field, Some(Field::Route));
        let mut choice: Sheet =
            toml::from_str("name = \"表\"\ncolumns = [{ name = \"类型\", type = \"choice\" }]")
                .unwrap();
        assert!(choice.settle(route()).unwrap_err().contains("choices"));
        let unknown = toml::from_str::<Sheet>(
            "name = \"表\"\ncolumns = [{ name = \"甲\", kind = \"date\" }]",
        );
        assert!(unknown.is_err(), "unknown fields are refused");
    }
}
