//! The HTTPS accept loop: TLS (rustls) in front of the same axum router that
//! plain HTTP serves, with plain HTTP on the same port answered by
//! [`super::redirect`].
//!
//! The first byte tells the two apart: a TLS connection opens with a handshake
//! record (0x16); an HTTP request opens with a method name in ASCII.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::Request;
use hyper::body::Incoming;
use hyper::service::{Service, service_fn};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use rustls::ServerConfig;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;

use super::acme::ACME_TLS_ALPN;
use super::redirect;

/// The first byte of a TLS handshake record.
const TLS_HANDSHAKE: u8 = 0x16;
/// How long a new connection gets to say anything and finish its handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` over TLS on `listener` until `shutdown` completes, then lets
/// open requests finish and returns once every connection has closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Arc<ServerConfig>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let acceptor = TlsAcceptor::from(tls);
    let (stop_tx, stop_rx) = watch::channel(false);
    // Each connection holds a sender; when the last is dropped, all are done.
    let (alive_tx, mut alive_rx) = mpsc::channel::<()>(1);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait, don't spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // See server.rs: small packets must not wait for delayed ACKs.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
        let connection = Connection {
            peer,
            acceptor: acceptor.clone(),
            app: app.clone(),
            stop: stop_rx.clone(),
            _alive: alive_tx.clone(),
        };
        tokio::spawn(connection.run(stream));
    }
    drop(listener);
    stop_tx.send_replace(true);
    drop(alive_tx);
    alive_rx.recv().await;
    Ok(())
}

struct Connection {
    peer: SocketAddr,
    acceptor: TlsAcceptor,
    app: Router,
    stop: watch::Receiver<bool>,
    _alive: mpsc::Sender<()>,
}

impl Connection {
    async fn run(mut self, stream: TcpStream) {
        let mut first = [0u8; 1];
        match tokio::time::timeout(HANDSHAKE_TIMEOUT, stream.peek(&mut first)).await {
            Ok(Ok(1)) => {}
            _ => return,
        }
        if first[0] != TLS_HANDSHAKE {
            redirect::answer(stream).await;
            return;
        }
        let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, self.acceptor.accept(stream)).await
        {
            Ok(Ok(tls)) => tls,
            Ok(Err(e)) => {
                // Typically a browser that does not trust the certificate yet.
                tracing::debug!(error = %e, "TLS handshake failed");
                return;
            }
            Err(_) => return,
        };
        if tls.get_ref().1.alpn_protocol() == Some(ACME_TLS_ALPN) {
            // A CA validating TLS-ALPN-01: the handshake was the whole answer.
            return;
        }
        // The peer address, as `into_make_service_with_connect_info` gives it on
        // plain HTTP: the admin login's back-off counts per address.
        let app = TowerToHyperService::new(self.app);
        let peer = ConnectInfo(self.peer);
        let service = service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(peer);
            app.call(request)
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HANDSHAKE_TIMEOUT)
            .serve_connection(TokioIo::new(tls), service)
            .with_upgrades();
        tokio::pin!(connection);
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "HTTPS connection ended with an error");
                }
                return;
            }
            _ = self.stop.wait_for(|stopped| *stopped) => {}
        }
        connection.as_mut().graceful_shutdown();
        connection.await.ok();
    }
}
