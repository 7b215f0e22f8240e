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
    let _ = repo();
}
