//! moim's built-in TURN server, driven by the `turn` crate's client and by raw
//! STUN datagrams: credentials, relaying, the port range, bad input, floods.

use std::net::SocketAddr;

use crate::support::turn::*;
use moim::rate_limit::RateLimit;
use moim::turn::{TurnSecret, TurnServer};
use tokio::net::UdpSocket;

/// A server whose test peers (plain sockets on 127.0.0.1) may be relayed to.
async fn server(rate: RateLimit) -> TurnServer {
    TurnServer::start(settings("127.0.0.1", &["127.0.0.1/32"], 100, rate))
        .await
        .expect("TURN server starts")
}

const GENEROUS: RateLimit = RateLimit {
    per_second: 1000.0,
    burst: 1000.0,
};

#[tokio::test]
async fn valid_credentials_allocate_a_relay_that_carries_data_both_ways() {
    let turn = server(GENEROUS).await;
    let creds = TurnSecret::new(SECRET).mint("participant-1", now() + 600);
    let client = client(turn.local_addr(), &creds.username, &creds.password).await;
    let relayed = relay_both_ways(&client).await;
    assert_eq!(
        relayed.ip().to_string(),
        "127.0.0.1",
        "relayed at --public-ip"
    );
    client.close().await.ok();
    turn.stop().await;
}

#[tokio::test]
async fn relayed_ports_stay_in_the_configured_range() {
    let turn = server(GENEROUS).await;
    let mut ports = Vec::new();
    let mut clients = Vec::new();
    for n in 0..6 {
        let creds = TurnSecret::new(SECRET).mint(&format!("p{n}"), now() + 600);
        let client = client(turn.local_addr(), &creds.username, &creds.password).await;
        let relay = client.allocate().await.expect("allocation accepted");
        ports.push(webrtc_util::Conn::local_addr(&relay).unwrap().port());
        clients.push((client, relay));
    }
    for port in &ports {
        assert!(
            RELAY_PORTS.contains(port),
            "port {port} outside {RELAY_PORTS:?}"
        );
    }
    let mut distinct = ports.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        ports.len(),
        "each allocation has its own port"
    );
    turn.stop().await;
}

async fn refused(username: &str, password: &str) -> String {
    let turn = server(GENEROUS).await;
    let client = client(turn.local_addr(), username, password).await;
    let outcome = tokio::time::timeout(PATIENCE, client.allocate())
        .await
        .expect("answered in time");
    let error = match outcome {
        Ok(_) => panic!("allocation with {username}/{password} must be refused"),
        Err(e) => e.to_string(),
    };
    client.close().await.ok();
    turn.stop().await;
    error
}

/// An error response to the Allocate (the `turn` crate's server answered bad
/// credentials with 400 where coturn says 401; moim's guard now says 401;
/// either way there is no relay).
fn assert_refused(error: &str) {
    assert!(
        error.contains("error 400") || error.contains("error 401"),
        "refused with an error response: {error}"
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused() {
    let creds = TurnSecret::new("another secret").mint("p", now() + 600);
    let error = refused(&creds.username, &creds.password).await;
    assert_refused(&error);
}

#[tokio::test]
async fn an_expired_username_is_refused() {
    // Correctly signed, but its time is up.
    let creds = TurnSecret::new(SECRET).mint("p", now() - 1);
    let error = refused(&creds.username, &creds.password).await;
    assert_refused(&error);
}

#[tokio::test]
async fn a_username_without_expiry_is_refused() {
    let password = TurnSecret::new(SECRET).password("mina");
    let error = refused("mina", &password).await;
    assert_refused(&error);
}

#[tokio::test]
async fn malformed_datagrams_get_no_answer_and_break_nothing() {
    let turn = server(GENEROUS).await;
    let addr = turn.local_addr();
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    // Garbage, a truncated header, a header whose length runs past the end,
    // and a ChannelData frame for a channel nobody bound.
    let mut lying_length = stun_header(ALLOCATE_REQUEST, tid(1));
    lying_length[2..4].copy_from_slice(&400u16.to_be_bytes());
    for bad in [
        &b"\xde\xad\xbe\xef not stun"[..],
        &stun_header(BINDING_REQUEST, tid(2))[..10],
        &lying_length[..],
        b"\x40\x00\x00\x04abcd",
    ] {
        socket.send_to(bad, addr).await.unwrap();
    }
    // The server reads one socket in order: the first answer after the bad
    // datagrams is the one to this Binding request, so none of them was answered.
    let binding = stun_header(BINDING_REQUEST, tid(3));
    socket.send_to(&binding, addr).await.unwrap();
    let mut buf = [0u8; 1500];
    let (n, _) = tokio::time::timeout(PATIENCE, socket.recv_from(&mut buf))
        .await
        .expect("answered")
        .unwrap();
    assert_eq!(
        parse_stun(&buf[..n]),
        Some((0x0101, tid(3))),
        "a Binding success, to tid 3"
    );

    // An Allocate without credentials is refused with 401, not served.
    let answer = ask(&socket, addr, &stun_header(ALLOCATE_REQUEST, tid(4))).await;
    assert_eq!(
        parse_stun(&answer).map(|(typ, _)| typ),
        Some(0x0113),
        "Allocate error response"
    );
    assert_eq!(error_code(&answer), Some(401));

    // And the server still serves a real client.
    let creds = TurnSecret::new(SECRET).mint("p", now() + 600);
    let client = client(addr, &creds.username, &creds.password).await;
    relay_both_ways(&client).await;
    turn.stop().await;
}

#[tokio::test]
async fn a_flood_from_one_address_is_rate_limited_and_others_are_still_served() {
    let limit = RateLimit {
        per_second: 10.0,
        burst: 20.0,
    };
    let turn = server(limit).await;
    let addr = turn.local_addr();
    let flooder = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    const FLOOD: u32 = 300;
    let started = std::time::Instant::now();
    for n in 0..FLOOD {
        flooder
            .send_to(&stun_header(BINDING_REQUEST, tid(n)), addr)
            .await
            .unwrap();
    }
    // Another address (all of 127/8 is loopback) is answered at once.
    let other = UdpSocket::bind("127.0.0.2:0").await.unwrap();
    let answer = ask(&other, addr, &stun_header(BINDING_REQUEST, tid(9999))).await;
    assert_eq!(parse_stun(&answer), Some((0x0101, tid(9999))));
    let elapsed = started.elapsed().as_secs_f64();

    // Everything the flood was going to get has been sent by now: the server
    // reads its socket in order and the flood came first.
    let mut answered = 0u32;
    let mut buf = [0u8; 1500];
    while let Ok((n, from)) = flooder.try_recv_from(&mut buf) {
        assert_eq!(from, addr);
        assert!(parse_stun(&buf[..n]).is_some());
        answered += 1;
    }
    let allowed = (limit.burst + limit.per_second * elapsed).ceil() as u32 + 1;
    assert!(answered >= 1, "the first requests are answered");
    assert!(
        answered <= allowed,
        "{answered} of {FLOOD} answered in {elapsed:.3} s; at most {allowed} allowed"
    );
    let _: SocketAddr = addr;
    turn.stop().await;
}
