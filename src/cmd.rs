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
        Command::Watch { checks } => watch(project, checks, !cli.no_system_fonts),
        Command::Serve(args) => crate::serve::serve(project, args, !cli.no_system_fonts),
        Command::Manual { dir } => manual(dir),
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

/// What reaches the watch loop: the watcher's events, and Ctrl+C.
enum Signal {
    Watch(crate::watch::Event),
    Stop,
}

/// `gongwen watch`: builds once, then again on every change until Ctrl+C; exits 0 then.
fn watch(project: Project, checks: &CheckArgs, system_fonts: bool) -> anyhow::Result<ExitCode> {
    use crate::watch::{Change, Event, Stamps, Watch};
    use std::sync::mpsc;
    let (tx, rx) = mpsc::channel::<Signal>();
    let stop = tx.clone();
    let stopping = std::sync::atomic::AtomicBool::new(false);
    ctrlc::set_handler(move || {
        // A second Ctrl+C while a build is finishing ends at once; what was written is whole
        // (every file is written atomically) and the next build removes what was half done.
        if stopping.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(130);
        }
        let _ = stop.send(Signal::Stop);
    })
    .context("无法接管 Ctrl+C")?;
    let mut watching = Watch::start(&project, move |e| {
        let _ = tx.send(Signal::Watch(e));
    })?;
    let options = Options {
        write: true,
        force: false,
        keep_source: false,
        as_of: checks.as_of,
    };
    let mut run = Run::new(project.clone(), system_fonts)?;
    let mut seen = Stamps::of(&project);
    watch_build(&run, options, checks);
    println!(
        "正在监视 input/、templates/、fonts/ 和 gongwen.toml；保存后自动重新生成，按 Ctrl+C 结束"
    );
    while let Ok(first) = rx.recv() {
        // Events that arrived during the build are part of the same change; a Ctrl+C among
        // them ends the watch.
        let mut change: Option<Change> = None;
        let mut stop = false;
        for signal in std::iter::once(first).chain(rx.try_iter()) {
            match signal {
                Signal::Watch(Event::Changed(c)) => change = Some(change.map_or(c, |o| o.and(c))),
                Signal::Watch(Event::Failed(e)) => eprintln!("监视文件时出错（{e}），继续监视"),
                Signal::Stop => stop = true,
            }
        }
        if stop {
            break;
        }
        match change {
            None => continue,
            Some(Change::Environment) => {
                if let Err(e) = watching.refresh() {
                    eprintln!("{e:#}");
                }
                match Run::new(project.clone(), system_fonts) {
                    Ok(r) => run = r,
                    Err(e) => {
                        eprintln!(
                            "无法重新载入模板、字体或 gongwen.toml（{e:#}）；改正后保存即可继续"
                        );
                        continue;
                    }
                }
            }
            Some(Change::Data) => {
                // A save can reach the watcher as more than one burst of events; a burst that
                // changed no workbook since the last build asks for nothing.
                if Stamps::of(&project) == seen {
                    continue;
                }
            }
        }
        seen = Stamps::of(&project);
        watch_build(&run, options, checks);
    }
    println!("已停止监视");
    Ok(ExitCode::SUCCESS)
}

/// One incremental build of every workbook in `input/`, reported like `gongwen build`.
fn watch_build(run: &Run, options: Options, checks: &CheckArgs) {
    let workbooks = match run.project.input_workbooks() {
        Ok(w) => w,
        Err(e) => {
            eprintln!("无法列出输入文件夹中的工作簿（{e:#}）");
            return;
        }
    };
    println!("── {} ──", chrono::Local::now().format("%H:%M:%S"));
    if let Err(e) = run_once(run, &workbooks, options, checks) {
        eprintln!("{e:#}");
    }
}

/// `gongwen manual DIR`: the man page and shell completions, made from the command line's
/// definition (for packages).
fn manual(dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    use clap::CommandFactory as _;
    let command = Cli::command();
    let man = dir.join("man");
    std::fs::create_dir_all(&man).with_context(|| format!("无法创建 {}", man.display()))?;
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    crate::output::write_all_atomically(&[(man.join("gongwen.1"), &page)])?;
    let completions = dir.join("completions");
    std::fs::create_dir_all(&completions)
        .with_context(|| format!("无法创建 {}", completions.display()))?;
    for shell in [
        clap_complete::Shell::Bash,
        clap_complete::Shell::Zsh,
        clap_complete::Shell::Fish,
    ] {
        let mut command = command.clone();
        clap_complete::generate_to(shell, &mut command, "gongwen", &completions)
            .with_context(|| format!("无法写入 {}", completions.display()))?;
    }
    println!("已生成：{}、{}", man.display(), completions.display());
    Ok(ExitCode::SUCCESS)
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
        "已生成空白工作簿：{}（文种「{kind}」）。请按示例行和「{}」工作表填写，再运行 gongwen check 检查、gongwen build 生成",
        project.display(&path),
        crate::contract::notes()
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
                eprintln!("{}", w.describe(&file.display().to_string()));
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
                eprintln!("{}", e.describe(&file.display().to_string()));
            }
            Ok(ExitCode::from(1))
        }
    }
}
