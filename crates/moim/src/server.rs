//! The server's entry point: [`run`] takes a bound listener and a shutdown future,
//! so tests bind port 0 and run the real thing in-process.

use std::future::{Future, IntoFuture};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::Config;
use crate::http::{self, HttpState, ws_chat::WsChat};
use crate::reach::Reach;
use crate::signal::Signal;
use crate::tls;

/// How long open connections get to close after shutdown is asked for.
const DRAIN: Duration = Duration::from_secs(5);

/// Serves moim on `listener` until `shutdown` completes, then closes every
/// connection (Socket.IO clients are told; `/ws` sockets are closed) and returns.
pub async fn run(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let started = Instant::now();
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot create data dir {}: {e}", config.data_dir.display()),
        )
    })?;
    let reach = Reach::start(&config.reach, &config.data_dir, config.ice_servers())
        .await
        .map_err(|e| io::Error::other(e.to_string()))?;
    let signal = Signal::start(&config, reach.ice.clone());
    let (stop_tx, stop_rx) = watch::channel(false);
    let state = HttpState {
        started,
        chat: Arc::new(WsChat::new(config.rate(), stop_rx.clone())),
    };
    let app = http::router(state, signal.layer.clone());

    let addr = listener.local_addr()?;
    reach.announce(addr);

    let io = signal.io.clone();
    let graceful = async move {
        shutdown.await;
        tracing::info!("shutting down");
        stop_tx.send_replace(true);
        io.close().await;
    };
    let serve: Pin<Box<dyn Future<Output = io::Result<()>> + Send>> = match &reach.certificate {
        Some(certificate) => Box::pin(tls::listener::serve(
            listener,
            app,
            certificate.config.clone(),
            graceful,
        )),
        None => Box::pin(
            axum::serve(listener, app)
                .with_graceful_shutdown(graceful)
                .into_future(),
        ),
    };
    let mut stopping = stop_rx;
    let outcome = tokio::select! {
        result = serve => result,
        () = async {
            stopping.wait_for(|stopped| *stopped).await.ok();
            tokio::time::sleep(DRAIN).await;
        } => {
            tracing::warn!("connections did not close in time; stopping anyway");
            Ok(())
        }
    };
    signal.stop();
    reach.stop().await;
    outcome
}
