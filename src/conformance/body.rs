//! The body: heading faces, the 落款 and 附注, 附件说明 and 附件 pages (§7.3), landscape
//! tables (§8).

use super::*;

pub(super) fn body(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    let faces = &expect.faces;
    let first_body = pages.first().map(|p| shows_body(p, faces));
    c.push(
        "7.3.3 首页显示正文",
        "第1页有正文",
        if first_body == Some(true) {
            "有"
        } else {
            "没有"
        },
        first_body == Some(true),
    );
    let mut wrong = Vec::new();
    for p in pages {
        for line in body_lines(p) {
            let text: String = line.iter().map(|t| t.text.as_str()).collect();
            let lead = line[0];
            let want = if is_level(&text, &['、']) {
                Some(&faces.hei)
            } else if text.starts_with('（') && text.chars().nth(1).is_some_and(is_cn_digit) {
                Some(&faces.kai)
            } else {
                None
            };
            if let Some(want) = want
                && !role_ok(&lead.family, want, faces)
            {
                wrong.push(format!(
                    "第{}页“{}”用了 {}",
                    p.number,
                    text.chars().take(8).collect::<String>(),
                    lead.family
                ));
            }
            for t in &line {
                let allowed = [&faces.fangsong, &faces.hei, &faces.kai];
                if !allowed.iter().any(|f| role_ok(&t.family, f, faces)) {
                    wrong.push(format!(
                        "第{}页“{}”用了 {}",
                        p.number,
                        t.text.chars().take(8).collect::<String>(),
                        t.family
                    ));
                }
            }
        }
    }
    wrong.dedup();
    c.push(
        "7.3.3 层次与正文字体（一、黑体 （一）楷体 正文仿宋）",
        "各层次用规定字体",
        if wrong.is_empty() {
            "全部符合".to_string()
        } else {
            wrong.join("；")
        },
        wrong.is_empty(),
    );
}

/// Whether page 1 shows body text: a 3号 仿宋 run set in from the 版心's left edge (a paragraph's
/// first line) below the title — the 发文字号 or a 简报's 期号 above the title are not body. A
/// page without a 2号 title is looked at whole.
fn shows_body(first: &PageMeasure, faces: &Faces) -> bool {
    let title = first
        .texts
        .iter()
        .filter(|t| (t.size_pt - 22.0).abs() < 0.1)
        .map(|t| t.baseline)
        .fold(f64::INFINITY, f64::min);
    let below = if title.is_finite() {
        title
    } else {
        f64::NEG_INFINITY
    };
    first
        .texts
        .iter()
        .filter(|t| t.baseline > below)
        .filter(|t| (t.size_pt - BODY_PT).abs() < 0.1 && t.family == faces.fangsong)
        .any(|t| {
            t.x > LEFT + 1.0
                && !t
                    .text
                    .contains(crate::contract::key(crate::contract::KeyId::Signers))
        })
}

/// Whether a line starts a new block: a heading (一、 or （一）) or an 附件 label.
pub(super) fn is_heading(line: &[&TextRun]) -> bool {
    let text: String = line.iter().map(|t| t.text.as_str()).collect();
    is_level(&text, &['、'])
        || (text.starts_with('（') && text.chars().nth(1).is_some_and(is_cn_digit))
        || text.starts_with('【')
        || text
            .strip_prefix(crate::contract::appendix())
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
}

pub(super) fn is_cn_digit(ch: char) -> bool {
    "一二三四五六七八九十".contains(ch)
}

pub(super) fn is_level(text: &str, after: &[char]) -> bool {
    let digits: String = text.chars().take_while(|c| is_cn_digit(*c)).collect();
    !digits.is_empty() && text[digits.len()..].starts_with(after)
}

pub(super) fn signature(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    let (Some(sig), Some(date)) = (expect.signature.as_deref(), expect.date.as_deref()) else {
        return;
    };
    let Some((page, ref s, ref d)) = find_signature(pages, sig, date) else {
        c.push(
            "7.3.5 署名与成文日期",
            format!("{sig} / {date}"),
            "没有找到",
            false,
        );
        return;
    };
    if expect.seal {
        sealed(c, page, s, d);
    } else {
        unsealed(c, s, d);
    }
    c.near(
        "7.3.5.2 日期在署名下一行",
        "日期基线",
        s.baseline + pitch(),
        d.baseline,
        0.3,
    );
    if let Some(note) = expect.note.as_deref() {
        note_under(c, page, d, note);
    }
    let above = page.texts.iter().any(|t| {
        t.baseline < s.baseline - 1.0 && (t.size_pt - BODY_PT).abs() < 0.1 && !is_page_number(t)
    });
    c.push(
        "7.3.5 落款不单独成页",
        "署名页上方有正文",
        if above {
            "有".to_string()
        } else {
            format!("第{}页只有落款", page.number)
        },
        above,
    );
}

/// The page, 署名 and 成文日期 of the 落款: the last date with the 署名 above it (a 版记's
/// 印发日期 may print the same date).
fn find_signature<'a>(
    pages: &'a [PageMeasure],
    sig: &str,
    date: &str,
) -> Option<(&'a PageMeasure, TextRun, TextRun)> {
    pages.iter().rev().find_map(|p| {
        let lines = lines_then_runs(p);
        lines.iter().rev().filter(|t| t.text == date).find_map(|d| {
            let s = lines
                .iter()
                .rev()
                .find(|t| t.text == sig && t.baseline < d.baseline)?;
            Some((p, s.clone(), d.clone()))
        })
    })
}

/// A page's whole lines (a line split into runs), then its single runs (a line shared with
/// others), each as one run.
fn lines_then_runs(page: &PageMeasure) -> Vec<TextRun> {
    page.lines()
        .iter()
        .filter_map(|l| joined(l))
        .chain(page.texts.iter().cloned())
        .collect()
}

/// A line's runs as one run (a producer may split a line where its script or spacing changes:
/// LibreOffice does around digits), with the text's white space left out.
fn joined(line: &[&TextRun]) -> Option<TextRun> {
    let (first, last) = (line.first()?, line.last()?);
    let mut run = (*first).clone();
    run.text = line
        .iter()
        .flat_map(|r| r.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    run.width = last.right() - first.x;
    run.ink_right = last.ink_right;
    run.ink_top = line.iter().map(|r| r.ink_top).fold(f64::INFINITY, f64::min);
    run.ink_bottom = line
        .iter()
        .map(|r| r.ink_bottom)
        .fold(f64::NEG_INFINITY, f64::max);
    run.glyphs = line.iter().flat_map(|r| r.glyphs.iter().copied()).collect();
    Some(run)
}

/// The 落款 with a seal (§7.3.5.1): the date 右空四字, the 署名 centred over it, the seal on
/// both.
fn sealed(c: &mut Checker, page: &PageMeasure, s: &TextRun, d: &TextRun) {
    let right = LEFT + AREA.0;
    // A 署名 longer than the date by more than eight characters cannot be centred over a
    // date 右空四字: it stands flush right, and the date is centred under it.
    let long = s.width > d.width + 8.0 * char_pitch();
    c.near(
        "7.3.5.1 加盖印章时成文日期右空四字（署名过长时署名顶格居右，日期居中其下）",
        "日期右边",
        if long {
            right - (s.width - d.width) / 2.0
        } else {
            right - 4.0 * char_pitch()
        },
        d.right(),
        0.3,
    );
    c.near(
        "7.3.5.1 署名以成文日期为准居中",
        "署名中线",
        d.x + d.width / 2.0,
        s.x + s.width / 2.0,
        0.3,
    );
    if let Some(seal) = page
        .images
        .iter()
        .copied()
        .find(|i| i[1] < d.baseline && i[1] + i[3] > s.baseline)
    {
        seal_on(c, page, seal, s, d);
    }
}

/// The seal `[x, y, w, h]` on the 署名 `s` and date `d` (§7.3.5.1): centred on them, its centre
/// above the 署名, its top within a line of the body.
fn seal_on(c: &mut Checker, page: &PageMeasure, [x, y, w, h]: [f64; 4], s: &TextRun, d: &TextRun) {
    c.near(
        "7.3.5.1 印章居中压署名和成文日期",
        "印章中线",
        d.x + d.width / 2.0,
        x + w / 2.0,
        1.0,
    );
    c.push(
        "7.3.5.1 署名和成文日期居印章中心偏下",
        "印章中心高于署名",
        format!(
            "印章中心 {:.2} mm，署名基线 {:.2} mm",
            y + h / 2.0,
            s.baseline
        ),
        y + h / 2.0 < s.baseline,
    );
    let body_bottom = page
        .texts
        .iter()
        .filter(|t| {
            t.baseline < s.baseline - 1.0 && (t.size_pt - BODY_PT).abs() < 0.1 && !is_page_number(t)
        })
        .map(em_bottom)
        .fold(f64::NAN, f64::max);
    if body_bottom.is_finite() {
        c.push(
            "7.3.5.1 印章顶端上距正文一行之内",
            format!("印章顶端与正文末行下边相距不超过一行（{:.2} mm）", pitch()),
            format!("{:.2} mm", y - body_bottom),
            (y - body_bottom).abs() <= pitch(),
        );
    }
}

/// The 落款 without a seal (§7.3.5.2): whichever of the 署名 and the date is held 右空二字, the
/// date starts two characters right of the 署名; when that would push the date past 右空二字
/// (the date is "longer"), the date goes 右空二字 and the 署名 moves left.
fn unsealed(c: &mut Checker, s: &TextRun, d: &TextRun) {
    let right = LEFT + AREA.0;
    if d.width + 2.0 * char_pitch() > s.width {
        c.near(
            "7.3.5.2 成文日期右空二字",
            "日期右边",
            right - 2.0 * char_pitch(),
            d.right(),
            0.3,
        );
    } else {
        c.near(
            "7.3.5.2 署名右空二字",
            "署名右边",
            right - 2.0 * char_pitch(),
            s.right(),
            0.3,
        );
    }
    c.near(
        "7.3.5.2 日期首字比署名首字右移二字",
        "日期左边",
        s.x + 2.0 * char_pitch(),
        d.x,
        0.3,
    );
}

/// The 附注 `note` (§7.3.6): in parentheses on the line under the date `d`, 居左空二字.
fn note_under(c: &mut Checker, page: &PageMeasure, d: &TextRun, note: &str) {
    let printed: String = format!("（{note}）")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let Some(n) = lines_then_runs(page)
        .into_iter()
        .find(|t| t.text == printed && t.baseline > d.baseline)
    else {
        c.push("7.3.6 附注", printed, "成文日期之后没有找到", false);
        return;
    };
    c.near(
        "7.3.6 附注居左空二字",
        "附注左边",
        LEFT + 2.0 * char_pitch(),
        n.x,
        0.3,
    );
    c.near(
        "7.3.6 附注在成文日期下一行",
        "附注基线",
        d.baseline + pitch(),
        n.baseline,
        0.3,
    );
}

/// 附件说明 and 附件 pages (§7.3.4, §7.3.7, §8).
pub(super) fn attachments(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    for p in pages {
        attachment_note(c, &body_lines(p));
        let is_label = |text: &str| {
            let rest = text.trim_start_matches(|ch: char| "— 0123456789".contains(ch));
            rest.strip_prefix(crate::contract::appendix())
                .is_some_and(|n| n.chars().all(|ch| ch.is_ascii_digit()))
        };
        let line = p.lines().into_iter().find(|l| {
            let text: String = l.iter().map(|t| t.text.as_str()).collect();
            is_label(&text)
        });
        let run = match line {
            Some(label) => label
                .into_iter()
                .find(|t| t.text.contains(crate::contract::appendix())),
            // On a turned page a producer may set the label level with a table's first
            // column, so that they share a line: the label's own run, then.
            None if p.turned => p.texts.iter().find(|t| {
                let text = t.text.trim();
                text.starts_with(crate::contract::appendix()) && is_label(text)
            }),
            None => None,
        };
        let Some(run) = run else {
            continue;
        };
        attachment_page(c, p, run, &expect.faces);
    }
}

/// The 附件说明 among a page's body `lines` (§7.3.4): “附件：” 左空二字 one blank line under the
/// body, the second attachment's number under the first one's name.
fn attachment_note(c: &mut Checker, lines: &[Vec<&TextRun>]) {
    let Some(at) = lines
        .iter()
        .position(|l| joined(l).is_some_and(|t| t.text.starts_with("附件：")))
    else {
        return;
    };
    let line = &lines[at];
    c.near(
        "7.3.4 附件说明左空二字",
        "“附件：”左边",
        LEFT + 2.0 * char_pitch(),
        line[0].x,
        0.3,
    );
    if at > 0 {
        let gap = (line[0].baseline - lines[at - 1][0].baseline) / pitch();
        c.push(
            "7.3.4 附件说明在正文下空一行",
            "相隔 2 行",
            format!("{gap:.2} 行"),
            (gap - 2.0).abs() < 0.05,
        );
    }
    let names: Vec<f64> = lines[at + 1..]
        .iter()
        .take_while(|l| l[0].x > LEFT + 2.0 * char_pitch() + 1.0)
        .map(|l| l[0].x)
        .filter(|x| (x - (LEFT + 5.0 * char_pitch())).abs() < 2.0)
        .collect();
    if let Some(x) = names.first() {
        c.near(
            "7.3.4 附件说明序号与首个名称对齐",
            "第二个名称的序号左边",
            LEFT + 5.0 * char_pitch(),
            *x,
            0.3,
        );
    }
}

/// An 附件's first page `p`, labelled by `run` (§7.3.7): “附件N” in 3号 黑体; on a portrait page
/// 顶格 on the 版心's first line, and the title in 2号 小标宋 centred on the third.
fn attachment_page(c: &mut Checker, p: &PageMeasure, run: &TextRun, faces: &Faces) {
    c.push(
        "7.3.7 附件标识 3号黑体",
        format!("16 pt {}", faces.hei),
        format!("第{}页 {:.1} pt {}", p.number, run.size_pt, run.family),
        (run.size_pt - BODY_PT).abs() < 0.1 && role_ok(&run.family, &faces.hei, faces),
    );
    if !portrait(p) {
        return;
    }
    c.near("7.3.7 附件标识顶格", "“附件N”左边", LEFT, run.x, 0.3);
    c.near(
        "7.3.7 附件标识在版心第1行（另面编排）",
        "“附件N”上边缘",
        TOP,
        em_top(run),
        0.3,
    );
    let Some(title) = p
        .lines()
        .into_iter()
        .find(|l| (l[0].size_pt - 22.0).abs() < 0.1)
    else {
        return;
    };
    let mid_y = (em_top(title[0]) + em_bottom(title[0])) / 2.0;
    let line3 = TOP + 2.0 * pitch() + BODY_PT * PT / 2.0;
    c.near("7.3.7 附件标题居中于第3行", "标题行中线", line3, mid_y, 1.0);
    let mid_x = (title[0].x + title.last().expect("a line has runs").right()) / 2.0;
    c.near(
        "7.3.7 附件标题居中",
        "标题中线",
        LEFT + AREA.0 / 2.0,
        mid_x,
        1.0,
    );
    c.push(
        "7.3.7 附件标题 2号小标宋",
        format!("22 pt {}", xiaobiaosong(faces)),
        format!(
            "{:.1} pt {} {}",
            title[0].size_pt, title[0].family, title[0].weight
        ),
        is_xiaobiaosong(title[0], faces),
    );
}

/// Landscape appendix pages (§8): every page turned the same way, so the table's head (its
/// header, repeated on every page) stands at the sheet's left edge — the 订口 of an odd page,
/// the 切口 of an even one; the table's type never below 五号 (10.5 pt).
pub(super) fn landscape_tables(c: &mut Checker, pages: &[PageMeasure], expect: &Expect) {
    let turned: Vec<&PageMeasure> = pages.iter().filter(|p| p.turned).collect();
    if turned.is_empty() {
        return;
    }
    let mut wrong = Vec::new();
    for p in &turned {
        let cells: Vec<&TextRun> = p
            .texts
            .iter()
            .filter(|t| !is_page_number(t) && !t.text.trim().is_empty() && t.size_pt < 17.0)
            .filter(|t| !t.text.starts_with(crate::contract::appendix()))
            .collect();
        let head: Vec<&TextRun> = cells
            .iter()
            .copied()
            .filter(|t| role_ok(&t.family, &expect.faces.hei, &expect.faces))
            .collect();
        let body: Vec<&TextRun> = cells
            .iter()
            .copied()
            .filter(|t| !role_ok(&t.family, &expect.faces.hei, &expect.faces))
            .collect();
        if head.is_empty() {
            wrong.push(format!("第{}页没有表头", p.number));
            continue;
        }
        let head_right = head.iter().map(|t| t.x).fold(f64::MIN, f64::max);
        let body_left = body.iter().map(|t| t.x).fold(f64::MAX, f64::min);
        if !body.is_empty() && head_right >= body_left {
            wrong.push(format!(
                "第{}页表头不在纸张左边（表头 {head_right:.1} mm，表身 {body_left:.1} mm）",
                p.number
            ));
        }
        if let Some(small) = cells.iter().find(|t| t.size_pt < 10.5 - 0.01) {
            wrong.push(format!(
                "第{}页“{}”只有 {:.1} pt",
                p.number,
                small.text.chars().take(6).collect::<String>(),
                small.size_pt
            ));
        }
    }
    c.push(
        "8 横排表格（表头在每页重复并朝订口/切口一边，字号不小于五号）",
        "每个横排页的表头都在纸张左边（单页订口、双页切口），10.5 pt 以上",
        if wrong.is_empty() {
            format!("{} 个横排页全部符合", turned.len())
        } else {
            wrong.join("；")
        },
        wrong.is_empty(),
    );
}
