//! Watch: the project's folders watched for saves, for `gongwen watch` and `gongwen serve`.
//!
//! `input/` (recursively), `templates/` and `fonts/` (recursively, when they exist or appear)
//! and the project folder itself (not recursively: `output/` is written there, and for
//! `gongwen.toml`) are watched. A burst of events is reported once it has been quiet for a
//! moment, as a [`Change`]: only workbooks changed, or templates, fonts or settings changed.
//!
//! Only events that change a file count. Reading a file is an event too on Linux (inotify's
//! open and close-without-writing): a build reads every workbook, so counting those made every
//! build wake the watcher for another one, forever. Editors' and Office's temporary files
//! (`~$…`, `.~lock…`, `…~`, `.tmp`, `.swp`) and gongwen's own are ignored.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use notify::RecursiveMode;
use notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};

use crate::project::Project;

/// How long a burst of file events must be quiet before it is reported (Office saves a
/// workbook as several writes and renames).
const SETTLE: Duration = Duration::from_millis(400);

/// What a change asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// Only workbooks changed: build again.
    Data,
    /// Templates, fonts or settings changed: reload them, then build.
    Environment,
}

impl Change {
    /// The larger of two changes.
    pub(crate) fn and(self, other: Change) -> Change {
        if self == Change::Environment || other == Change::Environment {
            Change::Environment
        } else {
            Change::Data
        }
    }
}

/// What the watcher reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// Files that matter changed.
    Changed(Change),
    /// The watcher failed (the watch goes on).
    Failed(String),
}

/// A project's folders, watched until dropped.
pub(crate) struct Watch {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    project: Project,
    watched: Vec<PathBuf>,
}

impl Watch {
    /// Watches `project` (its root made absolute, since events name absolute paths), sending
    /// what happens to `send` from the watcher's thread. Makes `input/` when missing.
    ///
    /// # Errors
    /// When the folders cannot be watched.
    pub(crate) fn start(
        project: &Project,
        send: impl Fn(Event) + Send + 'static,
    ) -> anyhow::Result<Watch> {
        let project = Project::new(
            std::path::absolute(&project.root).unwrap_or_else(|_| project.root.clone()),
        );
        let seen = project.clone();
        let debouncer = notify_debouncer_full::new_debouncer(
            SETTLE,
            None,
            move |result: DebounceEventResult| match result {
                Ok(events) => {
                    let paths: Vec<&PathBuf> = events
                        .iter()
                        .filter(|e| changes_files(&e.kind))
                        .flat_map(|e| e.paths.iter())
                        .collect();
                    if let Some(change) = classify(&seen, &paths) {
                        send(Event::Changed(change));
                    }
                }
                Err(errors) => {
                    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
                    send(Event::Failed(text.join("；")));
                }
            },
        )
        .context("无法监视文件变化")?;
        let mut watch = Watch {
            debouncer,
            project,
            watched: Vec::new(),
        };
        let input = watch.project.input_dir();
        std::fs::create_dir_all(&input)
            .with_context(|| format!("无法建立输入文件夹 {}", watch.project.display(&input)))?;
        watch
            .debouncer
            .watch(&input, RecursiveMode::Recursive)
            .with_context(|| format!("无法监视 {}", watch.project.display(&input)))?;
        let root = watch.project.root.clone();
        watch
            .debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .with_context(|| format!("无法监视 {}", root.display()))?;
        watch.refresh()?;
        Ok(watch)
    }

    /// Watches `templates/` and `fonts/` when they exist and are not watched yet (call after
    /// an [`Change::Environment`]: the folder may have just been made).
    ///
    /// # Errors
    /// When a folder cannot be watched.
    pub(crate) fn refresh(&mut self) -> anyhow::Result<()> {
        for dir in [self.project.templates_dir(), self.project.fonts_dir()]
            .into_iter()
            .flatten()
        {
            if !self.watched.contains(&dir) {
                self.debouncer
                    .watch(&dir, RecursiveMode::Recursive)
                    .with_context(|| format!("无法监视 {}", self.project.display(&dir)))?;
                self.watched.push(dir);
            }
        }
        Ok(())
    }
}

/// The size and modification time of every workbook in `input/`: equal stamps, nothing saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamps(Vec<(PathBuf, u64, Option<std::time::SystemTime>)>);

impl Stamps {
    /// The stamps of `project`'s workbooks now.
    pub(crate) fn of(project: &Project) -> Stamps {
        let workbooks = project.input_workbooks().unwrap_or_default();
        Stamps(
            workbooks
                .into_iter()
                .filter_map(|p| {
                    let meta = std::fs::metadata(&p).ok()?;
                    Some((p, meta.len(), meta.modified().ok()))
                })
                .collect(),
        )
    }
}

/// Whether an event of this kind may have changed a file: reading one (open, close after
/// reading) does not.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
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
fn classify(project: &Project, paths: &[&PathBuf]) -> Option<Change> {
    let input = project.input_dir();
    let config = project.root.join(crate::config::FILE);
    let mut change = None;
    for p in paths.iter().filter(|p| !is_temporary(p)) {
        if p.starts_with(&input) {
            change.get_or_insert(Change::Data);
        } else if *p == &config
            || project.templates_dir().is_some_and(|d| p.starts_with(d))
            || project.fonts_dir().is_some_and(|d| p.starts_with(d))
        {
            change = Some(Change::Environment);
        }
    }
    change
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
    fn reading_a_file_is_not_a_change() {
        use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
        assert!(!changes_files(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!changes_files(&EventKind::Access(AccessKind::Read)));
        assert!(changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_files(&EventKind::Create(CreateKind::File)));
        assert!(changes_files(&EventKind::Modify(ModifyKind::Any)));
    }

    #[test]
    fn stamps_change_when_a_workbook_is_saved_added_or_removed() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let project = Project::new(dir.path());
        std::fs::create_dir_all(project.input_dir()).expect("input/");
        let before = Stamps::of(&project);
        assert_eq!(before, Stamps::of(&project));
        std::fs::write(project.input_dir().join("台账.xlsx"), b"1").expect("a workbook");
        let added = Stamps::of(&project);
        assert_ne!(before, added);
        std::fs::write(project.input_dir().join("台账.xlsx"), b"22").expect("saved");
        assert_ne!(added, Stamps::of(&project));
        std::fs::write(project.input_dir().join("~$台账.xlsx"), b"lock").expect("a lock file");
        assert_eq!(
            Stamps::of(&project).0.len(),
            1,
            "lock files are no workbooks"
        );
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
        assert_eq!(classify(&project, &[&input]), Some(Change::Data));
        assert_eq!(classify(&project, &[&lock]), None);
        assert_eq!(classify(&project, &[&output]), None);
        assert_eq!(
            classify(&project, &[&input, &template]),
            Some(Change::Environment)
        );
        assert_eq!(classify(&project, &[&config]), Some(Change::Environment));
        assert_eq!(Change::Data.and(Change::Environment), Change::Environment);
        assert_eq!(Change::Data.and(Change::Data), Change::Data);
    }
}
