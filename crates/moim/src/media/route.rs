//! Where a participant's SFU requests go: this node's SFU, or the SFU of the
//! node that hosts their meeting (issue 20, `docs/architecture.md`).
//!
//! On a single node every request goes to its own [`MediaBridge`]. In a
//! cluster each meeting that goes through the SFU has one media owner
//! ([`crate::cluster::placement`]); a participant stays connected to the node
//! nginx sent them to, which places the meeting on their first offer and then
//! carries their requests to the owner over the node link. The owner's offers
//! and `active-speaker` reach them through the Socket.IO adapter (inbox and
//! meeting rooms span the cluster), so only requests travel here.
//!
//! What only tells the owner something (mute, leave, the meeting going back
//! to the mesh) is queued and sent in order by one task: a handler never waits
//! on another node for it. What needs the owner's answer (offer, answer, tile
//! height) waits at most [`REQUEST_TIMEOUT`], and a dead owner is refused at
//! once (`media_unavailable`), never a hang.
//!
//! This node's side of hosting (its record in the registry, the leases of its
//! meetings, noticing that an owner its participants use has died) is
//! [`super::hosting`].

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::MediaBridge;
use super::clustered::{Clustered, Remote, Told, lock, refused};
use super::ops::{self, MediaOp};
use crate::cluster::ManagedDriver;
use crate::cluster::node_link::{Handler, LinkError, NodeLink};
use crate::cluster::placement::{NodeState, Placement};
use crate::error::Refusal;
use crate::rooms::MemberId;

pub use super::clustered::{REQUEST_TIMEOUT, Reconnect};

/// How long a told change waits for the owner to take it.
const TELL_TIMEOUT: Duration = Duration::from_secs(2);
/// Told changes waiting to be sent, at most (more are dropped and logged).
const TELL_QUEUE: usize = 4096;

/// The SFU as signaling uses it: this node's, or the cluster's.
pub struct MediaRoute {
    bridge: Arc<MediaBridge>,
    cluster: Option<Arc<Clustered>>,
}

impl std::fmt::Debug for MediaRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaRoute")
            .field("bridge", &self.bridge)
            .field("clustered", &self.cluster.is_some())
            .finish()
    }
}

/// A clustered route and what runs beside it.
pub struct Started {
    /// The route.
    pub route: Arc<MediaRoute>,
    /// The node link's reader, the told-changes sender and the hosting beat.
    pub tasks: Vec<JoinHandle<()>>,
    /// Browsers to tell `sfu-reconnect`.
    pub reconnects: mpsc::UnboundedReceiver<Reconnect>,
}

impl MediaRoute {
    /// Every request to this node's SFU.
    pub fn local(bridge: Arc<MediaBridge>) -> Self {
        Self {
            bridge,
            cluster: None,
        }
    }

    /// A node of a cluster, `node` (its node id), whose browsers reach its SFU
    /// at `media`: answers other nodes' requests for the meetings it hosts.
    pub async fn clustered(
        bridge: Arc<MediaBridge>,
        driver: ManagedDriver,
        node: Arc<str>,
        media: Vec<SocketAddr>,
    ) -> redis::RedisResult<Started> {
        let hosted: Arc<Mutex<HashMap<Arc<str>, Instant>>> = Arc::default();
        let handler: Handler = {
            let (bridge, hosted) = (bridge.clone(), hosted.clone());
            Arc::new(move |from, body| {
                let (bridge, hosted) = (bridge.clone(), hosted.clone());
                Box::pin(async move {
                    let op: MediaOp = serde_json::from_value(body).map_err(|e| {
                        tracing::warn!(node = %from, error = %e, "unreadable media request");
                        Refusal::MediaUnavailable.code().to_owned()
                    })?;
                    ops::serve(&bridge, op, |room| {
                        lock(&hosted).insert(room.into(), Instant::now());
                    })
                    .await
                })
            })
        };
        let (link, reader) = NodeLink::start(driver.clone(), node.clone(), handler).await?;
        let (told, queue) = mpsc::channel(TELL_QUEUE);
        let (reconnect, reconnects) = mpsc::unbounded_channel();
        let route = Arc::new(MediaRoute {
            bridge,
            cluster: Some(Arc::new(Clustered {
                placement: Placement::new(driver.connection(), node.clone()),
                link,
                node,
                media,
                remote: Mutex::default(),
                hosted,
                draining: AtomicBool::new(false),
                load: Default::default(),
                told,
                reconnect,
            })),
        });
        // In the registry before the node says it is listening: a meeting
        // placed at once finds it.
        if let Some(c) = &route.cluster
            && let Err(e) = super::hosting::publish(&route.bridge, c).await
        {
            tracing::warn!(error = %e, "could not enter this node's SFU in the registry yet");
        }
        let tasks = vec![
            reader,
            tokio::spawn(send_told(route.clone(), queue)),
            super::hosting::spawn(route.bridge.clone(), route.cluster.clone()),
        ];
        Ok(Started {
            route,
            tasks,
            reconnects,
        })
    }

    /// This node's SFU.
    pub fn bridge(&self) -> &Arc<MediaBridge> {
        &self.bridge
    }

    /// `id`'s browser in `room` offers a new connection: the SFU's answer,
    /// from whichever node hosts the meeting.
    pub async fn offer(
        &self,
        room: &str,
        id: MemberId,
        sdp: String,
        muted: bool,
        blocked: bool,
    ) -> Result<String, Refusal> {
        self.bridge.set_muted(id, muted);
        self.bridge.set_blocked(id, blocked);
        let Some(c) = &self.cluster else {
            return self.bridge.offer(id, room, sdp).await;
        };
        let started = Instant::now();
        // Twice at most: a dead owner's lease is given up, and the meeting placed again.
        for _ in 0..2 {
            let owner = c.place(room).await?;
            let previous = lock(&c.remote).get(&id).cloned();
            if let Some(previous) = previous.filter(|p| p.owner != owner) {
                lock(&c.remote).remove(&id);
                c.tell(
                    room,
                    Some(previous.owner),
                    MediaOp::Leave {
                        participant: id.to_string(),
                    },
                );
            }
            if *owner == *c.node {
                lock(&c.hosted).insert(room.into(), Instant::now());
                let answer = self.bridge.offer(id, room, sdp).await;
                log_placed(room, &owner, started);
                return answer;
            }
            // A session here from before the meeting moved is stale.
            self.bridge.end_session(id);
            let op = MediaOp::Offer {
                room: room.to_owned(),
                participant: id.to_string(),
                sdp: sdp.clone(),
                muted,
                blocked,
            };
            match c.ask(&owner, &op).await {
                Ok(answer) => {
                    let sdp = answer
                        .get("sdp")
                        .and_then(|s| s.as_str())
                        .ok_or(Refusal::MediaUnavailable)?;
                    lock(&c.remote).insert(
                        id,
                        Remote {
                            room: room.into(),
                            owner: owner.clone(),
                        },
                    );
                    log_placed(room, &owner, started);
                    return Ok(sdp.to_owned());
                }
                Err(LinkError::Unreachable(_)) if !c.alive(&owner, room).await => {
                    tracing::warn!(%room, owner = %owner, "the meeting's media node is gone; placing the meeting again");
                    c.placement.release_held_by(room, &owner).await.ok();
                }
                Err(e) => return Err(refused(&owner, e)),
            }
        }
        Err(Refusal::MediaUnavailable)
    }

    /// `id`'s browser answers its SFU's last offer.
    pub async fn answer(&self, id: MemberId, sdp: String) -> Result<(), Refusal> {
        match self.remote_owner(id) {
            Some((c, owner)) => {
                let op = MediaOp::Answer {
                    participant: id.to_string(),
                    sdp,
                };
                c.ask(&owner, &op)
                    .await
                    .map(drop)
                    .map_err(|e| refused(&owner, e))
            }
            None => self.bridge.answer(id, sdp).await,
        }
    }

    /// `id`'s browser draws `origin`'s camera `height` device pixels tall.
    pub async fn tile(&self, id: MemberId, origin: MemberId, height: u32) -> Result<(), Refusal> {
        match self.remote_owner(id) {
            Some((c, owner)) => {
                let op = MediaOp::Tile {
                    participant: id.to_string(),
                    origin: origin.to_string(),
                    height,
                };
                c.ask(&owner, &op)
                    .await
                    .map(drop)
                    .map_err(|e| refused(&owner, e))
            }
            None => self.bridge.tile_height(id, origin, height),
        }
    }

    /// `id`'s microphone in `room` is off (`muted`) or on.
    pub fn set_muted(&self, room: &str, id: MemberId, muted: bool) {
        self.bridge.set_muted(id, muted);
        self.tell(
            room,
            id,
            MediaOp::Muted {
                participant: id.to_string(),
                muted,
            },
        );
    }

    /// A host holds `id` muted (`blocked`) in `room`, or lets them speak.
    pub fn set_blocked(&self, room: &str, id: MemberId, blocked: bool) {
        self.bridge.set_blocked(id, blocked);
        self.tell(
            room,
            id,
            MediaOp::Blocked {
                participant: id.to_string(),
                blocked,
            },
        );
    }

    /// `id` left `room`: its SFU session ends, wherever it is.
    pub fn leave(&self, room: &str, id: MemberId) {
        self.bridge.leave(id);
        self.tell(
            room,
            id,
            MediaOp::Leave {
                participant: id.to_string(),
            },
        );
        if let Some(c) = &self.cluster {
            lock(&c.remote).remove(&id);
        }
    }

    /// `room` went back to the mesh: every SFU session of it ends.
    pub fn leave_room(&self, room: &str) {
        self.bridge.leave_room(room);
        if let Some(c) = &self.cluster {
            lock(&c.remote).retain(|_, r| &*r.room != room);
            c.tell(
                room,
                None,
                MediaOp::LeaveRoom {
                    room: room.to_owned(),
                },
            );
        }
    }

    /// The node hosting each meeting's media, as far as this node knows (its
    /// own meetings, and those its participants use): for `/ops` and the
    /// Admin UI. Single-node, this node's name for each meeting on its SFU.
    pub fn media_nodes(&self, this_node: &str) -> HashMap<Arc<str>, String> {
        let Some(c) = &self.cluster else {
            return self
                .bridge
                .rooms()
                .into_keys()
                .map(|room| (room, this_node.to_owned()))
                .collect();
        };
        let mut nodes: HashMap<Arc<str>, String> = lock(&c.remote)
            .values()
            .map(|r| (r.room.clone(), r.owner.to_string()))
            .collect();
        for room in lock(&c.hosted).keys() {
            nodes.insert(room.clone(), c.node.to_string());
        }
        nodes
    }

    /// Meetings whose media this node hosts.
    pub fn hosted_meetings(&self) -> usize {
        match &self.cluster {
            Some(c) => lock(&c.hosted).len(),
            None => self.bridge.rooms().len(),
        }
    }

    /// Shutting down: this node takes no new meetings, and when another
    /// node can take them, gives up its own (their participants are to be
    /// told `sfu-reconnect`: the rooms returned). Single-node, or alone in
    /// the cluster, nothing moves.
    pub async fn drain(&self) -> Vec<Arc<str>> {
        let Some(c) = &self.cluster else {
            return Vec::new();
        };
        c.draining.store(true, Ordering::Relaxed);
        if let Err(e) = super::hosting::publish(&self.bridge, c).await {
            tracing::warn!(error = %e, "could not mark this node draining");
        }
        let others = match c.placement.nodes().await {
            Ok(nodes) => nodes
                .into_iter()
                .filter(|n| *n.node != *c.node && n.state == NodeState::Active)
                .count(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot see the other nodes; meetings stay here until exit");
                0
            }
        };
        if others == 0 {
            return Vec::new();
        }
        let rooms: Vec<Arc<str>> = lock(&c.hosted).drain().map(|(room, _)| room).collect();
        for room in &rooms {
            c.placement.release(room).await.ok();
            self.bridge.leave_room(room);
            tracing::info!(%room, "meeting moved: this node is draining");
        }
        rooms
    }

    fn remote_owner(&self, id: MemberId) -> Option<(&Arc<Clustered>, Arc<str>)> {
        let c = self.cluster.as_ref()?;
        let owner = lock(&c.remote).get(&id)?.owner.clone();
        Some((c, owner))
    }

    /// Queues `op` for the owner of `id`'s session (or of `room`).
    fn tell(&self, room: &str, id: MemberId, op: MediaOp) {
        if let Some(c) = &self.cluster {
            let owner = lock(&c.remote).get(&id).map(|r| r.owner.clone());
            c.tell(room, owner, op);
        }
    }
}

fn log_placed(room: &str, owner: &str, started: Instant) {
    tracing::debug!(%room, owner, ms = started.elapsed().as_millis() as u64, "SFU session placed");
}

/// Sends the told changes, in order, each to the owner it names or to the
/// meeting's owner of the moment (none when the meeting has none, or it is
/// this node, which applied it already).
async fn send_told(route: Arc<MediaRoute>, mut queue: mpsc::Receiver<Told>) {
    let Some(c) = &route.cluster else {
        return;
    };
    while let Some(told) = queue.recv().await {
        let owner = match told.owner {
            Some(owner) => owner,
            None => match c.placement.owner(&told.room).await {
                Ok(Some(owner)) if *owner != *c.node => owner.into(),
                Ok(_) => continue,
                Err(e) => {
                    tracing::debug!(error = %e, "a media change could not be told");
                    continue;
                }
            },
        };
        let Ok(body) = serde_json::to_value(&told.op) else {
            continue;
        };
        if let Err(e) = c.link.request(&owner, body, TELL_TIMEOUT).await {
            tracing::debug!(owner = %owner, error = %e, "a media change did not reach the owner");
        }
    }
}
