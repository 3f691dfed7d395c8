//! The SFU's families on `/metrics`, read at scrape time: sessions from the
//! bridge, datagram and byte totals, drops and keyframe requests from the
//! media task's counters (which a scrape reads without waiting on the task).

use std::sync::Arc;

use super::MediaBridge;
use crate::metrics::Registry;
use crate::metrics::encode::Kind;

/// Registers the SFU's families (only when the SFU runs).
pub fn register(registry: &Registry, bridge: Arc<MediaBridge>) {
    registry.register_fn(move |out| {
        let traffic = bridge.traffic();
        out.family(
            "moim_sfu_sessions",
            "Participants with a connection to this node's SFU.",
            Kind::Gauge,
        );
        out.sample("moim_sfu_sessions", &[], bridge.sessions() as f64);
        let directions = [
            ("in", traffic.datagrams_in, traffic.bytes_in),
            ("out", traffic.datagrams_out, traffic.bytes_out),
        ];
        // Each family's samples right after its header, as the format wants.
        out.family(
            "moim_sfu_datagrams_total",
            "UDP datagrams on the SFU's media port, by direction.",
            Kind::Counter,
        );
        for (direction, datagrams, _) in directions {
            let labels = [("direction", direction)];
            out.sample("moim_sfu_datagrams_total", &labels, datagrams as f64);
        }
        out.family(
            "moim_sfu_bytes_total",
            "UDP payload bytes on the SFU's media port, by direction.",
            Kind::Counter,
        );
        for (direction, _, bytes) in directions {
            let labels = [("direction", direction)];
            out.sample("moim_sfu_bytes_total", &labels, bytes as f64);
        }
        out.family(
            "moim_sfu_dropped_total",
            "Datagrams the SFU dropped: not WebRTC at all, or from an address no session accepts.",
            Kind::Counter,
        );
        for (reason, count) in [
            ("not_webrtc", traffic.dropped_not_webrtc),
            ("unknown_source", traffic.dropped_unknown_source),
        ] {
            out.sample(
                "moim_sfu_dropped_total",
                &[("reason", reason)],
                count as f64,
            );
        }
        out.family(
            "moim_sfu_keyframe_requests_total",
            "Keyframe requests towards senders: sent, or folded into one sent shortly before.",
            Kind::Counter,
        );
        for (outcome, count) in [
            ("sent", traffic.keyframe_requests_sent),
            ("throttled", traffic.keyframe_requests_throttled),
        ] {
            out.sample(
                "moim_sfu_keyframe_requests_total",
                &[("outcome", outcome)],
                count as f64,
            );
        }
    });
}
