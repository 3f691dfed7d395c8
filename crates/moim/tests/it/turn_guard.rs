//! What moim's TURN server refuses: relaying to its own loopback, LAN and
//! other special addresses (unless the operator allows a range), growing its
//! nonce table for strangers, one credential holding every relay port, and a
//! credential past its expiry starting a new allocation (while a running one
//! keeps working).

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::Instant;

use crate::support::descriptor_hog;
use crate::support::turn::raw::{Attr, Raw, RawAttr, error_of, text_of, udp};
use crate::support::turn::*;
use moim::rate_limit::RateLimit;
use moim::turn::{TurnSecret, TurnServer};
use stun::attributes::{ATTR_MESSAGE_INTEGRITY, ATTR_NONCE};
use stun::message::METHOD_ALLOCATE;
use tokio::net::UdpSocket;
use webrtc_util::Conn;

const GENEROUS: RateLimit = RateLimit {
    per_second: 1_000_000.0,
    burst: 1_000_000.0,
};

async fn start(relay_ip: &str, allow: &[&str], quota: usize) -> TurnServer {
    TurnServer::start(settings(relay_ip, allow, quota, GENEROUS))
        .await
        .expect("TURN server starts")
}

fn creds(participant: &str) -> (String, String) {
    let c = TurnSecret::new(SECRET).mint(participant, now() + 600);
    (c.username, c.password)
}

/// The next datagram `socket` receives.
async fn hear(socket: &UdpSocket) -> Vec<u8> {
    let mut buf = [0u8; 1500];
    let (n, _) = tokio::time::timeout(PATIENCE, socket.recv_from(&mut buf))
        .await
        .expect("heard in time")
        .expect("receive");
    buf[..n].to_vec()
}

/// Whether `socket` has received anything yet.
fn heard_anything(socket: &UdpSocket) -> bool {
    let mut buf = [0u8; 1500];
    socket.try_recv_from(&mut buf).is_ok()
}

/// A peer on 127.0.0.1 (refused unless allowed) and one on 127.0.0.2 (the
/// servers below allow 127.0.0.2/32: the fence that shows the relay works).
async fn denied_and_allowed() -> (UdpSocket, SocketAddr, UdpSocket, SocketAddr) {
    let denied = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let allowed = UdpSocket::bind("127.0.0.2:0").await.unwrap();
    let (d, a) = (denied.local_addr().unwrap(), allowed.local_addr().unwrap());
    (denied, d, allowed, a)
}

#[tokio::test]
async fn a_loopback_peer_is_refused_with_403_and_hears_nothing() {
    // Relayed addresses on 127.0.0.3, so 127.0.0.1 is no relay of this server.
    let turn = start("127.0.0.3", &["127.0.0.2/32"], 10).await;
    let (denied, denied_addr, allowed, allowed_addr) = denied_and_allowed().await;
    let (user, pass) = creds("p");
    let client = client(turn.local_addr(), &user, &pass).await;
    let relay = client.allocate().await.expect("allocation");

    let refused = relay.send_to(b"to a local service", denied_addr).await;
    let error = refused
        .expect_err("the permission must be refused")
        .to_string();
    assert!(error.contains("403"), "refused with 403 Forbidden: {error}");

    relay
        .send_to(b"fence", allowed_addr)
        .await
        .expect("allowed peer");
    assert_eq!(hear(&allowed).await, b"fence");
    // Everything sent before the fence has arrived by now (one client socket,
    // handled in order, loopback): the local service got nothing.
    assert!(
        !heard_anything(&denied),
        "the loopback peer heard the relay"
    );
    client.close().await.ok();
    turn.stop().await;
}

#[tokio::test]
async fn channel_bind_and_send_indications_to_a_refused_peer_relay_nothing() {
    let turn = start("127.0.0.3", &["127.0.0.2/32"], 10).await;
    let (denied, denied_addr, allowed, allowed_addr) = denied_and_allowed().await;
    let (user, pass) = creds("p");
    let mut raw = Raw::new(turn.local_addr(), &user, &pass).await;
    raw.allocate().await.expect("allocation");

    assert_eq!(raw.channel_bind(0x4000, denied_addr).await, Err(403));
    assert_eq!(raw.create_permission(&[denied_addr]).await, Err(403));
    raw.channel_bind(0x4001, allowed_addr)
        .await
        .expect("allowed peer");

    raw.send_indication(denied_addr, b"indication").await;
    raw.channel_data(0x4000, b"channel data").await;
    raw.channel_data(0x4001, b"fence").await;
    assert_eq!(&hear(&allowed).await[..], b"fence");
    assert!(
        !heard_anything(&denied),
        "the loopback peer heard the relay"
    );
    turn.stop().await;
}

#[tokio::test]
async fn private_and_special_peers_are_refused_by_default() {
    let turn = start("127.0.0.3", &[], 10).await;
    let (user, pass) = creds("p");
    let mut raw = Raw::new(turn.local_addr(), &user, &pass).await;
    raw.allocate().await.expect("allocation");
    for peer in [
        "127.0.0.1:5432",
        "10.0.0.1:53",
        "172.16.0.1:53",
        "192.168.1.1:53",
        "100.64.0.1:53",
        "169.254.169.254:80",
        "0.0.0.0:53",
        "255.255.255.255:9",
        "224.0.0.251:5353",
    ] {
        let peer: SocketAddr = peer.parse().unwrap();
        assert_eq!(raw.create_permission(&[peer]).await, Err(403), "{peer}");
    }
    // One refused peer refuses the whole request; public peers are fine.
    let public: SocketAddr = "203.0.113.7:3478".parse().unwrap();
    let private: SocketAddr = "10.1.2.3:3478".parse().unwrap();
    assert_eq!(raw.create_permission(&[public, private]).await, Err(403));
    assert_eq!(raw.create_permission(&[public]).await, Ok(()));
    turn.stop().await;
}

#[tokio::test]
async fn an_allowed_loopback_range_is_relayed() {
    // The same set-up as the 403 test, plus --turn-allow-peer 127.0.0.1/32.
    let turn = start("127.0.0.3", &["127.0.0.2/32", "127.0.0.1/32"], 10).await;
    let (user, pass) = creds("p");
    let client = client(turn.local_addr(), &user, &pass).await;
    relay_both_ways(&client).await;
    client.close().await.ok();
    turn.stop().await;
}

#[tokio::test]
async fn relays_of_this_server_reach_each_other_but_not_its_other_ports() {
    // Relayed addresses on 127.0.0.1 and nothing allowed: two browsers that
    // both need TURN still reach each other, relay to relay.
    let turn = start("127.0.0.1", &[], 10).await;
    let (ua, pa) = creds("a");
    let (ub, pb) = creds("b");
    let a = client(turn.local_addr(), &ua, &pa).await;
    let b = client(turn.local_addr(), &ub, &pb).await;
    let relay_a = a.allocate().await.expect("allocation a");
    let relay_b = b.allocate().await.expect("allocation b");
    let addr_a = relay_a.local_addr().unwrap();
    let addr_b = relay_b.local_addr().unwrap();

    // b permits a first, then a sends.
    relay_b.send_to(b"hello a", addr_a).await.expect("b to a");
    relay_a.send_to(b"hello b", addr_b).await.expect("a to b");
    let mut buf = [0u8; 1500];
    let (n, from) = tokio::time::timeout(PATIENCE, relay_b.recv_from(&mut buf))
        .await
        .expect("in time")
        .expect("b hears a");
    assert_eq!((&buf[..n], from), (&b"hello b"[..], addr_a));

    // Another service on the relay IP is not a relay: nothing reaches it.
    let service = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let _ = relay_a
        .send_to(b"to the service", service.local_addr().unwrap())
        .await;
    relay_a
        .send_to(b"fence", addr_b)
        .await
        .expect("a to b again");
    let (n, _) = tokio::time::timeout(PATIENCE, relay_b.recv_from(&mut buf))
        .await
        .expect("in time")
        .expect("b hears the fence");
    assert_eq!(&buf[..n], b"fence");
    assert!(
        !heard_anything(&service),
        "a non-relay port on the relay IP heard the relay"
    );
    a.close().await.ok();
    b.close().await.ok();
    turn.stop().await;
}

#[tokio::test]
async fn unauthenticated_requests_do_not_grow_the_servers_nonces() {
    // 200 sockets.
    let _one_flood_at_a_time = descriptor_hog().await;
    let turn = start("127.0.0.1", &["127.0.0.1/32"], 10).await;
    const SOCKETS: usize = 200;
    const EACH: usize = 10;
    let mut nonces = HashSet::new();
    let mut clients = Vec::new();
    for _ in 0..SOCKETS {
        clients.push(Raw::new(turn.local_addr(), "nobody", "nothing").await);
    }
    for round in 0..EACH {
        for raw in &clients {
            // Without credentials, and (every other round) with a made-up nonce.
            let answer = if round % 2 == 0 {
                raw.ask(METHOD_ALLOCATE, vec![udp()], false).await
            } else {
                let attrs: Vec<Attr> = vec![
                    udp(),
                    Box::new(RawAttr(ATTR_NONCE, format!("made-up-{round}").into_bytes())),
                    Box::new(RawAttr(ATTR_MESSAGE_INTEGRITY, vec![0; 20])),
                ];
                raw.ask(METHOD_ALLOCATE, attrs, false).await
            };
            let code = error_of(&answer).expect("an error response");
            assert!(code == 401 || code == 438, "challenged: {code}");
            nonces.insert(text_of(&answer, ATTR_NONCE).expect("a nonce"));
        }
    }
    // Each distinct nonce handed out is one the server keeps in memory: the
    // old server made one per request (2,000 here).
    assert!(
        nonces.len() <= 3,
        "{} distinct nonces for {} requests",
        nonces.len(),
        SOCKETS * EACH
    );
    assert!(
        turn.nonces_held() <= 3,
        "{} nonces held",
        turn.nonces_held()
    );

    // And real clients are still served with them.
    let (user, pass) = creds("p");
    let real = client(turn.local_addr(), &user, &pass).await;
    relay_both_ways(&real).await;
    turn.stop().await;
}

#[tokio::test]
async fn a_credential_beyond_its_quota_gets_486_and_others_still_allocate() {
    let turn = start("127.0.0.1", &["127.0.0.1/32"], 2).await;
    let (ua, pa) = creds("a");
    let (ub, pb) = creds("b");
    let mut first = Raw::new(turn.local_addr(), &ua, &pa).await;
    let mut second = Raw::new(turn.local_addr(), &ua, &pa).await;
    first.allocate().await.expect("first allocation of a");
    second.allocate().await.expect("second allocation of a");
    let mut third = Raw::new(turn.local_addr(), &ua, &pa).await;
    assert_eq!(third.allocate().await, Err(486), "a's quota is 2");
    // Fresh credentials for the same participant do not reset the count.
    let renewed = TurnSecret::new(SECRET).mint("a", now() + 900);
    let mut fourth = Raw::new(turn.local_addr(), &renewed.username, &renewed.password).await;
    assert_eq!(
        fourth.allocate().await,
        Err(486),
        "a's quota, new credentials"
    );
    let mut other = Raw::new(turn.local_addr(), &ub, &pb).await;
    other.allocate().await.expect("b still gets a relay");

    // Releasing one makes room again (the server reports the close).
    first.refresh(0).await.expect("released");
    let deadline = Instant::now() + PATIENCE;
    loop {
        let mut again = Raw::new(turn.local_addr(), &ua, &pa).await;
        match again.allocate().await {
            Ok(_) => break,
            Err(486) if Instant::now() < deadline => tokio::task::yield_now().await,
            Err(code) => panic!("a could not allocate after releasing one: {code}"),
        }
    }
    turn.stop().await;
}

#[tokio::test]
async fn an_allocation_outlives_its_credential_which_opens_no_new_one() {
    let turn = start("127.0.0.1", &["127.0.0.1/32"], 10).await;
    let expires = now() + 2;
    let c = TurnSecret::new(SECRET).mint("short", expires);
    let mut running = Raw::new(turn.local_addr(), &c.username, &c.password).await;
    running.allocate().await.expect("allocated while valid");
    let peer = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    running
        .create_permission(&[peer.local_addr().unwrap()])
        .await
        .expect("permission while valid");

    // Wait for the credential to expire (the clock is the condition).
    let deadline = Instant::now() + PATIENCE;
    while now() <= expires {
        assert!(
            Instant::now() < deadline,
            "the clock did not pass {expires}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // The running allocation keeps refreshing from its address...
    running
        .create_permission(&[peer.local_addr().unwrap()])
        .await
        .expect("permission refreshed after expiry");
    running
        .refresh(600)
        .await
        .expect("allocation refreshed after expiry");
    // ...but the same credential from another address is refused.
    let mut thief = Raw::new(turn.local_addr(), &c.username, &c.password).await;
    assert_eq!(thief.allocate().await, Err(401));
    turn.stop().await;
}
