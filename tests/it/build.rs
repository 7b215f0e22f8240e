//! End-to-end: workbooks in a project folder → `gongwen build` → PDF and XLSX, checked by
//! reading them back (pdftotext, pdfinfo, calamine).

use rust_xlsxwriter::Workbook;

use crate::support::{
    self, Project, V, info_sheet, pdf_pages, pdf_text, read_sheet, stderr, stdout, strip,
    write_sheet,
};

#[test]
fn sample_county_report_has_every_issue_and_computed_counts() {
    let p = Project::with_samples();
    let out = p.run(&["build"]);
    assert!(
        out.status.success(),
        "build failed:\n{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    // The only warnings are the defects seed 002's task list has as printed (checks.rs).
    let err = stderr(&out);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("警告"))
        .filter(|l| !l.contains("input/山西省督办函.xlsx 工作表「附件1」"))
        .collect();
    assert!(
        warnings.is_empty(),
        "the samples must build without any other warning:\n{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("共 6 个工作簿：生成 6"),
        "{}",
        stdout(&out)
    );
    let pdf = p.output("行唐县整改报告.pdf");
    assert!(pdf_pages(&pdf) >= 3);
    let text = pdf_text(&pdf);
    for needle in [
        "关于非煤矿山安全生产工作问题的整改报告",
        "期间发现政府、部门层面问题7条、企业层面问题1条",
        "已整改6条，剩余2条正在积极整改中",
        "一、政府、部门层面问题整改情况",
        "（一）对非煤矿山安全生产重视不足",
        "（四）应急预案不完善",
        "二、企业层面问题整改情况",
        "三、下一步工作",
        "下一步，我县将重点抓好以下3方面工作。",
        "一是全面完成矿山关闭工作。",
        "三是加强停产矿山安全监管。",
        "整改情况：积极整改中。",
        "一是2024年3月8日",
        "二是2024年3月18日",
        "2024年3月25日",
        "行唐县人民政府文件",
        "行政报〔2024〕12号",
        "李振华",
    ] {
        assert!(text.contains(&strip(needle)), "PDF lacks “{needle}”");
    }
    for n in 1..=8 {
        assert!(
            text.contains(&format!("{n}.存在问题：")) || n == 6,
            "issue {n} is not numbered"
        );
    }
    let ledger = p.output("行唐县整改报告.xlsx");
    let rows = read_sheet(&ledger, "整改台账");
    assert!(rows[0][0].contains("整改台账"));
    assert_eq!(rows[1][0], "序号");
    assert_eq!(rows.len(), 2 + 8, "title + header + 8 issues");
    let status_col = rows[1].iter().position(|h| h == "整改状态").unwrap();
    let statuses: Vec<&str> = rows[2..].iter().map(|r| r[status_col].as_str()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == "已完成整改").count(), 6);
    assert_eq!(statuses.iter().filter(|s| **s == "积极整改中").count(), 2);
    assert!(
        rows[1].contains(&"问题编号".to_string()),
        "extra columns are kept"
    );
    let tally = read_sheet(&ledger, "统计");
    assert!(tally[0][0].contains("统计"), "the title row");
    assert_eq!(
        tally[1][..5],
        ["层面", "问题总数", "已完成整改", "积极整改中", "未启动"]
    );
    let total = tally.iter().find(|r| r[0] == "合计").unwrap();
    assert_eq!(total[1..5], ["8", "6", "2", "0"]);
}

#[test]
fn sample_city_report_reads_like_the_seed() {
    let p = Project::with_samples();
    let out = p.run(&["build", "input/石家庄市整改情况报告.xlsx"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let text = pdf_text(&p.output("石家庄市整改情况报告.pdf"));
    for needle in [
        "国家矿山安全监察局河北局：",
        "2023年2月7日，收到贵局《关于加强和改善矿山安全监管工作的建议函》（矿安冀函〔2023〕5号）后",
        "现将具体整改情况报告如下：",
        "一、存在问题整改落实情况",
        "（一）对开展非煤矿山安全专项整治认识不足",
        "存在问题：《建议函》提出“对于非煤矿山安全专项整治工作",
        "一是强化组织保障。",
        "三是细化实施方案。",
        "二、监察建议的落实情况",
        "三、下一步工作打算",
        "一是组织开展专项整治。严密组织开展",
        "特此报告。",
        "2023年5月20日",
    ] {
        assert!(text.contains(&strip(needle)), "PDF lacks “{needle}”");
    }
    assert!(
        !p.output("行唐县整改报告.pdf").exists(),
        "only the named workbook is built"
    );
}

/// A workbook the samples do not resemble: three 层面, a 未启动 item, overdue items, title rows,
/// merged cells, every date form, a formula cell, columns in another order.
fn unseen_workbook(path: &std::path::Path) {
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("整改报告")),
            ("发文机关", V::S("平安县人民政府")),
            (
                "标题",
                V::S("平安县关于安全生产大检查发现问题整改情况的报告"),
            ),
            ("成文日期", V::S("2025年6月30日")),
            ("主送机关", V::S("平安市人民政府")),
            ("检查单位", V::S("平安市安全生产委员会")),
            ("检查时间", V::S("2025年4月")),
            ("检查对象", V::S("我县")),
            ("检查名称", V::S("安全生产大检查")),
            ("自称", V::S("我县")),
        ],
    );
    let level = |s: &'static str| V::S(s);
    let mut rows = vec![
        vec![
            V::S("平安县问题整改台账"),
            V::E,
            V::E,
            V::E,
            V::E,
            V::E,
            V::E,
        ],
        vec![V::E, V::E, V::E, V::E, V::E, V::E, V::E],
        vec![
            V::S("整改状态"),
            V::S("存在问题"),
            V::S(" 层面 "),
            V::S("类别"),
            V::S("整改\n时限"),
            V::S("整改措施"),
            V::S("天数"),
        ],
    ];
    let items: [(&str, &str, &str, &str, V); 12] = [
        (
            "已完成",
            "市级层面",
            "组织领导",
            "会议研究不够",
            V::D(2025, 5, 1),
        ),
        (
            "已整改",
            "市级层面",
            "组织领导",
            "督导检查不足",
            V::S("2025/5/2"),
        ),
        ("正在整改", "市级层面", "", "规划修编滞后", V::S("2025.6.1")),
        ("未开始", "市级层面", "", "信息系统未建", V::S("2025-07-31")),
        (
            "已完成整改",
            "县级层面",
            "执法检查",
            "执法记录不全",
            V::S("2025年5月3日"),
        ),
        ("已完成整改", "县级层面", "执法检查", "处罚标准不一", V::E),
        (
            "积极整改中",
            "县级层面",
            "执法检查",
            "人员培训不够",
            V::S("2025-12-31"),
        ),
        ("已完成整改", "县级层面", "", "台账更新不及时", V::E),
        ("已完成整改", "县级层面", "", "值班制度不落实", V::E),
        (
            "积极整改中",
            "企业层面",
            "",
            "安全设施老化",
            V::S("2025-03-31"),
        ),
        (
            "未启动",
            "企业层面",
            "",
            "应急演练未开展",
            V::S("2025-05-31"),
        ),
        ("已完成整改", "企业层面", "", "特种作业人员无证上岗", V::E),
    ];
    for (status, lvl, cat, finding, deadline) in items {
        rows.push(vec![
            V::S(status),
            V::S(finding),
            level(lvl),
            V::S(cat),
            deadline,
            V::S("第一项措施。\n第二项措施。"),
            V::F("=1+1", "2"),
        ]);
    }
    // 层面 merged over the 市级 rows (3..=6) and the 县级 rows (7..=11).
    write_sheet(
        &mut book,
        "问题清单",
        &rows,
        &[(0, 0, 0, 6), (3, 2, 6, 2), (7, 2, 11, 2)],
    );
    write_sheet(
        &mut book,
        "下一步工作",
        &[
            vec![V::S("标题"), V::S("内容")],
            vec![V::S("加强督导"), V::S("定期调度。")],
        ],
        &[],
    );
    book.save(path).unwrap();
}

#[test]
fn an_unseen_workbook_builds_from_a_folder_holding_only_input() {
    let p = Project::new();
    unseen_workbook(&p.input("平安县.xlsx"));
    let out = p.run(&["build"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let text = pdf_text(&p.output("平安县.pdf"));
    for needle in [
        "期间发现市级层面问题4条、县级层面问题5条、企业层面问题3条",
        "已整改7条，剩余5条中3条正在积极整改、2条尚未启动，其中3条已超过整改时限",
        "一、市级层面问题整改情况",
        "二、县级层面问题整改情况",
        "三、企业层面问题整改情况",
        "四、下一步工作",
        "（一）组织领导",
        "（一）执法检查",
        "12.存在问题：特种作业人员无证上岗",
        "整改情况：未启动。",
        "一是第一项措施。二是第二项措施。",
    ] {
        assert!(text.contains(&strip(needle)), "PDF lacks “{needle}”");
    }
    let rows = read_sheet(&p.output("平安县.xlsx"), "整改台账");
    assert_eq!(rows.len(), 2 + 12);
    let overdue_col = rows[1].iter().position(|h| h == "是否逾期").unwrap();
    assert_eq!(
        rows.iter().filter(|r| r[overdue_col] == "已逾期").count(),
        3
    );
    let days_col = rows[1].iter().position(|h| h == "天数").unwrap();
    assert_eq!(
        rows[2][days_col], "2",
        "formula cells give their cached value"
    );
    let level_col = rows[1].iter().position(|h| h == "层面").unwrap();
    assert_eq!(
        rows[5][level_col], "市级层面",
        "merged cells fill every row they cover"
    );
}

#[test]
fn a_bad_workbook_reports_every_problem_and_never_stops_the_others() {
    let p = Project::with_samples();
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("整改报告")),
            ("发文机关", V::S("某县人民政府")),
            ("成文日期", V::S("2024-13-45")),
        ],
    );
    write_sheet(
        &mut book,
        "问题清单",
        &[
            vec![V::S("存在问题"), V::S("整改状态"), V::S("整改时限")],
            vec![V::S("问题甲"), V::S("差不多了"), V::S("下个月")],
            vec![V::E, V::S("已完成"), V::E],
        ],
        &[],
    );
    book.save(p.input("有错误.xlsx")).unwrap();
    let out = p.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    for needle in [
        "input/有错误.xlsx 工作表「文件信息」：缺少必填项目「标题」",
        "input/有错误.xlsx 工作表「文件信息」 单元格 B4（第4行）：「成文日期」的内容“2024-13-45”不是日期",
        "工作表「问题清单」 单元格 B2（第2行）：「整改状态」“差不多了”无法识别",
        "单元格 C2（第2行）：「整改时限」的内容“下个月”不是日期",
        "单元格 A3（第3行）：「存在问题」为空",
        "处理办法：",
    ] {
        assert!(err.contains(needle), "stderr lacks “{needle}”:\n{err}");
    }
    assert!(
        !p.output("有错误.pdf").exists() && !p.output("有错误.xlsx").exists(),
        "nothing is written for a bad workbook"
    );
    assert!(
        p.output("行唐县整改报告.pdf").exists() && p.output("石家庄市整改情况报告.xlsx").exists(),
        "the others still build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(p.path().join("output"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files left behind: {leftovers:?}"
    );
}

#[test]
fn cell_text_is_printed_literally_never_run_as_code() {
    let corpus = [
        "#panic(\"x\")",
        "$x^2$",
        "*粗*",
        "_斜_",
        "`raw`",
        "<label>",
        "@ref",
        "\\",
        "// 注释",
        "/* 块 */",
        "= 标题",
        "- 列表",
        "+ 编号",
        "[方括号]",
        "{{ doc.title }}",
        "{% if true %}",
        "\"引号\"",
        "'单引号'",
        "#read(\"/etc/passwd\")",
        "#import \"/gongwen.typ\": *",
        "a~b",
        "http://example.com",
        "1. 项",
        "\\u{41}",
    ];
    let p = Project::new();
    let mut book = Workbook::new();
    let corpus_text = corpus.join("〇");
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("整改报告")),
            ("发文机关", V::S("测试县人民政府")),
            ("标题", V::O(format!("关于{}的报告", corpus[0]))),
            ("成文日期", V::D(2024, 3, 25)),
            ("检查单位", V::O(corpus_text.clone())),
        ],
    );
    let mut rows = vec![vec![
        V::S("存在问题"),
        V::S("整改状态"),
        V::S("整改措施"),
        V::S("层面"),
    ]];
    for item in corpus {
        rows.push(vec![
            V::O(format!("问题{item}结束")),
            V::S("已完成"),
            V::O(format!("措施{item}。后文")),
            V::S("#层面*"),
        ]);
    }
    write_sheet(&mut book, "问题清单", &rows, &[]);
    book.save(p.input("转义.xlsx")).unwrap();
    let out = p.run(&["build"]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let text = pdf_text(&p.output("转义.pdf"));
    for item in corpus {
        assert!(
            text.contains(&strip(&format!("问题{item}结束"))),
            "“{item}” is not printed literally"
        );
    }
    assert!(text.contains(&strip(&corpus_text)));
    assert!(text.contains("#层面*问题整改情况"));
}

#[test]
fn same_input_same_bytes_and_unchanged_documents_are_not_rebuilt() {
    let p = Project::with_samples();
    assert!(p.run(&["build"]).status.success());
    let pdf = p.output("行唐县整改报告.pdf");
    let first = std::fs::read(&pdf).unwrap();
    let first_xlsx = std::fs::read(p.output("行唐县整改报告.xlsx")).unwrap();

    let again = p.run(&["build"]);
    assert!(
        stdout(&again).contains("未改动：input/行唐县整改报告.xlsx"),
        "{}",
        stdout(&again)
    );

    let forced = p.run(&["build", "--force"]);
    assert!(
        stdout(&forced).contains("已生成：input/行唐县整改报告.xlsx"),
        "{}",
        stdout(&forced)
    );
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        first,
        "PDF bytes differ between two builds"
    );
    assert_eq!(
        std::fs::read(p.output("行唐县整改报告.xlsx")).unwrap(),
        first_xlsx,
        "XLSX bytes differ"
    );

    // Editing one workbook rebuilds that one only.
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("整改报告")),
            ("发文机关", V::S("甲县")),
            ("标题", V::S("报告")),
            ("成文日期", V::D(2024, 1, 2)),
        ],
    );
    write_sheet(
        &mut book,
        "问题清单",
        &[
            vec![V::S("存在问题"), V::S("整改状态")],
            vec![V::S("问题"), V::S("已完成")],
        ],
        &[],
    );
    book.save(p.input("石家庄市整改情况报告.xlsx")).unwrap();
    let edited = p.run(&["build"]);
    let s = stdout(&edited);
    assert!(
        s.contains("已生成：input/石家庄市整改情况报告.xlsx")
            && s.contains("未改动：input/行唐县整改报告.xlsx"),
        "{s}"
    );
}

#[test]
fn check_writes_nothing_and_usage_errors_exit_2() {
    let p = Project::with_samples();
    let out = p.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("检查通过：input/行唐县整改报告.xlsx"));
    assert!(!p.path().join("output").exists(), "check must not write");
    let bogus = p.run(&["build", "--bogus"]);
    assert_eq!(bogus.status.code(), Some(2));
    assert!(
        stderr(&bogus).contains("错误：不认识的选项“--bogus”"),
        "{}",
        stderr(&bogus)
    );
    let help = p.run(&["--help"]);
    assert!(
        stdout(&help).contains("生成公文 PDF 和台账 XLSX"),
        "{}",
        stdout(&help)
    );
}

#[test]
fn fonts_lists_every_role() {
    let p = Project::new();
    let out = p.run(&["fonts"]);
    let s = stdout(&out);
    for line in [
        "小标宋：FandolSong",
        "仿宋：FandolFang R",
        "黑体：FandolHei",
        "楷体：FandolKai",
        "宋体：FandolSong",
        "缺字补充：Noto Serif CJK SC",
    ] {
        assert!(s.contains(line), "{s}");
    }
}

#[test]
fn characters_no_role_font_has_are_reported_with_their_cell() {
    let p = Project::new();
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("整改报告")),
            ("发文机关", V::S("某县")),
            ("标题", V::S("报告")),
            ("成文日期", V::D(2024, 1, 2)),
        ],
    );
    write_sheet(
        &mut book,
        "问题清单",
        &[
            vec![V::S("存在问题"), V::S("整改状态"), V::S("责任人")],
            vec![V::S("问题"), V::S("已完成"), V::S("王堃")],
        ],
        &[],
    );
    book.save(p.input("缺字.xlsx")).unwrap();
    let out = p.run(&["build"]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains("警告（glyph-missing）：input/缺字.xlsx 工作表「问题清单」 单元格 C2（第2行）：字符“堃”不在「仿宋」字体 FandolFang R 中"), "{err}");
}

#[test]
fn the_build_measures_every_document_against_the_standard() {
    // A project whose style library puts the 发文机关标志 10 mm too low.
    let p = Project::with_samples();
    let style = std::fs::read_to_string(support::repo().join("templates/gongwen.typ")).unwrap();
    assert!(
        style.contains("dy: 35mm"),
        "the 标志 offset moved; update this test"
    );
    std::fs::create_dir(p.path().join("templates")).unwrap();
    std::fs::write(
        p.path().join("templates/gongwen.typ"),
        style.replace("dy: 35mm", "dy: 45mm"),
    )
    .unwrap();
    let out = p.run(&["build", "input/行唐县整改报告.xlsx"]);
    assert!(
        out.status.success(),
        "a layout deviation is a warning, not an error"
    );
    let err = stderr(&out);
    assert!(
        err.contains("警告（layout-check）：input/行唐县整改报告.xlsx：版式检查未通过：7.2.4 发文机关标志上边缘距版心上边缘 35 mm：应为 标志字形上边缘距纸张上边缘 72.00 mm（±1），实测 82.00 mm"),
        "{err}"
    );
}

#[test]
fn official_faces_in_fonts_win_and_characters_they_lack_are_reported_for_their_role() {
    // A 楷体 face named as the official KaiTi (a renamed subset of FandolKai holding only a few
    // characters) placed in the project's fonts/ folder.
    let p = Project::new();
    std::fs::create_dir(p.path().join("fonts")).unwrap();
    std::fs::copy(
        support::repo().join("tests/fixtures/fonts/KaiTi-test.otf"),
        p.path().join("fonts/KaiTi-test.otf"),
    )
    .unwrap();
    let fonts = stdout(&p.run(&["fonts"]));
    assert!(
        fonts.contains("楷体：KaiTi（正式字体，来自 fonts/KaiTi-test.otf）"),
        "{fonts}"
    );
    assert!(fonts.contains("仿宋：FandolFang R（替代字体"), "{fonts}");
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("整改报告")),
            ("发文机关", V::S("某县人民政府")),
            ("标题", V::S("报告")),
            ("成文日期", V::D(2024, 1, 2)),
            ("签发人", V::S("张三")),
        ],
    );
    write_sheet(
        &mut book,
        "问题清单",
        &[
            vec![V::S("类别"), V::S("存在问题"), V::S("整改状态")],
            vec![V::S("组织领导"), V::S("问题"), V::S("已完成")],
        ],
        &[],
    );
    book.save(p.input("正式字体.xlsx")).unwrap();
    let out = p.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    // 张三 is in the face: no warning for the 签发人 cell. 组织领导 prints as a （一） heading in
    // 楷体, which this KaiTi lacks: one warning per character, naming the 类别 cell.
    assert!(!err.contains("单元格 B6"), "{err}");
    for ch in ["组", "织", "领", "导"] {
        assert!(
            err.contains(&format!(
                "工作表「问题清单」 单元格 A2（第2行）：字符“{ch}”不在「楷体」字体 KaiTi 中"
            )),
            "no warning for {ch}:\n{err}"
        );
    }
}

#[test]
fn template_and_typst_errors_keep_their_place() {
    let p = Project::new();
    let templates = p.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    // A template that needs a number where a cell may hold text, and one with a Typst error.
    std::fs::write(
        templates.join("份数通知.typ.tera"),
        "{#+++\nformat = \"文件\"\n+++#}\n{% include \"_版头.typ.tera\" %}\n共{{ info[\"份数\"] | int }}份。\n{% include \"_落款.typ.tera\" %}\n",
    )
    .unwrap();
    std::fs::write(
        templates.join("坏排版.typ.tera"),
        "{#+++\nformat = \"文件\"\n+++#}\n{% include \"_版头.typ.tera\" %}\n#不存在的函数()\n",
    )
    .unwrap();
    for (file, kind, count) in [
        ("份数.xlsx", "份数通知", "三份"),
        ("排版.xlsx", "坏排版", "3"),
    ] {
        let mut book = Workbook::new();
        info_sheet(
            &mut book,
            &[
                ("文种", V::S(kind)),
                ("发文机关", V::S("清河县应急管理局")),
                ("标题", V::S("关于报送材料的通知")),
                ("成文日期", V::D(2026, 4, 2)),
                ("份数", V::S(count)),
            ],
        );
        book.save(p.input(file)).unwrap();
    }
    let out = p.run(&["build", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let diagnostics: Vec<&serde_json::Value> = json["workbooks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["diagnostics"].as_array().unwrap())
        .collect();
    let template = diagnostics
        .iter()
        .find(|d| d["rule"] == "template-error")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    // The template's line, and the cell whose value it could not use.
    assert_eq!(template["source"]["file"], "templates/份数通知.typ.tera");
    assert_eq!(template["source"]["line"], 5);
    assert_eq!(template["location"]["sheet"], "文件信息");
    assert_eq!(template["location"]["cell"], "B6");
    let typst = diagnostics
        .iter()
        .find(|d| d["rule"] == "typeset-error")
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    let source = &typst["source"];
    assert!(
        source["file"].as_str().unwrap().ends_with(".typ") && source["line"].as_u64() > Some(1),
        "the line of the generated source kept for inspection: {typst}"
    );
    let kept = p.path().join(source["file"].as_str().unwrap());
    let line = std::fs::read_to_string(&kept).unwrap();
    let line = line
        .lines()
        .nth(source["line"].as_u64().unwrap() as usize - 1)
        .unwrap();
    assert!(line.contains("不存在的函数"), "{line}");
}
