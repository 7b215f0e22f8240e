//! Report: how a run's results reach the clerk — problems grouped by workbook on standard error,
//! in colour when it is a terminal (anstream decides, and honours NO_COLOR), a line per workbook
//! on standard output; or one JSON document on standard output for scripts.

use std::io::Write as _;
use std::path::PathBuf;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::pipeline::{JobResult, Outcome, Run};

/// Counts over a run.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub(crate) struct Summary {
    /// Workbooks.
    pub workbooks: usize,
    /// Workbooks with outputs written.
    pub built: usize,
    /// Workbooks with nothing to rewrite.
    pub unchanged: usize,
    /// Workbooks checked without writing.
    pub checked: usize,
    /// Workbooks not built because of errors.
    pub failed: usize,
    /// Errors over all workbooks.
    pub errors: usize,
    /// Warnings over all workbooks.
    pub warnings: usize,
}

impl Summary {
    fn of(results: &[JobResult]) -> Summary {
        let mut s = Summary {
            workbooks: results.len(),
            ..Summary::default()
        };
        for r in results {
            match r.outcome {
                Outcome::Built { .. } => s.built += 1,
                Outcome::Unchanged(_) => s.unchanged += 1,
                Outcome::Checked => s.checked += 1,
                Outcome::Failed => s.failed += 1,
            }
            s.errors += r.report.errors();
            s.warnings += r.report.warnings();
        }
        s
    }

    /// Whether the run failed: a workbook had errors, or warnings are denied and there are some.
    pub(crate) fn failed(&self, deny_warnings: bool) -> bool {
        self.failed > 0 || (deny_warnings && self.warnings > 0)
    }
}

/// Outputs as a clerk reads them: a batch's letters counted rather than listed one by one (a
/// letter's PDF and DOCX count as one letter).
fn describe_outputs(run: &Run, paths: &[PathBuf]) -> String {
    let out = run.project.output_dir();
    let mut parts: Vec<String> = Vec::new();
    let mut folders: Vec<(
        PathBuf,
        std::collections::BTreeSet<std::ffi::OsString>,
        bool,
    )> = Vec::new();
    for p in paths {
        match p.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(dir) => {
                let i = match folders.iter().position(|(d, _, _)| d == dir) {
                    Some(i) => i,
                    None => {
                        folders.push((dir.to_path_buf(), Default::default(), false));
                        folders.len() - 1
                    }
                };
                let (_, letters, docx) = &mut folders[i];
                letters.insert(p.file_stem().unwrap_or_default().to_os_string());
                *docx |= p.extension().is_some_and(|e| e == "docx");
            }
            None => parts.push(run.project.display(&out.join(p))),
        }
    }
    let mut listed: Vec<String> = folders
        .iter()
        .map(|(d, letters, docx)| {
            let both = if *docx { "，各有 PDF 和 DOCX" } else { "" };
            format!(
                "{}/（{} 份{both}）",
                run.project.display(&out.join(d)),
                letters.len()
            )
        })
        .collect();
    listed.extend(parts);
    listed.join("、")
}

fn style(severity: Severity) -> Style {
    let colour = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
    };
    Style::new().bold().fg_color(Some(colour.into()))
}

fn write_diagnostic(out: &mut impl std::io::Write, d: &Diagnostic) -> std::io::Result<()> {
    let s = style(d.severity());
    let bold = Style::new().bold();
    let hint = Style::new().fg_color(Some(AnsiColor::Cyan.into()));
    writeln!(
        out,
        "{s}{}{s:#}（{}）：{bold}{}{bold:#}：{}",
        d.severity().label(),
        d.rule.code(),
        d.loc,
        d.message
    )?;
    if let Some(h) = &d.hint {
        writeln!(out, "  {hint}处理办法{hint:#}：{h}")?;
    }
    Ok(())
}

/// Prints the results as text: each workbook's problems under its name on standard error, a
/// line per workbook (unless `quiet`) and a closing line with the time taken on standard output.
pub(crate) fn text(
    run: &Run,
    results: &[JobResult],
    deny_warnings: bool,
    quiet: bool,
    took: std::time::Duration,
) -> Summary {
    let mut err = anstream::stderr();
    let mut out = anstream::stdout();
    let heading = Style::new().bold();
    for r in results {
        if !r.report.items.is_empty() {
            let _ = writeln!(
                err,
                "{heading}── {}：{} 个错误，{} 条警告 ──{heading:#}",
                r.workbook,
                r.report.errors(),
                r.report.warnings()
            );
            for d in &r.report.items {
                let _ = write_diagnostic(&mut err, d);
            }
        }
        let line = match &r.outcome {
            Outcome::Built { written, kept } => {
                let rest = if kept.is_empty() {
                    String::new()
                } else {
                    format!("（{} 未改动）", describe_outputs(run, kept))
                };
                format!(
                    "已生成：{} → {}{rest}",
                    r.workbook,
                    describe_outputs(run, written)
                )
            }
            Outcome::Unchanged(paths) => format!(
                "未改动：{} → {}（数据、模板和字体都没有变化，未重新生成）",
                r.workbook,
                describe_outputs(run, paths)
            ),
            Outcome::Checked => {
                let w = r.report.warnings();
                let tail = if w > 0 {
                    format!("（{w} 条警告）")
                } else {
                    String::new()
                };
                format!("检查通过：{}{tail}", r.workbook)
            }
            Outcome::Failed => format!(
                "未生成：{}（{} 个错误，见上方说明；已有的输出文件保持不变）",
                r.workbook,
                r.report.errors()
            ),
        };
        if !quiet {
            let _ = writeln!(out, "{line}");
        }
    }
    let s = Summary::of(results);
    let denied = if deny_warnings && s.warnings > 0 {
        "（警告按设定视为错误）"
    } else {
        ""
    };
    if !quiet {
        let _ = writeln!(
            out,
            "共 {} 个工作簿：生成 {}，未改动 {}，检查通过 {}，出错 {}；警告 {} 条{denied}；用时 {:.1} 秒",
            s.workbooks,
            s.built,
            s.unchanged,
            s.checked,
            s.failed,
            s.warnings,
            took.as_secs_f64()
        );
    }
    s
}

#[derive(Serialize)]
struct JsonWorkbook<'a> {
    file: &'a str,
    outcome: &'static str,
    written: Vec<String>,
    unchanged: Vec<String>,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    command: &'a str,
    ok: bool,
    summary: Summary,
    workbooks: Vec<JsonWorkbook<'a>>,
}

/// Prints the results as one JSON document on standard output.
pub(crate) fn json(
    run: &Run,
    results: &[JobResult],
    command: &str,
    deny_warnings: bool,
) -> Summary {
    let s = Summary::of(results);
    let paths = |ps: &[PathBuf]| -> Vec<String> {
        ps.iter()
            .map(|p| run.project.display(&run.project.output_dir().join(p)))
            .collect()
    };
    let workbooks = results
        .iter()
        .map(|r| {
            let (outcome, written, unchanged) = match &r.outcome {
                Outcome::Built { written, kept } => ("built", paths(written), paths(kept)),
                Outcome::Unchanged(p) => ("unchanged", Vec::new(), paths(p)),
                Outcome::Checked => ("checked", Vec::new(), Vec::new()),
                Outcome::Failed => ("failed", Vec::new(), Vec::new()),
            };
            JsonWorkbook {
                file: &r.workbook,
                outcome,
                written,
                unchanged,
                errors: r.report.errors(),
                warnings: r.report.warnings(),
                diagnostics: &r.report.items,
            }
        })
        .collect();
    let doc = JsonReport {
        version: 1,
        command,
        ok: !s.failed(deny_warnings),
        summary: s,
        workbooks,
    };
    let text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    println!("{text}");
    s
}
