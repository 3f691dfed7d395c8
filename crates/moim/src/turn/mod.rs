//! moim's built-in TURN server (RFC 5766 over UDP, the `turn` crate), for
//! browsers that cannot reach each other directly: different networks, strict
//! NATs, a phone on mobile data.
//!
//! - [`credentials`]: TURN REST API user names and passwords from a shared secret.
//! - [`auth`]: checks them (expiry, then the HMAC) for the server.
//! - [`guard`]: a per-address rate limit on the listening socket.
//!
//! Relayed ports come from a fixed range so a firewall can open exactly it.

pub mod auth;
pub mod credentials;
pub mod guard;

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
use guard::FloodGuard;

/// The realm moim's TURN server names in its challenges.
pub const REALM: &str = "moim";

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
                crate::tls::lan::lan_addresses()
                    .into_iter()
                    .filter(IpAddr::is_ipv4),
            );
            ips
        } else {
            vec![settings.listen.ip()]
        };
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
            conn_configs.push(ConnConfig {
                conn: Arc::new(FloodGuard::new(socket, settings.rate)),
                relay_addr_generator: Box::new(RelayAddressGeneratorRanges {
                    relay_address: settings.relay_ip,
                    min_port: *settings.relay_ports.start(),
                    max_port: *settings.relay_ports.end(),
                    // Random picks in the range; enough tries to find a free
                    // port in a mostly used range.
                    max_retries: 50,
                    address: "0.0.0.0".to_owned(),
                    net: Arc::new(webrtc_util::vnet::net::Net::new(None)),
                }),
            });
        }
        let addr = first.unwrap_or(settings.listen);
        let server = Server::new(ServerConfig {
            conn_configs,
            realm: REALM.to_owned(),
            auth_handler: Arc::new(RestAuth::new(settings.secret)),
            channel_bind_timeout: std::time::Duration::ZERO,
            alloc_close_notify: None,
        })
        .await?;
        Ok(TurnServer { server, addr })
    }

    /// The UDP address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Closes every allocation and the listening socket.
    pub async fn stop(&self) {
        if let Err(e) = self.server.close().await {
            tracing::warn!(error = %e, "TURN server did not close cleanly");
        }
    }
}
