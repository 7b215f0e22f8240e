//! Batches rebuilt: per-output incremental builds, builds killed midway, two builds at once,
//! determinism across thread counts, and `gongwen watch`.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rust_xlsxwriter::Workbook;

use crate::support::{
    Lines, Project, V, body_sheet, info_sheet, pdf_page_texts, stderr, stdout, write_sheet,
};

pub(crate) const WORKBOOK: &str = "督办批量.xlsx";

pub(crate) fn city(i: usize) -> String {
    format!("第{}市应急管理局", i + 1)
}

/// A 督办函 batch of `n` letters: each recipient has three appendix rows of its own (the second
/// recipient fourteen, so that its letter has an odd number of pages), two rows are shared;
/// `edit` changes one row of that recipient.
pub(crate) fn write_batch(path: &Path, n: usize, edit: Option<usize>) {
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("督办函")),
            ("发文机关", V::S("江源省应急管理厅")),
            ("标题", V::S("关于切实加强汛期矿山安全生产工作的督办函")),
            ("成文日期", V::D(2026, 6, 10)),
            ("联系人", V::S("孙立")),
            ("联系电话", V::S("0791—12345678")),
            ("印章", V::S("是")),
        ],
    );
    let mut rows = vec![vec![V::S("主送机关"), V::S("发文字号")]];
    for i in 0..n {
        rows.push(vec![
            V::O(city(i)),
            V::O(format!("江应急函〔2026〕{}号", i + 1)),
        ]);
    }
    write_sheet(&mut book, "收文单位", &rows, &[]);
    body_sheet(
        &mut book,
        &[
            (
                0,
                "",
                "为切实做好汛期矿山安全生产工作，现提出如下督办要求。",
            ),
            (
                1,
                "全面排查整治重大隐患",
                "各地要组织专家力量开展全覆盖排查，对排查出的重大事故隐患实行挂牌督办。",
            ),
        ],
    );
    let mut rows = vec![
        vec![V::S("汛期矿山隐患整改清单"), V::E, V::E, V::E, V::E],
        vec![
            V::S("收文单位"),
            V::S("序号"),
            V::S("矿山名称"),
            V::S("隐患内容"),
            V::S("完成时限"),
        ],
    ];
    for k in 0..2 {
        rows.push(vec![
            V::E,
            V::O((k + 1).to_string()),
            V::S("全省各类矿山"),
            V::O(format!("第{}类共性隐患：应急物资不足", k + 1)),
            V::S("2026年6月30日前"),
        ]);
    }
    for i in 0..n {
        for k in 0..if i == 1 { 14 } else { 3 } {
            let finding = if edit == Some(i) && k == 1 {
                "主井钢丝绳断丝超限".to_string()
            } else {
                format!("第{}采区排水能力不足", k + 1)
            };
            rows.push(vec![
                V::O(city(i)),
                V::O((3 + k).to_string()),
                V::O(format!("{}市第{}矿", i + 1, k + 1)),
                V::O(finding),
                V::S("2026年7月31日前"),
            ]);
        }
    }
    write_sheet(&mut book, "附件1", &rows, &[(0, 0, 0, 4)]);
    book.save(path).unwrap();
}

pub(crate) fn letter(i: usize) -> PathBuf {
    PathBuf::from("督办批量").join(format!("{}.pdf", city(i)))
}

/// Every output file (under `output/`, gongwen's own folder left out) with its inode and time
/// of change: a file rewritten (atomically, by renaming a new file into place) has a new inode,
/// and a file deleted and made again a new time even when its inode is reused.
fn outputs(p: &Project) -> Outputs {
    p.files()
        .into_iter()
        .filter(|f| f.starts_with("output") && !f.starts_with("output/.gongwen"))
        .filter(|f| f.file_name().is_some_and(|n| n != ".gitkeep"))
        .map(|f| {
            let m = std::fs::metadata(p.path().join(&f)).unwrap();
            let id = (m.ino(), m.ctime(), m.ctime_nsec());
            (f.strip_prefix("output").unwrap().to_path_buf(), id)
        })
        .collect()
}

type Outputs = BTreeMap<PathBuf, (u64, i64, i64)>;

fn rewritten(before: &Outputs, after: &Outputs) -> Vec<PathBuf> {
    after
        .iter()
        .filter(|(f, ino)| before.get(*f) != Some(*ino))
        .map(|(f, _)| f.clone())
        .collect()
}

fn contents(p: &Project) -> BTreeMap<PathBuf, Vec<u8>> {
    outputs(p)
        .into_keys()
        .map(|f| {
            let bytes = std::fs::read(p.output(f.to_str().unwrap())).unwrap();
            (f, bytes)
        })
        .collect()
}

pub(crate) fn batch(n: usize) -> Project {
    let p = Project::new();
    write_batch(&p.input(WORKBOOK), n, None);
    p
}

#[test]
fn one_edited_row_rewrites_that_letter_and_the_files_that_hold_it_and_nothing_else() {
    let p = batch(6);
    let built = p.run(&["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let before = outputs(&p);
    assert_eq!(
        before.len(),
        2 * 6 + 2,
        "six letters (PDF and DOCX), the print file, the XLSX: {before:?}"
    );

    write_batch(&p.input(WORKBOOK), 6, Some(3));
    let edited = p.run(&["build"]);
    assert!(edited.status.success(), "{}", stderr(&edited));
    let after = outputs(&p);
    assert_eq!(
        rewritten(&before, &after),
        vec![
            letter(3).with_extension("docx"),
            letter(3),
            PathBuf::from("督办批量.pdf"),
            PathBuf::from("督办批量.xlsx"),
        ]
    );
    assert!(
        pdf_page_texts(&p.output(letter(3).to_str().unwrap()))
            .concat()
            .contains("主井钢丝绳断丝超限")
    );
    let s = stdout(&edited);
    assert!(s.contains("已生成：input/督办批量.xlsx"), "{s}");
    assert!(
        s.contains("（") && s.contains("未改动）"),
        "what was kept is said: {s}"
    );

    // Nothing changed: nothing written, decided without reading the workbook.
    let again = p.run(&["build"]);
    let s = stdout(&again);
    assert!(s.contains("未改动：input/督办批量.xlsx"), "{s}");
    assert!(
        s.lines().last().is_some_and(|l| l.starts_with("共 1 个工作簿：生成 0，未改动 1")
            && l.contains("用时")),
        "one closing line: {s}"
    );
    assert!(rewritten(&after, &outputs(&p)).is_empty());
    let quiet = p.run(&["build", "--quiet"]);
    assert!(quiet.status.success() && quiet.stdout.is_empty() && quiet.stderr.is_empty());

    // A letter deleted by hand is made again, alone (its PDF and its DOCX are made together).
    std::fs::remove_file(p.output(letter(5).to_str().unwrap())).unwrap();
    let repaired = p.run(&["build"]);
    assert!(repaired.status.success(), "{}", stderr(&repaired));
    let now = outputs(&p);
    assert_eq!(
        rewritten(&after, &now),
        vec![letter(5).with_extension("docx"), letter(5)]
    );

    // --force makes everything again, to the same bytes.
    let kept = contents(&p);
    assert!(p.run(&["build", "--force"]).status.success());
    let forced = outputs(&p);
    assert_eq!(rewritten(&now, &forced).len(), now.len());
    assert_eq!(contents(&p), kept, "a forced build gives the same bytes");
}

#[test]
fn the_print_file_starts_every_letter_on_an_odd_page_and_follows_the_letters() {
    let p = batch(3);
    p.add_seal();
    assert!(p.run(&["build"]).status.success());
    let print = pdf_page_texts(&p.output("督办批量.pdf"));
    let (mut at, mut blanks) = (0, 0);
    for i in 0..3 {
        let pages = pdf_page_texts(&p.output(letter(i).to_str().unwrap()));
        assert_eq!(at % 2, 0, "letter {i} starts on an odd page");
        assert_eq!(
            print[at..at + pages.len()],
            pages[..],
            "letter {i} is bound as made"
        );
        at += pages.len();
        if pages.len() % 2 == 1 {
            assert!(
                print[at].trim().is_empty(),
                "a blank page after an odd letter"
            );
            at += 1;
            blanks += 1;
        }
    }
    assert_eq!(at, print.len());
    assert_eq!(blanks, 1, "the second letter has an odd number of pages");

    // What the letters share (font programs, the seal) is in the print file once.
    let streams = |path: &Path| -> Vec<Vec<u8>> {
        let doc = lopdf::Document::load(path).expect("a PDF lopdf reads");
        doc.objects
            .values()
            .filter_map(|o| match o {
                lopdf::Object::Stream(s) if !s.dict.has_type(b"Metadata") => {
                    Some(s.content.clone())
                }
                _ => None,
            })
            .collect()
    };
    let bound = streams(&p.output("督办批量.pdf"));
    let distinct: BTreeSet<&Vec<u8>> = bound.iter().collect();
    assert_eq!(
        distinct.len(),
        bound.len(),
        "no stream twice in the print file"
    );
    let images = |path: &Path| {
        let doc = lopdf::Document::load(path).expect("a PDF lopdf reads");
        doc.objects
            .values()
            .filter(|o| matches!(o, lopdf::Object::Stream(s) if s.dict.has_type(b"XObject")))
            .count()
    };
    assert_eq!(
        images(&p.output(letter(0).to_str().unwrap())),
        2,
        "a letter holds the seal and its transparency mask"
    );
    assert_eq!(
        images(&p.output("督办批量.pdf")),
        2,
        "the print file holds the seal once"
    );
    let mut in_letters = 0;
    for i in 0..3 {
        for s in streams(&p.output(letter(i).to_str().unwrap())) {
            in_letters += s.len();
            assert!(distinct.contains(&s), "letter {i}'s streams are all bound");
        }
    }
    let total: usize = bound.iter().map(Vec::len).sum();
    assert!(
        total * 100 < in_letters * 85,
        "shared streams written once: {total} bytes of streams for {in_letters} in the letters"
    );
}

#[test]
fn a_build_killed_midway_is_completed_by_the_next_to_the_bytes_of_a_clean_build() {
    let n = 120;
    let p = batch(n);
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .arg("-C")
        .arg(p.path())
        .args(["--no-system-fonts", "build", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it (SIGKILL: no clean-up of any kind) as soon as the manifest records a letter.
    let started = Instant::now();
    let manifest = p.path().join("output/.gongwen/manifest.json");
    let recorded = || std::fs::read_to_string(&manifest).is_ok_and(|m| m.contains(".pdf"));
    while !recorded() && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let made = (0..n)
        .filter(|&i| p.output(letter(i).to_str().unwrap()).is_file())
        .count();
    assert!(
        made < n,
        "the build was killed before it finished ({made} of {n})"
    );
    assert!(!p.output("督办批量.pdf").exists(), "no print file yet");
    let before = outputs(&p);

    let next = p.run(&["build"]);
    assert!(next.status.success(), "{}", stderr(&next));
    let after = outputs(&p);
    let kept = before
        .iter()
        .filter(|(f, ino)| after.get(*f) == Some(*ino))
        .count();
    assert!(
        kept > 0,
        "letters finished before the kill are kept, not made again"
    );
    assert!(
        !p.files()
            .iter()
            .any(|f| f.to_string_lossy().contains(".gongwen-")),
        "no half-written file is left: {:?}",
        p.files()
    );

    let clean = batch(n);
    assert!(clean.run(&["build"]).status.success());
    assert_eq!(contents(&p), contents(&clean));
}

#[test]
fn a_second_build_at_once_is_refused_and_a_dead_one_leaves_no_lock() {
    let p = batch(2);
    let lock = gongwen::output::lock(&p.path().join("output")).unwrap();
    let refused = p.run(&["build"]);
    assert_eq!(refused.status.code(), Some(1));
    let e = stderr(&refused);
    assert!(e.contains("已有另一个 gongwen 正在生成"), "{e}");
    assert!(!p.output(letter(0).to_str().unwrap()).exists());
    // `check` writes nothing and is never refused.
    assert!(p.run(&["check"]).status.success());
    drop(lock);
    assert!(p.run(&["build"]).status.success());
}

#[test]
fn the_same_batch_gives_the_same_bytes_on_one_thread_and_on_two() {
    let one = batch(4);
    let two = batch(4);
    let run = |p: &Project, threads: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .arg("-C")
            .arg(p.path())
            .args(["--no-system-fonts", "build"])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    };
    run(&one, "1");
    run(&two, "2");
    assert_eq!(contents(&one), contents(&two));
}

#[test]
fn watch_rebuilds_the_one_letter_a_save_changed_and_ends_cleanly_on_ctrl_c() {
    let p = batch(4);
    let (mut child, lines) = watch(&p);
    let first = lines.until("正在监视");
    assert!(
        first
            .iter()
            .any(|l| l.contains("已生成：input/督办批量.xlsx")),
        "{first:#?}"
    );
    let before = outputs(&p);

    // Excel saving: its lock file appears (ignored), then the workbook is replaced.
    std::fs::write(p.input("~$督办批量.xlsx"), b"lock").unwrap();
    let saved = p.path().join("saved.xlsx");
    write_batch(&saved, 4, Some(2));
    std::fs::rename(&saved, p.input(WORKBOOK)).unwrap();
    let second = lines.until("共 1 个工作簿");
    assert!(
        second
            .iter()
            .any(|l| l.contains("已生成：input/督办批量.xlsx")),
        "{second:#?}"
    );
    let after = outputs(&p);
    assert_eq!(
        rewritten(&before, &after),
        vec![
            letter(2).with_extension("docx"),
            letter(2),
            PathBuf::from("督办批量.pdf"),
            PathBuf::from("督办批量.xlsx"),
        ]
    );

    // A seal image put into a templates/ folder made while watching: everything is made again.
    p.add_seal();
    lines.until("已生成：input/督办批量.xlsx");
    lines.until("共 1 个工作簿");
    assert!(rewritten(&after, &outputs(&p)).contains(&letter(0)));

    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let end = lines.until("已停止监视");
    assert!(!end.is_empty());
    let code = child.wait().unwrap();
    assert_eq!(code.code(), Some(0), "Ctrl+C ends watch cleanly");
}

/// Reading the workbooks during a build once woke the watcher for another build, forever (4–5
/// no-op builds a second). Left alone, a watch builds once; a save builds exactly once more.
#[test]
fn a_watch_left_alone_builds_once_and_a_save_builds_once_more() {
    let p = batch(2);
    let (mut child, lines) = watch(&p);
    let first = lines.until("正在监视");
    assert_eq!(builds(&first), 1, "{first:#?}");
    std::thread::sleep(Duration::from_secs(10));
    let idle = lines.drain();
    assert_eq!(
        builds(&idle),
        0,
        "a watch left alone built again: {idle:#?}"
    );

    let saved = p.path().join("saved.xlsx");
    write_batch(&saved, 2, Some(1));
    std::fs::rename(&saved, p.input(WORKBOOK)).unwrap();
    let mut after = lines.until("共 1 个工作簿");
    std::thread::sleep(Duration::from_secs(3));
    after.extend(lines.drain());
    assert_eq!(builds(&after), 1, "one save, one build: {after:#?}");
    assert!(
        after
            .iter()
            .any(|l| l.contains("已生成：input/督办批量.xlsx")),
        "{after:#?}"
    );

    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    lines.until("已停止监视");
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

/// `gongwen watch` started on `p`, and the lines it prints.
fn watch(p: &Project) -> (std::process::Child, Lines) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .arg("-C")
        .arg(p.path())
        .args(["--no-system-fonts", "watch"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = Lines::new(child.stdout.take().unwrap());
    (child, lines)
}

/// How many builds the lines of `gongwen watch` show (each starts with a time rule).
fn builds(lines: &[String]) -> usize {
    lines
        .iter()
        .filter(|l| l.starts_with("── ") && l.ends_with(" ──"))
        .count()
}

#[test]
fn a_seal_image_added_to_templates_rebuilds_what_it_may_print_on() {
    let p = batch(2);
    assert!(p.run(&["build"]).status.success());
    let before = outputs(&p);
    p.add_seal();
    let out = p.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("已生成：input/督办批量.xlsx"));
    let after = outputs(&p);
    assert!(
        rewritten(&before, &after).contains(&letter(0)),
        "the letters are made again: {:?}",
        rewritten(&before, &after)
    );
}
