//! Pipeline: the stages run for every workbook, workbooks in parallel; it only orchestrates.
//!
//! read → validate → plan (outputs) → view → render ([`crate::prepare`]) → compile →
//! conformance → write ([`crate::make`]). A workbook
//! whose bytes and environment (templates, fonts, assets, version) match the manifest and whose
//! outputs all exist is skipped without being parsed. Otherwise each output has its own
//! fingerprint, and only outputs whose fingerprint changed (or that are missing) are written.
//! A workbook with errors writes nothing and never stops the others.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::compile::Compiler;
use crate::diag::{Diagnostic, Loc, Report, Rule};
use crate::fingerprint::{Recorder, assets_fingerprint, hash};
use crate::model::Document;
use crate::output::{self, Entry, Manifest};
use crate::plan::{Letter, Plan};
use crate::project::Project;
use crate::render::Templates;
use crate::table::Table;
use crate::validate::Validated;

pub use crate::timings::{Stage, Timings};

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

/// What a build of one workbook's outputs came to.
pub(crate) struct Built {
    /// Its manifest entry: the input's hash and every output's fingerprint.
    pub(crate) entry: Entry,
    /// The outputs written by this build.
    pub(crate) written: Vec<PathBuf>,
    /// The outputs kept as earlier builds made them.
    pub(crate) kept: Vec<PathBuf>,
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
    pub(crate) document_env: String,
    /// Hash of everything but the workbook that a build reads.
    pub(crate) env: String,
    /// The project's `gongwen.toml`.
    pub config: crate::config::Config,
    /// Time spent per stage.
    pub timings: Timings,
    /// Glyph boxes read for the GB/T 9704 measurement, shared by the run's documents.
    pub(crate) boxes: crate::measure::Boxes,
    /// What every DOCX of the run shares: faces and seal, read once.
    pub(crate) docx: crate::docx::Shared,
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
        let docx = crate::docx::Shared::load(&project, compiler.fonts());
        Ok(Run {
            docx,
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
        let previous = manifest
            .lock()
            .expect("the manifest lock")
            .entry(&display)
            .cloned();
        if options.write
            && !options.force
            && let Some(paths) = self.unchanged(path, previous.as_ref())
        {
            result.outcome = Outcome::Unchanged(paths);
            return result;
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
                self.project.keep_source(&d.letter.path, &d.source);
            }
        }
        result.outcome = self.build_and_record(
            &wb,
            previous.as_ref(),
            options.force,
            manifest,
            &mut result.report,
            progress,
        );
        result
    }

    /// Builds the outputs of `wb` and records them in the manifest: [`Outcome::Built`], or
    /// [`Outcome::Failed`] (reported, and what was written recorded).
    fn build_and_record(
        &self,
        wb: &Workbook,
        previous: Option<&Entry>,
        force: bool,
        manifest: &Mutex<Manifest>,
        report: &mut Report,
        progress: &dyn Progress,
    ) -> Outcome {
        let record = Recorder {
            manifest,
            workbook: wb.display.clone(),
            env: self.env.clone(),
            saved: Mutex::new(std::time::Instant::now()),
        };
        let built = self.build(wb, previous, force, report, &record, progress);
        report
            .items
            .retain(|d| d.is_error() || self.config.allows(d.rule));
        let Some(Built {
            entry,
            written,
            kept,
        }) = built
        else {
            // What was written is recorded (input unknown): the next build redoes the rest.
            let _ = manifest.lock().expect("the manifest lock").save();
            return Outcome::Failed;
        };
        let out = self.project.output_dir();
        let recorded = manifest.lock().expect("the manifest lock").record_built(
            &wb.display,
            &out,
            previous,
            entry,
        );
        if let Err(e) = recorded {
            report.push(Diagnostic::new(
                Rule::ManifestUnsaved,
                Loc::file(&wb.display),
                format!("无法保存构建记录（{e:#}），下次将重新生成"),
            ));
        }
        Outcome::Built { written, kept }
    }

    /// The outputs of the workbook at `path` when the previous build made them from the same
    /// bytes in the same environment and they are all still there.
    fn unchanged(&self, path: &Path, previous: Option<&Entry>) -> Option<Vec<PathBuf>> {
        let prev = previous?;
        if prev.env != self.env || !std::fs::read(path).is_ok_and(|b| hash(&[&b]) == prev.input) {
            return None;
        }
        let out = self.project.output_dir();
        let paths: Vec<PathBuf> = prev
            .outputs
            .keys()
            .map(|k| output::from_key(k))
            .collect::<Option<_>>()?;
        paths.iter().all(|p| out.join(p).is_file()).then_some(paths)
    }
}
