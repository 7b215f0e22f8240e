//! Watch: build once, then rebuild whenever a workbook, a template, a font or `gongwen.toml`
//! changes, until Ctrl+C.
//!
//! Every rebuild is an ordinary incremental build of the whole project: the manifest skips the
//! workbooks that did not change and, inside a changed workbook, the documents whose data did
//! not change, so saving one row rewrites that row's document (and the print file and XLSX it
//! feeds) and nothing else. A change to templates, fonts or `gongwen.toml` reloads them first.
//! Editors' and Office's temporary files (`~$…`, `.~lock…`, `…~`, `.tmp`, `.swp`) are ignored.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context as _;
use notify::RecursiveMode;

use crate::cli::CheckArgs;
use crate::cmd::run_once;
use crate::pipeline::{Options, Run};
use crate::project::Project;

/// How long a burst of file events must be quiet before a rebuild (Office saves a workbook as
/// several writes and renames).
const SETTLE: Duration = Duration::from_millis(400);

enum Event {
    /// Files changed (temporary files already left out).
    Changed(Vec<PathBuf>),
    /// The watcher failed.
    Failed(String),
    /// Ctrl+C.
    Stop,
}

/// What a change asks for.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    /// Only workbooks changed.
    Data,
    /// Templates, fonts or settings changed: reload them, then build.
    Environment,
}

/// Whether `path` is an editor's or Office's temporary file, or gongwen's own.
fn is_temporary(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    name.starts_with("~$")
        || name.starts_with(".~lock")
        || name.starts_with(crate::output::TEMP_PREFIX)
        || name.starts_with(".#")
        || name.ends_with('~')
        || [".tmp", ".swp", ".swx", ".part", ".crdownload"]
            .iter()
            .any(|e| name.to_lowercase().ends_with(e))
}

/// What the changed `paths` ask for in `project`, or nothing when none of them matters.
fn classify(project: &Project, paths: &[PathBuf]) -> Option<Change> {
    let input = project.input_dir();
    let config = project.root.join(crate::config::FILE);
    let mut change = None;
    for p in paths.iter().filter(|p| !is_temporary(p)) {
        if p.starts_with(&input) {
            change.get_or_insert(Change::Data);
        } else if p == &config
            || project.templates_dir().is_some_and(|d| p.starts_with(d))
            || project.fonts_dir().is_some_and(|d| p.starts_with(d))
        {
            change = Some(Change::Environment);
        }
    }
    change
}

/// Watches `project` and rebuilds on every change until Ctrl+C; exits 0 then.
///
/// # Errors
/// When the project cannot be loaded at start, or its folders cannot be watched.
pub fn watch(project: Project, checks: &CheckArgs, system_fonts: bool) -> anyhow::Result<ExitCode> {
    // File events name absolute paths.
    let project = Project::new(std::path::absolute(&project.root).unwrap_or(project.root));
    let (tx, rx) = mpsc::channel::<Event>();
    let stop = tx.clone();
    let stopping = std::sync::atomic::AtomicBool::new(false);
    ctrlc::set_handler(move || {
        // A second Ctrl+C while a build is finishing ends at once; what was written is whole
        // (every file is written atomically) and the next build removes what was half done.
        if stopping.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(130);
        }
        let _ = stop.send(Event::Stop);
    })
    .context("无法接管 Ctrl+C")?;

    let mut debouncer = notify_debouncer_mini::new_debouncer(SETTLE, {
        let tx = tx.clone();
        move |result: notify_debouncer_mini::DebounceEventResult| {
            let event = match result {
                Ok(events) => Event::Changed(events.into_iter().map(|e| e.path).collect()),
                Err(e) => Event::Failed(e.to_string()),
            };
            let _ = tx.send(event);
        }
    })
    .context("无法监视文件变化")?;
    let input = project.input_dir();
    std::fs::create_dir_all(&input)
        .with_context(|| format!("无法建立输入文件夹 {}", project.display(&input)))?;
    let watcher = debouncer.watcher();
    watcher
        .watch(&input, RecursiveMode::Recursive)
        .with_context(|| format!("无法监视 {}", project.display(&input)))?;
    // The project folder itself, for gongwen.toml and for templates/ or fonts/ made later (not
    // recursively: output/ is written here).
    watcher
        .watch(&project.root, RecursiveMode::NonRecursive)
        .with_context(|| format!("无法监视 {}", project.root.display()))?;
    let mut watched: Vec<PathBuf> = Vec::new();
    watch_assets(watcher, &project, &mut watched)?;

    let options = Options {
        write: true,
        force: false,
        keep_source: false,
        as_of: checks.as_of,
    };
    let mut run = Run::new(project.clone(), system_fonts)?;
    build(&run, options, checks);
    println!(
        "正在监视 input/、templates/、fonts/ 和 gongwen.toml；保存后自动重新生成，按 Ctrl+C 结束"
    );
    loop {
        match rx.recv() {
            Ok(Event::Changed(paths)) => {
                // Events that arrived during the build are part of the same change; a Ctrl+C
                // among them ends the watch.
                let mut paths = paths;
                let mut stop = false;
                while let Ok(next) = rx.try_recv() {
                    match next {
                        Event::Changed(more) => paths.extend(more),
                        Event::Failed(e) => eprintln!("监视文件时出错（{e}），继续监视"),
                        Event::Stop => stop = true,
                    }
                }
                if stop {
                    break;
                }
                match classify(&project, &paths) {
                    None => continue,
                    Some(Change::Environment) => {
                        if let Err(e) = watch_assets(debouncer.watcher(), &project, &mut watched) {
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
                    Some(Change::Data) => {}
                }
                build(&run, options, checks);
            }
            Ok(Event::Failed(e)) => eprintln!("监视文件时出错（{e}），继续监视"),
            Ok(Event::Stop) | Err(_) => break,
        }
    }
    println!("已停止监视");
    Ok(ExitCode::SUCCESS)
}

/// Watches `templates/` and `fonts/` when they exist and are not watched yet.
fn watch_assets(
    watcher: &mut dyn notify::Watcher,
    project: &Project,
    watched: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    for dir in [project.templates_dir(), project.fonts_dir()]
        .into_iter()
        .flatten()
    {
        if !watched.contains(&dir) {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .with_context(|| format!("无法监视 {}", project.display(&dir)))?;
            watched.push(dir);
        }
    }
    Ok(())
}

/// One incremental build of every workbook in `input/`, reported like `gongwen build`.
fn build(run: &Run, options: Options, checks: &CheckArgs) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_and_editor_temporaries_are_ignored() {
        for name in [
            "~$台账.xlsx",
            ".~lock.台账.xlsx#",
            "台账.xlsx~",
            "台账.tmp",
            ".gongwen-abc.pdf",
            "x.swp",
        ] {
            assert!(is_temporary(Path::new(name)), "{name}");
        }
        assert!(!is_temporary(Path::new("台账.xlsx")));
    }

    #[test]
    fn changes_are_classified_by_where_they_are() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir_all(dir.path().join("templates")).expect("templates/");
        let project = Project::new(dir.path());
        let input = project.input_dir().join("台账.xlsx");
        let lock = project.input_dir().join("~$台账.xlsx");
        let template = dir.path().join("templates").join("通知.typ");
        let config = dir.path().join("gongwen.toml");
        let output = dir.path().join("output").join("台账.pdf");
        assert_eq!(
            classify(&project, std::slice::from_ref(&input)),
            Some(Change::Data)
        );
        assert_eq!(classify(&project, &[lock]), None);
        assert_eq!(classify(&project, &[output]), None);
        assert_eq!(
            classify(&project, &[input.clone(), template]),
            Some(Change::Environment)
        );
        assert_eq!(classify(&project, &[config]), Some(Change::Environment));
    }
}
