//! Ties `/moim` participants (their participant ids) to SFU peers; what the
//! SFU says goes back to their browsers through `signal::meet::sfu_events`.
//! Signaling only hands session descriptions across; media never passes
//! through here.
//!
//! Every `sfu-offer` from a browser starts a fresh SFU session for it (its
//! connection has a fixed layout, so a browser offers once per connection; a
//! second offer means a new connection after a failure), so the old peer, if
//! any, is dropped first.
//!
//! Tile heights (`sfu-tile`) are remembered per (receiver, origin) and given to
//! the SFU again after each of its offers to the receiver: the SFU keeps a height
//! on the forwarded tracks it has, so a height told before the origin's camera
//! reached the receiver (or before a reconnection) would otherwise be lost.
//!
//! Who is muted is told the SFU the same way (kept per participant, given again
//! to each new session): the SFU cannot tell a muted microphone from the audio
//! levels alone, and must never name a muted person the active speaker.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use moim_sfu::driver::SfuHandle;
use moim_sfu::{PeerId, SfuError};

use crate::error::Refusal;
use crate::rooms::MemberId;

#[derive(Default)]
struct Peers {
    by_participant: HashMap<MemberId, (PeerId, Arc<str>)>,
    by_peer: HashMap<PeerId, MemberId>,
    /// receiver → origin → the tile height it draws the origin at.
    tiles: HashMap<MemberId, HashMap<MemberId, u32>>,
    /// Participants whose microphone is off.
    muted: HashSet<MemberId>,
    /// Participants a host holds muted: the SFU forwards none of their audio.
    blocked: HashSet<MemberId>,
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

    /// `id`'s browser offers a new connection in `room`: the SFU's answer.
    pub async fn offer(&self, id: MemberId, room: &str, sdp: String) -> Result<String, Refusal> {
        self.end_session(id);
        let peer = PeerId(self.next.fetch_add(1, Ordering::Relaxed));
        {
            let mut peers = self.peers();
            peers.by_participant.insert(id, (peer, room.into()));
            peers.by_peer.insert(peer, id);
        }
        let joined = self.handle.join(peer, room, &id.to_string(), sdp).await;
        match joined {
            Ok(Ok(answer)) => {
                let (muted, blocked) = {
                    let peers = self.peers();
                    (peers.muted.contains(&id), peers.blocked.contains(&id))
                };
                // Errors: stopped, the server is shutting down.
                if muted {
                    let _ = self.handle.set_muted(peer, true);
                }
                if blocked {
                    let _ = self.handle.set_silenced(peer, true);
                }
                Ok(answer)
            }
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

    /// `id`'s browser answers the SFU's last offer.
    pub async fn answer(&self, id: MemberId, sdp: String) -> Result<(), Refusal> {
        let peer = self
            .peers()
            .by_participant
            .get(&id)
            .map(|(p, _)| *p)
            .ok_or(Refusal::NoSfuSession)?;
        match self.handle.answer(peer, sdp).await {
            Ok(result) => result.map_err(refusal),
            Err(_) => Err(Refusal::MediaUnavailable),
        }
    }

    /// The browser's tile of `origin` is `height` device pixels tall (0: not
    /// shown). Kept, and applied at once if `origin` publishes to the SFU;
    /// `origin` being in the same meeting is the caller's check.
    pub fn tile_height(&self, id: MemberId, origin: MemberId, height: u32) -> Result<(), Refusal> {
        let mut peers = self.peers();
        let peer = peers
            .by_participant
            .get(&id)
            .map(|(p, _)| *p)
            .ok_or(Refusal::NoSfuSession)?;
        let origin_peer = peers.by_participant.get(&origin).map(|(p, _)| *p);
        if let Some(origin_peer) = origin_peer {
            self.handle
                .tile_height(peer, origin_peer, height)
                .map_err(|_| Refusal::MediaUnavailable)?;
        }
        peers.tiles.entry(id).or_default().insert(origin, height);
        Ok(())
    }

    /// A host holds `id` muted (`blocked`) or lets them speak: kept for its
    /// SFU sessions to come, and told the current one at once.
    pub fn set_blocked(&self, id: MemberId, blocked: bool) {
        let mut peers = self.peers();
        let changed = if blocked {
            peers.blocked.insert(id)
        } else {
            peers.blocked.remove(&id)
        };
        if let Some((peer, _)) = peers.by_participant.get(&id).filter(|_| changed) {
            // Stopped: the server is shutting down.
            let _ = self.handle.set_silenced(*peer, blocked);
        }
    }

    /// `id`'s microphone is now off (`muted`) or on: kept for its SFU sessions
    /// to come, and told the current one at once.
    pub fn set_muted(&self, id: MemberId, muted: bool) {
        let mut peers = self.peers();
        let changed = if muted {
            peers.muted.insert(id)
        } else {
            peers.muted.remove(&id)
        };
        if let Some((peer, _)) = peers.by_participant.get(&id).filter(|_| changed) {
            // Stopped: the server is shutting down.
            let _ = self.handle.set_muted(*peer, muted);
        }
    }

    /// Gives the SFU `peer`'s remembered tile heights again (after an offer to
    /// it: the tracks it offered start at the SFU's default height).
    pub fn reapply_tiles(&self, peer: PeerId) {
        let peers = self.peers();
        let Some(id) = peers.by_peer.get(&peer) else {
            return;
        };
        for (origin, height) in peers.tiles.get(id).into_iter().flatten() {
            if let Some((origin_peer, _)) = peers.by_participant.get(origin) {
                // Stopped: the server is shutting down.
                let _ = self.handle.tile_height(peer, *origin_peer, *height);
            }
        }
    }

    /// `id` left its meeting (or the meeting went back to the mesh): its SFU
    /// session ends and the tile heights it told or was drawn at are forgotten.
    pub fn leave(&self, id: MemberId) {
        self.end_session(id);
        let mut peers = self.peers();
        peers.tiles.remove(&id);
        peers.muted.remove(&id);
        peers.blocked.remove(&id);
        for tiles in peers.tiles.values_mut() {
            tiles.remove(&id);
        }
    }

    /// Ends `id`'s SFU session, if any (its tile heights stay): its
    /// connection moved to another node's SFU, or is about to be replaced.
    pub fn end_session(&self, id: MemberId) {
        let removed = self.peers().by_participant.remove(&id);
        if let Some((peer, _)) = removed {
            self.peers().by_peer.remove(&peer);
            // Stopped: the server is shutting down and the peer goes with it.
            let _ = self.handle.leave(peer);
        }
    }

    /// Everyone of `room` leaves the SFU (the meeting fell back to the mesh).
    pub fn leave_room(&self, room: &str) {
        let ids: Vec<MemberId> = self
            .peers()
            .by_participant
            .iter()
            .filter(|(_, (_, r))| &**r == room)
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.leave(id);
        }
    }

    /// Each meeting with SFU sessions here, and how many.
    pub fn rooms(&self) -> HashMap<Arc<str>, usize> {
        let mut rooms: HashMap<Arc<str>, usize> = HashMap::new();
        for (_, room) in self.peers().by_participant.values() {
            *rooms.entry(room.clone()).or_default() += 1;
        }
        rooms
    }

    /// What the media socket carried so far.
    pub fn traffic(&self) -> moim_sfu::driver::Traffic {
        self.handle.traffic()
    }

    /// Each SFU worker's share (`moim_sfu_worker_*` on `/metrics`).
    pub fn workers(&self) -> Vec<moim_sfu::driver::WorkerLoad> {
        self.handle.workers()
    }

    /// How many participants have an SFU session.
    pub fn sessions(&self) -> usize {
        self.peers().by_participant.len()
    }

    /// Forgets a peer the SFU closed.
    pub fn forget(&self, peer: PeerId) {
        let mut peers = self.peers();
        if let Some(id) = peers.by_peer.remove(&peer)
            && peers
                .by_participant
                .get(&id)
                .is_some_and(|(p, _)| *p == peer)
        {
            peers.by_participant.remove(&id);
        }
    }

    /// The participant an SFU peer belongs to.
    pub fn participant_of_peer(&self, peer: PeerId) -> Option<MemberId> {
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

#[cfg(test)]
mod tests {
    /// The browser publishes the layers `moim-proto` lists; the SFU chooses
    /// among the ones `moim-sfu` lists. They must be the same table.
    #[test]
    fn the_published_layers_are_the_ones_the_sfu_chooses_from() {
        let published: Vec<(&str, u32, u64)> = moim_proto::SIMULCAST_LAYERS
            .iter()
            .map(|l| (l.rid, l.height, u64::from(l.max_bitrate)))
            .collect();
        let chosen: Vec<(&str, u32, u64)> = moim_sfu::LAYERS
            .iter()
            .map(|l| (l.rid, l.height, l.bitrate))
            .collect();
        assert_eq!(published, chosen);
    }
}
