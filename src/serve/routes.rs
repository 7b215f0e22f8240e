//! Routes: the page, its assets and the HTTP API (docs/serve.md), each a short handler over
//! the board, the project's folders and the page renderer.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use futures_util::StreamExt as _;
use serde::Deserialize;

use crate::project::Project;
use crate::watch::Change;

use super::board::Board;
use super::builder::{Requests, SharedRun};
use super::files::{self, Refused};
use super::guard::Guard;
use super::pages::{self, Missing, Pages};
use super::reply::error;
use super::upload::{self, Refusal, SaveError};

/// Everything a request may use.
pub(crate) struct App {
    /// The project.
    pub(crate) project: Project,
    /// What the page shows.
    pub(crate) board: Arc<Board>,
    /// Asks the builder for builds.
    pub(crate) requests: Requests,
    /// The run's templates and fonts, as the builder last loaded them.
    pub(crate) run: SharedRun,
    /// Who may talk to the server.
    pub(crate) guard: Arc<Guard>,
    /// Page images.
    pub(crate) pages: Pages,
    /// The largest workbook accepted, in bytes.
    pub(crate) upload_limit: u64,
    /// One upload saves at a time (names are checked, then written).
    pub(crate) saving: Mutex<()>,
    /// Told when the server stops: event streams end.
    pub(crate) stopping: tokio::sync::watch::Receiver<bool>,
}

/// The page's files, inside the binary.
const INDEX: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/app.css");

/// The router of every route, behind the guard.
pub(crate) fn router(app: Arc<App>) -> Router {
    let limit = usize::try_from(app.upload_limit)
        .unwrap_or(usize::MAX)
        .saturating_add(1 << 20);
    Router::new()
        .route("/", get(index))
        .route("/assets/app.js", get(script))
        .route("/assets/app.css", get(style))
        .route("/assets/fonts/{name}", get(font))
        .route("/api/status", get(status))
        .route("/api/events", get(events))
        .route(
            "/api/upload",
            post(upload_files).layer(DefaultBodyLimit::max(limit)),
        )
        .route("/api/page", get(page))
        .route("/api/kinds", get(kinds))
        .route("/api/new", get(new_workbook))
        .route("/api/project", get(project))
        .route("/output/{*path}", get(download))
        .route("/zip/{*path}", get(zip))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(64 << 10))
        .layer(axum::middleware::from_fn_with_state(
            app.guard.clone(),
            super::guard::check,
        ))
        .with_state(app)
}

fn text(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn index() -> Response {
    text("text/html; charset=utf-8", INDEX)
}

async fn script() -> Response {
    text("text/javascript; charset=utf-8", SCRIPT)
}

async fn style() -> Response {
    text("text/css; charset=utf-8", STYLE)
}

/// The page's Chinese face: only the two FandolHei files, from inside the binary.
async fn font(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    let allowed = ["FandolHei-Regular.otf", "FandolHei-Bold.otf"];
    match crate::fonts::embedded(&name).filter(|_| allowed.contains(&name.as_str())) {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, "font/otf"),
                (header::CACHE_CONTROL, "max-age=86400"),
            ],
            bytes,
        )
            .into_response(),
        None => not_found().await,
    }
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "没有这个页面")
}

async fn status(State(app): State<Arc<App>>) -> Response {
    let snapshot = app.board.snapshot();
    ([(header::CACHE_CONTROL, "no-store")], Json(snapshot)).into_response()
}

/// Server-sent events: `status` with the generation on every change, until the client hangs
/// up or the server stops.
async fn events(State(app): State<Arc<App>>) -> Response {
    let changes = tokio_stream::wrappers::WatchStream::new(app.board.subscribe());
    let mut stopping = app.stopping.clone();
    let stop = async move {
        let _ = stopping.wait_for(|s| *s).await;
    };
    let stream = changes
        .map(|generation| {
            Ok::<Event, Infallible>(
                Event::default()
                    .event("status")
                    .data(format!("{{\"generation\":{generation}}}")),
            )
        })
        .take_until(stop);
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

#[derive(Deserialize)]
struct UploadQuery {
    #[serde(default)]
    replace: Option<String>,
}

async fn upload_files(
    State(app): State<Arc<App>>,
    Query(query): Query<UploadQuery>,
    mut multipart: Multipart,
) -> Response {
    let replace = query.replace.as_deref() == Some("1");
    let mut files: Vec<upload::File> = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return multipart_error(&e, app.upload_limit),
        };
        if field.name() != Some("file") {
            continue;
        }
        let given = field.file_name().unwrap_or("").to_string();
        let name = match upload::clean_name(&given) {
            Ok(n) => n,
            Err(r) => return refusal(&r, &given),
        };
        let bytes: Bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => return multipart_error(&e, app.upload_limit),
        };
        if bytes.len() as u64 > app.upload_limit {
            return too_large(&given, app.upload_limit);
        }
        if let Err(r) = upload::sniff(&given, &bytes) {
            return refusal(&r, &given);
        }
        if files.len() == upload::MAX_FILES {
            return error(
                StatusCode::BAD_REQUEST,
                &format!("一次最多上传 {} 个工作簿", upload::MAX_FILES),
            );
        }
        files.push(upload::File {
            name,
            bytes: bytes.to_vec(),
        });
    }
    if files.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "没有收到工作簿：请在字段 file 中上传 .xlsx、.xlsm、.xls 或 .ods 文件",
        );
    }
    let saving = app.clone();
    let saved = tokio::task::spawn_blocking(move || {
        let _one = saving.saving.lock().expect("the upload lock");
        upload::save(&saving.project, &files, replace)
    })
    .await;
    match saved {
        Ok(Ok(saved)) => {
            app.requests.build(Change::Data);
            Json(serde_json::json!({ "saved": saved })).into_response()
        }
        Ok(Err(SaveError::Refused(r))) => refusal(&r, ""),
        Ok(Err(SaveError::Write(e))) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("无法保存到 input/：{e:#}"),
        ),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "保存时出现内部错误"),
    }
}

fn refusal(r: &Refusal, name: &str) -> Response {
    let (status, message) = match r {
        Refusal::Name(m) => (StatusCode::BAD_REQUEST, m),
        Refusal::NotWorkbook(m) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, m),
        Refusal::Exists(m) => (StatusCode::CONFLICT, m),
    };
    (
        status,
        Json(serde_json::json!({ "error": message, "name": name })),
    )
        .into_response()
}

fn too_large(name: &str, limit: u64) -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        Json(serde_json::json!({
            "error": format!(
                "“{name}”太大：每次上传不能超过 {} MiB（可在 gongwen.toml 的 [serve] upload-limit-mib 中调整）",
                limit >> 20
            ),
            "name": name,
        })),
    )
        .into_response()
}

fn multipart_error(e: &axum::extract::multipart::MultipartError, limit: u64) -> Response {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large("上传的文件", limit);
    }
    error(
        StatusCode::BAD_REQUEST,
        &format!(
            "上传的内容不完整或格式不对（{}），请重新上传",
            e.body_text()
        ),
    )
}

#[derive(Deserialize)]
struct PageQuery {
    path: String,
    page: usize,
    #[serde(default)]
    scale: Option<f32>,
}

/// `GET /api/page`: one page of a PDF under `output/`, as PNG.
async fn page(State(app): State<Arc<App>>, Query(q): Query<PageQuery>) -> Response {
    let Some(rest) = q.path.strip_prefix("output/") else {
        return Refused::Malformed.into_response();
    };
    let path = match files::plain(rest)
        .and_then(|r| files::inside(&app.project.output_dir(), &r, false))
    {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
    {
        return error(StatusCode::BAD_REQUEST, "只有 PDF 有页面图像");
    }
    let scale = q.scale.unwrap_or(pages::DEFAULT_SCALE);
    let number = q.page;
    let renderer = app.clone();
    let made = tokio::task::spawn_blocking(move || renderer.pages.png(&path, number, scale)).await;
    match made {
        Ok(Ok(png)) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            png.as_ref().clone(),
        )
            .into_response(),
        Ok(Err(Missing::NoPage(n))) => error(
            StatusCode::NOT_FOUND,
            &format!("没有第 {number} 页：这份 PDF 共 {n} 页"),
        ),
        Ok(Err(Missing::Failed(e))) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("无法显示这一页（{e:#}）"),
        ),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "显示页面时出现内部错误"),
    }
}

/// `GET /api/kinds`: the 文种 a blank workbook can be made for.
async fn kinds(State(app): State<Arc<App>>) -> Response {
    let run = app.run.read().expect("the run").clone();
    let builtin: Vec<&str> = crate::render::default_templates()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let kinds: Vec<serde_json::Value> = run
        .templates
        .kinds()
        .into_iter()
        .filter_map(|k| run.templates.spec(k).ok())
        .map(|spec| {
            let file = format!("{}.typ.tera", spec.kind);
            serde_json::json!({
                "name": spec.kind,
                "description": spec.description,
                "builtin": builtin.contains(&file.as_str())
                    && !app.project.templates_dir().is_some_and(|d| d.join(&file).is_file()),
            })
        })
        .collect();
    Json(serde_json::json!({ "kinds": kinds })).into_response()
}

#[derive(Deserialize)]
struct NewQuery {
    kind: String,
}

/// `GET /api/new?kind=`: the blank workbook `gongwen new` makes, as a download.
async fn new_workbook(State(app): State<Arc<App>>, Query(q): Query<NewQuery>) -> Response {
    let run = app.run.read().expect("the run").clone();
    let spec = match run.templates.spec(&q.kind) {
        Ok(s) => s,
        Err(message) => return error(StatusCode::NOT_FOUND, &message),
    };
    match crate::blank::workbook(spec) {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    files::media_type(std::path::Path::new("a.xlsx")).to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    files::disposition(&format!("{}.xlsx", crate::plan::safe_name(&q.kind)), false),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("无法生成空白工作簿（{e}）"),
        ),
    }
}

/// `GET /api/project`: fonts in use and `gongwen.toml`, read-only.
async fn project(State(app): State<Arc<App>>) -> Response {
    let run = app.run.read().expect("the run").clone();
    let set = run.compiler.fonts();
    let fonts: Vec<serde_json::Value> = set
        .roles
        .iter()
        .map(|c| {
            serde_json::json!({
                "role": c.role.name(),
                "family": c.family,
                "official": c.official,
                "origin": c.origin,
            })
        })
        .collect();
    let config = std::fs::read_to_string(app.project.root.join(crate::config::FILE)).ok();
    Json(serde_json::json!({
        "root": app.project.root.display().to_string(),
        "fonts": fonts,
        "fallback": set.fallback().map(|(family, origin)| format!("{family}（来自 {origin}）")),
        "config": config,
    }))
    .into_response()
}

#[derive(Deserialize)]
struct DownloadQuery {
    #[serde(default)]
    inline: Option<String>,
}

/// `GET /output/…`: a file of `output/`, the path taken from the raw request (decoded once).
async fn download(
    State(app): State<Arc<App>>,
    Query(q): Query<DownloadQuery>,
    request: Request,
) -> Response {
    let raw = request.uri().path().strip_prefix("/output/").unwrap_or("");
    let path = match files::relative(raw)
        .and_then(|r| files::inside(&app.project.output_dir(), &r, false))
    {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    files::send(&path, q.inline.as_deref() == Some("1")).await
}

/// `GET /zip/…`: a batch's letters as one ZIP.
async fn zip(State(app): State<Arc<App>>, request: Request) -> Response {
    let raw = request.uri().path().strip_prefix("/zip/").unwrap_or("");
    let folder = match files::relative(raw)
        .and_then(|r| files::inside(&app.project.output_dir(), &r, true))
    {
        Ok(p) => p,
        Err(r) => return r.into_response(),
    };
    let name = format!(
        "{}.zip",
        folder
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    );
    match tokio::task::spawn_blocking(move || files::zip(&folder)).await {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "application/zip".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    files::disposition(&name, false),
                ),
            ],
            bytes,
        )
            .into_response(),
        _ => error(StatusCode::INTERNAL_SERVER_ERROR, "无法打包这批公文"),
    }
}
