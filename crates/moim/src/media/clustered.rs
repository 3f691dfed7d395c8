//! A cluster node's media state (issue 20): who hosts what, as this node
//! knows it, shared by [`super::route`] (the requests) and
//! [`super::hosting`] (the beat that keeps it true).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use tokio::sync::mpsc;

use super::ops::{self, MediaOp};
use crate::cluster::node_link::{LinkError, NodeLink};
use crate::cluster::placement::{Placement, PlacementError};
use crate::error::Refusal;
use crate::rooms::MemberId;

/// How long a participant's node waits for the owner's answer.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A browser whose SFU connection is gone for good and must open a new one
/// (the `sfu-reconnect` event): its meeting moved to another node, or the
/// owner died.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reconnect {
    /// One participant (their owner died).
    Participant(MemberId),
    /// Everyone in a meeting (it moved).
    Room(Arc<str>),
}

/// A participant of this node whose session is on another node's SFU.
#[derive(Debug, Clone)]
pub struct Remote {
    /// Their meeting.
    pub room: Arc<str>,
    /// The node hosting it.
    pub owner: Arc<str>,
}

/// A cluster node's media state, shared by the route and its tasks.
pub struct Clustered {
    /// Meetings' owners and the registry.
    pub placement: Placement,
    /// Requests to other nodes.
    pub link: NodeLink,
    /// This node's id.
    pub node: Arc<str>,
    /// Where browsers send this node media.
    pub media: Vec<SocketAddr>,
    /// This node's participants with a session elsewhere.
    pub remote: Mutex<HashMap<MemberId, Remote>>,
    /// Meetings this node hosts (holds the lease of), and when a session
    /// last started in each.
    pub hosted: Arc<Mutex<HashMap<Arc<str>, Instant>>>,
    /// Shutting down: takes no new meetings.
    pub draining: AtomicBool,
    /// The SFU's bit rate and CPU between beats, for the record.
    pub load: super::load::LoadMeter,
    /// Changes for owners, sent in order by `route::send_told`.
    pub told: mpsc::Sender<Told>,
    /// Browsers to tell `sfu-reconnect`.
    pub reconnect: mpsc::UnboundedSender<Reconnect>,
}

/// A change for the owner: to `owner` when known, else to whoever hosts `room`.
pub struct Told {
    /// The meeting.
    pub room: Arc<str>,
    /// Its owner, when this node knows it.
    pub owner: Option<Arc<str>>,
    /// The change.
    pub op: MediaOp,
}

/// The state behind a lock a panic cannot poison for good.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Clustered {
    /// The meeting's owner, placing it when it has none.
    pub async fn place(&self, room: &str) -> Result<Arc<str>, Refusal> {
        match self.placement.place(room).await {
            Ok(owner) => Ok(owner.into()),
            Err(PlacementError::NoMediaNode) => {
                tracing::warn!(%room, "no node can host the meeting's media");
                Err(Refusal::MediaUnavailable)
            }
            Err(e) => {
                tracing::warn!(%room, error = %e, "cannot place the meeting's media");
                Err(Refusal::MediaUnavailable)
            }
        }
    }

    pub async fn ask(&self, owner: &str, op: &MediaOp) -> Result<serde_json::Value, LinkError> {
        let body = serde_json::to_value(op).map_err(|e| LinkError::Redis(e.to_string()))?;
        self.link.request(owner, body, REQUEST_TIMEOUT).await
    }

    pub fn tell(&self, room: &str, owner: Option<Arc<str>>, op: MediaOp) {
        if owner.as_deref() == Some(&*self.node) {
            return;
        }
        let told = Told {
            room: room.into(),
            owner,
            op,
        };
        if self.told.try_send(told).is_err() {
            tracing::warn!(%room, "too many media changes waiting; one was dropped");
        }
    }

    /// Whether `node`, which hosts `room`, is still there: it beats and
    /// listens on its node link, or it renewed the meeting's lease within
    /// the last two beats (right after Redis came back empty, its node link
    /// and heartbeat key may not be back yet while its lease already is).
    pub async fn alive(&self, node: &str, room: &str) -> bool {
        crate::cluster::heartbeat::is_alive(&mut self.placement.conn(), node)
            .await
            .unwrap_or(true)
            || self
                .placement
                .renewed_lately(room, node)
                .await
                .unwrap_or(true)
    }
}

pub fn refused(owner: &str, e: LinkError) -> Refusal {
    match e {
        LinkError::Refused(code) => ops::refusal_of(&code),
        other => {
            tracing::warn!(owner, error = %other, "the meeting's media node did not answer");
            Refusal::MediaUnavailable
        }
    }
}
