//! [`Peers`]: the [`PeerPolicy`] plus this server's own relay sockets.
//!
//! When both browsers of a call need TURN, each relays to the other's relay
//! address, which is this server's relay IP: on a LAN deployment a private
//! address, and `127.0.0.1` when testing on one machine. So the relay IP is
//! a permitted peer *address* (CreatePermission is per IP in TURN), and a
//! datagram to or from it passes only when its port is one of this server's
//! live relay sockets: relay-to-relay works, while other services that
//! listen on that IP stay out of reach.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use super::peer_policy::{PeerPolicy, Refusal};

/// Which peers a relay may talk to.
#[derive(Debug)]
pub struct Peers {
    policy: PeerPolicy,
    relay_ip: IpAddr,
    live: Mutex<HashSet<u16>>,
}

impl Peers {
    /// `policy`, and relay sockets on `relay_ip`.
    pub fn new(policy: PeerPolicy, relay_ip: IpAddr) -> Self {
        Peers {
            policy,
            relay_ip,
            live: Mutex::new(HashSet::new()),
        }
    }

    /// Whether a permission for `ip` may be granted.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Refusal> {
        match self.policy.check(ip) {
            Err(Refusal::Local | Refusal::Private) if ip == self.relay_ip => Ok(()),
            verdict => verdict,
        }
    }

    /// Whether a datagram may be relayed to or from `addr`.
    pub fn check_addr(&self, addr: SocketAddr) -> Result<(), Refusal> {
        match self.policy.check(addr.ip()) {
            Err(refusal @ (Refusal::Local | Refusal::Private)) if addr.ip() == self.relay_ip => {
                if self.lock().contains(&addr.port()) {
                    Ok(())
                } else {
                    Err(refusal)
                }
            }
            verdict => verdict,
        }
    }

    /// Whether relaying to or from `addr` is allowed.
    pub fn permits(&self, addr: SocketAddr) -> bool {
        self.check_addr(addr).is_ok()
    }

    /// A relay socket opened on `port`.
    pub fn opened(&self, port: u16) {
        self.lock().insert(port);
    }

    /// The relay socket on `port` closed.
    pub fn closed(&self, port: u16) {
        self.lock().remove(&port);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<u16>> {
        // Plain data: usable after a panic elsewhere.
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relay_ip_is_a_peer_only_at_live_relay_ports() {
        let peers = Peers::new(PeerPolicy::default(), "192.168.1.20".parse().unwrap());
        let at = |port: u16| SocketAddr::new("192.168.1.20".parse().unwrap(), port);
        assert_eq!(peers.check_ip("192.168.1.20".parse().unwrap()), Ok(()));
        assert_eq!(
            peers.check_ip("192.168.1.21".parse().unwrap()),
            Err(Refusal::Private)
        );
        assert_eq!(
            peers.check_addr(at(50_000)),
            Err(Refusal::Private),
            "not a relay yet"
        );
        peers.opened(50_000);
        assert_eq!(peers.check_addr(at(50_000)), Ok(()));
        assert_eq!(
            peers.check_addr(at(53)),
            Err(Refusal::Private),
            "another service"
        );
        peers.closed(50_000);
        assert_eq!(peers.check_addr(at(50_000)), Err(Refusal::Private));
        assert!(peers.permits("8.8.8.8:53".parse().unwrap()));
    }

    #[test]
    fn deny_still_beats_the_relay_ip() {
        let policy = PeerPolicy {
            allow: Vec::new(),
            deny: vec!["192.168.0.0/16".parse().unwrap()],
        };
        let peers = Peers::new(policy, "192.168.1.20".parse().unwrap());
        peers.opened(50_000);
        assert_eq!(
            peers.check_addr("192.168.1.20:50000".parse().unwrap()),
            Err(Refusal::Denied)
        );
    }
}
