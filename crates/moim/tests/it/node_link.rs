//! Requests between nodes over a real Redis (`scripts/redis-temp.sh`): each
//! answer finds its request, and a request to a node that is gone, silent or
//! refusing gets a typed error in bounded time — never a hang.

use std::sync::Arc;
use std::time::{Duration, Instant};

use moim::cluster::Cluster;
use moim::cluster::node_link::{Handler, LinkError, NodeLink};
use serde_json::{Value, json};

use crate::support::redis::Redis;

async fn node(redis: &Redis, name: &str, handler: Handler) -> NodeLink {
    let cluster = Cluster::connect(&redis.url, name).await.unwrap();
    let (link, _task) = NodeLink::start(cluster.driver, Arc::from(name), handler)
        .await
        .unwrap();
    link
}

/// Doubles `n`, the smaller ones later: answers come back out of order.
fn doubler() -> Handler {
    Arc::new(|from: String, body: Value| {
        Box::pin(async move {
            let n = body["n"].as_u64().ok_or("bad-request")?;
            tokio::time::sleep(Duration::from_millis(40 - 2 * n)).await;
            Ok(json!({ "twice": n * 2, "asked_by": from }))
        })
    })
}

/// Refuses `refuse`, never answers `hang`.
fn picky() -> Handler {
    Arc::new(|_from: String, body: Value| {
        Box::pin(async move {
            match body["do"].as_str() {
                Some("refuse") => Err("sfu-unavailable".to_owned()),
                _ => std::future::pending().await,
            }
        })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_answer_finds_its_request_across_nodes() {
    let redis = Redis::start();
    let a = node(&redis, "node-a", doubler()).await;
    let _b = node(&redis, "node-b", doubler()).await;
    let mut asks = Vec::new();
    for n in 0..20u64 {
        let a = a.clone();
        asks.push(tokio::spawn(async move {
            (
                n,
                a.request("node-b", json!({ "n": n }), Duration::from_secs(5))
                    .await,
            )
        }));
    }
    for ask in asks {
        let (n, answer) = ask.await.unwrap();
        assert_eq!(
            answer.unwrap(),
            json!({ "twice": n * 2, "asked_by": "node-a" })
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gone_silent_or_refusing_node_gets_a_typed_error_in_bounded_time() {
    let redis = Redis::start();
    let a = node(&redis, "node-a", doubler()).await;
    let _b = node(&redis, "node-b", picky()).await;
    let timeout = Duration::from_millis(500);

    let started = Instant::now();
    let gone = a.request("node-gone", json!({}), timeout).await;
    assert_eq!(gone, Err(LinkError::Unreachable("node-gone".into())));
    assert!(
        started.elapsed() < timeout,
        "refused at once, not timed out"
    );

    let refused = a
        .request("node-b", json!({ "do": "refuse" }), timeout)
        .await;
    assert_eq!(refused, Err(LinkError::Refused("sfu-unavailable".into())));

    let started = Instant::now();
    let silent = a.request("node-b", json!({ "do": "hang" }), timeout).await;
    assert_eq!(silent, Err(LinkError::Timeout("node-b".into())));
    assert!(started.elapsed() < timeout * 2, "{:?}", started.elapsed());

    // Bad input is the handler's to refuse, typed; the link goes on.
    let bad = a.request("node-a", json!({ "n": "x" }), timeout).await;
    assert_eq!(bad, Err(LinkError::Refused("bad-request".into())));
    let fine = a.request("node-a", json!({ "n": 3 }), timeout).await;
    assert_eq!(fine.unwrap()["twice"], 6);
}
