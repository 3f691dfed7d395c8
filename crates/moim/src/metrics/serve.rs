//! The metrics listener: `GET /metrics` on its own address (`--metrics-addr`),
//! so the public listener never exposes it and a firewall can keep it internal.

use std::future::Future;
use std::io;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;

use super::Registry;

/// What Prometheus expects for the text format.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Serves `/metrics` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    metrics: Arc<super::moim::Metrics>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let app = Router::new()
        .route("/metrics", get(scrape))
        .with_state(metrics);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

async fn scrape(State(metrics): State<Arc<super::moim::Metrics>>) -> impl IntoResponse {
    let registry: &Registry = &metrics.registry;
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], registry.render())
}
