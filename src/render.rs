//! Render: Tera templates that emit Typst, with every spreadsheet value inserted as literal text.
//!
//! Templates live in the project's `templates/` folder; any that are missing come from the
//! defaults built into the binary, so a folder holding only `input/` still builds. Autoescaping
//! is on for `.typ.tera` templates with an escape that writes each value as a Typst string
//! literal in markup (`#"…";`): whatever a cell holds (`#`, `$`, `*`, `//`, `{{`, quotes…), it
//! prints as the same characters and can never become markup, code or a file path.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tera::{Context, ErrorKind, Tera, Value};

use crate::diag::SourcePlace;
use crate::escape::{content, escape_markup, typst_string};
use crate::spec::Spec;

/// The shared Typst style library every 文种 imports as `/gongwen.typ`.
pub(crate) const STYLE_LIBRARY: &str = "gongwen.typ";
/// The suffix of a 文种 template: `templates/<文种>.typ.tera`.
pub(crate) const TEMPLATE_SUFFIX: &str = ".typ.tera";

/// The repository's `templates/` folder, built into the binary: every template and partial in
/// it is a built-in one, so adding a 文种 to gongwen itself is adding a file there too.
static BUILT_IN: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Templates built into the binary: (file name, text), sorted by name.
pub(crate) fn default_templates() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = BUILT_IN
        .files()
        .filter_map(|f| Some((f.path().to_str()?, f.contents_utf8()?)))
        .filter(|(name, _)| *name == STYLE_LIBRARY || name.ends_with(TEMPLATE_SUFFIX))
        .collect();
    out.sort();
    out
}

/// A number as Typst code: `12`, `12.5`.
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n:.2}")
    }
}

/// Where a template came from, for messages and the rebuild fingerprint.
#[derive(Debug, Clone)]
pub struct Source {
    /// `templates/整改报告.typ.tera`, or `内置模板 整改报告.typ.tera`.
    pub display: String,
    /// The text.
    pub text: String,
}

/// The loaded templates: the style library and one Tera template per 文种.
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, Source>,
    specs: BTreeMap<String, Spec>,
    broken: BTreeMap<String, TemplateFault>,
}

impl Templates {
    /// Loads `dir`'s templates over the built-in defaults. A template with a syntax error does
    /// not stop the others: using it reports the error.
    pub fn load(dir: Option<&Path>) -> Templates {
        let mut sources: BTreeMap<String, Source> = default_templates()
            .into_iter()
            .map(|(name, text)| {
                let source = Source {
                    display: format!("内置模板 {name}"),
                    text: text.to_string(),
                };
                (name.to_string(), source)
            })
            .collect();
        let mut broken = BTreeMap::new();
        if let Some(dir) = dir {
            for (name, result) in project_templates(dir) {
                let display = format!("templates/{name}");
                match result {
                    Ok(text) => {
                        sources.insert(name, Source { display, text });
                    }
                    Err(e) => {
                        broken.insert(name, format!("无法读取模板 {display}（{e}）").into());
                    }
                }
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on([TEMPLATE_SUFFIX]);
        tera.set_escape_fn(escape_markup);
        tera.register_filter("typst_str", |s: &str, _: tera::Kwargs, _: &tera::State| {
            Value::safe_string(&typst_string(s))
        });
        tera.register_filter("content", |s: &str, _: tera::Kwargs, _: &tera::State| {
            Value::safe_string(&content(s))
        });
        tera.register_filter("cell", |s: &str, _: tera::Kwargs, _: &tera::State| {
            Value::safe_string(&if s.trim().is_empty() {
                "[]".to_string()
            } else {
                content(s)
            })
        });
        tera.register_filter("num", |n: f64, _: tera::Kwargs, _: &tera::State| {
            Value::safe_string(&format_number(n))
        });
        tera.register_filter(
            "contents",
            |list: Vec<String>, _: tera::Kwargs, _: &tera::State| {
                let items: String = list.iter().map(|s| format!("{}, ", content(s))).collect();
                Value::safe_string(&format!("({items})"))
            },
        );
        // Shared partials (`_…`) first, so that templates including them find them.
        let mut names: Vec<&String> = sources
            .keys()
            .filter(|n| n.ends_with(TEMPLATE_SUFFIX))
            .collect();
        names.sort_by_key(|n| !n.starts_with('_'));
        for name in names {
            let source = &sources[name];
            if let Err(e) = tera.add_raw_template(name, &source.text) {
                broken.insert(name.clone(), describe_tera_error(&e, &source.display));
            }
        }
        let mut specs = BTreeMap::new();
        for (name, source) in &sources {
            let Some(kind) = name
                .strip_suffix(TEMPLATE_SUFFIX)
                .filter(|k| !k.starts_with('_'))
            else {
                continue;
            };
            match crate::spec::parse(kind, &source.text, &source.display) {
                Ok(spec) => {
                    specs.insert(kind.to_string(), spec);
                }
                Err(message) => {
                    broken.entry(name.clone()).or_insert(message.into());
                }
            }
        }
        Templates {
            tera,
            sources,
            specs,
            broken,
        }
    }

    /// What the 文种's template declares.
    ///
    /// # Errors
    /// A message in Chinese when there is no such 文种 (listing the known ones) or its template
    /// is broken.
    pub fn spec(&self, kind: &str) -> Result<&Spec, String> {
        let name = format!("{kind}{TEMPLATE_SUFFIX}");
        if let Some(fault) = self.broken.get(&name) {
            return Err(fault.to_string());
        }
        self.specs.get(kind).ok_or_else(|| {
            format!(
                "没有文种「{kind}」（应有模板 templates/{name}）；现有文种：{}",
                self.kinds().join("、")
            )
        })
    }

    /// A hash of every template's text (built-in and the project's), for the rebuild check.
    pub fn fingerprint(&self) -> String {
        let mut h = blake3::Hasher::new();
        for (name, source) in &self.sources {
            for part in [name.as_bytes(), source.text.as_bytes()] {
                h.update(&(part.len() as u64).to_le_bytes());
                h.update(part);
            }
        }
        h.finalize().to_hex().to_string()
    }

    /// The style library's text.
    pub fn style_library(&self) -> &Source {
        &self.sources[STYLE_LIBRARY]
    }

    /// The texts a 文种's document depends on: its template and every shared partial.
    pub fn texts_for(&self, kind: &str) -> Vec<&str> {
        let own = format!("{kind}{TEMPLATE_SUFFIX}");
        self.sources
            .iter()
            .filter(|(n, _)| **n == own || n.starts_with('_'))
            .map(|(_, s)| s.text.as_str())
            .collect()
    }

    /// The 文种 that have a template (names starting with `_` are shared partials).
    pub fn kinds(&self) -> Vec<&str> {
        self.sources
            .keys()
            .filter(|n| !n.starts_with('_'))
            .filter_map(|n| n.strip_suffix(TEMPLATE_SUFFIX))
            .collect()
    }

    /// Renders the 文种's template over `view` into Typst source.
    ///
    /// # Errors
    /// What went wrong, in Chinese, with the template file and line where there is one.
    pub fn render(&self, kind: &str, view: &impl Serialize) -> Result<String, TemplateFault> {
        let name = format!("{kind}{TEMPLATE_SUFFIX}");
        if kind.starts_with('_') || kind.contains(['/', '\\']) {
            return Err(format!(
                "文种「{kind}」不是有效的文种名称；现有文种：{}",
                self.kinds().join("、")
            )
            .into());
        }
        if let Some(fault) = self.broken.get(&name) {
            return Err(fault.clone());
        }
        let Some(source) = self.sources.get(&name) else {
            return Err(format!(
                "没有文种「{kind}」的模板（应为 templates/{name}）；现有文种：{}",
                self.kinds().join("、")
            )
            .into());
        };
        let context = Context::from_serialize(view)
            .map_err(|e| TemplateFault::from(format!("无法准备模板数据（{e}）")))?;
        self.tera
            .render(&name, &context)
            .map_err(|e| describe_tera_error(&e, &source.display))
    }
}

fn project_templates(dir: &Path) -> Vec<(String, std::io::Result<String>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, std::io::Result<String>)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            (name == STYLE_LIBRARY || name.ends_with(TEMPLATE_SUFFIX))
                .then(|| (name, std::fs::read_to_string(e.path())))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// What went wrong with a template: where in it (when known) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateFault {
    /// The template file, line and column.
    pub place: Option<SourcePlace>,
    /// What, in Chinese.
    pub message: String,
}

impl From<String> for TemplateFault {
    fn from(message: String) -> TemplateFault {
        TemplateFault {
            place: None,
            message,
        }
    }
}

impl std::fmt::Display for TemplateFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.place {
            Some(place) => write!(f, "模板 {place}：{}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// A Tera error with the template file and line it points at.
fn describe_tera_error(error: &tera::Error, display: &str) -> TemplateFault {
    let (what, report) = match error.kind() {
        ErrorKind::SyntaxError(report) => ("有语法错误", report),
        ErrorKind::RenderingError(report) => ("渲染出错", report),
        other => return format!("模板 {display} 出错：{other}").into(),
    };
    TemplateFault {
        place: Some(SourcePlace {
            file: display.to_string(),
            line: report.span().start_line as u32,
            column: report.span().start_col as u32 + 1,
        }),
        message: format!("{what}：{}", report.message()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Format;

    #[test]
    fn values_become_typst_string_literals() {
        let mut out = Vec::new();
        escape_markup("a\"b\\c\nd #x $y$ {{ z }}", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "#\"a\\\"b\\\\c\\nd #x $y$ {{ z }}\";"
        );
        assert_eq!(typst_string("〔2024〕\"1\"号"), "\"〔2024〕\\\"1\\\"号\"");
    }

    #[test]
    fn every_template_in_the_repository_is_built_in_and_declares_its_format() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let built: Vec<&str> = default_templates().iter().map(|(n, _)| *n).collect();
        for (name, _) in project_templates(std::path::Path::new(dir)) {
            assert!(
                built.contains(&name.as_str()),
                "templates/{name} is not built in"
            );
        }
        let built_in = Templates::load(None);
        assert!(built_in.broken.is_empty(), "{:?}", built_in.broken);
        assert_eq!(
            built_in.kinds(),
            ["整改情况报告", "整改报告", "督办函", "简报", "通知"]
        );
        assert_eq!(built_in.spec("督办函").unwrap().format, Format::Letter);
        assert_eq!(built_in.spec("简报").unwrap().format, Format::Bulletin);
        assert_eq!(built_in.spec("通知").unwrap().format, Format::File);
        assert_eq!(
            built_in.spec("整改报告").unwrap().requires,
            [crate::contract::sheet(crate::contract::SheetId::Issues)
                .name
                .clone()]
        );
    }

    #[test]
    fn a_template_without_a_declared_format_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("无声明.typ.tera"), "正文").unwrap();
        std::fs::write(
            dir.path().join("错格式.typ.tera"),
            "{#+++\nformat = \"命令\"\n+++#}\n正文",
        )
        .unwrap();
        let templates = Templates::load(Some(dir.path()));
        let err = templates.spec("无声明").unwrap_err();
        assert!(
            err.contains("templates/无声明.typ.tera 开头没有声明格式"),
            "{err}"
        );
        let err = templates.spec("错格式").unwrap_err();
        assert!(err.contains("“命令”无法识别"), "{err}");
        let err = templates.spec("不存在").unwrap_err();
        assert!(err.contains("现有文种：") && err.contains("简报"), "{err}");
    }

    #[test]
    fn template_errors_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("坏模板.typ.tera"),
            "第一行\n{{ doc.title \n",
        )
        .unwrap();
        let templates = Templates::load(Some(dir.path()));
        let view = serde_json::json!({ "doc": { "title": "标题" } });
        let err = templates.render("坏模板", &view).unwrap_err();
        let place = err.place.clone().expect("a place");
        assert_eq!(
            (place.file.as_str(), place.line),
            ("templates/坏模板.typ.tera", 2)
        );
        assert!(
            err.to_string().contains("templates/坏模板.typ.tera 第2行"),
            "{err}"
        );
        let err = templates.render("不存在", &view).unwrap_err();
        assert!(
            err.place.is_none() && err.message.contains("整改报告"),
            "{err}"
        );
    }
}
