//! The HTTP side: health, the course's raw WebSocket chat, and the embedded UI.
//! Socket.IO is a tower layer put on top of this router by [`crate::server`].
//! [`listen`] accepts and serves the connections (plain and HTTPS), with the
//! timeouts and caps in [`HttpOptions`]; [`origin`] keeps other sites' pages
//! off Socket.IO and `/ws`. The handlers share an [`HttpState`] (`state.rs`).

mod admin_ui;
mod api;
mod assets;
mod compact;
mod encoding;
mod health;
pub mod listen;
mod options;
pub mod origin;
mod state;
pub mod ws_chat;

pub use options::HttpOptions;
pub use state::HttpState;

use axum::Router;
use axum::routing::get;
use socketioxide::adapter::Adapter;
use socketioxide::layer::SocketIoLayer;

/// The HTTP routes, with `socket_io` (the Socket.IO layer) around all but
/// `/socket.io/socket.io.js`. Anything unknown falls through to the UI (`/r/<room>`, …).
pub fn router<A: Adapter>(state: HttpState, socket_io: SocketIoLayer<A>) -> Router {
    let origins = state.origins.clone();
    let app = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/ws", get(ws_chat::upgrade))
        .route(
            "/api/meetings",
            axum::routing::post(api::create_meeting)
                .layer(axum::extract::DefaultBodyLimit::max(api::MAX_BODY)),
        )
        .route("/admin", get(admin_ui::redirect))
        .route("/admin/", get(admin_ui::serve))
        .route("/admin/{*path}", get(admin_ui::serve))
        .fallback(assets::serve)
        .with_state(state)
        .layer(socket_io)
        // Outside the Socket.IO layer, so it sees the request first.
        .layer(axum::middleware::map_request(compact::request))
        // Outermost: a refused origin costs no copy and reaches nothing.
        .layer(axum::middleware::from_fn_with_state(origins, origin::guard));
    Router::new()
        .route("/socket.io/socket.io.js", get(assets::socket_io_client))
        .fallback_service(app)
}
