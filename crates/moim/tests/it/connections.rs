//! Connections that never end: silent, dribbling or idle clients are closed
//! by `--header-timeout`, and one address cannot hold more than
//! `--max-conns-per-ip` (the open-files limit itself: `open_files.rs`).

use std::time::Duration;

use crate::support::{
    PATIENCE, TestServer, closed_within, connect_from, descriptor_hog, healthz_on,
};
use tokio::io::AsyncWriteExt;

/// `--header-timeout` in these tests, in seconds.
const TIMEOUT: u64 = 1;

fn header_timeout() -> Duration {
    Duration::from_secs(TIMEOUT)
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let server = TestServer::start(&["--header-timeout", &TIMEOUT.to_string()]).await;
    let mut silent = connect_from("127.0.0.1", server.addr).await;
    assert!(
        closed_within(&mut silent, header_timeout() + PATIENCE).await,
        "a silent connection is closed"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_request_head_sent_a_byte_at_a_time_is_cut_off() {
    let server = TestServer::start(&["--header-timeout", &TIMEOUT.to_string()]).await;
    let stream = connect_from("127.0.0.1", server.addr).await;
    let (mut reader, mut writer) = stream.into_split();
    // Slowloris: a byte every 100 ms, the head never finished.
    let dribble = tokio::spawn(async move {
        let head = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: ";
        for byte in head.iter().chain(std::iter::repeat(&b'a')) {
            if writer.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let until = tokio::time::Instant::now() + header_timeout() + PATIENCE;
    let mut buf = [0u8; 256];
    let closed = loop {
        use tokio::io::AsyncReadExt;
        match tokio::time::timeout_at(until, reader.read(&mut buf)).await {
            Err(_) => break false,
            Ok(Ok(0) | Err(_)) => break true,
            Ok(Ok(_)) => continue,
        }
    };
    dribble.abort();
    assert!(closed, "the dribbling connection is closed");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_its_response() {
    let server = TestServer::start(&["--header-timeout", &TIMEOUT.to_string()]).await;
    let mut stream = connect_from("127.0.0.1", server.addr).await;
    assert_eq!(healthz_on(&mut stream).await, Some(200), "served first");
    assert!(
        closed_within(&mut stream, header_timeout() + PATIENCE).await,
        "then closed once idle"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn an_address_beyond_its_cap_is_refused_while_another_is_served() {
    let server = TestServer::start(&["--max-conns-per-ip", "3"]).await;
    // Three connections from 127.0.0.3, each shown to be accepted by a response.
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut stream = connect_from("127.0.0.3", server.addr).await;
        assert_eq!(healthz_on(&mut stream).await, Some(200));
        held.push(stream);
    }
    let mut fourth = connect_from("127.0.0.3", server.addr).await;
    assert!(
        closed_within(&mut fourth, PATIENCE).await,
        "the fourth from the same address is closed at once"
    );
    let mut other = connect_from("127.0.0.4", server.addr).await;
    assert_eq!(
        healthz_on(&mut other).await,
        Some(200),
        "another address is served"
    );
    // A closed connection gives its place back.
    drop(held.pop());
    let until = tokio::time::Instant::now() + PATIENCE;
    loop {
        let mut again = connect_from("127.0.0.3", server.addr).await;
        if healthz_on(&mut again).await == Some(200) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < until,
            "the place was never given back"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn websockets_count_against_the_cap_until_they_close() {
    // Two connections per address: both are /ws sockets, upgraded.
    let server = TestServer::start(&["--max-conns-per-ip", "2"]).await;
    let mut first = server.ws().await;
    let second = server.ws().await;
    first
        .send_json(serde_json::json!({ "type": "new_message", "payload": "hi" }))
        .await;
    assert_eq!(first.next_text().await.as_deref(), Some("Anon: hi"));
    let mut third = connect_from("127.0.0.1", server.addr).await;
    assert!(
        closed_within(&mut third, PATIENCE).await,
        "an upgraded connection still holds its place"
    );
    drop(second);
    let until = tokio::time::Instant::now() + PATIENCE;
    loop {
        let mut again = connect_from("127.0.0.1", server.addr).await;
        if healthz_on(&mut again).await == Some(200) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < until,
            "the closed WebSocket's place came back"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn by_default_one_address_holds_at_most_256_connections() {
    // The default cap (256 per address) with 300 idle connections from one
    // address: the rest are refused, and the server keeps serving others.
    let _one_flood_at_a_time = descriptor_hog().await;
    let server = TestServer::start(&[]).await;
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(connect_from("127.0.0.5", server.addr).await);
    }
    let mut refused = 0;
    for stream in idle.iter_mut().rev().take(44) {
        if closed_within(stream, Duration::from_millis(500)).await {
            refused += 1;
        }
    }
    assert_eq!(refused, 44, "the connections beyond 256 are closed at once");
    let mut other = connect_from("127.0.0.6", server.addr).await;
    assert_eq!(healthz_on(&mut other).await, Some(200));
    server.stop().await.unwrap();
}
