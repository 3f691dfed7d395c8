//! The course's raw WebSocket chat at `/ws`, with a real WebSocket client.

use std::time::Duration;

use crate::support::{PATIENCE, TestServer};
use serde_json::json;

fn message(text: &str) -> serde_json::Value {
    json!({ "type": "new_message", "payload": text })
}

#[tokio::test]
async fn everyone_receives_nickname_and_text_including_the_sender() {
    let server = TestServer::start(&[]).await;
    let mut mina = server.ws().await;
    let mut jun = server.ws().await;
    mina.send_json(json!({ "type": "nickname", "payload": "Mina" }))
        .await;
    mina.send_json(message("hello")).await;
    assert_eq!(mina.next_text().await.as_deref(), Some("Mina: hello"));
    assert_eq!(jun.next_text().await.as_deref(), Some("Mina: hello"));
    jun.send_json(message("<img src=x onerror=alert(1)>")).await;
    assert_eq!(
        mina.next_text().await.as_deref(),
        Some("Anon: <img src=x onerror=alert(1)>")
    );
    assert_eq!(
        jun.next_text().await.as_deref(),
        Some("Anon: <img src=x onerror=alert(1)>")
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn malformed_json_is_refused_to_its_sender_only() {
    let server = TestServer::start(&[]).await;
    let mut bad = server.ws().await;
    let mut good = server.ws().await;
    bad.send_text("{not json").await;
    let refusal: serde_json::Value = serde_json::from_str(&bad.next_text().await.unwrap()).unwrap();
    assert_eq!(refusal["type"], "error");
    assert_eq!(refusal["payload"]["code"], "invalid_json");
    bad.send_json(json!({ "type": "new_message", "payload": "" }))
        .await;
    let refusal: serde_json::Value = serde_json::from_str(&bad.next_text().await.unwrap()).unwrap();
    assert_eq!(refusal["payload"]["code"], "invalid_message");
    // Both are still connected, and the good one never saw the refusals.
    good.send_json(message("still here")).await;
    assert_eq!(good.next_text().await.as_deref(), Some("Anon: still here"));
    assert_eq!(bad.next_text().await.as_deref(), Some("Anon: still here"));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn an_oversized_frame_closes_only_its_sender() {
    let server = TestServer::start(&[]).await;
    let mut big = server.ws().await;
    let mut other = server.ws().await;
    big.send_json(message(&"x".repeat(2 * 1024 * 1024))).await;
    assert_eq!(
        big.next_text().await,
        None,
        "the oversized sender is closed"
    );
    other.send_json(message("unaffected")).await;
    assert_eq!(other.next_text().await.as_deref(), Some("Anon: unaffected"));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_flood_is_cut_at_the_rate_limit() {
    // A bucket of 5 that practically never refills: exactly 5 get through.
    let server = TestServer::start(&["--rate-limit", "0.001", "--rate-burst", "5"]).await;
    let mut flooder = server.ws().await;
    let mut reader = server.ws().await;
    let mut witness = server.ws().await;
    for i in 0..20 {
        flooder.send_json(message(&format!("flood {i}"))).await;
    }
    // Wait for the refusal: by then the five accepted messages are on their way.
    let mut flooder_saw = Vec::new();
    loop {
        let text = flooder.next_text().await.expect("still connected");
        let refused = text.contains("rate_limited");
        flooder_saw.push(text);
        if refused {
            break;
        }
    }
    witness.send_json(message("end")).await;
    let mut seen = Vec::new();
    loop {
        let text = reader.next_text().await.expect("reader connected");
        if text == "Anon: end" {
            break;
        }
        seen.push(text);
    }
    let expected: Vec<String> = (0..5).map(|i| format!("Anon: flood {i}")).collect();
    assert_eq!(seen, expected, "only the first five were delivered");
    loop {
        let text = flooder.next_text().await.expect("flooder still connected");
        if text == "Anon: end" {
            break;
        }
        flooder_saw.push(text);
    }
    let notices = flooder_saw
        .iter()
        .filter(|t| t.contains("rate_limited"))
        .count();
    let echoes = flooder_saw
        .iter()
        .filter(|t| t.starts_with("Anon: flood"))
        .count();
    assert_eq!(
        (echoes, notices),
        (5, 1),
        "five echoes and one throttled notice: {flooder_saw:?}"
    );
    server.stop().await.unwrap();
}

/// Opens `/ws` by hand, with `extra` header lines; the response head.
async fn raw_upgrade(server: &TestServer, extra: &str) -> (tokio::net::TcpStream, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let request = format!(
        "GET /ws HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{extra}\r\n",
        server.addr
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let read = tokio::time::timeout(PATIENCE, stream.read(&mut byte))
            .await
            .expect("a response in time");
        if read.unwrap() == 0 {
            break;
        }
        head.push(byte[0]);
    }
    (stream, String::from_utf8_lossy(&head).into_owned())
}

#[tokio::test]
async fn a_client_that_never_answers_pings_is_closed() {
    use tokio::io::AsyncReadExt;
    let server = TestServer::start(&["--ping-interval", "1", "--ping-timeout", "1"]).await;
    let (mut stream, head) = raw_upgrade(&server, "").await;
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    // Read (never answer) until the server closes: a ping must come first.
    let until = tokio::time::Instant::now() + Duration::from_secs(2) + PATIENCE;
    let mut received = Vec::new();
    let mut buf = [0u8; 256];
    loop {
        match tokio::time::timeout_at(until, stream.read(&mut buf)).await {
            Err(_) => panic!("still open after the ping timeout; received {received:?}"),
            Ok(Ok(0) | Err(_)) => break,
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
        }
    }
    assert_eq!(
        received.first(),
        Some(&0x89),
        "a ping frame first: {received:?}"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_client_that_answers_pings_stays_past_the_timeout() {
    let server = TestServer::start(&["--ping-interval", "1", "--ping-timeout", "1"]).await;
    let mut quiet = server.ws().await;
    // Three seconds without a message, only pongs (the client library answers).
    assert!(
        quiet.stays_open_for(Duration::from_secs(3)).await,
        "still open"
    );
    quiet.send_json(message("still here")).await;
    assert_eq!(quiet.next_text().await.as_deref(), Some("Anon: still here"));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn only_the_servers_own_pages_and_allowed_origins_may_open_ws() {
    let server = TestServer::start(&["--allowed-origin", "https://course.example"]).await;
    let own = format!("Origin: http://{}\r\n", server.addr);
    for (extra, expected) in [
        ("Origin: http://evil.example\r\n", "HTTP/1.1 403"),
        ("Origin: null\r\n", "HTTP/1.1 403"),
        (own.as_str(), "HTTP/1.1 101"),
        ("Origin: https://course.example\r\n", "HTTP/1.1 101"),
        ("", "HTTP/1.1 101"),
    ] {
        let (_stream, head) = raw_upgrade(&server, extra).await;
        assert!(head.starts_with(expected), "{extra:?}: {head}");
    }
    server.stop().await.unwrap();
}
