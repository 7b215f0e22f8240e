//! Pipeline: the stages run for every workbook, workbooks in parallel; it only orchestrates.
//!
//! read → validate → plan (outputs) → view → render → compile → conformance → write. A workbook
//! whose bytes and environment (templates, fonts, assets, version) match the manifest and whose
//! outputs all exist is skipped without being parsed. Otherwise each output has its own
//! fingerprint, and only outputs whose fingerprint changed (or that are missing) are written.
//! A workbook with errors writes nothing and never stops the others.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::bundle::Fragment;
use crate::compile::{Compiler, Laid};
use crate::conformance::{Expect, Faces};
use crate::diag::{Diagnostic, Loc, Report, Rule};
use crate::fonts::Role;
use crate::model::Document;
use crate::output::{self, Entry, Manifest, write_all_atomically};
use crate::plan::{Letter, Plan};
use crate::project::Project;
use crate::read::read_workbook;
use crate::render::Templates;
use crate::table::Table;
use crate::validate::Validated;
use crate::view::View;

/// What a run should do.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Write outputs (`build`) or only check (`check`).
    pub write: bool,
    /// Rebuild even when nothing changed.
    pub force: bool,
    /// Also keep each document's generated Typst source in `output/.gongwen/`.
    pub keep_source: bool,
    /// The date items are overdue as of (default: `gongwen.toml`, else each 成文日期).
    pub as_of: Option<chrono::NaiveDate>,
}

/// How a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Outputs written (`written`); the others (`kept`) were already up to date.
    Built {
        /// Outputs written, under `output/`.
        written: Vec<PathBuf>,
        /// Outputs already up to date.
        kept: Vec<PathBuf>,
    },
    /// Nothing changed since the last build.
    Unchanged(Vec<PathBuf>),
    /// Checked without writing.
    Checked,
    /// Errors; nothing written.
    Failed,
}

/// One workbook's result.
#[derive(Debug, Clone)]
pub struct JobResult {
    /// The workbook as messages name it.
    pub workbook: String,
    /// Problems found.
    pub report: Report,
    /// How it ended.
    pub outcome: Outcome,
    /// Its 文种 and 标题, when it was read far enough to know them (not when unchanged).
    pub heading: Option<Heading>,
}

/// What a workbook is: its 文种 and 标题, and its outputs in the order of its plan (a batch's
/// letters in the order of its recipients).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 文种
    pub kind: String,
    /// 标题
    pub title: String,
    /// Its outputs, under `output/`.
    pub outputs: Vec<PathBuf>,
}

impl Heading {
    /// The heading of a workbook read and validated.
    pub fn of(wb: &Workbook) -> Heading {
        Heading {
            kind: wb.validated.job.info.kind.clone(),
            title: wb.validated.job.info.title.clone(),
            outputs: wb.plan.outputs(),
        }
    }
}

/// What a run tells as it goes: how many documents a workbook makes, and each one finished.
/// The library draws nothing; the command line shows a progress bar.
pub trait Progress: Sync {
    /// Workbook `workbook` will make `documents` documents.
    fn documents(&self, _workbook: &str, _documents: usize) {}
    /// One document of `workbook` is done (made or already up to date).
    fn document_done(&self, _workbook: &str) {}
}

/// Tells nothing.
pub struct Silent;

impl Progress for Silent {}

/// The stages whose time a run adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading workbooks.
    Read,
    /// Validating, routing and planning.
    Validate,
    /// The supervisor's checks and the character coverage check.
    Lint,
    /// Rendering templates to Typst.
    Render,
    /// Typst layout.
    Layout,
    /// Measuring the pages against GB/T 9704.
    Check,
    /// PDF export (font subsetting included).
    Pdf,
    /// Writing letters.
    Write,
    /// The print file: fragments and binding.
    Bundle,
    /// XLSX.
    Xlsx,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 10] = [
        Stage::Read,
        Stage::Validate,
        Stage::Lint,
        Stage::Render,
        Stage::Layout,
        Stage::Check,
        Stage::Pdf,
        Stage::Write,
        Stage::Bundle,
        Stage::Xlsx,
    ];

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read workbooks",
            Stage::Validate => "validate, route, plan",
            Stage::Lint => "supervisor's checks",
            Stage::Render => "render templates",
            Stage::Layout => "layout (Typst)",
            Stage::Check => "GB/T 9704 measurement",
            Stage::Pdf => "PDF export (font subsetting)",
            Stage::Write => "write letters",
            Stage::Bundle => "print file (fragments, binding)",
            Stage::Xlsx => "XLSX",
        }
    }
}

/// Time spent per stage, summed over threads.
#[derive(Debug, Default)]
pub struct Timings([std::sync::atomic::AtomicU64; Stage::ALL.len()]);

impl Timings {
    fn add(&self, stage: Stage, since: std::time::Instant) {
        let i = Stage::ALL
            .iter()
            .position(|s| *s == stage)
            .expect("a stage");
        self.0[i].fetch_add(
            since.elapsed().as_nanos() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
    }

    /// Each stage's total so far, and resets it.
    pub fn take(&self) -> Vec<(Stage, std::time::Duration)> {
        Stage::ALL
            .iter()
            .zip(&self.0)
            .map(|(s, t)| {
                let n = t.swap(0, std::sync::atomic::Ordering::Relaxed);
                (*s, std::time::Duration::from_nanos(n))
            })
            .collect()
    }
}

/// Memo-cache entries not used by this many of the latest letters are dropped after each one.
/// Measured on 200 letters: large enough that what letters share stays cached, small enough
/// that memory stays flat.
const EVICT_AGE: usize = 8;

/// Keeps a workbook's manifest entry up to date as its letters are written, saving it now and
/// then, so that a build killed midway keeps what it finished.
pub struct Recorder<'a> {
    manifest: &'a Mutex<Manifest>,
    workbook: String,
    env: String,
    saved: Mutex<std::time::Instant>,
}

impl Recorder<'_> {
    /// Records that `path` was written from `fingerprint`. The entry's input stays unknown
    /// until the whole workbook is done, so the quick skip never trusts a half-done entry.
    fn output(&self, path: &Path, fingerprint: &str) {
        let mut m = self.manifest.lock().expect("the manifest lock");
        let entry = m.entry_mut(&self.workbook);
        entry.input.clear();
        entry.env.clone_from(&self.env);
        entry
            .outputs
            .insert(output::key(path), fingerprint.to_string());
        let mut saved = self.saved.lock().expect("the save time");
        if saved.elapsed() >= std::time::Duration::from_millis(200) {
            let _ = m.save();
            *saved = std::time::Instant::now();
        }
    }
}

/// Whether warning `w` may only be there because error `e` left a row out: a gap in the 序号 of
/// the same sheet, or a count in prose that the rows left out change.
fn misleads(w: &Diagnostic, e: &Diagnostic) -> bool {
    match w.rule {
        Rule::SerialGap | Rule::SerialRepeat => w.loc.sheet.is_some() && w.loc.sheet == e.loc.sheet,
        Rule::CountMismatch => true,
        _ => false,
    }
}

fn write_error(workbook: &str, e: &anyhow::Error) -> Diagnostic {
    Diagnostic::new(Rule::WriteFailed, Loc::file(workbook), format!("{e:#}"))
        .hint("请关闭正在打开这些输出文件的程序后重试")
}

/// The seal image a project may provide, in its `templates/` folder. The file is the project's
/// choice; a cell only says whether the document is sealed, never which file to read.
pub const SEAL_IMAGE: &str = "印章.png";

/// One document of a workbook, rendered and fingerprinted, ready to lay out.
pub struct Prepared {
    /// Where it goes.
    pub letter: Letter,
    /// Its data.
    pub doc: Document,
    /// The Typst source its template rendered.
    pub source: String,
    /// Hash of everything it is made from.
    pub fingerprint: String,
}

/// A workbook read, validated, planned and rendered: everything before compiling.
pub struct Workbook {
    /// The workbook as messages name it.
    pub display: String,
    /// Its file stem (the name of its outputs).
    pub stem: String,
    /// Hash of its bytes.
    pub input: String,
    /// The validated records and the template's declaration.
    pub validated: Validated,
    /// Its outputs.
    pub plan: Plan,
    /// Its documents.
    pub documents: Vec<Prepared>,
    /// Its tables, for the XLSX.
    pub tables: Vec<Table>,
}

/// Everything a run shares: templates and the compiler (with its fonts), loaded once.
pub struct Run {
    /// The project.
    pub project: Project,
    /// Loaded templates.
    pub templates: Templates,
    /// The compiler and fonts.
    pub compiler: Compiler,
    /// Hash of what every document's layout reads besides its own source: gongwen's version, the
    /// style library, the fonts and the project's assets (files in `templates/`: the seal).
    document_env: String,
    /// Hash of everything but the workbook that a build reads.
    env: String,
    /// The project's `gongwen.toml`.
    pub config: crate::config::Config,
    /// Time spent per stage.
    pub timings: Timings,
    /// Glyph boxes read for the GB/T 9704 measurement, shared by the run's documents.
    boxes: crate::measure::Boxes,
}

fn hash(parts: &[&[u8]]) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().to_hex().to_string()
}

/// Hash of the files in `templates/` that templates may read (a seal image…).
fn assets_fingerprint(dir: Option<&Path>) -> String {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    if let Some(dir) = dir
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in files {
            parts.push(
                f.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .as_bytes()
                    .to_vec(),
            );
            parts.push(std::fs::read(&f).unwrap_or_default());
        }
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    hash(&refs)
}

impl Run {
    /// Loads templates and fonts for `project`.
    ///
    /// # Errors
    /// When no usable font exists for a role.
    pub fn new(project: Project, system_fonts: bool) -> anyhow::Result<Run> {
        let config = crate::config::Config::load(&project.root)?;
        let templates = Templates::load(project.templates_dir().as_deref());
        let fonts = crate::fonts::FontSet::load(project.fonts_dir().as_deref(), system_fonts)?;
        let compiler = Compiler::new(
            fonts,
            &templates.style_library().text,
            project.templates_dir(),
        );
        let assets = assets_fingerprint(project.templates_dir().as_deref());
        let env = hash(&[
            env!("CARGO_PKG_VERSION").as_bytes(),
            templates.fingerprint().as_bytes(),
            compiler.prelude().as_bytes(),
            compiler.fonts().fingerprint.as_bytes(),
            assets.as_bytes(),
        ]);
        let document_env = hash(&[
            env!("CARGO_PKG_VERSION").as_bytes(),
            templates.style_library().text.as_bytes(),
            compiler.prelude().as_bytes(),
            compiler.fonts().fingerprint.as_bytes(),
            assets.as_bytes(),
        ]);
        Ok(Run {
            project,
            templates,
            compiler,
            document_env,
            env,
            config,
            timings: Timings::default(),
            boxes: crate::measure::Boxes::default(),
        })
    }

    /// Runs every workbook, in parallel, and keeps the manifest up to date as each finishes.
    /// A build holds the project's lock while it runs and first removes what a killed build
    /// left half done.
    ///
    /// # Errors
    /// When another build runs in the same project.
    pub fn run(
        &self,
        workbooks: &[PathBuf],
        options: Options,
        progress: &dyn Progress,
    ) -> anyhow::Result<Vec<JobResult>> {
        let out = self.project.output_dir();
        let _lock = if options.write {
            let lock = output::lock(&out)?;
            output::remove_leftovers(&out);
            Some(lock)
        } else {
            None
        };
        let manifest = Mutex::new(Manifest::load(&out));
        let pool = rayon::ThreadPoolBuilder::new()
            .stack_size(crate::workers::STACK)
            .build()
            .expect("a thread pool");
        let results = pool.install(|| {
            workbooks
                .par_iter()
                .map(|wb| self.guarded_job(wb, options, &manifest, progress))
                .collect()
        });
        typst::comemo::evict(0);
        Ok(results)
    }

    /// Runs a job; a bug that panics inside it becomes that workbook's error, not the run's end.
    fn guarded_job(
        &self,
        path: &Path,
        options: Options,
        manifest: &Mutex<Manifest>,
        progress: &dyn Progress,
    ) -> JobResult {
        let run = std::panic::AssertUnwindSafe(|| self.job(path, options, manifest, progress));
        std::panic::catch_unwind(run).unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let display = self.project.display(path);
            let mut report = Report::default();
            report.push(
                Diagnostic::new(
                    Rule::Internal,
                    Loc::file(&display),
                    format!("gongwen 内部错误（{what}），此工作簿未生成"),
                )
                .hint("这是程序的缺陷而不是数据的问题；请把这个工作簿和以上信息交给维护人员"),
            );
            JobResult {
                workbook: display,
                report,
                outcome: Outcome::Failed,
                heading: None,
            }
        })
    }

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

    /// Reads, validates, checks, plans and renders the workbook at `path`; `as_of` is the date
    /// items are overdue as of. Warnings the project switched off are left out.
    pub fn prepare(
        &self,
        path: &Path,
        as_of: Option<chrono::NaiveDate>,
        report: &mut Report,
    ) -> Option<Workbook> {
        let wb = self.prepare_all(path, as_of, report);
        report
            .items
            .retain(|d| d.is_error() || self.config.allows(d.rule));
        wb
    }

    fn prepare_all(
        &self,
        path: &Path,
        as_of: Option<chrono::NaiveDate>,
        report: &mut Report,
    ) -> Option<Workbook> {
        let display = self.project.display(path);
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                report.push(
                    Diagnostic::new(
                        Rule::FileUnreadable,
                        Loc::file(&display),
                        format!("无法读取文件（{e}）"),
                    )
                    .hint("请确认文件存在且未被占用"),
                );
                return None;
            }
        };
        let started = std::time::Instant::now();
        let book = read_workbook(path, &display).map_err(|d| report.push(d));
        self.timings.add(Stage::Read, started);
        let book = book.ok()?;
        let started = std::time::Instant::now();
        let (validated, found) = crate::validate::validate(&book, &self.templates);
        report.items.extend(found.items);
        let validated = validated?;
        self.timings.add(Stage::Validate, started);
        let started = std::time::Instant::now();
        report.items.extend(crate::lint::coverage(
            &validated.printed,
            self.compiler.fonts(),
        ));
        self.timings.add(Stage::Lint, started);
        let started = std::time::Instant::now();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("document")
            .to_string();
        let tables = crate::ledger::tables(&validated.job);
        let (plan, warnings) = crate::plan::plan(&validated.job, &stem, !tables.is_empty());
        report.items.extend(warnings);
        let project = crate::view::Project {
            seal_image: self
                .project
                .templates_dir()
                .is_some_and(|d| d.join(SEAL_IMAGE).is_file()),
        };
        // Each document made, checked and rendered on its own: a batch's letters in parallel.
        let routes = validated.job.routes();
        let docs: Vec<Document> = plan
            .letters
            .par_iter()
            .map(|letter| validated.job.document(letter.recipient, &routes))
            .collect();
        self.timings.add(Stage::Validate, started);
        let started = std::time::Instant::now();
        let as_of = as_of.or(self.config.as_of().ok().flatten());
        let mut warnings = crate::lint::check(&validated, &docs, crate::lint::Options { as_of });
        self.timings.add(Stage::Lint, started);
        if report.has_errors() {
            // The warnings on what did validate come with the errors, so that a clerk fixes the
            // workbook in one round; none that a row left out by an error would cause.
            warnings.retain(|w| !report.items.iter().any(|e| e.is_error() && misleads(w, e)));
            report.items.extend(warnings);
            return None;
        }
        report.items.extend(warnings);
        let started = std::time::Instant::now();
        let rendered: Vec<Result<Prepared, String>> = plan
            .letters
            .par_iter()
            .zip(docs)
            .map(|(letter, doc)| {
                let view = View::new(&doc, &validated.spec, project);
                let source = self.templates.render(&doc.info.kind, &view)?;
                Ok(Prepared {
                    fingerprint: self.document_fingerprint(&source, &doc),
                    letter: letter.clone(),
                    doc,
                    source,
                })
            })
            .collect();
        self.timings.add(Stage::Render, started);
        let mut documents = Vec::with_capacity(rendered.len());
        for r in rendered {
            match r {
                Ok(p) => documents.push(p),
                Err(message) => {
                    report.push(
                        Diagnostic::new(Rule::TemplateError, Loc::file(&display), message)
                            .hint("请检查模板文件，或确认「文种」填写正确"),
                    );
                    return None;
                }
            }
        }
        Some(Workbook {
            input: hash(&[&bytes]),
            display,
            stem,
            validated,
            plan,
            documents,
            tables,
        })
    }

    fn document_fingerprint(&self, source: &str, doc: &Document) -> String {
        hash(&[
            self.document_env.as_bytes(),
            crate::model::format_date(doc.info.date).as_bytes(),
            source.as_bytes(),
        ])
    }

    /// Lays out every document of the workbook at `path` without writing anything (for checks
    /// and tests).
    ///
    /// # Errors
    /// The workbook's problems, when it cannot be laid out.
    pub fn lay_out(&self, path: &Path) -> Result<(Workbook, Vec<Laid>), Report> {
        let mut report = Report::default();
        let Some(wb) = self.prepare(path, None, &mut report) else {
            return Err(report);
        };
        let mut laid = Vec::new();
        for d in &wb.documents {
            match self.compiler.lay_out(&d.source, d.doc.info.date) {
                Ok(l) => laid.push(l),
                Err(errors) => {
                    for e in errors {
                        report.push(Diagnostic::new(
                            Rule::TypesetError,
                            Loc::file(&wb.display),
                            e,
                        ));
                    }
                    return Err(report);
                }
            }
        }
        Ok((wb, laid))
    }

    fn job(
        &self,
        path: &Path,
        options: Options,
        manifest: &Mutex<Manifest>,
        progress: &dyn Progress,
    ) -> JobResult {
        let display = self.project.display(path);
        let mut result = JobResult {
            workbook: display.clone(),
            report: Report::default(),
            outcome: Outcome::Failed,
            heading: None,
        };
        let out = self.project.output_dir();
        let previous = manifest
            .lock()
            .expect("the manifest lock")
            .entry(&display)
            .cloned();
        if options.write
            && !options.force
            && let Some(prev) = &previous
            && prev.env == self.env
            && std::fs::read(path).is_ok_and(|b| hash(&[&b]) == prev.input)
        {
            let paths: Option<Vec<PathBuf>> =
                prev.outputs.keys().map(|k| output::from_key(k)).collect();
            if let Some(paths) = paths
                && paths.iter().all(|p| out.join(p).is_file())
            {
                result.outcome = Outcome::Unchanged(paths);
                return result;
            }
        }
        let wb = self.prepare(path, options.as_of, &mut result.report);
        let Some(wb) = wb else {
            return result;
        };
        result.heading = Some(Heading::of(&wb));
        progress.documents(&display, wb.documents.len());
        if result.report.has_errors() {
            return result;
        }
        if !options.write {
            result.outcome = Outcome::Checked;
            return result;
        }
        if options.keep_source {
            for d in &wb.documents {
                self.keep_source(&d.letter.path, &d.source);
            }
        }
        let record = Recorder {
            manifest,
            workbook: display.clone(),
            env: self.env.clone(),
            saved: Mutex::new(std::time::Instant::now()),
        };
        let built = self.build(
            &wb,
            previous.as_ref(),
            options.force,
            &mut result.report,
            &record,
            progress,
        );
        result
            .report
            .items
            .retain(|d| d.is_error() || self.config.allows(d.rule));
        match built {
            Some((entry, written, kept)) => {
                let stale: Vec<PathBuf> = previous
                    .iter()
                    .flat_map(|p| p.outputs.keys())
                    .filter(|k| !entry.outputs.contains_key(*k))
                    .filter_map(|k| output::from_key(k))
                    .collect();
                for p in stale {
                    let _ = std::fs::remove_file(out.join(p));
                }
                let mut m = manifest.lock().expect("the manifest lock");
                m.record(&display, entry);
                if let Err(e) = m.save() {
                    result.report.push(Diagnostic::new(
                        Rule::ManifestUnsaved,
                        Loc::file(&display),
                        format!("无法保存构建记录（{e:#}），下次将重新生成"),
                    ));
                }
                result.outcome = Outcome::Built { written, kept };
            }
            None => {
                // What was written is recorded (input unknown): the next build redoes the rest.
                let _ = manifest.lock().expect("the manifest lock").save();
            }
        }
        result
    }

    /// Lays out, checks and writes the outputs of `wb` whose fingerprint changed: each letter
    /// as soon as it is made (recorded in the manifest as it goes, so a build killed midway
    /// keeps what it finished), then the print file and the XLSX. Returns the manifest entry,
    /// the outputs written and the outputs kept; `None` (reported) on errors.
    fn build(
        &self,
        wb: &Workbook,
        previous: Option<&Entry>,
        force: bool,
        report: &mut Report,
        record: &Recorder,
        progress: &dyn Progress,
    ) -> Option<(Entry, Vec<PathBuf>, Vec<PathBuf>)> {
        let out = self.project.output_dir();
        let recorded = |path: &Path| previous.and_then(|p| p.outputs.get(&output::key(path)));
        let stale = |path: &Path, fingerprint: &str| {
            force || !out.join(path).is_file() || recorded(path).is_none_or(|f| f != fingerprint)
        };
        let mut outputs = std::collections::BTreeMap::new();
        // Letters: laid out, checked and written in parallel, one at a time per thread, the
        // laid-out pages dropped as soon as the PDF is written.
        let letters: Vec<(usize, &Prepared)> = wb
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| stale(&d.letter.path, &d.fingerprint))
            .collect();
        let done: Vec<(usize, Result<Report, Vec<String>>)> =
            crate::workers::map(&letters, |&(i, d)| {
                let result = self.make_letter(wb, i, d, &out);
                if result.is_ok() {
                    record.output(&d.letter.path, &d.fingerprint);
                }
                progress.document_done(&wb.display);
                (i, result)
            });
        for d in wb
            .documents
            .iter()
            .filter(|d| !stale(&d.letter.path, &d.fingerprint))
        {
            progress.document_done(&wb.display);
            let _ = d;
        }
        let mut written: Vec<PathBuf> = Vec::new();
        let mut failed = false;
        for (i, result) in done {
            let d = &wb.documents[i];
            match result {
                Ok(found) => {
                    report.items.extend(found.items);
                    written.push(d.letter.path.clone());
                }
                Err(errors) => {
                    failed = true;
                    let kept = self.keep_source(&d.letter.path, &d.source);
                    let label = d
                        .letter
                        .label
                        .as_deref()
                        .map(|l| format!("（{l}）"))
                        .unwrap_or_default();
                    for e in errors {
                        report.push(
                            Diagnostic::new(
                                Rule::TypesetError,
                                Loc::file(&wb.display),
                                format!("{label}{e}"),
                            )
                            .hint(kept.clone()),
                        );
                    }
                }
            }
        }
        for d in &wb.documents {
            outputs.insert(output::key(&d.letter.path), d.fingerprint.clone());
        }
        if failed {
            return None;
        }
        if let Some(path) = &wb.plan.combined {
            let fps: Vec<&[u8]> = wb
                .documents
                .iter()
                .map(|d| d.fingerprint.as_bytes())
                .collect();
            let fp = hash(&fps);
            if stale(path, &fp) {
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
                written.push(path.clone());
            }
            outputs.insert(output::key(path), fp);
        }
        if let Some(path) = &wb.plan.xlsx {
            let json = serde_json::to_vec(&wb.tables).unwrap_or_default();
            let date = crate::model::format_date(wb.validated.job.info.date);
            let fp = hash(&[
                env!("CARGO_PKG_VERSION").as_bytes(),
                wb.validated.job.info.title.as_bytes(),
                date.as_bytes(),
                &json,
            ]);
            if stale(path, &fp) {
                let started = std::time::Instant::now();
                let made = crate::xlsx::write(
                    &wb.tables,
                    &wb.validated.job.info.title,
                    wb.validated.job.info.date,
                );
                self.timings.add(Stage::Xlsx, started);
                match made {
                    Ok(bytes) => {
                        if let Err(e) = write_all_atomically(&[(out.join(path), &bytes)]) {
                            report.push(write_error(&wb.display, &e));
                            return None;
                        }
                        written.push(path.clone());
                    }
                    Err(e) => {
                        report.push(Diagnostic::new(
                            Rule::Internal,
                            Loc::file(&wb.display),
                            format!("无法生成 XLSX（{e}）"),
                        ));
                        return None;
                    }
                }
            }
            outputs.insert(output::key(path), fp);
        }
        let kept = wb
            .plan
            .outputs()
            .into_iter()
            .filter(|p| !written.contains(p))
            .collect();
        let entry = Entry {
            input: wb.input.clone(),
            env: self.env.clone(),
            outputs,
        };
        Some((entry, written, kept))
    }

    /// Lays out one letter, checks it against GB/T 9704, exports and writes its PDF.
    fn make_letter(
        &self,
        wb: &Workbook,
        index: usize,
        d: &Prepared,
        out: &Path,
    ) -> Result<Report, Vec<String>> {
        let started = std::time::Instant::now();
        let laid = self.compiler.lay_out(&d.source, d.doc.info.date)?;
        self.timings.add(Stage::Layout, started);
        let started = std::time::Instant::now();
        let mut report = Report::default();
        self.check_layout(wb, d, &laid, &mut report);
        self.timings.add(Stage::Check, started);
        let started = std::time::Instant::now();
        let pdf = self
            .compiler
            .pdf(&laid.document, d.doc.info.date, &d.fingerprint, true)?;
        self.timings.add(Stage::Pdf, started);
        drop(laid);
        // Entries unused by the last few letters go: memory stays flat over a long batch while
        // what every letter shares (the style library, repeated paragraphs) stays cached.
        typst::comemo::evict(EVICT_AGE);
        let started = std::time::Instant::now();
        write_all_atomically(&[(out.join(&d.letter.path), &pdf)])
            .map_err(|e| vec![format!("{e:#}")])?;
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
    fn check_layout(&self, wb: &Workbook, d: &Prepared, laid: &Laid, report: &mut Report) {
        let label = d
            .letter
            .label
            .as_deref()
            .map(|l| format!("（{l}）"))
            .unwrap_or_default();
        for w in &laid.warnings {
            report.push(Diagnostic::new(
                Rule::TypesetWarning,
                Loc::file(&wb.display),
                format!("{label}{w}"),
            ));
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
    }

    /// Keeps the generated Typst source of a failed compile for inspection; returns a hint.
    fn keep_source(&self, output: &Path, source: &str) -> String {
        let path = self
            .project
            .output_dir()
            .join(".gongwen")
            .join(output.with_extension("typ"));
        match write_all_atomically(&[(path.clone(), source.as_bytes())]) {
            Ok(()) => format!(
                "生成的 Typst 源码已保存到 {}，可对照行号检查模板",
                self.project.display(&path)
            ),
            Err(_) => "请检查模板".to_string(),
        }
    }
}
