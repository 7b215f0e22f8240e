//! GB/T 9704-2012, measured: every sample and two documents the samples do not resemble (a
//! report and a letter) are laid out, measured from Typst's frames, and checked clause by clause.

use crate::support;

use gongwen::conformance::{Expect, Finding, Format, Verdict, check};
use gongwen::measure::measure;
use gongwen::pipeline::Run;
use gongwen::project::Project as GongwenProject;
use rust_xlsxwriter::Workbook;
use support::{Project, V, body_sheet, info_sheet, repo, write_sheet};

/// Lays out every document of a workbook and checks each; returns all findings and the pages of
/// the first document.
fn conformance(project: &std::path::Path, workbook: &std::path::Path) -> (Vec<Finding>, usize) {
    let (findings, pages) = conformance_pages(project, workbook);
    (findings, pages.len())
}

fn conformance_pages(
    project: &std::path::Path,
    workbook: &std::path::Path,
) -> (Vec<Finding>, Vec<gongwen::measure::PageMeasure>) {
    let run = Run::new(GongwenProject::new(project), false).unwrap();
    let (wb, laid) = run
        .lay_out(workbook)
        .unwrap_or_else(|r| panic!("{:?}", r.items));
    let mut findings = Vec::new();
    let mut first = None;
    for (d, l) in wb.documents.iter().zip(&laid) {
        assert!(l.warnings.is_empty(), "Typst warnings: {:?}", l.warnings);
        let pages = measure(&l.document);
        findings.extend(check(&pages, &run.expect(&wb.validated, &d.doc)));
        first.get_or_insert(pages);
    }
    (findings, first.unwrap_or_default())
}

fn assert_conforms(name: &str, findings: &[Finding], must_have: &[&str]) {
    let table: String = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} | 应为 {} | 实测 {}\n",
                match f.verdict {
                    Verdict::Pass => "✓",
                    Verdict::Fail => "✗",
                    Verdict::Unmeasured => "–",
                },
                f.clause,
                f.expected,
                f.measured
            )
        })
        .collect();
    println!("{name}\n{table}");
    let failed: Vec<_> = findings.iter().filter(|f| f.failed()).collect();
    assert!(failed.is_empty(), "{name} fails GB/T 9704:\n{table}");
    for clause in must_have {
        assert!(
            findings
                .iter()
                .any(|f| f.clause.starts_with(clause) && f.verdict != Verdict::Unmeasured),
            "{name}: clause {clause} was not measured\n{table}"
        );
    }
}

const FILE_CLAUSES: &[&str] = &[
    "5.1",
    "5.2.1 天头",
    "5.2.1 订口",
    "5.2.3 行距",
    "5.2.3 每面22行",
    "5.2.3 每行28字",
    "7.3.3 段首空二字",
    "7.2.4 发文机关标志上边缘",
    "7.2.4 发文机关标志居中",
    "7.2.4 / 6.2",
    "7.2.5 发文字号字号",
    "7.2.7 分隔线在发文字号之下",
    "7.2.7 分隔线与版心等宽",
    "7.3.1 标题字号",
    "7.3.1 / 10.1 标题上空二行",
    "7.3.3 首页显示正文",
    "7.3.3 层次",
    "7.3.5.2",
    "7.3.5 落款不单独成页",
    "7.5 页码",
    "7.4.1 版记在偶数页",
    "7.4.1 版记末条",
    "7.4.1 版记分隔线",
    "7.4.2 版记用4号字",
];

#[test]
fn sample_county_report_conforms() {
    let (f, _) = conformance(&repo(), &repo().join("input/行唐县整改报告.xlsx"));
    let mut clauses = FILE_CLAUSES.to_vec();
    clauses.extend([
        "7.2.5 上行文发文字号居左空一字",
        "7.2.6 签发人居右空一字",
        "7.2.6 签发人姓名用楷体",
        "7.5 空白页",
    ]);
    assert_conforms("行唐县整改报告", &f, &clauses);
}

/// Bold lead-ins on a face without a bold (the 仿宋 stand-in) are drawn with a visible synthetic
/// bold (stroked glyphs), never silently dropped; the rest of the paragraph is not.
#[test]
fn bold_lead_ins_are_synthesised_on_faces_without_bold() {
    let run = Run::new(GongwenProject::new(repo()), false).unwrap();
    let (_, laid) = run
        .lay_out(&repo().join("input/石家庄市整改情况报告.xlsx"))
        .unwrap();
    let pages = measure(&laid[0].document);
    let runs: Vec<_> = pages.iter().flat_map(|p| p.texts.iter()).collect();
    let lead = runs
        .iter()
        .find(|t| t.text.contains("组织开展专项整治"))
        .expect("the lead-in is printed");
    assert!(lead.stroked, "the lead-in “{}” is not bold", lead.text);
    assert_eq!(
        lead.family, "FandolFang R",
        "synthetic bold on the 仿宋 face itself"
    );
    let body = runs
        .iter()
        .find(|t| t.text.contains("严密组织开展"))
        .expect("the body follows");
    assert!(!body.stroked, "the text after the lead-in is not bold");
}

#[test]
fn sample_city_report_conforms() {
    let (f, _) = conformance(&repo(), &repo().join("input/石家庄市整改情况报告.xlsx"));
    assert_conforms("石家庄市整改情况报告", &f, FILE_CLAUSES);
}

#[test]
fn sample_letter_conforms() {
    let (f, _) = conformance(&repo(), &repo().join("input/山西省督办函.xlsx"));
    assert_conforms(
        "山西省督办函",
        &f,
        &[
            "10.1 信函标志上边缘",
            "10.1 信函发文字号居右顶格",
            "10.1 信函上下双线",
            "10.1 上双线距标志",
            "10.1 下双线距纸张下边",
            "10.1 双线长",
            "10.1 信函首页不显示页码",
            "7.5 页码",
            "5.2.3 行距",
        ],
    );
}

/// A report unlike the samples: no 签发人 (centred 发文字号), a three-line title, a long
/// 主送机关, 附注, 抄送 without 印发 line, a body that ends on an odd page.
#[test]
fn an_unseen_report_conforms() {
    let p = Project::new();
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("整改报告")),
            ("发文机关", V::S("平安县应急管理局")),
            ("发文字号", V::S("平应急〔2025〕107号")),
            (
                "标题",
                V::S(
                    "平安县应急管理局关于2025年度危险化学品和烟花爆竹经营单位安全生产专项检查发现问题整改落实情况的报告",
                ),
            ),
            ("主送机关", V::S("平安市应急管理局")),
            ("成文日期", V::S("2025-11-30")),
            ("附注", V::S("联系人：王五，电话：12345678")),
            ("抄送", V::S("平安县人民政府办公室")),
            ("印发机关", V::S("平安县应急管理局办公室")),
            ("印发日期", V::S("2025-12-01")),
        ],
    );
    let mut rows = vec![vec![
        V::S("层面"),
        V::S("存在问题"),
        V::S("整改状态"),
        V::S("整改措施"),
    ]];
    for n in 0..14 {
        let finding = format!(
            "第{}项问题：经营单位安全管理制度执行不到位储存场所警示标志缺失从业人员安全培训记录不全应急预案未按规定组织演练安全生产责任制未逐级落实到岗位和个人隐患排查治理台账内容缺失。",
            n + 1
        );
        rows.push(vec![
            V::S(if n < 9 {
                "经营单位层面"
            } else {
                "监管部门层面"
            }),
            V::O(finding),
            V::S(if n % 3 == 0 { "整改中" } else { "已完成" }),
            V::S("完善安全管理制度并组织全员培训。\n补齐警示标志并建立台账。"),
        ]);
    }
    write_sheet(&mut book, "问题清单", &rows, &[]);
    let path = p.input("平安县危化品.xlsx");
    book.save(&path).unwrap();
    let (f, pages) = conformance(p.path(), &path);
    assert!(pages >= 4);
    let mut clauses = FILE_CLAUSES.to_vec();
    clauses.push("7.2.5 发文字号居中");
    assert_conforms("平安县危化品整改报告", &f, &clauses);
}

/// A letter unlike the sample: 份号, 密级 and 紧急程度, headings of levels 1 to 3, a one-page body.
#[test]
fn an_unseen_letter_conforms() {
    let p = Project::new();
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("督办函")),
            ("发文机关", V::S("东山省应急管理厅")),
            ("发文字号", V::S("东应急函〔2026〕9号")),
            ("份号", V::S("000123")),
            ("紧急程度", V::S("特急")),
            ("标题", V::S("关于立即开展尾矿库汛期安全检查的督办函")),
            ("主送机关", V::S("各市应急管理局，省属有关企业")),
            ("成文日期", V::D(2026, 6, 1)),
            ("联系人", V::S("赵六")),
            ("联系电话", V::S("0351—1234567")),
            ("印章", V::S("是")),
            ("抄送", V::S("省安委办")),
        ],
    );
    body_sheet(
        &mut book,
        &[
            (
                0,
                "",
                "为切实做好汛期尾矿库安全防范工作，现提出如下督办要求：",
            ),
            (
                1,
                "全面排查",
                "各地要立即组织对辖区内尾矿库开展全面排查，重点检查排洪设施、坝体稳定和监测系统运行情况。",
            ),
            (2, "压实责任", "落实地方政府领导包保责任和企业主体责任。"),
            (3, "按时报送", "6月30日前报送排查情况。"),
        ],
    );
    let path = p.input("东山省督办函.xlsx");
    book.save(&path).unwrap();
    // The project provides its seal image; the workbook only says the letter is sealed.
    p.add_seal();
    let (f, _) = conformance(p.path(), &path);
    assert_conforms(
        "东山省督办函",
        &f,
        &[
            "10.1 信函标志上边缘",
            "10.1 信函上下双线",
            "10.1 上双线距标志",
            "10.1 下双线距纸张下边",
            "10.1 信函发文字号居右顶格",
            "7.3.1 标题居中",
            "7.3.3 层次",
            "7.3.5.1 加盖印章时成文日期右空四字",
            "7.3.5.1 署名以成文日期为准居中",
            "7.3.5.1 印章居中压署名和成文日期",
            "7.3.5.1 署名和成文日期居印章中心偏下",
            "7.3.5.1 印章顶端上距正文一行之内",
        ],
    );
}

fn conformance_of_typst(
    fixture: &str,
    signature: &str,
    date: &str,
) -> (Vec<Finding>, Vec<gongwen::measure::PageMeasure>) {
    conformance_of_typst_with(fixture, signature, date, |_| {})
}

/// Lays out a Typst fixture with the repository's style library and checks it; `more` adds what
/// the fixture's header and end carry.
fn conformance_of_typst_with(
    fixture: &str,
    signature: &str,
    date: &str,
    more: impl FnOnce(&mut gongwen::conformance::Expect),
) -> (Vec<Finding>, Vec<gongwen::measure::PageMeasure>) {
    let run = Run::new(GongwenProject::new(repo()), false).unwrap();
    let source =
        std::fs::read_to_string(repo().join("tests/fixtures/typst").join(fixture)).unwrap();
    let date_value = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let compiled = run
        .compiler
        .compile(&source, date_value, "fixture")
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        compiled.warnings.is_empty(),
        "Typst warnings: {:?}",
        compiled.warnings
    );
    let pages = measure(&compiled.document);
    let mut expect = Expect::plain(Format::File, run.faces());
    expect.signature = Some(signature.into());
    expect.date = Some(date.into());
    more(&mut expect);
    (check(&pages, &expect), pages)
}

#[test]
fn attachment_pages_conform() {
    let (f, pages) =
        conformance_of_typst("attachments.typ", "某某市安全生产委员会", "2026年3月2日");
    assert_conforms(
        "附件",
        &f,
        &[
            "7.3.4 附件说明左空二字",
            "7.3.4 附件说明在正文下空一行",
            "7.3.4 附件说明序号与首个名称对齐",
            "7.3.7 附件标识 3号黑体",
            "7.3.7 附件标识顶格",
            "7.3.7 附件标识在版心第1行",
            "7.3.7 附件标题居中于第3行",
            "7.3.7 附件标题 2号小标宋",
            "7.5 页码",
            "7.4.1 版记在偶数页",
        ],
    );
    let landscape: Vec<usize> = pages
        .iter()
        .filter(|p| p.turned)
        .map(|p| p.number)
        .collect();
    assert!(
        !landscape.is_empty(),
        "the wide table is on landscape pages, turned onto portrait sheets"
    );
    assert!(
        pages.iter().all(|p| p.height > p.width),
        "every sheet is portrait"
    );
    for n in &landscape {
        let page = &pages[n - 1];
        let number = page
            .texts
            .iter()
            .find(|t| t.text.trim() == format!("— {n} —"));
        assert!(
            number.is_some_and(|t| (t.size_pt - 14.0).abs() < 0.1),
            "landscape page {n} keeps its page number, 14 pt"
        );
    }
}

#[test]
fn the_signature_never_stands_alone() {
    let (f, pages) =
        conformance_of_typst("stranded-signature.typ", "某某市人民政府", "2024年6月1日");
    assert_conforms("落款", &f, &["7.3.5 落款不单独成页", "7.3.5.2"]);
    let signed = pages
        .iter()
        .find(|p| p.texts.iter().any(|t| t.text == "某某市人民政府"))
        .unwrap();
    let above = signed
        .lines()
        .iter()
        .filter(|l| l[0].size_pt == 16.0 && l[0].baseline < 200.0)
        .count();
    assert!(
        above >= 2,
        "at least two lines of the paragraph stand with the 落款 (found {above})"
    );
}

#[test]
fn header_marks_note_and_a_body_right_after_the_recipient_conform() {
    let (f, _) = conformance_of_typst_with(
        "header-marks.typ",
        "某某市人民政府",
        "2026年3月2日",
        |e| {
            e.marks = vec!["000123".into(), "秘密★1年".into(), "特急".into()];
            e.note = Some("此件公开发布".into());
            e.doc_number = Some("某政〔2026〕1号".into());
        },
    );
    assert_conforms(
        "版头要素",
        &f,
        &[
            "7.2.1–7.2.3 份号",
            "7.2.1–7.2.3 版头左上角各要素顶格",
            "7.2.2 / 7.2.3 密级、紧急程度用3号黑体",
            "7.3.6 附注居左空二字",
            "7.3.6 附注在成文日期下一行",
            "5.2.3 行距",
        ],
    );
}

#[test]
fn three_signers_two_per_line_with_the_number_on_the_last_line() {
    let (f, pages) = conformance_of_typst_with(
        "three-signers.typ",
        "青川县人民政府",
        "2025年10月15日",
        |e| {
            e.doc_number = Some("青府报〔2025〕31号".into());
        },
    );
    assert_conforms(
        "三位签发人",
        &f,
        &[
            "7.2.5 上行文发文字号居左空一字",
            "7.2.6 签发人居右空一字",
            "7.2.5 / 7.2.6 发文字号与最后一个签发人同行",
            "7.2.6 签发人姓名用楷体",
            "7.2.7 分隔线在发文字号之下 4 mm",
        ],
    );
    let first = &pages[0];
    let line_of = |name: &str| {
        first
            .texts
            .iter()
            .find(|t| t.text == name)
            .map(|t| t.baseline)
            .unwrap()
    };
    assert_eq!(line_of("周明远"), line_of("吴海涛"), "two names per line");
    assert!(
        (line_of("郑立群") - line_of("周明远") - gongwen::conformance::pitch()).abs() < 0.1,
        "the third on the next line"
    );
}

#[test]
fn sample_bulletin_conforms() {
    let (f, pages) = conformance(&repo(), &repo().join("input/国家矿山安监局简报.xlsx"));
    assert!(pages >= 6);
    assert_conforms(
        "国家矿山安监局简报",
        &f,
        &[
            "5.2.1 天头",
            "5.2.1 版心右边",
            "5.2.3 行距",
            "5.2.3 每面22行",
            "5.2.3 每行28字",
            "7.3.3 段首空二字",
            "简报 报头名称",
            "简报 报头名称居中",
            "简报 期号居中于名称之下",
            "简报 日期居右",
            "简报 编印单位居左",
            "简报 编印单位与日期同行",
            "简报 报头红线与版心等宽",
            "简报 报头红线在报头与正文之间",
            "简报 报尾末条分隔线与版心下边缘重合",
            "简报 报尾分隔线",
            "简报 报尾用4号字",
            "简报 报送左空一字",
            "7.5 页码",
        ],
    );
}

#[test]
fn sample_notice_with_landscape_registers_conforms() {
    let (f, pages) = conformance_pages(
        &repo(),
        &repo().join("input/西峡县非煤矿山包保责任制通知.xlsx"),
    );
    assert!(
        pages.iter().any(|p| p.turned),
        "the registers are on turned pages"
    );
    assert!(
        pages.iter().all(|p| p.height > p.width),
        "every sheet is portrait"
    );
    let mut clauses = FILE_CLAUSES.to_vec();
    clauses.extend([
        "8 横排表格",
        "7.3.4 附件说明左空二字",
        "7.3.4 附件说明序号与首个名称对齐",
        "7.3.5.1 加盖印章时成文日期右空四字",
        "7.3.5.1 署名以成文日期为准居中",
        "7.3.7 附件标识 3号黑体",
        "7.5 空白页",
    ]);
    assert_conforms("西峡县通知", &f, &clauses);
}

#[test]
fn sample_letter_with_its_task_list_conforms() {
    let (f, _) = conformance(&repo(), &repo().join("input/山西省督办函.xlsx"));
    assert_conforms(
        "山西省督办函（附任务清单）",
        &f,
        &[
            "7.3.4 附件说明左空二字",
            "7.3.7 附件标识 3号黑体",
            "7.3.7 附件标识顶格",
            "7.3.7 附件标识在版心第1行",
            "7.3.7 附件标题居中",
            "10.1 信函版记不加印发行和分隔线",
        ],
    );
}

#[test]
fn every_letter_of_the_sample_batch_conforms() {
    let (f, _) = conformance(&repo(), &repo().join("input/尾矿库汛期安全督办函.xlsx"));
    let letters = f
        .iter()
        .filter(|x| x.clause.starts_with("10.1 信函标志上边缘"))
        .count();
    assert_eq!(letters, 4, "each of the four letters is checked");
    assert_conforms(
        "尾矿库汛期安全督办函",
        &f,
        &["10.1 信函首页不显示页码", "7.3.7 附件标识顶格"],
    );
}

#[test]
fn an_unseen_batch_and_an_unseen_notice_conform() {
    let p = Project::new();
    crate::kinds::unseen_batch(&p.input("江源督办.xlsx"));
    crate::kinds::unseen_notice(&p.input("东湖通知.xlsx"));
    let (f, _) = conformance(p.path(), &p.input("江源督办.xlsx"));
    assert_conforms(
        "江源督办函（批量）",
        &f,
        &["10.1 信函标志上边缘", "7.5 页码"],
    );
    let (f, _) = conformance(p.path(), &p.input("东湖通知.xlsx"));
    let mut clauses = FILE_CLAUSES.to_vec();
    clauses.extend(["8 横排表格", "7.3.7 附件标识 3号黑体"]);
    assert_conforms("东湖通知", &f, &clauses);
}

/// A clause with nothing on the pages to measure says so: neither passed nor failed.
#[test]
fn a_clause_with_nothing_to_measure_says_so() {
    let p = Project::new();
    let mut book = Workbook::new();
    info_sheet(
        &mut book,
        &[
            ("文种", V::S("通知")),
            ("发文机关", V::S("东湖区安全生产委员会")),
            ("标题", V::S("关于做好汛期值班工作的通知")),
            ("主送机关", V::S("各街道办事处")),
            ("成文日期", V::D(2026, 5, 8)),
        ],
    );
    body_sheet(&mut book, &[(0, "", "请各单位安排好汛期值班。")]);
    let path = p.input("短通知.xlsx");
    book.save(&path).unwrap();
    let (f, _) = conformance(p.path(), &path);
    let chars = f
        .iter()
        .find(|x| x.clause == "5.2.3 每行28字")
        .expect("the clause is reported");
    assert_eq!(chars.verdict, Verdict::Unmeasured, "{chars:?}");
    assert!(chars.measured.starts_with("未测量"), "{chars:?}");
    assert!(!chars.failed());
}
