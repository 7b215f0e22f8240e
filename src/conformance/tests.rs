//! Every clause, passed and failed on synthetic pages: the four ideal documents of
//! [`super::synthetic`] pass every clause that applies, and for each clause a named mutation of
//! one of them makes that clause fail (alone, or with the few others the change must also
//! break, listed).

use std::collections::BTreeSet;

use typst::visualize::Color;

use super::synthetic::*;
use super::*;

/// One clause's failing case: `mutate` changes the ideal document `doc` so that `clause` fails,
/// and with it exactly the clauses in `also`.
struct Mutation {
    clause: &'static str,
    doc: fn() -> Doc,
    what: &'static str,
    mutate: fn(&mut Doc),
    also: &'static [&'static str],
}

fn m(clause: &'static str, doc: fn() -> Doc, what: &'static str, mutate: fn(&mut Doc)) -> Mutation {
    Mutation {
        clause,
        doc,
        what,
        mutate,
        also: &[],
    }
}

impl Mutation {
    fn with(self, also: &'static [&'static str]) -> Mutation {
        Mutation { also, ..self }
    }
}

/// The clauses that only report what is missing (the element they look for is not there): on a
/// page that has it they report nothing, and the clauses about the element's place are measured
/// instead.
const PRESENCE: &[&str] = &[
    "7.2.4 发文机关标志",
    "7.2.5 发文字号",
    "7.2.7 版头分隔线",
    "7.3.1 标题",
    "7.3.5 署名与成文日期",
    "7.3.6 附注",
    "简报 报头名称",
    "简报 期号",
    "简报 报头日期",
    "简报 报头红线",
    "简报 报尾",
];

fn table(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let mark = match f.verdict {
                Verdict::Pass => "✓",
                Verdict::Fail => "✗",
                Verdict::Unmeasured => "–",
            };
            format!("{mark} {} | {} | {}\n", f.clause, f.expected, f.measured)
        })
        .collect()
}

fn failed(findings: &[Finding]) -> BTreeSet<&'static str> {
    findings
        .iter()
        .filter(|f| f.failed())
        .map(|f| f.clause)
        .collect()
}

const RIGHT: f64 = LEFT + AREA.0;

/// Moves a horizontal rule down by `dy`.
fn lower(r: &mut Rule, dy: f64) {
    r.y += dy;
    r.y2 += dy;
}

fn mutations() -> Vec<Mutation> {
    vec![
        // 5 The page and its grid.
        m("5.1 幅面", upward, "page 2 is US Letter", |d| {
            d.page(2).width = 215.9;
            d.page(2).height = 279.4;
        }),
        m(
            "5.2.1 天头（版心上边）",
            downward,
            "a run on page 1 above the 版心",
            |d| d.page(1).texts.push(run("草稿", LEFT, TOP - 1.0, BODY_PT)),
        ),
        m(
            "5.2.1 订口（版心左边）",
            downward,
            "a run on page 1 left of the 版心",
            |d| d.page(1).texts.push(at("草稿", LEFT - 3.0, 2)),
        ),
        m(
            "5.2.1 版心右边",
            downward,
            "a run on page 1 past the 版心's right edge",
            |d| d.page(1).texts.push(at("草稿", RIGHT - 5.0, 2)),
        ),
        m(
            "5.2.1 版心下边",
            downward,
            "a 4号 run on page 1 below the 版心",
            |d| d.page(1).texts.push(run("草稿", LEFT, 268.0, 14.0)),
        ),
        m(
            "5.2.1 天头 37 mm（续页首行顶端）",
            downward,
            "pages 2 and 3 start one line low",
            |d| {
                for n in [2, 3] {
                    for t in d.page(n).texts.iter_mut().filter(|t| !is_page_number(t)) {
                        shift(t, 0.0, pitch());
                    }
                }
            },
        ),
        m(
            "5.2.3 行距（每面22行撑满版心）",
            upward,
            "a line of page 2 half a millimetre low",
            |d| shift(d.line(2, 10), 0.0, 0.5),
        ),
        m(
            "5.2.3 每面22行",
            upward,
            "page 2 runs on to page 3 after 21 lines",
            |d| {
                let last = slot(21);
                d.page(2).texts.retain(|t| (t.baseline - last).abs() > 0.1);
            },
        ),
        m(
            "5.2.3 每行28字",
            upward,
            "a full line of 27 characters",
            |d| d.line(2, 10).text = han(27),
        ),
        m(
            "7.3.3 段首空二字",
            upward,
            "a paragraph indented 0.6 mm too far",
            |d| {
                let t = d.line(1, 14);
                t.x += 0.6;
                t.width -= 0.6;
            },
        ),
        // 7.2 版头.
        m("7.2.4 发文机关标志", downward, "no 标志", |d| {
            d.remove(1, "某某市人民政府文件")
        }),
        m(
            "7.2.4 发文机关标志上边缘距版心上边缘 35 mm",
            downward,
            "the 标志 2 mm low",
            |d| d.shift(1, "某某市人民政府文件", 0.0, 2.0),
        ),
        m(
            "10.1 信函标志上边缘距纸张上边缘 30 mm",
            letter,
            "the 标志's ink reaches 2 mm higher",
            |d| d.text(1, ORGAN).ink_top -= 2.0,
        ),
        m(
            "7.2.4 发文机关标志居中",
            downward,
            "the 标志 2 mm right",
            |d| d.shift(1, "某某市人民政府文件", 2.0, 0.0),
        ),
        m(
            "7.2.4 / 6.2 标志颜色（红色 Y80 M80）",
            downward,
            "the 标志 in Typst's RGB red",
            |d| d.text(1, "某某市人民政府文件").fill = Some(Color::RED),
        ),
        m(
            "7.2.4 标志字体（小标宋）",
            downward,
            "the 标志 in FandolSong Regular",
            |d| d.text(1, "某某市人民政府文件").weight = 400,
        ),
        m(
            "7.2.1–7.2.3 份号、密级和保密期限、紧急程度",
            upward,
            "no 紧急程度",
            |d| d.remove(1, "特急"),
        ),
        m(
            "7.2.1–7.2.3 版头左上角各要素顶格、依次各占一行",
            upward,
            "the 密级 1 mm right",
            |d| d.shift(1, "机密★1年", 1.0, 0.0),
        ),
        m(
            "7.2.2 / 7.2.3 密级、紧急程度用3号黑体",
            upward,
            "the 紧急程度 in 仿宋",
            |d| d.text(1, "特急").family = FANG.to_string(),
        ),
        m(
            "7.2.5 发文字号",
            downward,
            "a 发文字号 not printed",
            |d| d.expect.doc_number = Some("某政〔2025〕9号".to_string()),
        ),
        m(
            "7.2.5 发文字号字号（3号）",
            downward,
            "the 发文字号 in 15 pt",
            |d| d.text(1, DOWN_NUMBER).size_pt = 15.0,
        ),
        m(
            "7.2.5 发文字号内无空格",
            downward,
            "a space in the 发文字号",
            |d| {
                let spaced = "某政〔2025〕 8号";
                d.text(1, DOWN_NUMBER).text = spaced.to_string();
                d.expect.doc_number = Some(spaced.to_string());
            },
        ),
        m(
            "7.2.5 上行文发文字号居左空一字",
            upward,
            "the 发文字号 1 mm right",
            |d| d.shift(1, NUMBER, 1.0, 0.0),
        ),
        m(
            "7.2.6 签发人居右空一字",
            upward,
            "the 签发人 block 1 mm right",
            |d| {
                for name in ["签发人：", "张三丰", "李四光", "王五一"] {
                    d.shift(1, name, 1.0, 0.0);
                }
            },
        ),
        m(
            "7.2.5 / 7.2.6 发文字号与最后一个签发人同行",
            upward,
            "the last 签发人 a line below the 发文字号",
            |d| d.shift(1, "王五一", 0.0, pitch()),
        ),
        m(
            "7.2.6 签发人姓名用楷体",
            upward,
            "a 签发人 in 仿宋",
            |d| d.text(1, "李四光").family = FANG.to_string(),
        ),
        m(
            "7.2.6 “签发人”用仿宋",
            upward,
            "“签发人：” in 楷体",
            |d| d.text(1, "签发人：").family = KAI.to_string(),
        ),
        m(
            "7.2.5 发文字号居中",
            downward,
            "the 发文字号 1 mm right",
            |d| d.shift(1, DOWN_NUMBER, 1.0, 0.0),
        ),
        m("7.2.7 版头分隔线", downward, "no red rule", |d| {
            d.page(1).rules.clear()
        }),
        m(
            "7.2.7 分隔线在发文字号之下 4 mm",
            downward,
            "the red rule 1 mm low",
            |d| lower(&mut d.page(1).rules[0], 1.0),
        ),
        m(
            "7.2.7 分隔线与版心等宽",
            downward,
            "the red rule 2 mm short",
            |d| d.page(1).rules[0].x2 -= 2.0,
        ),
        m(
            "7.2.7 分隔线左端",
            downward,
            "the red rule 1 mm right",
            |d| {
                let r = &mut d.page(1).rules[0];
                r.x1 += 1.0;
                r.x2 += 1.0;
            },
        )
        .with(&["5.2.1 版心右边"]),
        m("7.3.1 标题", downward, "no title", |d| {
            d.page(1).texts.retain(|t| t.size_pt != 22.0)
        }),
        m(
            "7.3.1 标题字号（2号）与字体（小标宋）",
            upward,
            "the title in FandolSong Regular",
            |d| {
                for t in d.page(1).texts.iter_mut().filter(|t| t.size_pt == 22.0) {
                    t.weight = 400;
                }
            },
        ),
        m(
            "7.3.1 / 10.1 标题上空二行",
            upward,
            "the title 3 mm high",
            |d| {
                for t in d.page(1).texts.iter_mut().filter(|t| t.size_pt == 22.0) {
                    shift(t, 0.0, -3.0);
                }
            },
        ),
        m(
            "7.3.1 标题居中",
            upward,
            "the title's second line 2 mm right",
            |d| d.shift(1, "专项整治情况的报告", 2.0, 0.0),
        ),
        // 10.1 信函.
        m(
            "10.1 信函发文字号居右顶格",
            letter,
            "the 发文字号 1 mm left",
            |d| d.shift(1, NUMBER, -1.0, 0.0),
        ),
        m(
            "10.1 信函上下双线",
            letter,
            "a third red line between the upper pair",
            |d| {
                let mut extra = d.page(1).rules[0].clone();
                lower(&mut extra, 0.4);
                extra.thickness = 0.1;
                d.page(1).rules.insert(1, extra);
            },
        ),
        m(
            "10.1 上双线距标志 4 mm",
            letter,
            "the 标志's ink reaches 1 mm lower",
            |d| d.text(1, ORGAN).ink_bottom += 1.0,
        ),
        m(
            "10.1 双线外粗内细（上双线上粗下细，下双线上细下粗）",
            letter,
            "the upper pair thin above thick",
            |d| {
                let rules = &mut d.page(1).rules;
                let (a, b) = (rules[0].thickness, rules[1].thickness);
                rules[0].thickness = b;
                rules[1].thickness = a;
            },
        ),
        m(
            "10.1 双线长 170 mm",
            letter,
            "the upper pair's thick line 2 mm short",
            |d| d.page(1).rules[0].x2 -= 2.0,
        ),
        m(
            "10.1 双线长 170 mm",
            letter,
            "the upper pair's thin line 2 mm short",
            |d| d.page(1).rules[1].x2 -= 2.0,
        ),
        m(
            "10.1 双线居中",
            letter,
            "the lower pair's thick line 1 mm right",
            |d| {
                let r = &mut d.page(1).rules[3];
                r.x1 += 1.0;
                r.x2 += 1.0;
            },
        ),
        m(
            "10.1 双线居中",
            letter,
            "the lower pair 1 mm right",
            |d| {
                for r in &mut d.page(1).rules[2..] {
                    r.x1 += 1.0;
                    r.x2 += 1.0;
                }
            },
        ),
        m(
            "10.1 下双线距纸张下边 20 mm",
            letter,
            "the lower pair 1 mm high",
            |d| {
                for r in &mut d.page(1).rules[2..] {
                    lower(r, -1.0);
                }
            },
        ),
        // 简报's masthead.
        m("简报 报头名称", bulletin, "no 简报名称", |d| {
            d.remove(1, "安全生产工作简报")
        }),
        m(
            "简报 报头名称（红色小标宋、大于2号字）",
            bulletin,
            "the name in FandolSong Regular",
            |d| d.text(1, "安全生产工作简报").weight = 400,
        ),
        m(
            "简报 报头名称居中",
            bulletin,
            "the name 2 mm right",
            |d| d.shift(1, "安全生产工作简报", 2.0, 0.0),
        ),
        m("简报 期号", bulletin, "a 期号 not printed", |d| {
            if let Some(head) = &mut d.expect.masthead {
                head.issue = Some("第6期".to_string());
            }
        }),
        m(
            "简报 期号居中于名称之下",
            bulletin,
            "the 期号 1 mm right",
            |d| d.shift(1, "第5期", 1.0, 0.0),
        ),
        m(
            "简报 报头日期",
            bulletin,
            "no date under the name",
            |d| d.remove(1, DATE),
        ),
        m("简报 日期居右", bulletin, "the date 1 mm left", |d| {
            d.shift(1, DATE, -1.0, 0.0)
        }),
        m(
            "简报 编印单位居左",
            bulletin,
            "the 编印单位 1 mm right",
            |d| d.shift(1, UNIT, 1.0, 0.0),
        ),
        m(
            "简报 编印单位与日期同行",
            bulletin,
            "the 编印单位 a line above the date",
            |d| d.shift(1, UNIT, 0.0, -pitch()),
        ),
        m("简报 报头红线", bulletin, "no red rule", |d| {
            d.page(1).rules.clear()
        }),
        m(
            "简报 报头红线与版心等宽",
            bulletin,
            "the red rule 2 mm short",
            |d| d.page(1).rules[0].x2 -= 2.0,
        ),
        m(
            "简报 报头红线左端",
            bulletin,
            "the red rule 1 mm right",
            |d| {
                let r = &mut d.page(1).rules[0];
                r.x1 += 1.0;
                r.x2 += 1.0;
            },
        )
        .with(&["5.2.1 版心右边"]),
        m(
            "简报 报头红线在报头与正文之间",
            bulletin,
            "the red rule through the 栏目 under it",
            |d| {
                let r = &mut d.page(1).rules[0];
                lower(r, slot(7) - 3.0 - r.y);
            },
        ),
        // 7.3 主体.
        m(
            "7.3.3 首页显示正文",
            downward,
            "nothing under the title on page 1",
            |d| {
                let title = d.text(1, "关于做好汛期安全生产工作的通知").baseline;
                d.page(1)
                    .texts
                    .retain(|t| t.baseline <= title || is_page_number(t));
            },
        ),
        m(
            "7.3.3 层次与正文字体（一、黑体 （一）楷体 正文仿宋）",
            upward,
            "a 一、 heading in 仿宋",
            |d| d.text(1, "一、总体情况").family = FANG.to_string(),
        ),
        m(
            "7.3.5 署名与成文日期",
            upward,
            "a date not printed",
            |d| d.expect.date = Some("2025年7月1日".to_string()),
        ),
        m(
            "7.3.5.1 加盖印章时成文日期右空四字（署名过长时署名顶格居右，日期居中其下）",
            upward,
            "the 落款 and the seal 1 mm left",
            |d| {
                d.shift(3, ORGAN, -1.0, 0.0);
                d.shift(3, DATE, -1.0, 0.0);
                d.page(3).images[0][0] -= 1.0;
            },
        ),
        m(
            "7.3.5.1 署名以成文日期为准居中",
            upward,
            "the 署名 1 mm right",
            |d| d.shift(3, ORGAN, 1.0, 0.0),
        ),
        m(
            "7.3.5.1 印章居中压署名和成文日期",
            upward,
            "the seal 2 mm right",
            |d| d.page(3).images[0][0] += 2.0,
        ),
        m(
            "7.3.5.1 署名和成文日期居印章中心偏下",
            upward,
            "a seal reaching so low its centre is under the 署名",
            |d| d.page(3).images[0][3] = 60.0,
        ),
        m(
            "7.3.5.1 印章顶端上距正文一行之内",
            upward,
            "a seal reaching 14 mm above the last line",
            |d| {
                let seal = &mut d.page(3).images[0];
                seal[1] = 70.0;
                seal[3] = 60.0;
            },
        ),
        m(
            "7.3.5.2 成文日期右空二字",
            letter,
            "the 落款 1 mm left",
            |d| {
                d.shift(2, ORGAN, -1.0, 0.0);
                d.shift(2, DATE, -1.0, 0.0);
            },
        ),
        m(
            "7.3.5.2 署名右空二字",
            downward,
            "the 落款 1 mm left",
            |d| {
                d.shift(3, LONG_ORGAN, -1.0, 0.0);
                d.shift(3, DATE, -1.0, 0.0);
            },
        ),
        m(
            "7.3.5.2 日期首字比署名首字右移二字",
            letter,
            "the 署名 1 mm left",
            |d| d.shift(2, ORGAN, -1.0, 0.0),
        ),
        m(
            "7.3.5.2 日期在署名下一行",
            letter,
            "the 署名 two lines above the date",
            |d| d.shift(2, ORGAN, 0.0, -pitch()),
        ),
        m(
            "7.3.5 落款不单独成页",
            downward,
            "the 落款 alone on page 3",
            |d| {
                let sig = d.text(3, LONG_ORGAN).baseline;
                d.page(3)
                    .texts
                    .retain(|t| t.baseline >= sig - 1.0 || is_page_number(t));
            },
        ),
        m("7.3.6 附注", upward, "a 附注 not printed", |d| {
            d.expect.note = Some("此件依申请公开".to_string())
        }),
        m(
            "7.3.6 附注居左空二字",
            upward,
            "the 附注 1 mm left",
            |d| d.shift(3, "（此件公开发布）", -1.0, 0.0),
        ),
        m(
            "7.3.6 附注在成文日期下一行",
            upward,
            "the 附注 two lines below the date",
            |d| d.shift(3, "（此件公开发布）", 0.0, pitch()),
        ),
        m(
            "7.3.4 附件说明左空二字",
            upward,
            "“附件：” 1 mm left",
            |d| d.shift(3, "附件：1．某某市整改情况统计表", -1.0, 0.0),
        ),
        m(
            "7.3.4 附件说明在正文下空一行",
            upward,
            "the 附件说明 two lines below the body",
            |d| {
                d.shift(3, "附件：1．某某市整改情况统计表", 0.0, pitch());
                d.shift(3, "2．某某市尾矿库一览表", 0.0, pitch());
            },
        ),
        m(
            "7.3.4 附件说明序号与首个名称对齐",
            upward,
            "the second attachment 1 mm right",
            |d| d.shift(3, "2．某某市尾矿库一览表", 1.0, 0.0),
        ),
        m(
            "7.3.7 附件标识 3号黑体",
            upward,
            "“附件1” in 仿宋",
            |d| d.text(4, "附件1").family = FANG.to_string(),
        ),
        m(
            "7.3.7 附件标识顶格",
            upward,
            "“附件1” 1 mm right",
            |d| d.shift(4, "附件1", 1.0, 0.0),
        ),
        m(
            "7.3.7 附件标识在版心第1行（另面编排）",
            upward,
            "“附件1” on the second line",
            |d| d.shift(4, "附件1", 0.0, pitch()),
        ),
        m(
            "7.3.7 附件标题居中于第3行",
            upward,
            "the 附件 title 2 mm low",
            |d| d.shift(4, "某某市整改情况统计表", 0.0, 2.0),
        ),
        m(
            "7.3.7 附件标题居中",
            upward,
            "the 附件 title 2 mm right",
            |d| d.shift(4, "某某市整改情况统计表", 2.0, 0.0),
        ),
        m(
            "7.3.7 附件标题 2号小标宋",
            upward,
            "the 附件 title in FandolSong Regular",
            |d| d.text(4, "某某市整改情况统计表").weight = 400,
        ),
        // 8 Landscape tables.
        m(
            "8 横排表格（表头在每页重复并朝订口/切口一边，字号不小于五号）",
            upward,
            "a table cell in 9 pt",
            |d| d.text(6, "某某尾矿库").size_pt = 9.0,
        ),
        // 7.5 Page numbers.
        m(
            "7.5 页码（4号半角宋体 — N —，版心下 7 mm，单页右空一字、双页左空一字）",
            upward,
            "page 3's number 1 mm right",
            |d| d.shift(3, "— 3 —", 1.0, 0.0),
        ),
        m(
            "7.5 空白页和版记页不编页码",
            upward,
            "page 2 without its number",
            |d| d.drop_folio(2),
        ),
        m(
            "10.1 信函首页不显示页码",
            letter,
            "a page number on page 1",
            |d| {
                let mut folio = d.text(3, "— 3 —").clone();
                folio.text = "— 1 —".to_string();
                d.page(1).texts.push(folio);
            },
        ),
        // 7.4 版记 and a 简报's 报尾.
        m(
            "10.1 信函版记不加印发行和分隔线",
            letter,
            "a black rule over the 抄送",
            |d| {
                d.page(3)
                    .rules
                    .push(rule(LEFT, 250.0, AREA.0, 0.35, Color::BLACK));
            },
        ),
        m(
            "10.1 信函版记在最后一页版心最下方（不单独成页）",
            letter,
            "the 落款 three lines higher, leaving room for the 版记",
            |d| {
                d.shift(2, ORGAN, 0.0, -3.0 * pitch());
                d.shift(2, DATE, 0.0, -3.0 * pitch());
            },
        ),
        m(
            "7.4.1 版记在偶数页（最后一面）",
            upward,
            "no blank page before the 版记",
            |d| {
                d.pages.remove(6);
                d.page(7).number = 7;
            },
        ),
        m(
            "7.4.1 版记末条分隔线与版心下边缘重合",
            upward,
            "the last 版记 rule 1 mm high",
            |d| lower(&mut d.page(8).rules[2], -1.0),
        ),
        m(
            "7.4.1 版记分隔线（首末 0.35 mm，中间 0.25 mm，与版心等宽）",
            upward,
            "the middle 版记 rule 0.35 mm",
            |d| d.page(8).rules[1].thickness = 0.35,
        ),
        m(
            "7.4.2 版记用4号字",
            upward,
            "the 抄送 in 12 pt",
            |d| {
                d.text(
                    8,
                    "抄送：某某市应急管理局，某某县应急管理局，某某市人民政府，",
                )
                .size_pt = 12.0
            },
        ),
        m(
            "7.4.2 抄送左空一字",
            upward,
            "the 抄送 1 mm left",
            |d| {
                d.shift(
                    8,
                    "抄送：某某市应急管理局，某某县应急管理局，某某市人民政府，",
                    -1.0,
                    0.0,
                )
            },
        )
        // Its wrapped line no longer starts under the first character after the colon.
        .with(&["7.4.2 抄送回行时与冒号后的首字对齐"]),
        m(
            "7.4.2 抄送回行时与冒号后的首字对齐",
            upward,
            "the 抄送's wrapped line 1 mm left",
            |d| d.shift(8, "某某县人民政府。", -1.0, 0.0),
        ),
        m(
            "简报 报尾回行与冒号后首字对齐",
            bulletin,
            "the 报's wrapped line 1 mm right",
            |d| d.shift(2, "县人民政府。", 1.0, 0.0),
        ),
        m(
            "7.4.3 印发日期右空一字",
            upward,
            "the 印发日期 1 mm right",
            |d| d.shift(8, "2025年6月30日印发", 1.0, 0.0),
        ),
        m(
            "简报 报尾",
            bulletin,
            "no rules at the foot of the last page",
            |d| d.page(2).rules.clear(),
        ),
        m(
            "简报 报尾末条分隔线与版心下边缘重合",
            bulletin,
            "the last 报尾 rule 1 mm high",
            |d| lower(&mut d.page(2).rules[2], -1.0),
        ),
        m(
            "简报 报尾分隔线（首末 0.35 mm，中间 0.25 mm，与版心等宽）",
            bulletin,
            "the middle 报尾 rule 0.35 mm",
            |d| d.page(2).rules[1].thickness = 0.35,
        ),
        m(
            "简报 报尾用4号字",
            bulletin,
            "the 报 line in 12 pt",
            |d| {
                d.text(
                    2,
                    "报：某某省人民政府，某某省应急管理厅，某某市人民政府，某某",
                )
                .size_pt = 12.0
            },
        ),
        m(
            "简报 报送左空一字",
            bulletin,
            "the 报 line 1 mm left",
            |d| {
                d.shift(
                    2,
                    "报：某某省人民政府，某某省应急管理厅，某某市人民政府，某某",
                    -1.0,
                    0.0,
                )
            },
        )
        .with(&["简报 报尾回行与冒号后首字对齐"]),
    ]
}

#[test]
fn every_ideal_document_passes_every_clause_that_applies() {
    for (name, doc) in documents() {
        let findings = doc.findings();
        let bad: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.verdict != Verdict::Pass)
            .collect();
        assert!(bad.is_empty(), "{name}:\n{}", table(&findings));
    }
}

#[test]
fn each_mutation_fails_its_clause_and_only_the_clauses_it_names() {
    let mut wrong = Vec::new();
    for case in mutations() {
        let mut doc = (case.doc)();
        (case.mutate)(&mut doc);
        let findings = doc.findings();
        let got = failed(&findings);
        let want: BTreeSet<&str> = std::iter::once(case.clause)
            .chain(case.also.iter().copied())
            .collect();
        if got != want {
            wrong.push(format!(
                "{} ({}): failed {got:?}\n{}",
                case.clause,
                case.what,
                table(&findings)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every clause named in the checks' source (string literals that start with a clause number
/// and a word, or with 简报), outside the tests.
fn clauses_in_source() -> BTreeSet<String> {
    let sources = [
        include_str!("mod.rs"),
        include_str!("page.rs"),
        include_str!("head.rs"),
        include_str!("body.rs"),
        include_str!("end.rs"),
    ];
    let clause = regex::Regex::new(
        r#""((?:\d+(?:\.\d+)*(?:–\d+(?:\.\d+)*)?(?: / \d+(?:\.\d+)*)* [^\x00-\x7F"]|简报 )[^"]*)""#,
    )
    .expect("a valid pattern");
    sources
        .iter()
        .map(|s| s.split("#[cfg(test)]").next().unwrap_or(s))
        .flat_map(|s| clause.captures_iter(s).map(|c| c[1].to_string()))
        .collect()
}

#[test]
fn every_clause_in_the_source_passes_on_an_ideal_page_and_fails_under_a_mutation() {
    let source = clauses_in_source();
    assert!(source.len() > 90, "{source:?}");
    let passed: BTreeSet<&str> = documents()
        .iter()
        .flat_map(|(_, d)| d.findings())
        .filter(|f| f.verdict == Verdict::Pass)
        .map(|f| f.clause)
        .collect();
    let mutated: BTreeSet<&str> = mutations().iter().map(|m| m.clause).collect();
    let never_passed: Vec<&String> = source
        .iter()
        .filter(|c| !passed.contains(c.as_str()) && !PRESENCE.contains(&c.as_str()))
        .collect();
    assert!(
        never_passed.is_empty(),
        "no ideal document passes {never_passed:?}"
    );
    let passing_presence: Vec<&&str> = PRESENCE.iter().filter(|c| passed.contains(*c)).collect();
    assert!(passing_presence.is_empty(), "{passing_presence:?} passed");
    let never_failed: Vec<&String> = source
        .iter()
        .filter(|c| !mutated.contains(c.as_str()))
        .collect();
    assert!(
        never_failed.is_empty(),
        "no mutation fails {never_failed:?}"
    );
    let unknown: Vec<&&str> = mutated.iter().filter(|c| !source.contains(**c)).collect();
    assert!(
        unknown.is_empty(),
        "mutations name unknown clauses {unknown:?}"
    );
}

#[test]
fn twenty_eight_characters_a_line_is_unmeasured_without_a_full_line_of_han() {
    let mut doc = downward();
    for p in &mut doc.pages {
        for t in &mut p.texts {
            if t.text == han(28) {
                t.text = format!("{}，", han(27));
            }
        }
    }
    let findings = doc.findings();
    let line = findings
        .iter()
        .find(|f| f.clause == "5.2.3 每行28字")
        .expect("the clause is reported");
    assert_eq!(line.verdict, Verdict::Unmeasured, "{line:?}");
    assert!(failed(&findings).is_empty(), "{}", table(&findings));
}

#[test]
fn a_page_shortened_for_the_signature_is_named_as_such() {
    let findings = downward().findings();
    let lines = findings
        .iter()
        .find(|f| f.clause == "5.2.3 每面22行")
        .expect("the clause is reported");
    assert_eq!(lines.verdict, Verdict::Pass);
    assert!(
        lines.measured.contains("第2页为使落款不单独成页而提前转页"),
        "{lines:?}"
    );
}

#[test]
fn a_signature_too_long_to_centre_over_the_date_stands_flush_right_with_the_date_under_it() {
    let mut doc = upward();
    let long = "某某省应急管理厅某某省安全生产委员会办公室";
    doc.expect.signature = Some(long.to_string());
    let date = doc.text(3, DATE).clone();
    let signature = doc.text(3, ORGAN);
    *signature = run(long, 0.0, signature.baseline, BODY_PT);
    let width = signature.width;
    shift(signature, RIGHT - width, 0.0);
    // The date centred under it.
    let dx = RIGHT - width / 2.0 - (date.x + date.width / 2.0);
    doc.shift(3, DATE, dx, 0.0);
    doc.page(3).images[0][0] += dx;
    let findings = doc.findings();
    assert!(failed(&findings).is_empty(), "{}", table(&findings));
    let mut off = doc.clone();
    off.shift(3, DATE, -1.0, 0.0);
    let clause = "7.3.5.1 加盖印章时成文日期右空四字（署名过长时署名顶格居右，日期居中其下）";
    assert!(failed(&off.findings()).contains(clause));
}

#[test]
fn a_turned_pages_label_level_with_the_tables_first_column_is_still_found() {
    let ideal = upward();
    let labels = |doc: &Doc| {
        doc.findings()
            .into_iter()
            .filter(|f| f.clause.starts_with("7.3.7 附件标识"))
            .map(|f| (f.clause, f.verdict))
            .collect::<Vec<_>>()
    };
    let mut doc = ideal.clone();
    // A reader sets the first head cell on the label's line: they share a measured line.
    let level = doc.text(5, "附件2").baseline;
    doc.text(5, "编号").baseline = level;
    assert_eq!(labels(&doc), labels(&ideal));
    assert!(
        labels(&doc).iter().all(|(_, v)| *v == Verdict::Pass),
        "{:?}",
        labels(&doc)
    );
    // And a label in the wrong face there still fails.
    doc.text(5, "附件2").family = FANG.to_string();
    assert!(failed(&doc.findings()).contains("7.3.7 附件标识 3号黑体"));
}

#[test]
fn a_turned_pages_number_is_checked_where_it_stands_on_the_portrait_sheet() {
    let clause = "7.5 页码（4号半角宋体 — N —，版心下 7 mm，单页右空一字、双页左空一字）";
    let mut doc = upward();
    assert!(!failed(&doc.findings()).contains(clause));
    // Page 5 is a landscape register turned onto its sheet: its number 2 mm off its place.
    let number = doc
        .page(5)
        .texts
        .iter_mut()
        .find(|t| t.text.starts_with('—'))
        .expect("page 5 has its number");
    shift(number, 2.0, 0.0);
    assert!(failed(&doc.findings()).contains(clause));
}
