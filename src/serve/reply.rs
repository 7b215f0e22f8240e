//! Reply: how the server answers a request it refuses or cannot serve — JSON with a message in
//! Chinese.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};

/// An error answer: `{"error": "…"}` with `status`.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}
