//! Benchmark: a batch of documents through the whole pipeline.
//!
//! `cargo bench` (or `cargo bench -- 20` for 20 copies of each sample) copies the sample
//! workbooks into a fresh project, then times: loading fonts and templates once, a full build
//! (every document compiled, in parallel), a second build with nothing changed (every document
//! skipped), and a build after editing one workbook (one document rebuilt).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use gongwen::pipeline::{Options, Outcome, Run};
use gongwen::project::Project;

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn main() {
    let copies: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let input = dir.path().join("input");
    std::fs::create_dir(&input).expect("input/");
    let samples: Vec<PathBuf> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/input"))
        .expect("the samples")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    let mut workbooks = Vec::new();
    for i in 0..copies {
        for s in &samples {
            let to = input.join(format!(
                "{}-{i:03}.xlsx",
                s.file_stem().unwrap().to_string_lossy()
            ));
            std::fs::copy(s, &to).expect("copy a sample");
            workbooks.push(to);
        }
    }
    let (run, load) =
        timed(|| Run::new(Project::new(dir.path()), false).expect("fonts and templates"));
    let write = Options {
        write: true,
        force: false,
        keep_source: false,
        as_of: None,
    };
    let (cold, full) = timed(|| run.run(&workbooks, write));
    assert!(
        cold.iter()
            .all(|r| matches!(r.outcome, Outcome::Built { .. })),
        "every document builds"
    );
    let (warm, noop) = timed(|| run.run(&workbooks, write));
    assert!(
        warm.iter()
            .all(|r| matches!(r.outcome, Outcome::Unchanged(_))),
        "nothing is rebuilt"
    );
    std::fs::copy(&samples[0], &workbooks[1]).expect("edit one workbook");
    let (edited, one) = timed(|| run.run(&workbooks, write));
    let rebuilt = edited
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Built { .. }))
        .count();
    let pages: usize = std::fs::read_dir(dir.path().join("output"))
        .map(|d| d.count())
        .unwrap_or(0);
    let n = workbooks.len();
    println!(
        "gongwen build benchmark: {n} documents ({copies} copies of {} samples), {} threads",
        samples.len(),
        rayon::current_num_threads()
    );
    println!(
        "  load fonts + templates (once per run): {:>8.1} ms",
        load.as_secs_f64() * 1e3
    );
    println!(
        "  full build:                            {:>8.1} ms  ({:.1} ms/document, {:.1} documents/s)",
        full.as_secs_f64() * 1e3,
        full.as_secs_f64() * 1e3 / n as f64,
        n as f64 / full.as_secs_f64()
    );
    println!(
        "  nothing changed (all skipped):         {:>8.1} ms",
        noop.as_secs_f64() * 1e3
    );
    println!(
        "  one workbook edited ({rebuilt} rebuilt):       {:>8.1} ms",
        one.as_secs_f64() * 1e3
    );
    println!("  output files: {pages}");
}
