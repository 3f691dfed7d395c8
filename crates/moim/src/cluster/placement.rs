//! Which node hosts a meeting's media (issue 20, the SFU in cluster mode).
//!
//! A meeting that needs the SFU has one media owner in the whole cluster, as a
//! room has one node in LiveKit: every participant's media goes to that node,
//! whichever node their signaling landed on. The owner is a lease in Redis,
//! `moim:meet:media:{room}` = the owner's node id for [`LEASE`]:
//! - [`Placement::place`] returns the meeting's owner, and when it has none,
//!   claims it for the least-loaded active node of the registry. Choosing
//!   and claiming are one Lua script, so two nodes racing for a new meeting
//!   get one owner, and new meetings placed at once spread over the nodes.
//! - The owner renews the lease while it hosts the meeting
//!   ([`Placement::renew`], which also puts it back after Redis came back
//!   empty) and gives it up when the meeting ends or moves
//!   ([`Placement::release`]); a lease of a node that died runs out, and the
//!   next request places the meeting again.
//!
//! The registry is each node's media record, `moim:media-node:{node}` (its
//! media addresses, SFU sessions and meetings, the bit rate its SFU sent and
//! the CPU its SFU workers used over the last beat, `active` or `draining`),
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

/// The meeting's owner if it has one; else the least-loaded of the
/// candidates (KEYS[2..], their records; ARGV[2..], their ids) becomes it:
/// active, with an address, the fewest meetings, then sessions, then by id.
/// Its record counts the meeting at once. Choosing and claiming are one
/// script, so meetings placed at the same moment from several nodes spread
/// over the nodes instead of all reading the same loads and picking the
/// same one. Returns {owner, 1 if claimed now, its meetings, its sessions},
/// or nil when no candidate can host.
const PLACE: &str = r"
local owner = redis.call('GET', KEYS[1])
if owner then return {owner, 0, 0, 0} end
local best, best_key, best_m, best_s
for i = 2, #KEYS do
  local r = redis.call('HMGET', KEYS[i], 'state', 'media', 'meetings', 'sessions')
  if r[1] == 'active' and r[2] and r[2] ~= '' then
    local m, s, id = tonumber(r[3]) or 0, tonumber(r[4]) or 0, ARGV[i]
    if not best or m < best_m or (m == best_m and (s < best_s or (s == best_s and id < best))) then
      best, best_key, best_m, best_s = id, KEYS[i], m, s
    end
  end
end
if not best then return false end
redis.call('SET', KEYS[1], best, 'PX', ARGV[1])
redis.call('HINCRBY', best_key, 'meetings', 1)
return {best, 1, best_m, best_s}
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
    /// Bits per second its SFU sent over the last heartbeat.
    pub bitrate: u64,
    /// Thousandths of a core its SFU's workers were busy over the last
    /// heartbeat.
    pub cpu_permille: u64,
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

/// Whether `node` takes new meetings: active, with an address browsers can
/// use. Among those, the script [`PLACE`] picks the least loaded.
pub fn can_host(node: &MediaNode) -> bool {
    node.state == NodeState::Active && !node.media.is_empty()
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
    place: Script,
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
                place: Script::new(PLACE),
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
            .arg("bitrate")
            .arg(record.bitrate)
            .arg("cpu")
            .arg(record.cpu_permille)
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

    /// Whether `node` holds `room`'s lease and renewed it within the last
    /// two beats (an owner renews every beat).
    pub async fn renewed_lately(&self, room: &str, node: &str) -> Result<bool, PlacementError> {
        let (owner, left): (Option<String>, i64) = redis::pipe()
            .cmd("GET")
            .arg(lease_key(room))
            .cmd("PTTL")
            .arg(lease_key(room))
            .query_async(&mut self.conn.clone())
            .await?;
        let fresh = LEASE.saturating_sub(2 * super::heartbeat::BEAT).as_millis() as i64;
        Ok(owner.as_deref() == Some(node) && left > fresh)
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
    /// nodes asking at once get the same owner; meetings placed at once go
    /// to different nodes.
    pub async fn place(&self, room: &str) -> Result<String, PlacementError> {
        let started = std::time::Instant::now();
        if let Some(owner) = self.owner(room).await? {
            return Ok(owner);
        }
        let mut candidates = Vec::new();
        for node in self.nodes().await?.into_iter().filter(can_host) {
            if *node.node == *self.node || is_alive(&mut self.conn.clone(), &node.node).await? {
                candidates.push(node.node);
            } else {
                tracing::info!(%room, node = %node.node, "passed over for the meeting: the node stopped beating");
            }
        }
        let (owner, claimed, meetings, sessions) = self.choose(room, &candidates).await?;
        if claimed {
            let us = started.elapsed().as_micros() as u64;
            tracing::info!(%room, node = %owner, meetings, sessions, us, "meeting placed on the least-loaded node");
        }
        Ok(owner)
    }

    /// The meeting's owner: `node` if the meeting had none (and `node` can
    /// host), else the one it has. Atomic: of two claims at once with
    /// different nodes, the first wins and both are told the winner.
    pub async fn claim(&self, room: &str, node: &str) -> Result<String, PlacementError> {
        Ok(self.choose(room, &[node.to_owned()]).await?.0)
    }

    /// [`PLACE`] over `candidates`: the owner, whether it was claimed now,
    /// and its meetings and sessions before.
    async fn choose(
        &self,
        room: &str,
        candidates: &[String],
    ) -> Result<(String, bool, u64, u64), PlacementError> {
        let mut script = self.scripts.place.key(lease_key(room));
        script.arg(LEASE.as_millis() as u64);
        for node in candidates {
            script.key(record_key(node)).arg(node);
        }
        let placed: Option<(String, u8, u64, u64)> =
            script.invoke_async(&mut self.conn.clone()).await?;
        let (owner, claimed, meetings, sessions) = placed.ok_or(PlacementError::NoMediaNode)?;
        Ok((owner, claimed == 1, meetings, sessions))
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
        bitrate: field("bitrate").parse().unwrap_or(0),
        cpu_permille: field("cpu").parse().unwrap_or(0),
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
            bitrate: 0,
            cpu_permille: 0,
            state,
        }
    }

    #[test]
    fn only_an_active_node_with_an_address_hosts() {
        assert!(can_host(&node("a", 3, 10, NodeState::Active)));
        assert!(
            !can_host(&node("c", 0, 0, NodeState::Draining)),
            "a draining node takes none"
        );
        let mut silent = node("e", 0, 0, NodeState::Active);
        silent.media.clear();
        assert!(!can_host(&silent), "a node without an address takes none");
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
            ("bitrate".to_owned(), "2500000".to_owned()),
            ("cpu".to_owned(), "340".to_owned()),
            ("state".to_owned(), "active".to_owned()),
        ];
        let n = parse_record("a".into(), &fields);
        assert_eq!(n.media.len(), 2);
        assert_eq!((n.sessions, n.meetings, n.state), (7, 2, NodeState::Active));
        assert_eq!((n.bitrate, n.cpu_permille), (2_500_000, 340));
        let junk = vec![
            ("media".to_owned(), "nope".to_owned()),
            ("state".to_owned(), "?".to_owned()),
        ];
        let n = parse_record("b".into(), &junk);
        assert!(n.media.is_empty());
        assert_eq!(n.state, NodeState::Draining);
    }
}
