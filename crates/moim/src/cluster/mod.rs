//! Cluster mode (`--redis-url`): several moim nodes behind one address act as
//! one service.
//!
//! Two things cross nodes, both through one Redis:
//! - broadcasts (room events, targeted signaling, the room list) go through
//!   socketioxide's Redis adapter, on our reconnecting [`driver`];
//! - who is where ([`presence`]): names, media states, counts and the room
//!   list, since a socket of another node carries no extensions here.
//!
//! Each node keeps a heartbeat key with a short lifetime ([`heartbeat`]); when
//! one stops beating, another takes its participants out and tells their rooms.
//! When Redis is down, each node goes on serving its own sockets (broadcasts
//! fall back to local delivery, counts to the node's own) and puts its
//! members back into Redis once it returns.

pub mod driver;
pub mod heartbeat;
pub mod node_link;
pub mod placement;
pub mod presence;

use std::sync::Arc;

use std::time::Duration;

use redis::ProtocolVersion;

pub use driver::ManagedDriver;
pub use presence::{Change, Presence, PresenceError};

/// The adapter type of a clustered engine.
pub type ClusterAdapter =
    socketioxide_redis::CustomRedisAdapter<socketioxide::adapter::Emitter, ManagedDriver>;

/// Why cluster mode could not start.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The URL is not a Redis URL.
    #[error("--redis-url: {0}")]
    Url(redis::RedisError),
    /// Redis could not be reached at start-up.
    #[error("cannot reach redis at --redis-url: {0}")]
    Connect(redis::RedisError),
}

/// A node's link to the cluster.
pub struct Cluster {
    /// Presence (members, counts, room lists).
    pub presence: Presence,
    /// The adapter's pub/sub driver.
    pub driver: ManagedDriver,
}

impl Cluster {
    /// Connects to Redis at `url` as node `node` (a name unique to this run).
    pub async fn connect(url: &str, node: &str) -> Result<Cluster, ClusterError> {
        let client = redis::Client::open(url).map_err(ClusterError::Url)?;
        // The adapter reads pub/sub messages on the command connection: RESP3.
        let info = client.get_connection_info().clone();
        let settings = info
            .redis_settings()
            .clone()
            .set_protocol(ProtocolVersion::RESP3);
        let client =
            redis::Client::open(info.set_redis_settings(settings)).map_err(ClusterError::Url)?;
        // Short timeouts: while Redis is away, a handler waits this long at
        // most before falling back to the node's own rooms.
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_secs(1)))
            .set_number_of_retries(1);
        let driver = ManagedDriver::connect(client, config)
            .await
            .map_err(ClusterError::Connect)?;
        Ok(Cluster {
            presence: Presence::new(driver.connection(), Arc::from(node)),
            driver,
        })
    }
}

/// This node's host name (`moim` when it has none that is usable): the
/// Admin UI's `serverId`, and the first part of its [`node_id`] in a cluster.
pub fn node_name() -> String {
    crate::lan::host_name().unwrap_or_else(|| "moim".to_owned())
}

/// A node name unique to this run: the host name and a random suffix, so a
/// node restarted at once is not taken for the one that died.
pub fn node_id(host: &str) -> String {
    let mut bytes = [0u8; 4];
    if getrandom::fill(&mut bytes).is_err() {
        bytes = std::process::id().to_le_bytes();
    }
    let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{host}-{suffix}")
}
