//! The DOCX beside every PDF: written for every document (a batch's letters too), the same
//! bytes for the same input, a package with the styles, repeated header rows, merges and a
//! landscape section; and, converted by LibreOffice with the official face names mapped to the
//! bundled faces, the same text as the PDF.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{self, Project, repo};

/// The parts of a DOCX, by name.
fn parts(docx: &Path) -> std::collections::BTreeMap<String, String> {
    let file = std::fs::File::open(docx).unwrap_or_else(|e| panic!("{}: {e}", docx.display()));
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            out.insert(name, s);
        }
    }
    out
}

/// A fontconfig file that maps the official face names a DOCX names to the bundled faces, so
/// that LibreOffice lays out with the metrics the PDF used.
fn fontconfig(dir: &Path) -> PathBuf {
    let fonts = repo().join("fonts");
    let map = [
        ("仿宋_GB2312", "FandolFang", "Regular"),
        ("黑体", "FandolHei", "Regular"),
        ("楷体_GB2312", "FandolKai", "Regular"),
        ("宋体", "FandolSong", "Regular"),
        ("方正小标宋简体", "FandolSong", "Regular"),
    ];
    let rules: String = map
        .iter()
        .map(|(from, to, style)| {
            format!(
                r#"<match target="pattern"><test name="family"><string>{from}</string></test><edit name="family" mode="assign" binding="strong"><string>{to}</string></edit><edit name="style" mode="assign" binding="strong"><string>{style}</string></edit></match>"#
            )
        })
        .collect();
    let conf = dir.join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            r#"<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{}</dir><cachedir>{}</cachedir>{rules}</fontconfig>"#,
            fonts.display(),
            dir.join("cache").display()
        ),
    )
    .unwrap();
    conf
}

/// `docx` converted to PDF by LibreOffice headless, in `dir`.
pub(crate) fn libreoffice_pdf(docx: &Path, dir: &Path) -> PathBuf {
    let conf = fontconfig(dir);
    let out = dir.join("pdf");
    let status = Command::new("soffice")
        .env("FONTCONFIG_FILE", &conf)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(docx)
        .output()
        .unwrap_or_else(|e| {
            panic!("LibreOffice (apt-get install libreoffice-writer-nogui) is installed: {e}")
        });
    let pdf = out.join(docx.with_extension("pdf").file_name().unwrap());
    assert!(
        pdf.is_file(),
        "LibreOffice made no PDF of {}: {}",
        docx.display(),
        support::stderr(&status)
    );
    pdf
}

/// A PDF's text without white space and without its page numbers (“— N —”).
fn text_without_page_numbers(pdf: &Path) -> String {
    let text = support::pdf_text(pdf);
    let re = regex::Regex::new("—[0-9]+—").unwrap();
    re.replace_all(&text, "").into_owned()
}

/// Where two texts first differ, shown around that place.
fn first_difference(a: &str, b: &str) -> Option<String> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let i = a.iter().zip(&b).position(|(x, y)| x != y).or_else(|| {
        (a.len() != b.len()).then_some(a.len().min(b.len()))
    })?;
    let show = |s: &[char]| -> String { s[i.saturating_sub(20)..(i + 20).min(s.len())].iter().collect() };
    Some(format!("at character {i}:\n  PDF:  …{}…\n  DOCX: …{}…", show(&a), show(&b)))
}

#[test]
fn every_document_has_a_docx_the_same_bytes_each_time_and_none_for_the_print_file() {
    let p = Project::with_samples();
    let o = p.run(&["build"]);
    assert!(o.status.success(), "{}", support::stderr(&o));
    let files = p.files();
    let pdfs: Vec<&PathBuf> = files
        .iter()
        .filter(|f| f.starts_with("output") && f.extension().is_some_and(|e| e == "pdf"))
        .collect();
    for pdf in &pdfs {
        let folder = p.path().join(pdf.with_extension(""));
        let print_file = folder.is_dir();
        let docx = p.path().join(pdf.with_extension("docx"));
        assert_eq!(
            docx.is_file(),
            !print_file,
            "{}: a DOCX beside every document's PDF, none beside a batch's print file",
            pdf.display()
        );
    }
    let letters = files
        .iter()
        .filter(|f| f.components().count() == 3 && f.extension().is_some_and(|e| e == "docx"))
        .count();
    assert_eq!(letters, 4, "each letter of the batch has its DOCX: {files:?}");
    let docx: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "docx"))
        .cloned()
        .collect();
    let before: Vec<Vec<u8>> = docx
        .iter()
        .map(|f| std::fs::read(p.path().join(f)).unwrap())
        .collect();
    let o = p.run(&["build", "--force"]);
    assert!(o.status.success(), "{}", support::stderr(&o));
    for (f, bytes) in docx.iter().zip(&before) {
        assert!(
            std::fs::read(p.path().join(f)).unwrap() == *bytes,
            "{}: the same input gives the same bytes",
            f.display()
        );
    }
    // Switched off in gongwen.toml: no DOCX, and the ones there are left as they are.
    std::fs::write(p.path().join("gongwen.toml"), "[output]\ndocx = false\n").unwrap();
    let o = p.run(&["build", "--force"]);
    assert!(o.status.success(), "{}", support::stderr(&o));
    assert!(support::stdout(&o).contains(".pdf"));
    assert!(!support::stdout(&o).contains(".docx"), "{}", support::stdout(&o));
}

#[test]
fn the_package_has_named_styles_faces_repeated_headers_merges_and_a_landscape_register() {
    let p = Project::with_sample("西峡县非煤矿山包保责任制通知.xlsx");
    let o = p.run(&["build"]);
    assert!(o.status.success(), "{}", support::stderr(&o));
    let parts = parts(&p.output("西峡县非煤矿山包保责任制通知.docx"));
    let styles = &parts["word/styles.xml"];
    for (id, name) in [
        ("Normal", "Normal"),
        ("Title", "Title"),
        ("Heading1", "heading 1"),
        ("Heading2", "heading 2"),
        ("Heading3", "heading 3"),
        ("Heading4", "heading 4"),
        ("Addressee", "主送机关"),
        ("AttachmentNote", "附件说明"),
        ("Signature", "落款"),
        ("EndMatter", "版记"),
    ] {
        assert!(
            styles.contains(&format!(r#"w:styleId="{id}"><w:name w:val="{name}"/>"#)),
            "style {id} named {name}"
        );
    }
    for alias in ["一级标题", "二级标题", "三级标题", "四级标题"] {
        assert!(styles.contains(alias), "headings shown as {alias}");
    }
    let document = &parts["word/document.xml"];
    // Faces named in every run, never theme fonts.
    let runs = document.matches("<w:r>").count();
    assert!(runs > 100);
    assert!(!document.contains("Theme"), "no theme fonts");
    assert!(document.contains(r#"w:eastAsia="仿宋_GB2312""#));
    assert!(document.contains(r#"w:eastAsia="黑体""#));
    assert!(document.contains(r#"w:eastAsia="方正小标宋简体""#));
    // The registers: header rows repeated, merged header cells, a landscape section.
    assert!(document.contains("<w:tblHeader/>"));
    assert!(document.contains("<w:gridSpan "));
    assert!(document.contains(r#"<w:vMerge w:val="restart"/>"#));
    assert!(document.contains(r#"w:orient="landscape""#));
    assert!(document.contains(r#"<w:docGrid w:type="linesAndChars" w:linePitch="592""#));
    // Headings are Word's headings; the numbers are text.
    assert!(document.contains(r#"<w:pStyle w:val="Heading1"/>"#));
    assert!(!document.contains("<w:numPr>"));
    // Odd and even footers with the page number.
    assert!(parts["word/settings.xml"].contains("<w:evenAndOddHeaders/>"));
    assert!(parts["word/footer1.xml"].contains("PAGE"));
    assert!(parts["word/footer2.xml"].contains("PAGE"));
    assert!(parts["docProps/core.xml"].contains("T00:00:00Z"));
}

#[test]
fn libreoffice_reads_each_docx_with_the_text_of_its_pdf() {
    let p = Project::with_samples();
    p.add_seal();
    let o = p.run(&["build"]);
    assert!(o.status.success(), "{}", support::stderr(&o));
    let dir = tempfile::tempdir().unwrap();
    let mut docx: Vec<PathBuf> = p
        .files()
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "docx"))
        .map(|f| p.path().join(f))
        .collect();
    docx.sort();
    let mut failures = Vec::new();
    for (i, file) in docx.iter().enumerate() {
        let work = dir.path().join(i.to_string());
        std::fs::create_dir_all(&work).unwrap();
        let converted = libreoffice_pdf(file, &work);
        let want = text_without_page_numbers(&file.with_extension("pdf"));
        let got = text_without_page_numbers(&converted);
        if let Some(d) = first_difference(&want, &got) {
            failures.push(format!("{}: {d}", file.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
