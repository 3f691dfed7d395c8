//! The course's raw WebSocket chat at `/ws`, with a real WebSocket client.

mod common;

use common::TestServer;
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
