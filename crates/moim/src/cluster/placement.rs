//! Which node hosts a meeting's media (issue 20, the SFU in cluster mode).
//!
//! A meeting that needs the SFU has one media owner in the whole cluster, as a
//! room has one node in LiveKit: every participant's media goes to that node,
//! whichever node their signaling landed on. The owner is a lease in Redis,
//! `moim:meet:media:{room}` = the owner's node id for [`LEASE`]:
//! - [`Placement::place`] returns the meeting's owner, and when it has none,
//!   claims it for the least-loaded active node of the registry. Read and set
//!   are one Lua script, so two nodes racing for a new meeting get one owner.
//! - The owner renews the lease while it hosts the meeting
//!   ([`Placement::renew`], which also puts it back after Redis came back
//!   empty) and gives it up when the meeting ends or moves
//!   ([`Placement::release`]); a lease of a node that died runs out, and the
//!   next request places the meeting again.
//!
//! The registry is each node's media record, `moim:media-node:{node}` (its
//! media addresses, SFU sessions and meetings, `active` or `draining`),
//! written with the heartbeat and living as long as the heartbeat's key: a
//! node that stops beating leaves the registry by itself.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use redis::Script;
use redis::aio::ConnectionManager;

use super::heartbeat::{TTL, is_alive};
use super::presence::PresenceError;

/// How long a claim holds without renewal: longer than a heartbeat's TTL, so
/// an owner that is only slow is not replaced, short enough that a dead
/// owner's meetings move within seconds.
pub const LEASE: Duration = Duration::from_secs(10);

const MEDIA_NODES: &str = "moim:media-nodes";

fn lease_key(room: &str) -> String {
    format!("moim:meet:media:{room}")
}

fn record_key(node: &str) -> String {
    format!("moim:media-node:{node}")
}

/// The owner if there is one, else ARGV[1] becomes it, and its record
/// (KEYS[2]) counts the meeting at once: the next placement, before its next
/// beat, sees it loaded.
const CLAIM: &str = r"
local owner = redis.call('GET', KEYS[1])
if owner then return owner end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('HINCRBY', KEYS[2], 'meetings', 1)
end
return ARGV[1]
";

/// Renew a lease held by ARGV[1], or take it back if nobody holds it.
const RENEW: &str = r"
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
";

/// Give up a lease, only if ARGV[1] holds it.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Whether a node takes new meetings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeState {
    /// Takes new meetings.
    Active,
    /// Shutting down: takes none, moves its own away.
    Draining,
}

impl NodeState {
    fn as_str(self) -> &'static str {
        match self {
            NodeState::Active => "active",
            NodeState::Draining => "draining",
        }
    }
}

/// A node as the registry shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaNode {
    /// The node id (`node_id`).
    pub node: String,
    /// Where browsers send it media: `--public-ip` (or its LAN addresses)
    /// with `--media-port`.
    pub media: Vec<SocketAddr>,
    /// SFU sessions it forwards for.
    pub sessions: u64,
    /// Meetings it hosts.
    pub meetings: u64,
    /// Whether it takes new meetings.
    pub state: NodeState,
}

/// Why a meeting could not be placed.
#[derive(Debug, thiserror::Error)]
pub enum PlacementError {
    /// No node takes meetings (all draining, or none registered).
    #[error("no node can host the meeting's media")]
    NoMediaNode,
    /// Redis could not be asked.
    #[error(transparent)]
    Store(#[from] PresenceError),
}

impl From<redis::RedisError> for PlacementError {
    fn from(e: redis::RedisError) -> Self {
        PlacementError::Store(PresenceError::Redis(e))
    }
}

/// The node a new meeting goes to: the active one hosting the fewest
/// meetings, then the fewest sessions, then by id (every node computes the
/// same choice from the same registry).
pub fn least_loaded(nodes: &[MediaNode]) -> Option<&MediaNode> {
    nodes
        .iter()
        .filter(|n| n.state == NodeState::Active && !n.media.is_empty())
        .min_by(|a, b| (a.meetings, a.sessions, &a.node).cmp(&(b.meetings, b.sessions, &b.node)))
}

/// Meetings' media owners and the nodes' media records, as this node reads
/// and writes them.
#[derive(Clone)]
pub struct Placement {
    conn: ConnectionManager,
    node: Arc<str>,
    scripts: Arc<Scripts>,
}

struct Scripts {
    claim: Script,
    renew: Script,
    release: Script,
}

impl std::fmt::Debug for Placement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Placement")
            .field("node", &self.node)
            .finish()
    }
}

impl Placement {
    /// Placement for `node` on `conn`.
    pub fn new(conn: ConnectionManager, node: Arc<str>) -> Self {
        Placement {
            conn,
            node,
            scripts: Arc::new(Scripts {
                claim: Script::new(CLAIM),
                renew: Script::new(RENEW),
                release: Script::new(RELEASE),
            }),
        }
    }

    /// Writes this node's media record (with every heartbeat): it lives one
    /// heartbeat TTL.
    pub async fn publish(&self, record: &MediaNode) -> Result<(), PlacementError> {
        let key = record_key(&self.node);
        let media: Vec<String> = record.media.iter().map(|a| a.to_string()).collect();
        redis::pipe()
            .cmd("HSET")
            .arg(&key)
            .arg("media")
            .arg(media.join(","))
            .arg("sessions")
            .arg(record.sessions)
            .arg("meetings")
            .arg(record.meetings)
            .arg("state")
            .arg(record.state.as_str())
            .ignore()
            .cmd("PEXPIRE")
            .arg(&key)
            .arg(TTL.as_millis() as u64)
            .ignore()
            .cmd("SADD")
            .arg(MEDIA_NODES)
            .arg(&*self.node)
            .ignore()
            .query_async::<()>(&mut self.conn.clone())
            .await?;
        Ok(())
    }

    /// Every node with a live media record; the registry forgets the others.
    pub async fn nodes(&self) -> Result<Vec<MediaNode>, PlacementError> {
        let mut conn = self.conn.clone();
        let ids: Vec<String> = redis::cmd("SMEMBERS")
            .arg(MEDIA_NODES)
            .query_async(&mut conn)
            .await?;
        let mut nodes = Vec::with_capacity(ids.len());
        for id in ids {
            let fields: Vec<(String, String)> = redis::cmd("HGETALL")
                .arg(record_key(&id))
                .query_async(&mut conn)
                .await?;
            if fields.is_empty() {
                redis::cmd("SREM")
                    .arg(MEDIA_NODES)
                    .arg(&id)
                    .query_async::<()>(&mut conn)
                    .await?;
                continue;
            }
            nodes.push(parse_record(id, &fields));
        }
        Ok(nodes)
    }

    /// The meeting's media owner, if it has one.
    pub async fn owner(&self, room: &str) -> Result<Option<String>, PlacementError> {
        Ok(redis::cmd("GET")
            .arg(lease_key(room))
            .query_async(&mut self.conn.clone())
            .await?)
    }

    /// The meeting's media owner; a meeting without one is given to the
    /// least-loaded active node that is alive (a node killed a moment ago
    /// still has its record for a heartbeat's TTL: it is passed over). Two
    /// nodes asking at once get the same owner.
    pub async fn place(&self, room: &str) -> Result<String, PlacementError> {
        let started = std::time::Instant::now();
        if let Some(owner) = self.owner(room).await? {
            return Ok(owner);
        }
        let mut nodes = self.nodes().await?;
        loop {
            let candidate = least_loaded(&nodes)
                .ok_or(PlacementError::NoMediaNode)?
                .node
                .clone();
            if *candidate == *self.node || is_alive(&mut self.conn.clone(), &candidate).await? {
                let owner = self.claim(room, &candidate).await?;
                if owner == candidate {
                    let load = nodes.iter().find(|n| n.node == candidate);
                    let us = started.elapsed().as_micros() as u64;
                    tracing::info!(%room, node = %owner, meetings = load.map_or(0, |n| n.meetings), sessions = load.map_or(0, |n| n.sessions), us, "meeting placed on the least-loaded node");
                }
                return Ok(owner);
            }
            tracing::info!(%room, node = %candidate, "passed over for the meeting: the node stopped beating");
            nodes.retain(|n| n.node != candidate);
        }
    }

    /// The meeting's owner: `node` if the meeting had none, else the one it
    /// has. Atomic: of two claims at once with different nodes, the first
    /// wins and both are told the winner.
    pub async fn claim(&self, room: &str, node: &str) -> Result<String, PlacementError> {
        Ok(self
            .scripts
            .claim
            .key(lease_key(room))
            .key(record_key(node))
            .arg(node)
            .arg(LEASE.as_millis() as u64)
            .invoke_async(&mut self.conn.clone())
            .await?)
    }

    /// This node still hosts the meeting: its lease goes on (or comes back,
    /// after Redis restarted empty). False when another node holds it.
    pub async fn renew(&self, room: &str) -> Result<bool, PlacementError> {
        let renewed: i64 = self
            .scripts
            .renew
            .key(lease_key(room))
            .arg(&*self.node)
            .arg(LEASE.as_millis() as u64)
            .invoke_async(&mut self.conn.clone())
            .await?;
        Ok(renewed == 1)
    }

    /// Gives up `room`'s lease if `node` holds it: a dead owner's, so that
    /// the meeting is placed again at once instead of when the lease runs out.
    pub async fn release_held_by(&self, room: &str, node: &str) -> Result<bool, PlacementError> {
        let released: i64 = self
            .scripts
            .release
            .key(lease_key(room))
            .arg(node)
            .invoke_async(&mut self.conn.clone())
            .await?;
        Ok(released == 1)
    }

    /// The Redis connection (for the liveness checks beside placement).
    pub fn conn(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// This node no longer hosts the meeting. False when it did not hold it.
    pub async fn release(&self, room: &str) -> Result<bool, PlacementError> {
        self.release_held_by(room, &self.node).await
    }
}

/// A record as [`Placement::publish`] wrote it; what does not parse reads as
/// nothing (no address: never chosen).
fn parse_record(node: String, fields: &[(String, String)]) -> MediaNode {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    MediaNode {
        node,
        media: field("media")
            .split(',')
            .filter_map(|a| a.parse().ok())
            .collect(),
        sessions: field("sessions").parse().unwrap_or(0),
        meetings: field("meetings").parse().unwrap_or(0),
        state: if field("state") == "active" {
            NodeState::Active
        } else {
            NodeState::Draining
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, meetings: u64, sessions: u64, state: NodeState) -> MediaNode {
        MediaNode {
            node: id.to_owned(),
            media: vec!["192.0.2.1:3479".parse().unwrap()],
            sessions,
            meetings,
            state,
        }
    }

    #[test]
    fn a_new_meeting_goes_to_the_active_node_with_the_fewest_meetings() {
        let nodes = [
            node("a", 3, 10, NodeState::Active),
            node("b", 1, 40, NodeState::Active),
            node("c", 0, 0, NodeState::Draining),
            node("d", 1, 20, NodeState::Active),
        ];
        assert_eq!(least_loaded(&nodes).map(|n| n.node.as_str()), Some("d"));
        let draining = [node("c", 0, 0, NodeState::Draining)];
        assert!(
            least_loaded(&draining).is_none(),
            "a draining node takes none"
        );
        let mut silent = node("e", 0, 0, NodeState::Active);
        silent.media.clear();
        assert!(
            least_loaded(&[silent]).is_none(),
            "a node without an address takes none"
        );
    }

    #[test]
    fn a_record_reads_back_and_garbage_reads_as_unusable() {
        let fields = vec![
            (
                "media".to_owned(),
                "192.0.2.1:3479,[2001:db8::1]:3479".to_owned(),
            ),
            ("sessions".to_owned(), "7".to_owned()),
            ("meetings".to_owned(), "2".to_owned()),
            ("state".to_owned(), "active".to_owned()),
        ];
        let n = parse_record("a".into(), &fields);
        assert_eq!(n.media.len(), 2);
        assert_eq!((n.sessions, n.meetings, n.state), (7, 2, NodeState::Active));
        let junk = vec![
            ("media".to_owned(), "nope".to_owned()),
            ("state".to_owned(), "?".to_owned()),
        ];
        let n = parse_record("b".into(), &junk);
        assert!(n.media.is_empty());
        assert_eq!(n.state, NodeState::Draining);
    }
}
