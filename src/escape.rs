//! Escape: a cell's value as Typst source that can only ever print it as text: a string
//! literal, in markup (`#"…";`) or in code. Nothing a cell holds can become markup or code.

use std::io::Write;

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
pub(crate) fn escape_markup(text: &str, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(b"#\"")?;
    write_typst_string(text, out)?;
    out.write_all(b"\";")
}

/// A value as a content argument: `[#"…";]`, or `none` when empty (`{{ x | content }}`).
pub(crate) fn content(text: &str) -> String {
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
pub(crate) fn typst_string(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    out.push(b'"');
    write_typst_string(text, &mut out).expect("writing to a Vec cannot fail");
    out.push(b'"');
    String::from_utf8(out).expect("escaping keeps UTF-8")
}
