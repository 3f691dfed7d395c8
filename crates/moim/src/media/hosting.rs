//! A cluster node's side of hosting meetings' media, every heartbeat
//! ([`BEAT`]):
//! - its record in the registry (media addresses, sessions, meetings, the
//!   bit rate and CPU of its SFU since the last beat, `active` or
//!   `draining`), which placement chooses from;
//! - the leases of the meetings it hosts: renewed while they have sessions
//!   (or had one within a [`LEASE`]), given up after. A lease another node
//!   holds now (taken while this node was cut off) means the meeting lives
//!   there: this node ends its sessions and its participants reconnect;
//! - the owners its own participants' sessions are on: one that died (no
//!   heartbeat, or no longer listening on its node link) has its lease given
//!   up and those participants are told to reconnect, so their next offer
//!   places the meeting on a live node.
//!
//! While Redis is away, nothing here changes anything: the SFU goes on
//! forwarding. Once it is back, this node waits a [`TTL`] before taking any
//! owner for dead, so the others have beaten again first.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use tokio::task::JoinHandle;

use super::MediaBridge;
use super::clustered::{Clustered, Reconnect, lock};
use crate::cluster::heartbeat::{BEAT, TTL};
use crate::cluster::placement::{LEASE, MediaNode, NodeState, PlacementError};

/// How soon the beat tries again while Redis is unreachable.
const RETRY: std::time::Duration = std::time::Duration::from_millis(250);

/// Runs the beat of a cluster node's SFU (`bridge`) until aborted.
pub fn spawn(bridge: Arc<MediaBridge>, cluster: Option<Arc<Clustered>>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let Some(c) = &cluster else {
            return;
        };
        let mut reachable = true;
        let mut quiet_until = Instant::now();
        loop {
            match beat(&bridge, c, Instant::now() >= quiet_until).await {
                Ok(()) if !reachable => {
                    reachable = true;
                    quiet_until = Instant::now() + TTL;
                    tracing::info!(
                        meetings = lock(&c.hosted).len(),
                        "redis is back: this node's meetings keep their media here (leases renewed)"
                    );
                }
                Ok(()) => {}
                Err(e) => {
                    if reachable {
                        tracing::warn!(error = %e, "redis is unreachable: meetings keep their media here until it returns");
                    }
                    reachable = false;
                }
            }
            // While Redis is away, try again soon: once it is back (empty,
            // after a restart), this node's leases must be back before any
            // other node places one of its meetings anew.
            tokio::time::sleep(if reachable { BEAT } else { RETRY }).await;
        }
    })
}

async fn beat(
    bridge: &MediaBridge,
    c: &Clustered,
    judge_owners: bool,
) -> Result<(), PlacementError> {
    publish(bridge, c).await?;
    keep_leases(bridge, c).await?;
    if judge_owners {
        watch_owners(c).await?;
    }
    Ok(())
}

/// Writes this node's record.
pub(super) async fn publish(bridge: &MediaBridge, c: &Clustered) -> Result<(), PlacementError> {
    let load = c.load.read(&bridge.workers());
    let record = MediaNode {
        node: c.node.to_string(),
        media: c.media.clone(),
        sessions: bridge.sessions() as u64,
        meetings: lock(&c.hosted).len() as u64,
        bitrate: load.bitrate,
        cpu_permille: load.cpu_permille,
        state: if c.draining.load(Ordering::Relaxed) {
            NodeState::Draining
        } else {
            NodeState::Active
        },
    };
    c.placement.publish(&record).await
}

/// Renews the leases of the meetings with sessions here, gives up the others.
async fn keep_leases(bridge: &MediaBridge, c: &Clustered) -> Result<(), PlacementError> {
    let sessions = bridge.rooms();
    let hosted: Vec<(Arc<str>, Instant)> = lock(&c.hosted)
        .iter()
        .map(|(room, since)| (room.clone(), *since))
        .collect();
    for (room, since) in hosted {
        if !sessions.contains_key(&room) && since.elapsed() > LEASE {
            lock(&c.hosted).remove(&room);
            c.placement.release(&room).await?;
            tracing::info!(%room, "meeting's media released: nobody is connected to it here");
            continue;
        }
        if !c.placement.renew(&room).await? {
            lock(&c.hosted).remove(&room);
            bridge.leave_room(&room);
            tracing::warn!(%room, "meeting re-homed: another node hosts it now; its people reconnect there");
            c.reconnect.send(Reconnect::Room(room)).ok();
        }
    }
    Ok(())
}

/// Tells this node's participants whose owner died to reconnect.
async fn watch_owners(c: &Clustered) -> Result<(), PlacementError> {
    let owners: HashSet<Arc<str>> = lock(&c.remote).values().map(|r| r.owner.clone()).collect();
    for owner in owners {
        if crate::cluster::heartbeat::is_alive(&mut c.placement.conn(), &owner).await? {
            continue;
        }
        let gone: HashMap<_, _> = {
            let mut remote = lock(&c.remote);
            let ids: Vec<_> = remote
                .iter()
                .filter(|(_, r)| r.owner == owner)
                .map(|(id, _)| *id)
                .collect();
            ids.into_iter()
                .filter_map(|id| remote.remove(&id).map(|r| (id, r.room)))
                .collect()
        };
        let rooms: HashSet<&Arc<str>> = gone.values().collect();
        for room in &rooms {
            c.placement.release_held_by(room, &owner).await?;
        }
        tracing::warn!(owner = %owner, meetings = rooms.len(), participants = gone.len(), "a media node died; its meetings are placed again as their people reconnect");
        for id in gone.keys() {
            c.reconnect.send(Reconnect::Participant(*id)).ok();
        }
    }
    Ok(())
}
