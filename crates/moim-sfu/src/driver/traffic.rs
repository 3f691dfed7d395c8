//! What the media socket carried, for the operator's metrics: counters each SFU
//! worker bumps as it goes and anyone holding an [`crate::driver::SfuHandle`]
//! reads without asking the task (a scrape must not wait behind media).

use std::ops::Add;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

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
    /// Datagrams read by this worker for another one's session, and passed on.
    pub datagrams_routed: u64,
    /// Datagrams for another worker dropped because its inbox was full.
    pub dropped_inbox_full: u64,
}

impl Add for Traffic {
    type Output = Traffic;

    fn add(self, o: Traffic) -> Traffic {
        Traffic {
            datagrams_in: self.datagrams_in + o.datagrams_in,
            bytes_in: self.bytes_in + o.bytes_in,
            datagrams_out: self.datagrams_out + o.datagrams_out,
            bytes_out: self.bytes_out + o.bytes_out,
            dropped_not_webrtc: self.dropped_not_webrtc + o.dropped_not_webrtc,
            dropped_unknown_source: self.dropped_unknown_source + o.dropped_unknown_source,
            keyframe_requests_sent: self.keyframe_requests_sent + o.keyframe_requests_sent,
            keyframe_requests_throttled: self.keyframe_requests_throttled
                + o.keyframe_requests_throttled,
            datagrams_routed: self.datagrams_routed + o.datagrams_routed,
            dropped_inbox_full: self.dropped_inbox_full + o.dropped_inbox_full,
        }
    }
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
    datagrams_routed: AtomicU64,
    dropped_inbox_full: AtomicU64,
    busy_nanos: AtomicU64,
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

    pub fn routed(&self) {
        self.datagrams_routed.fetch_add(1, Relaxed);
    }

    pub fn inbox_full(&self) {
        self.dropped_inbox_full.fetch_add(1, Relaxed);
    }

    pub fn busy(&self, d: Duration) {
        self.busy_nanos.fetch_add(d.as_nanos() as u64, Relaxed);
    }

    pub fn busy_time(&self) -> Duration {
        Duration::from_nanos(self.busy_nanos.load(Relaxed))
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
            datagrams_routed: self.datagrams_routed.load(Relaxed),
            dropped_inbox_full: self.dropped_inbox_full.load(Relaxed),
        }
    }
}
