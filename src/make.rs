//! Make: a prepared workbook's outputs laid out, measured against GB/T 9704 and written (each
//! letter as soon as it is made, then the print file and the XLSX), only those whose
//! fingerprint changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::bundle::Fragment;
use crate::compile::{Fault, Laid};
use crate::conformance::{Expect, Faces};
use crate::diag::{Diagnostic, Loc, Report, Rule};
use crate::fingerprint::{Recorder, hash};
use crate::fonts::Role;
use crate::model::Document;
use crate::output::{self, Entry, write_all_atomically};
use crate::pipeline::{Built, Prepared, Progress, Run, Stage, Workbook};
use crate::validate::Validated;

/// Memo-cache entries not used by this many of the latest letters are dropped after each one.
/// Measured on 200 letters: large enough that what letters share stays cached, small enough
/// that memory stays flat.
const EVICT_AGE: usize = 8;

/// The fingerprint of a letter's DOCX: the letter's, marked as the DOCX's.
fn docx_fingerprint(d: &Prepared) -> String {
    hash(&[d.fingerprint.as_bytes(), b"docx"])
}

fn write_error(workbook: &str, e: &anyhow::Error) -> Diagnostic {
    Diagnostic::new(Rule::WriteFailed, Loc::file(workbook), format!("{e:#}"))
        .hint("请关闭正在打开这些输出文件的程序后重试")
}

/// The outputs as earlier builds left them.
struct Previous<'a> {
    /// The output folder.
    out: PathBuf,
    /// What the manifest recorded for the workbook.
    entry: Option<&'a Entry>,
    /// Whether every output is made anew.
    force: bool,
}

impl Previous<'_> {
    /// Whether the output at `path` (under `output/`) must be made: forced, missing, or made
    /// from other data than `fingerprint` stands for.
    fn stale(&self, path: &Path, fingerprint: &str) -> bool {
        let recorded = self.entry.and_then(|p| p.outputs.get(&output::key(path)));
        self.force || !self.out.join(path).is_file() || recorded.is_none_or(|f| f != fingerprint)
    }
}

/// One output besides the letters (the print file, the XLSX): its fingerprint, and whether
/// this build wrote it.
struct Made {
    fingerprint: String,
    written: bool,
}

/// A workbook's outputs as they are made.
struct Outputs {
    /// Each output's fingerprint, by [`output::key`].
    fingerprints: BTreeMap<String, String>,
    /// The outputs written, in the order they were made.
    written: Vec<PathBuf>,
}

impl Outputs {
    /// Every letter of `wb`, those in `written` written by this build.
    fn letters(wb: &Workbook, written: Vec<PathBuf>) -> Outputs {
        let fingerprints = wb
            .documents
            .iter()
            .flat_map(|d| {
                let docx = wb
                    .plan
                    .docx
                    .then(|| (output::key(&d.letter.docx()), docx_fingerprint(d)));
                std::iter::once((output::key(&d.letter.path), d.fingerprint.clone())).chain(docx)
            })
            .collect();
        Outputs {
            fingerprints,
            written,
        }
    }

    /// Adds the output at `path`.
    fn add(&mut self, path: &Path, made: Made) {
        if made.written {
            self.written.push(path.to_path_buf());
        }
        self.fingerprints
            .insert(output::key(path), made.fingerprint);
    }
}

impl Made {
    fn written(fingerprint: String) -> Made {
        Made {
            fingerprint,
            written: true,
        }
    }

    fn kept(fingerprint: String) -> Made {
        Made {
            fingerprint,
            written: false,
        }
    }
}

impl Run {
    /// The conformance faces of this run's fonts.
    pub fn faces(&self) -> Faces {
        let fonts = self.compiler.fonts();
        let family = |role| fonts.choice(role).family.clone();
        Faces {
            xiaobiaosong: family(Role::XiaoBiaoSong),
            fangsong: family(Role::FangSong),
            hei: family(Role::Hei),
            kai: family(Role::Kai),
            song: family(Role::Song),
            // The stand-in for 小标宋 is FandolSong *Bold*; the official face is used as is.
            xiaobiaosong_bold: !fonts.choice(Role::XiaoBiaoSong).official,
            fallback: fonts.fallback().map(|(f, _)| f.to_string()),
        }
    }

    /// What the conformance check expects of `doc` laid out by `validated`'s template.
    pub fn expect(&self, validated: &Validated, doc: &Document) -> Expect {
        Expect::new(doc, validated.spec.format, self.faces())
    }

    /// Lays out, checks and writes the outputs of `wb` whose fingerprint changed: each letter
    /// as soon as it is made (recorded in the manifest as it goes, so a build killed midway
    /// keeps what it finished), then the print file and the XLSX. `None` (reported) on errors.
    pub(crate) fn build(
        &self,
        wb: &Workbook,
        previous: Option<&Entry>,
        force: bool,
        report: &mut Report,
        record: &Recorder,
        progress: &dyn Progress,
    ) -> Option<Built> {
        let previous = Previous {
            out: self.project.output_dir(),
            entry: previous,
            force,
        };
        let letters = self.make_letters(wb, &previous, report, record, progress)?;
        let mut outputs = Outputs::letters(wb, letters);
        if let Some(path) = &wb.plan.combined {
            outputs.add(path, self.make_print_file(wb, path, &previous, report)?);
        }
        if let Some(path) = &wb.plan.xlsx {
            outputs.add(path, self.make_xlsx(wb, path, &previous, report)?);
        }
        let Outputs {
            fingerprints,
            written,
        } = outputs;
        let kept = wb
            .plan
            .outputs()
            .into_iter()
            .filter(|p| !written.contains(p))
            .collect();
        let entry = Entry {
            input: wb.input.clone(),
            env: self.env.clone(),
            outputs: fingerprints,
        };
        Some(Built {
            entry,
            written,
            kept,
        })
    }

    /// Lays out, checks and writes the letters whose fingerprint changed, in parallel, one at a
    /// time per thread, the laid-out pages dropped as soon as the PDF is written; each letter
    /// written is recorded at once. The letters written; `None` when one failed (reported).
    fn make_letters(
        &self,
        wb: &Workbook,
        previous: &Previous,
        report: &mut Report,
        record: &Recorder,
        progress: &dyn Progress,
    ) -> Option<Vec<PathBuf>> {
        let letters: Vec<(usize, &Prepared)> = wb
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                previous.stale(&d.letter.path, &d.fingerprint)
                    || (wb.plan.docx && previous.stale(&d.letter.docx(), &docx_fingerprint(d)))
            })
            .collect();
        let done: Vec<(usize, Result<Report, Vec<Fault>>)> =
            crate::workers::map(&letters, |&(i, d)| {
                let result = self.make_letter(wb, i, d, &previous.out);
                if result.is_ok() {
                    let docx = (d.letter.docx(), docx_fingerprint(d));
                    let mut written = vec![(d.letter.path.as_path(), d.fingerprint.as_str())];
                    if wb.plan.docx {
                        written.push((docx.0.as_path(), docx.1.as_str()));
                    }
                    record.outputs(&written);
                }
                progress.document_done(&wb.display);
                (i, result)
            });
        // Letters already up to date count as done too.
        let up_to_date = wb.documents.len() - letters.len();
        for _ in 0..up_to_date {
            progress.document_done(&wb.display);
        }
        let mut written: Vec<PathBuf> = Vec::new();
        let mut failed = false;
        for (i, result) in done {
            let d = &wb.documents[i];
            match result {
                Ok(found) => {
                    report.items.extend(found.items);
                    written.push(d.letter.path.clone());
                    if wb.plan.docx {
                        written.push(d.letter.docx());
                    }
                }
                Err(errors) => {
                    failed = true;
                    self.report_typeset_errors(wb, d, errors, report);
                }
            }
        }
        (!failed).then_some(written)
    }

    /// Reports the errors that kept letter `d` from being laid out, keeping its Typst source.
    fn report_typeset_errors(
        &self,
        wb: &Workbook,
        d: &Prepared,
        errors: Vec<Fault>,
        report: &mut Report,
    ) {
        let (kept, hint) = self.project.keep_source(&d.letter.path, &d.source);
        let label = d.letter.tag();
        for e in errors {
            report.push(
                Diagnostic::new(
                    Rule::TypesetError,
                    Loc::file(&wb.display),
                    format!("{label}{}", e.message),
                )
                .source(e.source_place(&kept))
                .hint(hint.clone()),
            );
        }
    }

    /// The print file at `path`, bound when a letter changed; fingerprinted by the letters'
    /// fingerprints.
    fn make_print_file(
        &self,
        wb: &Workbook,
        path: &Path,
        previous: &Previous,
        report: &mut Report,
    ) -> Option<Made> {
        let fps: Vec<&[u8]> = wb
            .documents
            .iter()
            .map(|d| d.fingerprint.as_bytes())
            .collect();
        let fingerprint = hash(&fps);
        if !previous.stale(path, &fingerprint) {
            return Some(Made::kept(fingerprint));
        }
        let started = std::time::Instant::now();
        let bound = self.bind(wb, path);
        self.timings.add(Stage::Bundle, started);
        if let Err(e) = bound {
            report.push(
                Diagnostic::new(
                    Rule::WriteFailed,
                    Loc::file(&wb.display),
                    format!("无法生成整批打印文件（{e:#}）"),
                )
                .hint("请关闭正在打开这个文件的程序后重试"),
            );
            return None;
        }
        Some(Made::written(fingerprint))
    }

    /// The XLSX at `path`, written when its tables, title or date changed (or the tool's
    /// version).
    fn make_xlsx(
        &self,
        wb: &Workbook,
        path: &Path,
        previous: &Previous,
        report: &mut Report,
    ) -> Option<Made> {
        let info = &wb.validated.job.info;
        let json = serde_json::to_vec(&wb.tables).unwrap_or_default();
        let date = crate::date::format(info.date);
        let fingerprint = hash(&[
            env!("CARGO_PKG_VERSION").as_bytes(),
            info.title.as_bytes(),
            date.as_bytes(),
            &json,
        ]);
        if !previous.stale(path, &fingerprint) {
            return Some(Made::kept(fingerprint));
        }
        let started = std::time::Instant::now();
        let made = crate::xlsx::write(&wb.tables, &info.title, info.date);
        self.timings.add(Stage::Xlsx, started);
        let bytes = match made {
            Ok(bytes) => bytes,
            Err(e) => {
                report.push(Diagnostic::new(
                    Rule::Internal,
                    Loc::file(&wb.display),
                    format!("无法生成 XLSX（{e}）"),
                ));
                return None;
            }
        };
        if let Err(e) = write_all_atomically(&[(previous.out.join(path), &bytes)]) {
            report.push(write_error(&wb.display, &e));
            return None;
        }
        Some(Made::written(fingerprint))
    }

    /// Lays out one letter, checks it against GB/T 9704, exports and writes its PDF.
    fn make_letter(
        &self,
        wb: &Workbook,
        index: usize,
        d: &Prepared,
        out: &Path,
    ) -> Result<Report, Vec<Fault>> {
        let started = std::time::Instant::now();
        let laid = self.compiler.lay_out(&d.source, d.doc.info.date)?;
        self.timings.add(Stage::Layout, started);
        let started = std::time::Instant::now();
        let mut report = Report::default();
        let pages = self.check_layout(wb, d, &laid, &mut report);
        self.timings.add(Stage::Check, started);
        let started = std::time::Instant::now();
        let pdf = self
            .compiler
            .pdf(&laid.document, d.doc.info.date, &d.fingerprint, true)?;
        self.timings.add(Stage::Pdf, started);
        let docx = if wb.plan.docx {
            let started = std::time::Instant::now();
            let made = self.docx(d, &laid, pages.first());
            self.timings.add(Stage::Docx, started);
            Some(made.map_err(|e| vec![Fault::from(format!("无法生成 DOCX（{e:#}）"))])?)
        } else {
            None
        };
        drop(laid);
        // Entries unused by the last few letters go: memory stays flat over a long batch while
        // what every letter shares (the style library, repeated paragraphs) stays cached.
        typst::comemo::evict(EVICT_AGE);
        let started = std::time::Instant::now();
        let mut files = vec![(out.join(&d.letter.path), pdf.as_slice())];
        if let Some(docx) = &docx {
            files.push((out.join(d.letter.docx()), docx.as_slice()));
        }
        write_all_atomically(&files).map_err(|e| vec![Fault::from(format!("{e:#}"))])?;
        self.timings.add(Stage::Write, started);
        // The letter's part of the print file, made now while its PDF is at hand.
        if wb.plan.combined.is_some() && wb.documents.len() <= crate::bundle::MAX_LETTERS {
            let started = std::time::Instant::now();
            if let Ok(f) = Fragment::from_pdf(&pdf, crate::bundle::base(index)) {
                let _ =
                    output::write_cache(&self.fragment_path(wb, index), &f.encode(&d.fingerprint));
            }
            self.timings.add(Stage::Bundle, started);
        }
        Ok(report)
    }

    /// Where letter `index`'s fragment of the print file is kept.
    fn fragment_path(&self, wb: &Workbook, index: usize) -> PathBuf {
        self.project
            .output_dir()
            .join(".gongwen")
            .join("bundle")
            .join(&wb.stem)
            .join(format!("{index}.frag"))
    }

    /// The print file of `wb`, written to `path` under `output/`: every letter's fragment, the
    /// ones kept from earlier builds read back, the others made from the letter's PDF.
    fn bind(&self, wb: &Workbook, path: &Path) -> anyhow::Result<()> {
        let out = self.project.output_dir();
        let cached = wb.documents.len() <= crate::bundle::MAX_LETTERS;
        let mut next = crate::bundle::base(0);
        let fragments = wb.documents.iter().enumerate().map(|(i, d)| {
            let first = if cached { crate::bundle::base(i) } else { next };
            let kept = self.fragment_path(wb, i);
            if cached
                && let Some(f) = std::fs::read(&kept)
                    .ok()
                    .and_then(|b| Fragment::decode(&b, &d.fingerprint))
            {
                return Ok(f);
            }
            let pdf = std::fs::read(out.join(&d.letter.path))?;
            let f = Fragment::from_pdf(&pdf, first)?;
            next = first + f.objects.len() as u32 + 1;
            if cached {
                output::write_cache(&kept, &f.encode(&d.fingerprint))?;
            }
            Ok(f)
        });
        let title = &wb.validated.job.info.title;
        output::write_streaming(&out.join(path), |w| {
            crate::bundle::bind(w, fragments, title)
        })
    }

    /// Measures a laid-out document against GB/T 9704 and reports each clause it misses.
    fn check_layout(
        &self,
        wb: &Workbook,
        d: &Prepared,
        laid: &Laid,
        report: &mut Report,
    ) -> Vec<crate::measure::PageMeasure> {
        let label = d.letter.tag();
        for w in &laid.warnings {
            report.push(
                Diagnostic::new(
                    Rule::TypesetWarning,
                    Loc::file(&wb.display),
                    format!("{label}{}", w.message),
                )
                .source(w.source_place(crate::compile::GENERATED)),
            );
        }
        let pages = crate::measure::measure_with(&laid.document, &self.boxes);
        let expect = self.expect(&wb.validated, &d.doc);
        for f in crate::conformance::check(&pages, &expect)
            .iter()
            .filter(|f| f.failed())
        {
            report.push(
                Diagnostic::new(
                    Rule::LayoutCheck,
                    Loc::file(&wb.display),
                    format!(
                        "{label}版式检查未通过：{}：应为 {}，实测 {}",
                        f.clause, f.expected, f.measured
                    ),
                )
                .hint(
                    "这通常是模板或样式库的问题；如刚修改过模板，请对照 docs/conformance.md 检查",
                ),
            );
        }
        pages
    }

    /// The DOCX of a laid-out letter; `first` is its first page as measured.
    fn docx(
        &self,
        d: &Prepared,
        laid: &Laid,
        first: Option<&crate::measure::PageMeasure>,
    ) -> anyhow::Result<Vec<u8>> {
        crate::docx::make(
            &laid.document,
            first,
            &crate::docx::Setup {
                shared: &self.docx,
                title: &d.doc.info.title,
                date: d.doc.info.date,
            },
        )
    }
}
