//! Files: what may be served from `output/`, and how it is sent.
//!
//! A request names a file by a percent-encoded path under `output/`. It is decoded once and
//! refused unless every part is a plain name: no `..` or `.`, no empty part, no backslash, no
//! drive or absolute path, nothing hidden (gongwen's own `output/.gongwen/`), no control
//! character. The file found is then resolved through symbolic links and must still lie inside
//! `output/`.

use std::path::{Component, Path, PathBuf};

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Characters left as they are in a path segment of a URL.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The URL of `relative` (a path under `output/`) under `prefix`, each part percent-encoded.
pub(crate) fn url(prefix: &str, relative: &Path) -> String {
    let parts: Vec<String> = relative
        .components()
        .map(|c| utf8_percent_encode(&c.as_os_str().to_string_lossy(), SEGMENT).to_string())
        .collect();
    format!("{prefix}{}", parts.join("/"))
}

/// Why a path is not served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Not a plain relative path (400).
    Malformed,
    /// No such file inside the folder (404).
    NotFound,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Malformed => super::reply::error(
                StatusCode::BAD_REQUEST,
                "路径不合规：只能下载 output/ 中的文件",
            ),
            Refused::NotFound => {
                super::reply::error(StatusCode::NOT_FOUND, "没有这个文件（可能已被删除或改名）")
            }
        }
    }
}

/// The relative path a percent-encoded request path names, when every part is a plain name.
pub(crate) fn relative(encoded: &str) -> Result<PathBuf, Refused> {
    let decoded = percent_decode_str(encoded)
        .decode_utf8()
        .map_err(|_| Refused::Malformed)?;
    plain(&decoded)
}

/// `decoded` as a relative path, when every part is a plain name.
pub(crate) fn plain(decoded: &str) -> Result<PathBuf, Refused> {
    if decoded.is_empty()
        || decoded.contains('\\')
        || decoded.contains(':')
        || decoded.starts_with('/')
        || decoded.chars().any(char::is_control)
    {
        return Err(Refused::Malformed);
    }
    let mut path = PathBuf::new();
    for part in decoded.split('/') {
        if part.is_empty() || part.starts_with('.') {
            return Err(Refused::Malformed);
        }
        path.push(part);
    }
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(Refused::Malformed);
    }
    Ok(path)
}

/// The real path of `relative` inside `folder`, after symbolic links, when it is there and of
/// the wanted kind (a file, or a folder when `folder_wanted`).
pub(crate) fn inside(
    folder: &Path,
    relative: &Path,
    folder_wanted: bool,
) -> Result<PathBuf, Refused> {
    let root = folder.canonicalize().map_err(|_| Refused::NotFound)?;
    let real = root
        .join(relative)
        .canonicalize()
        .map_err(|_| Refused::NotFound)?;
    let kind_ok = if folder_wanted {
        real.is_dir()
    } else {
        real.is_file()
    };
    if real.starts_with(&root) && real != root && kind_ok {
        Ok(real)
    } else {
        Err(Refused::NotFound)
    }
}

/// `Content-Disposition` naming the file `name`: an ASCII stand-in, and the real (Chinese) name
/// percent-encoded (RFC 6266), shown inline or offered as a download.
pub(crate) fn disposition(name: &str, inline: bool) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let how = if inline { "inline" } else { "attachment" };
    format!(
        "{how}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, SEGMENT)
    )
}

/// The media type of a file, by its ending.
pub(crate) fn media_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "zip" => "application/zip",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

/// The file at `path` as a download (streamed: a client that hangs up stops the reading).
pub(crate) async fn send(path: &Path, inline: bool) -> Response {
    let file = match tokio::fs::File::open(path).await {
        Ok(f) => f,
        Err(_) => return Refused::NotFound.into_response(),
    };
    let len = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    (
        [
            (header::CONTENT_TYPE, media_type(path).to_string()),
            (header::CONTENT_LENGTH, len.to_string()),
            (header::CONTENT_DISPOSITION, disposition(&name, inline)),
            (header::CACHE_CONTROL, "no-cache".to_string()),
        ],
        body,
    )
        .into_response()
}

/// A ZIP of the files directly in `folder` (a batch's letters), sorted by name, stored as they
/// are (PDFs are compressed already) with a fixed time: the same letters give the same bytes.
///
/// # Errors
/// When a file cannot be read.
pub(crate) fn zip(folder: &Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Write as _;
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        writer.start_file(name, options)?;
        writer.write_all(&std::fs::read(&f)?)?;
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_pass() {
        assert_eq!(
            relative("%E5%8F%B0%E8%B4%A6.pdf"),
            Ok(PathBuf::from("台账.pdf"))
        );
        assert_eq!(
            relative("批/东山市.pdf"),
            Ok(PathBuf::from("批/东山市.pdf"))
        );
        for bad in [
            "",
            "../x.pdf",
            "%2e%2e/x.pdf",
            "%2E%2E%2Fx.pdf",
            "a/../../x",
            "a//b",
            "./a",
            "/etc/passwd",
            "%2Fetc%2Fpasswd",
            "..%5Cx.pdf",
            "a\\b",
            "C:/x",
            "C%3A%5Cx",
            ".gongwen/manifest.json",
            "%2egongwen/lock",
            "a%00b",
            "%FF%FE",
        ] {
            assert_eq!(relative(bad), Err(Refused::Malformed), "{bad}");
        }
    }

    #[test]
    fn links_pointing_out_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        std::fs::create_dir_all(out.join("批")).unwrap();
        std::fs::write(out.join("批/甲.pdf"), b"%PDF").unwrap();
        std::fs::write(dir.path().join("secret.txt"), b"secret").unwrap();
        assert!(inside(&out, Path::new("批/甲.pdf"), false).is_ok());
        assert!(inside(&out, Path::new("批"), true).is_ok());
        assert_eq!(inside(&out, Path::new("批"), false), Err(Refused::NotFound));
        assert_eq!(
            inside(&out, Path::new("无.pdf"), false),
            Err(Refused::NotFound)
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.pdf"))
                .unwrap();
            assert_eq!(
                inside(&out, Path::new("link.pdf"), false),
                Err(Refused::NotFound)
            );
        }
    }

    #[test]
    fn names_are_encoded_for_urls_and_headers() {
        assert_eq!(
            url("/output/", Path::new("批 1/东.pdf")),
            "/output/%E6%89%B9%201/%E4%B8%9C.pdf"
        );
        assert_eq!(
            disposition("东山市.pdf", false),
            "attachment; filename=\"___.pdf\"; filename*=UTF-8''%E4%B8%9C%E5%B1%B1%E5%B8%82.pdf"
        );
    }

    #[test]
    fn the_same_letters_zip_to_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("乙.pdf"), b"%PDF-b").unwrap();
        std::fs::write(dir.path().join("甲.pdf"), b"%PDF-a").unwrap();
        let a = zip(dir.path()).unwrap();
        let b = zip(dir.path()).unwrap();
        assert_eq!(a, b);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        assert_eq!(archive.len(), 2);
        assert_eq!(archive.by_index(0).unwrap().name().unwrap(), "乙.pdf");
    }
}
