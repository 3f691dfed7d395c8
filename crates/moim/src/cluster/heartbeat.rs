//! Node liveness: each node refreshes `moim:node:{node}` (lifetime [`TTL`])
//! every [`BEAT`]; a node whose key has expired is dead, and the first node to
//! notice takes its participants out of their rooms, within TTL + BEAT of the
//! node's last beat, and hands each of them to signaling as a [`Departed`]
//! (which tells the room the way any departure is told: `participant-left` on
//! `/moim`, `bye` on `/`), then the node itself ([`Swept::Node`]: its
//! connections' knocks leave the lobbies). The cluster knows rooms, not
//! Socket.IO events.
//!
//! The same beat notices Redis coming back: when this node's own key is
//! missing (Redis restarted empty, or this node was taken for dead), it puts
//! all its members back, and waits one TTL before sweeping others, so the
//! other nodes get the same chance to come back first.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::presence::{Presence, PresenceError, node_members_key, parse_entry};
use crate::namespace::Namespace;
use crate::rooms::{Left, Rooms};

/// How long a node's heartbeat key lives.
pub const TTL: Duration = Duration::from_secs(8);
/// How often a node beats (and looks for dead nodes).
pub const BEAT: Duration = Duration::from_secs(2);

const NODES: &str = "moim:nodes";

fn node_key(node: &str) -> String {
    format!("moim:node:{node}")
}

/// Whether `node`'s heartbeat key is there (it beat within [`TTL`]) and it
/// listens on its node link: a node killed drops its Redis connections at
/// once, so the second says so within a round trip, not a TTL.
pub async fn is_alive(
    conn: &mut redis::aio::ConnectionManager,
    node: &str,
) -> redis::RedisResult<bool> {
    let (beating, listeners): (bool, std::collections::HashMap<String, i64>) = redis::pipe()
        .cmd("EXISTS")
        .arg(node_key(node))
        .cmd("PUBSUB")
        .arg("NUMSUB")
        .arg(super::node_link::channel(node))
        .query_async(conn)
        .await?;
    Ok(beating && listeners.values().any(|n| *n > 0))
}

/// A participant of a dead node, taken out of its room in Redis: its room
/// is yet to be told.
#[derive(Debug)]
pub struct Departed {
    /// The room's namespace.
    pub ns: Namespace,
    /// Who left which room, and the room after it.
    pub left: Left,
}

/// What the sweeper hands to signaling, in order: each participant of a dead
/// node, then the node.
#[derive(Debug)]
pub enum Swept {
    /// A participant of a dead node left a room.
    Departed(Departed),
    /// A dead node is swept: what else its connections left behind (their
    /// knocks in meetings' lobbies) is to go too.
    Node(String),
}

/// Starts the heartbeat of this node, whose own members are `rooms`; what is
/// swept of dead nodes goes to `departed`. Abort the handle to stop it.
pub fn spawn(
    rooms: Vec<(Namespace, Arc<Rooms>)>,
    presence: Presence,
    departed: UnboundedSender<Swept>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(BEAT);
        let mut reachable = true;
        let mut quiet_until = Instant::now();
        loop {
            ticks.tick().await;
            match beat(&presence).await {
                Ok(continued) => {
                    if !reachable {
                        tracing::info!("redis is reachable again; resyncing this node's rooms");
                        reachable = true;
                    }
                    if !continued {
                        resync(&rooms, &presence).await;
                        quiet_until = Instant::now() + TTL;
                    }
                    if Instant::now() >= quiet_until
                        && let Err(e) = sweep(&rooms, &presence, &departed).await
                    {
                        tracing::warn!(error = %e, "could not look for dead nodes");
                    }
                }
                Err(e) => {
                    if reachable {
                        tracing::error!(error = %e, "redis is unreachable: this node serves its own rooms only until it returns");
                        reachable = false;
                    }
                }
            }
        }
    })
}

/// Refreshes this node's key; `false` when it was missing.
async fn beat(presence: &Presence) -> Result<bool, PresenceError> {
    let (previous, _): (Option<String>, i64) = redis::pipe()
        .cmd("SET")
        .arg(node_key(presence.node()))
        .arg(1)
        .arg("EX")
        .arg(TTL.as_secs())
        .arg("GET")
        .cmd("SADD")
        .arg(NODES)
        .arg(presence.node())
        .query_async(&mut presence.conn())
        .await?;
    Ok(previous.is_some())
}

/// Puts every member of this node back into Redis.
async fn resync(rooms: &[(Namespace, Arc<Rooms>)], presence: &Presence) {
    let mut count = 0;
    for (ns, rooms) in rooms {
        let ns = *ns;
        for (room, members) in rooms.list() {
            for member in members {
                match presence.join(ns, &room, &member, usize::MAX).await {
                    Ok(_) => count += 1,
                    Err(e) => tracing::warn!(error = %e, "resync failed"),
                }
            }
        }
        rooms.changed().notify_one();
    }
    if count > 0 {
        tracing::info!(members = count, "this node's members are back in redis");
    }
}

/// Takes the members of every dead node out, once (the first node to claim a
/// dead node sweeps it).
async fn sweep(
    rooms: &[(Namespace, Arc<Rooms>)],
    presence: &Presence,
    departed: &UnboundedSender<Swept>,
) -> Result<(), PresenceError> {
    let mut conn = presence.conn();
    let nodes: Vec<String> = redis::cmd("SMEMBERS")
        .arg(NODES)
        .query_async(&mut conn)
        .await?;
    for node in nodes.iter().filter(|n| **n != presence.node()) {
        let alive: bool = redis::cmd("EXISTS")
            .arg(node_key(node))
            .query_async(&mut conn)
            .await?;
        if alive {
            continue;
        }
        let claimed: Option<String> = redis::cmd("SET")
            .arg(format!("moim:sweep:{node}"))
            .arg(presence.node())
            .arg("NX")
            .arg("EX")
            .arg(30)
            .query_async(&mut conn)
            .await?;
        if claimed.is_none() {
            continue;
        }
        let entries: Vec<String> = redis::cmd("SMEMBERS")
            .arg(node_members_key(node))
            .query_async(&mut conn)
            .await?;
        let mut removed = 0;
        for entry in &entries {
            let Some((ns, id, room)) = parse_entry(entry) else {
                continue;
            };
            if let Some(left) = presence.leave(ns, room, id, node).await? {
                // The list changed in Redis, not in this node's rooms.
                if let Some((_, rooms)) = rooms.iter().find(|(n, _)| *n == ns) {
                    rooms.changed().notify_one();
                }
                // Only fails once signaling has stopped: nobody to tell.
                departed.send(Swept::Departed(Departed { ns, left })).ok();
                removed += 1;
            }
        }
        redis::pipe()
            .cmd("SREM")
            .arg(NODES)
            .arg(node)
            .cmd("DEL")
            .arg(node_members_key(node))
            .query_async::<()>(&mut conn)
            .await?;
        tracing::warn!(node = %node, participants = removed, "a node stopped beating; its participants were removed");
        departed.send(Swept::Node(node.clone())).ok();
    }
    Ok(())
}
