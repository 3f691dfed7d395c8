//! Who is in which room across the whole cluster, kept in Redis.
//!
//! Sockets of other nodes carry no extensions here, and socketioxide's adapter
//! only knows socket ids, so names, media states and counts live in Redis:
//!
//! - `moim:{ns}:members:{room}`: a hash, socket id → the member as JSON
//!   (name, audio, video, screen, joined, role, hand, audio_locked, key hash);
//! - `moim:{ns}:seq:{room}`: the room's membership sequence number;
//! - `moim:{ns}:rooms`: a sorted set of non-empty rooms, scored by creation
//!   (`moim:{ns}:created` counts), so the public list keeps creation order;
//! - `moim:node:{node}:members`: what each node has put in, so the members of
//!   a node that died can be taken out (see [`super::heartbeat`]).
//!
//! Every change is one Lua script: the count, the sequence number and the
//! member list a join returns are read in the same atomic step as the change,
//! as the single-node [`crate::rooms::Rooms`] does under its lock. The scripts
//! touch keys they compute, so the Redis must be a single server (or a
//! primary with replicas), not a Redis Cluster.

use std::sync::Arc;

use redis::Script;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use socketioxide::socket::Sid;

use moim_proto::Role;

use crate::namespace::Namespace;
use crate::rooms::{Joined, Left, Member, RoomSummary};

/// A member as stored in Redis (its id is the hash field).
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    name: String,
    #[serde(default)]
    audio: bool,
    #[serde(default)]
    video: bool,
    #[serde(default)]
    screen: bool,
    #[serde(default)]
    joined: u64,
    #[serde(default)]
    role: Role,
    #[serde(default)]
    hand: Option<u64>,
    #[serde(default)]
    audio_locked: bool,
    #[serde(default)]
    key: String,
}

impl Stored {
    fn of(member: &Member) -> Self {
        Stored {
            name: member.name.to_string(),
            audio: member.audio,
            video: member.video,
            screen: member.screen,
            joined: member.joined,
            role: member.role,
            hand: member.hand,
            audio_locked: member.audio_locked,
            key: member.key.to_string(),
        }
    }

    fn into_member(self, id: Sid) -> Member {
        Member {
            id,
            name: self.name.into(),
            audio: self.audio,
            video: self.video,
            screen: self.screen,
            joined: self.joined,
            role: self.role,
            hand: self.hand,
            audio_locked: self.audio_locked,
            key: self.key.into(),
        }
    }
}

/// A change to a member's entry; `None` keeps the current value.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Change {
    /// Microphone on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio: Option<bool>,
    /// Camera on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video: Option<bool>,
    /// Sharing a screen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screen: Option<bool>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Role in the meeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Hand raised (when) or lowered (`Some(None)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hand: Option<Option<u64>>,
    /// Kept muted by a host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_locked: Option<bool>,
}

impl Change {
    /// Applies the change to a local entry.
    pub fn apply(&self, member: &mut Member) {
        member.audio = self.audio.unwrap_or(member.audio);
        member.video = self.video.unwrap_or(member.video);
        member.screen = self.screen.unwrap_or(member.screen);
        if let Some(name) = &self.name {
            member.name = name.as_str().into();
        }
        member.role = self.role.unwrap_or(member.role);
        member.hand = self.hand.unwrap_or(member.hand);
        member.audio_locked = self.audio_locked.unwrap_or(member.audio_locked);
    }
}

/// Why a cluster-wide join did not happen.
#[derive(Debug, thiserror::Error)]
pub enum PresenceError {
    /// The room is full across the cluster.
    #[error("the room is full")]
    Full,
    /// Redis could not be asked.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// Redis answered something this version does not read.
    #[error("unexpected reply from redis: {0}")]
    Reply(String),
}

const JOIN: &str = r"
local m = cjson.decode(ARGV[2])
local old = redis.call('HGET', KEYS[1], ARGV[1])
local fresh = 1
local seq
if old then
  m.joined = cjson.decode(old).joined
  fresh = 0
  seq = tonumber(redis.call('GET', KEYS[2]) or '0')
else
  if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return {-1, 0, {}} end
  seq = redis.call('INCR', KEYS[2])
  m.joined = seq
  if not redis.call('ZSCORE', KEYS[3], ARGV[4]) then
    redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[4])
  end
  redis.call('SADD', KEYS[5], ARGV[5])
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(m))
return {fresh, seq, redis.call('HGETALL', KEYS[1])}
";

const LEAVE: &str = r"
local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[3])
if not old then return {} end
redis.call('HDEL', KEYS[1], ARGV[1])
local seq = redis.call('INCR', KEYS[2])
local count = redis.call('HLEN', KEYS[1])
if count == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('ZREM', KEYS[3], ARGV[2])
end
return {old, tostring(count), tostring(seq)}
";

const UPDATE: &str = r"
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return {} end
local m = cjson.decode(old)
for k, v in pairs(cjson.decode(ARGV[2])) do m[k] = v end
local new = cjson.encode(m)
redis.call('HSET', KEYS[1], ARGV[1], new)
return {new}
";

const SUMMARY: &str = r"
local names = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for _, name in ipairs(names) do
  out[#out + 1] = name
  out[#out + 1] = tostring(redis.call('HLEN', ARGV[1] .. name))
end
return out
";

/// The cluster's rooms, as this node writes and reads them.
#[derive(Clone)]
pub struct Presence {
    conn: ConnectionManager,
    node: Arc<str>,
    scripts: Arc<Scripts>,
}

impl std::fmt::Debug for Presence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Presence")
            .field("node", &self.node)
            .finish()
    }
}

struct Scripts {
    join: Script,
    leave: Script,
    update: Script,
    summary: Script,
}

fn members_key(ns: Namespace, room: &str) -> String {
    format!("moim:{}:members:{room}", ns.key())
}

fn seq_key(ns: Namespace, room: &str) -> String {
    format!("moim:{}:seq:{room}", ns.key())
}

fn rooms_key(ns: Namespace) -> String {
    format!("moim:{}:rooms", ns.key())
}

/// The set of what `node` put in.
pub fn node_members_key(node: &str) -> String {
    format!("moim:node:{node}:members")
}

/// One entry of a node's set: `ns|sid|room` (the room last: it may hold `|`).
fn entry(ns: Namespace, room: &str, id: Sid) -> String {
    format!("{}|{id}|{room}", ns.key())
}

/// Reads an entry back.
pub fn parse_entry(entry: &str) -> Option<(Namespace, Sid, &str)> {
    let mut parts = entry.splitn(3, '|');
    let ns = Namespace::from_key(parts.next()?)?;
    let id = parts.next()?.parse().ok()?;
    Some((ns, id, parts.next()?))
}

impl Presence {
    /// Presence for `node` on `conn`.
    pub fn new(conn: ConnectionManager, node: Arc<str>) -> Self {
        Presence {
            conn,
            node,
            scripts: Arc::new(Scripts {
                join: Script::new(JOIN),
                leave: Script::new(LEAVE),
                update: Script::new(UPDATE),
                summary: Script::new(SUMMARY),
            }),
        }
    }

    /// This node's id.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// A connection to Redis (clones share one reconnecting connection).
    pub fn conn(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// Puts `member` in `room` (at most `max` members cluster-wide). Joining
    /// again only updates the entry. Returns what [`crate::rooms::Rooms::join`]
    /// returns, with cluster-wide counts, members and sequence numbers.
    pub async fn join(
        &self,
        ns: Namespace,
        room: &str,
        member: &Member,
        max: usize,
    ) -> Result<Joined, PresenceError> {
        let stored = serde_json::to_string(&Stored::of(member))
            .map_err(|e| PresenceError::Reply(e.to_string()))?;
        let (fresh, seq, all): (i64, u64, Vec<String>) = self
            .scripts
            .join
            .key(members_key(ns, room))
            .key(seq_key(ns, room))
            .key(rooms_key(ns))
            .key(format!("moim:{}:created", ns.key()))
            .key(node_members_key(&self.node))
            .arg(member.id.to_string())
            .arg(stored)
            .arg(max)
            .arg(room)
            .arg(entry(ns, room, member.id))
            .invoke_async(&mut self.conn.clone())
            .await?;
        if fresh < 0 {
            return Err(PresenceError::Full);
        }
        let members = decode_members(&all)?;
        let count = members.len();
        let (mut mine, mut others): (Vec<Member>, Vec<Member>) =
            members.into_iter().partition(|m| m.id == member.id);
        others.sort_unstable_by_key(|m| m.joined);
        let you = mine
            .pop()
            .ok_or_else(|| PresenceError::Reply("the joiner is missing".into()))?;
        Ok(Joined {
            count,
            others,
            you,
            is_new: fresh == 1,
            seq,
        })
    }

    /// Takes `id` out of `room`; `None` if it was not there. `owner` is the
    /// node that put it in (this one, or a dead one being swept).
    pub async fn leave(
        &self,
        ns: Namespace,
        room: &str,
        id: Sid,
        owner: &str,
    ) -> Result<Option<Left>, PresenceError> {
        let reply: Vec<String> = self
            .scripts
            .leave
            .key(members_key(ns, room))
            .key(seq_key(ns, room))
            .key(rooms_key(ns))
            .key(node_members_key(owner))
            .arg(id.to_string())
            .arg(room)
            .arg(entry(ns, room, id))
            .invoke_async(&mut self.conn.clone())
            .await?;
        let [stored, count, seq] = reply.as_slice() else {
            return Ok(None);
        };
        let bad = |what: &str| PresenceError::Reply(format!("leave: {what}"));
        let member = serde_json::from_str::<Stored>(stored)
            .map_err(|_| bad("member"))?
            .into_member(id);
        Ok(Some(Left {
            room: room.into(),
            member,
            count: count.parse().map_err(|_| bad("count"))?,
            seq: seq.parse().map_err(|_| bad("seq"))?,
        }))
    }

    /// Changes `id`'s entry in `room`; `None` if it is not there.
    pub async fn update(
        &self,
        ns: Namespace,
        room: &str,
        id: Sid,
        change: &Change,
    ) -> Result<Option<Member>, PresenceError> {
        let change =
            serde_json::to_string(change).map_err(|e| PresenceError::Reply(e.to_string()))?;
        let reply: Vec<String> = self
            .scripts
            .update
            .key(members_key(ns, room))
            .arg(id.to_string())
            .arg(change)
            .invoke_async(&mut self.conn.clone())
            .await?;
        match reply.first() {
            None => Ok(None),
            Some(stored) => serde_json::from_str::<Stored>(stored)
                .map(|s| Some(s.into_member(id)))
                .map_err(|_| PresenceError::Reply("update: member".into())),
        }
    }

    /// Whether `id` (of any node) is in `room`.
    pub async fn is_member(
        &self,
        ns: Namespace,
        room: &str,
        id: Sid,
    ) -> Result<bool, PresenceError> {
        let found: bool = redis::cmd("HEXISTS")
            .arg(members_key(ns, room))
            .arg(id.to_string())
            .query_async(&mut self.conn.clone())
            .await?;
        Ok(found)
    }

    /// Everyone in `room`, on every node, in the order they joined.
    pub async fn members(&self, ns: Namespace, room: &str) -> Result<Vec<Member>, PresenceError> {
        // A map in RESP3 (a flat list in RESP2): read as pairs either way.
        let all: std::collections::HashMap<String, String> = redis::cmd("HGETALL")
            .arg(members_key(ns, room))
            .query_async(&mut self.conn.clone())
            .await?;
        let flat: Vec<String> = all.into_iter().flat_map(|(k, v)| [k, v]).collect();
        let mut members = decode_members(&flat)?;
        members.sort_by_key(|m| m.joined);
        Ok(members)
    }

    /// The public room list of the whole cluster, in creation order.
    pub async fn summary(&self, ns: Namespace) -> Result<Vec<RoomSummary>, PresenceError> {
        let reply: Vec<String> = self
            .scripts
            .summary
            .key(rooms_key(ns))
            .arg(format!("moim:{}:members:", ns.key()))
            .invoke_async(&mut self.conn.clone())
            .await?;
        Ok(reply
            .chunks_exact(2)
            .filter_map(|pair| {
                let count: usize = pair[1].parse().ok()?;
                (count > 0).then(|| RoomSummary {
                    name: pair[0].as_str().into(),
                    count,
                })
            })
            .collect())
    }
}

/// `HGETALL`'s flat field/value list as members.
fn decode_members(all: &[String]) -> Result<Vec<Member>, PresenceError> {
    all.chunks_exact(2)
        .map(|pair| {
            let id = pair[0]
                .parse::<Sid>()
                .map_err(|_| PresenceError::Reply(format!("member id {}", pair[0])))?;
            let stored = serde_json::from_str::<Stored>(&pair[1])
                .map_err(|_| PresenceError::Reply(format!("member {}", pair[0])))?;
            Ok(stored.into_member(id))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_even_with_bars_in_the_room() {
        let id = Sid::new();
        let e = entry(Namespace::Meet, "a|b", id);
        assert_eq!(parse_entry(&e), Some((Namespace::Meet, id, "a|b")));
        assert_eq!(parse_entry("nope|x|room"), None);
    }

    #[test]
    fn a_change_keeps_what_it_does_not_name() {
        let mut m = Member::named(Sid::new(), "Mina");
        m.video = true;
        Change {
            audio: Some(true),
            ..Change::default()
        }
        .apply(&mut m);
        assert!(m.audio && m.video && !m.screen);
        assert_eq!(
            serde_json::to_string(&Change {
                name: Some("Jun".into()),
                ..Change::default()
            })
            .unwrap(),
            r#"{"name":"Jun"}"#
        );
    }
}
