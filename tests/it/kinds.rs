//! Every 文种 against its seed, batches of letters, appendix registers, safe file names, and a
//! 文种 that a project adds with its own template only.

use rust_xlsxwriter::Workbook;

use crate::support::{
    Project, V, body_sheet, info_sheet, merged, pdf_page_texts, pdf_pages, pdf_text, read_sheet,
    repo, sheet_names, stderr, stdout, strip, write_sheet,
};

fn build(p: &Project) -> (String, String) {
    let out = p.run(&["build"]);
    let (o, e) = (stdout(&out), stderr(&out));
    assert!(out.status.success(), "build failed:\n{o}\n{e}");
    (o, e)
}

fn assert_holds(text: &str, needles: &[&str], what: &str) {
    for needle in needles {
        assert!(text.contains(&strip(needle)), "{what} lacks “{needle}”");
    }
}

#[test]
fn the_supervision_letter_prints_its_task_list_as_the_seed_does() {
    let p = Project::with_sample("山西省督办函.xlsx");
    let (_, err) = build(&p);
    assert!(!err.contains("版式检查"), "{err}");
    let pdf = p.output("山西省督办函.pdf");
    let text = pdf_text(&pdf);
    assert_holds(
        &text,
        &[
            "晋应急函〔2022〕136号",
            "各市应急管理局：",
            "一、加强组织领导，如期实现目标任务清零闭环",
            "联系人：李栋梁 杨晗",
            "附件：山西省非煤矿山安全生产专项整治三年行动工作任务清单",
            "（此件依申请公开）",
            "山西省非煤矿山安全生产专项整治三年行动工作任务清单",
            "紧紧围绕“一把手”这个关键岗位",
            "继续深入组织开展尾矿库“头顶库”综合治理",
        ],
        "山西省督办函.pdf",
    );
    // The 附件 pages: the label without a number (one appendix), the header on every page, the
    // merged 完成时限 printed once.
    let pages = pdf_page_texts(&pdf);
    let first = pages
        .iter()
        .position(|t| t.starts_with("附件山西省非煤矿山"))
        .expect("the 附件 page starts with its label and title");
    let table = &pages[first..];
    assert!(table.len() >= 2, "the 35 tasks take more than one page");
    for (i, page) in table.iter().enumerate() {
        for head in ["序号", "任务", "完成时限"] {
            assert!(
                page.contains(head),
                "page {} of the table lacks “{head}”",
                i + 1
            );
        }
    }
    let all: String = table.concat();
    assert_eq!(
        all.matches("2021年").count(),
        1,
        "a merged cell prints once"
    );
    // The XLSX: the same table, 序号 as printed (13 missing), 完成时限 merged over its rows.
    let xlsx = p.output("山西省督办函.xlsx");
    assert_eq!(sheet_names(&xlsx), ["附件1"]);
    let rows = read_sheet(&xlsx, "附件1");
    assert_eq!(
        rows[0][0],
        "山西省非煤矿山安全生产专项整治三年行动工作任务清单"
    );
    assert_eq!(rows[1], ["序号", "任务", "完成时限"]);
    let serials: Vec<&str> = rows[2..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(serials.len(), 34);
    assert!(!serials.contains(&"13") && serials.contains(&"12") && serials.contains(&"14"));
    let m = merged(&xlsx, "附件1");
    for span in [
        (0, 0, 0, 2),
        (2, 2, 4, 2),
        (5, 2, 9, 2),
        (10, 2, 19, 2),
        (20, 2, 35, 2),
    ] {
        assert!(m.contains(&span), "merge {span:?} missing from {m:?}");
    }
}

#[test]
fn the_bulletin_holds_every_article_under_its_column_and_the_distribution() {
    let p = Project::with_sample("国家矿山安监局简报.xlsx");
    let (_, err) = build(&p);
    assert!(!err.contains("警告"), "{err}");
    let text = pdf_text(&p.output("国家矿山安监局简报.pdf"));
    assert_holds(
        &text,
        &[
            "三年行动进展情况",
            "第5期",
            "2024年7月15日",
            "国家矿山安监局召开党组会",
            "国家矿山安监局工作专班组织召开例会",
            "福建省：聚焦重点",
            "河南省：深入开展瓦斯防治评估论证",
            "甘肃省：应急管理厅约谈辖区煤矿重点县区和重点企业",
            "山东省：省级联合督查助推非煤矿山治本攻坚任务落实",
            "贵州省毕节市金沙县兴安煤矿",
            "字数最少的第46项仅“举报奖励”4个字",
            "报：国家矿山安监局党组同志，安全总监。",
            "送：各省（市、自治区）及新疆生产建设兵团应急管理部门",
        ],
        "简报",
    );
    // Each 栏目 once, in sheet order, before its articles.
    let at = |s: &str| text.find(&strip(s)).unwrap_or_else(|| panic!("no {s}"));
    for column in ["【工作动态】", "【地方经验做法】", "【典型案例曝光】"] {
        assert_eq!(text.matches(column).count(), 1, "{column}");
    }
    assert!(at("【工作动态】") < at("国家矿山安监局召开党组会"));
    assert!(at("国家矿山安监局工作专班") < at("【地方经验做法】"));
    assert!(at("【地方经验做法】") < at("福建省：") && at("山东省：") < at("【典型案例曝光】"));
    assert!(at("【典型案例曝光】") < at("贵州省毕节市") && at("贵州省毕节市") < at("报："));
    assert!(
        !p.output("国家矿山安监局简报.xlsx").exists(),
        "a document without tables has no XLSX"
    );
}

#[test]
fn the_notice_prints_the_plan_and_both_registers() {
    let p = Project::with_sample("西峡县非煤矿山包保责任制通知.xlsx");
    let (_, err) = build(&p);
    assert!(!err.contains("警告"), "{err}");
    let pdf = p.output("西峡县非煤矿山包保责任制通知.pdf");
    let text = pdf_text(&pdf);
    assert_holds(
        &text,
        &[
            "西峡县安全生产和防灾减灾救灾委员会文件",
            "西安防委〔2026〕6号",
            "各乡镇人民政府，非煤矿山企业、尾矿库企业：",
            "特制定本实施方案，请遵照执行。",
            "西峡县2026年上半年非煤矿山包保责任制和尾矿库安全生产工作制实施方案",
            "一、总体要求",
            "四、地下矿山包保责任",
            "（一）县级领导包保责任",
            "1.指导联系包保乡镇政府",
            "（三）乡镇驻库员职责（尾矿库）",
            "（一）提高认识，明确责任。包保责任人要按照工作职责要求",
            "附件：1.西峡县2026年上半年非煤地下矿山安全生产责任制分包情况一览表",
            "2.西峡县2026年上半年尾矿库安全生产库长责任制分包情况一览表",
            "附件1",
            "附件2",
            "三级包保责任",
            "抄送：县委办公室",
            "2026年4月16日印发",
        ],
        "通知",
    );
    // Merged body cells print once; the merged header repeats on each page of its table.
    assert_eq!(text.matches("郑双成").count(), 1);
    assert_eq!(text.matches("刘洋").count(), 1);
    let pages = pdf_page_texts(&pdf);
    let register: Vec<&String> = pages
        .iter()
        .filter(|t| t.contains("矿山企业名称"))
        .collect();
    assert!(register.len() >= 2, "附件1 runs over pages");
    for page in &register {
        assert_eq!(page.matches("三级包保责任").count(), 1);
    }
    // Every page is an A4 sheet upright; the registers' pages are turned on it.
    assert_eq!(pdf_pages(&pdf) % 2, 0, "the 版记 ends on an even page");
    let xlsx = p.output("西峡县非煤矿山包保责任制通知.xlsx");
    assert_eq!(sheet_names(&xlsx), ["附件1", "附件2"]);
    let a1 = read_sheet(&xlsx, "附件1");
    assert_eq!(a1[1][9], "三级包保责任");
    assert_eq!(a1[2][9..12], ["县级", "乡级", "企业"]);
    let m = merged(&xlsx, "附件1");
    for span in [
        (1, 9, 1, 11),
        (1, 0, 2, 0),
        (1, 8, 2, 8),
        (3, 9, 4, 9),
        (3, 8, 12, 8),
    ] {
        assert!(m.contains(&span), "附件1 merge {span:?} missing from {m:?}");
    }
    // 附件2 was written with 组/列 names: it prints and saves as the same two-row header.
    let a2 = read_sheet(&xlsx, "附件2");
    assert_eq!(a2[1][7], "三级库长");
    assert_eq!(a2[2][7..10], ["县级库长", "乡级库长", "企业库长"]);
    assert!(merged(&xlsx, "附件2").contains(&(1, 7, 1, 9)));
}

/// The text of the letter to `recipient` of the sample batch.
fn letter(p: &Project, stem: &str, recipient: &str) -> String {
    pdf_text(&p.output(&format!("{stem}/{recipient}.pdf")))
}

/// Checks that every letter of a combined print file starts on an odd page: the page that holds
/// its 主送机关 line, and the pages before it, come in pairs.
fn assert_letters_start_on_odd_pages(
    pdf: &std::path::Path,
    recipients: &[&str],
    pages_each: &[usize],
) {
    let pages = pdf_page_texts(pdf);
    let mut start = 0;
    for (name, n) in recipients.iter().zip(pages_each) {
        assert!(start % 2 == 0, "{name} starts on page {}", start + 1);
        assert!(
            pages[start].contains(&format!("{name}：")),
            "page {} should open the letter to {name}",
            start + 1
        );
        start += n + n % 2;
    }
    assert_eq!(
        pages.len(),
        start,
        "the print file holds every letter, each padded to even"
    );
}

#[test]
fn the_sample_batch_makes_a_letter_per_city_with_its_own_and_the_shared_rows() {
    let stem = "尾矿库汛期安全督办函";
    let p = Project::with_sample(&format!("{stem}.xlsx"));
    let (out, err) = build(&p);
    assert!(!err.contains("警告"), "{err}");
    assert!(
        out.contains(&format!("output/{stem}/（4 份，各有 PDF 和 DOCX）")),
        "{out}"
    );
    let cities = [
        "东山市应急管理局",
        "西河市应急管理局",
        "南岭市应急管理局",
        "北坪市应急管理局",
    ];
    // Each city's own 督办事项 (body text, so pdftotext keeps it whole).
    let own = [
        "完成东山市金源矿业有限公司青龙沟尾矿库排洪隧洞淤堵清理",
        "督促西河市长兴矿业有限公司杨树岭尾矿库启动闭库治理",
        "对辖区干滩长度、安全超高不满足设计要求的尾矿库逐库制定降水位方案",
        "完成北坪市瑞祥矿业有限公司青石沟尾矿库安全超高不足问题整改",
    ];
    for (i, city) in cities.iter().enumerate() {
        let text = letter(&p, stem, city);
        assert_holds(
            &text,
            &[
                &format!("{city}："),
                &format!("东应急函〔2026〕{}号", 41 + i),
                "1.组织对辖区尾矿库开展一次全覆盖汛期安全检查",
                "3.落实汛期24小时值班值守和险情报告制度（责任单位：各市应急管理局；完成时限：长期坚持）",
                "辖区内所有“头顶库”",
                own[i],
            ],
            city,
        );
        for (j, other) in own.iter().enumerate() {
            if j != i {
                assert!(!text.contains(other), "{city}'s letter holds {other}");
            }
        }
        let contact = if *city == "南岭市应急管理局" {
            "陈立群"
        } else {
            "周明远"
        };
        assert!(
            text.contains(&format!("联系人：{contact}")),
            "{city}: {contact}"
        );
    }
    let pages: Vec<usize> = cities
        .iter()
        .map(|c| pdf_pages(&p.output(&format!("{stem}/{c}.pdf"))))
        .collect();
    assert_letters_start_on_odd_pages(&p.output(&format!("{stem}.pdf")), &cities, &pages);
    let xlsx = p.output(&format!("{stem}.xlsx"));
    assert_eq!(sheet_names(&xlsx), ["督办事项", "附件1"]);
    for sheet in ["督办事项", "附件1"] {
        let rows = read_sheet(&xlsx, sheet);
        assert_eq!(rows[1][0], "收文单位", "{sheet} keeps the routing column");
        assert!(rows.iter().any(|r| r[0] == "北坪市应急管理局"));
    }
}

/// A batch 督办函 written to the contract only: three cities, shared and own rows everywhere, a
/// 督办事项 sheet, an appendix routed by 收文单位 with 完成时限 merged over one city's rows, an
/// override of 标题 and of 成文日期 for one city. 南湖市 has forty appendix rows: its letter runs
/// to three pages, so the print file must add a blank page after it.
pub(crate) fn unseen_batch(path: &std::path::Path) {
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("督办函")),
            ("发文机关", V::S("江源省安全生产委员会办公室")),
            ("标题", V::S("关于加快推进非煤矿山重大事故隐患整改的督办函")),
            ("成文日期", V::S("2026-09-01")),
            ("联系人", V::S("孙立")),
            ("联系电话", V::S("0791—12345678")),
            ("抄送", V::S("省应急管理厅。")),
        ],
    );
    write_sheet(
        &mut book,
        "收文单位",
        &[
            vec![
                V::S("主送机关"),
                V::S("发文字号"),
                V::S("标题"),
                V::S("成文日期"),
                V::S("重点矿山"),
            ],
            vec![
                V::S("南湖市安委办"),
                V::S("江安办函〔2026〕7号"),
                V::E,
                V::E,
                V::S("南湖铜矿"),
            ],
            vec![
                V::S("北岭市安委办"),
                V::S("江安办函〔2026〕8号"),
                V::S("关于北岭市加快推进尾矿库隐患整改的督办函"),
                V::D(2026, 9, 3),
                V::S("北岭金矿"),
            ],
            vec![
                V::S("西川市安委办"),
                V::S("江安办函〔2026〕9号"),
                V::E,
                V::E,
                V::E,
            ],
        ],
        &[],
    );
    write_sheet(
        &mut book,
        "正文",
        &[
            vec![V::S("收文单位"), V::S("层级"), V::S("标题"), V::S("内容")],
            vec![
                V::E,
                V::E,
                V::E,
                V::S("经排查，你市非煤矿山仍存在重大事故隐患，现督办如下。"),
            ],
            vec![
                V::S("北岭市安委办"),
                V::E,
                V::E,
                V::S("北岭市尾矿库数量多、库容大，须列为今年的工作重点。"),
            ],
            vec![
                V::E,
                V::N(1.0),
                V::S("限期整改"),
                V::S("各地要逐项明确整改责任人和整改时限。"),
            ],
        ],
        &[],
    );
    write_sheet(
        &mut book,
        "督办事项",
        &[
            vec![V::S("事项"), V::S("完成时限"), V::S("收文单位")],
            vec![
                V::S("建立重大事故隐患整改台账"),
                V::S("2026年9月30日前"),
                V::E,
            ],
            vec![
                V::S("完成南湖铜矿主井提升系统改造"),
                V::D(2026, 10, 31),
                V::S("南湖市安委办"),
            ],
            vec![
                V::S("完成北岭金矿尾矿库排洪设施修复"),
                V::S("长期坚持"),
                V::S("北岭市安委办"),
            ],
        ],
        &[],
    );
    let mut rows = vec![
        vec![V::S("重大事故隐患整改清单"), V::E, V::E, V::E],
        vec![
            V::S("收文单位"),
            V::S("序号"),
            V::S("隐患内容"),
            V::S("完成时限"),
        ],
        vec![
            V::E,
            V::S("1"),
            V::S("全省通用：应急预案未按规定演练"),
            V::S("2026年9月"),
        ],
    ];
    for n in 0..40 {
        rows.push(vec![
            V::S("南湖市安委办"),
            V::O((n + 2).to_string()),
            V::O(format!(
                "南湖铜矿第{}号采场顶板管理不到位，浮石未及时处理",
                n + 1
            )),
            V::S("2026年10月"),
        ]);
    }
    rows.push(vec![
        V::S("北岭市安委办"),
        V::S("2"),
        V::S("北岭金矿尾矿库排洪井堵塞"),
        V::S("2026年9月20日"),
    ]);
    rows.push(vec![
        V::S("北岭市安委办"),
        V::S("3"),
        V::S("北岭金矿尾矿库浸润线超限"),
        V::S("2026年9月20日"),
    ]);
    // 完成时限 merged over 北岭's two rows (rows 44..45, zero-based).
    write_sheet(&mut book, "附件1", &rows, &[(0, 0, 0, 3), (43, 3, 44, 3)]);
    book.save(path).unwrap();
}

#[test]
fn an_unseen_batch_builds_from_a_folder_holding_only_input() {
    let p = Project::new();
    unseen_batch(&p.input("江源督办.xlsx"));
    let (_, err) = build(&p);
    assert!(!err.contains("错误（"), "{err}");
    let nanhu = letter(&p, "江源督办", "南湖市安委办");
    let beiling = letter(&p, "江源督办", "北岭市安委办");
    let xichuan = letter(&p, "江源督办", "西川市安委办");
    for (text, own, not) in [
        (&nanhu, "完成南湖铜矿主井提升系统改造", "北岭金矿"),
        (&beiling, "完成北岭金矿尾矿库排洪设施修复", "南湖铜矿"),
        (&xichuan, "建立重大事故隐患整改台账", "南湖铜矿"),
    ] {
        assert!(text.contains(own), "{own}");
        assert!(!text.contains(not), "{not} leaked");
        assert!(text.contains("1.建立重大事故隐患整改台账（完成时限：2026年9月30日前）"));
        assert!(
            text.contains("全省通用：应急预案未按规定演练"),
            "the shared appendix row"
        );
    }
    assert!(nanhu.contains("南湖铜矿第40号采场"));
    assert!(nanhu.contains("2.完成南湖铜矿主井提升系统改造（完成时限：2026年10月31日）"));
    assert!(
        beiling.contains("关于北岭市加快推进尾矿库隐患整改的督办函"),
        "标题 overridden"
    );
    assert!(beiling.contains("2026年9月3日") && !beiling.contains("2026年9月1日"));
    assert!(
        beiling.contains("北岭市尾矿库数量多"),
        "a 正文 row for 北岭 only"
    );
    assert!(!nanhu.contains("北岭市尾矿库数量多"));
    assert_eq!(
        beiling.matches("2026年9月20日").count(),
        1,
        "the merged 完成时限 prints once"
    );
    assert!(xichuan.contains("江安办函〔2026〕9号"));
    let names = ["南湖市安委办", "北岭市安委办", "西川市安委办"];
    let pages: Vec<usize> = names
        .iter()
        .map(|n| pdf_pages(&p.output(&format!("江源督办/{n}.pdf"))))
        .collect();
    assert!(
        pages.iter().any(|n| n % 2 == 1),
        "a letter runs to an odd number of pages, so the print file pads it: {pages:?}"
    );
    assert_letters_start_on_odd_pages(&p.output("江源督办.pdf"), &names, &pages);
    let xlsx = p.output("江源督办.xlsx");
    let a1 = read_sheet(&xlsx, "附件1");
    assert_eq!(a1[1], ["收文单位", "序号", "隐患内容", "完成时限"]);
    assert_eq!(a1.len(), 2 + 43);
    assert!(
        merged(&xlsx, "附件1").contains(&(43, 3, 44, 3)),
        "the merged body cell survives"
    );
    let items = read_sheet(&xlsx, "督办事项");
    assert_eq!(items.len(), 2 + 3);
}

#[test]
fn a_row_naming_an_unknown_recipient_is_an_error_at_its_cell() {
    let p = Project::new();
    let path = p.input("错收文单位.xlsx");
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("督办函")),
            ("发文机关", V::S("江源省安委办")),
            ("标题", V::S("督办函")),
            ("成文日期", V::S("2026-09-01")),
        ],
    );
    write_sheet(
        &mut book,
        "收文单位",
        &[vec![V::S("主送机关")], vec![V::S("南湖市安委办")]],
        &[],
    );
    write_sheet(
        &mut book,
        "督办事项",
        &[
            vec![V::S("事项"), V::S("收文单位")],
            vec![V::S("事项甲"), V::S("南湖市安委会")],
        ],
        &[],
    );
    book.save(&path).unwrap();
    let out = p.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("工作表「督办事项」 单元格 B2（第2行）：收文单位“南湖市安委会”无法识别：「收文单位」工作表中没有“南湖市安委会”；是不是“南湖市安委办”？"),
        "{err}"
    );
    assert!(!p.path().join("output/错收文单位").exists());
}

#[test]
fn an_appendix_whose_only_column_is_the_recipient_is_an_error_at_its_header() {
    // The 收文单位 column is dropped from every letter's table: nothing would be left to print
    // (this used to panic while laying the table out).
    let p = Project::new();
    let path = p.input("只有收文单位.xlsx");
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("督办函")),
            ("发文机关", V::S("江源省安委办")),
            ("标题", V::S("督办函")),
            ("成文日期", V::S("2026-09-01")),
        ],
    );
    write_sheet(
        &mut book,
        "督办事项",
        &[vec![V::S("事项")], vec![V::S("事项甲")]],
        &[],
    );
    write_sheet(
        &mut book,
        "附件1",
        &[vec![V::S("收文单位")], vec![V::E, V::S("无表头的内容")]],
        &[],
    );
    book.save(&path).unwrap();
    let out = p.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("工作表「附件1」 单元格 A1（第1行）：工作表「附件1」除「收文单位」外没有别的列，没有可印出的内容"),
        "{err}"
    );
    assert!(!err.contains("内部错误"), "{err}");
    assert!(!p.output("只有收文单位.pdf").exists());
}

#[test]
fn hostile_recipient_names_cannot_leave_output() {
    let names = [
        "../../逃逸",
        "..",
        "CON",
        "com1",
        "a/b\\c:d",
        "名称\u{7}",
        "末尾点.",
        "ABC局",
        "abc局",
        "/etc/passwd",
    ];
    let p = Project::new();
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("督办函")),
            ("发文机关", V::S("测试厅")),
            ("标题", V::S("督办函")),
            ("成文日期", V::S("2026-01-02")),
        ],
    );
    let mut rows = vec![vec![V::S("主送机关")]];
    rows.extend(names.iter().map(|n| vec![V::O(n.to_string())]));
    write_sheet(&mut book, "收文单位", &rows, &[]);
    body_sheet(&mut book, &[(0, "", "请按要求办理。")]);
    book.save(p.input("危险名称.xlsx")).unwrap();
    let (_, err) = build(&p);
    assert!(err.contains("不能原样用作文件名"), "{err}");
    assert!(
        err.contains("相同"),
        "case-colliding names are reported: {err}"
    );
    for file in p.files() {
        let first = file
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        assert!(
            first == "input" || first == "output",
            "{} was written outside output/",
            file.display()
        );
    }
    let letters: Vec<_> = std::fs::read_dir(p.output("危险名称"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| f.extension().is_some_and(|e| e == "pdf"))
        .collect();
    let docx = std::fs::read_dir(p.output("危险名称"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "docx")
        })
        .count();
    assert_eq!(docx, names.len(), "each letter has its DOCX beside it");
    assert_eq!(
        letters.len(),
        names.len(),
        "one distinct file per recipient: {letters:?}"
    );
    for l in &letters {
        assert!(l.is_file());
        let text = pdf_text(l);
        assert!(text.contains("请按要求办理。"));
    }
    assert!(!p.path().parent().unwrap().join("逃逸.pdf").exists());
}

/// A 通知 written to the contract only: a register with a two-row merged header and body cells
/// merged over rows, and a second one written with 组/列 names.
pub(crate) fn unseen_notice(path: &std::path::Path) {
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("通知")),
            ("发文机关", V::S("东湖区安全生产委员会")),
            ("发文字号", V::S("东安委〔2026〕3号")),
            ("标题", V::S("关于落实2026年汛期尾矿库包保责任的通知")),
            ("主送机关", V::S("各街道办事处，区直有关单位")),
            ("成文日期", V::D(2026, 5, 8)),
            ("抄送", V::S("区委办公室，区政府办公室。")),
            ("印发机关", V::S("东湖区安全生产委员会办公室")),
            ("印发日期", V::D(2026, 5, 8)),
        ],
    );
    body_sheet(
        &mut book,
        &[
            (
                0,
                "",
                "为做好汛期尾矿库安全工作，现将包保责任安排通知如下。",
            ),
            (1, "压实包保责任", "各包保责任人要按附件所列分工履职。"),
            (2, "加强巡查。", "汛期每周至少巡查一次。"),
            (
                0,
                "",
                "各街道办事处和区直有关单位要牢固树立安全发展理念坚持人民至上生命至上把尾矿库安全度汛作为当前安全生产工作的重中之重切实加强组织领导周密安排部署层层压实责任确保各项防范措施落实到位坚决防范遏制各类生产安全事故发生。",
            ),
        ],
    );
    let mut rows = vec![
        vec![
            V::S("东湖区尾矿库包保责任人一览表"),
            V::E,
            V::E,
            V::E,
            V::E,
            V::E,
            V::E,
            V::E,
        ],
        vec![
            V::S("序号"),
            V::S("尾矿库名称"),
            V::S("所在街道"),
            V::S("包保责任人"),
            V::E,
            V::E,
            V::S("联系电话"),
            V::S("备注"),
        ],
        vec![
            V::E,
            V::E,
            V::E,
            V::S("区级"),
            V::S("街道级"),
            V::S("企业"),
            V::E,
            V::E,
        ],
    ];
    for n in 1..=12 {
        rows.push(vec![
            V::O(n.to_string()),
            V::O(format!("东湖第{n}尾矿库")),
            V::S(if n <= 6 {
                "湖滨街道"
            } else {
                "山前街道"
            }),
            V::S(if n <= 6 { "陈区长" } else { "林区长" }),
            V::O(format!("街道干部{n}")),
            V::O(format!("库长{n}")),
            V::O(format!("1380000{n:04}")),
            V::E,
        ]);
    }
    write_sheet(
        &mut book,
        "附件1",
        &rows,
        &[
            (0, 0, 0, 7),
            (1, 0, 2, 0),
            (1, 1, 2, 1),
            (1, 2, 2, 2),
            (1, 3, 1, 5),
            (1, 6, 2, 6),
            (1, 7, 2, 7),
            (3, 2, 8, 2),
            (9, 2, 14, 2),
            (3, 3, 8, 3),
            (9, 3, 14, 3),
        ],
    );
    write_sheet(
        &mut book,
        "附件2 应急物资储备表",
        &[
            vec![V::S("物资名称"), V::S("储备/数量"), V::S("储备/存放地点")],
            vec![V::S("编织袋"), V::S("5000条"), V::S("区应急物资库")],
            vec![V::S("抽水泵"), V::S("12台"), V::S("区应急物资库")],
        ],
        &[],
    );
    book.save(path).unwrap();
}

#[test]
fn an_unseen_notice_with_a_merged_header_register_builds_from_input_only() {
    let p = Project::new();
    unseen_notice(&p.input("东湖通知.xlsx"));
    let (_, err) = build(&p);
    assert!(!err.contains("警告"), "{err}");
    let pdf = p.output("东湖通知.pdf");
    let text = pdf_text(&pdf);
    assert_holds(
        &text,
        &[
            "东湖区安全生产委员会文件",
            "东安委〔2026〕3号",
            "一、压实包保责任",
            "（一）加强巡查。汛期每周至少巡查一次。",
            "附件：1.东湖区尾矿库包保责任人一览表",
            "2.应急物资储备表",
            "附件1",
            "东湖区尾矿库包保责任人一览表",
            "包保责任人",
            "东湖第12尾矿库",
            "附件2",
            "应急物资储备表",
            "储备",
            "存放地点",
            "抄送：区委办公室，区政府办公室。",
        ],
        "东湖通知",
    );
    assert_eq!(
        text.matches("湖滨街道").count(),
        1,
        "merged over six rows, printed once"
    );
    assert_eq!(text.matches("陈区长").count(), 1);
    let xlsx = p.output("东湖通知.xlsx");
    assert_eq!(sheet_names(&xlsx), ["附件1", "附件2 应急物资储备表"]);
    let m = merged(&xlsx, "附件1");
    for span in [(1, 3, 1, 5), (1, 0, 2, 0), (3, 2, 8, 2), (9, 3, 14, 3)] {
        assert!(m.contains(&span), "{span:?} missing from {m:?}");
    }
    let a2 = read_sheet(&xlsx, "附件2 应急物资储备表");
    assert_eq!(a2[0][0], "应急物资储备表", "the title from the sheet name");
    assert_eq!(a2[1][1], "储备");
    assert_eq!(a2[2][1..3], ["数量", "存放地点"]);
}

/// A project with the made-up 文种 情况通报, whose template declares its own sheet 检查记录.
pub(crate) fn made_up_kind_project() -> Project {
    let p = Project::new();
    let templates = p.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/projects/自定义文种/templates/情况通报.typ.tera"),
        templates.join("情况通报.typ.tera"),
    )
    .unwrap();
    p
}

/// A 情况通报 workbook whose 检查记录 has a title, a two-row header (检查结果 over 检查情况 and
/// 整改要求, drawn with merged cells) and `rows`.
pub(crate) fn made_up_kind_workbook(rows: Vec<Vec<V>>) -> Workbook {
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("情况通报")),
            ("发文机关", V::S("清河县应急管理局")),
            ("标题", V::S("关于汛前安全检查情况的通报")),
            ("主送机关", V::S("各乡镇人民政府")),
            ("成文日期", V::D(2026, 4, 2)),
            ("开头", V::S("3月下旬，我局组织开展了汛前安全检查。")),
        ],
    );
    let mut sheet = vec![
        vec![V::S("汛前安全检查记录"), V::E, V::E, V::E, V::E, V::E, V::E],
        vec![
            V::S("序号"),
            V::S("被检查单位"),
            V::S("检查日期"),
            V::S("风险等级"),
            V::S("检查结果"),
            V::E,
            V::S("隐患数"),
        ],
        vec![
            V::E,
            V::E,
            V::E,
            V::E,
            V::S("检查情况"),
            V::S("整改要求"),
            V::E,
        ],
    ];
    sheet.extend(rows);
    let merges = [
        (0, 0, 0, 6),
        (1, 0, 2, 0),
        (1, 1, 2, 1),
        (1, 2, 2, 2),
        (1, 3, 2, 3),
        (1, 4, 1, 5),
        (1, 6, 2, 6),
    ];
    write_sheet(&mut book, "检查记录", &sheet, &merges);
    book
}

/// Two 检查记录 rows: one with a date cell and a number, one with both written as text.
pub(crate) fn made_up_kind_rows() -> Vec<Vec<V>> {
    vec![
        vec![
            V::N(1.0),
            V::S("清源矿业有限公司"),
            V::D(2026, 3, 25),
            V::S("一般"),
            V::S("排洪设施完好。"),
            V::E,
            V::N(0.0),
        ],
        vec![
            V::N(2.0),
            V::S("青山石料厂"),
            V::S("2026/3/26"),
            V::S("较大"),
            V::S("边坡有浮石。"),
            V::S("在4月10日前清除浮石。"),
            V::S("2"),
        ],
    ]
}

#[test]
fn a_made_up_kind_builds_from_its_own_template_only() {
    let p = made_up_kind_project();
    let mut book = made_up_kind_workbook(made_up_kind_rows());
    book.save(p.input("汛前检查通报.xlsx")).unwrap();
    let check = p.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let (_, err) = build(&p);
    assert!(!err.contains("警告"), "{err}");
    let text = pdf_text(&p.output("汛前检查通报.pdf"));
    assert_holds(
        &text,
        &[
            "清河县应急管理局文件",
            "关于汛前安全检查情况的通报",
            "3月下旬，我局组织开展了汛前安全检查。本次共检查2个单位",
            "一、检查情况",
            "1.清源矿业有限公司（2026年3月25日检查，风险等级一般，隐患0个）：排洪设施完好。",
            // A date written as text prints as a date; a whole number written as text, as one.
            "2.青山石料厂（2026年3月26日检查，风险等级较大，隐患2个）：边坡有浮石。",
            "二、整改要求",
            "青山石料厂要在4月10日前清除浮石。",
            "2026年4月2日",
        ],
        "情况通报",
    );
    // Its own sheet in the XLSX, with its title and its two-row header kept.
    let xlsx = p.output("汛前检查通报.xlsx");
    assert_eq!(sheet_names(&xlsx), ["检查记录"]);
    let rows = read_sheet(&xlsx, "检查记录");
    assert_eq!(rows[0][0], "汛前安全检查记录");
    assert_eq!(
        rows[1][1], "单位",
        "the synonym reads as the declared column"
    );
    assert_eq!(rows[1][4], "检查结果");
    assert_eq!(rows[2][4..6], ["检查情况", "整改要求"]);
    assert_eq!(rows[3][2], rows[3][2].trim());
    assert!(
        merged(&xlsx, "检查记录").contains(&(1, 4, 1, 5)),
        "{:?}",
        merged(&xlsx, "检查记录")
    );
    // Both dates are dates in the XLSX, whichever way they were written.
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = calamine::Reader::worksheet_range(&mut book, "检查记录").unwrap();
    for r in [3, 4] {
        let cell = range.get_value((r, 2)).unwrap();
        assert!(
            matches!(cell, calamine::Data::DateTime(_)),
            "row {r}: {cell:?}"
        );
    }
    // Without its sheet, the made-up kind says what it needs.
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("情况通报")),
            ("发文机关", V::S("清河县应急管理局")),
            ("标题", V::S("通报")),
            ("成文日期", V::D(2026, 4, 2)),
        ],
    );
    book.save(p.input("缺表.xlsx")).unwrap();
    let out = p.run(&["check", "input/缺表.xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("文种「情况通报」需要工作表「检查记录」，但工作簿中没有"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_made_up_kinds_own_sheet_is_checked_as_declared_with_every_problem_at_its_cell() {
    let p = made_up_kind_project();
    let mut book = made_up_kind_workbook(vec![
        vec![
            V::N(1.0),
            V::S("清源矿业有限公司"),
            V::S("3月25日"),
            V::S("很高"),
            V::S("排洪设施完好, 巡查记录齐全。"),
            V::E,
            V::S("两个"),
        ],
        vec![
            V::N(3.0),
            V::E,
            V::D(2026, 3, 26),
            V::S("一般"),
            V::S("排洪设施完好，巡查记录齐全。"),
            V::E,
            V::N(1.5),
        ],
    ]);
    book.save(p.input("有错.xlsx")).unwrap();
    let out = p.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        // Errors, each at its cell, with the value and what to do.
        "工作表「检查记录」 单元格 C4（第4行）：「检查日期」的内容“3月25日”不是日期",
        "工作表「检查记录」 单元格 D4（第4行）：「风险等级」的内容“很高”不是可选的值",
        "请从这些值中选择一个：重大、较大、一般、低",
        "工作表「检查记录」 单元格 G4（第4行）：「隐患数」的内容“两个”不是整数",
        "工作表「检查记录」 单元格 B5（第5行）：「单位」为空",
        "工作表「检查记录」 单元格 G5（第5行）：「隐患数」的内容“1.5”不是整数",
        // The supervisor's checks the declaration turns on, in the same run.
        "「检查记录」的序号从1跳到3，缺少2",
        "「检查记录」中的这一项与第4行（序号1）",
        "单元格 E4（第4行）",
    ] {
        assert!(err.contains(expected), "lacks “{expected}”:\n{err}");
    }
    // A required column missing from the header, with the header probably meant.
    let p = made_up_kind_project();
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("情况通报")),
            ("发文机关", V::S("清河县应急管理局")),
            ("标题", V::S("通报")),
            ("成文日期", V::D(2026, 4, 2)),
        ],
    );
    let rows = [
        vec![
            V::S("序号"),
            V::S("单位"),
            V::S("检查时间"),
            V::S("检查情况"),
        ],
        vec![
            V::N(1.0),
            V::S("清源矿业有限公司"),
            V::D(2026, 3, 25),
            V::S("排洪设施完好。"),
        ],
    ];
    write_sheet(&mut book, "检查记录", &rows, &[]);
    book.save(p.input("缺列.xlsx")).unwrap();
    let out = p.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("工作表「检查记录」 单元格 A1（第1行）：「检查记录」的表头缺少列「检查日期」")
            && err.contains("表头中的「检查时间」是不是「检查日期」？"),
        "{err}"
    );
}

#[test]
fn gongwen_new_writes_a_made_up_kinds_own_sheet_with_its_columns_dropdowns_and_examples() {
    let p = made_up_kind_project();
    let new = p.run(&["new", "情况通报"]);
    assert!(new.status.success(), "{}", stderr(&new));
    let path = p.input("情况通报.xlsx");
    assert_eq!(sheet_names(&path), ["文件信息", "检查记录", "说明"]);
    let rows = read_sheet(&path, "检查记录");
    assert_eq!(
        rows[0],
        [
            "序号",
            "单位",
            "检查日期",
            "风险等级",
            "检查情况",
            "整改要求",
            "隐患数"
        ]
    );
    assert_eq!(rows.len(), 3, "the two example rows the template declares");
    assert_eq!(rows[2][1], "青山石料厂");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("xl/worksheets/sheet2.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(
        xml.contains("重大,较大,一般,低"),
        "the 风险等级 dropdown: {xml}"
    );
    assert!(xml.contains("type=\"date\""), "the 检查日期 date check");
    assert!(
        xml.contains("promptTitle=\"单位\""),
        "a prompt on the header"
    );
    // The blank workbook checks clean and builds.
    let check = p.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stderr(&check).is_empty(), "{}", stderr(&check));
    build(&p);
    assert!(p.output("情况通报.pdf").is_file());
    assert_eq!(sheet_names(&p.output("情况通报.xlsx")), ["检查记录"]);
}
