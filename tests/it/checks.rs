//! Clerk-grade checking: every problem of a folder of broken, hostile and defective workbooks,
//! reported at once and kept as snapshots; the supervisor's rules on seed 002's task list;
//! `new` → `check` → `build` for every built-in 文种; a property test over random workbooks.

use std::path::Path;

use gongwen::diag::Rule;
use gongwen::pipeline::{Options, Outcome, Run};
use gongwen::project::Project as GongwenProject;
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;

use crate::support::{Project, V, info_sheet, pdf_text, repo, stderr, stdout, strip, write_sheet};

/// A project holding the broken workbooks of `tests/fixtures/broken/input/`.
fn broken() -> Project {
    let p = Project::new();
    for e in std::fs::read_dir(repo().join("tests/fixtures/broken/input")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), p.input(e.file_name().to_str().unwrap())).unwrap();
    }
    p
}

#[test]
fn a_folder_of_broken_workbooks_reports_every_problem_located_and_builds_the_good_ones() {
    let p = broken();
    let check = p.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let report = format!("{}\n--- stdout ---\n{}", stderr(&check), stdout(&check));
    assert!(
        !report.contains('\u{1b}'),
        "no colour when the output is not a terminal"
    );
    assert!(!report.contains("内部错误"), "{report}");
    // The time taken is the one thing that differs between runs.
    let report = regex::Regex::new(r"用时 [0-9.]+ 秒")
        .unwrap()
        .replace_all(&report, "用时 … 秒");
    insta::assert_snapshot!("broken_check", report);

    let json = p.run(&["check", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    assert!(
        stderr(&json).is_empty(),
        "JSON mode writes nothing else: {}",
        stderr(&json)
    );
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON document");
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["summary"]["failed"], 13);
    let all: Vec<&serde_json::Value> = doc["workbooks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["diagnostics"].as_array().unwrap())
        .collect();
    for d in &all {
        for field in [
            "severity",
            "rule",
            "rule_name",
            "location",
            "message",
            "text",
        ] {
            assert!(!d[field].is_null(), "{field} missing in {d}");
        }
    }
    insta::assert_snapshot!("broken_check_json", String::from_utf8(json.stdout).unwrap());

    let build = p.run(&["build"]);
    assert_eq!(build.status.code(), Some(1));
    let mut made: Vec<String> = std::fs::read_dir(p.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    made.sort();
    assert_eq!(
        made,
        [
            "13有缺陷.docx",
            "13有缺陷.pdf",
            "13有缺陷.xlsx",
            "14同义表头.docx",
            "14同义表头.pdf",
            "14同义表头.xlsx",
            "15完好.docx",
            "15完好.pdf"
        ],
        "only the good and the merely defective workbooks are built, and no temporary file is left"
    );
    // The defective one prints what the rows say, not what the clerk typed wrong.
    let text = pdf_text(&p.output("13有缺陷.pdf"));
    assert!(
        text.contains("测试市人民政府："),
        "one colon after the 主送机关"
    );
    assert!(!text.contains("测试市人民政府：："));
    assert!(text.contains("抄送：测试市应急管理局。"));
}

#[test]
fn seed_002s_task_list_yields_exactly_the_supervisors_hits() {
    let run = Run::new(GongwenProject::new(repo()), false).unwrap();
    let mut report = gongwen::diag::Report::default();
    run.prepare(&repo().join("input/山西省督办函.xlsx"), None, &mut report)
        .expect("the sample builds");
    let hits: Vec<(Rule, String)> = report
        .items
        .iter()
        .map(|d| (d.rule, d.loc.to_string()))
        .collect();
    let at = |cell: &str| format!("input/山西省督办函.xlsx 工作表「附件1」 单元格 {cell}");
    let expected = vec![
        (Rule::SerialGap, at("A15（第15行）")),
        (Rule::NearDuplicate, at("B19（第19行）")),
        (Rule::NearDuplicate, at("B20（第20行）")),
    ];
    assert_eq!(hits, expected, "{:#?}", report.items);
    let messages: Vec<&str> = report.items.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages[0].contains("从12跳到14，缺少13"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("第5行（序号3）"),
        "item 18 repeats 3: {}",
        messages[1]
    );
    assert!(
        messages[2].contains("第6行（序号4）"),
        "item 19 repeats 4: {}",
        messages[2]
    );
}

#[test]
fn every_built_in_kind_goes_new_check_build() {
    let p = Project::new();
    for kind in ["整改报告", "整改情况报告", "督办函", "通知", "简报"] {
        let new = p.run(&["new", kind]);
        assert!(new.status.success(), "{kind}: {}", stderr(&new));
        assert!(p.input(&format!("{kind}.xlsx")).is_file());
        let again = p.run(&["new", kind]);
        assert_eq!(again.status.code(), Some(1), "new never overwrites");
        assert!(stderr(&again).contains("已经存在，没有覆盖它"));
    }
    let unknown = p.run(&["new", "请示"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("没有文种「请示」")
            && stderr(&unknown).contains("现有文种：整改情况报告、整改报告、督办函、简报、通知"),
        "{}",
        stderr(&unknown)
    );
    let check = p.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        stderr(&check).is_empty(),
        "a blank workbook has nothing to warn about: {}",
        stderr(&check)
    );
    let build = p.run(&["build"]);
    assert!(
        build.status.success(),
        "{}\n{}",
        stdout(&build),
        stderr(&build)
    );
    assert!(stderr(&build).is_empty(), "{}", stderr(&build));
    for kind in ["整改报告", "整改情况报告", "通知", "简报", "督办函"] {
        assert!(p.output(&format!("{kind}.pdf")).is_file(), "{kind}");
    }
    // The blank workbook's own checks: dropdowns, prompts and the 说明 sheet are there.
    let xlsx = std::fs::read(p.input("整改报告.xlsx")).unwrap();
    let zip = String::from_utf8_lossy(&xlsx);
    assert!(zip.len() > 1000);
    let names = crate::support::sheet_names(&p.input("整改报告.xlsx"));
    assert_eq!(
        names,
        ["文件信息", "问题清单", "下一步工作", "附件1", "说明"]
    );
    let sheet = unzip_sheet(&p.input("整改报告.xlsx"), "xl/worksheets/sheet2.xml");
    assert!(sheet.contains("<dataValidation"), "dropdowns and prompts");
    assert!(
        sheet.contains("已完成整改,积极整改中,未启动"),
        "the 整改状态 dropdown"
    );
    assert!(
        sheet.contains("promptTitle=\"存在问题\""),
        "a prompt on the header"
    );
}

/// One part of an XLSX file, as text.
fn unzip_sheet(path: &Path, part: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut file = archive.by_name(part).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text).unwrap();
    text
}

#[test]
fn rules_switched_off_warnings_denied_and_overdue_as_of_a_date() {
    let p = Project::new();
    std::fs::copy(
        repo().join("tests/fixtures/broken/input/13有缺陷.xlsx"),
        p.input("有缺陷.xlsx"),
    )
    .unwrap();
    let plain = p.run(&["check"]);
    assert!(plain.status.success());
    assert!(stderr(&plain).contains("（halfwidth-punctuation）"));
    let denied = p.run(&["check", "--deny-warnings"]);
    assert_eq!(
        denied.status.code(),
        Some(1),
        "warnings fail the run when denied"
    );
    assert!(stdout(&denied).contains("警告按设定视为错误"));
    // --as-of: the item due 2024-06-30 is overdue as of 2024-07-01, not as of 成文日期.
    let later = p.run(&["check", "--as-of", "2024-07-01"]);
    assert_eq!(
        stderr(&later).matches("（overdue）").count(),
        2,
        "{}",
        stderr(&later)
    );
    assert_eq!(stderr(&plain).matches("（overdue）").count(), 1);
    let bad_date = p.run(&["check", "--as-of", "下周"]);
    assert_eq!(bad_date.status.code(), Some(2));
    std::fs::write(
        p.path().join("gongwen.toml"),
        "[checks]\noff = [\"halfwidth-punctuation\", \"overdue\"]\ndeny-warnings = true\n",
    )
    .unwrap();
    let configured = p.run(&["check"]);
    let err = stderr(&configured);
    assert!(
        !err.contains("halfwidth-punctuation") && !err.contains("（overdue）"),
        "{err}"
    );
    assert!(err.contains("（serial-gap）"), "other rules stay on: {err}");
    assert_eq!(
        configured.status.code(),
        Some(1),
        "deny-warnings from gongwen.toml"
    );
    std::fs::write(
        p.path().join("gongwen.toml"),
        "[checks]\noff = [\"overdu\"]\n",
    )
    .unwrap();
    let typo = p.run(&["check"]);
    assert_eq!(typo.status.code(), Some(1));
    assert!(
        stderr(&typo).contains("“overdu”不是规则代码"),
        "{}",
        stderr(&typo)
    );
}

#[test]
fn colour_only_when_asked_for_or_on_a_terminal() {
    let p = Project::new();
    std::fs::copy(
        repo().join("tests/fixtures/broken/input/09整改状态错误.xlsx"),
        p.input("a.xlsx"),
    )
    .unwrap();
    let piped = p.run(&["check"]);
    assert!(!stderr(&piped).contains('\u{1b}'));
    let forced = std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .arg("-C")
        .arg(p.path())
        .args(["--no-system-fonts", "check"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(
        stderr(&forced).contains("\u{1b}[1m\u{1b}[31m错误"),
        "{}",
        stderr(&forced)
    );
}

/// Characters a clerk might type, hostile ones included.
fn cell_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "整改",
        "问题",
        "#",
        "$",
        "*",
        "_",
        "`",
        "[",
        "]",
        "{{",
        "}}",
        "{%",
        "%}",
        "//",
        "/*",
        "\\",
        "\"",
        "<",
        ">",
        "@",
        "=",
        "-",
        "+",
        "1.",
        "~",
        "#read(\"/etc/passwd\")",
        "#panic()",
        "../../",
        "\n",
        "  ",
        "，",
        "。",
        "（",
        "）",
        "2024-02-30",
        "2024-03-02",
        "A1",
        "0",
        "中文",
    ]);
    prop::collection::vec(pieces, 0..6).prop_map(|v| v.concat())
}

/// A sheet name: one of the contract's, an appendix, or anything.
fn sheet_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "问题清单",
        "下一步工作",
        "正文",
        "督办事项",
        "附件1",
        "附件2 表",
        "收文单位",
        "简报文章",
        "杂项",
        "Sheet1",
        " 正文 ",
    ])
    .prop_map(str::to_string)
}

#[derive(Debug, Clone)]
struct RandomSheet {
    name: String,
    title_rows: usize,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn random_sheet() -> impl Strategy<Value = RandomSheet> {
    let header = prop::collection::vec(
        prop::sample::select(vec![
            "存在问题",
            "整改状态",
            "层面",
            "类别",
            "整改措施",
            "整改时限",
            "完成时间",
            "序号",
            "标题",
            "内容",
            "层级",
            "事项",
            "完成时限",
            "收文单位",
            "主送机关",
            "栏目",
            "正文",
            "其他",
            "组/列",
        ])
        .prop_map(str::to_string),
        1..7,
    );
    (
        sheet_name(),
        0..3usize,
        header,
        prop::collection::vec(prop::collection::vec(cell_text(), 0..7), 0..6),
    )
        .prop_map(|(name, title_rows, header, rows)| RandomSheet {
            name,
            title_rows,
            header,
            rows,
        })
}

fn write_random(path: &Path, kind: &str, title: &str, sheets: &[RandomSheet]) {
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::O(kind.to_string())),
            ("发文机关", V::S("随机县人民政府")),
            ("标题", V::O(title.to_string())),
            ("成文日期", V::S("2024-03-25")),
        ],
    );
    let mut used = vec!["文件信息".to_string()];
    for s in sheets {
        let name = s.name.trim().to_string();
        if used.contains(&name) {
            continue;
        }
        used.push(name.clone());
        let mut rows: Vec<Vec<V>> = (0..s.title_rows).map(|_| vec![V::S("标题行")]).collect();
        rows.push(s.header.iter().map(|h| V::O(h.clone())).collect());
        rows.extend(
            s.rows
                .iter()
                .map(|r| r.iter().map(|c| V::O(c.clone())).collect()),
        );
        write_sheet(&mut book, &s.name, &rows, &[]);
    }
    book.save(path).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the cells and the layout, gongwen reports problems and never panics, nothing is
    /// written outside output/, and text from a cell prints literally.
    #[test]
    fn random_workbooks_never_panic_never_escape_and_print_literally(
        kind in prop::sample::select(vec!["整改报告", "督办函", "通知", "简报", "未知"]),
        title in cell_text(),
        finding in cell_text(),
        sheets in prop::collection::vec(random_sheet(), 0..4),
    ) {
        let p = Project::new();
        let title = format!("关于{title}的报告");
        let mut sheets = sheets;
        // Usually one valid list, so that some workbooks build and their text can be read back.
        sheets.push(RandomSheet {
            name: "问题清单".into(),
            title_rows: 0,
            header: vec!["存在问题".into(), "整改状态".into()],
            rows: vec![vec![format!("问题{finding}结束"), "已完成".into()]],
        });
        write_random(&p.input("随机.xlsx"), kind, &title, &sheets);
        let run = Run::new(GongwenProject::new(p.path()), false).unwrap();
        let options = Options { write: true, force: false, keep_source: false, as_of: None };
        let results = run.run(&[p.input("随机.xlsx")], options, &gongwen::pipeline::Silent).unwrap();
        let r = &results[0];
        prop_assert!(
            r.report.items.iter().all(|d| d.rule != Rule::Internal),
            "internal error: {:#?}", r.report.items
        );
        for file in p.files() {
            let first = file.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
            prop_assert!(first == "input" || first == "output", "{} written outside output/", file.display());
        }
        if matches!(r.outcome, Outcome::Built { .. }) && kind == "整改报告" {
            let text = pdf_text(&p.output("随机.pdf"));
            let printable = |s: &str| strip(&s.replace('\n', ""));
            prop_assert!(text.contains(&printable(&format!("问题{finding}结束"))), "{finding:?} is not printed literally");
        }
        if r.outcome == Outcome::Failed {
            prop_assert!(r.report.has_errors());
            prop_assert!(!p.output("随机.pdf").exists());
        }
    }
}

/// In a batch, each letter's prose is held against its own rows: a row routed to one
/// recipient is not compared with another's tally, and a shared row wrong for some letters is
/// reported once, naming them.
#[test]
fn a_batch_compares_each_letters_prose_with_its_own_rows_and_reports_a_shared_row_once() {
    use V::{E, S};
    let p = Project::new();
    let mut book = Workbook::new();
    info_of(&mut book, "整改情况报告", &[]);
    write_sheet(
        &mut book,
        "收文单位",
        &[
            vec![S("主送机关")],
            vec![S("甲市应急管理局")],
            vec![S("乙市应急管理局")],
        ],
        &[],
    );
    let issue = |text: &'static str, to: &'static str| vec![S(text), S("已完成整改"), S(to)];
    write_sheet(
        &mut book,
        "问题清单",
        &[
            vec![S("存在问题"), S("整改状态"), S("收文单位")],
            issue("安全培训记录不完整不规范", "甲市应急管理局"),
            issue("应急预案未按期组织演练", "甲市应急管理局"),
            issue("尾矿库排洪设施未及时清淤", "乙市应急管理局"),
            issue("在线监测系统数据传输中断", "乙市应急管理局"),
            issue("隐患排查台账记录内容缺失", "乙市应急管理局"),
        ],
        &[],
    );
    write_sheet(
        &mut book,
        "正文",
        &[
            vec![S("层级"), S("标题"), S("内容"), S("收文单位")],
            vec![E, E, S("经检查，共发现问题3条。"), E],
            vec![E, E, S("其中本单位问题2条。"), S("甲市应急管理局")],
            vec![E, E, S("其中本单位问题3条。"), S("乙市应急管理局")],
        ],
        &[],
    );
    book.save(p.input("批量整改.xlsx")).unwrap();
    let out = p.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let counts: Vec<&serde_json::Value> = json["workbooks"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "count-mismatch")
        .collect();
    assert_eq!(counts.len(), 1, "{json:#}");
    assert_eq!(counts[0]["location"]["sheet"], "正文");
    assert_eq!(counts[0]["location"]["row"], 2);
    let message = counts[0]["message"].as_str().unwrap();
    assert!(
        message.contains("甲市应急管理局 2条") && !message.contains("乙市"),
        "{message}"
    );
}

/// 发文字号 with several faults: every one is reported, not only the first.
#[test]
fn every_fault_of_a_document_number_is_reported() {
    use V::S;
    let p = Project::new();
    let mut book = Workbook::new();
    info_of(
        &mut book,
        "督办函",
        &[
            ("发文字号", S("某应急函[2024]第08号")),
            ("主送机关", S("某市应急管理局")),
        ],
    );
    one_item(&mut book);
    book.save(p.input("字号.xlsx")).unwrap();
    let out = p.run(&["check", "--format", "json", "input/字号.xlsx"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let number = json["workbooks"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "doc-number-format")
        .unwrap_or_else(|| panic!("{json:#}"));
    let message = number["message"].as_str().unwrap();
    for fault in ["方括号", "“第”", "虚位"] {
        assert!(message.contains(fault), "{fault}: {message}");
    }
}

/// A workbook with an error and with defects a supervisor would flag: both are reported in the
/// same run, so that the clerk fixes it in one round; a 序号 gap the error's row would cause is
/// not among them.
#[test]
fn warnings_come_with_the_errors_in_one_run() {
    use V::S;
    let p = Project::new();
    let mut book = Workbook::new();
    info_of(&mut book, "整改报告", &[("发文字号", S("某政报[2024]3号"))]);
    write_sheet(
        &mut book,
        "问题清单",
        &[
            vec![S("序号"), S("存在问题"), S("整改状态")],
            vec![S("1"), S("安全培训记录不完整不规范"), S("已完成整改")],
            vec![S("2"), S("应急预案未按期组织演练"), S("完成了吧")],
            vec![
                S("3"),
                S("尾矿库排洪设施未及时清淤,影响行洪"),
                S("积极整改中"),
            ],
        ],
        &[],
    );
    book.save(p.input("一次改完.xlsx")).unwrap();
    let out = p.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = json["workbooks"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"status-unknown"), "{rules:?}");
    assert!(rules.contains(&"doc-number-format"), "{rules:?}");
    assert!(rules.contains(&"halfwidth-punctuation"), "{rules:?}");
    assert!(!rules.contains(&"serial-gap"), "{rules:?}");
}

/// Only what the 文种 uses is read and checked: a 问题清单 full of errors in a 督办函 workbook
/// does not stop the letter, and gets one warning naming it.
#[test]
fn a_sheet_the_kind_does_not_use_is_named_once_and_stops_nothing() {
    use V::S;
    let p = Project::new();
    let mut book = Workbook::new();
    info_of(&mut book, "督办函", &[("主送机关", S("某市应急管理局"))]);
    one_item(&mut book);
    write_sheet(
        &mut book,
        "问题清单",
        &[
            vec![S("存在问题"), S("整改状态"), S("整改时限")],
            vec![S("问题甲"), S("差不多了"), S("下个月")],
        ],
        &[],
    );
    book.save(p.input("督办.xlsx")).unwrap();
    let out = p.run(&["build", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let w = &json["workbooks"][0];
    assert_eq!(w["outcome"], "built", "{json:#}");
    assert!(p.output("督办.pdf").is_file());
    let diagnostics = w["diagnostics"].as_array().unwrap();
    let about: Vec<&serde_json::Value> = diagnostics
        .iter()
        .filter(|d| d["location"]["sheet"] == "问题清单")
        .collect();
    assert_eq!(about.len(), 1, "{json:#}");
    assert_eq!(about[0]["rule"], "sheet-unread");
    let message = about[0]["message"].as_str().unwrap();
    assert!(
        message.contains("文种「督办函」不用这个工作表"),
        "{message}"
    );
}

/// 文件信息 of a `kind` with its required keys filled, and `more`.
fn info_of(book: &mut Workbook, kind: &'static str, more: &[(&'static str, V)]) {
    let mut pairs = vec![
        ("文种", V::S(kind)),
        ("发文机关", V::S("某县人民政府")),
        ("标题", V::S("关于做好汛期安全防范工作的报告")),
        ("成文日期", V::S("2024-03-02")),
    ];
    pairs.extend(more.iter().cloned());
    info_sheet(book, &pairs);
}

/// A 督办事项 sheet of one item.
fn one_item(book: &mut Workbook) {
    use V::S;
    write_sheet(
        book,
        "督办事项",
        &[
            vec![S("事项"), S("完成时限")],
            vec![S("全面排查尾矿库排洪设施并及时清淤"), S("2024-04-30")],
        ],
        &[],
    );
}

/// A batch letter's own 发文字号 (a column of 收文单位) is checked at its own cell.
#[test]
fn a_recipients_own_document_number_is_checked_at_its_cell() {
    use V::S;
    let p = Project::new();
    let mut book = Workbook::new();
    info_of(&mut book, "督办函", &[]);
    one_item(&mut book);
    write_sheet(
        &mut book,
        "收文单位",
        &[
            vec![S("主送机关"), S("发文字号")],
            vec![S("甲市应急管理局"), S("某应急函〔2024〕3号")],
            vec![S("乙市应急管理局"), S("某应急函[2024]04号")],
        ],
        &[],
    );
    book.save(p.input("分发.xlsx")).unwrap();
    let out = p.run(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<&serde_json::Value> = json["workbooks"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "doc-number-format")
        .collect();
    assert_eq!(found.len(), 1, "{json:#}");
    assert_eq!(found[0]["location"]["sheet"], "收文单位");
    assert_eq!(found[0]["location"]["cell"], "B3");
    assert!(found[0]["message"].as_str().unwrap().contains("虚位"));
}
