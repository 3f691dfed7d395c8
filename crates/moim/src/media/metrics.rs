//! The SFU's families on `/metrics`, read at scrape time: sessions from the
//! bridge, datagram and byte totals, drops and keyframe requests from the
//! media task's counters (which a scrape reads without waiting on the task).

use std::sync::Arc;

use super::MediaBridge;
use crate::metrics::Registry;
use crate::metrics::encode::{Encoder, Kind};

/// Registers the SFU's families (only when the SFU runs).
pub fn register(registry: &Registry, bridge: Arc<MediaBridge>) {
    registry.register_fn(move |out| {
        let t = bridge.traffic();
        out.family(
            "moim_sfu_sessions",
            "Participants with a connection to this node's SFU.",
            Kind::Gauge,
        );
        out.sample("moim_sfu_sessions", &[], bridge.sessions() as f64);
        counter(
            out,
            ("moim_sfu_datagrams_total", "UDP datagrams on the SFU's media port, by direction."),
            "direction",
            [("in", t.datagrams_in), ("out", t.datagrams_out)],
        );
        counter(
            out,
            ("moim_sfu_bytes_total", "UDP payload bytes on the SFU's media port, by direction."),
            "direction",
            [("in", t.bytes_in), ("out", t.bytes_out)],
        );
        counter(
            out,
            (
                "moim_sfu_dropped_total",
                "Datagrams the SFU dropped: not WebRTC at all, or from an address no session accepts.",
            ),
            "reason",
            [
                ("not_webrtc", t.dropped_not_webrtc),
                ("unknown_source", t.dropped_unknown_source),
            ],
        );
        counter(
            out,
            (
                "moim_sfu_keyframe_requests_total",
                "Keyframe requests towards senders: sent, or folded into one sent shortly before.",
            ),
            "outcome",
            [
                ("sent", t.keyframe_requests_sent),
                ("throttled", t.keyframe_requests_throttled),
            ],
        );
    });
}

/// One counter family with one label, its samples right after its header (as
/// the text format wants).
fn counter<const N: usize>(
    out: &mut Encoder,
    (name, help): (&str, &str),
    label: &str,
    samples: [(&str, u64); N],
) {
    out.family(name, help, Kind::Counter);
    for (value, count) in samples {
        out.sample(name, &[(label, value)], count as f64);
    }
}
