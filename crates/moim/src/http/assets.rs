//! The web UI, built by `build.rs` and embedded in the binary.
//!
//! Hashed files under `assets/` are cached for a year; `index.html` is never
//! cached, so a new binary's UI is picked up on the next load. Paths that are
//! not files get `index.html`: the UI routes them itself. `/r/<room>` always
//! does, whatever the room's name (`/r/v1.2` looks like a file but is a room).

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "$OUT_DIR/web"]
pub(super) struct Web;

/// A strict policy: the UI loads nothing from elsewhere, and text from other
/// people can never run as script even if a bug rendered it as HTML.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' ws: wss:; \
object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// `GET /socket.io/socket.io.js`: the socket.io browser client, as Node's
/// socket.io serves it, so the course's pages load it from moim unchanged.
/// Routed outside the Socket.IO layer, which owns every other `/socket.io/` path.
pub async fn socket_io_client() -> Response {
    match Web::get("socket.io/socket.io.js") {
        Some(file) => file_response(
            "socket.io.js",
            file.data.into_owned(),
            "public, max-age=3600",
        ),
        None => (
            StatusCode::NOT_FOUND,
            "the socket.io client was not built into this binary",
        )
            .into_response(),
    }
}

/// Serves a file of the UI, or `index.html` for the UI's own routes.
pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if let Some(file) = Web::get(path).filter(|_| !path.is_empty()) {
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return file_response(path, file.data.into_owned(), cache);
    }
    let looks_like_file = !path.starts_with("r/")
        && path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'));
    if looks_like_file {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match Web::get("index.html") {
        Some(index) => file_response("index.html", index.data.into_owned(), "no-cache"),
        None => (
            StatusCode::NOT_FOUND,
            "the web UI was not built into this binary",
        )
            .into_response(),
    }
}

pub(super) fn file_response(path: &str, body: Vec<u8>, cache: &'static str) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mut response = body.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(mime.as_ref()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    response
}
