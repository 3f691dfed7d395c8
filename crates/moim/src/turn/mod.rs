//! moim's built-in TURN server (RFC 5766 over UDP, the `turn` crate), for
//! browsers that cannot reach each other directly: different networks, strict
//! NATs, a phone on mobile data.
//!
//! - [`credentials`]: TURN REST API user names and passwords from a shared secret.
//! - [`auth`]: checks them (expiry, grace, then the HMAC) for the server; [`grace`]
//!   keeps a running call's relay past its credential's expiry.
//! - [`guard`]: the listening socket: a per-address rate limit, then the
//!   [`gate`] (authentication, nonces, peer policy, quota) before the server.
//! - [`peer_policy`]: which peers may be relayed to; [`peers`] adds this
//!   server's own relays (relay to relay); [`relay`] enforces it on the relay
//!   sockets themselves.
//! - [`nonces`], [`quota`], [`wire`]: the gate's bookkeeping and STUN messages.
//!
//! Relayed ports come from a fixed range so a firewall can open exactly it.

pub mod auth;
pub mod credentials;
pub mod gate;
pub mod grace;
pub mod guard;
pub mod nonces;
pub mod peer_policy;
pub mod peers;
pub mod quota;
pub mod relay;
pub mod wire;

use std::net::{IpAddr, SocketAddr};
use std::ops::RangeInclusive;
use std::sync::Arc;

use tokio::net::UdpSocket;
use turn::relay::relay_range::RelayAddressGeneratorRanges;
use turn::server::Server;
use turn::server::config::{ConnConfig, ServerConfig};

use crate::rate_limit::RateLimit;
use auth::RestAuth;
pub use credentials::{Credentials, TurnSecret};
use gate::Gate;
use guard::FloodGuard;
pub use peer_policy::{Cidr, PeerPolicy};
use peers::Peers;
use relay::PolicedRelays;

/// The realm moim's TURN server names in its challenges.
pub const REALM: &str = "moim";

/// Allocations one user name may hold at once, by default (`--turn-user-quota`).
pub const DEFAULT_USER_QUOTA: usize = 10;

/// How the built-in TURN server is set up.
#[derive(Debug, Clone)]
pub struct TurnSettings {
    /// Where to listen (UDP).
    pub listen: SocketAddr,
    /// The address relayed candidates carry: the one peers can reach.
    pub relay_ip: IpAddr,
    /// Ports for relayed allocations.
    pub relay_ports: RangeInclusive<u16>,
    /// The shared secret credentials are checked against.
    pub secret: TurnSecret,
    /// STUN messages per source IP.
    pub rate: RateLimit,
    /// Which peers may be relayed to (`--turn-allow-peer`, `--turn-deny-peer`).
    pub peers: PeerPolicy,
    /// Allocations one user name may hold at once (`--turn-user-quota`).
    pub user_quota: usize,
}

/// Why the TURN server could not start.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    /// The UDP port could not be bound.
    #[error("cannot listen for TURN on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The TURN library refused the configuration (for example an empty port range).
    #[error("TURN server: {0}")]
    Setup(#[from] turn::Error),
}

/// A running TURN server.
pub struct TurnServer {
    server: Server,
    addr: SocketAddr,
    gate: Arc<Gate>,
}

impl TurnServer {
    /// Binds the UDP port and starts serving.
    ///
    /// A wildcard `listen` address becomes one socket per local IPv4 address
    /// (loopback and LAN), all on one port: an answer must come from the
    /// address the request went to, and a socket bound to 0.0.0.0 lets the
    /// kernel pick another (a browser on this machine asking 127.0.0.1 would
    /// get its answer from the LAN address and ignore it).
    pub async fn start(settings: TurnSettings) -> Result<TurnServer, TurnError> {
        let ips = if settings.listen.ip().is_unspecified() {
            let mut ips = vec![IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)];
            ips.extend(
                crate::lan::lan_addresses()
                    .into_iter()
                    .filter(IpAddr::is_ipv4),
            );
            ips
        } else {
            vec![settings.listen.ip()]
        };
        let auth = Arc::new(RestAuth::new(settings.secret));
        let peers = Arc::new(Peers::new(settings.peers, settings.relay_ip));
        let gate = Arc::new(Gate::new(
            Arc::clone(&peers),
            Arc::clone(&auth),
            REALM,
            settings.user_quota,
        ));
        let mut port = settings.listen.port();
        let mut conn_configs = Vec::new();
        let mut first = None;
        for ip in ips {
            let addr = SocketAddr::new(ip, port);
            let bind_error = |source| TurnError::Bind { addr, source };
            let socket = UdpSocket::bind(addr).await.map_err(bind_error)?;
            let bound = socket.local_addr().map_err(bind_error)?;
            // Port 0 means "any": the first socket picks it, the rest share it.
            port = bound.port();
            first.get_or_insert(bound);
            let ranges = RelayAddressGeneratorRanges {
                relay_address: settings.relay_ip,
                min_port: *settings.relay_ports.start(),
                max_port: *settings.relay_ports.end(),
                // Random picks in the range; enough tries to find a free
                // port in a mostly used range.
                max_retries: 50,
                address: "0.0.0.0".to_owned(),
                net: Arc::new(webrtc_util::vnet::net::Net::new(None)),
            };
            conn_configs.push(ConnConfig {
                conn: Arc::new(FloodGuard::new(socket, settings.rate, Arc::clone(&gate))),
                relay_addr_generator: Box::new(PolicedRelays::new(ranges, Arc::clone(&peers))),
            });
        }
        let addr = first.unwrap_or(settings.listen);
        // The server tells of every closed allocation (expired, released,
        // shut down): the quota counts it off. The task ends with the server.
        let (closed_tx, mut closed_rx) = tokio::sync::mpsc::channel(256);
        let server = Server::new(ServerConfig {
            conn_configs,
            realm: REALM.to_owned(),
            auth_handler: auth,
            channel_bind_timeout: std::time::Duration::ZERO,
            alloc_close_notify: Some(closed_tx),
        })
        .await?;
        let counting = Arc::clone(&gate);
        tokio::spawn(async move {
            while let Some(closed) = closed_rx.recv().await {
                let tuple = closed.five_tuple;
                counting.allocation_closed((tuple.src_addr, tuple.dst_addr));
            }
        });
        Ok(TurnServer { server, addr, gate })
    }

    /// The UDP address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many nonces the server holds, as far as its guard knows (each one
    /// the server ever issued passed through the guard).
    pub fn nonces_held(&self) -> usize {
        self.gate.nonces_held()
    }

    /// Closes every allocation and the listening socket.
    pub async fn stop(&self) {
        if let Err(e) = self.server.close().await {
            tracing::warn!(error = %e, "TURN server did not close cleanly");
        }
    }
}
