//! The one accept loop behind both plain HTTP and HTTPS.
//!
//! `axum::serve` sets no timeouts: a connection that sent nothing, or half a
//! request head, stayed open for good (measured: 2,000 idle connections, 300
//! slowloris and 200 unfinished upgrades all still open after 40 s), and
//! ~1,100 of them exhausted a 1,024 open-files limit so nobody else got in.
//! Here every connection:
//! - counts against a per-source cap (`--max-conns-per-ip`) and a total
//!   derived from the open-files limit ([`nofile`]), taken before anything is
//!   read and held until the socket closes, WebSockets included ([`slots`]);
//! - gets `--header-timeout` to send each request head ([`connection`]), and
//!   with TLS the same to finish its handshake;
//! - has TCP_NODELAY set ([`accept`]).

mod accept;
mod connection;
pub mod nofile;
pub mod slots;

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;

use self::accept::Acceptor;
use self::slots::Slots;

/// What a connection speaks once accepted.
#[derive(Clone)]
pub enum Transport {
    /// HTTP/1.1 in the clear.
    Plain,
    /// TLS first (plain HTTP on the same port is answered with a redirect:
    /// [`crate::tls::redirect`]).
    Tls(TlsAcceptor),
}

/// The limits every connection is held to.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long a connection gets for each request head (and a TLS handshake).
    pub header_timeout: Duration,
    /// The open connections and their caps.
    pub slots: Arc<Slots>,
}

/// Serves `app` on `listener` until `shutdown` completes, then stops
/// accepting (the port closes), runs `closing` (which ends the sessions on
/// the connections still open), lets requests under way finish, and returns
/// once every connection that is still HTTP has closed (WebSockets are
/// closed by their own handlers, which watch the same shutdown).
///
/// The port closes *before* `closing`: a browser told to go reconnects at
/// once, and behind a load balancer that connection must be refused here and
/// go to another node, not be accepted by this one and dropped a moment later
/// (its client's back-off then cost a second or more).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    transport: Transport,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
    closing: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let mut acceptor = Acceptor::new(listener, limits.slots.clone());
    let (stop_tx, stop_rx) = watch::channel(false);
    // Each connection holds a sender; when the last is dropped, all are done.
    let (alive_tx, mut alive_rx) = mpsc::channel::<()>(1);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = acceptor.next() => accepted,
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let transport = transport.clone();
        let stop = stop_rx.clone();
        let alive = alive_tx.clone();
        let timeout = limits.header_timeout;
        tokio::spawn(async move {
            match transport {
                Transport::Plain => connection::serve(stream, peer, app, timeout, stop).await,
                Transport::Tls(tls) => {
                    if let Some(stream) =
                        crate::tls::listener::handshake(&tls, stream, timeout).await
                    {
                        connection::serve(stream, peer, app, timeout, stop).await;
                    }
                }
            }
            drop(alive);
        });
    }
    drop(acceptor);
    closing.await;
    stop_tx.send_replace(true);
    drop(alive_tx);
    alive_rx.recv().await;
    Ok(())
}
