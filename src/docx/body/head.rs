//! The 版头 and the title, placed line by line where the PDF has them: the 标志, 份号 and the
//! marks, 发文字号 and 签发人, the red rules (a 信函's in the first page's header), the title on
//! its grid slot and 主送机关.

use super::xml::{exact, para, spacing_before};
use super::{ASCENT, HEADER, RED, TAB, Writer, below_top, char_pt, piece, pitch_pt, slot};
use crate::conformance::{AREA, BODY_PT, LEFT, PT};
use crate::docx::blocks::{Head, Piece, Text, plain};
use crate::docx::units::{half_points, mm, twips};
use crate::fonts::Role;
use crate::measure::PageMeasure;

impl Writer<'_> {
    /// Where the PDF put the baseline of the first page's line holding `text`, in points below
    /// the DOCX's text-area top: the line beginning with most of it (a title's first line can
    /// begin with the 标志's words), else the first holding its first six characters.
    pub(super) fn baseline(&self, text: &Text) -> Option<f64> {
        let whole: String = plain(text).chars().filter(|c| !c.is_whitespace()).collect();
        if whole.is_empty() {
            return None;
        }
        let start: String = whole.chars().take(6).collect();
        let first = self.first?;
        let lines: Vec<(String, f64)> = first
            .lines()
            .iter()
            .map(|line| {
                let joined: String = line
                    .iter()
                    .flat_map(|r| r.text.chars())
                    .filter(|c| !c.is_whitespace())
                    .collect();
                (joined, below_top(line[0].baseline) - self.origin)
            })
            .collect();
        // The line that begins with most of the text (the first of equals); a line holding it
        // after something else (a 发文字号 after the 份号) when none begins with it.
        let begun = |joined: &str| {
            joined
                .chars()
                .zip(whole.chars())
                .take_while(|(a, b)| a == b)
                .count()
        };
        // (`max_by_key` keeps the last of equals: over the lines reversed, the first.)
        let best = lines
            .iter()
            .rev()
            .max_by_key(|(joined, _)| begun(joined))
            .filter(|(joined, _)| begun(joined) >= start.chars().count());
        best.map(|(_, b)| *b).or_else(|| {
            lines
                .iter()
                .find(|(joined, _)| joined.contains(&start))
                .map(|(_, b)| *b)
        })
    }

    pub(super) fn head(&mut self, head: &Head) {
        self.letter = head.format == "信函";
        self.y = 0.0;
        match head.format.as_str() {
            "简报" => self.masthead(head),
            "信函" => self.letter_head(head),
            _ => self.file_head(head),
        }
        self.title_and_addressee(head);
    }

    /// 文件格式: 份号 etc., the 标志 35 mm below the 版心 top, 发文字号 (and 签发人), the red rule.
    pub(super) fn file_head(&mut self, head: &Head) {
        for (i, m) in head.marks.iter().enumerate() {
            let r = self.runs(m, mark_role(i, head), "");
            self.place("HeadLine", "", r, BODY_PT, slot(i), None);
        }
        if let Some((mark, size)) = &head.mark {
            let b = self.baseline(mark).unwrap_or(slot(head.marks.len() + 3));
            let r = self.runs(mark, Role::XiaoBiaoSong, &red_size(*size));
            self.place("Mark", "", r, *size, b, None);
        }
        let rule = self.first.and_then(|p| red_rules(p).first().copied());
        let upward = head.upward && !head.signers.is_empty();
        let signer_lines: Vec<&[Text]> = head.signers.chunks(2).collect();
        let rows =
            if upward { signer_lines.len() } else { 0 }.max(usize::from(head.number.is_some()));
        for row in 0..rows {
            let last = row + 1 == rows;
            let mut r = String::new();
            let mut key = Text::new();
            if last && let Some(n) = &head.number {
                r.push_str(&self.runs(n, Role::FangSong, ""));
                key = n.clone();
            }
            if upward && let Some(names) = signer_lines.get(row) {
                r.push_str(TAB);
                let label = if row == 0 { "签发人：" } else { "" };
                r.push_str(&self.runs(&vec![piece(label)], Role::FangSong, ""));
                for (j, name) in names.iter().enumerate() {
                    if j > 0 {
                        r.push_str(&self.runs(&vec![piece("　")], Role::Kai, ""));
                    }
                    r.push_str(&self.runs(name, Role::Kai, ""));
                }
                if key.is_empty() {
                    key = names[0].clone();
                }
            }
            let b = self.baseline(&key).unwrap_or(self.y + pitch_pt());
            let ppr = if upward {
                // 发文字号 居左空一字, 签发人 居右空一字.
                format!(
                    r#"<w:tabs><w:tab w:val="right" w:pos="{}"/></w:tabs><w:ind w:left="{1}" w:right="{1}"/><w:jc w:val="left"/>"#,
                    twips(AREA.0 / PT - char_pt()),
                    twips(char_pt()),
                )
            } else {
                String::new()
            };
            self.place("DocNumber", &ppr, r, BODY_PT, b, None);
        }
        if let Some(rule) = rule {
            // The red rule under the 发文字号, as wide as the 版心.
            self.rule_line(rule, None);
        }
    }

    /// 信函格式: the 标志 30 mm from the paper top, the double rule, then 份号 etc. at the left
    /// and the 发文字号 at the right on the first line under the rule.
    pub(super) fn letter_head(&mut self, head: &Head) {
        // The 标志 stands above the 版心 (30 mm from the paper's top), where no body paragraph
        // can go: it and the double rule under it are the first page's header.
        let body = std::mem::take(&mut self.out);
        self.origin = below_top(HEADER);
        self.y = 0.0;
        if let Some((mark, size)) = &head.mark {
            let b = self.baseline(mark).unwrap_or(slot(0));
            let r = self.runs(mark, Role::XiaoBiaoSong, &red_size(*size));
            self.place("Mark", "", r, *size, b, None);
        }
        let rules = self.first.map(red_rule_spans).unwrap_or_default();
        // The upper double rule: 170 mm, centred on the paper, reaching past the 版心.
        for &(y, t, ends) in rules.iter().take(2) {
            self.rule_line((y, t), Some(ends));
        }
        // 份号 etc. at the left and the 发文字号 at the right, on the lines under the rule: in
        // the header too, where the PDF has them.
        let lines = head.marks.len().max(usize::from(head.number.is_some()));
        for i in 0..lines {
            let mut r = String::new();
            let mut key = Text::new();
            if let Some(m) = head.marks.get(i) {
                r.push_str(&self.runs(m, mark_role(i, head), ""));
                key = m.clone();
            }
            if i == 0
                && let Some(n) = &head.number
            {
                r.push_str(TAB);
                r.push_str(&self.runs(n, Role::FangSong, ""));
                if key.is_empty() {
                    key = n.clone();
                }
            }
            let b = self.baseline(&key).unwrap_or(self.y + pitch_pt());
            let tabs = format!(
                r#"<w:tabs><w:tab w:val="right" w:pos="{}"/></w:tabs>"#,
                mm(AREA.0)
            );
            self.place("HeadLine", &tabs, r, BODY_PT, b, None);
        }
        // The header reaches past the top margin, so the first page's body starts under it.
        // It ends on a line of the page's grid: Word starts the body at the header's foot, and
        // LibreOffice centres the grid's lines in what is left of the page (measured), which
        // is then a whole number of lines, so both start the body at the same place, on the
        // grid.
        let header_bottom = self.y + self.origin;
        let start = (header_bottom / pitch_pt()).ceil() * pitch_pt();
        if start - header_bottom > 0.05 {
            self.out
                .push_str(&para("HeadLine", &exact(start - header_bottom), ""));
        }
        self.first_header = Some(std::mem::replace(&mut self.out, body));
        self.origin = 0.0;
        self.y = start.max(0.0);
    }

    /// 简报: the name large and red, the 期号 under it, the 编印单位 and date on one line over a
    /// red rule.
    pub(super) fn masthead(&mut self, head: &Head) {
        for (i, m) in head.marks.iter().enumerate() {
            let r = self.runs(m, mark_role(i, head), "");
            self.place("HeadLine", "", r, BODY_PT, slot(i), None);
        }
        if let Some((mark, size)) = &head.mark {
            let b = self.baseline(mark).unwrap_or(slot(3));
            let r = self.runs(mark, Role::XiaoBiaoSong, &red_size(*size));
            self.place("Mark", "", r, *size, b, None);
        }
        if let Some(issue) = &head.issue {
            let b = self.baseline(issue).unwrap_or(self.y + pitch_pt());
            let r = self.runs(issue, Role::FangSong, "");
            self.place("DocNumber", "", r, BODY_PT, b, None);
        }
        let editor = head.editor.clone().unwrap_or_default();
        let date = head.date.clone().unwrap_or_default();
        let b = self
            .baseline(&editor)
            .or_else(|| self.baseline(&date))
            .unwrap_or(self.y + 2.0 * pitch_pt());
        let mut r = self.runs(&editor, Role::FangSong, "");
        r.push_str(TAB);
        r.push_str(&self.runs(&date, Role::FangSong, ""));
        let tabs = format!(
            r#"<w:tabs><w:tab w:val="right" w:pos="{}"/></w:tabs>"#,
            mm(AREA.0)
        );
        let rule = self.first.and_then(|p| red_rules(p).first().copied());
        self.place("HeadLine", &tabs, r, BODY_PT, b, rule);
    }

    /// The title on its slot (its lines as the PDF broke them), a blank line, then 主送机关.
    pub(super) fn title_and_addressee(&mut self, head: &Head) {
        if head.title.is_empty() {
            // No title (a 简报): the body starts on its slot.
            let rest = head.title_slot as f64 * pitch_pt() - self.y;
            if rest > 0.5 {
                self.out.push_str(&para("Normal", &exact(rest), ""));
            }
        } else {
            let mut t = Text::new();
            for (i, line) in head.title.iter().enumerate() {
                if i > 0 {
                    t.push(Piece::Break);
                }
                t.extend(line.iter().cloned());
            }
            // The title's lines on the grid slots the PDF gives them, so that every line after
            // them is on the grid too.
            let b = self
                .baseline(&head.title[0])
                .unwrap_or(slot(head.title_slot));
            let slot_top = ((b - ASCENT * pitch_pt()) / pitch_pt()).round() * pitch_pt();
            let before = (slot_top - self.y).max(0.0);
            let r = self.runs(&t, Role::XiaoBiaoSong, "");
            self.out
                .push_str(&para("Title", &spacing_before(before), &r));
            self.out.push_str(&para("Normal", "", ""));
        }
        if let Some(to) = &head.to {
            let mut t = to.clone();
            t.push(piece("："));
            let r = self.runs(&t, Role::FangSong, "");
            self.out.push_str(&para("Addressee", "", &r));
        }
    }

    /// Places a one-line paragraph so that its baseline lands `baseline` points below the
    /// text-area top: a line of fixed height, large enough for `size`, and the space above it.
    /// With `rule` (its centre and thickness, mm from the paper top), the paragraph's bottom
    /// border draws it.
    pub(super) fn place(
        &mut self,
        style: &str,
        ppr: &str,
        runs: String,
        size: f64,
        baseline: f64,
        rule: Option<(f64, f64)>,
    ) {
        let height = pitch_pt().max(1.25 * size);
        let before = (baseline - ASCENT * height - self.y).max(0.0);
        let bottom = self.y + before + height;
        let border = match rule {
            Some((ry, t)) => {
                let space = (below_top(ry) - self.origin - t / PT / 2.0 - bottom).max(0.0);
                self.y = below_top(ry) - self.origin + t / PT / 2.0;
                bottom_border(RED, t, space)
            }
            None => {
                self.y = bottom;
                String::new()
            }
        };
        let spacing = format!(
            r#"<w:spacing w:before="{}" w:after="0" w:line="{}" w:lineRule="exact"/>"#,
            twips(before),
            twips(height)
        );
        self.out
            .push_str(&para(style, &format!("{spacing}{ppr}{border}"), &runs));
    }

    /// An empty paragraph whose bottom border is the red rule centred `ry` mm from the paper top,
    /// `t` mm thick, from the left to the right end given (mm from the paper's left edge; the
    /// 版心's width when none).
    pub(super) fn rule_line(&mut self, (ry, t): (f64, f64), ends: Option<(f64, f64)>) {
        let height = 1.0;
        let before = (below_top(ry) - self.origin - t / PT / 2.0 - height - self.y).max(0.0);
        let ind = match ends {
            Some((left, right)) => format!(
                r#"<w:ind w:left="{}" w:right="{}"/>"#,
                mm(left - LEFT),
                mm(LEFT + AREA.0 - right)
            ),
            None => String::new(),
        };
        self.out.push_str(&para(
            "HeadLine",
            &format!(
                r#"<w:spacing w:before="{}" w:after="0" w:line="{}" w:lineRule="exact"/>{ind}{}"#,
                twips(before),
                twips(height),
                bottom_border(RED, t, 0.0)
            ),
            "",
        ));
        self.y = below_top(ry) - self.origin + t / PT / 2.0;
    }
}

/// The red rules of a measured page, top to bottom: (centre y, thickness) in mm.
fn red_rules(page: &PageMeasure) -> Vec<(f64, f64)> {
    red_rule_spans(page)
        .into_iter()
        .map(|(y, t, _)| (y, t))
        .collect()
}

/// The red rules of a measured page, top to bottom: centre y, thickness and left and right
/// ends, in mm.
fn red_rule_spans(page: &PageMeasure) -> Vec<(f64, f64, (f64, f64))> {
    let mut rules: Vec<(f64, f64, (f64, f64))> = page
        .rules
        .iter()
        .filter(|r| r.is_horizontal() && r.length() > 100.0)
        .filter(|r| {
            r.paint.as_ref().is_some_and(|c| {
                let k = c.to_cmyk();
                k.m > 0.5 && k.y > 0.5
            })
        })
        .map(|r| (r.y, r.thickness, (r.x1.min(r.x2), r.x1.max(r.x2))))
        .collect();
    rules.sort_by(|a, b| a.0.total_cmp(&b.0));
    rules
}

/// Which face a 版头 mark line takes: 份号 仿宋, 密级 and 紧急程度 黑体.
fn mark_role(i: usize, head: &Head) -> Role {
    let first_is_copy = head
        .marks
        .first()
        .is_some_and(|m| plain(m).chars().all(|c| c.is_ascii_digit()));
    if i == 0 && first_is_copy {
        Role::FangSong
    } else {
        Role::Hei
    }
}

fn red_size(size: f64) -> String {
    let s = half_points(size);
    format!(r#"<w:color w:val="{RED}"/><w:sz w:val="{s}"/><w:szCs w:val="{s}"/>"#)
}

fn bottom_border(color: &str, thickness_mm: f64, space_pt: f64) -> String {
    let eighths = (thickness_mm / PT * 8.0).round().clamp(2.0, 96.0) as i64;
    format!(
        r#"<w:pBdr><w:bottom w:val="single" w:sz="{eighths}" w:space="{}" w:color="{color}"/></w:pBdr>"#,
        space_pt.round() as i64
    )
}
