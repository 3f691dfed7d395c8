//! One person's connection to the SFU: a str0m `Rtc` plus what it publishes and
//! what it receives from the others in its room.

use std::time::{Duration, Instant};

use str0m::Rtc;
use str0m::change::SdpPendingOffer;
use str0m::media::{Direction, MediaKind, Mid, Pt, Rid};

use crate::PeerId;
use crate::downlink::Downlink;
use crate::layers::{self, LayerSwitch};
use crate::packets::SeqNumbers;
use crate::throttle::KeyframeThrottle;

/// A track this peer publishes to the SFU.
#[derive(Debug)]
pub(crate) struct TrackIn {
    pub mid: Mid,
    pub kind: MediaKind,
    /// Which of [`layers::LAYERS`] the sender announced (all false: no simulcast).
    pub layers: [bool; 3],
    /// When a frame of each layer last came. A browser sends only the layers
    /// its uplink estimate can carry (the top one starts seconds into a call,
    /// or never on a weak uplink), so an announced layer may not flow.
    pub last_frame: [Option<Instant>; 3],
    /// When any frame of the track last came (every layer, or a plain track).
    pub last_seen: Option<Instant>,
    /// Each layer's picture height as its last keyframe said (`None`: no
    /// keyframe read yet, [`layers::LAYERS`] is assumed).
    pub heights: [Option<u32>; 3],
    /// One throttle per layer, plus one (index 3) for a track without simulcast.
    pub throttles: [KeyframeThrottle; 4],
    /// Offered to the others in the room: audio at once, video from its first
    /// frame. Every m-line costs each receiver's browser SDP work (a late
    /// joiner's offer holds one per track of everyone), and a camera that stays
    /// off or a screen never shared would be a line that never carries a frame.
    pub announced: bool,
}

impl TrackIn {
    pub fn simulcast(&self) -> bool {
        self.layers.iter().any(|l| *l)
    }

    /// The announced layers that are flowing: a frame within
    /// [`LAYER_PAUSED_AFTER`]. Only these are chosen for receivers: one
    /// waiting for a layer that does not come would see nothing, or freeze.
    pub fn flowing(&self, now: Instant) -> [bool; 3] {
        std::array::from_fn(|i| {
            self.layers[i]
                && self.last_frame[i]
                    .is_some_and(|t| now.saturating_duration_since(t) < LAYER_PAUSED_AFTER)
        })
    }

    /// The height each layer carries: as seen, else as assumed.
    pub fn layer_heights(&self) -> [u32; 3] {
        std::array::from_fn(|i| self.heights[i].unwrap_or(layers::LAYERS[i].height))
    }

    /// Throttle slot for a layer (`None`: the single stream of a plain track).
    pub fn throttle(&mut self, layer: Option<usize>) -> &mut KeyframeThrottle {
        &mut self.throttles[layer.unwrap_or(3)]
    }
}

/// A layer with no frame for this long is taken as paused by its sender.
/// Chromium sends a camera at up to 30 frames a second, fewer when it saves
/// CPU, but a layer it pauses sends nothing at all.
pub(crate) const LAYER_PAUSED_AFTER: Duration = Duration::from_secs(1);

/// Negotiation state of a track this peer receives from someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutState {
    /// Waiting for the next offer to this peer.
    ToOpen,
    /// In an offer this peer has not answered yet.
    Negotiating(Mid),
    /// Negotiated: media flows on this mid.
    Open(Mid),
    /// The sender left: the m-line must be stopped in the next offer.
    ToStop(Mid),
    /// Stopped in an offer not answered yet.
    NegotiatingStop(Mid),
}

/// A track of someone else forwarded to this peer.
#[derive(Debug)]
pub(crate) struct TrackOut {
    pub origin: PeerId,
    /// The sender's stream id (see [`Peer::stream_id`]).
    pub stream_id: String,
    pub mid_in: Mid,
    pub kind: MediaKind,
    pub state: OutState,
    pub switch: LayerSwitch,
    /// Height the receiver draws this video at (device pixels).
    pub tile_height: u32,
    /// The sender's payload type and the receiver's matching one, found by the
    /// first frame; cleared whenever either side renegotiates.
    pub pt: Option<(Pt, Pt)>,
}

impl TrackOut {
    /// A sender's track as a receiver will get it: to be opened in that
    /// receiver's next offer, drawn at the default tile height until it says.
    pub fn new(origin: PeerId, stream_id: String, track: &TrackIn) -> Self {
        Self {
            origin,
            stream_id,
            mid_in: track.mid,
            kind: track.kind,
            state: OutState::ToOpen,
            switch: Default::default(),
            tile_height: DEFAULT_TILE_HEIGHT,
            pt: None,
        }
    }

    /// The track id of its label, `<origin>-<mid at the sender>`: the sender's
    /// mid tells a browser which of its tracks it is (docs/sfu.md).
    pub fn track_id(&self) -> String {
        format!("{}-{}", self.origin.0, self.mid_in)
    }

    pub fn open_mid(&self) -> Option<Mid> {
        match self.state {
            OutState::Open(m) => Some(m),
            _ => None,
        }
    }
}

/// Tile height assumed until the receiver says otherwise: the middle layer.
pub(crate) const DEFAULT_TILE_HEIGHT: u32 = 360;

#[derive(Debug)]
pub(crate) struct Peer {
    pub room: String,
    /// The MediaStream id this peer's tracks carry at the receivers (the
    /// participant id on moim's wire), so a browser can tell whose track it got.
    pub stream_id: String,
    pub rtc: Rtc,
    pub tracks_in: Vec<TrackIn>,
    pub tracks_out: Vec<TrackOut>,
    pub pending: Option<SdpPendingOffer>,
    /// The downlink estimate from TWCC/REMB or from loss, bits per second.
    pub bandwidth: Option<u64>,
    /// The loss-based downlink estimate (when str0m's own is off).
    pub downlink: Downlink,
    pub connected: bool,
    /// A host holds this peer muted: none of its audio is forwarded, whatever
    /// its browser sends.
    pub silenced: bool,
    /// When str0m next wants a timeout; `None` until first polled.
    pub next_timeout: Option<Instant>,
    /// Has input or writes since it was last polled.
    pub dirty: bool,
    /// Sequence numbers of the video this peer receives.
    pub video_seq: SeqNumbers,
}

impl Peer {
    pub fn new(room: String, stream_id: String, rtc: Rtc) -> Self {
        Self {
            room,
            stream_id,
            rtc,
            tracks_in: Vec::new(),
            tracks_out: Vec::new(),
            pending: None,
            bandwidth: None,
            downlink: Downlink::default(),
            connected: false,
            silenced: false,
            next_timeout: None,
            dirty: true,
            video_seq: SeqNumbers::default(),
        }
    }

    /// Put every pending track change into one offer, if there is any and no
    /// other offer is outstanding. Returns the SDP to send to the browser.
    pub fn offer_if_needed(&mut self) -> Option<String> {
        if self.pending.is_some() {
            return None;
        }
        let mut change = self.rtc.sdp_api();
        for track in &mut self.tracks_out {
            match track.state {
                OutState::ToOpen => {
                    let track_id = track.track_id();
                    let mid = change.add_media(
                        track.kind,
                        Direction::SendOnly,
                        Some(track.stream_id.clone()),
                        Some(track_id),
                        None,
                    );
                    track.state = OutState::Negotiating(mid);
                }
                OutState::ToStop(mid) => {
                    change.stop_media(mid);
                    track.state = OutState::NegotiatingStop(mid);
                }
                _ => {}
            }
        }
        if !change.has_changes() {
            return None;
        }
        let (offer, pending) = change.apply()?;
        self.pending = Some(pending);
        Some(offer.to_sdp_string())
    }

    /// The browser answered our offer: the negotiated tracks are open, the
    /// stopped ones gone.
    pub fn answered(&mut self) {
        for track in &mut self.tracks_out {
            track.pt = None;
            if let OutState::Negotiating(m) = track.state {
                track.state = OutState::Open(m);
            }
        }
        self.tracks_out
            .retain(|t| !matches!(t.state, OutState::NegotiatingStop(_)));
    }

    /// The browser sent an offer of its own, which cancels ours: redo our
    /// changes in the next offer.
    pub fn offer_cancelled(&mut self) {
        self.pending = None;
        for track in &mut self.tracks_out {
            track.pt = None;
            match track.state {
                OutState::Negotiating(_) => track.state = OutState::ToOpen,
                OutState::NegotiatingStop(m) => track.state = OutState::ToStop(m),
                _ => {}
            }
        }
    }

    pub fn rid_of(layer: Option<usize>) -> Option<Rid> {
        layer.map(|l| Rid::from(layers::LAYERS[l].rid))
    }
}
