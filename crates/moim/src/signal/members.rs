//! Room membership as the handlers ask for it: this node's [`Rooms`] always,
//! and in cluster mode the cluster's [`Presence`] in Redis on top.
//!
//! The node's own `Rooms` stays the record of its own sockets (which rooms a
//! disconnecting socket leaves, whether a sender is in the room it names);
//! counts, sequence numbers, the members a joiner is shown and the room list
//! come from Redis when there is one. When Redis cannot be asked, the node's
//! own answer is used and the fault is logged: a node cut off from the others
//! still serves its own rooms. Single-node, nothing here awaits anything.

use std::sync::Arc;

use crate::cluster::{Change, Ns, Presence, PresenceError};
use crate::rooms::{JoinError, Joined, Left, Member, MemberId, RoomSummary, Rooms};
use crate::signal::Hub;

impl Hub {
    /// The node's rooms of `ns`.
    pub fn rooms(&self, ns: Ns) -> &Arc<Rooms> {
        match ns {
            Ns::Course => &self.course,
            Ns::Meet => &self.meet,
        }
    }
}

fn degraded(what: &str, error: &PresenceError) {
    tracing::warn!(error = %error, "cluster presence unavailable ({what}); using this node's rooms only");
}

/// Adds `member` to `room`.
pub async fn join(hub: &Hub, ns: Ns, room: &str, member: Member) -> Result<Joined, JoinError> {
    let rooms = hub.rooms(ns);
    let id = member.id;
    let local = rooms.join(room, member)?;
    let Some(cluster) = &hub.cluster else {
        return Ok(local);
    };
    match cluster.join(ns, room, &local.you, rooms.max_size()).await {
        Ok(joined) => {
            // The cluster's order of joining is the one everybody is shown.
            if joined.you.joined != local.you.joined {
                rooms.update(room, id, |m| m.joined = joined.you.joined);
            }
            Ok(joined)
        }
        Err(PresenceError::Full) => {
            if local.is_new {
                rooms.leave(room, id);
            }
            Err(JoinError::Full)
        }
        Err(e) => {
            degraded("join", &e);
            Ok(local)
        }
    }
}

/// Takes `id` out of `room`; `None` if it was not there.
pub async fn leave(hub: &Hub, ns: Ns, room: &str, id: MemberId) -> Option<Left> {
    let local = hub.rooms(ns).leave(room, id)?;
    Some(match &hub.cluster {
        Some(cluster) => cluster_left(cluster, ns, local).await,
        None => local,
    })
}

/// Takes `id` out of every room it is in.
pub async fn leave_all(hub: &Hub, ns: Ns, id: MemberId) -> Vec<Left> {
    let local = hub.rooms(ns).leave_all(id);
    let Some(cluster) = &hub.cluster else {
        return local;
    };
    let mut left = Vec::with_capacity(local.len());
    for one in local {
        left.push(cluster_left(cluster, ns, one).await);
    }
    left
}

/// The cluster's view of a leave this node already made.
async fn cluster_left(cluster: &Presence, ns: Ns, local: Left) -> Left {
    match cluster
        .leave(ns, &local.room, local.member.id, cluster.node())
        .await
    {
        Ok(Some(left)) => left,
        // Already swept (Redis lost it): the node's own view is all there is.
        Ok(None) => local,
        Err(e) => {
            degraded("leave", &e);
            local
        }
    }
}

/// Changes `id`'s entry in `room` and returns it as it is now.
pub async fn update(
    hub: &Hub,
    ns: Ns,
    room: &str,
    id: MemberId,
    change: &Change,
) -> Option<Member> {
    let local = hub.rooms(ns).update(room, id, |m| change.apply(m))?;
    let Some(cluster) = &hub.cluster else {
        return Some(local);
    };
    match cluster.update(ns, room, id, change).await {
        Ok(Some(member)) => Some(member),
        Ok(None) => Some(local),
        Err(e) => {
            degraded("update", &e);
            Some(local)
        }
    }
}

/// Renames `id` in every room it is in.
pub async fn rename(hub: &Hub, ns: Ns, id: MemberId, name: &str) {
    let rooms = hub.rooms(ns);
    rooms.rename(id, name);
    let Some(cluster) = &hub.cluster else {
        return;
    };
    let change = Change {
        name: Some(name.to_owned()),
        ..Change::default()
    };
    for room in rooms.rooms_of(id) {
        if let Err(e) = cluster.update(ns, &room, id, &change).await {
            degraded("rename", &e);
        }
    }
}

/// Whether `id`, a socket of any node, is in `room`.
pub async fn is_member(hub: &Hub, ns: Ns, room: &str, id: MemberId) -> bool {
    if hub.rooms(ns).is_member(room, id) {
        return true;
    }
    let Some(cluster) = &hub.cluster else {
        return false;
    };
    cluster
        .is_member(ns, room, id)
        .await
        .inspect_err(|e| degraded("membership", e))
        .unwrap_or(false)
}

/// The public room list, in creation order.
pub async fn summary(hub: &Hub, ns: Ns) -> Vec<RoomSummary> {
    if let Some(cluster) = &hub.cluster {
        match cluster.summary(ns).await {
            Ok(summary) => return summary,
            Err(e) => degraded("room list", &e),
        }
    }
    hub.rooms(ns).summary()
}
