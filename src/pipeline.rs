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
}

/// The seal image a project may provide, in its `templates/` folder. The file is the project's
/// choice; a cell only says whether the document is sealed, never which file to read.
pub const SEAL_IMAGE: &str = "印章.png";

/// A document laid out, and its PDF when it had to be written.
type Built = (Laid, Option<Vec<u8>>);

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
    /// Hash of the project's assets (files in `templates/` other than templates: the seal).
    assets: String,
    /// Hash of everything but the workbook that a build reads.
    env: String,
    /// The project's `gongwen.toml`.
    pub config: crate::config::Config,
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
        Ok(Run {
            project,
            templates,
            compiler,
            assets,
            env,
            config,
        })
    }

    /// Runs every workbook, in parallel, and keeps the manifest up to date as each finishes.
    pub fn run(&self, workbooks: &[PathBuf], options: Options) -> Vec<JobResult> {
        let manifest = Mutex::new(Manifest::load(&self.project.output_dir()));
        let pool = rayon::ThreadPoolBuilder::new()
            .stack_size(64 << 20)
            .build()
            .expect("a thread pool");
        pool.install(|| {
            workbooks
                .par_iter()
                .map(|wb| self.guarded_job(wb, options, &manifest))
                .collect()
        })
    }

    /// Runs a job; a bug that panics inside it becomes that workbook's error, not the run's end.
    fn guarded_job(&self, path: &Path, options: Options, manifest: &Mutex<Manifest>) -> JobResult {
        let run = std::panic::AssertUnwindSafe(|| self.job(path, options, manifest));
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
        let book = read_workbook(path, &display)
            .map_err(|d| report.push(d))
            .ok()?;
        let (validated, found) = crate::validate::validate(&book, &self.templates);
        report.items.extend(found.items);
        let validated = validated?;
        report.items.extend(crate::lint::coverage(
            &validated.printed,
            self.compiler.fonts(),
        ));
        let as_of = as_of.or(self.config.as_of().ok().flatten());
        report.items.extend(crate::lint::check(
            &validated,
            crate::lint::Options { as_of },
        ));
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
        let mut documents = Vec::new();
        for letter in &plan.letters {
            let doc = validated.job.document(letter.recipient);
            let view = View::new(&doc, &validated.spec, project);
            match self.templates.render(&doc.info.kind, &view) {
                Ok(source) => {
                    let fingerprint = self.document_fingerprint(&source, &doc);
                    documents.push(Prepared {
                        letter: letter.clone(),
                        doc,
                        source,
                        fingerprint,
                    });
                }
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
            env!("CARGO_PKG_VERSION").as_bytes(),
            self.templates.style_library().text.as_bytes(),
            self.compiler.prelude().as_bytes(),
            self.compiler.fonts().fingerprint.as_bytes(),
            self.assets.as_bytes(),
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

    fn job(&self, path: &Path, options: Options, manifest: &Mutex<Manifest>) -> JobResult {
        let display = self.project.display(path);
        let mut result = JobResult {
            workbook: display.clone(),
            report: Report::default(),
            outcome: Outcome::Failed,
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
        let Some(wb) = self.prepare(path, options.as_of, &mut result.report) else {
            return result;
        };
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
        let built = self.build(&wb, previous.as_ref(), options.force, &mut result.report);
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
                manifest.lock().expect("the manifest lock").forget(&display);
            }
        }
        result
    }

    /// Lays out, checks and writes the outputs of `wb` whose fingerprint changed. Returns the
    /// manifest entry, the outputs written and the outputs kept; `None` (reported) on errors.
    fn build(
        &self,
        wb: &Workbook,
        previous: Option<&Entry>,
        force: bool,
        report: &mut Report,
    ) -> Option<(Entry, Vec<PathBuf>, Vec<PathBuf>)> {
        let out = self.project.output_dir();
        let stale = |path: &Path, fingerprint: &str| {
            force
                || !out.join(path).is_file()
                || previous
                    .and_then(|p| p.outputs.get(&output::key(path)))
                    .is_none_or(|f| f != fingerprint)
        };
        let mut outputs = std::collections::BTreeMap::new();
        let combined_fp = wb.plan.combined.as_ref().map(|p| {
            let fps: Vec<&[u8]> = wb
                .documents
                .iter()
                .map(|d| d.fingerprint.as_bytes())
                .collect();
            (p.clone(), hash(&fps))
        });
        let combine = combined_fp.as_ref().is_some_and(|(p, f)| stale(p, f));
        let needed: Vec<bool> = wb
            .documents
            .iter()
            .map(|d| combine || stale(&d.letter.path, &d.fingerprint))
            .collect();
        // Lay out (and export) the documents that need it, in parallel.
        let built: Vec<Option<Result<Built, Vec<String>>>> = wb
            .documents
            .par_iter()
            .zip(needed.par_iter())
            .map(|(d, &need)| {
                if !need {
                    return None;
                }
                let write = stale(&d.letter.path, &d.fingerprint);
                Some(
                    self.compiler
                        .lay_out(&d.source, d.doc.info.date)
                        .and_then(|laid| {
                            let pdf = if write {
                                Some(self.compiler.pdf(
                                    &laid.document,
                                    d.doc.info.date,
                                    &d.fingerprint,
                                    true,
                                )?)
                            } else {
                                None
                            };
                            Ok((laid, pdf))
                        }),
                )
            })
            .collect();
        typst::comemo::evict(10);
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        let mut laid_docs = Vec::new();
        let mut failed = false;
        for (d, b) in wb.documents.iter().zip(built) {
            outputs.insert(output::key(&d.letter.path), d.fingerprint.clone());
            let Some(b) = b else { continue };
            let label = d.letter.label.as_deref();
            match b {
                Ok((laid, pdf)) => {
                    self.check_layout(wb, d, &laid, report);
                    if let Some(pdf) = pdf {
                        files.push((d.letter.path.clone(), pdf));
                    }
                    laid_docs.push(laid);
                }
                Err(errors) => {
                    failed = true;
                    let kept = self.keep_source(&d.letter.path, &d.source);
                    for e in errors {
                        let message = match label {
                            Some(l) => format!("（{l}）{e}"),
                            None => e,
                        };
                        report.push(
                            Diagnostic::new(Rule::TypesetError, Loc::file(&wb.display), message)
                                .hint(kept.clone()),
                        );
                    }
                }
            }
        }
        if failed {
            return None;
        }
        if let Some((path, fp)) = combined_fp {
            if combine {
                let docs: Vec<&typst_layout::PagedDocument> =
                    laid_docs.iter().map(|l| &l.document).collect();
                let title = wb.validated.job.info.title.clone();
                let all = crate::compile::combine(&docs, &title);
                match self
                    .compiler
                    .pdf(&all, wb.validated.job.info.date, &fp, false)
                {
                    Ok(pdf) => files.push((path.clone(), pdf)),
                    Err(errors) => {
                        for e in errors {
                            report.push(Diagnostic::new(
                                Rule::TypesetError,
                                Loc::file(&wb.display),
                                e,
                            ));
                        }
                        return None;
                    }
                }
            }
            outputs.insert(output::key(&path), fp);
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
                match crate::xlsx::write(
                    &wb.tables,
                    &wb.validated.job.info.title,
                    wb.validated.job.info.date,
                ) {
                    Ok(bytes) => files.push((path.clone(), bytes)),
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
        let written: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
        let to_write: Vec<(PathBuf, &[u8])> = files
            .iter()
            .map(|(p, b)| (out.join(p), b.as_slice()))
            .collect();
        if let Err(e) = write_all_atomically(&to_write) {
            report.push(
                Diagnostic::new(Rule::WriteFailed, Loc::file(&wb.display), format!("{e:#}"))
                    .hint("请关闭正在打开这些输出文件的程序后重试"),
            );
            return None;
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
        let pages = crate::measure::measure(&laid.document);
        let expect = self.expect(&wb.validated, &d.doc);
        for f in crate::conformance::check(&pages, &expect)
            .iter()
            .filter(|f| !f.ok)
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
