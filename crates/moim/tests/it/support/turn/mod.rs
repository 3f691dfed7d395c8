//! Helpers for the TURN tests: a TURN client from the `turn` crate, raw STUN
//! messages, and credentials minted as moim mints them.

#![allow(dead_code)]

pub mod raw;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::net::UdpSocket;
use turn::client::{Client, ClientConfig};
use webrtc_util::Conn;

/// How long any single wait may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// The shared secret of the TURN tests.
pub const SECRET: &str = "correct horse battery staple";
/// The relay ports of the TURN tests.
pub const RELAY_PORTS: std::ops::RangeInclusive<u16> = 41_000..=41_031;

/// A TURN server on loopback relaying from `relay_ip`, relaying to the
/// `allow`ed peer ranges, with `quota` allocations per user name.
pub fn settings(
    relay_ip: &str,
    allow: &[&str],
    quota: usize,
    rate: moim::rate_limit::RateLimit,
) -> moim::turn::TurnSettings {
    moim::turn::TurnSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        relay_ip: relay_ip.parse().unwrap(),
        relay_ports: RELAY_PORTS,
        secret: moim::turn::TurnSecret::new(SECRET),
        rate,
        peers: moim::turn::PeerPolicy {
            allow: allow.iter().map(|c| c.parse().expect("a CIDR")).collect(),
            deny: Vec::new(),
        },
        user_quota: quota,
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// A TURN client of `server`, listening, with these credentials.
pub async fn client(server: SocketAddr, username: &str, password: &str) -> Client {
    let conn = UdpSocket::bind("127.0.0.1:0").await.expect("bind client");
    let client = Client::new(ClientConfig {
        stun_serv_addr: server.to_string(),
        turn_serv_addr: server.to_string(),
        username: username.to_owned(),
        password: password.to_owned(),
        realm: "moim".to_owned(),
        software: String::new(),
        rto_in_ms: 0,
        conn: Arc::new(conn),
        vnet: None,
    })
    .await
    .expect("TURN client");
    client.listen().await.expect("client listens");
    client
}

/// Allocates a relay with `client` and checks that data goes both ways
/// between it and a plain UDP peer. Returns the relayed address.
pub async fn relay_both_ways(client: &Client) -> SocketAddr {
    let relay = tokio::time::timeout(PATIENCE, client.allocate())
        .await
        .expect("allocation answered in time")
        .expect("allocation accepted");
    let relayed = relay.local_addr().expect("relayed address");
    let peer = UdpSocket::bind("127.0.0.1:0").await.expect("bind peer");
    let peer_addr = peer.local_addr().expect("peer address");

    // Client → relay → peer (sending creates the permission for the peer).
    relay
        .send_to(b"to the peer", peer_addr)
        .await
        .expect("send through the relay");
    let mut buf = [0u8; 1500];
    let (n, from) = tokio::time::timeout(PATIENCE, peer.recv_from(&mut buf))
        .await
        .expect("the peer hears the client in time")
        .expect("peer receives");
    assert_eq!(&buf[..n], b"to the peer");
    assert_eq!(from.port(), relayed.port(), "it came from the relayed port");

    // Peer → relay → client.
    peer.send_to(b"to the client", from)
        .await
        .expect("peer answers");
    let (n, from) = tokio::time::timeout(PATIENCE, relay.recv_from(&mut buf))
        .await
        .expect("the client hears the peer in time")
        .expect("relay receives");
    assert_eq!(&buf[..n], b"to the client");
    assert_eq!(from, peer_addr);
    relay.close().await.ok();
    relayed
}

/// A STUN message header: `method_type`, no attributes, transaction id `tid`.
pub fn stun_header(method_type: u16, tid: [u8; 12]) -> Vec<u8> {
    let mut msg = Vec::with_capacity(20);
    msg.extend_from_slice(&method_type.to_be_bytes());
    msg.extend_from_slice(&0u16.to_be_bytes());
    msg.extend_from_slice(&0x2112_A442u32.to_be_bytes());
    msg.extend_from_slice(&tid);
    msg
}

/// A transaction id made from a number.
pub fn tid(n: u32) -> [u8; 12] {
    let mut tid = [7u8; 12];
    tid[8..].copy_from_slice(&n.to_be_bytes());
    tid
}

/// STUN Binding request.
pub const BINDING_REQUEST: u16 = 0x0001;
/// TURN Allocate request.
pub const ALLOCATE_REQUEST: u16 = 0x0003;

/// The message type and transaction id of a STUN message, if it is one.
pub fn parse_stun(datagram: &[u8]) -> Option<(u16, [u8; 12])> {
    if datagram.len() < 20 || datagram[4..8] != 0x2112_A442u32.to_be_bytes() {
        return None;
    }
    let typ = u16::from_be_bytes([datagram[0], datagram[1]]);
    let tid: [u8; 12] = datagram[8..20].try_into().ok()?;
    Some((typ, tid))
}

/// The ERROR-CODE attribute's code (e.g. 401), if the message has one.
pub fn error_code(datagram: &[u8]) -> Option<u16> {
    let mut at = 20;
    while at + 4 <= datagram.len() {
        let typ = u16::from_be_bytes([datagram[at], datagram[at + 1]]);
        let len = u16::from_be_bytes([datagram[at + 2], datagram[at + 3]]) as usize;
        let value = datagram.get(at + 4..at + 4 + len)?;
        if typ == 0x0009 && value.len() >= 4 {
            return Some(u16::from(value[2]) * 100 + u16::from(value[3]));
        }
        at += 4 + len.div_ceil(4) * 4;
    }
    None
}

/// Sends `request` from `socket` to `server` and waits for the answer to it.
pub async fn ask(socket: &UdpSocket, server: SocketAddr, request: &[u8]) -> Vec<u8> {
    let (_, want) = parse_stun(request).expect("a STUN request");
    socket.send_to(request, server).await.expect("send");
    let mut buf = [0u8; 1500];
    loop {
        let (n, _) = tokio::time::timeout(PATIENCE, socket.recv_from(&mut buf))
            .await
            .expect("answered in time")
            .expect("receive");
        if parse_stun(&buf[..n]).is_some_and(|(_, tid)| tid == want) {
            return buf[..n].to_vec();
        }
    }
}
