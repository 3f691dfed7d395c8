//! `/healthz`: 200 with the version and uptime, for load balancers and people.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use super::state::HttpState;

/// The `/healthz` body.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    status: &'static str,
    version: &'static str,
    uptime_seconds: u64,
}

/// `GET /healthz`.
pub async fn healthz(State(state): State<HttpState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        uptime_seconds: state.started.elapsed().as_secs(),
    })
}
