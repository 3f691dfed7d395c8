//! Meeting placement on a real Redis (`scripts/redis-temp.sh`, Debian's
//! `redis-server`; the test fails, rather than skips, without it): one media
//! owner per meeting however nodes race, leases only their owner renews or
//! gives up, a draining node given nothing new.

use std::sync::Arc;
use std::time::Duration;

use moim::cluster::placement::{LEASE, MediaNode, NodeState, Placement, PlacementError};

use crate::support::redis::Redis;

/// `node`'s heartbeat key, as its heartbeat writes it.
async fn beat(conn: &mut impl redis::aio::ConnectionLike, node: &str) {
    redis::cmd("SET")
        .arg(format!("moim:node:{node}"))
        .arg(1)
        .arg("EX")
        .arg(60)
        .query_async::<()>(conn)
        .await
        .unwrap();
}

/// `node`'s placement, the node alive as placement checks it: its heartbeat
/// key, and a listener on its node-link channel (held for the test's life).
async fn placement(redis: &Redis, node: &str) -> Placement {
    let client = redis::Client::open(redis.url.as_str()).unwrap();
    let mut conn = client.get_connection_manager().await.unwrap();
    beat(&mut conn, node).await;
    let mut listener = client.get_async_pubsub().await.unwrap();
    listener
        .subscribe(moim::cluster::node_link::channel(node))
        .await
        .unwrap();
    tokio::spawn(async move {
        let _held = listener;
        std::future::pending::<()>().await;
    });
    Placement::new(conn, Arc::from(node))
}

fn record(node: &str, meetings: u64, state: NodeState) -> MediaNode {
    MediaNode {
        node: node.to_owned(),
        media: vec![format!("192.0.2.{}:3479", node.len()).parse().unwrap()],
        sessions: meetings * 5,
        meetings,
        bitrate: meetings * 2_000_000,
        cpu_permille: meetings * 50,
        state,
    }
}

/// `node-a` and `node-b`, alive, active and hosting nothing.
async fn two_idle_nodes(redis: &Redis) -> (Placement, Placement) {
    let a = placement(redis, "node-a").await;
    let b = placement(redis, "node-b").await;
    for (p, node) in [(&a, "node-a"), (&b, "node-b")] {
        p.publish(&record(node, 0, NodeState::Active))
            .await
            .unwrap();
    }
    (a, b)
}

#[tokio::test]
async fn nodes_racing_to_place_a_meeting_get_one_owner() {
    let redis = Redis::start();
    // Equal load: each racer, reading before the other wrote, may pick
    // either node; the claim decides.
    let (a, b) = two_idle_nodes(&redis).await;

    // Each node claims the meeting for itself, as two nodes whose registry
    // reads differed would: one wins, and both are told the winner.
    let mut races = Vec::new();
    for i in 0..40 {
        let (a, b) = (a.clone(), b.clone());
        let room = format!("race-{i}");
        races.push(tokio::spawn(async move {
            let (from_a, from_b) = tokio::join!(a.claim(&room, "node-a"), b.claim(&room, "node-b"));
            (
                from_a.unwrap(),
                from_b.unwrap(),
                a.owner(&room).await.unwrap(),
            )
        }));
    }
    for race in races {
        let (from_a, from_b, stored) = race.await.unwrap();
        assert_eq!(from_a, from_b, "both nodes are told the same owner");
        assert_eq!(Some(from_a), stored, "and it is the one in Redis");
    }

    // Placing goes through the same claim: asked at once, one answer.
    for i in 0..20 {
        let room = format!("placed-{i}");
        let (from_a, from_b) = tokio::join!(a.place(&room), b.place(&room));
        assert_eq!(from_a.unwrap(), from_b.unwrap());
    }
}

#[tokio::test]
async fn meetings_placed_at_once_from_both_nodes_spread_over_them() {
    let redis = Redis::start();
    let (a, b) = two_idle_nodes(&redis).await;
    // Every request reads the same registry before any claim lands; each
    // claim counts its meeting at once, so the next one sees it.
    let placed = futures_util::future::join_all((0..20).map(|i| {
        let by = if i % 2 == 0 { a.clone() } else { b.clone() };
        async move { by.place(&format!("spread-{i}")).await.unwrap() }
    }))
    .await;
    let on_a = placed.iter().filter(|n| *n == "node-a").count();
    assert_eq!((on_a, placed.len() - on_a), (10, 10), "{placed:?}");
}

#[tokio::test]
async fn a_lease_is_renewed_and_given_up_only_by_its_owner() {
    let redis = Redis::start();
    let a = placement(&redis, "node-a").await;
    let b = placement(&redis, "node-b").await;
    a.publish(&record("node-a", 0, NodeState::Active))
        .await
        .unwrap();
    b.publish(&record("node-b", 4, NodeState::Active))
        .await
        .unwrap();

    // The least loaded hosts it, whoever asks.
    assert_eq!(b.place("m").await.unwrap(), "node-a");
    assert!(!b.renew("m").await.unwrap(), "b does not hold it");
    assert!(!b.release("m").await.unwrap(), "nor can it give it up");
    assert_eq!(a.owner("m").await.unwrap().as_deref(), Some("node-a"));
    assert!(a.renew("m").await.unwrap());
    let mut conn = redis::Client::open(redis.url.as_str())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let ttl: i64 = redis::cmd("PTTL")
        .arg("moim:meet:media:m")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(
        ttl > 0 && ttl <= LEASE.as_millis() as i64,
        "the lease runs out: {ttl} ms"
    );

    // Redis came back empty: the owner's renewal puts its lease back.
    redis::cmd("FLUSHALL")
        .query_async::<()>(&mut conn)
        .await
        .unwrap();
    assert!(a.renew("m").await.unwrap());
    assert_eq!(b.owner("m").await.unwrap().as_deref(), Some("node-a"));

    // Given up, the meeting is placed again on the next request.
    assert!(a.release("m").await.unwrap());
    assert_eq!(a.owner("m").await.unwrap(), None);
    // node-b beats again since the flush (its heartbeat key is back).
    beat(&mut conn, "node-b").await;
    b.publish(&record("node-b", 0, NodeState::Active))
        .await
        .unwrap();
    a.publish(&record("node-a", 3, NodeState::Active))
        .await
        .unwrap();
    assert_eq!(a.place("m").await.unwrap(), "node-b");
}

#[tokio::test]
async fn a_draining_node_gets_no_new_meeting_and_without_any_node_the_refusal_is_typed() {
    let redis = Redis::start();
    let a = placement(&redis, "node-a").await;
    let b = placement(&redis, "node-b").await;
    assert!(
        matches!(a.place("m").await, Err(PlacementError::NoMediaNode)),
        "nobody registered"
    );
    a.publish(&record("node-a", 0, NodeState::Draining))
        .await
        .unwrap();
    b.publish(&record("node-b", 9, NodeState::Active))
        .await
        .unwrap();
    assert_eq!(a.place("m").await.unwrap(), "node-b");
    b.publish(&record("node-b", 9, NodeState::Draining))
        .await
        .unwrap();
    assert!(matches!(
        a.place("n").await,
        Err(PlacementError::NoMediaNode)
    ));
    // Within bounded time, never a hang: the registry lists both.
    let nodes = tokio::time::timeout(Duration::from_secs(5), a.nodes())
        .await
        .expect("answers")
        .unwrap();
    assert_eq!(nodes.len(), 2);
    let b_record = nodes
        .iter()
        .find(|n| n.node == "node-b")
        .expect("b is listed");
    assert_eq!(
        *b_record,
        record("node-b", 9, NodeState::Draining),
        "its record reads back whole"
    );
}
