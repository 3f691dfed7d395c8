//! The web UI, built by `build.rs` and embedded in the binary.
//!
//! Hashed files under `assets/` are cached for a year; the rest (`index.html`,
//! the manifest, the service worker) must be revalidated, with an `ETag` so a
//! reload costs a 304. Text files go out as the Brotli or gzip copy the build
//! made when the request allows it (`encoding.rs`).
//!
//! Paths that are not files get `index.html`, which routes them itself: its
//! own routes (`/`, `/r/<room>`, `/ops`) with 200, anything else with 404 and
//! the UI's "page not found". `/r/<room>` is a room whatever its name
//! (`/r/v1.2` looks like a file but is a room); a missing file is a bare 404.

use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

use super::encoding::{self, Coding};

#[derive(Embed)]
#[folder = "$OUT_DIR/web"]
pub(super) struct Web;

/// A strict policy: the UI loads nothing from elsewhere, and text from other
/// people can never run as script even if a bug rendered it as HTML.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' ws: wss:; \
object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const FOREVER: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

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

/// Serves a file of the UI, or `index.html` for everything that is not one.
pub async fn serve(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    if !path.is_empty() && Web::get(path).is_some() {
        let cache = if path.starts_with("assets/") {
            FOREVER
        } else {
            REVALIDATE
        };
        return ui_file(path, cache, StatusCode::OK, &headers);
    }
    let looks_like_file = !path.starts_with("r/")
        && path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'));
    if looks_like_file {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    if Web::get("index.html").is_none() {
        return (
            StatusCode::NOT_FOUND,
            "the web UI was not built into this binary",
        )
            .into_response();
    }
    let status = if is_ui_route(path) {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    ui_file("index.html", REVALIDATE, status, &headers)
}

/// The addresses the UI has a screen for (`web/src/route.ts`, `main.tsx`).
fn is_ui_route(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    path.is_empty() || path == "ops" || path == "r" || path.starts_with("r/")
}

/// `path` of the build, as the precompressed copy the request accepts when
/// there is one, answered with 304 when the browser's copy is current.
fn ui_file(path: &str, cache: &'static str, status: StatusCode, request: &HeaderMap) -> Response {
    let accept = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut has_copies = false;
    let mut chosen = None;
    for coding in [Coding::Brotli, Coding::Gzip] {
        if let Some(copy) = Web::get(&format!("{path}{}", coding.suffix())) {
            has_copies = true;
            if chosen.is_none() && encoding::accepted(accept).contains(&coding) {
                chosen = Some((coding, copy));
            }
        }
    }
    let (body, hash, coding) = match chosen {
        Some((coding, copy)) => (copy.data, copy.metadata.sha256_hash(), Some(coding)),
        None => match Web::get(path) {
            Some(file) => (file.data, file.metadata.sha256_hash(), None),
            None => return (StatusCode::NOT_FOUND, "not found").into_response(),
        },
    };
    let etag = format!("\"{}\"", hex16(&hash));
    let fresh = status == StatusCode::OK
        && request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if fresh {
        let mut r = file_response(path, Vec::new(), cache);
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        let mut r = file_response(path, body.into_owned(), cache);
        *r.status_mut() = status;
        r
    };
    let headers = response.headers_mut();
    if let Some(coding) = coding.filter(|_| !fresh) {
        headers.insert(
            header::CONTENT_ENCODING,
            HeaderValue::from_static(coding.token()),
        );
    }
    if has_copies {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if status == StatusCode::OK
        && let Ok(value) = HeaderValue::from_str(&etag)
    {
        headers.insert(header::ETAG, value);
    }
    response
}

/// The first 16 bytes of a SHA-256, as hex: plenty for an `ETag`.
fn hex16(hash: &[u8; 32]) -> String {
    hash[..16].iter().map(|b| format!("{b:02x}")).collect()
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

#[cfg(test)]
mod tests {
    use super::is_ui_route;

    #[test]
    fn the_ui_routes_and_nothing_else() {
        for path in ["", "r/standup", "r/a/b", "ops", "ops/", "r/"] {
            assert!(is_ui_route(path), "{path}");
        }
        for path in [
            "nonexistent/page",
            "operations",
            "room/x",
            "rooms",
            "admin2",
        ] {
            assert!(!is_ui_route(path), "{path}");
        }
    }
}
