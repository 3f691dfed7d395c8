//! `/admin/`: the Socket.IO Admin UI (`@socket.io/admin-ui`'s built `ui/dist`,
//! copied in by `build.rs`), served only when the admin namespace is on. The
//! UI connects to this same origin's `/admin` namespace (`moim-defaults.js`
//! fills in the server address), so nothing external is needed.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};

use super::assets::{Web, file_response};
use super::state::HttpState;

/// `GET /admin`: the UI's files are relative to `/admin/`.
pub async fn redirect() -> Redirect {
    Redirect::permanent("/admin/")
}

/// `GET /admin/…`.
pub async fn serve(State(state): State<HttpState>, uri: Uri) -> Response {
    if !state.admin_ui {
        return (
            StatusCode::NOT_FOUND,
            "the admin UI is off: start moim with --admin-user and --admin-password-hash",
        )
            .into_response();
    }
    let rest = uri.path().trim_start_matches("/admin/");
    let path = if rest.is_empty() {
        "admin/index.html".to_owned()
    } else {
        format!("admin/{rest}")
    };
    match Web::get(&path) {
        // The UI's file names carry content hashes, but index.html and the
        // defaults script do not; a short cache suits both.
        Some(file) => file_response(&path, file.data.into_owned(), "no-cache"),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
