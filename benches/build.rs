//! Benchmark: a batch of 督办函 through the whole pipeline, and the same letters compiled by a
//! plain in-process Typst loop on two threads (what a bureau could script instead), measured
//! side by side in one run.
//!
//! `cargo bench` (or `cargo bench -- 300` for 300 letters) writes one workbook to the input
//! contract: N recipients, each letter ≈ 900 hanzi of body, five 督办事项 (three shared, two
//! its own) and a 35-row appendix routed by 收文单位 (15 shared rows, 20 of its own, 完成时限
//! merged over each group of five) — five or six pages. It then measures, in this order:
//!
//! - full build: every letter, the combined print file and the XLSX;
//! - nothing changed: the no-op build;
//! - one row edited: one recipient's appendix row changed, the build rewrites that letter and
//!   the files that contain it;
//! - the peer: the same Typst sources (layout and PDF export, fonts loaded once) on two threads;
//! - a second round of the full build (`--force`) and of the peer, in the other order, so that
//!   neither is measured only cold or only warm; the faster round of each is compared;
//!
//! with peak memory (resident set) for each phase (first round), the print file's size, and
//! prints ms per letter and the ratios.

use std::path::Path;
use std::time::{Duration, Instant};

use gongwen::pipeline::{Options, Outcome, Run, Silent};
use gongwen::project::Project;
use rayon::prelude::*;
use rust_xlsxwriter::{Format, Workbook};

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// Peak resident memory since the last reset, in MiB (Linux).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Resets the peak so the next phase is measured alone (Linux: clear_refs 5).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

const PARAGRAPH: &str = "各地要切实提高政治站位，深刻汲取近期事故教训，坚持人民至上、生命至上，把矿山安全生产摆在更加突出的位置，主要负责同志要亲自研究部署，分管负责同志要靠前指挥，层层压实责任，确保各项措施落实到位。要组织专家力量开展全覆盖排查，对排查出的重大事故隐患实行挂牌督办，明确整改责任、整改措施、整改资金、整改时限和应急预案，做到闭环管理，坚决防止隐患变事故。";

/// Writes the batch workbook: `n` recipients.
fn write_batch(path: &Path, n: usize, edit: bool) {
    let mut book = Workbook::new();
    let wrap = Format::new().set_text_wrap();
    let sheet = book.add_worksheet();
    sheet.set_name("文件信息").unwrap();
    let info = [
        ("项目", "内容"),
        ("文种", "督办函"),
        ("发文机关", "江源省应急管理厅"),
        ("标题", "关于切实加强汛期矿山安全生产工作的督办函"),
        ("成文日期", "2026-06-10"),
        ("联系人", "孙立"),
        ("联系电话", "0791—12345678"),
        ("附注", "此件不公开"),
        ("抄送", "省安委办。"),
    ];
    for (r, (k, v)) in info.iter().enumerate() {
        sheet.write_string(r as u32, 0, *k).unwrap();
        sheet.write_string(r as u32, 1, *v).unwrap();
    }
    let recipients: Vec<String> = (0..n).map(|i| format!("第{}市应急管理局", i + 1)).collect();
    let sheet = book.add_worksheet();
    sheet.set_name("收文单位").unwrap();
    sheet.write_string(0, 0, "主送机关").unwrap();
    sheet.write_string(0, 1, "发文字号").unwrap();
    for (i, r) in recipients.iter().enumerate() {
        sheet.write_string(i as u32 + 1, 0, r).unwrap();
        sheet
            .write_string(i as u32 + 1, 1, format!("江应急函〔2026〕{}号", i + 1))
            .unwrap();
    }
    let sheet = book.add_worksheet();
    sheet.set_name("正文").unwrap();
    for (c, h) in ["层级", "标题", "内容"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let sections = [
        (
            "",
            "为切实做好汛期矿山安全生产工作，有效防范遏制各类事故，现提出如下督办要求。",
        ),
        ("压紧压实安全生产责任", PARAGRAPH),
        ("全面排查整治重大隐患", PARAGRAPH),
        ("切实做好应急准备工作", PARAGRAPH),
        ("严格落实值班值守制度", PARAGRAPH),
    ];
    for (r, (title, body)) in sections.iter().enumerate() {
        let row = r as u32 + 1;
        if !title.is_empty() {
            sheet.write_number(row, 0, 1).unwrap();
            sheet.write_string(row, 1, *title).unwrap();
        }
        sheet
            .write_string_with_format(row, 2, *body, &wrap)
            .unwrap();
    }
    let sheet = book.add_worksheet();
    sheet.set_name("督办事项").unwrap();
    for (c, h) in ["收文单位", "事项", "完成时限"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let mut row = 1;
    for k in 0..3 {
        sheet
            .write_string(
                row,
                1,
                format!(
                    "组织开展第{}轮汛期矿山安全隐患排查整治，逐矿建立问题清单",
                    k + 1
                ),
            )
            .unwrap();
        sheet.write_string(row, 2, "2026年6月30日前").unwrap();
        row += 1;
    }
    for r in &recipients {
        for k in 0..2 {
            sheet.write_string(row, 0, r).unwrap();
            sheet
                .write_string(
                    row,
                    1,
                    format!("完成{r}辖区第{}批重点矿山防洪设施检查", k + 1),
                )
                .unwrap();
            sheet.write_string(row, 2, "2026年7月15日前").unwrap();
            row += 1;
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("附件1").unwrap();
    let head = [
        "收文单位",
        "序号",
        "矿山名称",
        "隐患内容",
        "整改措施",
        "完成时限",
    ];
    sheet
        .merge_range(
            0,
            0,
            0,
            head.len() as u16 - 1,
            "汛期矿山重大事故隐患整改清单",
            &Format::new(),
        )
        .unwrap();
    for (c, h) in head.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let mut row = 2u32;
    for k in 0..15 {
        sheet.write_string(row, 1, (k + 1).to_string()).unwrap();
        sheet.write_string(row, 2, "全省各类矿山").unwrap();
        sheet
            .write_string(row, 3, format!("第{}类共性隐患：应急物资不足", k + 1))
            .unwrap();
        sheet.write_string(row, 4, "补充应急物资").unwrap();
        sheet.write_string(row, 5, "2026年6月30日前").unwrap();
        row += 1;
    }
    for (i, r) in recipients.iter().enumerate() {
        for k in 0..20 {
            sheet.write_string(row, 0, r).unwrap();
            sheet.write_string(row, 1, (16 + k).to_string()).unwrap();
            sheet
                .write_string(row, 2, format!("{}市第{}矿", i + 1, k + 1))
                .unwrap();
            let finding = if edit && i == 0 && k == 0 {
                "主井钢丝绳断丝超限".to_string()
            } else {
                format!("第{}采区排水能力不足", k + 1)
            };
            sheet.write_string(row, 3, finding).unwrap();
            sheet.write_string(row, 4, "更换水泵并试运转").unwrap();
            if k % 5 == 0 {
                sheet
                    .merge_range(row, 5, row + 4, 5, "2026年7月31日前", &Format::new())
                    .unwrap();
            }
            row += 1;
        }
    }
    book.save(path).unwrap();
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("input")).expect("input/");
    let workbook = dir.path().join("input/督办函批量.xlsx");
    write_batch(&workbook, n, false);
    let (run, load) =
        timed(|| Run::new(Project::new(dir.path()), false).expect("fonts and templates"));
    let options = Options {
        write: true,
        force: false,
        keep_source: false,
        as_of: None,
    };
    let threads = rayon::current_num_threads();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;

    reset_peak();
    let (cold, full) = timed(|| {
        run.run(std::slice::from_ref(&workbook), options, &Silent)
            .expect("a build")
    });
    let full_peak = peak_mib();
    assert!(
        matches!(cold[0].outcome, Outcome::Built { .. }),
        "the batch builds: {:?}",
        cold[0].report.items
    );
    let pages = lopdf::Document::load(dir.path().join("output/督办函批量/第1市应急管理局.pdf"))
        .expect("a letter")
        .get_pages()
        .len();
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let letters_size: u64 = std::fs::read_dir(dir.path().join("output/督办函批量"))
        .expect("the letters")
        .map(|e| size(&e.expect("a letter").path()))
        .sum();
    let print_size = size(&dir.path().join("output/督办函批量.pdf"));
    let stages = run.timings.take();

    reset_peak();
    let (warm, noop) = timed(|| {
        run.run(std::slice::from_ref(&workbook), options, &Silent)
            .expect("a build")
    });
    assert!(
        matches!(warm[0].outcome, Outcome::Unchanged(_)),
        "nothing is rebuilt"
    );

    write_batch(&workbook, n, true);
    reset_peak();
    let (edited, one) = timed(|| {
        run.run(std::slice::from_ref(&workbook), options, &Silent)
            .expect("a build")
    });
    let one_peak = peak_mib();
    let one_stages = run.timings.take();
    let written = match &edited[0].outcome {
        Outcome::Built { written, .. } => written.len(),
        other => panic!("the edit is rebuilt: {other:?}"),
    };

    // The peer: the same Typst sources, layout and PDF export only, two threads.
    let mut report = gongwen::diag::Report::default();
    let prepared = run
        .prepare(&workbook, None, &mut report)
        .expect("the batch prepares");
    let sources: Vec<(String, chrono::NaiveDate)> = prepared
        .documents
        .iter()
        .map(|d| (d.source.clone(), d.doc.info.date))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .stack_size(64 << 20)
        .build()
        .expect("two threads");
    let run_peer = || {
        let (bytes, took) = timed(|| {
            pool.install(|| {
                sources
                    .par_iter()
                    .map(|(source, date)| {
                        let compiled = run
                            .compiler
                            .compile(source, *date, "peer")
                            .expect("the peer compiles");
                        typst::comemo::evict(10);
                        compiled.pdf.len()
                    })
                    .sum::<usize>()
            })
        });
        assert!(bytes > 0);
        took
    };
    reset_peak();
    let peer_first = run_peer();
    let peer_peak = peak_mib();

    // A second round of each, the other way round, so that neither side is measured only cold
    // or only warm; the faster round of each counts (these machines are noisy).
    let (_, full_again) = timed(|| {
        let force = Options {
            force: true,
            ..options
        };
        run.run(std::slice::from_ref(&workbook), force, &Silent)
            .expect("a build")
    });
    run.timings.take();
    let peer_again = run_peer();
    let full_best = full.min(full_again);
    let peer = peer_first.min(peer_again);

    let per = |d: Duration| ms(d) / n as f64;
    let mib = |m: Option<f64>| m.map_or("—".to_string(), |m| format!("{m:.0} MiB"));
    println!(
        "gongwen batch benchmark: {n} letters of {pages} pages, {threads} threads (peer: 2 threads)"
    );
    println!(
        "  fonts + templates, once per run:      {:>9.1} ms",
        ms(load)
    );
    println!(
        "  full build:                           {:>9.1} ms  {:>6.2} ms/letter  peak {}  (rounds: {:.0} and {:.0} ms)",
        ms(full_best),
        per(full_best),
        mib(full_peak),
        ms(full),
        ms(full_again)
    );
    println!(
        "  print file {:.1} MiB for letters of {:.1} MiB in all ({:.0} KiB per letter bound)",
        print_size as f64 / 1048576.0,
        letters_size as f64 / 1048576.0,
        print_size as f64 / 1024.0 / n as f64
    );
    println!(
        "  nothing changed:                      {:>9.1} ms  {:>6.2} ms/letter  ({:.1}% of full)",
        ms(noop),
        per(noop),
        100.0 * noop.as_secs_f64() / full_best.as_secs_f64()
    );
    println!(
        "  one row edited ({written} files rewritten):     {:>9.1} ms  {:>6.2} ms/letter  ({:.1}% of full)  peak {}",
        ms(one),
        per(one),
        100.0 * one.as_secs_f64() / full_best.as_secs_f64(),
        mib(one_peak)
    );
    println!(
        "  peer (Typst in-process, 2 threads):   {:>9.1} ms  {:>6.2} ms/letter  peak {}  (rounds: {:.0} and {:.0} ms)",
        ms(peer),
        per(peer),
        mib(peer_peak),
        ms(peer_first),
        ms(peer_again)
    );
    println!("  time per stage, summed over threads:   full build   one row edited");
    for ((stage, full), (_, one)) in stages.iter().zip(&one_stages) {
        println!(
            "    {:<36} {:>9.1} ms {:>9.1} ms",
            stage.name(),
            ms(*full),
            ms(*one)
        );
    }
    println!(
        "  full build vs peer: {:.2}× faster per letter (faster round of each)",
        peer.as_secs_f64() / full_best.as_secs_f64()
    );
}
