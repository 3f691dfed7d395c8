//! The sans-IO forwarding core: every person's `Rtc`, fed datagrams and time,
//! handing back datagrams to send and events for signaling.
//!
//! Nothing here touches a socket or a clock: the caller passes `now` in, so tests
//! run whole calls in memory and in virtual time. This file holds the peers and
//! their negotiation; the per-frame path is in `forward.rs`, keyframe requests
//! in `keyframes.rs`, draining one peer's `Rtc` in `poll.rs`, and what the core
//! hands back (datagrams, events, counters) in `output.rs`.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use str0m::change::{SdpAnswer, SdpOffer};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Input, Rtc};

use crate::join_lines;
use crate::output::{Dropped, SfuEvent, SfuStats, Transmit};
use crate::peer::{OutState, Peer, TrackIn, TrackOut};
use crate::poll::{Happening, poll_peer};
use crate::speaker::SpeakerDetector;
use crate::throttle::KEYFRAME_INTERVAL;
use crate::{PeerId, SfuError};

/// How the SFU presents itself to browsers.
#[derive(Debug, Clone)]
pub struct SfuConfig {
    /// Addresses announced as host candidates: the media socket's address, or the
    /// `--public-ip` with the media port. ICE-lite: browsers connect to these.
    pub candidates: Vec<SocketAddr>,
    /// Shortest gap between two keyframe requests to one sender layer.
    pub keyframe_interval: Duration,
    /// Downlink assumed for a receiver until TWCC/REMB measure it, bits per
    /// second: enough for one top layer, so a fresh receiver starts on what its
    /// tile asks for and the estimate only ever lowers it.
    pub initial_bandwidth: u64,
    /// Run str0m's send-side bandwidth estimation (TWCC) per receiver. It feeds
    /// the layer choice, but it also turns on str0m's pacer, which spreads each
    /// frame over its estimate (a 10 KB frame at 2.5 Mbit/s: ~15 ms of added
    /// delay, measured by `bench/sfu.mjs`). Off by default: the sender has
    /// paced already, and forwarding adds no delay; the layer choice then
    /// follows the tile size, REMB where a receiver sends it, and the loss each
    /// receiver reports (`downlink.rs`).
    pub bandwidth_estimation: bool,
}

impl SfuConfig {
    pub fn new(candidates: Vec<SocketAddr>) -> Self {
        Self {
            candidates,
            keyframe_interval: KEYFRAME_INTERVAL,
            initial_bandwidth: 2_500_000,
            bandwidth_estimation: false,
        }
    }
}

/// How often each peer's stats (egress loss for [`crate::downlink`]) are taken.
const STATS_INTERVAL: Duration = Duration::from_secs(1);

/// Video packets each outgoing stream keeps for retransmission (and as the
/// room between a written frame and its packets leaving). str0m's default,
/// 1,000, is ~4 s at 2.5 Mbit/s and more at the lower layers, and it filled
/// to 1.65 MiB per subscriber of one 2.5 Mbit/s video within 15 s
/// (`bench/sfu.mjs`); every receiver holds one per video it gets. A NACK asks
/// for a packet at most about a second old (Chromium keeps its own history
/// for max(1 s, 3 × RTT)); 400 is 1.5 s at 2.5 Mbit/s, 2.5 s at the top
/// layer's 1.5 Mbit/s, and twice the packets of a large screen keyframe.
const SEND_BUFFER_VIDEO: usize = 400;

/// The forwarding core. See the module docs.
pub struct Sfu {
    pub(crate) config: SfuConfig,
    pub(crate) peers: HashMap<PeerId, Peer>,
    /// Source address → peer, learnt from the first accepted datagram.
    by_source: HashMap<SocketAddr, PeerId>,
    pub(crate) speakers: HashMap<String, SpeakerDetector<PeerId>>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<SfuEvent>,
    pub(crate) stats: SfuStats,
}

impl Sfu {
    pub fn new(config: SfuConfig) -> Self {
        crate::install_crypto();
        Self {
            config,
            peers: HashMap::new(),
            by_source: HashMap::new(),
            speakers: HashMap::new(),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            stats: SfuStats::default(),
        }
    }

    pub fn stats(&self) -> SfuStats {
        self.stats
    }

    /// How many peers the SFU holds.
    pub fn peer_count(&self) -> usize {
        self.peers.len()
    }

    /// A browser joins `room` with its first offer; returns the answer.
    ///
    /// `stream_id` is what the others' browsers see as the MediaStream id of this
    /// peer's tracks (moim uses the participant id). Everything already published
    /// in the room goes to the newcomer: on the receive lines of its offer
    /// (`join_lines.rs`), and whatever found no line in an [`SfuEvent::Offer`]
    /// right after.
    pub fn join(
        &mut self,
        now: Instant,
        peer: PeerId,
        room: &str,
        stream_id: &str,
        offer_sdp: &str,
    ) -> Result<String, SfuError> {
        if self.peers.contains_key(&peer) {
            return Err(SfuError::AlreadyJoined);
        }
        // Everything the room already publishes goes to the newcomer: on the
        // receive lines its offer brought (`join_lines.rs`), the rest in the
        // next offer to it.
        // The most recently live first: a screen stopped long ago keeps its
        // line at the others, and must not take a receive line a live camera
        // needs (it would wait for the second exchange).
        let mut room_tracks: Vec<(PeerId, &Peer, &TrackIn)> = Vec::new();
        for (origin, other) in &self.peers {
            if other.room != room {
                continue;
            }
            for track in other.tracks_in.iter().filter(|t| t.announced) {
                room_tracks.push((*origin, other, track));
            }
        }
        room_tracks.sort_by_key(|(_, _, t)| std::cmp::Reverse(t.last_seen));
        let mut tracks_out: Vec<TrackOut> = room_tracks
            .into_iter()
            .map(|(origin, other, track)| TrackOut::new(origin, other.stream_id.clone(), track))
            .collect();
        let (offer_sdp, bound) = join_lines::bind(offer_sdp, &tracks_out);
        let offer =
            SdpOffer::from_sdp_string(&offer_sdp).map_err(|e| SfuError::BadSdp(e.to_string()))?;
        // Opus and VP8 only: every browser sends and decodes both, VP8 is the
        // codec Chromium simulcasts best, and one codec per kind means any
        // receiver can take any sender's frames. Each codec offered costs the
        // browser SDP work on every m-line: str0m's default list is ~20 payload
        // types per video line, and a late joiner's offer has 15 such lines.
        let mut builder = Rtc::builder()
            .set_ice_lite(true)
            .clear_codecs()
            .enable_opus(true, false)
            .enable_vp8(true)
            .set_send_buffer_video(SEND_BUFFER_VIDEO);
        if self.config.bandwidth_estimation {
            builder = builder.enable_bwe(Some(str0m::bwe::Bitrate::bps(
                self.config.initial_bandwidth,
            )));
        } else {
            // Once a second: the loss behind the loss-based downlink estimate.
            builder = builder.set_stats_interval(Some(STATS_INTERVAL));
        }
        let mut rtc = builder.build(now);
        for addr in &self.config.candidates {
            let candidate =
                Candidate::host(*addr, "udp").map_err(|e| SfuError::BadSdp(e.to_string()))?;
            rtc.add_local_candidate(candidate);
        }
        let answer = rtc
            .sdp_api()
            .accept_offer(offer)
            .map_err(|e| SfuError::BadSdp(e.to_string()))?;
        for (i, mid) in bound {
            tracks_out[i].state = OutState::Open(mid);
        }
        let mut new_peer = Peer::new(room.to_owned(), stream_id.to_owned(), rtc);
        new_peer.tracks_out = tracks_out;
        self.peers.insert(peer, new_peer);
        self.drive(now);
        Ok(answer.to_sdp_string())
    }

    /// A later offer from the browser (it added or removed a track).
    pub fn accept_offer(
        &mut self,
        now: Instant,
        peer: PeerId,
        offer_sdp: &str,
    ) -> Result<String, SfuError> {
        let p = self.peers.get_mut(&peer).ok_or(SfuError::UnknownPeer)?;
        let offer =
            SdpOffer::from_sdp_string(offer_sdp).map_err(|e| SfuError::BadSdp(e.to_string()))?;
        let answer = p
            .rtc
            .sdp_api()
            .accept_offer(offer)
            .map_err(|e| SfuError::BadSdp(e.to_string()))?;
        p.offer_cancelled();
        p.dirty = true;
        // Its payload types may mean other codecs now.
        for other in self.peers.values_mut() {
            for t in other.tracks_out.iter_mut().filter(|t| t.origin == peer) {
                t.pt = None;
            }
        }
        self.drive(now);
        Ok(answer.to_sdp_string())
    }

    /// The browser's answer to the last [`SfuEvent::Offer`].
    pub fn accept_answer(
        &mut self,
        now: Instant,
        peer: PeerId,
        answer_sdp: &str,
    ) -> Result<(), SfuError> {
        let p = self.peers.get_mut(&peer).ok_or(SfuError::UnknownPeer)?;
        if p.pending.is_none() {
            return Err(SfuError::NoOfferPending);
        }
        let answer =
            SdpAnswer::from_sdp_string(answer_sdp).map_err(|e| SfuError::BadSdp(e.to_string()))?;
        let pending = p.pending.take().ok_or(SfuError::NoOfferPending)?;
        p.rtc
            .sdp_api()
            .accept_answer(pending, answer)
            .map_err(|e| SfuError::BadSdp(e.to_string()))?;
        p.answered();
        p.dirty = true;
        // The newly opened tracks need a keyframe to show anything.
        self.on_tracks_opened(now, peer);
        self.drive(now);
        Ok(())
    }

    /// The receiver draws `origin`'s video at `height` device pixels (0 = hidden).
    pub fn set_tile_height(
        &mut self,
        peer: PeerId,
        origin: PeerId,
        height: u32,
    ) -> Result<(), SfuError> {
        let p = self.peers.get_mut(&peer).ok_or(SfuError::UnknownPeer)?;
        for t in p.tracks_out.iter_mut().filter(|t| t.origin == origin) {
            t.tile_height = height;
        }
        Ok(())
    }

    /// The peer's microphone is muted (or unmuted again), as its signaling state
    /// says: a muted person is never the active speaker, whatever level their
    /// packets carry.
    pub fn set_muted(&mut self, peer: PeerId, muted: bool) -> Result<(), SfuError> {
        let p = self.peers.get(&peer).ok_or(SfuError::UnknownPeer)?;
        self.speakers
            .entry(p.room.clone())
            .or_default()
            .set_muted(peer, muted);
        Ok(())
    }

    /// A host holds the peer muted (or lets it speak again): while silenced,
    /// none of its audio is forwarded, so a browser that ignores the mute is
    /// still not heard.
    pub fn set_silenced(&mut self, peer: PeerId, silenced: bool) -> Result<(), SfuError> {
        let p = self.peers.get_mut(&peer).ok_or(SfuError::UnknownPeer)?;
        p.silenced = silenced;
        Ok(())
    }

    /// The peer left the room (or switched to mesh): close its connection and stop
    /// its tracks at everyone else.
    pub fn leave(&mut self, now: Instant, peer: PeerId) -> Result<(), SfuError> {
        let mut p = self.peers.remove(&peer).ok_or(SfuError::UnknownPeer)?;
        p.rtc.disconnect();
        self.forget(peer, &p.room);
        self.drive(now);
        Ok(())
    }

    fn forget(&mut self, peer: PeerId, room: &str) {
        self.by_source.retain(|_, p| *p != peer);
        if let Some(s) = self.speakers.get_mut(room) {
            s.remove(peer);
        }
        for other in self.peers.values_mut() {
            let mut changed = false;
            other.tracks_out.retain_mut(|t| {
                if t.origin != peer {
                    return true;
                }
                changed = true;
                match t.state {
                    OutState::ToOpen => false,
                    OutState::Negotiating(m) | OutState::Open(m) => {
                        t.state = OutState::ToStop(m);
                        true
                    }
                    OutState::ToStop(_) | OutState::NegotiatingStop(_) => true,
                }
            });
            other.dirty |= changed;
        }
        if !self.peers.values().any(|p| p.room == room) {
            self.speakers.remove(room);
        }
    }

    /// One datagram from the media socket.
    pub fn handle_receive(
        &mut self,
        now: Instant,
        source: SocketAddr,
        destination: SocketAddr,
        data: &[u8],
    ) -> Result<(), Dropped> {
        let Ok(contents) = data.try_into() else {
            self.stats.dropped_not_webrtc += 1;
            return Err(Dropped::NotWebRtc);
        };
        let input = Input::Receive(
            now,
            Receive {
                proto: Protocol::Udp,
                source,
                destination,
                contents,
            },
        );
        let known = self
            .by_source
            .get(&source)
            .copied()
            .filter(|id| self.peers.get(id).is_some_and(|p| p.rtc.accepts(&input)));
        let id = match known {
            Some(id) => id,
            None => {
                let Some(id) = self
                    .peers
                    .iter()
                    .find(|(_, p)| p.rtc.accepts(&input))
                    .map(|(id, _)| *id)
                else {
                    self.stats.dropped_unknown_source += 1;
                    return Err(Dropped::UnknownSource);
                };
                self.by_source.insert(source, id);
                id
            }
        };
        let p = self.peers.get_mut(&id).expect("the peer that accepted");
        if let Err(e) = p.rtc.handle_input(input) {
            tracing::debug!(peer = id.0, error = %e, "peer input failed; disconnecting");
            p.rtc.disconnect();
        }
        p.dirty = true;
        self.drive(now);
        Ok(())
    }

    /// Time passed: drive every peer whose timer is due.
    pub fn handle_timeout(&mut self, now: Instant) {
        for p in self.peers.values_mut() {
            if p.next_timeout.is_none_or(|t| t <= now) {
                if let Err(e) = p.rtc.handle_input(Input::Timeout(now)) {
                    tracing::debug!(error = %e, "peer timeout failed; disconnecting");
                    p.rtc.disconnect();
                }
                p.dirty = true;
            }
        }
        let rooms: Vec<String> = self.speakers.keys().cloned().collect();
        for room in rooms {
            if let Some(peer) = self.speakers.get_mut(&room).and_then(|s| s.decide(now)) {
                self.events
                    .push_back(SfuEvent::ActiveSpeaker { room, peer });
            }
        }
        self.drive(now);
    }

    /// The earliest time [`Sfu::handle_timeout`] must be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.peers.values().filter_map(|p| p.next_timeout).min()
    }

    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<SfuEvent> {
        self.events.pop_front()
    }

    /// Drain every peer that had input or writes, then hand what they
    /// produced to the others one happening at a time, draining again after
    /// each, until the room is quiet.
    ///
    /// One at a time is str0m's run-loop rule: "every mutation of an `Rtc`
    /// instance must be followed by a complete drain of `poll_output` until it
    /// returns `Output::Timeout`, before the next mutation on the same `Rtc`"
    /// (str0m's crate docs, "Run loop"); its `examples/chat.rs` propagates one
    /// item, then polls the clients again. A happening writes each receiver at
    /// most one frame. Handling a whole round of them before polling again
    /// wrote a receiver twice on one track when one drain of a sender gave two
    /// frames (a repaired loss releases the frame behind it), and str0m
    /// packetizes one frame per track per timeout: the second waited for the
    /// driver's next turn (tests/it/forwarding.rs,
    /// `two_frames_from_one_datagram_both_leave_at_once`).
    ///
    /// The one mutation a happening may repeat on one `Rtc` is a keyframe
    /// request to a sender (several layers or tracks): each only sets that
    /// stream's pending request, which str0m sends as one PLI/FIR on its next
    /// timeout.
    fn drive(&mut self, now: Instant) {
        let mut happenings = VecDeque::new();
        loop {
            self.drain_dirty(now, &mut happenings);
            let Some((origin, h)) = happenings.pop_front() else {
                return;
            };
            match h {
                Happening::MediaAdded(added) => self.on_media_added(origin, added),
                Happening::Media(data) => self.forward(now, origin, data),
                Happening::KeyframeRequest(req) => self.on_keyframe_request(now, origin, req),
                Happening::Connected => self.on_connected(now, origin),
            }
        }
    }

    /// Poll every dirty peer until it has nothing more; what concerns the
    /// others joins `happenings`. A peer whose connection died is dropped,
    /// which dirties those that received its tracks: they are polled too.
    /// (Polling one peer dirties no other, so one pass is enough otherwise.)
    fn drain_dirty(&mut self, now: Instant, happenings: &mut VecDeque<(PeerId, Happening)>) {
        loop {
            let mut closed: Vec<PeerId> = Vec::new();
            for (id, p) in self.peers.iter_mut().filter(|(_, p)| p.dirty) {
                p.dirty = false;
                poll_peer(
                    now,
                    *id,
                    p,
                    &mut self.transmits,
                    &mut self.events,
                    happenings,
                );
                if !p.rtc.is_alive() {
                    closed.push(*id);
                }
            }
            if closed.is_empty() {
                return;
            }
            for id in closed {
                if let Some(p) = self.peers.remove(&id) {
                    self.forget(id, &p.room);
                    self.events.push_back(SfuEvent::Closed { peer: id });
                }
            }
        }
    }
}
