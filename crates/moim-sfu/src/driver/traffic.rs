//! What the media socket carried, for the operator's metrics: counters the SFU
//! task bumps as it goes and anyone holding an [`crate::driver::SfuHandle`]
//! reads without asking the task (a scrape must not wait behind media).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::SfuStats;

/// Totals since the socket was bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    pub datagrams_in: u64,
    pub bytes_in: u64,
    pub datagrams_out: u64,
    pub bytes_out: u64,
    /// Datagrams that were not STUN, DTLS or RTP.
    pub dropped_not_webrtc: u64,
    /// Datagrams from an address no session accepts.
    pub dropped_unknown_source: u64,
    pub keyframe_requests_sent: u64,
    /// Keyframe requests folded into one already sent.
    pub keyframe_requests_throttled: u64,
}

/// The live counters behind [`Traffic`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    datagrams_in: AtomicU64,
    bytes_in: AtomicU64,
    datagrams_out: AtomicU64,
    bytes_out: AtomicU64,
    dropped_not_webrtc: AtomicU64,
    dropped_unknown_source: AtomicU64,
    keyframe_requests_sent: AtomicU64,
    keyframe_requests_throttled: AtomicU64,
}

impl Counters {
    pub fn received(&self, bytes: usize) {
        self.datagrams_in.fetch_add(1, Relaxed);
        self.bytes_in.fetch_add(bytes as u64, Relaxed);
    }

    pub fn sent(&self, datagrams: usize, bytes: usize) {
        self.datagrams_out.fetch_add(datagrams as u64, Relaxed);
        self.bytes_out.fetch_add(bytes as u64, Relaxed);
    }

    /// The core's own totals (it counts drops and keyframe requests).
    pub fn core(&self, stats: SfuStats) {
        self.dropped_not_webrtc
            .store(stats.dropped_not_webrtc, Relaxed);
        self.dropped_unknown_source
            .store(stats.dropped_unknown_source, Relaxed);
        self.keyframe_requests_sent
            .store(stats.keyframe_requests_sent, Relaxed);
        self.keyframe_requests_throttled
            .store(stats.keyframe_requests_throttled, Relaxed);
    }

    pub fn snapshot(&self) -> Traffic {
        Traffic {
            datagrams_in: self.datagrams_in.load(Relaxed),
            bytes_in: self.bytes_in.load(Relaxed),
            datagrams_out: self.datagrams_out.load(Relaxed),
            bytes_out: self.bytes_out.load(Relaxed),
            dropped_not_webrtc: self.dropped_not_webrtc.load(Relaxed),
            dropped_unknown_source: self.dropped_unknown_source.load(Relaxed),
            keyframe_requests_sent: self.keyframe_requests_sent.load(Relaxed),
            keyframe_requests_throttled: self.keyframe_requests_throttled.load(Relaxed),
        }
    }
}
