//! What the core hands back to its caller: datagrams to send, events for
//! signaling, why a datagram went unused, and counters.
//!
//! Plain values with no behaviour, kept apart from the core (`sfu.rs`) so the
//! files that produce them (`poll.rs` drains an `Rtc` into them) need not name
//! the core itself.

use std::net::SocketAddr;

use crate::PeerId;

/// A datagram to send.
#[derive(Debug, Clone)]
pub struct Transmit {
    pub source: SocketAddr,
    pub destination: SocketAddr,
    pub contents: Vec<u8>,
}

/// What the signaling side must know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SfuEvent {
    /// Send this offer to the peer's browser and hand its answer to
    /// [`Sfu::accept_answer`](crate::Sfu::accept_answer).
    Offer { peer: PeerId, sdp: String },
    /// ICE and DTLS are up: media flows.
    Connected { peer: PeerId },
    /// The connection died (ICE timeout, DTLS close); the peer is gone from the SFU.
    Closed { peer: PeerId },
    /// Someone else became the loudest person in a room.
    ActiveSpeaker { room: String, peer: PeerId },
}

/// Why a datagram was not used. Dropping is normal (stray scans, late packets of a
/// peer that left); these are counted, never logged per packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    /// Not STUN, DTLS or (S)RTP.
    NotWebRtc,
    /// No peer's ICE credentials or address match.
    UnknownSource,
}

/// Counters for the operator and the benchmark.
#[derive(Debug, Clone, Copy, Default)]
pub struct SfuStats {
    pub dropped_not_webrtc: u64,
    pub dropped_unknown_source: u64,
    pub keyframe_requests_sent: u64,
    pub keyframe_requests_throttled: u64,
    /// Video packets made from the senders' frames: each once, however many
    /// receive it (`packets.rs`).
    pub video_packets_cut: u64,
    /// Video packets queued to receivers: each a reference to one cut.
    pub video_packets_written: u64,
}

/// Several cores' counters together.
impl std::ops::AddAssign for SfuStats {
    fn add_assign(&mut self, o: SfuStats) {
        self.dropped_not_webrtc += o.dropped_not_webrtc;
        self.dropped_unknown_source += o.dropped_unknown_source;
        self.keyframe_requests_sent += o.keyframe_requests_sent;
        self.keyframe_requests_throttled += o.keyframe_requests_throttled;
        self.video_packets_cut += o.video_packets_cut;
        self.video_packets_written += o.video_packets_written;
    }
}
