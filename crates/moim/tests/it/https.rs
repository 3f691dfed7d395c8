//! HTTPS through the real entry point: a self-signed certificate made, kept and
//! reused; the operator's own certificate; plain HTTP on the HTTPS port
//! answered with a redirect or an explanation, never left hanging.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use moim::Config;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const PATIENCE: Duration = Duration::from_secs(5);

struct Server {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(data_dir: &Path, extra: &[&str]) -> Server {
        let mut args = vec![
            "moim",
            "--data-dir",
            data_dir.to_str().unwrap(),
            "--turn",
            "off",
            "--media-port",
            "0",
        ];
        args.extend_from_slice(extra);
        let config = Config::parse_from(args);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(moim::run(config, listener, async move {
            stopped.await.ok();
        }));
        // The listener is bound already; the first answer (a redirect, as this
        // is plain HTTP) means `run` has its certificate and is serving.
        let tcp = TcpStream::connect(addr).await.unwrap();
        let answer = exchange(tcp, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await;
        assert!(answer.starts_with("HTTP/1.1 "), "serving: {answer}");
        Server { addr, stop, task }
    }

    async fn stop(self) {
        self.stop.send(()).ok();
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("stops in time")
            .expect("no panic")
            .expect("clean exit");
    }
}

fn temp_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("moim-https-{name}-{}", std::process::id()))
}

/// A TLS client that trusts exactly the certificate in `cert_pem`.
fn connector(cert_pem: &Path) -> tokio_rustls::TlsConnector {
    let pem = std::fs::read(cert_pem).expect("certificate file");
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile::certs(&mut &pem[..]) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// Sends `request` and reads the whole answer (the request says `Connection: close`).
async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, request: &[u8]) -> String {
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer))
        .await
        .expect("answered and closed in time, not left hanging")
        .ok();
    String::from_utf8_lossy(&answer).into_owned()
}

async fn https_get(addr: SocketAddr, cert: &Path, name: &str, path: &str) -> String {
    let tcp = TcpStream::connect(addr).await.unwrap();
    let server_name = ServerName::try_from(name.to_owned()).unwrap();
    let tls = tokio::time::timeout(PATIENCE, connector(cert).connect(server_name, tcp))
        .await
        .expect("handshake in time")
        .expect("the certificate is trusted for this name");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n");
    exchange(tls, request.as_bytes()).await
}

#[tokio::test]
async fn self_signed_certificate_serves_https_and_is_reused_after_a_restart() {
    let dir = temp_dir("self-signed");
    let server = Server::start(&dir, &["--tls", "self-signed"]).await;
    let cert = dir.join("tls/cert.pem");
    let first = std::fs::read(&cert).expect("the certificate is kept in the data dir");
    for name in ["localhost", "127.0.0.1"] {
        let answer = https_get(server.addr, &cert, name, "/healthz").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{name}: {answer}");
        assert!(answer.contains(r#""status":"ok""#));
    }
    server.stop().await;

    let again = Server::start(&dir, &["--tls", "self-signed"]).await;
    // The old file still verifies the new server: the same certificate.
    let answer = https_get(again.addr, &cert, "localhost", "/healthz").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(std::fs::read(&cert).unwrap(), first, "reused, not remade");
    again.stop().await;
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn the_operators_own_certificate_is_served() {
    let dir = temp_dir("own");
    std::fs::create_dir_all(&dir).unwrap();
    let made = rcgen::generate_simple_self_signed(vec!["moim.test".to_owned()]).unwrap();
    let (cert, key) = (dir.join("mine.crt"), dir.join("mine.key"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    let server = Server::start(
        &dir,
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    )
    .await;
    let answer = https_get(server.addr, &cert, "moim.test", "/healthz").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let _: CertificateDer = made.cert.der().clone();
    server.stop().await;
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_missing_key_file_is_a_clear_start_up_error() {
    let dir = temp_dir("missing");
    let config = Config::parse_from([
        "moim",
        "--data-dir",
        dir.to_str().unwrap(),
        "--media-port",
        "0",
        "--tls-cert",
        "/nonexistent/cert.pem",
        "--tls-key",
        "/nonexistent/key.pem",
    ]);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let error = moim::run(config, listener, std::future::pending())
        .await
        .expect_err("refuses to start");
    assert!(
        error.to_string().contains("/nonexistent/cert.pem"),
        "{error}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn plain_http_on_the_https_port_is_redirected_or_told_why_not() {
    let dir = temp_dir("redirect");
    let server = Server::start(&dir, &["--tls", "self-signed"]).await;
    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let answer = exchange(
        tcp,
        format!(
            "GET /r/standup HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        )
        .as_bytes(),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 307"), "{answer}");
    assert!(
        answer.contains(&format!(
            "\r\nLocation: https://{}/r/standup\r\n",
            server.addr
        )),
        "{answer}"
    );

    let tcp = TcpStream::connect(server.addr).await.unwrap();
    let answer = exchange(tcp, b"GET / HTTP/1.0\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("https://"), "{answer}");

    // And HTTPS still works afterwards.
    let answer = https_get(
        server.addr,
        &dir.join("tls/cert.pem"),
        "localhost",
        "/healthz",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    server.stop().await;
    std::fs::remove_dir_all(dir).ok();
}
