//! The board: what the page shows of the project, kept by the builder and read by requests.
//!
//! Requests only read a snapshot under a short lock; the builder changes it between and during
//! builds, bumping the generation and telling the event streams. Nothing here waits for a build.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::RwLock;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Severity};

/// A workbook's state, as the page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum State {
    /// Seen, not built yet.
    Pending,
    /// Being built.
    Building,
    /// Built without problems.
    Built,
    /// Built, with warnings.
    Warnings,
    /// Not built: errors.
    Errors,
}

impl State {
    /// The state's Chinese name.
    pub(crate) fn label(self) -> &'static str {
        match self {
            State::Pending => "等待生成",
            State::Building => "生成中",
            State::Built => "已生成",
            State::Warnings => "有警告",
            State::Errors => "有错误",
        }
    }

    /// The state a workbook's problems leave it in after a build.
    pub(crate) fn after(diagnostics: &[Diagnostic]) -> State {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        State::after_counts(errors, diagnostics.len() - errors)
    }

    /// The state `errors` errors and `warnings` warnings leave a workbook in after a build.
    pub(crate) fn after_counts(errors: usize, warnings: usize) -> State {
        if errors > 0 {
            State::Errors
        } else if warnings == 0 {
            State::Built
        } else {
            State::Warnings
        }
    }
}

/// What an output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum OutputKind {
    /// The document's PDF.
    Pdf,
    /// One letter of a batch.
    Letter,
    /// The print file of a batch.
    Print,
    /// The tables.
    Xlsx,
    /// The document's DOCX.
    Docx,
    /// One letter's DOCX.
    LetterDocx,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Output {
    /// `output/…`, with `/`.
    pub(crate) path: String,
    /// What it is.
    pub(crate) kind: OutputKind,
    /// How the page names it: 公文, the recipient, 整批打印文件, 表格.
    pub(crate) label: String,
    /// Where to download it.
    pub(crate) url: String,
    /// Pages of a PDF.
    pub(crate) pages: Option<usize>,
    /// Bytes.
    pub(crate) size: u64,
}

/// Documents of a workbook made so far in the build under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Progress {
    /// Made (or found up to date).
    pub(crate) done: usize,
    /// In all.
    pub(crate) total: usize,
}

/// One workbook of `input/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Workbook {
    /// `input/…`, as messages name it.
    pub(crate) path: String,
    /// The file name.
    pub(crate) name: String,
    /// 文种, once known.
    pub(crate) kind: Option<String>,
    /// 标题, once known.
    pub(crate) title: Option<String>,
    /// Its state.
    pub(crate) state: State,
    /// The state in Chinese.
    pub(crate) state_label: String,
    /// Errors.
    pub(crate) errors: usize,
    /// Warnings.
    pub(crate) warnings: usize,
    /// When its outputs were last written (local time), once they were.
    pub(crate) built_at: Option<String>,
    /// Documents made so far, while building.
    pub(crate) progress: Option<Progress>,
    /// Its problems, errors first: the objects of `check --format json`.
    pub(crate) diagnostics: Vec<serde_json::Value>,
    /// Its outputs.
    pub(crate) outputs: Vec<Output>,
    /// A batch's letters as one ZIP.
    pub(crate) zip: Option<String>,
    /// Hash of the bytes its status was found for.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub(crate) input: String,
}

impl Workbook {
    /// A workbook just seen at `path` (as messages name it).
    pub(crate) fn pending(path: &str) -> Workbook {
        Workbook {
            path: path.to_string(),
            name: Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            kind: None,
            title: None,
            state: State::Pending,
            state_label: State::Pending.label().to_string(),
            errors: 0,
            warnings: 0,
            built_at: None,
            progress: None,
            diagnostics: Vec::new(),
            outputs: Vec::new(),
            zip: None,
            input: String::new(),
        }
    }

    /// Sets the state and its label.
    pub(crate) fn set_state(&mut self, state: State) {
        self.state = state;
        self.state_label = state.label().to_string();
    }

    /// Records the problems found, errors first, and the state they leave.
    pub(crate) fn set_problems(&mut self, diagnostics: &[Diagnostic]) {
        let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
        sorted.sort_by_key(|d| d.severity() != Severity::Error);
        self.errors = diagnostics.iter().filter(|d| d.is_error()).count();
        self.warnings = diagnostics.len() - self.errors;
        self.diagnostics = sorted
            .into_iter()
            .filter_map(|d| serde_json::to_value(d).ok())
            .collect();
        self.set_state(State::after(diagnostics));
    }
}

/// The whole page's data: `GET /api/status`.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Snapshot {
    /// The format's version.
    pub(crate) version: u32,
    /// Bumped on every change.
    pub(crate) generation: u64,
    /// Whether a build is under way.
    pub(crate) building: bool,
    /// A problem of the whole project (a broken gongwen.toml, another build running).
    pub(crate) problem: Option<String>,
    /// The largest upload accepted, in bytes.
    pub(crate) upload_limit: u64,
    /// Every workbook, by path.
    #[serde(serialize_with = "values")]
    pub(crate) workbooks: BTreeMap<String, Workbook>,
}

fn values<S: serde::Serializer>(map: &BTreeMap<String, Workbook>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(map.values())
}

/// The board itself.
pub(crate) struct Board {
    snapshot: RwLock<Snapshot>,
    changed: tokio::sync::watch::Sender<u64>,
}

impl Board {
    /// An empty board.
    pub(crate) fn new(upload_limit: u64) -> Board {
        Board {
            // The server builds as soon as it starts: until that first build ends, it is building.
            snapshot: RwLock::new(Snapshot {
                version: 1,
                building: true,
                upload_limit,
                ..Snapshot::default()
            }),
            changed: tokio::sync::watch::Sender::new(0),
        }
    }

    /// A copy of the board as it is now.
    pub(crate) fn snapshot(&self) -> Snapshot {
        self.snapshot.read().expect("the board").clone()
    }

    /// A workbook's status, when it is known.
    pub(crate) fn workbook(&self, path: &str) -> Option<Workbook> {
        self.snapshot
            .read()
            .expect("the board")
            .workbooks
            .get(path)
            .cloned()
    }

    /// Changes the board, then tells every event stream.
    pub(crate) fn change(&self, f: impl FnOnce(&mut Snapshot)) {
        let generation = {
            let mut s = self.snapshot.write().expect("the board");
            f(&mut s);
            s.generation += 1;
            s.generation
        };
        self.changed.send_replace(generation);
    }

    /// Changes the board without telling the event streams now (the next change tells them).
    pub(crate) fn change_quietly(&self, f: impl FnOnce(&mut Snapshot)) {
        let mut s = self.snapshot.write().expect("the board");
        f(&mut s);
        s.generation += 1;
    }

    /// A receiver told of every change (the latest generation).
    pub(crate) fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changed.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Loc, Rule};

    #[test]
    fn problems_are_listed_errors_first_and_set_the_state() {
        let mut w = Workbook::pending("input/台账.xlsx");
        assert_eq!(w.name, "台账.xlsx");
        assert_eq!(w.state_label, "等待生成");
        let warning = Diagnostic::new(Rule::SerialGap, Loc::file("input/台账.xlsx"), "缺号");
        let error = Diagnostic::new(Rule::DateInvalid, Loc::file("input/台账.xlsx"), "日期");
        w.set_problems(&[warning.clone(), error]);
        assert_eq!((w.errors, w.warnings), (1, 1));
        assert_eq!(w.diagnostics[0]["severity"], "error");
        assert_eq!(w.state, State::Errors);
        w.set_problems(&[warning]);
        assert_eq!(w.state_label, "有警告");
        w.set_problems(&[]);
        assert_eq!(w.state, State::Built);
    }

    #[test]
    fn every_change_bumps_the_generation_and_tells_subscribers() {
        let board = Board::new(1);
        assert!(board.snapshot().building, "a server starts by building");
        let mut rx = board.subscribe();
        board.change(|s| s.building = true);
        assert!(rx.has_changed().unwrap());
        assert_eq!(*rx.borrow_and_update(), 1);
        assert_eq!(board.snapshot().generation, 1);
        let json = serde_json::to_value(board.snapshot()).unwrap();
        assert!(json["workbooks"].is_array());
    }
}
