//! The server's entry point: [`run`] takes a bound listener and a shutdown future,
//! so tests bind port 0 and run the real thing in-process.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::Config;
use crate::history::History;
use crate::http::HttpState;
use crate::http::listen::{self, Limits, Transport, nofile, slots::Slots};
use crate::http::origin::OriginPolicy;
use crate::http::ws_chat::{Liveness, WsChat};
use crate::reach::Reach;
use crate::signal::Signal;

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
    let store = History::open_store(&config).await?;
    let history = History::start(&config, store.clone());
    let reach = Reach::start(&config.reach, &config.data_dir, config.ice_servers())
        .await
        .map_err(|e| io::Error::other(e.to_string()))?;
    let sfu_wanted = crate::media::SfuPolicy::from_options(&config.media).enabled();
    // In a cluster every node runs the SFU; each meeting is hosted by one of
    // them (`media::route`, docs/deploy.md).
    let media = if sfu_wanted {
        let announce =
            crate::media::announced_addresses(config.reach.public_ip, &crate::lan::lan_addresses());
        let started = crate::media::start(&config.media, announce.clone())
            .await
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "cannot bind the media port (UDP {}): {e}",
                        config.media.media_port
                    ),
                )
            })?;
        let port = started.0.local_addr().port();
        let workers = started.0.workers().len();
        tracing::info!(port, workers, announce = ?announce, "SFU media on UDP port {port}, {workers} worker(s)");
        Some(crate::signal::MediaStarted {
            handle: started.0,
            events: started.1,
            announce,
        })
    } else {
        None
    };
    let signal = Signal::start(&config, history, store, reach.ice.clone(), media)
        .await
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
    let metrics_listener = match config.metrics_addr {
        Some(addr) => Some(TcpListener::bind(addr).await.map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot listen on {addr} for metrics: {e}"),
            )
        })?),
        None => None,
    };
    let (stop_tx, stop_rx) = watch::channel(false);
    // The course's /ws chat keeps Socket.IO's liveness rules.
    let liveness = Liveness {
        ping_every: Duration::from_secs(config.ping_interval),
        timeout: Duration::from_secs(config.ping_timeout),
    };
    let state = HttpState {
        started,
        chat: Arc::new(WsChat::new(config.rate(), liveness, stop_rx.clone())),
        metrics: signal.hub.metrics.clone(),
        admin_ui: signal.hub.admin.is_some(),
        origins: OriginPolicy::new(config.http.allowed_origins.clone()),
        meetings: signal.hub.meetings.clone(),
        api_key: config.api_key.as_deref().map(Arc::from),
    };
    let app = signal.engine.router(state);

    let addr = listener.local_addr()?;
    if let Some(listener) = metrics_listener {
        let url = format!("http://{}/metrics", listener.local_addr()?);
        tracing::info!(url = %url, "metrics are served on {url}");
        let mut stopped = stop_rx.clone();
        let metrics = signal.hub.metrics.clone();
        tokio::spawn(async move {
            let shutdown = async move {
                stopped.wait_for(|stopped| *stopped).await.ok();
            };
            if let Err(e) = crate::metrics::serve::serve(listener, metrics, shutdown).await {
                tracing::error!(error = %e, "the metrics listener failed");
            }
        });
    }
    if signal.hub.admin.is_some() {
        tracing::info!("the Socket.IO Admin UI is at /admin/ on this server");
    }
    let limits = limits(&config);
    // Last: test harnesses take its "listening on" line to mean "ready".
    reach.announce(addr);

    let signal = Arc::new(signal);
    let closing = signal.clone();
    let draining = closing.clone();
    let graceful = async move {
        shutdown.await;
        tracing::info!("shutting down");
        draining.drain_media().await;
    };
    // After the port has closed (see `listen::serve`).
    let close_sessions = async move {
        stop_tx.send_replace(true);
        closing.close().await;
    };
    let transport = match &reach.certificate {
        Some(certificate) => {
            Transport::Tls(tokio_rustls::TlsAcceptor::from(certificate.config.clone()))
        }
        None => Transport::Plain,
    };
    let serve = listen::serve(listener, app, transport, limits, graceful, close_sessions);
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

/// The connection caps and timeouts for `config`, the total derived from
/// the open-files limit in force (the binary raised it at start).
fn limits(config: &Config) -> Limits {
    let total = nofile::current().map_or(usize::MAX, nofile::connection_budget);
    let per_source = config.http.max_conns_per_ip;
    tracing::info!(
        total,
        per_address = per_source,
        header_timeout_s = config.http.header_timeout,
        "connections: at most {total} at once, {} per address",
        if per_source == 0 {
            "any number".to_owned()
        } else {
            per_source.to_string()
        }
    );
    Limits {
        header_timeout: config.http.header_timeout(),
        slots: Slots::new(per_source, total),
    }
}
