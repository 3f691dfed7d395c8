//! The SFU's families on `/metrics`, read at scrape time: sessions from the
//! bridge, datagram and byte totals, drops and keyframe requests from the
//! workers' counters (which a scrape reads without waiting on a worker), and
//! each worker's sessions, meetings, forwarded bytes and busy time.

use std::sync::Arc;

use moim_sfu::driver::WorkerLoad;

use super::MediaRoute;
use crate::metrics::Registry;
use crate::metrics::encode::{Encoder, Kind};

/// Registers the SFU's families (only when the SFU runs).
pub fn register(registry: &Registry, route: Arc<MediaRoute>) {
    registry.register_fn(move |out| {
        let bridge = route.bridge();
        let t = bridge.traffic();
        out.family(
            "moim_sfu_sessions",
            "Participants with a connection to this node's SFU.",
            Kind::Gauge,
        );
        out.sample("moim_sfu_sessions", &[], bridge.sessions() as f64);
        out.family(
            "moim_sfu_meetings",
            "Meetings whose media this node hosts (in a cluster: whose lease it holds).",
            Kind::Gauge,
        );
        out.sample("moim_sfu_meetings", &[], route.hosted_meetings() as f64);
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
                ("worker_inbox_full", t.dropped_inbox_full),
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
        workers(out, &bridge.workers());
    });
}

/// A per-worker family: name, help, kind, and its value for one worker.
type WorkerFamily = (&'static str, &'static str, Kind, fn(&WorkerLoad) -> f64);

/// Per-worker families, labelled `worker="<n>"`.
fn workers(out: &mut Encoder, loads: &[WorkerLoad]) {
    let families: [WorkerFamily; 5] = [
        (
            "moim_sfu_worker_sessions",
            "Participants whose meeting this SFU worker hosts.",
            Kind::Gauge,
            |l| l.sessions as f64,
        ),
        (
            "moim_sfu_worker_meetings",
            "Meetings this SFU worker hosts.",
            Kind::Gauge,
            |l| l.meetings as f64,
        ),
        (
            "moim_sfu_worker_bytes_out_total",
            "UDP payload bytes this SFU worker sent (forwarded media, mostly).",
            Kind::Counter,
            |l| l.traffic.bytes_out as f64,
        ),
        (
            "moim_sfu_worker_busy_seconds_total",
            "Time this SFU worker spent working rather than waiting.",
            Kind::Counter,
            |l| l.busy.as_secs_f64(),
        ),
        (
            "moim_sfu_worker_routed_total",
            "Datagrams this SFU worker read for another worker's meeting and passed on.",
            Kind::Counter,
            |l| l.traffic.datagrams_routed as f64,
        ),
    ];
    for (name, help, kind, value) in families {
        out.family(name, help, kind);
        for (i, l) in loads.iter().enumerate() {
            out.sample(name, &[("worker", &i.to_string())], value(l));
        }
    }
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
