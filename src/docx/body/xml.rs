//! WordprocessingML pieces: paragraphs with their properties in schema order, exact line
//! heights, the seal drawing, the header and document parts.

use crate::docx::units::{emu, twips};

pub(super) fn exact(height_pt: f64) -> String {
    format!(
        r#"<w:spacing w:before="0" w:after="0" w:line="{}" w:lineRule="exact"/>"#,
        twips(height_pt)
    )
}

pub(super) fn spacing_before(pt: f64) -> String {
    format!(r#"<w:spacing w:before="{}"/>"#, twips(pt))
}

pub(super) fn page_break() -> String {
    r#"<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>"#
        .to_string()
}

/// A paragraph in `style` with extra properties `ppr` and `runs`.
pub(super) fn para(style: &str, ppr: &str, runs: &str) -> String {
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

/// The seal image, anchored behind the text at `left` (points from the type area's left edge)
/// and `top` (points from the paragraph's top), `size` points square.
pub(super) fn seal_drawing(left: f64, top: f64, size: f64) -> String {
    let (x, y, s) = (emu(left), emu(top), emu(size));
    format!(
        r#"<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="1" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>{x}</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV><wp:extent cx="{s}" cy="{s}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="1" name="印章"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="1" name="印章.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdSeal"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{s}" cy="{s}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"#
    )
}

pub(super) fn header_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{body}</w:hdr>"#
    )
}

pub(super) fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>{body}</w:body></w:document>"#
    )
}
