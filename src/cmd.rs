//! The subcommands, each a short script over [`crate::pipeline::Run`].

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::{CheckArgs, Cli, Command, Format};
use crate::pipeline::{Options, Progress, Run};
use crate::project::Project;
use crate::report;

/// Runs the command line's command and returns the exit status.
///
/// # Errors
/// Problems that stop the whole run (no fonts at all, no input folder, a broken gongwen.toml).
pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let project = Project::new(&cli.project);
    match &cli.command {
        Command::Build {
            workbooks,
            force,
            typst,
            checks,
        } => jobs(
            project,
            workbooks,
            Options {
                write: true,
                force: *force,
                keep_source: *typst,
                as_of: checks.as_of,
            },
            checks,
            cli,
        ),
        Command::Check { workbooks, checks } => jobs(
            project,
            workbooks,
            Options {
                write: false,
                force: false,
                keep_source: false,
                as_of: checks.as_of,
            },
            checks,
            cli,
        ),
        Command::New { kind, path } => new(project, kind, path.as_ref()),
        Command::Watch { checks } => crate::watch::watch(project, checks, !cli.no_system_fonts),
        Command::Fonts => fonts(project, cli),
        Command::Typst { file, output } => typst(project, file, output.as_ref(), cli),
    }
}

/// The workbooks named on the command line, or every workbook in `input/`.
fn workbooks(project: &Project, given: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    if given.is_empty() {
        return project.input_workbooks().with_context(|| {
            format!(
                "找不到输入文件夹 {}：请在项目文件夹中建立 input/ 并放入工作簿（可用 gongwen new <文种> 生成一个）",
                project.input_dir().display()
            )
        });
    }
    Ok(given
        .iter()
        .map(|p| {
            if p.is_absolute() || p.exists() {
                p.clone()
            } else {
                project.root.join(p)
            }
        })
        .collect())
}

/// A progress bar over documents on a terminal; nothing otherwise (indicatif hides it).
pub struct Bar(indicatif::ProgressBar);

impl Bar {
    /// A bar, hidden when `quiet` or standard error is not a terminal.
    pub fn new(quiet: bool) -> Bar {
        let target = if quiet {
            indicatif::ProgressDrawTarget::hidden()
        } else {
            indicatif::ProgressDrawTarget::stderr()
        };
        let bar = indicatif::ProgressBar::with_draw_target(Some(0), target);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} 份公文  {msg}  还需约 {eta}",
            )
            .expect("a valid template"),
        );
        Bar(bar)
    }

    /// Removes the bar before the report is printed.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn documents(&self, workbook: &str, documents: usize) {
        self.0.inc_length(documents as u64);
        self.0.set_message(workbook.to_string());
    }

    fn document_done(&self, _workbook: &str) {
        self.0.inc(1);
    }
}

/// Builds or checks `workbooks` once and reports; the exit status.
pub fn run_once(
    run: &Run,
    workbooks: &[PathBuf],
    options: Options,
    checks: &CheckArgs,
) -> anyhow::Result<ExitCode> {
    let deny = checks.deny_warnings || run.config.checks.deny_warnings;
    let started = std::time::Instant::now();
    let bar = Bar::new(checks.quiet || checks.format == Format::Json);
    let results = run.run(workbooks, options, &bar)?;
    bar.finish();
    let command = if options.write { "build" } else { "check" };
    let summary = match checks.format {
        Format::Text => report::text(run, &results, deny, checks.quiet, started.elapsed()),
        Format::Json => report::json(run, &results, command, deny),
    };
    Ok(if summary.failed(deny) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn jobs(
    project: Project,
    given: &[PathBuf],
    options: Options,
    checks: &CheckArgs,
    cli: &Cli,
) -> anyhow::Result<ExitCode> {
    let workbooks = workbooks(&project, given)?;
    let run = Run::new(project, !cli.no_system_fonts)?;
    if workbooks.is_empty() && checks.format == Format::Text {
        println!(
            "{} 中没有工作簿（.xlsx、.xlsm、.xls、.ods），无事可做；可用 gongwen new <文种> 生成一个空白工作簿",
            run.project.display(&run.project.input_dir())
        );
        return Ok(ExitCode::SUCCESS);
    }
    run_once(&run, &workbooks, options, checks)
}

fn new(project: Project, kind: &str, path: Option<&PathBuf>) -> anyhow::Result<ExitCode> {
    let templates = crate::render::Templates::load(project.templates_dir().as_deref());
    let spec = templates.spec(kind).map_err(|e| anyhow::anyhow!(e))?;
    let path = match path {
        Some(p) if p.is_absolute() => p.clone(),
        Some(p) => project.root.join(p),
        None => project.input_dir().join(format!("{kind}.xlsx")),
    };
    let bytes =
        crate::blank::workbook(spec).map_err(|e| anyhow::anyhow!("无法生成空白工作簿（{e}）"))?;
    crate::output::write_new(&path, &bytes)?;
    println!(
        "已生成空白工作簿：{}（文种「{kind}」）。请按示例行和「说明」工作表填写，再运行 gongwen check 检查、gongwen build 生成",
        project.display(&path)
    );
    Ok(ExitCode::SUCCESS)
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
