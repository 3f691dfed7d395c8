//! Ties `/moim` participants (socket ids) to SFU peers and carries what the SFU
//! says back to their browsers. Signaling only hands session descriptions
//! across; media never passes through here.
//!
//! Every `sfu-offer` from a browser starts a fresh SFU session for it (its
//! connection has a fixed layout, so a browser offers once per connection; a
//! second offer means a new connection after a failure), so the old peer, if
//! any, is dropped first.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use moim_proto::{ActiveSpeaker, SfuDescription};
use moim_sfu::driver::SfuHandle;
use moim_sfu::{PeerId, SfuError, SfuEvent};
use socketioxide::SocketIo;
use socketioxide::socket::Sid;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinHandle;

use crate::error::Refusal;

#[derive(Default)]
struct Peers {
    by_sid: HashMap<Sid, (PeerId, Arc<str>)>,
    by_peer: HashMap<PeerId, Sid>,
}

/// The running SFU as the signaling side sees it.
pub struct MediaBridge {
    handle: SfuHandle,
    peers: Mutex<Peers>,
    next: AtomicU64,
}

impl std::fmt::Debug for MediaBridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaBridge")
            .field("media", &self.handle.local_addr())
            .finish()
    }
}

impl MediaBridge {
    /// Around a started driver.
    pub fn new(handle: SfuHandle) -> Self {
        Self {
            handle,
            peers: Mutex::new(Peers::default()),
            next: AtomicU64::new(1),
        }
    }

    /// Where the media socket is bound.
    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.handle.local_addr()
    }

    fn peers(&self) -> MutexGuard<'_, Peers> {
        self.peers.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `sid`'s browser offers a new connection in `room`: the SFU's answer.
    pub async fn offer(&self, sid: Sid, room: &str, sdp: String) -> Result<String, Refusal> {
        self.leave(sid);
        let peer = PeerId(self.next.fetch_add(1, Ordering::Relaxed));
        {
            let mut peers = self.peers();
            peers.by_sid.insert(sid, (peer, room.into()));
            peers.by_peer.insert(peer, sid);
        }
        let joined = self.handle.join(peer, room, &sid.to_string(), sdp).await;
        match joined {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(e)) => {
                self.forget(peer);
                Err(refusal(e))
            }
            Err(_) => {
                self.forget(peer);
                Err(Refusal::MediaUnavailable)
            }
        }
    }

    /// `sid`'s browser answers the SFU's last offer.
    pub async fn answer(&self, sid: Sid, sdp: String) -> Result<(), Refusal> {
        let peer = self
            .peers()
            .by_sid
            .get(&sid)
            .map(|(p, _)| *p)
            .ok_or(Refusal::NoSfuSession)?;
        match self.handle.answer(peer, sdp).await {
            Ok(result) => result.map_err(refusal),
            Err(_) => Err(Refusal::MediaUnavailable),
        }
    }

    /// The browser's tile of `origin` is `height` device pixels tall (0: not shown).
    pub fn tile_height(&self, sid: Sid, origin: Sid, height: u32) -> Result<(), Refusal> {
        let peers = self.peers();
        let peer = peers
            .by_sid
            .get(&sid)
            .map(|(p, _)| *p)
            .ok_or(Refusal::NoSfuSession)?;
        let origin = peers
            .by_sid
            .get(&origin)
            .map(|(p, _)| *p)
            .ok_or(Refusal::NotInRoom)?;
        self.handle
            .tile_height(peer, origin, height)
            .map_err(|_| Refusal::MediaUnavailable)
    }

    /// `sid` left its meeting (or the meeting went back to the mesh).
    pub fn leave(&self, sid: Sid) {
        let removed = self.peers().by_sid.remove(&sid);
        if let Some((peer, _)) = removed {
            self.peers().by_peer.remove(&peer);
            // Stopped: the server is shutting down and the peer goes with it.
            let _ = self.handle.leave(peer);
        }
    }

    /// Everyone of `room` leaves the SFU (the meeting fell back to the mesh).
    pub fn leave_room(&self, room: &str) {
        let sids: Vec<Sid> = self
            .peers()
            .by_sid
            .iter()
            .filter(|(_, (_, r))| &**r == room)
            .map(|(sid, _)| *sid)
            .collect();
        for sid in sids {
            self.leave(sid);
        }
    }

    /// How many participants have an SFU session.
    pub fn sessions(&self) -> usize {
        self.peers().by_sid.len()
    }

    fn forget(&self, peer: PeerId) {
        let mut peers = self.peers();
        if let Some(sid) = peers.by_peer.remove(&peer)
            && peers.by_sid.get(&sid).is_some_and(|(p, _)| *p == peer)
        {
            peers.by_sid.remove(&sid);
        }
    }

    fn sid_of(&self, peer: PeerId) -> Option<Sid> {
        self.peers().by_peer.get(&peer).copied()
    }
}

fn refusal(e: SfuError) -> Refusal {
    match e {
        SfuError::BadSdp(detail) => {
            tracing::debug!(%detail, "session description refused");
            Refusal::InvalidSdp
        }
        SfuError::NoOfferPending => Refusal::NoOfferPending,
        SfuError::UnknownPeer | SfuError::AlreadyJoined => Refusal::NoSfuSession,
    }
}

/// Carries the SFU's events to the browsers on `namespace` until the SFU stops.
pub fn spawn_events<A: socketioxide::adapter::Adapter>(
    io: SocketIo<A>,
    namespace: &'static str,
    bridge: Arc<MediaBridge>,
    mut events: UnboundedReceiver<SfuEvent>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            let Some(ns) = io.of(namespace) else { continue };
            match event {
                SfuEvent::Offer { peer, sdp } => {
                    if let Some(sid) = bridge.sid_of(peer) {
                        ns.to(sid.to_string())
                            .emit("sfu-offer", &SfuDescription { sdp })
                            .await
                            .ok();
                    }
                }
                SfuEvent::Connected { peer } => {
                    tracing::debug!(peer = peer.0, "SFU peer connected")
                }
                SfuEvent::Closed { peer } => {
                    tracing::debug!(peer = peer.0, "SFU peer closed");
                    bridge.forget(peer);
                }
                SfuEvent::ActiveSpeaker { room, peer } => {
                    if let Some(sid) = bridge.sid_of(peer) {
                        let event = ActiveSpeaker {
                            participant: sid.to_string(),
                        };
                        ns.to(room).emit("active-speaker", &event).await.ok();
                    }
                }
            }
        }
    })
}
