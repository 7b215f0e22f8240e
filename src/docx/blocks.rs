//! The document's blocks as the style library marks them: each block of a laid-out document
//! (the 版头, a paragraph, a heading, the 落款, a table …) leaves a `metadata` labelled
//! `<gw-块>` holding what it is and its parts. Read here in reading order, with the page each
//! landed on, into typed blocks the DOCX writer lays out again.

use typst::foundations::Repr;
use typst::foundations::{Content, Dict, Label, Selector, SequenceElem, StyledElem, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::layout::BoxElem;
use typst::model::StrongElem;
use typst::text::{LinebreakElem, SmartQuoteElem, SpaceElem, TextElem};
use typst_layout::PagedDocument;

/// A piece of a paragraph's text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    /// Text, bold or not.
    Text { text: String, bold: bool },
    /// A line break within the paragraph.
    Break,
}

/// A paragraph's (or a cell's, a name's) text.
pub(crate) type Text = Vec<Piece>;

/// The 版头 and the title, as `公文` was called.
#[derive(Debug, Clone, Default)]
pub(crate) struct Head {
    /// 文件, 信函 or 简报.
    pub format: String,
    /// Whether the document goes up (签发人 beside the 发文字号).
    pub upward: bool,
    /// 份号, 密级 (with its 保密期限) and 紧急程度, each a line, in that order.
    pub marks: Vec<Text>,
    /// The 发文机关标志 (a 简报's name) and its size in points as set.
    pub mark: Option<(Text, f64)>,
    /// 发文字号.
    pub number: Option<Text>,
    /// 签发人 names.
    pub signers: Vec<Text>,
    /// The title's lines, broken where the PDF breaks them.
    pub title: Vec<Text>,
    /// 主送机关.
    pub to: Option<Text>,
    /// A 简报's 期号, 编印单位 and date.
    pub issue: Option<Text>,
    /// 编印单位.
    pub editor: Option<Text>,
    /// The date under a 简报's name.
    pub date: Option<Text>,
    /// The grid slot (0-based line of the type area) the title starts on.
    pub title_slot: usize,
}

/// A table: column widths in points, header and body cells.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    /// Text size in points.
    pub size: f64,
    /// Column widths in points.
    pub widths: Vec<f64>,
    /// Header cells in reading order.
    pub header: Vec<Cell>,
    /// Body cells in reading order.
    pub cells: Vec<Cell>,
}

/// A table cell.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    /// Its text.
    pub text: Text,
    /// Columns and rows it spans.
    pub span: (usize, usize),
    /// Whether it is centred.
    pub centred: bool,
}

/// The 落款.
#[derive(Debug, Clone)]
pub(crate) struct Signature {
    /// 署名.
    pub name: Option<Text>,
    /// 成文日期.
    pub date: Option<Text>,
    /// Right edge of the 署名 within the type area, points.
    pub name_right: f64,
    /// Right edge of the date within the type area, points.
    pub date_right: f64,
    /// The seal's centre from the type area's left edge, points.
    pub seal_centre: f64,
    /// The seal: whether it is drawn, and its size in points.
    pub seal: Option<f64>,
    /// Whether the seal has an image (otherwise it is left blank for the stamp).
    pub seal_image: bool,
}

/// The 版记 (or a 简报's 报送 block).
#[derive(Debug, Clone, Default)]
pub(crate) struct EndMatter {
    /// Labelled rows: (抄送, text) or (报, text), (送, text).
    pub rows: Vec<(String, Text)>,
    /// 印发机关 and 印发日期 (as printed, with 印发).
    pub issued: Option<(Text, Text)>,
    /// A 信函's: no rules.
    pub letter: bool,
}

/// What a block is.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// The 版头 and title.
    Head(Box<Head>),
    /// A paragraph, with its alignment (`None`: justified, indented).
    Paragraph { text: Text, align: Option<String> },
    /// A heading: level 1–4, its number as printed, its title, and text run in after it.
    Heading {
        level: u8,
        number: String,
        title: Text,
        run_in: Option<Text>,
    },
    /// Blank lines.
    Blank(usize),
    /// 附件说明: the attachments' names.
    Attachments(Vec<Text>),
    /// 落款.
    Signature(Signature),
    /// 附注 (printed in parentheses).
    Note(Text),
    /// An attachment starts: its number, its title, whether its pages are landscape.
    Attachment {
        number: Option<String>,
        title: Vec<Text>,
        landscape: bool,
    },
    /// A table.
    Table(Table),
    /// The 版记 or 报送 block.
    End(EndMatter),
    /// A 简报 column heading (printed “【…】”), with the blank lines above it.
    Column { text: Text, gap: usize },
    /// A 简报 article's title lines, with the blank lines above them.
    Article { title: Vec<Text>, gap: usize },
    /// The title of the document a 通知 issues, from a new page.
    Enclosure(Vec<Text>),
}

/// A block and the page (1-based) its marker landed on.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// What it is.
    pub kind: Kind,
    /// The page it starts on in the PDF.
    pub page: usize,
    /// How far down that page it starts in the PDF, mm.
    pub y: f64,
}

/// The blocks of `document`, in reading order.
pub(crate) fn blocks(document: &PagedDocument) -> Vec<Block> {
    let introspector = document.introspector();
    let place = |c: &Content| {
        c.location()
            .and_then(|l| introspector.position(l))
            .map_or((1, 0.0), |p| (p.page.get(), p.point.y.to_mm()))
    };
    introspector
        .query(&Selector::Label(label("gw-块")))
        .iter()
        .filter_map(|c| {
            let meta = c.to_packed::<MetadataElem>()?;
            let Value::Dict(dict) = &meta.value else {
                return None;
            };
            let (page, y) = place(c);
            Some(Block {
                kind: kind(dict)?,
                page,
                y,
            })
        })
        .collect()
}

/// Where the body ends in the PDF (the style library marks it before the 版记): page and mm
/// from its top.
pub(crate) fn body_end(document: &PagedDocument) -> Option<(usize, f64)> {
    let introspector = document.introspector();
    let last = introspector
        .query(&Selector::Label(label("gw-正文止")))
        .last()
        .cloned()?;
    let p = introspector.position(last.location()?)?;
    Some((p.page.get(), p.point.y.to_mm()))
}

fn label(name: &str) -> Label {
    Label::new(typst::utils::PicoStr::intern(name)).expect("a label")
}

fn kind(d: &Dict) -> Option<Kind> {
    let what = string(d, "kind")?;
    Some(match what.as_str() {
        "head" => Kind::Head(Box::new(head(d))),
        "paragraph" => Kind::Paragraph {
            text: text(d, "text"),
            align: string(d, "align"),
        },
        "heading" => Kind::Heading {
            level: number(d, "level").unwrap_or(1.0) as u8,
            number: string(d, "number").unwrap_or_default(),
            title: text(d, "text"),
            run_in: optional_text(d, "run-in"),
        },
        "blank" => Kind::Blank(number(d, "lines").unwrap_or(1.0) as usize),
        "attachments" => Kind::Attachments(texts(d, "names")),
        "signature" => Kind::Signature(Signature {
            name: optional_text(d, "name"),
            date: optional_text(d, "date"),
            name_right: number(d, "name-right").unwrap_or(0.0),
            date_right: number(d, "date-right").unwrap_or(0.0),
            seal_centre: number(d, "seal-centre").unwrap_or(0.0),
            seal: (!matches!(d.get("seal"), Ok(Value::None) | Err(_)))
                .then(|| number(d, "seal-size").unwrap_or(119.0)),
            seal_image: matches!(d.get("seal"), Ok(Value::Str(_))),
        }),
        "note" => Kind::Note(text(d, "text")),
        "attachment" => Kind::Attachment {
            number: match d.get("number") {
                Ok(Value::Int(n)) => Some(n.to_string()),
                Ok(v @ Value::Content(_)) => Some(plain(&pieces(v))),
                Ok(Value::Str(s)) => Some(s.to_string()),
                _ => None,
            },
            title: lines(d, "title"),
            landscape: matches!(d.get("landscape"), Ok(Value::Bool(true))),
        },
        "table" => Kind::Table(table(d)),
        "end" => Kind::End(EndMatter {
            rows: match d.get("rows") {
                Ok(Value::Array(rows)) => rows
                    .iter()
                    .filter_map(|row| match row {
                        Value::Dict(r) => Some((string(r, "label")?, text(r, "text"))),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            },
            issued: match (optional_text(d, "issuer"), optional_text(d, "issued")) {
                (None, None) => None,
                (org, date) => Some((org.unwrap_or_default(), date.unwrap_or_default())),
            },
            letter: matches!(d.get("letter"), Ok(Value::Bool(true))),
        }),
        "column" => Kind::Column {
            text: text(d, "text"),
            gap: number(d, "gap").unwrap_or(0.0) as usize,
        },
        "article" => Kind::Article {
            title: lines(d, "title"),
            gap: number(d, "gap").unwrap_or(0.0) as usize,
        },
        "enclosure" => Kind::Enclosure(lines(d, "title")),
        _ => return None,
    })
}

fn head(d: &Dict) -> Head {
    let mut marks = Vec::new();
    if let Some(t) = optional_text(d, "copy") {
        marks.push(t);
    }
    if let Some(mut t) = optional_text(d, "secret") {
        if let Some(p) = optional_text(d, "period") {
            t.push(Piece::Text {
                text: "★".into(),
                bold: false,
            });
            t.extend(p);
        }
        marks.push(t);
    }
    if let Some(t) = optional_text(d, "urgency") {
        marks.push(t);
    }
    Head {
        format: string(d, "format").unwrap_or_default(),
        upward: matches!(d.get("upward"), Ok(Value::Bool(true))),
        marks,
        mark: optional_text(d, "mark").map(|t| (t, number(d, "mark-size").unwrap_or(48.0))),
        number: optional_text(d, "number"),
        signers: texts(d, "signers"),
        title: lines(d, "title"),
        to: optional_text(d, "to"),
        issue: optional_text(d, "issue"),
        editor: optional_text(d, "editor"),
        date: optional_text(d, "date"),
        title_slot: number(d, "title-slot").unwrap_or(0.0) as usize,
    }
}

fn table(d: &Dict) -> Table {
    let cells = |key: &str| -> Vec<Cell> {
        let Ok(Value::Array(items)) = d.get(key) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                let Value::Array(parts) = item else {
                    return None;
                };
                let parts: Vec<&Value> = parts.iter().collect();
                let int = |i: usize| match parts.get(i) {
                    Some(Value::Int(n)) => (*n).max(1) as usize,
                    _ => 1,
                };
                Some(Cell {
                    text: parts.first().map(|v| pieces(v)).unwrap_or_default(),
                    span: (int(1), int(2)),
                    centred: key == "header" || matches!(parts.get(3), Some(Value::Bool(true))),
                })
            })
            .collect()
    };
    let widths = match d.get("widths") {
        Ok(Value::Array(ws)) => ws.iter().filter_map(points).collect(),
        _ => Vec::new(),
    };
    Table {
        size: number(d, "size").unwrap_or(14.0),
        widths,
        header: cells("header"),
        cells: cells("cells"),
    }
}

/// A length in points, or a number.
fn points(v: &Value) -> Option<f64> {
    match v {
        Value::Length(l) => Some(l.abs.to_pt()),
        Value::Int(n) => Some(*n as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn number(d: &Dict, key: &str) -> Option<f64> {
    d.get(key).ok().and_then(points)
}

fn string(d: &Dict, key: &str) -> Option<String> {
    match d.get(key).ok()? {
        Value::Str(s) => Some(s.to_string()),
        _ => None,
    }
}

fn optional_text(d: &Dict, key: &str) -> Option<Text> {
    match d.get(key).ok()? {
        Value::None => None,
        v => Some(pieces(v)),
    }
}

fn text(d: &Dict, key: &str) -> Text {
    optional_text(d, key).unwrap_or_default()
}

/// An array of texts (names, signers), or one.
fn texts(d: &Dict, key: &str) -> Vec<Text> {
    match d.get(key) {
        Ok(Value::Array(items)) => items.iter().map(pieces).collect(),
        Ok(Value::None) | Err(_) => Vec::new(),
        Ok(v) => vec![pieces(v)],
    }
}

/// A title's lines: an array of lines, or content whose line breaks end lines.
fn lines(d: &Dict, key: &str) -> Vec<Text> {
    match d.get(key) {
        Ok(Value::Array(items)) => items.iter().map(pieces).collect(),
        Ok(Value::None) | Err(_) => Vec::new(),
        Ok(v) => pieces(v)
            .split(|p| *p == Piece::Break)
            .map(<[Piece]>::to_vec)
            .collect(),
    }
}

/// The text of a value: content walked for its text, bold and line breaks.
fn pieces(v: &Value) -> Text {
    let mut out = Vec::new();
    match v {
        Value::Content(c) => walk(c, false, &mut out),
        Value::Str(s) => push(&mut out, s, false),
        Value::None => {}
        other => push(&mut out, &other.repr(), false),
    }
    out
}

fn walk(c: &Content, bold: bool, out: &mut Text) {
    if let Some(seq) = c.to_packed::<SequenceElem>() {
        for child in &seq.children {
            walk(child, bold, out);
        }
    } else if let Some(styled) = c.to_packed::<StyledElem>() {
        walk(&styled.child, bold, out);
    } else if let Some(t) = c.to_packed::<TextElem>() {
        push(out, &t.text, bold);
    } else if c.is::<SpaceElem>() {
        push(out, " ", bold);
    } else if c.is::<LinebreakElem>() {
        out.push(Piece::Break);
    } else if let Some(s) = c.to_packed::<StrongElem>() {
        walk(&s.body, true, out);
    } else if let Some(q) = c.to_packed::<SmartQuoteElem>() {
        push(
            out,
            if q.double.get(Default::default()) {
                "\""
            } else {
                "'"
            },
            bold,
        );
    } else if let Some(b) = c.to_packed::<BoxElem>() {
        if let Some(body) = b.body.get_ref(Default::default()) {
            walk(body, bold, out);
        }
    } else {
        push(out, &c.plain_text(), bold);
    }
}

fn push(out: &mut Text, s: &str, bold: bool) {
    if s.is_empty() {
        return;
    }
    if let Some(Piece::Text { text, bold: b }) = out.last_mut()
        && *b == bold
    {
        text.push_str(s);
        return;
    }
    out.push(Piece::Text {
        text: s.to_string(),
        bold,
    });
}

/// The plain text of pieces (line breaks as nothing).
pub(crate) fn plain(text: &Text) -> String {
    text.iter()
        .filter_map(|p| match p {
            Piece::Text { text, .. } => Some(text.as_str()),
            Piece::Break => None,
        })
        .collect()
}
