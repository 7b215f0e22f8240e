//! The contract is declared once: no sheet, column or key name of the declarations is spelt in
//! the code (a misspelt literal would read as an empty column), and the contract's tables in
//! docs/input-contract.md are the declarations'.

use std::path::{Path, PathBuf};

use gongwen::contract;

/// Every name the declarations give: sheets, columns and their synonyms, 文件信息 keys, the
/// appendix prefix and the notes sheet.
fn declared_names() -> Vec<String> {
    let c = contract::get();
    let mut names: Vec<String> = vec![c.appendix_prefix.clone(), c.notes_sheet.clone()];
    for s in &c.sheets {
        names.push(s.name.clone());
        for col in &s.columns {
            names.push(col.name.clone());
            names.extend(col.synonyms.iter().cloned());
        }
    }
    names.extend(c.keys.iter().map(|k| k.name.clone()));
    names.extend(c.appendix_example.header.iter().cloned());
    names.sort();
    names.dedup();
    names
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The string literals of `code` (plain and raw), with their line numbers; comments and the
/// test module at the end of a file left out.
fn literals(code: &str) -> Vec<(usize, String)> {
    let code = match code.find("#[cfg(test)]\nmod tests") {
        Some(i) => &code[..i],
        None => code,
    };
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
        }
        // Comments, doc comments included.
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        // A character literal such as '"' is no string.
        if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            i += 3;
            continue;
        }
        if c == '\'' && chars.get(i + 1) == Some(&'\\') && chars.get(i + 3) == Some(&'\'') {
            i += 4;
            continue;
        }
        let raw = c == 'r' && matches!(chars.get(i + 1), Some('"' | '#'));
        if c == '"' || raw {
            let start_line = line;
            let mut text = String::new();
            if raw {
                let mut hashes = 0;
                i += 1;
                while chars[i] == '#' {
                    hashes += 1;
                    i += 1;
                }
                i += 1;
                let close: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                while !chars[i..].iter().collect::<String>().starts_with(&close) {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    text.push(chars[i]);
                    i += 1;
                }
                i += close.chars().count();
            } else {
                i += 1;
                while chars[i] != '"' {
                    if chars[i] == '\\' {
                        text.push(chars[i]);
                        i += 1;
                    }
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    text.push(chars[i]);
                    i += 1;
                }
                i += 1;
            }
            out.push((start_line, text));
            continue;
        }
        i += 1;
    }
    out
}

#[test]
fn the_code_spells_no_declared_name() {
    let names = declared_names();
    assert!(names.len() > 60, "{names:?}");
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    let mut found = Vec::new();
    for f in &files {
        let code = std::fs::read_to_string(f).unwrap();
        for (line, lit) in literals(&code) {
            for n in &names {
                if lit.trim() == n || lit.contains(&format!("「{n}」")) {
                    found.push(format!(
                        "{}:{line}: \"{lit}\" names 「{n}」",
                        f.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                            .unwrap()
                            .display()
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "declared names spelt in the code (take them from gongwen::contract):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_literal_finder_finds_what_it_should() {
    let code = "// \"标题\" in a comment\nlet a = \"标题\";\nlet b = '\"';\nlet c = r#\"「问题清单」中\"#;\n#[cfg(test)]\nmod tests { \"x\" }";
    let found = literals(code);
    assert_eq!(
        found,
        [(2, "标题".to_string()), (4, "「问题清单」中".to_string())]
    );
}

#[test]
fn the_contract_document_lists_the_declarations() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/input-contract.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = (
        "<!-- declarations: begin -->\n",
        "<!-- declarations: end -->",
    );
    let start = doc.find(begin).expect("the begin marker") + begin.len();
    let stop = doc.find(end).expect("the end marker");
    let wanted = format!("\n{}\n", contract::markdown());
    if doc[start..stop] != wanted {
        if std::env::var_os("GONGWEN_BLESS").is_some() {
            let fresh = format!("{}{wanted}{}", &doc[..start], &doc[stop..]);
            std::fs::write(&path, fresh).unwrap();
        } else {
            panic!(
                "docs/input-contract.md differs from src/contract.toml; run GONGWEN_BLESS=1 cargo test to rewrite its declarations"
            );
        }
    }
}
