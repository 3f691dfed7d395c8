//! The HTTP side: health, the course's raw WebSocket chat, and the embedded UI.
//! Socket.IO is a tower layer put on top of this router by [`crate::server`].

mod assets;
mod health;
pub mod ws_chat;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::routing::get;

/// What the HTTP handlers share.
#[derive(Debug, Clone)]
pub struct HttpState {
    /// When the server started, for `/healthz`'s uptime.
    pub started: Instant,
    /// The `/ws` chat hub.
    pub chat: Arc<ws_chat::WsChat>,
}

/// The HTTP routes; anything unknown falls through to the UI (`/r/<room>`, …).
pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/ws", get(ws_chat::upgrade))
        .fallback(assets::serve)
        .with_state(state)
}
