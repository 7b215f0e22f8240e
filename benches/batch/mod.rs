//! What the benchmarks share: the batch workbook they build, timing and peak memory.

use std::path::Path;
use std::time::{Duration, Instant};

use rust_xlsxwriter::{Format, Workbook};

pub(crate) fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// Peak resident memory of this process since the last reset, in MiB (Linux).
pub(crate) fn peak_mib() -> Option<f64> {
    peak_mib_of("self")
}

/// Peak resident memory of `process` (`self` or a process id), in MiB (Linux).
pub(crate) fn peak_mib_of(process: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{process}/status")).ok()?;
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

/// The number of letters asked for on the command line (`cargo bench -- 300`), else `default`;
/// a temporary project folder with `input/`; and where its batch workbook goes.
pub(crate) fn batch_project(default: usize) -> (usize, tempfile::TempDir, std::path::PathBuf) {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(default);
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("input")).expect("input/");
    let workbook = dir.path().join("input/督办函批量.xlsx");
    (n, dir, workbook)
}

/// Resets the peak so the next phase is measured alone (Linux: clear_refs 5).
pub(crate) fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub(crate) const PARAGRAPH: &str = "各地要切实提高政治站位，深刻汲取近期事故教训，坚持人民至上、生命至上，把矿山安全生产摆在更加突出的位置，主要负责同志要亲自研究部署，分管负责同志要靠前指挥，层层压实责任，确保各项措施落实到位。要组织专家力量开展全覆盖排查，对排查出的重大事故隐患实行挂牌督办，明确整改责任、整改措施、整改资金、整改时限和应急预案，做到闭环管理，坚决防止隐患变事故。";

/// Writes the batch workbook: `n` recipients.
pub(crate) fn write_batch(path: &Path, n: usize, edit: bool) {
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
