//! Lint: checks on validated data that do not stop a build — each a warning naming its cell.
//!
//! Today: characters that the face a cell prints in does not have.

use crate::diag::Diagnostic;
use crate::fonts::{FALLBACK_FAMILY, FontSet, Role};
use crate::validate::Printed;

/// Warns about every character of a printed cell that its face lacks, once per cell, character
/// and face.
pub fn coverage(printed: &[Printed], fonts: &FontSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in printed {
        if p.text.is_ascii() {
            continue;
        }
        for &role in p.faces {
            for (ch, fallback) in fonts.uncovered(role, &p.text) {
                out.push(uncovered_char(
                    ch,
                    fallback,
                    role,
                    &fonts.choice(role).family,
                    p,
                ));
            }
        }
    }
    out
}

fn uncovered_char(ch: char, fallback: bool, role: Role, face: &str, p: &Printed) -> Diagnostic {
    if fallback {
        Diagnostic::warning(
            p.loc.clone(),
            format!(
                "字符“{ch}”不在「{}」字体 {face} 中，将改用 {FALLBACK_FAMILY} 印出，字形与周围文字不同",
                role.name(),
            ),
        )
        .hint(format!(
            "如需字形一致，请把含有“{ch}”的正式{}字体放进 fonts/ 文件夹",
            role.name()
        ))
    } else {
        Diagnostic::warning(
            p.loc.clone(),
            format!(
                "字符“{ch}”（U+{:04X}）没有任何字体能够印出，将显示为空框",
                ch as u32
            ),
        )
        .hint("请改用常用字，或把含有该字的字体放进 fonts/ 文件夹")
    }
}
