//! The HTTPS side of a new connection: TLS (rustls) in front of the same axum
//! router that plain HTTP serves, with plain HTTP on the same port answered by
//! [`super::redirect`]. The accept loop, caps and HTTP timeouts are shared
//! with plain HTTP ([`crate::http::listen`]).
//!
//! The first byte tells the two apart: a TLS connection opens with a handshake
//! record (0x16); an HTTP request opens with a method name in ASCII.

use std::time::Duration;

use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use super::acme::ACME_TLS_ALPN;
use super::redirect;
use crate::http::listen::slots::Counted;

/// The first byte of a TLS handshake record.
const TLS_HANDSHAKE: u8 = 0x16;

/// Completes the TLS handshake on `stream`, within `timeout` for its first
/// byte and again for the handshake itself. `None` when there is no HTTPS to
/// serve: plain HTTP (answered here), a failed or slow handshake, or a CA's
/// TLS-ALPN-01 validation (the handshake was the whole answer).
pub async fn handshake(
    acceptor: &TlsAcceptor,
    stream: Counted<TcpStream>,
    timeout: Duration,
) -> Option<TlsStream<Counted<TcpStream>>> {
    let mut first = [0u8; 1];
    match tokio::time::timeout(timeout, stream.get_ref().peek(&mut first)).await {
        Ok(Ok(1)) => {}
        _ => return None,
    }
    if first[0] != TLS_HANDSHAKE {
        redirect::answer(stream).await;
        return None;
    }
    let tls = match tokio::time::timeout(timeout, acceptor.accept(stream)).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(e)) => {
            // Typically a browser that does not trust the certificate yet.
            tracing::debug!(error = %e, "TLS handshake failed");
            return None;
        }
        Err(_) => return None,
    };
    if tls.get_ref().1.alpn_protocol() == Some(ACME_TLS_ALPN) {
        return None;
    }
    Some(tls)
}
