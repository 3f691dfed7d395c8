//! How moim talks to the ACME CA: one HTTPS request per connection, on the
//! hyper and rustls moim already has (instant-acme's own client would bring a
//! second HTTP stack and a platform verifier). ACME is a handful of requests
//! every few weeks; connection reuse is not worth a pool.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::Request;
use http::header::HOST;
use hyper_util::rt::TokioIo;
use instant_acme::{BodyWrapper, BytesResponse, Error, HttpClient};
use rustls::RootCertStore;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use super::error::AcmeError;
use crate::tls::TlsError;

/// How long one request to the CA may take, connecting included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// An HTTPS client trusting Mozilla's roots and, for a private or test CA,
/// the certificates in `extra_roots` (PEM).
#[derive(Clone)]
pub struct Client {
    tls: TlsConnector,
}

impl Client {
    /// A client trusting the public roots plus those in `extra_roots`.
    pub fn new(extra_roots: Option<&Path>) -> Result<Self, AcmeError> {
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        if let Some(path) = extra_roots {
            let file = |source| TlsError::File {
                path: path.to_owned(),
                source,
            };
            let pem = std::fs::read(path).map_err(file)?;
            let mut added = 0;
            for cert in rustls_pemfile::certs(&mut &pem[..]) {
                roots.add(cert.map_err(file)?).map_err(TlsError::Rustls)?;
                added += 1;
            }
            if added == 0 {
                return Err(TlsError::Empty(path.to_owned()).into());
            }
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(TlsError::Rustls)?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Client {
            tls: TlsConnector::from(Arc::new(config)),
        })
    }
}

impl HttpClient for Client {
    fn request(
        &self,
        request: Request<BodyWrapper<Bytes>>,
    ) -> Pin<Box<dyn Future<Output = Result<BytesResponse, Error>> + Send>> {
        let tls = self.tls.clone();
        Box::pin(async move {
            tokio::time::timeout(REQUEST_TIMEOUT, send(tls, request))
                .await
                .map_err(|_| other(format!("no answer in {} s", REQUEST_TIMEOUT.as_secs())))?
        })
    }
}

async fn send(
    tls: TlsConnector,
    mut request: Request<BodyWrapper<Bytes>>,
) -> Result<BytesResponse, Error> {
    let uri = request.uri().clone();
    if uri.scheme_str() != Some("https") {
        return Err(other(format!("{uri}: ACME needs an https:// URL")));
    }
    let host = uri.host().ok_or_else(|| other(format!("{uri}: no host")))?;
    let port = uri.port_u16().unwrap_or(443);
    // `[::1]` in a URL is `::1` to connect to and to verify.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let tcp = TcpStream::connect((bare, port))
        .await
        .map_err(|e| other(format!("cannot connect to {host}:{port}: {e}")))?;
    let name = ServerName::try_from(bare.to_owned()).map_err(|e| other(format!("{host}: {e}")))?;
    let stream = tls
        .connect(name, tcp)
        .await
        .map_err(|e| other(format!("TLS with {host}:{port}: {e}")))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| other(format!("HTTP with {host}:{port}: {e}")))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "ACME connection ended with an error");
        }
    });
    // HTTP/1.1 wants the path on the request line and the authority in Host.
    let authority = uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .unwrap_or_default();
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    *request.uri_mut() = path.parse().map_err(|e| other(format!("{uri}: {e}")))?;
    let host_value = authority
        .parse()
        .map_err(|e| other(format!("{uri}: {e}")))?;
    request.headers_mut().insert(HOST, host_value);
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| other(format!("{uri}: {e}")))?;
    Ok(BytesResponse::from(response))
}

fn other(message: String) -> Error {
    Error::Other(message.into())
}
