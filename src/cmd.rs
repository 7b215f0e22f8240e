//! The subcommands, each a short script over [`crate::pipeline::Run`].

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::{Cli, Command};
use crate::pipeline::{JobResult, Options, Outcome, Run};
use crate::project::Project;

/// Runs the command line's command and returns the exit status.
///
/// # Errors
/// Problems that stop the whole run (no fonts at all, no input folder).
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let project = Project::new(&cli.project);
    match &cli.command {
        Command::Build {
            workbooks,
            force,
            typst,
        } => jobs(
            project,
            workbooks,
            Options {
                write: true,
                force: *force,
                keep_source: *typst,
            },
            cli,
        ),
        Command::Check { workbooks } => jobs(
            project,
            workbooks,
            Options {
                write: false,
                force: false,
                keep_source: false,
            },
            cli,
        ),
        Command::Fonts => fonts(project, cli),
        Command::Typst { file, output } => typst(project, file, output.as_ref(), cli),
    }
}

fn jobs(
    project: Project,
    given: &[PathBuf],
    options: Options,
    cli: &Cli,
) -> anyhow::Result<ExitCode> {
    let workbooks = if given.is_empty() {
        project.input_workbooks().with_context(|| {
            format!(
                "找不到输入文件夹 {}：请在项目文件夹中建立 input/ 并放入工作簿",
                project.input_dir().display()
            )
        })?
    } else {
        given
            .iter()
            .map(|p| {
                if p.is_absolute() || p.exists() {
                    p.clone()
                } else {
                    project.root.join(p)
                }
            })
            .collect()
    };
    if workbooks.is_empty() {
        println!(
            "{} 中没有工作簿（.xlsx、.xlsm、.xls、.ods），无事可做",
            project.display(&project.input_dir())
        );
        return Ok(ExitCode::SUCCESS);
    }
    let run = Run::new(project, !cli.no_system_fonts)?;
    let results = run.run(&workbooks, options);
    Ok(summarize(&run, &results))
}

/// Outputs as a clerk reads them: a batch's letters counted rather than listed one by one.
fn describe_outputs(run: &Run, paths: &[PathBuf]) -> String {
    let out = run.project.output_dir();
    let mut parts: Vec<String> = Vec::new();
    let mut folders: Vec<(PathBuf, usize)> = Vec::new();
    for p in paths {
        match p.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(dir) => match folders.iter_mut().find(|(d, _)| d == dir) {
                Some((_, n)) => *n += 1,
                None => folders.push((dir.to_path_buf(), 1)),
            },
            None => parts.push(run.project.display(&out.join(p))),
        }
    }
    let mut listed: Vec<String> = folders
        .iter()
        .map(|(d, n)| format!("{}/（{n} 份）", run.project.display(&out.join(d))))
        .collect();
    listed.extend(parts);
    listed.join("、")
}

fn summarize(run: &Run, results: &[JobResult]) -> ExitCode {
    let (mut built, mut unchanged, mut checked, mut failed) = (0, 0, 0, 0);
    for r in results {
        for d in &r.report.items {
            eprintln!("{d}");
        }
        match &r.outcome {
            Outcome::Built { written, kept } => {
                built += 1;
                let rest = if kept.is_empty() {
                    String::new()
                } else {
                    format!("（{} 未改动）", describe_outputs(run, kept))
                };
                println!(
                    "已生成：{} → {}{rest}",
                    r.workbook,
                    describe_outputs(run, written)
                );
            }
            Outcome::Unchanged(paths) => {
                unchanged += 1;
                println!(
                    "未改动：{} → {}（数据、模板和字体都没有变化，未重新生成）",
                    r.workbook,
                    describe_outputs(run, paths)
                );
            }
            Outcome::Checked => {
                checked += 1;
                let w = r.report.warnings();
                println!(
                    "检查通过：{}{}",
                    r.workbook,
                    if w > 0 {
                        format!("（{w} 条警告）")
                    } else {
                        String::new()
                    }
                );
            }
            Outcome::Failed => {
                failed += 1;
                println!(
                    "未生成：{}（{} 个错误，见上方说明；已有的输出文件保持不变）",
                    r.workbook,
                    r.report.errors()
                );
            }
        }
    }
    let warnings: usize = results.iter().map(|r| r.report.warnings()).sum();
    println!(
        "共 {} 个工作簿：生成 {built}，未改动 {unchanged}，检查通过 {checked}，出错 {failed}；警告 {warnings} 条",
        results.len()
    );
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn fonts(project: Project, cli: &Cli) -> anyhow::Result<ExitCode> {
    let set = crate::fonts::FontSet::load(project.fonts_dir().as_deref(), !cli.no_system_fonts)?;
    for c in &set.roles {
        let kind = if c.official {
            "正式字体"
        } else {
            "替代字体"
        };
        println!(
            "{}：{}（{kind}，来自 {}）",
            c.role.name(),
            c.family,
            c.origin
        );
    }
    match set.fallback() {
        Some((family, origin)) => println!("缺字补充：{family}（来自 {origin}）"),
        None => println!("缺字补充：无（缺字将显示为空框并给出警告）"),
    }
    Ok(ExitCode::SUCCESS)
}

fn typst(
    project: Project,
    file: &PathBuf,
    output: Option<&PathBuf>,
    cli: &Cli,
) -> anyhow::Result<ExitCode> {
    let source =
        std::fs::read_to_string(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let run = Run::new(project, !cli.no_system_fonts)?;
    let today = chrono::Local::now().date_naive();
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("document");
    match run.compiler.compile(&source, today, stem) {
        Ok(compiled) => {
            for w in &compiled.warnings {
                eprintln!("{w}");
            }
            let out = output
                .cloned()
                .unwrap_or_else(|| file.with_extension("pdf"));
            crate::output::write_all_atomically(&[(out.clone(), &compiled.pdf)])?;
            println!(
                "已生成：{}（{} 页）",
                out.display(),
                compiled.document.pages().len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in errors {
                eprintln!("{e}");
            }
            Ok(ExitCode::from(1))
        }
    }
}
