//! `--acme-domain` against a real ACME CA: pebble (Let's Encrypt's test server)
//! validates moim over TLS-ALPN-01 on moim's own HTTPS port, with no shortcut
//! (`PEBBLE_VA_ALWAYS_VALID` is off), issues, and a client that trusts only
//! pebble's root then gets moim's pages. The certificate is kept across a
//! restart and renewed when near its end. When pebble cannot reach moim,
//! nothing is issued and the log gives pebble's reason. A CA that cannot be
//! reached is an error in the log while moim keeps serving; a directory that
//! is not an `https://` URL, or an unreadable `--acme-ca-root`, stops moim at
//! start.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::support::acme::{Pebble, free_port, https_get, moim, names, temp_dir};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn moim_args<'a>(port_arg: &'a str, data_dir: &'a str, pebble: &'a Pebble) -> Vec<&'a str> {
    vec![
        "--addr",
        port_arg,
        "--data-dir",
        data_dir,
        "--turn",
        "off",
        "--acme-domain",
        "localhost",
        "--acme-directory",
        &pebble.directory,
        "--acme-ca-root",
        pebble.https_ca.to_str().unwrap(),
        "--acme-email",
        "ops@moim.test",
    ]
}

#[tokio::test]
async fn pebble_issues_a_certificate_that_is_served_kept_and_renewed() {
    let dir = temp_dir("issue");
    let port = free_port().await;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let pebble = Pebble::start(&dir, port).await;
    let (addr_arg, data_dir) = (addr.to_string(), dir.join("data"));
    let data_arg = data_dir.to_str().unwrap().to_owned();
    let args = moim_args(&addr_arg, &data_arg, &pebble);

    // First start: no certificate yet, so one is ordered and validated.
    let mut server = moim(&args);
    server.wait_for("certificate for localhost issued by").await;
    let root = pebble.issuing_root().await;
    let answer = https_get(addr, std::slice::from_ref(&root), "localhost", "/healthz")
        .await
        .expect("the certificate is trusted under pebble's root for localhost");
    assert!(answer.text.starts_with("HTTP/1.1 200"), "{}", answer.text);
    assert!(answer.text.contains(r#""status":"ok""#), "{}", answer.text);
    let first = answer.chain[0].clone();
    let (sans, cn) = names(&first);
    assert_eq!(
        sans,
        vec!["localhost"],
        "the subject is the domain asked for"
    );
    assert_eq!(cn.as_deref(), Some("localhost"));
    server.stop().await;

    // A restart serves the kept certificate: no new account, no new order.
    let mut server = moim(&args);
    server
        .wait_for("using the kept certificate for localhost")
        .await;
    server.wait_for("moim is listening").await;
    let answer = https_get(addr, std::slice::from_ref(&root), "localhost", "/healthz")
        .await
        .expect("the kept certificate is served");
    assert_eq!(
        answer.chain[0], first,
        "the same certificate, not a new one"
    );
    assert!(!server.log().contains("asking"), "{}", server.log());
    server.stop().await;

    // A kept certificate near its end is renewed at start, with the same account.
    replace_with_expiring_certificate(&data_dir);
    let mut server = moim(&args);
    server
        .wait_for("renewing the certificate for localhost")
        .await;
    server.wait_for("certificate for localhost issued by").await;
    let answer = https_get(addr, &[root], "localhost", "/healthz")
        .await
        .expect("the renewed certificate is trusted under pebble's root");
    assert!(answer.text.starts_with("HTTP/1.1 200"), "{}", answer.text);
    assert_ne!(answer.chain[0], first, "a new certificate");
    assert!(
        !server.log().contains("registered an ACME account"),
        "the kept account is reused: {}",
        server.log()
    );
    server.stop().await;
    pebble.stop().await;
    std::fs::remove_dir_all(dir).ok();
}

/// Puts a certificate for localhost made 60 days ago that ends tomorrow in
/// place of the kept one.
fn replace_with_expiring_certificate(data_dir: &Path) {
    let kept = std::fs::read_dir(data_dir.join("acme"))
        .unwrap()
        .next()
        .expect("one CA folder")
        .unwrap()
        .path();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    let now = SystemTime::now();
    params.not_before = (now - Duration::from_secs(60 * 86_400)).into();
    params.not_after = (now + Duration::from_secs(86_400)).into();
    let cert = params.self_signed(&key).unwrap();
    std::fs::write(kept.join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(kept.join("key.pem"), key.serialize_pem()).unwrap();
}

#[tokio::test]
async fn a_ca_that_forgot_the_account_gets_a_new_one() {
    let dir = temp_dir("forgotten");
    let port = free_port().await;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let pebble = Pebble::start(&dir, port).await;
    let (addr_arg, data_dir) = (addr.to_string(), dir.join("data"));
    let data_arg = data_dir.to_str().unwrap().to_owned();
    let mut server = moim(&moim_args(&addr_arg, &data_arg, &pebble));
    server.wait_for("certificate for localhost issued by").await;
    server.stop().await;

    // A new pebble on the same address knows no accounts (and has a new root).
    let pebble = pebble.restart().await;
    replace_with_expiring_certificate(&data_dir);
    let mut server = moim(&moim_args(&addr_arg, &data_arg, &pebble));
    server
        .wait_for("the CA no longer knows moim's account")
        .await;
    server.wait_for("registered an ACME account").await;
    server.wait_for("certificate for localhost issued by").await;
    let root = pebble.issuing_root().await;
    let answer = https_get(addr, &[root], "localhost", "/healthz")
        .await
        .expect("issued under the new CA's root");
    assert!(answer.text.starts_with("HTTP/1.1 200"), "{}", answer.text);
    server.stop().await;
    pebble.stop().await;
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn an_unreachable_ca_is_logged_and_moim_keeps_serving() {
    let dir = temp_dir("unreachable");
    let port = free_port().await;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let nobody = free_port().await;
    let directory = format!("https://127.0.0.1:{nobody}/dir");
    let data_dir = dir.join("data");
    let mut server = moim(&[
        "--addr",
        &addr.to_string(),
        "--data-dir",
        data_dir.to_str().unwrap(),
        "--turn",
        "off",
        "--acme-domain",
        "localhost",
        "--acme-directory",
        &directory,
    ]);
    let line = server
        .wait_for(&format!(
            "cannot get a certificate for localhost from {directory}"
        ))
        .await;
    assert!(line.contains("ERROR"), "{line}");
    assert!(line.contains("cannot connect"), "says why: {line}");
    assert!(line.contains("trying again in"), "says what next: {line}");

    // Still serving: plain HTTP on the port gets its redirect to HTTPS.
    let mut tcp = TcpStream::connect(addr).await.expect("moim still listens");
    tcp.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 307"), "{answer}");
    assert!(answer.contains("Location: https://localhost/"), "{answer}");
    server.stop().await;
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_directory_that_is_not_https_stops_moim_at_start() {
    let dir = temp_dir("not-https");
    let mut server = moim(&[
        "--addr",
        "127.0.0.1:0",
        "--data-dir",
        dir.join("data").to_str().unwrap(),
        "--acme-domain",
        "localhost",
        "--acme-directory",
        "http://ca.example/dir",
    ]);
    assert_eq!(server.exit_code().await, Some(2), "a usage error");
    assert!(
        server
            .log()
            .contains("the ACME directory must be an https:// URL"),
        "{}",
        server.log()
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn when_the_ca_cannot_reach_moim_no_certificate_is_issued_and_the_log_says_why() {
    let dir = temp_dir("unvalidated");
    let port = free_port().await;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    // pebble validates on a port where nobody answers, not on moim's.
    let elsewhere = free_port().await;
    let pebble = Pebble::start(&dir, elsewhere).await;
    let (addr_arg, data_dir) = (addr.to_string(), dir.join("data"));
    let data_arg = data_dir.to_str().unwrap().to_owned();
    let mut server = moim(&moim_args(&addr_arg, &data_arg, &pebble));
    let line = server
        .wait_for("cannot get a certificate for localhost")
        .await;
    assert!(line.contains("tls-alpn-01"), "the CA's reason: {line}");
    assert!(!server.log().contains("issued"), "{}", server.log());
    // Nothing to serve yet: a handshake fails rather than offer something untrusted.
    let root = pebble.issuing_root().await;
    assert!(
        https_get(addr, &[root], "localhost", "/healthz")
            .await
            .is_err()
    );
    server.stop().await;
    pebble.stop().await;
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn an_unreadable_ca_root_stops_the_start_and_names_the_file() {
    use clap::Parser;
    let dir = temp_dir("ca-root");
    let config = moim::Config::parse_from([
        "moim",
        "--data-dir",
        dir.join("data").to_str().unwrap(),
        "--acme-domain",
        "localhost",
        "--acme-ca-root",
        "/nonexistent/ca.pem",
    ]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let error = moim::run(config, listener, std::future::pending())
        .await
        .expect_err("refuses to start");
    assert!(error.to_string().contains("/nonexistent/ca.pem"), "{error}");
    std::fs::remove_dir_all(dir).ok();
}
