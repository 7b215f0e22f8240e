//! Problems found in a clerk's data, reported in Chinese with file, sheet and cell.
//!
//! Data problems are values, not `Err`s: every stage collects them into a [`Report`] so that all
//! problems of a workbook are shown at once, and a workbook with errors never stops the others.

use std::fmt;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The document cannot be built correctly; nothing is written for this workbook.
    Error,
    /// The document is built, but the clerk should look at this.
    Warning,
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

/// One problem, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where it is.
    pub loc: Loc,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// What the clerk should do.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `loc`.
    pub fn error(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            loc,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `loc`.
    pub fn warning(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            loc,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(f, "{label}：{}：{}", self.loc, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  处理办法：{hint}")?;
        }
        Ok(())
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
        let d = Diagnostic::error(
            Loc::cell("input/a.xlsx", crate::contract::ISSUES.name, 6, 4),
            "整改状态“完成了”无法识别",
        )
        .hint("请填写 已完成整改、积极整改中 或 未启动");
        assert_eq!(
            d.to_string(),
            "错误：input/a.xlsx 工作表「问题清单」 单元格 E7（第7行）：整改状态“完成了”无法识别\n  处理办法：请填写 已完成整改、积极整改中 或 未启动"
        );
    }
}
