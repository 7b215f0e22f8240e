//! Problems found in a clerk's data, reported in Chinese with file, sheet and cell.
//!
//! Data problems are values, not `Err`s: every stage collects them into a [`Report`] so that all
//! problems of a workbook are shown at once, and a workbook with errors never stops the others.
//! Every problem is an instance of a named [`Rule`]: its stable code (for `gongwen.toml` and
//! scripts), its Chinese name and its severity are declared once, below.

use std::fmt;

use serde::Serialize;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The document cannot be built correctly; nothing is written for this workbook.
    Error,
    /// The document is built, but the clerk should look at this.
    Warning,
}

impl Severity {
    /// 错误 / 警告
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

macro_rules! rules {
    ($($variant:ident = $code:literal, $name:literal, $severity:ident;)*) => {
        /// Every kind of problem gongwen reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(
                #[doc = $name]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in the order they are declared.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable code: `serial-gap`. Scripts and `gongwen.toml` use it.
            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code),* }
            }

            /// The Chinese name: 序号缺号.
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name),* }
            }

            /// Whether it stops the workbook (error) or only warns.
            pub fn severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity),* }
            }
        }
    };
}

rules! {
    FileUnreadable = "file-unreadable", "无法读取文件", Error;
    FileCorrupt = "file-corrupt", "文件损坏或不是工作簿", Error;
    FileEncrypted = "file-encrypted", "工作簿设有密码", Error;
    FileEmpty = "file-empty", "工作簿是空的", Error;
    SheetMissing = "sheet-missing", "缺少工作表", Error;
    HeaderMissing = "header-missing", "缺少表头或列", Error;
    KeyMissing = "key-missing", "缺少必填项目", Error;
    ValueMissing = "value-missing", "必填内容为空", Error;
    ValueInvalid = "value-invalid", "内容无法识别", Error;
    KindUnknown = "kind-unknown", "文种无法识别", Error;
    DateInvalid = "date-invalid", "日期无法识别", Error;
    StatusUnknown = "status-unknown", "整改状态无法识别", Error;
    RecipientUnknown = "recipient-unknown", "收文单位无法识别", Error;
    RecipientDuplicate = "recipient-duplicate", "收文单位重复", Error;
    CellError = "cell-error", "公式错误", Error;
    FormulaUncomputed = "formula-uncomputed", "公式没有计算结果", Error;
    RequiredListEmpty = "required-list-empty", "必需的清单没有内容", Error;
    TemplateError = "template-error", "模板错误", Error;
    TypesetError = "typeset-error", "排版错误", Error;
    WriteFailed = "write-failed", "无法写入输出文件", Error;
    Internal = "internal", "内部错误", Error;
    SheetUnread = "sheet-unread", "工作表未被读取", Warning;
    ColumnUnread = "column-unread", "列未被读取", Warning;
    KeyDuplicate = "key-duplicate", "项目重复填写", Warning;
    KeyUnnamed = "key-unnamed", "内容缺少项目名称", Warning;
    ListEmpty = "list-empty", "清单没有内容", Warning;
    SerialGap = "serial-gap", "序号缺号", Warning;
    SerialRepeat = "serial-repeat", "序号重复", Warning;
    DuplicateItem = "duplicate-item", "事项重复", Warning;
    NearDuplicate = "near-duplicate", "事项疑似重复", Warning;
    ItemTooShort = "item-too-short", "事项过短", Warning;
    HalfwidthPunctuation = "halfwidth-punctuation", "中文中夹用半角标点", Warning;
    DocNumberFormat = "doc-number-format", "发文字号格式不符", Warning;
    CopyNumberFormat = "copy-number-format", "份号不是6位数字", Warning;
    CopyToPeriod = "copy-to-period", "抄送末尾没有句号", Warning;
    AddresseeColon = "addressee-colon", "主送机关末尾多了冒号", Warning;
    Overdue = "overdue", "已逾期未完成", Warning;
    DoneWithoutDate = "done-without-date", "已完成整改但无完成时间", Warning;
    FinishedAfterDate = "finished-after-date", "完成时间晚于成文日期", Warning;
    CountMismatch = "count-mismatch", "文中数字与清单不符", Warning;
    GlyphMissing = "glyph-missing", "字体缺字", Warning;
    FileRenamed = "file-renamed", "收文单位名称不能直接作文件名", Warning;
    TypesetWarning = "typeset-warning", "排版警告", Warning;
    LayoutCheck = "layout-check", "版式检查未通过", Warning;
    ManifestUnsaved = "manifest-unsaved", "无法保存构建记录", Warning;
}

impl Rule {
    /// The rule with this code.
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.code() == code)
    }
}

/// Where a problem is: a file, optionally a sheet, optionally a cell (0-based row and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    /// The file as the clerk knows it (relative to the project when possible).
    pub file: String,
    /// The sheet name.
    pub sheet: Option<String>,
    /// Zero-based (row, column) of the cell, as Excel counts them.
    pub cell: Option<(u32, u32)>,
}

impl Loc {
    /// A whole file.
    pub fn file(file: impl Into<String>) -> Self {
        Loc {
            file: file.into(),
            sheet: None,
            cell: None,
        }
    }

    /// A whole sheet of a file.
    pub fn sheet(file: impl Into<String>, sheet: impl Into<String>) -> Self {
        Loc {
            file: file.into(),
            sheet: Some(sheet.into()),
            cell: None,
        }
    }

    /// One cell of a sheet.
    pub fn cell(file: impl Into<String>, sheet: impl Into<String>, row: u32, col: u32) -> Self {
        Loc {
            file: file.into(),
            sheet: Some(sheet.into()),
            cell: Some((row, col)),
        }
    }
}

/// The A1 name of a zero-based cell, e.g. `(6, 4)` → `E7`.
pub fn a1(row: u32, col: u32) -> String {
    rust_xlsxwriter::utility::row_col_to_cell(row, col as u16)
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " 工作表「{sheet}」")?;
        }
        if let Some((row, col)) = self.cell {
            write!(f, " 单元格 {}（第{}行）", a1(row, col), row + 1)?;
        }
        Ok(())
    }
}

impl Serialize for Loc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Loc", 4)?;
        st.serialize_field("file", &self.file)?;
        st.serialize_field("sheet", &self.sheet)?;
        st.serialize_field("cell", &self.cell.map(|(r, c)| a1(r, c)))?;
        st.serialize_field("row", &self.cell.map(|(r, _)| r + 1))?;
        st.end()
    }
}

/// A place in a text file: a template, the style library, generated Typst source (1-based line
/// and column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourcePlace {
    /// The file as the project names it (`templates/情况通报.typ.tera`).
    pub file: String,
    /// Its line, from 1.
    pub line: u32,
    /// Its column, from 1.
    pub column: u32,
}

impl fmt::Display for SourcePlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} 第{}行第{}列", self.file, self.line, self.column)
    }
}

/// One problem, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Which rule it breaks (its severity comes from the rule).
    pub rule: Rule,
    /// Where it is.
    pub loc: Loc,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// What the clerk should do.
    pub hint: Option<String>,
    /// The offending value as the cell holds it, when there is one.
    pub value: Option<String>,
    /// Where in a template or in Typst source the problem arose, for problems found there.
    pub source: Option<SourcePlace>,
}

impl Diagnostic {
    /// A problem of `rule` at `loc`.
    pub fn new(rule: Rule, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            loc,
            message: message.into(),
            hint: None,
            value: None,
            source: None,
        }
    }

    /// Records where in a template or Typst source it arose.
    pub fn source(mut self, place: Option<SourcePlace>) -> Self {
        self.source = place;
        self
    }

    /// Adds what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Records the offending value.
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Error or warning, by its rule.
    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}（{}）：{}：",
            self.severity().label(),
            self.rule.code(),
            self.loc,
        )?;
        if let Some(place) = &self.source {
            write!(f, "{place}：")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  处理办法：{hint}")?;
        }
        Ok(())
    }
}

impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Diagnostic", 9)?;
        st.serialize_field("severity", &self.severity())?;
        st.serialize_field("rule", self.rule.code())?;
        st.serialize_field("rule_name", self.rule.name())?;
        st.serialize_field("location", &self.loc)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("hint", &self.hint)?;
        st.serialize_field("source", &self.source)?;
        st.serialize_field("text", &self.to_string())?;
        st.end()
    }
}

/// All problems of one job, in the order they were found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The problems.
    pub items: Vec<Diagnostic>,
}

impl Report {
    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_locations_name_a1_and_excel_row() {
        let d = Diagnostic::new(
            Rule::StatusUnknown,
            Loc::cell(
                "input/a.xlsx",
                crate::contract::sheet(crate::contract::SheetId::Issues)
                    .name
                    .clone(),
                6,
                4,
            ),
            "整改状态“完成了”无法识别",
        )
        .hint("请填写 已完成整改、积极整改中 或 未启动");
        assert_eq!(
            d.to_string(),
            "错误（status-unknown）：input/a.xlsx 工作表「问题清单」 单元格 E7（第7行）：整改状态“完成了”无法识别\n  处理办法：请填写 已完成整改、积极整改中 或 未启动"
        );
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["location"]["cell"], "E7");
        assert_eq!(json["location"]["row"], 7);
        assert_eq!(json["severity"], "error");
    }

    #[test]
    fn docs_list_every_rule() {
        let docs = include_str!("../docs/checks.md");
        for r in Rule::ALL {
            assert!(
                docs.contains(&format!("`{}` | {} |", r.code(), r.name())),
                "docs/checks.md does not list {} ({})",
                r.code(),
                r.name()
            );
        }
    }

    #[test]
    fn rule_codes_are_unique_and_found_by_code() {
        let mut codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Rule::ALL.len());
        assert_eq!(Rule::from_code("serial-gap"), Some(Rule::SerialGap));
        assert_eq!(Rule::from_code("不存在"), None);
    }
}
