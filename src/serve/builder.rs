//! The builder: one thread that builds the project whenever something changed, the way
//! `gongwen build` does (through the project's lock, incrementally), and keeps the board up to
//! date as it goes. Requests never wait for it: they only read the board.
//!
//! Requests to build arrive from the file watcher and from uploads; those that arrive during a
//! build are merged into the next one. When another gongwen holds the project's lock, the board
//! says so and the build is tried again a little later.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use crate::diag::Report;
use crate::output::{self, Entry, Manifest};
use crate::pipeline::{Heading, JobResult, Options, Outcome, Run};
use crate::project::Project;
use crate::watch::Change;

use super::board::{self, Board, OutputKind, State};

/// How long to wait before trying again when another build holds the lock.
const RETRY: Duration = Duration::from_secs(2);

/// How often the board is told of documents made during a build.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// What the builder is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Request {
    /// Build what changed.
    Build(Change),
    /// Finish and stop.
    Stop,
}

/// The run the builder uses, shared with requests that read templates and fonts.
pub(crate) type SharedRun = Arc<RwLock<Arc<Run>>>;

/// The builder's thread.
pub(crate) struct Builder {
    thread: std::thread::JoinHandle<()>,
}

impl Builder {
    /// Starts the builder; it builds once at once.
    pub(crate) fn start(
        run: SharedRun,
        board: Arc<Board>,
        requests: Receiver<Request>,
        system_fonts: bool,
    ) -> Builder {
        let project = run.read().expect("the run").project.clone();
        let thread = std::thread::Builder::new()
            .name("builder".to_string())
            .stack_size(crate::workers::STACK)
            .spawn(move || {
                let mut builder = Loop {
                    run,
                    board,
                    project,
                    system_fonts,
                    pages: HashMap::new(),
                };
                builder.serve(&requests);
            })
            .expect("the builder thread");
        Builder { thread }
    }

    /// Waits for the builder to finish (after a [`Request::Stop`]).
    pub(crate) fn join(self) {
        let _ = self.thread.join();
    }
}

struct Loop {
    run: SharedRun,
    board: Arc<Board>,
    project: Project,
    system_fonts: bool,
    /// Page counts of PDFs, by path, with the size and time they were counted at.
    pages: HashMap<PathBuf, (u64, Option<SystemTime>, Option<usize>)>,
}

impl Loop {
    fn serve(&mut self, requests: &Receiver<Request>) {
        self.load_saved();
        let mut pending = Some(Change::Data);
        loop {
            let next = if pending.is_some() {
                // Something to build: collect what else arrived, without waiting.
                requests.try_recv().map_err(|_| RecvTimeoutError::Timeout)
            } else {
                requests.recv().map_err(|_| RecvTimeoutError::Disconnected)
            };
            match next {
                Ok(Request::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(Request::Build(change)) => {
                    pending = Some(pending.map_or(change, |p| p.and(change)));
                    continue;
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            let Some(change) = pending.take() else {
                continue;
            };
            if self.build(change).is_err() {
                // Another build holds the lock: try again soon, unless asked to stop.
                match requests.recv_timeout(RETRY) {
                    Ok(Request::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                    Ok(Request::Build(c)) => pending = Some(change.and(c)),
                    Err(RecvTimeoutError::Timeout) => pending = Some(change),
                }
            }
        }
    }

    /// One incremental build of every workbook; `Err` when it could not start (the lock).
    fn build(&mut self, change: Change) -> Result<(), ()> {
        if change == Change::Environment {
            match Run::new(self.project.clone(), self.system_fonts) {
                Ok(r) => *self.run.write().expect("the run") = Arc::new(r),
                Err(e) => {
                    self.board.change(|s| {
                        s.problem = Some(format!(
                            "无法载入模板、字体或 gongwen.toml：{e:#}。改正后保存即可继续"
                        ));
                    });
                    return Ok(());
                }
            }
        }
        let run = self.run.read().expect("the run").clone();
        let workbooks = match self.project.input_workbooks() {
            Ok(w) => w,
            Err(e) => {
                self.board.change(|s| {
                    s.problem = Some(format!("无法列出输入文件夹 input/ 中的工作簿（{e}）"));
                });
                return Ok(());
            }
        };
        let names: Vec<String> = workbooks.iter().map(|p| self.project.display(p)).collect();
        self.board.change(|s| {
            s.building = true;
            s.problem = None;
            s.workbooks.retain(|k, _| names.contains(k));
            for n in &names {
                s.workbooks
                    .entry(n.clone())
                    .or_insert_with(|| board::Workbook::pending(n));
            }
        });
        let options = Options {
            write: true,
            force: false,
            keep_source: false,
            as_of: None,
        };
        let live = Live {
            board: &self.board,
            told: Mutex::new(Instant::now()),
        };
        let results = run.run(&workbooks, options, &live);
        let results = match results {
            Ok(r) => r,
            Err(e) => {
                self.board.change(|s| {
                    s.building = false;
                    s.problem = Some(format!("{e:#}"));
                });
                return Err(());
            }
        };
        let manifest = Manifest::load(&self.project.output_dir());
        let statuses: Vec<board::Workbook> = workbooks
            .iter()
            .zip(&results)
            .map(|(path, r)| self.status(&run, path, r, &manifest))
            .collect();
        self.board.change(|s| {
            s.building = false;
            for w in statuses {
                s.workbooks.insert(w.path.clone(), w);
            }
        });
        self.save();
        Ok(())
    }

    /// The board's entry for `path` after a build ended in `result`.
    fn status(
        &mut self,
        run: &Run,
        path: &Path,
        result: &JobResult,
        manifest: &Manifest,
    ) -> board::Workbook {
        let mut w = self
            .board
            .workbook(&result.workbook)
            .unwrap_or_else(|| board::Workbook::pending(&result.workbook));
        w.progress = None;
        let input = std::fs::read(path)
            .map(|b| blake3::hash(&b).to_hex().to_string())
            .unwrap_or_default();
        match &result.outcome {
            Outcome::Unchanged(_) if w.input == input && w.kind.is_some() => {
                w.set_state(State::after_counts(w.errors, w.warnings));
            }
            Outcome::Unchanged(_) => {
                // Not read by the build (nothing changed) and not known yet: read and check it.
                let mut report = Report::default();
                let heading = run
                    .prepare(path, None, &mut report)
                    .map(|wb| Heading::of(&wb));
                set_heading(&mut w, heading.as_ref());
                if let Some(h) = &heading {
                    w.outputs = h.outputs.iter().map(|p| placeholder(p)).collect();
                }
                w.set_problems(&report.items);
            }
            Outcome::Built { .. } | Outcome::Failed | Outcome::Checked => {
                set_heading(&mut w, result.heading.as_ref());
                w.set_problems(&result.report.items);
                if matches!(result.outcome, Outcome::Built { .. }) {
                    w.built_at = Some(chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string());
                }
            }
        }
        w.input = input;
        // The plan's order when the workbook was read now, else the order shown before.
        let order: Vec<String> = match heading_outputs(result) {
            Some(paths) => paths,
            None => w.outputs.iter().map(|o| o.path.clone()).collect(),
        };
        let (outputs, zip) = match manifest.entry(&result.workbook) {
            Some(entry) => self.outputs(entry, &order),
            None => (Vec::new(), None),
        };
        w.outputs = outputs;
        w.zip = zip;
        if w.built_at.is_none() && !w.outputs.is_empty() {
            w.built_at = self.modified(&w.outputs);
        }
        w
    }

    /// The outputs a manifest entry lists that exist, a batch's print file and tables first,
    /// its letters in `order` (paths as the board shows them); and the address of the batch's ZIP.
    fn outputs(&mut self, entry: &Entry, order: &[String]) -> (Vec<board::Output>, Option<String>) {
        let out = self.project.output_dir();
        let keys: Vec<PathBuf> = entry
            .outputs
            .keys()
            .filter_map(|k| output::from_key(k))
            .collect();
        let folders: Vec<PathBuf> = keys
            .iter()
            .filter(|p| p.components().count() > 1)
            .filter_map(|p| p.components().next().map(|c| PathBuf::from(c.as_os_str())))
            .collect();
        let mut outputs: Vec<board::Output> = Vec::new();
        for rel in &keys {
            let full = out.join(rel);
            let Ok(meta) = std::fs::metadata(&full) else {
                continue;
            };
            let is_pdf = rel
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
            let is_docx = rel
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
            let in_folder = rel.components().count() > 1;
            let kind = if is_docx && in_folder {
                OutputKind::LetterDocx
            } else if is_docx {
                OutputKind::Docx
            } else if in_folder {
                OutputKind::Letter
            } else if !is_pdf {
                OutputKind::Xlsx
            } else if folders.contains(&rel.with_extension("")) {
                OutputKind::Print
            } else {
                OutputKind::Pdf
            };
            let label = match kind {
                OutputKind::Pdf => "公文".to_string(),
                OutputKind::Print => "整批打印文件".to_string(),
                OutputKind::Xlsx => "表格".to_string(),
                OutputKind::Docx => "可编辑 DOCX".to_string(),
                OutputKind::Letter | OutputKind::LetterDocx => rel
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default(),
            };
            let pages = if is_pdf {
                self.page_count(&full, &meta)
            } else {
                None
            };
            outputs.push(board::Output {
                path: format!("output/{}", output::key(rel)),
                kind,
                label,
                url: super::files::url("/output/", rel),
                pages,
                size: meta.len(),
            });
        }
        let rank = |o: &board::Output| order.iter().position(|p| *p == o.path);
        outputs.sort_by_key(|o| {
            let group = match o.kind {
                OutputKind::Pdf | OutputKind::Print => 0,
                OutputKind::Docx => 1,
                OutputKind::Xlsx => 2,
                OutputKind::Letter => 3,
                OutputKind::LetterDocx => 4,
            };
            (group, rank(o).unwrap_or(usize::MAX))
        });
        let zip = folders.first().map(|f| super::files::url("/zip/", f));
        (outputs, zip)
    }

    /// The pages of the PDF at `path`, counted once per version of the file.
    fn page_count(&mut self, path: &Path, meta: &std::fs::Metadata) -> Option<usize> {
        let stamp = (meta.len(), meta.modified().ok());
        if let Some((len, modified, pages)) = self.pages.get(path)
            && (*len, *modified) == stamp
        {
            return *pages;
        }
        let pages = std::fs::read(path).ok().and_then(super::pages::count);
        self.pages
            .insert(path.to_path_buf(), (stamp.0, stamp.1, pages));
        pages
    }

    /// When the newest of `outputs` was written.
    fn modified(&self, outputs: &[board::Output]) -> Option<String> {
        outputs
            .iter()
            .filter_map(|o| {
                std::fs::metadata(self.project.root.join(&o.path))
                    .and_then(|m| m.modified())
                    .ok()
            })
            .max()
            .map(|t| {
                chrono::DateTime::<chrono::Local>::from(t)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
    }

    /// Where the board is kept between runs of the server.
    fn saved_path(&self) -> PathBuf {
        self.project
            .output_dir()
            .join(".gongwen")
            .join("serve")
            .join("status.json")
    }

    /// Keeps what the board knows of every workbook (its problems found when it was last
    /// built, layout warnings included), for the next start of the server.
    fn save(&self) {
        let workbooks = self.board.snapshot().workbooks;
        if let Ok(json) = serde_json::to_vec(&workbooks) {
            let _ = output::write_cache(&self.saved_path(), &json);
        }
    }

    /// What the last server knew, shown until the first build says otherwise; entries are
    /// trusted only for workbooks whose bytes are unchanged.
    fn load_saved(&self) {
        let saved: BTreeMap<String, board::Workbook> = std::fs::read(self.saved_path())
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        self.board.change(|s| {
            for (k, mut w) in saved {
                if self.project.root.join(&k).is_file() {
                    w.progress = None;
                    s.workbooks.insert(k, w);
                }
            }
        });
    }
}

/// The outputs of the plan a build read, as the board names them.
fn heading_outputs(result: &JobResult) -> Option<Vec<String>> {
    result.heading.as_ref().map(|h| {
        h.outputs
            .iter()
            .map(|p| format!("output/{}", output::key(p)))
            .collect()
    })
}

/// An output known by its path only (its order kept until it is listed from the manifest).
fn placeholder(path: &Path) -> board::Output {
    board::Output {
        path: format!("output/{}", output::key(path)),
        kind: OutputKind::Pdf,
        label: String::new(),
        url: String::new(),
        pages: None,
        size: 0,
    }
}

fn set_heading(w: &mut board::Workbook, heading: Option<&Heading>) {
    if let Some(h) = heading {
        w.kind = Some(h.kind.clone());
        w.title = Some(h.title.clone());
    }
}

/// The builder's progress, on the board: a workbook is being built once its documents are
/// counted; documents made are told at most every [`PROGRESS_EVERY`].
struct Live<'a> {
    board: &'a Board,
    told: Mutex<Instant>,
}

impl crate::pipeline::Progress for Live<'_> {
    fn documents(&self, workbook: &str, documents: usize) {
        self.board.change(|s| {
            if let Some(w) = s.workbooks.get_mut(workbook) {
                w.set_state(State::Building);
                w.progress = Some(board::Progress {
                    done: 0,
                    total: documents,
                });
            }
        });
    }

    fn document_done(&self, workbook: &str) {
        let mut told = self.told.lock().expect("the progress clock");
        let tell = told.elapsed() >= PROGRESS_EVERY;
        if tell {
            *told = Instant::now();
        }
        let count = |s: &mut board::Snapshot| {
            if let Some(p) = s
                .workbooks
                .get_mut(workbook)
                .and_then(|w| w.progress.as_mut())
            {
                p.done = (p.done + 1).min(p.total);
            }
        };
        if tell {
            self.board.change(count);
        } else {
            self.board.change_quietly(count);
        }
    }
}

/// Sends build requests to the builder from any thread.
#[derive(Clone)]
pub(crate) struct Requests(pub(crate) Sender<Request>);

impl Requests {
    /// Asks for a build of what changed.
    pub(crate) fn build(&self, change: Change) {
        let _ = self.0.send(Request::Build(change));
    }

    /// Asks the builder to finish and stop.
    pub(crate) fn stop(&self) {
        let _ = self.0.send(Request::Stop);
    }
}
