//! The DOCX beside every PDF: written for every document (a batch's letters too), the same
//! bytes for the same input, a package with the styles, repeated header rows, merges and a
//! landscape section; and, converted by LibreOffice with the official face names mapped to the
//! bundled faces, the same text as the PDF.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use gongwen::conformance::{Verdict, check};
use gongwen::measure::{PageMeasure, measure, measure_pdf};
use gongwen::pipeline::Run;
use gongwen::project::Project as GongwenProject;

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

/// LibreOffice headless with the test's fontconfig file and its own profile, both in `dir`.
fn soffice(dir: &Path) -> Command {
    let mut c = Command::new("soffice");
    c.env("FONTCONFIG_FILE", fontconfig(dir))
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .arg("--headless");
    c
}

/// What `soffice` printed, when it did not make `pdf` of `docx`.
fn made(pdf: PathBuf, docx: &Path, run: std::io::Result<std::process::Output>) -> PathBuf {
    let run = run.unwrap_or_else(|e| {
        panic!("LibreOffice (apt-get install libreoffice-writer-nogui) is installed: {e}")
    });
    assert!(
        pdf.is_file(),
        "LibreOffice made no PDF of {}: {}",
        docx.display(),
        support::stderr(&run)
    );
    pdf
}

/// `docx` converted to PDF by LibreOffice headless, in `dir`.
pub(crate) fn libreoffice_pdf(docx: &Path, dir: &Path) -> PathBuf {
    let out = dir.join("pdf");
    let run = soffice(dir)
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(docx)
        .output();
    made(
        out.join(docx.with_extension("pdf").file_name().unwrap()),
        docx,
        run,
    )
}

/// Where two texts first differ, shown around that place.
fn first_difference(a: &str, b: &str) -> Option<String> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let i = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .or_else(|| (a.len() != b.len()).then_some(a.len().min(b.len())))?;
    let show = |s: &[char]| -> String {
        s[i.saturating_sub(20)..(i + 20).min(s.len())]
            .iter()
            .collect()
    };
    Some(format!(
        "at character {i}:\n  PDF:  …{}…\n  DOCX: …{}…",
        show(&a),
        show(&b)
    ))
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
    assert_eq!(
        letters, 4,
        "each letter of the batch has its DOCX: {files:?}"
    );
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
    // Switched off in gongwen.toml: no DOCX is written, and those of earlier builds go like any
    // output a build no longer makes.
    std::fs::write(p.path().join("gongwen.toml"), "[output]\ndocx = false\n").unwrap();
    let o = p.run(&["build", "--force"]);
    assert!(o.status.success(), "{}", support::stderr(&o));
    assert!(support::stdout(&o).contains(".pdf"));
    assert!(
        !support::stdout(&o).contains(".docx"),
        "{}",
        support::stdout(&o)
    );
    for f in &docx {
        assert!(!p.path().join(f).exists(), "{} is gone", f.display());
    }
    for pdf in &pdfs {
        assert!(p.path().join(pdf).is_file(), "{} stays", pdf.display());
    }
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
    // A landscape register's pages carry theirs turned, at the portrait sheet's foot (§7.5):
    // the landscape sections name the turned footers, whose number is set top to bottom.
    assert!(document.contains(r#"r:id="rIdFooterTurnedOdd"/><w:footerReference w:type="even" r:id="rIdFooterTurnedEven"/><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#));
    for turned in ["word/footer5.xml", "word/footer6.xml"] {
        assert!(parts[turned].contains("PAGE"), "{turned}");
        assert!(parts[turned].contains(r#"vert="vert""#), "{turned}");
    }
    assert!(parts["docProps/core.xml"].contains("T00:00:00Z"));
}

/// The text of measured pages, line by line in reading order, without page numbers and without
/// a table's header row repeated at the top of a page (a table may take another number of pages
/// in another reader). On a turned page the lines run across the table's columns, so there a
/// repeated header row is told by its face: the page's `head` (黑体) runs, when all their
/// characters were among the 黑体 of the turned page before.
fn measured_text(pages: &[PageMeasure], head: &str) -> String {
    // A page number is left out run by run: on a turned page it can share a line with a
    // table's column.
    let page_number = |t: &str| {
        let t = support::strip(t);
        t.len() > 2 * '—'.len_utf8()
            && t.starts_with('—')
            && t.ends_with('—')
            && t.trim_matches('—').chars().all(|c| c.is_ascii_digit())
    };
    let mut out = String::new();
    let mut top_before: Option<String> = None;
    let mut heads_before: Option<std::collections::BTreeMap<char, usize>> = None;
    for p in pages {
        let heads = counts(
            &p.texts
                .iter()
                .filter(|t| t.family == head)
                .map(|t| t.text.as_str())
                .collect::<String>(),
        );
        let repeated_head = p.turned
            && !heads.is_empty()
            && heads_before
                .as_ref()
                .is_some_and(|b| heads.iter().all(|(c, n)| b.get(c).is_some_and(|m| m >= n)));
        let left_out = |r: &gongwen::measure::TextRun| {
            page_number(&r.text) || repeated_head && r.family == head
        };
        let text = |line: &[&gongwen::measure::TextRun]| {
            support::strip(
                &line
                    .iter()
                    .filter(|r| !left_out(r))
                    .map(|r| r.text.as_str())
                    .collect::<String>(),
            )
        };
        let lines = p.lines();
        let top = lines.first().map(|l| text(l));
        for (i, line) in lines.iter().enumerate() {
            let line = text(line);
            let repeated = i == 0 && top_before.as_ref() == Some(&line);
            // A number a reader split into runs (dash, field, dash) is left out as a line.
            let number_line = line.starts_with('—') && line.ends_with('—');
            if !(repeated || number_line) {
                out.push_str(&line);
            }
        }
        top_before = top;
        heads_before = p.turned.then_some(heads);
    }
    out
}

/// Each character and how often it occurs.
fn counts(text: &str) -> std::collections::BTreeMap<char, usize> {
    let mut out = std::collections::BTreeMap::new();
    for c in text.chars() {
        *out.entry(c).or_insert(0) += 1;
    }
    out
}

/// The pages before the first attachment page: the first whose first line is “附件” or “附件N”,
/// or, on a turned page, which has a run saying so (a reader may set the label level with a
/// table's first column).
fn before_attachments(pages: &[PageMeasure]) -> &[PageMeasure] {
    let label = |t: &str| {
        let t = support::strip(t);
        t.strip_prefix("附件")
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
    };
    let is_label = |p: &PageMeasure| {
        p.lines().first().is_some_and(|l| {
            let t: String = l.iter().map(|r| r.text.as_str()).collect();
            label(&t)
        }) || (p.turned && p.texts.iter().any(|r| label(&r.text)))
    };
    let end = pages.iter().position(is_label).unwrap_or(pages.len());
    &pages[..end]
}

/// What LibreOffice made of one DOCX, measured against what Typst made of its document.
struct Outcome {
    /// Clauses the PDF passes and the DOCX, laid out by LibreOffice, misses.
    missed: Vec<String>,
    /// Clauses passed by both.
    kept: usize,
    /// Where the text differs, when it does.
    text: Option<String>,
}

/// One DOCX as LibreOffice lays it out: as it reads the file, and with the paragraph setting
/// that the file's `w:autoSpaceDE`/`w:autoSpaceDN` = 0 asks for (no space between Han
/// characters and Latin letters or digits), which LibreOffice's import does not read.
struct Compared {
    name: String,
    plain: Outcome,
    autospace_off: Outcome,
}

/// A Basic macro, in a LibreOffice profile's Standard library, that opens a DOCX, turns off
/// the space between Asian and Latin text in every paragraph style and paragraph (body,
/// headers and footers, table cells) and exports a PDF: what Word and WPS do with the DOCX's
/// `autoSpaceDE`/`autoSpaceDN` = 0.
const NO_AUTOSPACE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub NoAutoSpace(src As String, dst As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), "_blank", 0, args())
  styles = doc.StyleFamilies.getByName("ParagraphStyles")
  For i = 0 To styles.Count - 1
    styles.getByIndex(i).ParaIsCharacterDistance = False
  Next i
  Walk(doc.Text)
  pages = doc.StyleFamilies.getByName("PageStyles")
  For i = 0 To pages.Count - 1
    ps = pages.getByIndex(i)
    If ps.FooterIsOn Then Walk(ps.FooterText)
    If ps.HeaderIsOn Then Walk(ps.HeaderText)
  Next i
  tables = doc.TextTables
  For i = 0 To tables.Count - 1
    t = tables.getByIndex(i)
    names = t.CellNames
    For j = 0 To UBound(names)
      Walk(t.getCellByName(names(j)).Text)
    Next j
  Next i
  Dim out(0) As New com.sun.star.beans.PropertyValue
  out(0).Name = "FilterName"
  out(0).Value = "writer_pdf_Export"
  doc.storeToURL(ConvertToURL(dst), out())
  doc.close(True)
End Sub
Sub Walk(txt)
  e = txt.createEnumeration()
  Do While e.hasMoreElements()
    p = e.nextElement()
    If p.supportsService("com.sun.star.text.Paragraph") Then p.ParaIsCharacterDistance = False
  Loop
End Sub
</script:module>
"#;

/// `docx` laid out by LibreOffice headless with no space between Asian and Latin text (see
/// [`NO_AUTOSPACE`]), as a PDF in `dir`; `dir`'s profile must have been used once (by
/// [`libreoffice_pdf`]), so that its Standard library exists.
fn libreoffice_pdf_without_autospace(docx: &Path, dir: &Path) -> PathBuf {
    let module = dir.join("profile/user/basic/Standard/Module1.xba");
    assert!(module.is_file(), "the profile has its Standard library");
    std::fs::write(&module, NO_AUTOSPACE).unwrap();
    // Plain names in the macro's call.
    let src = dir.join("in.docx");
    std::fs::copy(docx, &src).unwrap();
    let pdf = dir.join("without-autospace.pdf");
    let run = soffice(dir)
        .arg(format!(
            r#"macro:///Standard.Module1.NoAutoSpace("{}","{}")"#,
            src.display(),
            pdf.display()
        ))
        .output();
    made(pdf, docx, run)
}

/// `pages`, LibreOffice's layout of a DOCX, against the PDF's: the clauses of `pdf` it keeps
/// and misses, and where its text differs.
fn outcome(
    pdf: &[gongwen::conformance::Finding],
    pdf_pages: &[PageMeasure],
    pages: &[PageMeasure],
    expect: &gongwen::conformance::Expect,
) -> Outcome {
    let got = check(pages, expect);
    let mut missed = Vec::new();
    let mut kept = 0;
    for f in pdf.iter().filter(|f| f.verdict == Verdict::Pass) {
        match got.iter().find(|g| g.clause == f.clause) {
            Some(g) if g.verdict == Verdict::Pass => kept += 1,
            Some(g) => missed.push(format!(
                "{}: 应为 {}，实测 {}（PDF {}）",
                g.clause, g.expected, g.measured, f.measured
            )),
            None => missed.push(format!("{}: 未测到（PDF {}）", f.clause, f.measured)),
        }
    }
    let head = &expect.faces.hei;
    let (want, have) = (measured_text(pdf_pages, head), measured_text(pages, head));
    let mut text = first_difference(
        &measured_text(before_attachments(pdf_pages), head),
        &measured_text(before_attachments(pages), head),
    );
    if text.is_none() && counts(&want) != counts(&have) {
        let (w, h) = (counts(&want), counts(&have));
        let differ: String = w
            .keys()
            .chain(h.keys())
            .filter(|c| w.get(c) != h.get(c))
            .map(|c| {
                format!(
                    "{c}: {} in the PDF, {} in the DOCX; ",
                    w.get(c).unwrap_or(&0),
                    h.get(c).unwrap_or(&0)
                )
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        text = Some(format!(
            "the attachments hold other characters: {} in the PDF, {} in the DOCX ({differ})",
            want.chars().count(),
            have.chars().count()
        ));
    }
    Outcome { missed, kept, text }
}

/// Every document of `workbook` (built in `p`): its DOCX converted by LibreOffice, measured, and
/// checked clause by clause against what its PDF passes.
fn compare_workbook(p: &Project, workbook: &str, work: &Path) -> Vec<Compared> {
    let run = Run::new(GongwenProject::new(p.path()), false).unwrap();
    let (wb, laid) = run
        .lay_out(&p.input(workbook))
        .unwrap_or_else(|r| panic!("{:?}", r.items));
    let mut out = Vec::new();
    for (i, (d, l)) in wb.documents.iter().zip(&laid).enumerate() {
        let mut expect = run.expect(&wb.validated, &d.doc);
        let pdf_pages = measure(&l.document);
        let pdf = check(&pdf_pages, &expect);
        let docx = p.output(d.letter.docx().to_str().unwrap());
        let dir = work.join(format!("{workbook}-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let plain = measure_pdf(&std::fs::read(libreoffice_pdf(&docx, &dir)).unwrap()).unwrap();
        let off =
            measure_pdf(&std::fs::read(libreoffice_pdf_without_autospace(&docx, &dir)).unwrap())
                .unwrap();
        // The DOCX names 方正小标宋简体, which the test's fontconfig maps to FandolSong: not
        // the bold stand-in the PDF uses.
        expect.faces.xiaobiaosong_bold = false;
        out.push(Compared {
            name: d.letter.docx().display().to_string(),
            plain: outcome(&pdf, &pdf_pages, &plain, &expect),
            autospace_off: outcome(&pdf, &pdf_pages, &off, &expect),
        });
    }
    out
}

#[test]
fn libreoffice_lays_out_each_docx_to_the_clauses_its_pdf_passes_with_the_same_text() {
    let p = Project::with_samples();
    p.add_seal();
    let o = p.run(&["build"]);
    assert!(o.status.success(), "{}", support::stderr(&o));
    let work = tempfile::tempdir().unwrap();
    let mut compared = Vec::new();
    for workbook in [
        "行唐县整改报告.xlsx",
        "石家庄市整改情况报告.xlsx",
        "山西省督办函.xlsx",
        "尾矿库汛期安全督办函.xlsx",
        "西峡县非煤矿山包保责任制通知.xlsx",
        "国家矿山安监局简报.xlsx",
    ] {
        compared.extend(compare_workbook(&p, workbook, work.path()));
    }
    insta::assert_snapshot!("docx_through_libreoffice", summarise(&compared));
}

/// What LibreOffice keeps of each PDF's clauses, clause by clause, as the snapshot records it
/// (so that every change, a clause gained or lost or the text, shows up for review). The figures
/// are printed. Laid out as the DOCX asks (no space between Han characters and Latin letters or
/// digits), every document keeps every clause its PDF passes; as LibreOffice reads the file (it
/// adds that space), more than two thirds; the text is the PDF's either way.
fn summarise(compared: &[Compared]) -> String {
    let mut table = String::new();
    let mut summary = String::new();
    for c in compared {
        for (how, o) in [("", &c.plain), (" (autospace off)", &c.autospace_off)] {
            table.push_str(&format!(
                "{}{how}: {} clauses kept, {} missed; text {}\n",
                c.name,
                o.kept,
                o.missed.len(),
                o.text.as_deref().unwrap_or("the same")
            ));
            summary.push_str(&format!(
                "{}{how}: {} kept; text {}\n",
                c.name,
                o.kept,
                if o.text.is_some() {
                    "differs"
                } else {
                    "the same"
                }
            ));
            for m in &o.missed {
                table.push_str(&format!("    ✗ {m}\n"));
                let clause = m.split(": ").next().unwrap_or(m);
                summary.push_str(&format!("    missed: {clause}\n"));
            }
        }
    }
    println!("{table}");
    assert!(
        compared.iter().all(|c| c.autospace_off.missed.is_empty()),
        "laid out as the DOCX asks, every clause its PDF passes is kept:\n{table}"
    );
    assert!(
        compared
            .iter()
            .all(|c| 3 * c.plain.kept > 2 * (c.plain.kept + c.plain.missed.len())),
        "LibreOffice keeps more than two thirds of each PDF's clauses:\n{table}"
    );
    assert!(
        compared
            .iter()
            .all(|c| c.plain.text.is_none() && c.autospace_off.text.is_none()),
        "the DOCX holds the PDF's text:\n{table}"
    );
    summary
}

/// A 文种 of the project's own (its template in the project, declaring its own sheet) gets a
/// DOCX from that one template, and LibreOffice lays it out to the clauses its PDF passes with
/// the PDF's text.
#[test]
fn a_made_up_kinds_docx_is_laid_out_to_the_clauses_its_pdf_passes_with_the_same_text() {
    let p = crate::kinds::made_up_kind_project();
    crate::kinds::made_up_kind_workbook(crate::kinds::made_up_kind_rows())
        .save(p.input("汛前检查通报.xlsx"))
        .unwrap();
    let o = p.run(&["build"]);
    assert!(o.status.success(), "{}", support::stderr(&o));
    let work = tempfile::tempdir().unwrap();
    let compared = compare_workbook(&p, "汛前检查通报.xlsx", work.path());
    assert_eq!(compared.len(), 1);
    insta::assert_snapshot!("made_up_kind_through_libreoffice", summarise(&compared));
}

/// A paragraph a clerk types into the DOCX (no formatting of its own, as a new paragraph under
/// the document's defaults is) takes the 正文's face, size and first-line indent from the styles,
/// and sits on the page's grid, as LibreOffice lays it out.
#[test]
fn a_paragraph_typed_into_the_docx_takes_the_body_style() {
    use gongwen::conformance::{BODY_PT, LEFT, PT, TOP, char_pitch, pitch};
    let p = Project::with_samples();
    let o = p.run(&["build", "input/行唐县整改报告.xlsx"]);
    assert!(o.status.success(), "{}", support::stderr(&o));
    let docx = p.output("行唐县整改报告.docx");
    let typed = "这是办公室在改稿时新加的一段文字，用来检查它是否保持正文的格式";
    // The new paragraph goes before the first heading, as the clerk's own.
    let mut parts = parts(&docx);
    let document = parts.get_mut("word/document.xml").unwrap();
    let at = document
        .find(r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/>"#)
        .unwrap();
    document.insert_str(at, &format!("<w:p><w:r><w:t>{typed}</w:t></w:r></w:p>"));
    let work = tempfile::tempdir().unwrap();
    let edited = work.path().join("改稿.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&edited).unwrap());
    for (name, text) in &parts {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    let pages =
        measure_pdf(&std::fs::read(libreoffice_pdf(&edited, work.path())).unwrap()).unwrap();
    let line = pages
        .iter()
        .flat_map(|p| p.lines())
        .find(|l| {
            let t: String = l.iter().map(|r| r.text.as_str()).collect();
            t.starts_with("这是办公室")
        })
        .expect("the typed paragraph is laid out");
    let first = line[0];
    assert_eq!(
        first.family, "FandolFang R",
        "仿宋 (the test maps 仿宋_GB2312 to it)"
    );
    assert!(
        (first.size_pt - BODY_PT).abs() < 0.1,
        "3号: {}",
        first.size_pt
    );
    let indent = first.x - LEFT;
    assert!(
        (indent - 2.0 * char_pitch()).abs() < 0.5,
        "段首空二字: {indent:.2} mm"
    );
    let on_grid = (first.baseline - (TOP + 0.88 * BODY_PT * PT)) / pitch();
    assert!(
        (on_grid - on_grid.round()).abs() < 0.05,
        "on a line of the grid: {:.3} lines from the first",
        on_grid
    );
}
