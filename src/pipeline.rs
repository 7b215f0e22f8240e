//! Pipeline: one job per workbook, run in parallel — read → validate → model → render →
//! compile (PDF) / ledger (XLSX) → write.
//!
//! A job with errors writes nothing and never stops the others. A job whose fingerprint (the
//! workbook's bytes, its template, the style library, the fonts and gongwen's version) matches
//! the manifest and whose outputs exist is skipped.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::compile::{Compiled, Compiler};
use crate::diag::{Diagnostic, Loc, Report};
use crate::fonts::Role;
use crate::model::Document;
use crate::output::{Manifest, write_all_atomically};
use crate::project::Project;
use crate::read::{Workbook, read_workbook};
use crate::render::Templates;

/// What a run should do.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Write outputs (`build`) or only check (`check`).
    pub write: bool,
    /// Rebuild even when nothing changed.
    pub force: bool,
}

/// How a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Outputs written.
    Built(Vec<PathBuf>),
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
    /// Fingerprint of the inputs, when the job got that far.
    fingerprint: Option<String>,
}

/// The faces a cell's text is printed in: the title and 标志 in 小标宋, 签发人 in 楷体, 层面 (一、)
/// in 黑体, 类别 (（一）) in 楷体, a 正文 heading in 黑体 or 楷体, everything else in 仿宋.
fn cell_roles<'a>(
    sheet: &'a crate::read::Sheet,
    file: &str,
) -> impl Fn(u32, u32) -> Vec<Role> + 'a {
    let name = sheet.name.trim().to_string();
    let header = match name.as_str() {
        "问题清单" => crate::read::Table::find(sheet, file, &["存在问题", "整改状态"]).ok(),
        "正文" => crate::read::Table::find(sheet, file, &["层级", "标题", "内容"]).ok(),
        _ => None,
    };
    move |row, col| {
        let column = header
            .as_ref()
            .filter(|t| row > t.header_row)
            .and_then(|t| t.columns.iter().find(|c| c.col == col))
            .map(|c| c.name.as_str());
        match (name.as_str(), column) {
            ("文件信息", _) if col > 0 => {
                match crate::read::normalize_header(&sheet.get(row, 0).text()).as_str() {
                    "标题" | "发文机关标志" => vec![Role::XiaoBiaoSong],
                    "签发人" => vec![Role::Kai],
                    _ => vec![Role::FangSong],
                }
            }
            ("问题清单", Some("层面")) => vec![Role::Hei],
            ("问题清单", Some("类别")) => vec![Role::Kai],
            ("正文", Some("标题")) => vec![Role::Hei, Role::Kai],
            _ => vec![Role::FangSong],
        }
    }
}

/// The warning for a character the role's face lacks.
fn uncovered_char(ch: char, fallback: bool, role: Role, face: &str, loc: Loc) -> Diagnostic {
    if fallback {
        Diagnostic::warning(
            loc,
            format!(
                "字符“{ch}”不在「{}」字体 {face} 中，将改用 {} 印出，字形与周围文字不同",
                role.name(),
                crate::fonts::FALLBACK_FAMILY
            ),
        )
        .hint(format!(
            "如需字形一致，请把含有“{ch}”的正式{}字体放进 fonts/ 文件夹",
            role.name()
        ))
    } else {
        Diagnostic::warning(
            loc,
            format!(
                "字符“{ch}”（U+{:04X}）没有任何字体能够印出，将显示为空框",
                ch as u32
            ),
        )
        .hint("请改用常用字，或把含有该字的字体放进 fonts/ 文件夹")
    }
}

/// 份号, 密级 (★ 保密期限) and 紧急程度 as the header prints them, in order.
fn header_marks(doc: &Document) -> Vec<String> {
    let f = |key: &str| {
        doc.info
            .fields
            .get(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let secret = f("密级").map(|s| match f("保密期限") {
        Some(period) => format!("{s}★{period}"),
        None => s,
    });
    [f("份号"), secret, f("紧急程度")]
        .into_iter()
        .flatten()
        .collect()
}

/// The seal image a project may provide, in its `templates/` folder. The file is the project's
/// choice; a cell only says whether the document is sealed, never which file to read.
pub const SEAL_IMAGE: &str = "印章.png";

/// A workbook read, validated and rendered, ready to compile.
struct Prepared {
    display: String,
    stem: String,
    bytes: Vec<u8>,
    doc: Document,
    source: String,
}

/// Everything a run shares: templates and the compiler (with its fonts), loaded once.
pub struct Run {
    /// The project.
    pub project: Project,
    /// Loaded templates.
    pub templates: Templates,
    /// The compiler and fonts.
    pub compiler: Compiler,
}

impl Run {
    /// Loads templates and fonts for `project`.
    ///
    /// # Errors
    /// When no usable font exists for a role.
    pub fn new(project: Project, system_fonts: bool) -> anyhow::Result<Run> {
        let templates = Templates::load(project.templates_dir().as_deref());
        let fonts = crate::fonts::FontSet::load(project.fonts_dir().as_deref(), system_fonts)?;
        let compiler = Compiler::new(
            fonts,
            &templates.style_library().text,
            project.templates_dir(),
        );
        Ok(Run {
            project,
            templates,
            compiler,
        })
    }

    /// Runs every workbook, in parallel, and updates the manifest.
    pub fn run(&self, workbooks: &[PathBuf], options: Options) -> Vec<JobResult> {
        let manifest = Manifest::load(&self.project.output_dir());
        let pool = rayon::ThreadPoolBuilder::new()
            .stack_size(64 << 20)
            .build()
            .expect("a thread pool");
        let results: Vec<JobResult> = pool.install(|| {
            workbooks
                .par_iter()
                .map(|wb| self.guarded_job(wb, options, &manifest))
                .collect()
        });
        if options.write {
            let mut manifest = manifest;
            for r in &results {
                match (&r.outcome, &r.fingerprint) {
                    (Outcome::Built(_), Some(f)) => manifest.record(&r.workbook, f),
                    (Outcome::Failed, _) => manifest.forget(&r.workbook),
                    _ => {}
                }
            }
            if let Err(e) = manifest.save() {
                eprintln!("警告：无法保存构建记录（{e:#}），下次将全部重新生成");
            }
        }
        results
    }

    /// Runs a job; a bug that panics inside it becomes that workbook's error, not the run's end.
    fn guarded_job(&self, path: &Path, options: Options, manifest: &Manifest) -> JobResult {
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
                Diagnostic::error(
                    Loc::file(&display),
                    format!("gongwen 内部错误（{what}），此工作簿未生成"),
                )
                .hint("这是程序的缺陷而不是数据的问题；请把这个工作簿和以上信息交给维护人员"),
            );
            JobResult {
                workbook: display,
                report,
                outcome: Outcome::Failed,
                fingerprint: None,
            }
        })
    }

    /// Reads, validates and renders one workbook: everything before compiling.
    fn prepare(&self, path: &Path, report: &mut Report) -> Option<Prepared> {
        let display = self.project.display(path);
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                report.push(
                    Diagnostic::error(Loc::file(&display), format!("无法读取文件（{e}）"))
                        .hint("请确认文件存在且未被占用"),
                );
                return None;
            }
        };
        let book = read_workbook(path, &display)
            .map_err(|d| report.push(d))
            .ok()?;
        let (doc, found) = crate::validate::validate(&book);
        report.items.extend(found.items);
        let doc = doc?;
        self.check_coverage(&book, report);
        let mut view = doc.view();
        view.doc.seal_image = self
            .project
            .templates_dir()
            .is_some_and(|d| d.join(SEAL_IMAGE).is_file());
        let source = self
            .templates
            .render(&doc.info.kind, &view)
            .map_err(|message| {
                report.push(
                    Diagnostic::error(Loc::sheet(&display, "文件信息"), message)
                        .hint("请检查模板文件，或确认「文种」填写正确"),
                );
            })
            .ok()?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("document")
            .to_string();
        Some(Prepared {
            display,
            stem,
            bytes,
            doc,
            source,
        })
    }

    /// Lays out one workbook's document without writing anything (for checks and tests).
    ///
    /// # Errors
    /// The workbook's problems, when it cannot be laid out.
    pub fn lay_out(&self, path: &Path) -> Result<(Document, Compiled), Report> {
        let mut report = Report::default();
        let Some(p) = self.prepare(path, &mut report) else {
            return Err(report);
        };
        match self.compiler.compile(&p.source, p.doc.info.date, &p.stem) {
            Ok(compiled) => Ok((p.doc, compiled)),
            Err(errors) => {
                for e in errors {
                    report.push(Diagnostic::error(Loc::file(&p.display), e));
                }
                Err(report)
            }
        }
    }

    fn job(&self, path: &Path, options: Options, manifest: &Manifest) -> JobResult {
        let mut report = Report::default();
        let prepared = self.prepare(path, &mut report);
        let mut result = JobResult {
            workbook: self.project.display(path),
            report,
            outcome: Outcome::Failed,
            fingerprint: None,
        };
        let Some(Prepared {
            display,
            stem,
            bytes,
            doc,
            source,
        }) = prepared
        else {
            return result;
        };
        let out = self.project.output_dir();
        let pdf_path = out.join(format!("{stem}.pdf"));
        let xlsx_path = out.join(format!("{stem}.xlsx"));
        let outputs = vec![pdf_path.clone(), xlsx_path.clone()];
        let fingerprint = self.fingerprint(&bytes, &doc);
        result.fingerprint = Some(fingerprint.clone());
        if !options.write {
            result.outcome = Outcome::Checked;
            return result;
        }
        if !options.force
            && manifest.is_current(&display, &fingerprint)
            && outputs.iter().all(|p| p.is_file())
        {
            result.outcome = Outcome::Unchanged(outputs);
            return result;
        }
        let compiled = self.compiler.compile(&source, doc.info.date, &stem);
        typst::comemo::evict(10);
        let compiled = match compiled {
            Ok(c) => c,
            Err(errors) => {
                let kept = self.keep_source(&stem, &source);
                for e in errors {
                    result
                        .report
                        .push(Diagnostic::error(Loc::file(&display), e).hint(kept.clone()));
                }
                return result;
            }
        };
        for w in compiled.warnings {
            result
                .report
                .push(Diagnostic::warning(Loc::file(&display), w));
        }
        // Measure what was laid out against GB/T 9704, clause by clause.
        let pages = crate::measure::measure(&compiled.document);
        for f in crate::conformance::check(&pages, &self.expect(&doc))
            .iter()
            .filter(|f| !f.ok)
        {
            result.report.push(
                Diagnostic::warning(
                    Loc::file(&display),
                    format!(
                        "版式检查未通过：{}：应为 {}，实测 {}",
                        f.clause, f.expected, f.measured
                    ),
                )
                .hint(
                    "这通常是模板或样式库的问题；如刚修改过模板，请对照 docs/conformance.md 检查",
                ),
            );
        }
        let written = crate::ledger::write(&doc)
            .map_err(|e| anyhow::anyhow!("无法生成台账 XLSX（{e}）"))
            .and_then(|xlsx| {
                write_all_atomically(&[(pdf_path, &compiled.pdf), (xlsx_path, &xlsx)])
            });
        if let Err(e) = written {
            result.report.push(
                Diagnostic::error(Loc::file(&display), format!("{e:#}"))
                    .hint("请关闭正在打开这些输出文件的程序后重试"),
            );
            return result;
        }
        result.outcome = Outcome::Built(outputs);
        result
    }

    /// What the conformance check should expect of `doc`'s layout.
    pub fn expect(&self, doc: &Document) -> crate::conformance::Expect {
        let info = |key: &str| doc.info.fields.get(key).filter(|v| !v.is_empty()).cloned();
        crate::conformance::Expect {
            seal: doc.info.seal,
            marks: header_marks(doc),
            note: info("附注"),
            doc_number: info("发文字号"),
            signature: info("署名").or_else(|| Some(doc.info.issuer.clone())),
            date: Some(crate::model::format_date(doc.info.date)),
            ..self.expect_for_fonts()
        }
    }

    /// The conformance expectations that follow from this run's fonts alone.
    pub fn expect_for_fonts(&self) -> crate::conformance::Expect {
        let fonts = self.compiler.fonts();
        let family = |role| fonts.choice(role).family.clone();
        crate::conformance::Expect {
            faces: crate::conformance::Faces {
                xiaobiaosong: family(Role::XiaoBiaoSong),
                fangsong: family(Role::FangSong),
                hei: family(Role::Hei),
                kai: family(Role::Kai),
                song: family(Role::Song),
                // The stand-in for 小标宋 is FandolSong *Bold*; the official face is used as is.
                xiaobiaosong_bold: !fonts.choice(Role::XiaoBiaoSong).official,
                fallback: fonts.fallback().map(|(f, _)| f.to_string()),
            },
            seal: false,
            marks: Vec::new(),
            note: None,
            doc_number: None,
            signature: None,
            date: None,
        }
    }

    /// Warns about every character of the data that the role faces do not have.
    fn check_coverage(&self, book: &Workbook, report: &mut Report) {
        let fonts = self.compiler.fonts();
        for sheet in &book.sheets {
            let roles = cell_roles(sheet, &book.display);
            for (r, row) in sheet.rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let text = cell.text();
                    if text.is_ascii() {
                        continue;
                    }
                    for role in roles(r as u32, c as u32) {
                        for (ch, fallback) in fonts.uncovered(role, &text) {
                            let loc = Loc::cell(&book.display, &sheet.name, r as u32, c as u32);
                            report.push(uncovered_char(
                                ch,
                                fallback,
                                role,
                                &fonts.choice(role).family,
                                loc,
                            ));
                        }
                    }
                }
            }
        }
    }

    fn fingerprint(&self, workbook: &[u8], doc: &Document) -> String {
        let mut h = blake3::Hasher::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&(workbook.len() as u64).to_le_bytes());
        h.update(workbook);
        let mut texts = self.templates.texts_for(&doc.info.kind);
        texts.push(&self.templates.style_library().text);
        texts.push(self.compiler.prelude());
        for text in texts {
            h.update(&(text.len() as u64).to_le_bytes());
            h.update(text.as_bytes());
        }
        for c in &self.compiler.fonts().roles {
            h.update(c.origin.as_bytes());
        }
        h.finalize().to_hex().to_string()
    }

    /// Keeps the generated Typst source of a failed compile for inspection; returns a hint.
    fn keep_source(&self, stem: &str, source: &str) -> String {
        let path = self
            .project
            .output_dir()
            .join(".gongwen")
            .join(format!("{stem}.typ"));
        match write_all_atomically(&[(path.clone(), source.as_bytes())]) {
            Ok(()) => format!(
                "生成的 Typst 源码已保存到 {}，可对照行号检查模板",
                self.project.display(&path)
            ),
            Err(_) => "请检查模板".to_string(),
        }
    }
}
