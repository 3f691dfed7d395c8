//! Room membership as the handlers ask for it: this node's
//! [`Rooms`](crate::rooms::Rooms) always,
//! and in cluster mode the cluster's [`Presence`] in Redis on top.
//!
//! The node's own `Rooms` stays the record of its own sockets (which rooms a
//! disconnecting socket leaves, whether a sender is in the room it names);
//! counts, sequence numbers, the members a joiner is shown and the room list
//! come from Redis when there is one. When Redis cannot be asked, the node's
//! own answer is used and the fault is logged: a node cut off from the others
//! still serves its own rooms. Single-node, nothing here awaits anything.

use super::Hub;
use crate::cluster::{Change, Presence, PresenceError};
use crate::namespace::Namespace;
use crate::rooms::{JoinError, Joined, Left, Member, MemberId, RoomSummary};

impl Hub {
    /// Adds `member` to `room`.
    pub async fn join(
        &self,
        ns: Namespace,
        room: &str,
        member: Member,
    ) -> Result<Joined, JoinError> {
        let rooms = self.rooms(ns);
        let id = member.id;
        let local = rooms.join(room, member)?;
        let Some(cluster) = &self.cluster else {
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
    pub async fn leave(&self, ns: Namespace, room: &str, id: MemberId) -> Option<Left> {
        let local = self.rooms(ns).leave(room, id)?;
        Some(match &self.cluster {
            Some(cluster) => cluster_left(cluster, ns, local).await,
            None => local,
        })
    }

    /// Takes `id`, put in by another node, out of `room` in the cluster's
    /// presence; `None` if it was not there, or single-node. Its node's own
    /// record of it goes when that node notices (or its sweep, if it died).
    pub async fn leave_elsewhere(&self, ns: Namespace, room: &str, id: MemberId) -> Option<Left> {
        let cluster = self.cluster.as_ref()?;
        cluster
            .leave(ns, room, id, cluster.node())
            .await
            .inspect_err(|e| degraded("leave", e))
            .ok()
            .flatten()
    }

    /// Takes `id` out of every room it is in.
    pub async fn leave_all(&self, ns: Namespace, id: MemberId) -> Vec<Left> {
        let local = self.rooms(ns).leave_all(id);
        let Some(cluster) = &self.cluster else {
            return local;
        };
        let mut left = Vec::with_capacity(local.len());
        for one in local {
            left.push(cluster_left(cluster, ns, one).await);
        }
        left
    }

    /// Changes `id`'s entry in `room` and returns it as it is now; `None`
    /// unless `id` is on this node (see [`Hub::update_any`]).
    pub async fn update(
        &self,
        ns: Namespace,
        room: &str,
        id: MemberId,
        change: &Change,
    ) -> Option<Member> {
        if !self.rooms(ns).is_member(room, id) {
            return None;
        }
        self.update_any(ns, room, id, change).await
    }

    /// Renames `id` in every room it is in.
    pub async fn rename(&self, ns: Namespace, id: MemberId, name: &str) {
        let rooms = self.rooms(ns);
        rooms.rename(id, name);
        let Some(cluster) = &self.cluster else {
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
    pub async fn is_member(&self, ns: Namespace, room: &str, id: MemberId) -> bool {
        if self.rooms(ns).is_member(room, id) {
            return true;
        }
        let Some(cluster) = &self.cluster else {
            return false;
        };
        cluster
            .is_member(ns, room, id)
            .await
            .inspect_err(|e| degraded("membership", e))
            .unwrap_or(false)
    }

    /// Everyone in `room` of `ns` (on every node), in the order they joined.
    pub async fn members(&self, ns: Namespace, room: &str) -> Vec<Member> {
        if let Some(cluster) = &self.cluster {
            match cluster.members(ns, room).await {
                Ok(members) => return members,
                Err(e) => degraded("members", &e),
            }
        }
        self.rooms(ns).members(room)
    }

    /// How many are in `room` of `ns`, on every node.
    pub async fn count(&self, ns: Namespace, room: &str) -> usize {
        if self.cluster.is_some() {
            return self.members(ns, room).await.len();
        }
        self.rooms(ns).count(room)
    }

    /// `id`'s entry in `room` of `ns`, on any node.
    pub async fn member(&self, ns: Namespace, room: &str, id: MemberId) -> Option<Member> {
        if let Some(member) = self.rooms(ns).member(room, id)
            && self.cluster.is_none()
        {
            return Some(member);
        }
        self.members(ns, room)
            .await
            .into_iter()
            .find(|m| m.id == id)
    }

    /// Changes `id`'s entry in `room`, wherever its socket is (a host acting
    /// on someone on another node), and returns it as it is now.
    pub async fn update_any(
        &self,
        ns: Namespace,
        room: &str,
        id: MemberId,
        change: &Change,
    ) -> Option<Member> {
        let local = self.rooms(ns).update(room, id, |m| change.apply(m));
        let Some(cluster) = &self.cluster else {
            return local;
        };
        match cluster.update(ns, room, id, change).await {
            Ok(Some(member)) => Some(member),
            Ok(None) => local,
            Err(e) => {
                degraded("update", &e);
                local
            }
        }
    }

    /// The public room list, in creation order.
    pub async fn summary(&self, ns: Namespace) -> Vec<RoomSummary> {
        if let Some(cluster) = &self.cluster {
            match cluster.summary(ns).await {
                Ok(summary) => return summary,
                Err(e) => degraded("room list", &e),
            }
        }
        self.rooms(ns).summary()
    }
}

/// The cluster's view of a leave this node already made.
async fn cluster_left(cluster: &Presence, ns: Namespace, local: Left) -> Left {
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

fn degraded(what: &str, error: &PresenceError) {
    tracing::warn!(error = %error, "cluster presence unavailable ({what}); using this node's rooms only");
}
