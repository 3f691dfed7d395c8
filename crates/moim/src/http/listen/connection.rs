//! One HTTP/1.1 connection, plain or inside TLS, served by hyper with the
//! timeouts that `axum::serve` does not set.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::watch;
use tower::Layer;

/// Serves `app` on `io` until the client goes, the connection upgrades (the
/// WebSocket then lives on in its handler), or `stop` turns true: then
/// requests under way finish and the connection closes.
///
/// `header_timeout` bounds the wait for each request's head, from the moment
/// the connection opens or its previous response is written: hyper starts
/// the clock whenever it waits for a head, so the same timeout closes a
/// connection that says nothing, one that sends its head a byte at a time,
/// and an idle keep-alive connection.
pub async fn serve<I>(
    io: I,
    peer: SocketAddr,
    app: Router,
    header_timeout: Duration,
    mut stop: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    // What `into_make_service_with_connect_info` would do: the Admin UI reads
    // the peer address from the request's extensions.
    let service = TowerToHyperService::new(axum::Extension(ConnectInfo(peer)).layer(app));
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades();
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(e) = result {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            return;
        }
        _ = stop.wait_for(|stopped| *stopped) => {}
    }
    connection.as_mut().graceful_shutdown();
    connection.await.ok();
}
