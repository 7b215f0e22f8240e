//! The PDF front end of `measure` against its oracle: every sample is laid out, measured from
//! Typst's frames, exported to PDF, and measured again from the PDF's bytes; the two measurements
//! must agree run by run, rule by rule and image by image, and every GB/T 9704 clause must come
//! out of the PDF's measurement exactly as it comes out of Typst's.

use crate::support::{Project, repo};

use gongwen::conformance::{Finding, check};
use gongwen::measure::{PageMeasure, PdfReading, TextRun, measure, measure_pdf, measure_pdf_with};
use gongwen::pipeline::Run;
use gongwen::project::Project as GongwenProject;
use typst::visualize::Color;

/// Largest differences seen between the two measurements.
#[derive(Debug, Default)]
struct Worst {
    pages: usize,
    turned: usize,
    runs: usize,
    rules: usize,
    images: usize,
    x: f64,
    baseline: f64,
    size_pt: f64,
    width: f64,
    ink: f64,
    glyph_x: f64,
    rule: f64,
    image: f64,
}

fn max(slot: &mut f64, d: f64) {
    *slot = slot.max(d.abs());
}

fn same_colour(a: Option<&Color>, b: Option<&Color>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            let (ra, rb) = (a.to_rgb(), b.to_rgb());
            let (ka, kb) = (a.to_cmyk(), b.to_cmyk());
            (ra.red - rb.red).abs() < 0.01
                && (ra.green - rb.green).abs() < 0.01
                && (ra.blue - rb.blue).abs() < 0.01
                && (ka.c - kb.c).abs() < 0.01
                && (ka.m - kb.m).abs() < 0.01
                && (ka.y - kb.y).abs() < 0.01
                && (ka.k - kb.k).abs() < 0.01
        }
        _ => false,
    }
}

fn describe(t: &TextRun) -> String {
    format!(
        "“{}” at ({:.2}, {:.2}) {:.2} pt {} {}",
        t.text, t.x, t.baseline, t.size_pt, t.family, t.weight
    )
}

/// Compares the runs, rules and images of `pdf` with the oracle `typst`, page by page.
fn compare(name: &str, typst: &[PageMeasure], pdf: &[PageMeasure], worst: &mut Worst) {
    assert_eq!(typst.len(), pdf.len(), "{name}: page count");
    for (t, p) in typst.iter().zip(pdf) {
        let at = format!("{name} p.{}", t.number);
        assert!(
            (t.width - p.width).abs() < 0.01 && (t.height - p.height).abs() < 0.01,
            "{at}: paper {}×{} vs {}×{}",
            t.width,
            t.height,
            p.width,
            p.height
        );
        assert_eq!(t.turned, p.turned, "{at}: turned");
        worst.pages += 1;
        worst.turned += usize::from(t.turned);
        let typst_runs: Vec<&TextRun> = t.texts.iter().filter(|r| !r.text.is_empty()).collect();
        let pdf_runs: Vec<&TextRun> = p.texts.iter().collect();
        let listing = |runs: &[&TextRun]| {
            runs.iter()
                .map(|r| describe(r))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            typst_runs.len(),
            pdf_runs.len(),
            "{at}: run count\nTypst:\n{}\nPDF:\n{}",
            listing(&typst_runs),
            listing(&pdf_runs)
        );
        for (a, b) in typst_runs.iter().zip(&pdf_runs) {
            let both = format!("{at}: Typst {} / PDF {}", describe(a), describe(b));
            assert_eq!(a.text, b.text, "{both}");
            assert_eq!(a.family, b.family, "{both}");
            assert_eq!(a.weight, b.weight, "{both}");
            assert_eq!(a.stroked, b.stroked, "{both}");
            assert!(
                same_colour(a.fill.as_ref(), b.fill.as_ref()),
                "{both}: fill {:?} vs {:?}",
                a.fill,
                b.fill
            );
            max(&mut worst.x, a.x - b.x);
            max(&mut worst.baseline, a.baseline - b.baseline);
            max(&mut worst.size_pt, a.size_pt - b.size_pt);
            max(&mut worst.width, a.width - b.width);
            max(&mut worst.ink, a.ink_top - b.ink_top);
            max(&mut worst.ink, a.ink_bottom - b.ink_bottom);
            max(&mut worst.ink, a.ink_right - b.ink_right);
            assert_eq!(a.glyphs.len(), b.glyphs.len(), "{both}: glyphs");
            for (g, h) in a.glyphs.iter().zip(&b.glyphs) {
                assert_eq!(g.ch, h.ch, "{both}");
                max(&mut worst.glyph_x, g.x - h.x);
                max(&mut worst.ink, g.ink_top - h.ink_top);
            }
            assert!(
                (a.x - b.x).abs() <= 0.1 && (a.baseline - b.baseline).abs() <= 0.1,
                "{both}: place"
            );
            assert!((a.size_pt - b.size_pt).abs() <= 0.1, "{both}: size");
        }
        worst.runs += typst_runs.len();
        assert_eq!(
            t.rules.len(),
            p.rules.len(),
            "{at}: rules {:?} vs {:?}",
            t.rules,
            p.rules
        );
        for (a, b) in t.rules.iter().zip(&p.rules) {
            let d = [
                a.x1 - b.x1,
                a.y - b.y,
                a.x2 - b.x2,
                a.y2 - b.y2,
                a.thickness - b.thickness,
                a.length() - b.length(),
            ]
            .into_iter()
            .fold(0.0_f64, |m, d| m.max(d.abs()));
            assert!(d <= 0.05, "{at}: rule {a:?} vs {b:?}");
            assert!(
                same_colour(a.paint.as_ref(), b.paint.as_ref()),
                "{at}: rule {a:?} vs {b:?}"
            );
            max(&mut worst.rule, d);
        }
        worst.rules += t.rules.len();
        assert_eq!(t.images.len(), p.images.len(), "{at}: images");
        for (a, b) in t.images.iter().zip(&p.images) {
            let d = (0..4).fold(0.0_f64, |m, i| m.max((a[i] - b[i]).abs()));
            assert!(d <= 0.1, "{at}: image {a:?} vs {b:?}");
            max(&mut worst.image, d);
        }
        worst.images += t.images.len();
    }
}

/// Every clause, with its verdict, in order.
fn verdicts(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {:?}", f.clause, f.verdict))
        .collect()
}

/// Every sample (with the test seal, so the sealed ones carry it): Typst's frames and Typst's
/// PDF measure the same, and the clauses judge both alike.
#[test]
fn pdf_measure_agrees_with_typst_on_every_sample() {
    let p = Project::with_samples();
    p.add_seal();
    let run = Run::new(GongwenProject::new(p.path()), false).unwrap();
    let mut worst = Worst::default();
    let mut report = Vec::new();
    let mut inputs: Vec<_> = std::fs::read_dir(p.path().join("input"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    for input in inputs {
        let (wb, laid) = run
            .lay_out(&input)
            .unwrap_or_else(|r| panic!("{:?}", r.items));
        for (d, l) in wb.documents.iter().zip(&laid) {
            let name = format!("{} / {}", wb.display, d.doc.info.title);
            let pdf = run
                .compiler
                .pdf(&l.document, d.doc.info.date, "oracle", true)
                .unwrap_or_else(|e| panic!("{e:?}"));
            let typst = measure(&l.document);
            let read = measure_pdf(&pdf).unwrap();
            compare(&name, &typst, &read, &mut worst);
            let expect = run.expect(&wb.validated, &d.doc);
            let (on_typst, on_pdf) = (check(&typst, &expect), check(&read, &expect));
            assert_eq!(
                verdicts(&on_typst),
                verdicts(&on_pdf),
                "{name}: the clauses judge the PDF otherwise"
            );
            let failed: Vec<_> = on_pdf.iter().filter(|f| f.failed()).collect();
            assert!(failed.is_empty(), "{name}: {failed:?}");
            // Read as an untagged PDF is (runs joined by place alone), the clauses agree too.
            let untagged = measure_pdf_with(
                &pdf,
                &PdfReading {
                    ignore_marked_content: true,
                    ..PdfReading::default()
                },
            )
            .unwrap();
            assert_eq!(
                verdicts(&on_typst),
                verdicts(&check(&untagged, &expect)),
                "{name}: the clauses judge the untagged reading otherwise"
            );
            report.push(format!(
                "{name}: {} pages, {} clauses, {} passed",
                read.len(),
                on_pdf.len(),
                on_pdf
                    .iter()
                    .filter(|f| f.verdict == gongwen::conformance::Verdict::Pass)
                    .count()
            ));
        }
    }
    println!("{}\n{worst:#?}", report.join("\n"));
    assert!(worst.turned > 0, "a sample has turned (landscape) pages");
    assert!(worst.images > 0, "a sample carries the seal");
}

/// A run of `text` in `font` at `size` points, in WordprocessingML.
fn docx_run(text: &str, font: &str, size: f64, colour: Option<&str>) -> String {
    let colour = colour.map_or(String::new(), |c| format!(r#"<w:color w:val="{c}"/>"#));
    let half = (size * 2.0).round();
    format!(
        r#"<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>{colour}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#
    )
}

/// A paragraph of `runs`, justified as `jc`, its first line indented `indent` twips, lines
/// exactly 579 twips (28.95 pt) apart; `rule`: a bottom border of that colour.
fn docx_paragraph(runs: &[String], jc: &str, indent: u32, rule: Option<&str>) -> String {
    let border = rule.map_or(String::new(), |c| {
        format!(r#"<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="1" w:color="{c}"/></w:pBdr>"#)
    });
    format!(
        r#"<w:p><w:pPr>{border}<w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/><w:jc w:val="{jc}"/><w:ind w:firstLine="{indent}"/></w:pPr>{}</w:p>"#,
        runs.concat()
    )
}

/// A DOCX written by hand: a portrait A4 page (margins 37 mm top, 28 mm left) with a red
/// FF3333 heading over a red rule, body text in FandolFang, a FandolHei lead-in and a 40 mm
/// image; then a landscape page with a FandolHei label over a ruled table.
fn libreoffice_sample() -> Vec<u8> {
    use std::io::Write as _;
    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;
    let fang = "FandolFang R";
    let mut body = vec![
        docx_paragraph(
            &[docx_run(
                "东山省应急管理厅文件",
                "FandolSong",
                36.0,
                Some("FF3333"),
            )],
            "center",
            0,
            Some("FF3333"),
        ),
        docx_paragraph(
            &[docx_run("各市应急管理局：", fang, 16.0, None)],
            "left",
            0,
            None,
        ),
        docx_paragraph(
            &[docx_run(
                "为切实做好汛期尾矿库安全防范工作，现将有关事项通知如下。各地要立即组织对辖区内尾矿库开展全面排查，重点检查排洪设施、坝体稳定和监测系统运行情况。",
                fang,
                16.0,
                None,
            )],
            "both",
            640,
            None,
        ),
        docx_paragraph(
            &[
                docx_run("一、全面排查", "FandolHei", 16.0, None),
                docx_run("各地要立即组织排查。", fang, 16.0, None),
            ],
            "both",
            640,
            None,
        ),
    ];
    let emu = (40.0 / 25.4 * 914_400.0_f64).round();
    body.push(format!(
        r#"<w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:drawing><wp:inline><wp:extent cx="{emu}" cy="{emu}"/><wp:docPr id="1" name="seal"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="seal.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImg"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu}" cy="{emu}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    ));
    body.push(
        r#"<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="1247" w:gutter="0"/></w:sectPr></w:pPr></w:p>"#
            .to_string(),
    );
    let cell = |text: &str, font: &str| {
        format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>{}</w:tc>"#,
            docx_paragraph(&[docx_run(text, font, 12.0, None)], "center", 0, None)
        )
    };
    let mut rows = format!(
        "<w:tr>{}{}</w:tr>",
        cell("序号", "FandolHei"),
        cell("存在问题", "FandolHei")
    );
    for n in 1..=3 {
        rows.push_str(&format!(
            "<w:tr>{}{}</w:tr>",
            cell(&n.to_string(), fang),
            cell("警示标志缺失", fang)
        ));
    }
    body.push(docx_paragraph(
        &[docx_run("附件", "FandolHei", 16.0, None)],
        "left",
        0,
        None,
    ));
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .iter()
        .map(|s| format!(r#"<w:{s} w:val="single" w:sz="4" w:color="000000"/>"#))
        .collect();
    body.push(format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="4000" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>{rows}</w:tbl>"#
    ));
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{}<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="1587" w:right="2098" w:bottom="1474" w:left="1984" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
        body.concat()
    );
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.as_bytes().to_vec(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.as_bytes().to_vec(),
        ),
        (
            "word/_rels/document.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/seal.png"/></Relationships>"#.as_bytes().to_vec(),
        ),
        ("word/document.xml", document.into_bytes()),
        (
            "word/media/seal.png",
            std::fs::read(repo().join("tests/fixtures/印章.png")).unwrap(),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// LibreOffice's PDF of a DOCX, measured: its Type 1 (CFF) subsets named by the built-in faces,
/// runs where the DOCX puts them, the doubled border one rule, the landscape page turned.
/// Runs where `soffice` is installed (with the repository's fonts/ given to it by fontconfig).
#[test]
fn pdf_measure_reads_libreoffice_pdf() {
    if std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("fonts.conf"),
        format!(
            r#"<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{}</dir><cachedir>{}</cachedir></fontconfig>"#,
            repo().join("fonts").display(),
            dir.path().join("fc-cache").display()
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("sample.docx"), libreoffice_sample()).unwrap();
    let out = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(dir.path().join("sample.docx"))
        .env("FONTCONFIG_FILE", dir.path().join("fonts.conf"))
        .output()
        .unwrap();
    let pdf = std::fs::read(dir.path().join("sample.pdf"))
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let pages = measure_pdf(&pdf).unwrap();
    for p in &pages {
        for t in &p.texts {
            println!("p.{} {}", p.number, describe(t));
        }
    }
    assert_eq!(pages.len(), 2);
    let (first, second) = (&pages[0], &pages[1]);
    assert!((first.width - 210.0).abs() < 0.1 && (first.height - 297.0).abs() < 0.1);
    assert!(
        !first.turned && second.turned,
        "the landscape page is turned"
    );
    let run = |text: &str| {
        first
            .texts
            .iter()
            .find(|t| t.text.starts_with(text))
            .unwrap_or_else(|| panic!("no run “{text}”"))
    };
    let mark = run("东山省应急管理厅文件");
    assert_eq!(
        (mark.family.as_str(), mark.size_pt.round()),
        ("FandolSong", 36.0)
    );
    let k = mark.fill.as_ref().unwrap().to_cmyk();
    assert!((k.m - 0.8).abs() < 0.02 && (k.y - 0.8).abs() < 0.02 && k.c < 0.02 && k.k < 0.02);
    // Left margin 1587 twips (27.99 mm), first line indented 640 twips (11.29 mm), lines 579
    // twips (10.21 mm) apart.
    let to = run("各市应急管理局");
    assert_eq!((to.family.as_str(), to.size_pt), ("FandolFang R", 16.0));
    assert!((to.x - 27.99).abs() < 0.2, "left margin: {}", to.x);
    let body = run("为切实做好");
    assert!((body.x - (27.99 + 11.29)).abs() < 0.2, "indent: {}", body.x);
    assert!((body.baseline - to.baseline - 10.21).abs() < 0.05);
    let lead = run("一、全面排查");
    assert_eq!(lead.family, "FandolHei");
    let rest = run("各地要立即组织排查");
    assert!((rest.baseline - lead.baseline).abs() < 0.01 && rest.x > lead.x);
    // One red rule across the text (a 1 pt border), under the mark.
    let red: Vec<_> = first
        .rules
        .iter()
        .filter(|r| r.paint.as_ref().is_some_and(|c| c.to_cmyk().m > 0.7))
        .collect();
    assert_eq!(red.len(), 1, "{:?}", first.rules);
    assert!(red[0].is_horizontal() && red[0].y > mark.baseline);
    assert!((red[0].thickness - 25.4 / 72.0).abs() < 0.01);
    assert!((red[0].x1 - 27.99).abs() < 0.2 && (red[0].x2 - (210.0 - 26.0)).abs() < 0.2);
    assert_eq!(first.images.len(), 1);
    let seal = first.images[0];
    assert!((seal[2] - 40.0).abs() < 0.1 && (seal[3] - 40.0).abs() < 0.1);
    // The table's head in FandolHei, its body in FandolFang, on the turned sheet.
    let heads: Vec<_> = second
        .texts
        .iter()
        .filter(|t| t.family == "FandolHei")
        .collect();
    assert_eq!(heads.len(), 3, "{:?}", second.texts);
    assert!(
        second
            .texts
            .iter()
            .any(|t| t.text == "警示标志缺失" && t.family == "FandolFang R")
    );
    assert!(
        second.rules.len() >= 7,
        "the table's rules: {:?}",
        second.rules
    );
}
