//! Prepare: a workbook read, validated, checked, planned and rendered to Typst, everything
//! before layout; its problems reported at once (the supervisor's warnings with the errors).

use std::path::Path;

use rayon::prelude::*;

use crate::compile::Laid;
use crate::diag::{Diagnostic, Loc, Report, Rule};
use crate::fingerprint::hash;
use crate::model::Document;
use crate::pipeline::{Prepared, Run, Stage, Workbook};
use crate::plan::Plan;
use crate::read::read_workbook;
use crate::render::TemplateFault;
use crate::table::Table;
use crate::validate::Validated;
use crate::view::View;

/// Whether `message` quotes `value` (in any quotation marks): a value worth naming, not a word
/// or two that any message might hold.
fn quotes(message: &str, value: &str) -> bool {
    let value = value.trim();
    value.chars().count() >= 2
        && [('"', '"'), ('“', '”'), ('\'', '\''), ('`', '`')]
            .iter()
            .any(|(open, close)| message.contains(&format!("{open}{value}{close}")))
}

/// Whether warning `w` may only be there because error `e` left a row out: a gap in the 序号 of
/// the same sheet, or a count in prose that the rows left out change.
fn misleads(w: &Diagnostic, e: &Diagnostic) -> bool {
    match w.rule {
        // A built-in list leaves a row with an error out, which a 序号 check would see as a gap;
        // a table (an appendix, a template's own sheet) keeps every row.
        Rule::SerialGap | Rule::SerialRepeat => {
            w.loc.sheet.is_some()
                && w.loc.sheet == e.loc.sheet
                && w.loc
                    .sheet
                    .as_deref()
                    .is_some_and(|s| crate::contract::named(s).is_some())
        }
        Rule::CountMismatch => true,
        _ => false,
    }
}

/// The bytes of the file at `path`; `None` when it cannot be read (reported).
fn read_input(path: &Path, display: &str, report: &mut Report) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(b) => Some(b),
        Err(e) => {
            report.push(
                Diagnostic::new(
                    Rule::FileUnreadable,
                    Loc::file(display),
                    format!("无法读取文件（{e}）"),
                )
                .hint("请确认文件存在且未被占用"),
            );
            None
        }
    }
}

/// A template error, at the cell whose value made the template fail when the message quotes
/// one, else at the workbook.
fn template_error(validated: &Validated, fault: TemplateFault, display: &str) -> Diagnostic {
    let cell = validated
        .printed
        .iter()
        .find(|p| quotes(&fault.message, &p.text))
        .map(|p| p.loc.clone());
    let hint = match &cell {
        Some(_) => "这个单元格的内容不合模板的要求：请改正它，或修改模板".to_string(),
        None => format!(
            "请检查模板文件，或确认「{}」填写正确",
            crate::contract::key(crate::contract::KeyId::Kind)
        ),
    };
    Diagnostic::new(
        Rule::TemplateError,
        cell.unwrap_or_else(|| Loc::file(display)),
        fault.message,
    )
    .source(fault.place)
    .hint(hint)
}

/// A workbook's outputs and what they are made of, before rendering.
struct Planned {
    /// Its outputs.
    plan: Plan,
    /// Its tables, for the XLSX.
    tables: Vec<Table>,
    /// Each letter's document, in the plan's order.
    docs: Vec<Document>,
}

impl Run {
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
        let input = hash(&[&read_input(path, &display, report)?]);
        let validated = self.read_and_validate(path, &display, report)?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("document")
            .to_string();
        let Planned { plan, tables, docs } = self.plan_documents(&validated, &stem, report);
        self.lint_documents(&validated, &docs, as_of, report)?;
        let documents = self.render_documents(&validated, &plan, docs, &display, report)?;
        Some(Workbook {
            input,
            display,
            stem,
            validated,
            plan,
            documents,
            tables,
        })
    }

    /// Reads and validates the workbook at `path`, and checks that the fonts cover every
    /// printed cell.
    fn read_and_validate(
        &self,
        path: &Path,
        display: &str,
        report: &mut Report,
    ) -> Option<Validated> {
        let started = std::time::Instant::now();
        let book = read_workbook(path, display).map_err(|d| report.push(d));
        self.timings.add(Stage::Read, started);
        let book = book.ok()?;
        let started = std::time::Instant::now();
        let (validated, found) =
            crate::validate::validate(&book, &|kind| self.templates.spec(kind).cloned());
        report.items.extend(found.items);
        let validated = validated?;
        self.timings.add(Stage::Validate, started);
        let started = std::time::Instant::now();
        report.items.extend(crate::lint::coverage(
            &validated.printed,
            self.compiler.fonts(),
        ));
        self.timings.add(Stage::Lint, started);
        Some(validated)
    }

    /// The workbook's outputs, its tables for the XLSX, and each letter's document (a batch's
    /// made in parallel).
    fn plan_documents(&self, validated: &Validated, stem: &str, report: &mut Report) -> Planned {
        let started = std::time::Instant::now();
        let tables = crate::ledger::tables(&validated.job, &validated.spec);
        let (plan, warnings) = crate::plan::plan(
            &validated.job,
            stem,
            !tables.is_empty(),
            self.config.output.docx,
        );
        report.items.extend(warnings);
        let routes = validated.job.routes();
        let docs: Vec<Document> = plan
            .letters
            .par_iter()
            .map(|letter| validated.job.document(letter.recipient, &routes))
            .collect();
        self.timings.add(Stage::Validate, started);
        Planned { plan, tables, docs }
    }

    /// The supervisor's checks of the documents (overdue items as of `as_of`, or the project's
    /// date). `None` when the report holds errors: the warnings on what did validate come with
    /// them, so that a clerk fixes the workbook in one round; none that a row left out by an
    /// error would cause.
    fn lint_documents(
        &self,
        validated: &Validated,
        docs: &[Document],
        as_of: Option<chrono::NaiveDate>,
        report: &mut Report,
    ) -> Option<()> {
        let started = std::time::Instant::now();
        let as_of = as_of.or(self.config.as_of().ok().flatten());
        let mut warnings = crate::lint::check(validated, docs, crate::lint::Options { as_of });
        self.timings.add(Stage::Lint, started);
        if report.has_errors() {
            warnings.retain(|w| !report.items.iter().any(|e| e.is_error() && misleads(w, e)));
            report.items.extend(warnings);
            return None;
        }
        report.items.extend(warnings);
        Some(())
    }

    /// Renders each letter's document to Typst through its template, in parallel; `None` at the
    /// first template error (reported).
    fn render_documents(
        &self,
        validated: &Validated,
        plan: &Plan,
        docs: Vec<Document>,
        display: &str,
        report: &mut Report,
    ) -> Option<Vec<Prepared>> {
        let project = crate::view::Project {
            seal_image: self.project.seal_image().is_some(),
        };
        let started = std::time::Instant::now();
        let rendered: Vec<Result<Prepared, TemplateFault>> = plan
            .letters
            .par_iter()
            .zip(docs)
            .map(|(letter, doc)| {
                let view = View::new(&doc, &validated.spec, project);
                let source = self.templates.render(&doc.info.kind, &view)?;
                Ok(Prepared {
                    fingerprint: crate::fingerprint::document(&self.document_env, &source, &doc),
                    letter: letter.clone(),
                    doc,
                    source,
                })
            })
            .collect();
        self.timings.add(Stage::Render, started);
        let rendered: Result<Vec<Prepared>, TemplateFault> = rendered.into_iter().collect();
        rendered
            .map_err(|fault| report.push(template_error(validated, fault, display)))
            .ok()
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
                        report.push(
                            Diagnostic::new(
                                Rule::TypesetError,
                                Loc::file(&wb.display),
                                e.message.clone(),
                            )
                            .source(e.source_place(crate::compile::GENERATED)),
                        );
                    }
                    return Err(report);
                }
            }
        }
        Ok((wb, laid))
    }
}
