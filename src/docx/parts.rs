//! The package's other parts: the styles that carry the formatting (so that a paragraph a
//! clerk types takes the right face, size and indent), settings, the page-number footers, the
//! relationships, the content types and the core properties.

use chrono::NaiveDate;

use super::body::{NUMBER_PT, RED, char_pt, number_baseline, number_lift, pitch_pt};
use super::units::{emu, half_points, twips};
use super::{Faces, escape};
use crate::conformance::{AREA, BODY_PT, LEFT, PAPER, PT};
use crate::contract::KeyId;
use crate::fonts::Role;

/// Characters are set 0.3 pt closer than their size, so that 28 of 3号 fit the 156 mm line
/// (and each fits one cell of the character grid). The PDF needs only 0.25 pt, but at that
/// LibreOffice, on a `linesAndChars` grid, breaks every line of ideographs after 27 (measured on
/// 整改报告); at 0.3 pt it sets 28, and 29 cannot fit (29 × 15.7 pt is more than the line's 442 pt).
pub(crate) const TRACKING: f64 = -0.3;

/// The 版记's (and 报送's) size, points (4号); its rows are indented one character each side.
pub(crate) const END_PT: f64 = 14.0;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// One paragraph style.
struct Style<'a> {
    /// Its id, as paragraphs name it.
    id: &'a str,
    /// Its name (Word's built-in names are shown translated: Normal as 正文, heading 1 as 标题 1).
    name: &'a str,
    /// The Chinese name it is also known by.
    alias: Option<&'a str>,
    /// The face.
    role: Role,
    /// Size in points.
    size: f64,
    /// Extra paragraph properties.
    ppr: String,
    /// Extra run properties.
    rpr: String,
    /// Outline level (headings).
    outline: Option<u8>,
}

/// `word/styles.xml`.
pub(crate) fn styles(faces: &Faces) -> String {
    let indent2 = twips(2.0 * char_pt());
    let exact = format!(
        r#"<w:spacing w:before="0" w:after="0" w:line="{}" w:lineRule="exact"/>"#,
        twips(pitch_pt())
    );
    let no_indent = r#"<w:ind w:firstLine="0" w:firstLineChars="0"/>"#.to_string();
    // No paragraph snaps to the grid: LibreOffice gives a character wider than a grid cell two
    // cells (a 3号 character is 16 pt, the cell 15.8 pt), and text other than 3号 would be
    // spread. The body sits on the grid by its exact line pitch and its spacing instead.
    let free = "";
    let body = |id, name, alias, role, ppr: String| Style {
        id,
        name,
        alias,
        role,
        size: BODY_PT,
        ppr,
        rpr: String::new(),
        outline: None,
    };
    let heading = |level: u8, alias, role| Style {
        outline: Some(level - 1),
        ..body(
            ["Heading1", "Heading2", "Heading3", "Heading4"][usize::from(level - 1)],
            ["heading 1", "heading 2", "heading 3", "heading 4"][usize::from(level - 1)],
            Some(alias),
            role,
            "<w:keepNext/>".to_string(),
        )
    };
    let single = r#"<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:snapToGrid w:val="0"/>"#;
    let list = [
        Style {
            rpr: format!(r#"<w:spacing w:val="{}"/>"#, twips(TRACKING)),
            // Set on the style too. LibreOffice reads overflowPunct the other way round from
            // Word (1: no hanging punctuation, writerfilter's DomainMapper), and ignores
            // autoSpaceDE/DN; 1 is also Word's default.
            ..body(
                "Normal",
                "Normal",
                None,
                Role::FangSong,
                r#"<w:overflowPunct w:val="1"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>"#
                    .to_string(),
            )
        },
        Style {
            size: 22.0,
            ..body(
                "Title",
                "Title",
                None,
                Role::XiaoBiaoSong,
                format!(r#"{no_indent}{free}<w:jc w:val="center"/><w:keepNext/>"#),
            )
        },
        heading(1, "一级标题", Role::Hei),
        heading(2, "二级标题", Role::Kai),
        heading(3, "三级标题", Role::FangSong),
        heading(4, "四级标题", Role::FangSong),
        body(
            "Addressee",
            crate::contract::key(KeyId::Addressee),
            None,
            Role::FangSong,
            no_indent.clone(),
        ),
        body(
            "AttachmentNote",
            crate::contract::key(KeyId::AttachmentNote),
            None,
            Role::FangSong,
            format!(
                r#"<w:ind w:left="{}" w:hanging="{}"/><w:jc w:val="left"/>"#,
                twips(5.0 * char_pt()),
                twips(3.0 * char_pt())
            ),
        ),
        Style {
            // Set solid, as the PDF sets it: off the character grid, untracked text has one
            // width in every reader.
            rpr: r#"<w:spacing w:val="0"/>"#.to_string(),
            ..body(
                "Signature",
                "落款",
                None,
                Role::FangSong,
                format!(r#"{no_indent}<w:jc w:val="right"/><w:keepNext/>"#),
            )
        },
        body(
            "AttachmentLabel",
            "附件标识",
            None,
            Role::Hei,
            no_indent.clone(),
        ),
        body(
            "HeadLine",
            "版头",
            None,
            Role::FangSong,
            format!(r#"{no_indent}{free}<w:jc w:val="left"/>"#),
        ),
        Style {
            rpr: format!(r#"<w:color w:val="{RED}"/>"#),
            size: 48.0,
            ..body(
                "Mark",
                crate::contract::key(KeyId::Mark),
                None,
                Role::XiaoBiaoSong,
                format!(r#"{no_indent}{free}<w:jc w:val="center"/>"#),
            )
        },
        body(
            "DocNumber",
            crate::contract::key(KeyId::DocNumber),
            None,
            Role::FangSong,
            format!(r#"{no_indent}{free}<w:jc w:val="center"/>"#),
        ),
        body("Column", "栏目标题", None, Role::Hei, no_indent.clone()),
        Style {
            size: END_PT,
            ..body(
                "EndMatter",
                "版记",
                None,
                Role::FangSong,
                format!(
                    r#"<w:ind w:left="{0}" w:right="{0}" w:firstLine="0" w:firstLineChars="0"/>{free}<w:jc w:val="left"/>"#,
                    twips(END_PT)
                ),
            )
        },
        Style {
            rpr: r#"<w:spacing w:val="0"/>"#.to_string(),
            size: NUMBER_PT,
            ..body(
                "PageNumber",
                "页码",
                None,
                Role::Song,
                format!(r#"{no_indent}{single}"#),
            )
        },
        Style {
            rpr: r#"<w:spacing w:val="0"/>"#.to_string(),
            size: 14.0,
            ..body(
                "TableText",
                "表格文字",
                None,
                Role::FangSong,
                format!(r#"{no_indent}{single}<w:jc w:val="left"/>"#),
            )
        },
        Style {
            rpr: r#"<w:spacing w:val="0"/>"#.to_string(),
            size: 14.0,
            ..body(
                "TableHead",
                "表头",
                None,
                Role::Hei,
                format!(r#"{no_indent}{single}<w:jc w:val="center"/>"#),
            )
        },
    ];
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr>{}<w:spacing w:val="{condense}"/><w:kern w:val="0"/><w:sz w:val="{s}"/><w:szCs w:val="{s}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:overflowPunct w:val="1"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/>{exact}<w:ind w:firstLine="{indent2}"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
        fonts(faces, Role::FangSong),
        s = half_points(BODY_PT),
        condense = twips(TRACKING),
    );
    for st in &list {
        let default = if st.id == "Normal" {
            r#" w:default="1""#
        } else {
            ""
        };
        let based = if st.id == "Normal" {
            String::new()
        } else {
            r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/>"#.to_string()
        };
        let alias = st
            .alias
            .map(|a| format!(r#"<w:aliases w:val="{a}"/>"#))
            .unwrap_or_default();
        let outline = st
            .outline
            .map(|l| format!(r#"<w:outlineLvl w:val="{l}"/>"#))
            .unwrap_or_default();
        let size = half_points(st.size);
        out.push_str(&format!(
            r#"<w:style w:type="paragraph"{default} w:styleId="{}"><w:name w:val="{}"/>{alias}{based}<w:qFormat/><w:pPr>{}</w:pPr><w:rPr>{}{}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>"#,
            st.id,
            st.name,
            super::body::in_schema_order(&format!("{}{outline}", st.ppr)),
            fonts(faces, st.role),
            st.rpr,
        ));
    }
    out.push_str(
        r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#,
    );
    out
}

fn fonts(faces: &Faces, role: Role) -> String {
    let f = escape(faces.name(role)).into_owned();
    format!(
        r#"<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}" w:hint="eastAsia"/>"#
    )
}

/// `word/settings.xml`: odd and even footers differ.
pub(crate) fn settings() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings {W}><w:defaultTabStop w:val="{}"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#,
        twips(2.0 * char_pt())
    )
}

/// A page-number footer: “— N —” in 4号 宋体, odd pages 右空一字, even pages 左空一字; a 信函's
/// first page has none but carries the lower red double rule (`first`).
pub(crate) fn footer(faces: &Faces, which: Footer) -> String {
    let f = fonts(faces, Role::Song);
    let size = half_points(NUMBER_PT);
    let rpr = format!(r#"<w:rPr>{f}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>"#);
    let number = format!(
        r#"<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r><w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>1</w:t></w:r><w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r><w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>"#
    );
    // Under the number, the line that holds it above the footers' foot (where a 信函's lower
    // rule ends).
    let lift = format!(
        r#"<w:p><w:pPr><w:pStyle w:val="PageNumber"/><w:spacing w:before="0" w:after="0" w:line="{}" w:lineRule="exact"/></w:pPr></w:p>"#,
        twips(number_lift())
    );
    let p = match which {
        Footer::Odd | Footer::Even => {
            let side = if matches!(which, Footer::Odd) {
                "right"
            } else {
                "left"
            };
            format!(
                r#"<w:p><w:pPr><w:pStyle w:val="PageNumber"/><w:ind w:{side}="{}"/><w:jc w:val="{side}"/></w:pPr>{number}</w:p>{lift}"#,
                twips(NUMBER_PT)
            )
        }
        Footer::TurnedOdd => turned_number(&number, true),
        Footer::TurnedEven => turned_number(&number, false),
        Footer::None => r#"<w:p><w:pPr><w:pStyle w:val="PageNumber"/></w:pPr></w:p>"#.to_string(),
        Footer::LetterFirst => {
            // The lower double rule of a 信函: 170 mm, centred on the paper, its lower edge 20 mm
            // above the paper's foot (thin above, thick below).
            let side = super::units::mm((AREA.0 - 170.0) / 2.0);
            format!(
                r#"<w:p><w:pPr><w:pStyle w:val="PageNumber"/><w:pBdr><w:bottom w:val="thinThickSmallGap" w:sz="12" w:space="0" w:color="{RED}"/></w:pBdr><w:ind w:left="{side}" w:right="{side}"/></w:pPr></w:p>"#
            )
        }
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {W} {DRAWING}>{p}</w:ftr>"#
    )
}

/// The namespaces of a drawing (a turned page's number is in a text box).
const DRAWING: &str = r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape""#;

/// The ascent of the 宋体 role's face (FandolSong's Windows ascent, 0.978 em): a single-spaced
/// line's baseline stands that far below the line's top (LibreOffice, measured: 0.970 em).
const SONG_ASCENT: f64 = 0.978;

/// A landscape page's number where §7.5 wants it on the portrait sheet the page is printed on:
/// upright at the sheet's foot, 7 mm below the 版心, odd 右空一字 and even 左空一字. The sheet
/// is the landscape page turned a quarter anticlockwise (its top is the sheet's left edge, as
/// the PDF turns it), so the number stands along the page's left edge, set top to bottom, in a
/// text box in the footer (not the running text). The box is aligned to the page's edges and
/// the number placed in it by indents: LibreOffice 7.4 ignores a box's offsets and insets when
/// it first lays out a footer, and reads them when it lays the page out again (measured).
fn turned_number(number: &str, odd: bool) -> String {
    // From the page's left edge to the line's top, which is the sheet's y turned.
    let across = PAPER.1 - (number_baseline() - SONG_ASCENT * NUMBER_PT * PT);
    // Along the line, from the page's bottom (odd) or top (even) edge; the sheet's x is the
    // page's y.
    let along = 80.0;
    let (edge, side, space) = if odd {
        (
            "bottom",
            "right",
            PAPER.0 - (LEFT + AREA.0 - NUMBER_PT * PT),
        )
    } else {
        ("top", "left", LEFT + NUMBER_PT * PT)
    };
    let indent = format!(
        r#"<w:ind w:{side}="{}"/><w:jc w:val="{side}"/>"#,
        twips(space / PT)
    );
    let id = if odd { 90 } else { 91 };
    let [w, h] = [across, along].map(|mm| emu(mm / PT));
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="PageNumber"/></w:pPr><w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="0" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="page"><wp:align>left</wp:align></wp:positionH><wp:positionV relativeFrom="page"><wp:align>{edge}</wp:align></wp:positionV><wp:extent cx="{w}" cy="{h}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="{id}" name="页码"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{w}" cy="{h}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent><w:p><w:pPr><w:pStyle w:val="PageNumber"/>{indent}</w:pPr>{number}</w:p></w:txbxContent></wps:txbx><wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>"#
    )
}

/// Which footer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Footer {
    /// Odd pages (and every page where odd and even are the same).
    Odd,
    /// Even pages.
    Even,
    /// A 信函's first page.
    LetterFirst,
    /// The pages of the 版记 and the blank page before it: no number.
    None,
    /// Odd landscape pages: the number upright at the portrait sheet's foot.
    TurnedOdd,
    /// Even landscape pages.
    TurnedEven,
}

/// `word/_rels/document.xml.rels`.
pub(crate) fn document_rels(seal: bool, first_header: bool) -> String {
    let header = if first_header {
        r#"<Relationship Id="rIdHeaderFirst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>"#
    } else {
        ""
    };
    let seal = if seal {
        r#"<Relationship Id="rIdSeal" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/seal.png"/>"#
    } else {
        ""
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/><Relationship Id="rIdFooterFirst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer3.xml"/><Relationship Id="rIdFooterNone" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer4.xml"/><Relationship Id="rIdFooterTurnedOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer5.xml"/><Relationship Id="rIdFooterTurnedEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer6.xml"/>{header}{seal}</Relationships>"#
    )
}

/// `_rels/.rels`.
pub(crate) const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

/// `[Content_Types].xml`.
pub(crate) const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer3.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer4.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer5.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer6.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

/// `docProps/core.xml`: the title, and the 成文日期 as the creation and modification time.
pub(crate) fn core(title: &str, date: NaiveDate) -> String {
    let when = date.format("%Y-%m-%dT00:00:00Z");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>gongwen</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>"#,
        escape(title)
    )
}

/// `docProps/app.xml`.
pub(crate) fn app() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>gongwen {}</Application></Properties>"#,
        env!("CARGO_PKG_VERSION")
    )
}
