//! What the HTTP handlers share: [`HttpState`], the router's state.
//!
//! Its own file so the handlers (`health.rs`, `admin_ui.rs`) can name it
//! without naming the router in `mod.rs`. The `/ws` chat takes only its parts
//! ([`FromRef`] below): the state holds the chat, so the chat naming the state
//! back would be a circle.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::FromRef;

use super::origin::OriginPolicy;
use super::ws_chat::WsChat;
use crate::metrics::moim::Metrics;

/// What the HTTP handlers share.
#[derive(Debug, Clone)]
pub struct HttpState {
    /// When the server started, for `/healthz`'s uptime.
    pub started: Instant,
    /// The `/ws` chat hub.
    pub chat: Arc<WsChat>,
    /// Prometheus metrics (the `/ws` chat counts its messages there).
    pub metrics: Arc<Metrics>,
    /// Whether the Socket.IO Admin UI is served at `/admin/`.
    pub admin_ui: bool,
    /// Which pages may open Socket.IO and `/ws`.
    pub origins: Arc<OriginPolicy>,
    /// The meetings' gate, for the operators' API.
    pub meetings: Option<Arc<crate::meeting::Meetings>>,
    /// The operators' API key (`--api-key`); `None` turns the API off.
    pub api_key: Option<Arc<str>>,
}

impl FromRef<HttpState> for Arc<WsChat> {
    fn from_ref(state: &HttpState) -> Self {
        state.chat.clone()
    }
}

impl FromRef<HttpState> for Arc<Metrics> {
    fn from_ref(state: &HttpState) -> Self {
        state.metrics.clone()
    }
}
