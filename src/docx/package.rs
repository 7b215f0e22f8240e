//! The zip: parts in a fixed order, every entry dated the 成文日期, so the same document gives
//! the same bytes.

use std::io::Write;

use chrono::Datelike;
use zip::write::SimpleFileOptions;

use super::Setup;
use super::body::Written;
use super::parts::{self, Footer};

/// The DOCX package of a written body.
pub(crate) fn zip(written: &Written, setup: &Setup) -> anyhow::Result<Vec<u8>> {
    let d = setup.date;
    let time = zip::DateTime::from_date_and_time(
        u16::try_from(d.year().clamp(1980, 2107)).unwrap_or(1980),
        d.month() as u8,
        d.day() as u8,
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time);
    let faces = &setup.shared.faces;
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        (
            "[Content_Types].xml",
            parts::CONTENT_TYPES.as_bytes().to_vec(),
        ),
        ("_rels/.rels", parts::ROOT_RELS.as_bytes().to_vec()),
        (
            "docProps/core.xml",
            parts::core(setup.title, d).into_bytes(),
        ),
        ("docProps/app.xml", parts::app().into_bytes()),
        ("word/document.xml", written.document.as_bytes().to_vec()),
        ("word/styles.xml", parts::styles(faces).into_bytes()),
        ("word/settings.xml", parts::settings().into_bytes()),
        (
            "word/footer1.xml",
            parts::footer(faces, Footer::Odd).into_bytes(),
        ),
        (
            "word/footer2.xml",
            parts::footer(faces, Footer::Even).into_bytes(),
        ),
        (
            "word/footer3.xml",
            parts::footer(faces, Footer::LetterFirst).into_bytes(),
        ),
        (
            "word/footer4.xml",
            parts::footer(faces, Footer::None).into_bytes(),
        ),
        (
            "word/footer5.xml",
            parts::footer(faces, Footer::TurnedOdd).into_bytes(),
        ),
        (
            "word/footer6.xml",
            parts::footer(faces, Footer::TurnedEven).into_bytes(),
        ),
        (
            "word/_rels/document.xml.rels",
            parts::document_rels(written.seal, written.first_header.is_some()).into_bytes(),
        ),
    ];
    if let Some(header) = &written.first_header {
        files.push(("word/header1.xml", header.as_bytes().to_vec()));
    }
    if written.seal
        && let Some(seal) = &setup.shared.seal
    {
        files.push(("word/media/seal.png", seal.to_vec()));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        zip.start_file(name, options)?;
        zip.write_all(&bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}
