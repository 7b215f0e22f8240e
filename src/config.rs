//! Config: a project's `gongwen.toml`, optional, for what a project decides once rather than on
//! every command line.
//!
//! ```toml
//! [checks]
//! off = ["done-without-date", "halfwidth-punctuation"]  # warnings this project does not want
//! deny-warnings = true                                 # warnings make a build fail (exit 1)
//! as-of = 2024-06-30                                   # overdue as of this date
//!
//! [output]
//! docx = false                                         # no DOCX beside the PDFs
//! ```
//!
//! A misspelt key or an unknown rule is an error naming the file and the key, never ignored.

use std::path::Path;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::diag::{Rule, Severity};

/// The file name, in the project folder.
pub const FILE: &str = "gongwen.toml";

/// A project's settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The checks.
    #[serde(default)]
    pub checks: Checks,
    /// `gongwen serve`.
    #[serde(default)]
    pub serve: Serve,
    /// What a build writes.
    #[serde(default)]
    pub output: Output,
}

/// `[output]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Output {
    /// Whether an editable DOCX is written beside every document's PDF.
    #[serde(default = "yes")]
    pub docx: bool,
}

fn yes() -> bool {
    true
}

impl Default for Output {
    fn default() -> Output {
        Output { docx: true }
    }
}

/// `[serve]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Serve {
    /// The largest workbook the page accepts, in MiB.
    #[serde(default = "Serve::default_upload_limit")]
    pub upload_limit_mib: u64,
}

impl Serve {
    fn default_upload_limit() -> u64 {
        50
    }

    /// The upload limit in bytes.
    pub fn upload_limit(&self) -> u64 {
        self.upload_limit_mib.saturating_mul(1 << 20)
    }
}

impl Default for Serve {
    fn default() -> Serve {
        Serve {
            upload_limit_mib: Serve::default_upload_limit(),
        }
    }
}

/// `[checks]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Checks {
    /// Warning rules switched off, by code.
    #[serde(default)]
    pub off: Vec<String>,
    /// Whether warnings fail a build.
    #[serde(default)]
    pub deny_warnings: bool,
    /// The date items are overdue as of.
    #[serde(default)]
    pub as_of: Option<toml::value::Datetime>,
}

impl Config {
    /// Reads `gongwen.toml` in `project` (the defaults when there is none).
    ///
    /// # Errors
    /// When the file cannot be read or says something gongwen does not understand.
    pub fn load(project: &Path) -> anyhow::Result<Config> {
        let path = project.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(e).with_context(|| format!("无法读取 {}", path.display())),
        };
        let config: Config = toml::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "{} 第{}行有误：{}\n  处理办法：可用的设置是 [checks] 下的 off（关闭的规则）、deny-warnings（true/false）、as-of（日期，如 2024-06-30），[serve] 下的 upload-limit-mib（页面接受的工作簿大小上限，单位 MiB），以及 [output] 下的 docx（true/false，是否在 PDF 旁写可编辑的 DOCX）",
                FILE,
                e.span()
                    .map(|s| text[..s.start].lines().count().max(1))
                    .unwrap_or(1),
                e.message()
            )
        })?;
        for code in &config.checks.off {
            match Rule::from_code(code) {
                None => bail!(
                    "{FILE} 中 [checks] off 的“{code}”不是规则代码\n  处理办法：可以关闭的规则有：{}",
                    Rule::ALL
                        .iter()
                        .filter(|r| r.severity() == Severity::Warning)
                        .map(|r| format!("{}（{}）", r.code(), r.name()))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                Some(r) if r.severity() == Severity::Error => bail!(
                    "{FILE} 中 [checks] off 的“{code}”（{}）是错误，不能关闭：有错误的工作簿无法正确生成",
                    r.name()
                ),
                Some(_) => {}
            }
        }
        config.as_of()?;
        if config.serve.upload_limit_mib == 0 {
            bail!("{FILE} 中 [serve] upload-limit-mib 应大于 0（单位 MiB，默认 50）");
        }
        Ok(config)
    }

    /// Whether the project keeps warnings of `rule`.
    pub fn allows(&self, rule: Rule) -> bool {
        !self.checks.off.iter().any(|c| c == rule.code())
    }

    /// `as-of`, as a date.
    ///
    /// # Errors
    /// When it is not a plain date.
    pub fn as_of(&self) -> anyhow::Result<Option<NaiveDate>> {
        let Some(d) = &self.checks.as_of else {
            return Ok(None);
        };
        match (d.date, d.time) {
            (Some(date), None) => Ok(NaiveDate::from_ymd_opt(
                date.year.into(),
                date.month.into(),
                date.day.into(),
            )),
            _ => bail!("{FILE} 中 as-of 应是日期，如 as-of = 2024-06-30（不加引号、不带时间）"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> anyhow::Result<Config> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), text).unwrap();
        Config::load(dir.path())
    }

    #[test]
    fn rules_are_switched_off_by_code() {
        let c =
            load("[checks]\noff = [\"serial-gap\"]\ndeny-warnings = true\nas-of = 2024-06-30\n")
                .unwrap();
        assert!(!c.allows(Rule::SerialGap));
        assert!(c.allows(Rule::NearDuplicate));
        assert!(c.checks.deny_warnings);
        assert_eq!(c.as_of().unwrap(), NaiveDate::from_ymd_opt(2024, 6, 30));
        assert_eq!(c.serve.upload_limit(), 50 << 20);
        let c = load("[serve]\nupload-limit-mib = 2\n").unwrap();
        assert_eq!(c.serve.upload_limit(), 2 << 20);
        assert!(load("[serve]\nupload-limit-mib = 0\n").is_err());
    }

    #[test]
    fn mistakes_are_errors_in_chinese() {
        let e = load("[checks]\noff = [\"serial-gpa\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("“serial-gpa”不是规则代码") && e.contains("serial-gap"),
            "{e}"
        );
        let e = load("[checks]\noff = [\"date-invalid\"]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("不能关闭"), "{e}");
        let e = load("[check]\n").unwrap_err().to_string();
        assert!(e.contains("gongwen.toml 第1行有误"), "{e}");
        assert!(Config::load(tempfile::tempdir().unwrap().path()).is_ok());
    }
}
