//! 版头 and title: the 发文机关标志, 份号/密级/紧急程度, 发文字号, 签发人, red rules, the 信函's
//! double rules (§7.2, §7.3.1, §10.1) and a 简报's masthead (practice).

use super::*;

pub(super) fn header(
    c: &mut Checker,
    first: &PageMeasure,
    mark: Option<&TextRun>,
    format: Format,
    expect: &Expect,
) {
    let Some(mark) = mark else {
        c.push(
            "7.2.4 发文机关标志",
            "第1页有红色发文机关标志",
            "没有找到",
            false,
        );
        return;
    };
    issuer_mark(c, mark, format, expect);
    marks(c, first, format, expect);
    let Some(number) = expect.doc_number.as_deref() else {
        return;
    };
    let Some(run) = first.texts.iter().find(|t| t.text.contains(number)) else {
        c.push("7.2.5 发文字号", number.to_string(), "第1页没有找到", false);
        return;
    };
    doc_number(c, run, number);
    let red_rules = red_rules(first);
    match format {
        Format::File | Format::Bulletin => {
            let signer_label = crate::contract::key(crate::contract::KeyId::Signers);
            match first.texts.iter().find(|t| t.text.contains(signer_label)) {
                Some(s) => signers(c, first, run, s, expect),
                None => c.near(
                    "7.2.5 发文字号居中",
                    "发文字号中线",
                    LEFT + AREA.0 / 2.0,
                    (run.x + run.right()) / 2.0,
                    0.5,
                ),
            }
            separator(c, first, run, &red_rules, expect);
        }
        Format::Letter => {
            c.near(
                "10.1 信函发文字号居右顶格",
                "发文字号右边",
                LEFT + AREA.0,
                run.right(),
                0.3,
            );
            letter_rules(c, first, mark, &red_rules, expect);
        }
    }
}

/// The 发文机关标志 (§7.2.4, §10.1): its top edge, centred, red, 小标宋.
fn issuer_mark(c: &mut Checker, mark: &TextRun, format: Format, expect: &Expect) {
    let (want_top, clause) = match format {
        Format::File | Format::Bulletin => {
            (TOP + 35.0, "7.2.4 发文机关标志上边缘距版心上边缘 35 mm")
        }
        Format::Letter => (30.0, "10.1 信函标志上边缘距纸张上边缘 30 mm"),
    };
    c.near(
        clause,
        "标志字形上边缘距纸张上边缘",
        want_top,
        mark.ink_top,
        1.0,
    );
    c.near(
        "7.2.4 发文机关标志居中",
        "标志中线",
        LEFT + AREA.0 / 2.0,
        (mark.x + mark.right()) / 2.0,
        1.0,
    );
    c.push(
        "7.2.4 / 6.2 标志颜色（红色 Y80 M80）",
        "CMYK 0/80/80/0",
        format!("{:?}", mark.fill),
        is_red(mark),
    );
    c.push(
        "7.2.4 标志字体（小标宋）",
        xiaobiaosong(&expect.faces),
        format!("{} {}", mark.family, mark.weight),
        is_xiaobiaosong(mark, &expect.faces),
    );
}

/// The 发文字号 `run` printing `number` (§7.2.5): 3号, no spaces.
fn doc_number(c: &mut Checker, run: &TextRun, number: &str) {
    c.push(
        "7.2.5 发文字号字号（3号）",
        "16 pt",
        format!("{:.1} pt", run.size_pt),
        (run.size_pt - BODY_PT).abs() < 0.1,
    );
    c.push(
        "7.2.5 发文字号内无空格",
        number.to_string(),
        run.text.clone(),
        !run.text.trim().contains(' '),
    );
}

/// Page 1's rules in the red of §6.2.
fn red_rules(first: &PageMeasure) -> Vec<&Rule> {
    first.rules.iter().filter(|r| is_red_rule(r)).collect()
}

/// Whether a rule is printed in the red of §6.2 (M80 Y80).
fn is_red_rule(r: &Rule) -> bool {
    r.paint.as_ref().is_some_and(|p| {
        let k = p.to_cmyk();
        (k.m - 0.8).abs() < 0.05 && (k.y - 0.8).abs() < 0.05
    })
}

/// A 上行文's 签发人 `s` and the 发文字号 `run` (§7.2.5, §7.2.6): the number 居左空一字 on the line
/// of the last name, the 签发人 block 居右空一字, “签发人” in 仿宋 and the names in 楷体.
fn signers(c: &mut Checker, first: &PageMeasure, run: &TextRun, s: &TextRun, expect: &Expect) {
    c.near(
        "7.2.5 上行文发文字号居左空一字",
        "发文字号左边",
        LEFT + char_pitch(),
        run.x,
        0.3,
    );
    let line_right = first
        .texts
        .iter()
        .filter(|t| (t.baseline - s.baseline).abs() < 0.5 && t.x >= s.x)
        .map(TextRun::right)
        .fold(f64::MIN, f64::max);
    c.near(
        "7.2.6 签发人居右空一字",
        "签发人行右边",
        LEFT + AREA.0 - char_pitch(),
        line_right,
        0.3,
    );
    let names = signer_names(first, run, s);
    let last = names.iter().map(|t| t.baseline).fold(s.baseline, f64::max);
    c.push(
        "7.2.5 / 7.2.6 发文字号与最后一个签发人同行",
        "同一基线",
        format!("相差 {:.2} mm", (last - run.baseline).abs()),
        (last - run.baseline).abs() < 0.3,
    );
    let faces = &expect.faces;
    let all_kai = !names.is_empty() && names.iter().all(|t| role_ok(&t.family, &faces.kai, faces));
    c.push(
        "7.2.6 签发人姓名用楷体",
        faces.kai.clone(),
        names
            .iter()
            .map(|t| t.family.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        all_kai,
    );
    c.push(
        "7.2.6 “签发人”用仿宋",
        faces.fangsong.clone(),
        s.family.clone(),
        role_ok(&s.family, &faces.fangsong, faces),
    );
}

/// The names after the 签发人 label `s`, two per line, down to the line of the 发文字号 `run`
/// (which stands on the line of the last name).
fn signer_names<'a>(first: &'a PageMeasure, run: &TextRun, s: &TextRun) -> Vec<&'a TextRun> {
    let signer_label = crate::contract::key(crate::contract::KeyId::Signers);
    first
        .texts
        .iter()
        .filter(|t| {
            t.baseline >= s.baseline - 0.5
                && t.baseline < run.baseline + 11.0
                && t.x > s.right() - 0.5
                && !t.text.contains(signer_label)
                && !t.text.trim().is_empty()
        })
        .collect()
}

/// The red rule under the 发文字号 `run` (§7.2.7): 4 mm below it, as wide as the 版心; then the
/// title under it.
fn separator(
    c: &mut Checker,
    first: &PageMeasure,
    run: &TextRun,
    red_rules: &[&Rule],
    expect: &Expect,
) {
    let Some(rule) = red_rules.iter().find(|r| r.y > run.baseline) else {
        c.push("7.2.7 版头分隔线", "红色分隔线", "没有找到", false);
        return;
    };
    c.near(
        "7.2.7 分隔线在发文字号之下 4 mm",
        "分隔线上边缘",
        em_bottom(run) + 4.0,
        rule.y - rule.thickness / 2.0,
        TOL,
    );
    c.near(
        "7.2.7 分隔线与版心等宽",
        "分隔线长度",
        AREA.0,
        rule.length(),
        TOL,
    );
    c.near("7.2.7 分隔线左端", "分隔线左端", LEFT, rule.x1, TOL);
    title(c, first, rule.y + rule.thickness / 2.0, expect);
}

/// A 信函's red double rules (§10.1): one pair 4 mm under the 标志, the other 20 mm above the
/// paper's foot; and the title under the upper pair.
fn letter_rules(
    c: &mut Checker,
    first: &PageMeasure,
    mark: &TextRun,
    red_rules: &[&Rule],
    expect: &Expect,
) {
    // Top to bottom, whatever order the producer drew them in.
    let pair = |keep: &dyn Fn(f64) -> bool| {
        let mut pair: Vec<_> = red_rules.iter().filter(|r| keep(r.y)).collect();
        pair.sort_by(|a, b| a.y.total_cmp(&b.y));
        pair
    };
    let top_pair = pair(&|y| y < 100.0);
    let bottom_pair = pair(&|y| y > 200.0);
    c.push(
        "10.1 信函上下双线",
        "标志下与页面下方各一组双线",
        format!("上 {} 条，下 {} 条", top_pair.len(), bottom_pair.len()),
        top_pair.len() == 2 && bottom_pair.len() == 2,
    );
    if let (Some(a), Some(b)) = (top_pair.first(), top_pair.last()) {
        c.near(
            "10.1 上双线距标志 4 mm",
            "上双线上边缘",
            mark.ink_bottom + 4.0,
            a.y - a.thickness / 2.0,
            TOL,
        );
        double_rule(c, "上", a, b);
        title(c, first, above_letter_title(first, b), expect);
    }
    if let (Some(a), Some(b)) = (bottom_pair.first(), bottom_pair.last()) {
        c.near(
            "10.1 下双线距纸张下边 20 mm",
            "下双线下边缘",
            PAPER.1 - 20.0,
            b.y + b.thickness / 2.0,
            TOL,
        );
        double_rule(c, "下", a, b);
    }
}

/// Where a 信函's title is measured from: two lines below the last element under the upper double
/// rule, whose lower line is `b` (§10.1) — the lowest 3号 text above a 2号 line, or the rule.
fn above_letter_title(first: &PageMeasure, b: &Rule) -> f64 {
    first
        .texts
        .iter()
        .filter(|t| t.baseline > b.y && (t.size_pt - BODY_PT).abs() < 0.1)
        .filter(|t| {
            first
                .texts
                .iter()
                .any(|x| (x.size_pt - 22.0).abs() < 0.1 && x.baseline > t.baseline)
        })
        .map(em_bottom)
        .fold(b.y + b.thickness / 2.0, f64::max)
}

/// One red double rule of the 信函 (§10.1): 170 mm, centred on the paper, the thick line outside
/// (above for the upper pair, below for the lower one). `a` is the upper line of the pair.
pub(super) fn double_rule(c: &mut Checker, which: &str, a: &Rule, b: &Rule) {
    let (outer, inner) = if which == "上" { (a, b) } else { (b, a) };
    c.push(
        "10.1 双线外粗内细（上双线上粗下细，下双线上细下粗）",
        format!("{which}双线的外侧线更粗"),
        format!("上 {:.2} / 下 {:.2} mm", a.thickness, b.thickness),
        outer.thickness > inner.thickness,
    );
    // Both lines of the pair: the one further off is reported.
    let worst = |of: fn(&Rule) -> f64, want: f64| {
        let (x, y) = (of(a), of(b));
        if (y - want).abs() > (x - want).abs() {
            y
        } else {
            x
        }
    };
    c.near(
        "10.1 双线长 170 mm",
        &format!("{which}双线长度"),
        170.0,
        worst(Rule::length, 170.0),
        TOL,
    );
    let left = (PAPER.0 - 170.0) / 2.0;
    c.near(
        "10.1 双线居中",
        &format!("{which}双线左端"),
        left,
        worst(|r| r.x1, left),
        TOL,
    );
}

/// 份号, 密级 and 紧急程度 (§7.2.1–7.2.3, §10.1): 顶格 at the 版心's left edge, one per line in that
/// order — on 版心 lines 1–3, or in a 信函 from 7/8 of a 3号 character below the first double rule.
pub(super) fn marks(c: &mut Checker, first: &PageMeasure, format: Format, expect: &Expect) {
    if expect.marks.is_empty() {
        return;
    }
    let found: Vec<&TextRun> = expect
        .marks
        .iter()
        .filter_map(|m| first.texts.iter().find(|t| t.text.trim() == m.as_str()))
        .collect();
    c.push(
        "7.2.1–7.2.3 份号、密级和保密期限、紧急程度",
        expect.marks.join(" / "),
        found
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" / "),
        found.len() == expect.marks.len(),
    );
    let top = match format {
        Format::File | Format::Bulletin => TOP,
        Format::Letter => {
            let rule = first
                .rules
                .iter()
                .filter(|r| r.y < 100.0)
                .map(|r| r.y + r.thickness / 2.0)
                .fold(f64::NAN, f64::max);
            rule + 7.0 / 8.0 * BODY_PT * PT
        }
    };
    for (i, t) in found.iter().enumerate() {
        let clause = "7.2.1–7.2.3 版头左上角各要素顶格、依次各占一行";
        c.near(clause, &format!("“{}”左边", t.text), LEFT, t.x, 0.3);
        c.near(
            clause,
            &format!("“{}”上边缘", t.text),
            top + i as f64 * pitch(),
            em_top(t),
            0.3,
        );
        if !t.text.trim().chars().all(|ch| ch.is_ascii_digit()) {
            c.push(
                "7.2.2 / 7.2.3 密级、紧急程度用3号黑体",
                format!("16 pt {}", expect.faces.hei),
                format!("“{}” {:.1} pt {}", t.text, t.size_pt, t.family),
                (t.size_pt - BODY_PT).abs() < 0.1
                    && role_ok(&t.family, &expect.faces.hei, &expect.faces),
            );
        }
    }
}

pub(super) fn title(c: &mut Checker, first: &PageMeasure, rule_bottom: f64, expect: &Expect) {
    let Some(t) = first
        .texts
        .iter()
        .filter(|t| t.baseline > rule_bottom && (t.size_pt - 22.0).abs() < 0.1)
        .min_by(|a, b| a.baseline.total_cmp(&b.baseline))
    else {
        c.push(
            "7.3.1 标题",
            "2号小标宋标题",
            "没有找到 22 pt 的标题",
            false,
        );
        return;
    };
    c.push(
        "7.3.1 标题字号（2号）与字体（小标宋）",
        format!("22 pt {}", xiaobiaosong(&expect.faces)),
        format!("{:.1} pt {} {}", t.size_pt, t.family, t.weight),
        (t.size_pt - 22.0).abs() < 0.1 && is_xiaobiaosong(t, &expect.faces),
    );
    let gap = (em_top(t) - rule_bottom) / pitch();
    c.push(
        "7.3.1 / 10.1 标题上空二行",
        "约 2 行（1.8–2.3 行）",
        format!("{gap:.2} 行"),
        (1.8..=2.3).contains(&gap),
    );
    let centred = first
        .lines()
        .into_iter()
        .filter(|l| (l[0].size_pt - 22.0).abs() < 0.1)
        .all(|l| {
            let mid = (l[0].x + l.last().expect("a line has runs").right()) / 2.0;
            (mid - (LEFT + AREA.0 / 2.0)).abs() < 1.0
        });
    c.push(
        "7.3.1 标题居中",
        "每行中线在版心中线 ±1 mm",
        if centred {
            "居中"
        } else {
            "有标题行不居中"
        },
        centred,
    );
}

/// A 简报's masthead (common practice, reference §1.7): the 简报名称 in large red 小标宋,
/// centred; the 期号 centred below it; the 编印单位 at the left edge of the 版心 and the date at
/// its right edge, on one line; a red rule as wide as the 版心 below them, above the body.
pub(super) fn masthead(
    c: &mut Checker,
    first: &PageMeasure,
    mark: Option<&TextRun>,
    m: &Masthead,
    expect: &Expect,
) {
    let Some(name) = mark else {
        c.push("简报 报头名称", "第1页有红色的简报名称", "没有找到", false);
        return;
    };
    bulletin_name(c, name, m, expect);
    let below = |t: &&TextRun| t.baseline > name.baseline && (t.size_pt - BODY_PT).abs() < 0.1;
    if let Some(issue) = &m.issue {
        match first
            .texts
            .iter()
            .filter(below)
            .find(|t| t.text.trim() == issue)
        {
            Some(t) => c.near(
                "简报 期号居中于名称之下",
                "期号中线",
                LEFT + AREA.0 / 2.0,
                (t.x + t.right()) / 2.0,
                0.5,
            ),
            None => c.push("简报 期号", issue.clone(), "名称下没有找到", false),
        }
    }
    let date = first
        .texts
        .iter()
        .filter(below)
        .find(|t| t.text.trim() == m.date);
    let Some(d) = date else {
        c.push("简报 报头日期", m.date.clone(), "名称下没有找到", false);
        return;
    };
    c.near("简报 日期居右", "日期右边", LEFT + AREA.0, d.right(), 0.3);
    // The 编印单位 may wrap: its runs are the ones whose text is part of it, first to last.
    let unit_runs: Vec<&TextRun> = m
        .unit
        .as_ref()
        .map(|u| {
            first
                .texts
                .iter()
                .filter(below)
                .filter(|t| !t.text.trim().is_empty() && u.contains(t.text.trim()))
                .filter(|t| t.baseline <= d.baseline + 0.5)
                .collect()
        })
        .unwrap_or_default();
    if let (Some(u), Some(last)) = (unit_runs.first(), unit_runs.last()) {
        c.near("简报 编印单位居左", "编印单位左边", LEFT, u.x, 0.3);
        c.push(
            "简报 编印单位与日期同行",
            "日期与编印单位（末行）同一基线",
            format!("相差 {:.2} mm", (last.baseline - d.baseline).abs()),
            (last.baseline - d.baseline).abs() < 0.3,
        );
    }
    masthead_rule(c, first, d);
}

/// A 简报's name (reference §1.7): the given name, red 小标宋 larger than 2号, centred.
fn bulletin_name(c: &mut Checker, name: &TextRun, m: &Masthead, expect: &Expect) {
    c.push(
        "简报 报头名称（红色小标宋、大于2号字）",
        format!(
            "“{}”，{} 红色，大于 22 pt",
            m.name,
            xiaobiaosong(&expect.faces)
        ),
        format!(
            "“{}” {:.1} pt {} {}",
            name.text, name.size_pt, name.family, name.weight
        ),
        name.text.replace(' ', "") == m.name.replace(' ', "")
            && is_red(name)
            && name.size_pt > 22.0
            && is_xiaobiaosong(name, &expect.faces),
    );
    c.near(
        "简报 报头名称居中",
        "名称中线",
        LEFT + AREA.0 / 2.0,
        (name.x + name.right()) / 2.0,
        1.0,
    );
}

/// The red rule under a 简报's masthead, whose date is `d`: as wide as the 版心, above everything
/// under it.
fn masthead_rule(c: &mut Checker, first: &PageMeasure, d: &TextRun) {
    let rule = first
        .rules
        .iter()
        .filter(|r| r.y > d.baseline && is_red_rule(r))
        .min_by(|a, b| a.y.total_cmp(&b.y));
    let Some(r) = rule else {
        c.push("简报 报头红线", "日期之下有红色横线", "没有找到", false);
        return;
    };
    c.near(
        "简报 报头红线与版心等宽",
        "红线长度",
        AREA.0,
        r.length(),
        TOL,
    );
    c.near("简报 报头红线左端", "红线左端", LEFT, r.x1, TOL);
    let body_top = body_lines(first)
        .into_iter()
        .filter(|l| l[0].baseline > r.y)
        .map(|l| em_top(l[0]))
        .fold(f64::NAN, f64::min);
    let title_top = first
        .texts
        .iter()
        .filter(|t| t.baseline > r.y && !t.text.trim().is_empty())
        .map(em_top)
        .fold(f64::NAN, f64::min);
    let under = title_top.min(body_top);
    c.push(
        "简报 报头红线在报头与正文之间",
        "红线在日期之下、正文之上",
        format!("红线 {:.2} mm，其下第一行上边 {:.2} mm", r.y, under),
        under.is_finite() && under > r.y + r.thickness / 2.0,
    );
}
