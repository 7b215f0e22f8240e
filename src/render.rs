//! Render: Tera templates that emit Typst, with every spreadsheet value inserted as literal text.
//!
//! Templates live in the project's `templates/` folder; any that are missing come from the
//! defaults built into the binary, so a folder holding only `input/` still builds. Autoescaping
//! is on for `.typ.tera` templates with an escape that writes each value as a Typst string
//! literal in markup (`#"…";`): whatever a cell holds (`#`, `$`, `*`, `//`, `{{`, quotes…), it
//! prints as the same characters and can never become markup, code or a file path.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use tera::{Context, ErrorKind, Tera, Value};

use crate::model::View;

/// The shared Typst style library every 文种 imports as `/gongwen.typ`.
pub const STYLE_LIBRARY: &str = "gongwen.typ";
/// The suffix of a 文种 template: `templates/<文种>.typ.tera`.
pub const TEMPLATE_SUFFIX: &str = ".typ.tera";

/// Templates built into the binary: (file name, text).
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (STYLE_LIBRARY, include_str!("../templates/gongwen.typ")),
    (
        "整改报告.typ.tera",
        include_str!("../templates/整改报告.typ.tera"),
    ),
    (
        "整改情况报告.typ.tera",
        include_str!("../templates/整改情况报告.typ.tera"),
    ),
    (
        "督办函.typ.tera",
        include_str!("../templates/督办函.typ.tera"),
    ),
    (
        "_正文.typ.tera",
        include_str!("../templates/_正文.typ.tera"),
    ),
];

/// Writes `text` as a Typst string literal body (without quotes).
fn write_typst_string(text: &str, out: &mut dyn Write) -> std::io::Result<()> {
    for c in text.chars() {
        match c {
            '\\' => out.write_all(b"\\\\")?,
            '"' => out.write_all(b"\\\"")?,
            '\n' => out.write_all(b"\\n")?,
            '\r' => out.write_all(b"\\r")?,
            '\t' => out.write_all(b"\\t")?,
            c if c.is_control() => write!(out, "\\u{{{:x}}}", c as u32)?,
            c => write!(out, "{c}")?,
        }
    }
    Ok(())
}

/// The autoescape function: a value in markup becomes `#"…";`, literal text.
pub fn escape_markup(text: &str, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(b"#\"")?;
    write_typst_string(text, out)?;
    out.write_all(b"\";")
}

/// A value as a content argument: `[#"…";]`, or `none` when empty (`{{ x | content }}`).
pub fn content(text: &str) -> String {
    if text.trim().is_empty() {
        return "none".to_string();
    }
    let mut out = Vec::with_capacity(text.len() + 6);
    out.push(b'[');
    escape_markup(text, &mut out).expect("writing to a Vec cannot fail");
    out.push(b']');
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

/// A value as a Typst string literal, for code positions: `{{ x | typst_str }}` → `"…"`.
pub fn typst_string(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    out.push(b'"');
    write_typst_string(text, &mut out).expect("writing to a Vec cannot fail");
    out.push(b'"');
    String::from_utf8(out).expect("escaping keeps UTF-8")
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
    broken: BTreeMap<String, String>,
}

impl Templates {
    /// Loads `dir`'s templates over the built-in defaults. A template with a syntax error does
    /// not stop the others: using it reports the error.
    pub fn load(dir: Option<&Path>) -> Templates {
        let mut sources: BTreeMap<String, Source> = DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| {
                let source = Source {
                    display: format!("内置模板 {name}"),
                    text: (*text).to_string(),
                };
                ((*name).to_string(), source)
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
                        broken.insert(name, format!("无法读取模板 {display}（{e}）"));
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
        Templates {
            tera,
            sources,
            broken,
        }
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
    /// A message in Chinese naming the template file and line.
    pub fn render(&self, kind: &str, view: &View) -> Result<String, String> {
        let name = format!("{kind}{TEMPLATE_SUFFIX}");
        if kind.starts_with('_') || kind.contains(['/', '\\']) {
            return Err(format!(
                "文种「{kind}」不是有效的文种名称；现有文种：{}",
                self.kinds().join("、")
            ));
        }
        if let Some(message) = self.broken.get(&name) {
            return Err(message.clone());
        }
        let Some(source) = self.sources.get(&name) else {
            return Err(format!(
                "没有文种「{kind}」的模板（应为 templates/{name}）；现有文种：{}",
                self.kinds().join("、")
            ));
        };
        let context =
            Context::from_serialize(view).map_err(|e| format!("无法准备模板数据（{e}）"))?;
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

/// A Tera error as a Chinese message with the template file and line.
fn describe_tera_error(error: &tera::Error, display: &str) -> String {
    match error.kind() {
        ErrorKind::SyntaxError(report) => format!(
            "模板 {display} 第{}行第{}列有语法错误：{}",
            report.span().start_line,
            report.span().start_col + 1,
            report.message()
        ),
        ErrorKind::RenderingError(report) => format!(
            "模板 {display} 第{}行第{}列渲染出错：{}",
            report.span().start_line,
            report.span().start_col + 1,
            report.message()
        ),
        other => format!("模板 {display} 出错：{other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn every_template_in_the_repository_is_built_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        for (name, _) in project_templates(std::path::Path::new(dir)) {
            assert!(
                DEFAULT_TEMPLATES.iter().any(|(n, _)| *n == name),
                "templates/{name} is not in DEFAULT_TEMPLATES: a folder without templates/ could not use it"
            );
        }
        let built_in = Templates::load(None);
        assert!(built_in.broken.is_empty(), "{:?}", built_in.broken);
        assert_eq!(built_in.kinds(), ["整改情况报告", "整改报告", "督办函"]);
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
        let view = crate::model::tests_support::sample_view();
        let err = templates.render("坏模板", &view).unwrap_err();
        assert!(err.contains("templates/坏模板.typ.tera 第2行"), "{err}");
        let err = templates.render("不存在", &view).unwrap_err();
        assert!(err.contains("整改报告"), "{err}");
    }
}
