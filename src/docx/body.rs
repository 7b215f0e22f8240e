//! The document's body in WordprocessingML: the blocks laid out again as paragraphs, tables and
//! sections, each paragraph in its named style and every run naming its faces.

use super::blocks::{Block, Cell, EndMatter, Head, Kind, Piece, Signature, Table, Text, plain};
use super::units::{emu, half_points, mm, twips};
use super::{Setup, escape};
use crate::conformance::{AREA, BODY_PT, LEFT, PAPER, PT, TOP, char_pitch, pitch};
use crate::fonts::Role;
use crate::measure::PageMeasure;

/// What the body needs beside it in the package.
pub(crate) struct Written {
    /// `word/document.xml`.
    pub document: String,
    /// Whether the seal image is used.
    pub seal: bool,
    /// A 信函's first-page header (`word/header1.xml`), holding its 标志 and upper double rule.
    pub first_header: Option<String>,
}

/// The red of the 发文机关标志 and the rules: CMYK Y80 M80 as RGB.
pub(crate) const RED: &str = "FF3333";

/// Where LibreOffice sets the baseline in a line of exact height: this share of the height
/// below the line's top (Word sets it a little lower, with the descent at the line's foot).
const ASCENT: f64 = 0.8;

/// A 3号 character's em box: its top this share of the size above the baseline (as in the PDF).
const EM_TOP: f64 = 0.88;

/// Points from the page's text-area top (the top margin) to the 版心 top: where the em box of a
/// body line's text begins in a line one pitch high.
pub(crate) fn lead() -> f64 {
    ASCENT * pitch_pt() - EM_TOP * BODY_PT
}

/// Points below the text-area top of a position `y` mm from the paper top.
fn below_top(y: f64) -> f64 {
    (y - TOP) / PT + lead()
}

/// The baseline of the body line on grid slot `n`, points below the text-area top.
fn slot(n: usize) -> f64 {
    (n as f64 + ASCENT) * pitch_pt()
}

/// Where a page's header starts, mm from the paper's top.
const HEADER: f64 = 10.0;

/// A tab, in a run.
const TAB: &str = "<w:r><w:tab/></w:r>";

/// The line pitch in points.
pub(crate) fn pitch_pt() -> f64 {
    pitch() / PT
}

/// The character pitch in points.
pub(crate) fn char_pt() -> f64 {
    char_pitch() / PT
}

/// Writes the body of `blocks`; `first` is the PDF's first page as measured.
pub(crate) fn write(
    blocks: &[Block],
    body_end: Option<(usize, f64)>,
    setup: &Setup,
    first: Option<&PageMeasure>,
) -> Written {
    let mut w = Writer {
        setup,
        out: String::new(),
        landscape: false,
        letter: false,
        seal: false,
        sections: 0,
        first,
        y: 0.0,
        numbered: true,
        origin: 0.0,
        first_header: None,
    };
    for block in blocks {
        match &block.kind {
            Kind::Head(head) => w.head(head),
            // An empty paragraph takes no room in the PDF either.
            Kind::Paragraph { text, .. } if plain(text).trim().is_empty() => {}
            Kind::Paragraph { text, align } => w.paragraph(text, align.as_deref()),
            Kind::Heading {
                level,
                number,
                title,
                run_in,
            } => w.heading(*level, number, title, run_in.as_ref()),
            Kind::Blank(n) => {
                for _ in 0..*n {
                    w.out.push_str(&para("Normal", "", ""));
                }
            }
            Kind::Attachments(names) => w.attachments(names),
            Kind::Signature(s) => w.signature(s),
            Kind::Note(text) => {
                let mut t = vec![piece("（")];
                t.extend(text.iter().cloned());
                t.push(piece("）"));
                w.paragraph(&t, None);
            }
            Kind::Attachment {
                number,
                title,
                landscape,
            } => w.attachment(number.as_deref(), title, *landscape),
            Kind::Table(t) => w.table(t),
            Kind::End(end) => w.end(end, (block.page, block.y), body_end),
            Kind::Column { text, gap } => {
                let mut t = vec![piece("【")];
                t.extend(text.iter().cloned());
                t.push(piece("】"));
                let before = spacing_before(*gap as f64 * pitch_pt());
                w.out
                    .push_str(&para("Column", &before, &w.runs(&t, Role::Hei, "")));
            }
            Kind::Article { title, gap } => {
                w.title(title, &spacing_before(*gap as f64 * pitch_pt()));
            }
            Kind::Enclosure(lines) => {
                w.out.push_str(&page_break());
                w.title(lines, &spacing_before(pitch_pt()));
                w.out.push_str(&para("Normal", "", ""));
            }
        }
    }
    let last = w.sect_pr();
    w.out.push_str(&last);
    Written {
        document: document_xml(&w.out),
        seal: w.seal,
        first_header: w.first_header.map(|h| header_xml(&h)),
    }
}

struct Writer<'a> {
    setup: &'a Setup<'a>,
    out: String,
    landscape: bool,
    letter: bool,
    seal: bool,
    sections: usize,
    first: Option<&'a PageMeasure>,
    /// Points below the text-area top reached by the 版头 so far.
    y: f64,
    /// Whether the current section's pages carry page numbers.
    numbered: bool,
    /// Points from the text-area top to where the paragraphs being written start (the first
    /// page's header, for a 信函's 标志).
    origin: f64,
    /// A 信函's first-page header: its 标志 and upper double rule.
    first_header: Option<String>,
}

fn piece(s: &str) -> Piece {
    Piece::Text {
        text: s.to_string(),
        bold: false,
    }
}

impl Writer<'_> {
    fn face(&self, role: Role) -> &str {
        self.setup.faces.name(role)
    }

    /// Runs of `text` in `role`'s face, with `rpr` added to every run's properties.
    fn runs(&self, text: &Text, role: Role, rpr: &str) -> String {
        let f = escape(self.face(role)).into_owned();
        let fonts = format!(
            r#"<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}" w:hint="eastAsia"/>"#
        );
        let mut out = String::new();
        for p in text {
            match p {
                Piece::Text { text, bold } => {
                    let b = if *bold { "<w:b/><w:bCs/>" } else { "" };
                    out.push_str(&format!(
                        r#"<w:r><w:rPr>{fonts}{b}{rpr}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
                        escape(text)
                    ));
                }
                Piece::Break => {
                    out.push_str(&format!(r#"<w:r><w:rPr>{fonts}{rpr}</w:rPr><w:br/></w:r>"#))
                }
            }
        }
        out
    }

    /// Where the PDF put the baseline of the first page's line holding `text`, in points below
    /// the DOCX's text-area top.
    fn baseline(&self, text: &Text) -> Option<f64> {
        let want: String = plain(text)
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(6)
            .collect();
        if want.is_empty() {
            return None;
        }
        let first = self.first?;
        first.lines().iter().find_map(|line| {
            let joined: String = line
                .iter()
                .flat_map(|r| r.text.chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            joined
                .contains(&want)
                .then(|| below_top(line[0].baseline) - self.origin)
        })
    }

    fn head(&mut self, head: &Head) {
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
    fn file_head(&mut self, head: &Head) {
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
    fn letter_head(&mut self, head: &Head) {
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
        // The first page's body starts under the header when the header reaches past the top
        // margin.
        let header_bottom = self.y + self.origin;
        self.first_header = Some(std::mem::replace(&mut self.out, body));
        self.origin = 0.0;
        self.y = header_bottom.max(0.0);
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
    }

    /// 简报: the name large and red, the 期号 under it, the 编印单位 and date on one line over a
    /// red rule.
    fn masthead(&mut self, head: &Head) {
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
    fn title_and_addressee(&mut self, head: &Head) {
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
    fn place(
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
    fn rule_line(&mut self, (ry, t): (f64, f64), ends: Option<(f64, f64)>) {
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

    fn paragraph(&mut self, text: &Text, align: Option<&str>) {
        let ppr = match align {
            Some(a) if a.contains("right") || a.contains("end") => {
                r#"<w:ind w:firstLine="0"/><w:jc w:val="right"/>"#
            }
            Some(a) if a.contains("center") => r#"<w:ind w:firstLine="0"/><w:jc w:val="center"/>"#,
            _ => "",
        };
        let r = self.runs(text, Role::FangSong, "");
        self.out.push_str(&para("Normal", ppr, &r));
    }

    fn heading(&mut self, level: u8, number: &str, title: &Text, run_in: Option<&Text>) {
        let role = match level {
            1 => Role::Hei,
            2 => Role::Kai,
            _ => Role::FangSong,
        };
        let mut head = vec![piece(number)];
        head.extend(title.iter().cloned());
        let untitled = plain(title).trim().is_empty();
        let style = if untitled {
            "Normal".to_string()
        } else {
            format!("Heading{}", level.clamp(1, 4))
        };
        let mut r = self.runs(&head, if untitled { Role::FangSong } else { role }, "");
        if let Some(body) = run_in {
            r.push_str(&self.runs(body, Role::FangSong, ""));
        }
        self.out.push_str(&para(&style, "", &r));
    }

    fn attachments(&mut self, names: &[Text]) {
        let many = names.len() > 1;
        let mut t = vec![piece("附件：")];
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                t.push(Piece::Break);
            }
            if many {
                t.push(piece(&format!("{}.", i + 1)));
            }
            t.extend(name.iter().cloned());
        }
        let r = self.runs(&t, Role::FangSong, "");
        self.out
            .push_str(&para("AttachmentNote", &spacing_before(pitch_pt()), &r));
    }

    fn signature(&mut self, s: &Signature) {
        let blank = if s.seal.is_some() { 2.0 } else { 1.0 };
        let mut before = spacing_before(blank * pitch_pt());
        let seal = s.seal.map(|size| {
            let centre = match &s.date {
                Some(d) => s.date_left + width_pt(d) / 2.0,
                None => s.name_left + s.name.as_ref().map_or(0.0, width_pt) / 2.0,
            };
            (size, centre)
        });
        let mut first = true;
        for (text, left) in [(&s.name, s.name_left), (&s.date, s.date_left)] {
            let Some(text) = text else { continue };
            let mut r = String::new();
            if first
                && let Some((size, centre)) = seal
                && s.seal_image
                && self.setup.seal.is_some()
            {
                // The seal behind the 署名 and date, its centre at the 署名 line's top.
                let top = lead() - size / 2.0;
                r.push_str(&seal_drawing(centre - size / 2.0, top, size));
                self.seal = true;
            }
            r.push_str(&self.runs(text, Role::FangSong, ""));
            // The date is set from the right (右空二字, with a seal 右空四字), so that it stays
            // there whatever width a reader gives its digits; the 署名 where the PDF has it.
            let is_date = std::ptr::eq(text, s.date.as_ref().unwrap_or(text)) && s.date.is_some();
            let long_name = s.name.as_ref().map_or(0.0, width_pt)
                > s.date.as_ref().map_or(0.0, width_pt) + 8.0 * char_pt();
            let ppr = if is_date && !(s.seal.is_some() && long_name) {
                let right = if s.seal.is_some() { 4.0 } else { 2.0 };
                format!(
                    r#"{before}<w:ind w:left="0" w:right="{}" w:firstLine="0"/><w:jc w:val="right"/>"#,
                    twips(right * char_pt())
                )
            } else {
                format!(
                    r#"{before}<w:ind w:left="{}" w:firstLine="0"/>"#,
                    twips(left)
                )
            };
            self.out.push_str(&para("Signature", &ppr, &r));
            before = String::new();
            first = false;
        }
    }

    fn attachment(&mut self, number: Option<&str>, title: &[Text], landscape: bool) {
        let label = format!("附件{}", number.unwrap_or(""));
        let new_section = landscape || self.landscape;
        if new_section {
            let sect = self.sect_pr();
            self.out
                .push_str(&format!("<w:p><w:pPr>{sect}</w:pPr></w:p>"));
            self.landscape = landscape;
        }
        let ppr = if new_section {
            ""
        } else {
            "<w:pageBreakBefore/>"
        };
        let r = self.runs(&vec![piece(&label)], Role::Hei, "");
        self.out.push_str(&para("AttachmentLabel", ppr, &r));
        self.out.push_str(&para("Normal", "", ""));
        if !title.is_empty() {
            self.title(title, "");
        }
    }

    /// A centred 2号 小标宋 title of `lines`.
    fn title(&mut self, lines: &[Text], ppr: &str) {
        let mut t = Text::new();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                t.push(Piece::Break);
            }
            t.extend(line.iter().cloned());
        }
        let r = self.runs(&t, Role::XiaoBiaoSong, "");
        self.out.push_str(&para("Title", ppr, &r));
    }

    fn table(&mut self, t: &Table) {
        let cols = t.widths.len().max(1);
        let header = lay_cells(&t.header, cols);
        let body = lay_cells(&t.cells, cols);
        let size = half_points(t.size);
        let mut x = String::new();
        x.push_str(&format!(
            r#"<w:tbl><w:tblPr><w:tblW w:w="{}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{m}" w:type="dxa"/><w:right w:w="{m}" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>"#,
            t.widths.iter().map(|w| twips(*w)).sum::<i64>(),
            ["top", "left", "bottom", "right", "insideH", "insideV"]
                .iter()
                .map(|s| format!(r#"<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#))
                .collect::<String>(),
            m = twips(0.4 * t.size),
        ));
        for w in &t.widths {
            x.push_str(&format!(r#"<w:gridCol w:w="{}"/>"#, twips(*w)));
        }
        x.push_str("</w:tblGrid>");
        for (rows, head) in [(&header, true), (&body, false)] {
            for r in 0..rows.height {
                let trpr = if head {
                    "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
                } else {
                    "<w:trPr><w:cantSplit/></w:trPr>"
                };
                x.push_str(&format!("<w:tr>{trpr}"));
                let mut c = 0;
                while c < cols {
                    let width: f64;
                    let span;
                    let inner;
                    match rows.at(r, c) {
                        Slot::Origin(cell) => {
                            span = cell.span;
                            width = t.widths[c..(c + span.0).min(cols)].iter().sum();
                            let merge = if span.1 > 1 {
                                r#"<w:vMerge w:val="restart"/>"#
                            } else {
                                ""
                            };
                            let (style, role) = if head {
                                ("TableHead", Role::Hei)
                            } else {
                                ("TableText", Role::FangSong)
                            };
                            let jc = if cell.centred { "center" } else { "left" };
                            let sz = format!(r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#);
                            let runs = self.runs(&cell.text, role, &sz);
                            inner = (
                                merge.to_string(),
                                para(style, &format!(r#"<w:jc w:val="{jc}"/>"#), &runs),
                            );
                        }
                        Slot::Covered(cell) => {
                            span = cell.span;
                            width = t.widths[c..(c + span.0).min(cols)].iter().sum();
                            inner = (
                                r#"<w:vMerge/>"#.to_string(),
                                para(if head { "TableHead" } else { "TableText" }, "", ""),
                            );
                        }
                        Slot::Empty => {
                            span = (1, 1);
                            width = t.widths[c];
                            inner = (String::new(), para("TableText", "", ""));
                        }
                    }
                    let grid = if span.0 > 1 {
                        format!(r#"<w:gridSpan w:val="{}"/>"#, span.0)
                    } else {
                        String::new()
                    };
                    x.push_str(&format!(
                        r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/>{grid}{}<w:vAlign w:val="center"/></w:tcPr>{}</w:tc>"#,
                        twips(width),
                        inner.0,
                        inner.1
                    ));
                    c += span.0.max(1);
                }
                x.push_str("</w:tr>");
            }
        }
        x.push_str("</w:tbl>");
        self.out.push_str(&x);
        self.out.push_str(&para("TableText", "", ""));
    }

    /// The 版记 (or 报送) on the page the PDF has it, its last rule on the 版心's bottom edge:
    /// `at` is where it starts in the PDF (page, mm from the top), `stop` where the body ends.
    /// On a page of its own (after a blank page, perhaps), it starts a section whose pages carry
    /// no number (§7.5).
    fn end(&mut self, end: &EndMatter, at: (usize, f64), stop: Option<(usize, f64)>) {
        if self.landscape {
            let sect = self.sect_pr();
            self.out
                .push_str(&format!("<w:p><w:pPr>{sect}</w:pPr></w:p>"));
            self.landscape = false;
        }
        let (page, y) = at;
        let (stop_page, stop_y) = stop.unwrap_or(at);
        let breaks = page.saturating_sub(stop_page);
        // The space above it, as a paragraph of that exact height.
        let space = if breaks > 0 {
            let sect = self.sect_pr();
            self.out
                .push_str(&format!("<w:p><w:pPr>{sect}</w:pPr></w:p>"));
            self.numbered = false;
            if breaks > 1 {
                // The blank page before an even 版记 page.
                self.out.push_str(&para("Normal", "", ""));
            }
            below_top(y)
        } else {
            (y - stop_y) / PT
        };
        let page_break = if breaks > 1 {
            "<w:pageBreakBefore/>"
        } else {
            ""
        };
        if space > 0.5 || breaks > 1 {
            self.out.push_str(&para(
                "EndMatter",
                &format!("{page_break}{}", exact(space.max(1.0))),
                "",
            ));
        }
        let outer = if end.letter { "nil" } else { "single" };
        let thick = 8; // 0.35 mm ≈ 1 pt, in eighths of a point
        let thin = 6; // 0.25 mm ≈ 0.75 pt
        let mut x = format!(
            r#"<w:tbl><w:tblPr><w:tblW w:w="{w}" w:type="dxa"/><w:tblBorders><w:top w:val="{outer}" w:sz="{thick}" w:space="0" w:color="000000"/><w:left w:val="nil"/><w:bottom w:val="{outer}" w:sz="{thick}" w:space="0" w:color="000000"/><w:right w:val="nil"/><w:insideH w:val="{outer}" w:sz="{thin}" w:space="0" w:color="000000"/><w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid><w:gridCol w:w="{w}"/></w:tblGrid>"#,
            w = mm(AREA.0),
        );
        let row = |content: String| {
            format!(
                r#"<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/></w:tcPr>{content}</w:tc></w:tr>"#,
                mm(AREA.0)
            )
        };
        for (label, text) in &end.rows {
            let mut t = vec![piece(&format!("{label}："))];
            t.extend(text.iter().cloned());
            let r = self.runs(&t, Role::FangSong, "");
            x.push_str(&row(para("EndMatter", "", &r)));
        }
        if let Some((org, date)) = &end.issued {
            let mut r = self.runs(org, Role::FangSong, "");
            r.push_str("<w:r><w:tab/></w:r>");
            r.push_str(&self.runs(date, Role::FangSong, ""));
            let tabs = format!(
                r#"<w:tabs><w:tab w:val="right" w:pos="{}"/></w:tabs>"#,
                mm(AREA.0) - twips(14.0)
            );
            x.push_str(&row(para("EndMatter", &tabs, &r)));
        }
        x.push_str("</w:tbl>");
        self.out.push_str(&x);
        // A paragraph must follow a table; as small as a paragraph can be.
        self.out.push_str(&para("EndMatter", &exact(1.0), ""));
    }

    /// The section properties that end the current section.
    fn sect_pr(&mut self) -> String {
        let first = self.sections == 0;
        self.sections += 1;
        let (w, h) = if self.landscape {
            (PAPER.1, PAPER.0)
        } else {
            PAPER
        };
        let footers = if !self.numbered {
            r#"<w:footerReference w:type="default" r:id="rIdFooterNone"/><w:footerReference w:type="even" r:id="rIdFooterNone"/>"#
        } else if self.letter && first {
            r#"<w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/><w:footerReference w:type="first" r:id="rIdFooterFirst"/>"#
        } else {
            r#"<w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>"#
        };
        let title_pg = if self.letter && first {
            "<w:titlePg/>"
        } else {
            ""
        };
        let footers = if self.first_header.is_some() && first {
            format!(r#"<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>{footers}"#)
        } else {
            footers.to_string()
        };
        let header = mm(HEADER);
        // The bottom margin leaves room for exactly 22 lines (less a hair, so the 22nd fits).
        let bottom = mm(PAPER.1 - TOP) + twips(lead()) - twips(22.0 * pitch_pt()) - 2;
        let right = PAPER.0 - LEFT - AREA.0;
        let (orient, margins) = if self.landscape {
            // The portrait sheet turned: 订口 at the top, 天头 at the right.
            (
                r#" w:orient="landscape""#,
                format!(
                    r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{header}" w:footer="{}" w:gutter="0"/>"#,
                    mm(LEFT) - twips(lead()),
                    mm(TOP),
                    mm(right),
                    bottom,
                    footer_distance()
                ),
            )
        } else {
            (
                "",
                format!(
                    r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{header}" w:footer="{}" w:gutter="0"/>"#,
                    mm(TOP) - twips(lead()),
                    mm(right),
                    bottom,
                    mm(LEFT),
                    footer_distance()
                ),
            )
        };
        format!(
            r#"<w:sectPr>{footers}<w:pgSz w:w="{}" w:h="{}"{orient}/>{margins}<w:pgNumType w:fmt="decimal"/>{title_pg}<w:docGrid w:type="linesAndChars" w:linePitch="{}" w:charSpace="{}"/></w:sectPr>"#,
            mm(w),
            mm(h),
            twips(pitch_pt()),
            char_space(),
        )
    }
}

/// `w:charSpace`: how much the grid's character pitch differs from the body size, in 1/4096
/// of a point.
pub(crate) fn char_space() -> i64 {
    ((char_pt() - BODY_PT) * 4096.0).round() as i64
}

/// The footer's distance from the paper's foot: the page number's dash 7 mm below the 版心.
pub(crate) fn footer_distance() -> i64 {
    // The dash's top is about 0.3 em above the baseline; the line's text sits at its foot.
    let baseline = TOP + AREA.1 + 7.0 + 0.3 * 14.0 * PT;
    mm(PAPER.1 - baseline - 0.2 * 14.0 * PT)
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

fn exact(height_pt: f64) -> String {
    format!(
        r#"<w:spacing w:before="0" w:after="0" w:line="{}" w:lineRule="exact"/>"#,
        twips(height_pt)
    )
}

fn spacing_before(pt: f64) -> String {
    format!(r#"<w:spacing w:before="{}"/>"#, twips(pt))
}

fn page_break() -> String {
    r#"<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>"#
        .to_string()
}

/// A paragraph in `style` with extra properties `ppr` and `runs`.
fn para(style: &str, ppr: &str, runs: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{}</w:pPr>{runs}</w:p>"#,
        in_schema_order(ppr)
    )
}

/// Paragraph properties in the order WordprocessingML's schema gives them (Word refuses a file
/// whose properties come in another order).
pub(crate) fn in_schema_order(ppr: &str) -> String {
    const ORDER: [&str; 17] = [
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "widowControl",
        "pBdr",
        "tabs",
        "overflowPunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "snapToGrid",
        "spacing",
        "ind",
        "jc",
        "outlineLvl",
        "rPr",
        "sectPr",
        "",
    ];
    let element = elements(ppr);
    let mut parts: Vec<(usize, &str)> = element
        .into_iter()
        .map(|(name, xml)| {
            let rank = ORDER.iter().position(|o| *o == name).unwrap_or(ORDER.len());
            (rank, xml)
        })
        .collect();
    parts.sort_by_key(|(rank, _)| *rank);
    parts.into_iter().map(|(_, xml)| xml).collect()
}

/// The top-level elements of a run of XML elements: each one's local name and its text.
fn elements(xml: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<w:") {
        let tail = &rest[start + 3..];
        let name_end = tail.find([' ', '/', '>']).unwrap_or(tail.len());
        let name = &tail[..name_end];
        let open_end = tail.find('>').map_or(tail.len(), |i| i + 1);
        let end = if tail[..open_end].ends_with("/>") {
            start + 3 + open_end
        } else {
            let close = format!("</w:{name}>");
            rest[start..]
                .find(&close)
                .map_or(rest.len(), |i| start + i + close.len())
        };
        out.push((name, &rest[start..end]));
        rest = &rest[end..];
    }
    out
}

/// Roughly how wide `text` is set in the body size: ideographs a character pitch, others half.
fn width_pt(text: &Text) -> f64 {
    plain(text)
        .chars()
        .map(|c| {
            if c.is_ascii() {
                char_pt() / 2.0
            } else {
                char_pt()
            }
        })
        .sum()
}

/// The seal image, anchored behind the text at `left` (points from the type area's left edge)
/// and `top` (points from the paragraph's top), `size` points square.
fn seal_drawing(left: f64, top: f64, size: f64) -> String {
    let (x, y, s) = (emu(left), emu(top), emu(size));
    format!(
        r#"<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="1" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>{x}</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV><wp:extent cx="{s}" cy="{s}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="1" name="印章"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="1" name="印章.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdSeal"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{s}" cy="{s}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"#
    )
}

/// Cells placed on a grid as Typst places them: row by row, each in the first free slot wide
/// enough for it.
struct Grid<'a> {
    height: usize,
    slots: Vec<Vec<Slot<'a>>>,
}

#[derive(Clone, Copy)]
enum Slot<'a> {
    Empty,
    Origin(&'a Cell),
    Covered(&'a Cell),
}

impl<'a> Grid<'a> {
    fn at(&self, r: usize, c: usize) -> Slot<'a> {
        self.slots
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(Slot::Empty)
    }
}

fn lay_cells(cells: &[Cell], cols: usize) -> Grid<'_> {
    let mut slots: Vec<Vec<Slot>> = Vec::new();
    let free = |slots: &Vec<Vec<Slot>>, r: usize, c: usize| {
        !matches!(
            slots.get(r).and_then(|row| row.get(c)),
            Some(Slot::Origin(_) | Slot::Covered(_))
        )
    };
    let (mut r, mut c) = (0usize, 0usize);
    for cell in cells {
        let (cs, rs) = (cell.span.0.clamp(1, cols), cell.span.1.max(1));
        loop {
            if c + cs > cols {
                r += 1;
                c = 0;
                continue;
            }
            if (0..cs).all(|k| free(&slots, r, c + k)) {
                break;
            }
            c += 1;
        }
        for dr in 0..rs {
            while slots.len() <= r + dr {
                slots.push(vec![Slot::Empty; cols]);
            }
            for dc in 0..cs {
                slots[r + dr][c + dc] = if dr == 0 && dc == 0 {
                    Slot::Origin(cell)
                } else if dc == 0 {
                    Slot::Covered(cell)
                } else {
                    // Covered by the same cell's span to the left: skipped by its gridSpan.
                    Slot::Covered(cell)
                };
            }
        }
        c += cs;
    }
    Grid {
        height: slots.len(),
        slots,
    }
}

fn header_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{body}</w:hdr>"#
    )
}

fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>{body}</w:body></w:document>"#
    )
}
