//! Gauges read at scrape time from what already keeps count: sockets by
//! namespace and transport (the socket registry), rooms and participants by
//! namespace (this node's rooms), uptime and version.

use std::sync::Arc;
use std::time::Instant;

use super::Registry;
use super::encode::Kind;
use crate::admin::SocketRegistry;
use crate::namespace::Namespace;
use crate::rooms::Rooms;

/// Registers the gauges on `registry`.
pub fn register(
    registry: &Registry,
    sockets: Arc<SocketRegistry>,
    rooms: Vec<(Namespace, Arc<Rooms>)>,
    started: Instant,
) {
    registry.register_fn(move |out| {
        out.family(
            "moim_sockets",
            "Connected Socket.IO sockets, by namespace and transport.",
            Kind::Gauge,
        );
        for ((namespace, transport), count) in sockets.counts() {
            out.sample(
                "moim_sockets",
                &[("namespace", namespace), ("transport", transport)],
                count as f64,
            );
        }
    });
    registry.register_fn(move |out| {
        let summaries: Vec<_> = rooms
            .iter()
            .map(|(ns, r)| (ns.path(), r.summary()))
            .collect();
        out.family(
            "moim_rooms",
            "Rooms with at least one participant, by namespace.",
            Kind::Gauge,
        );
        for (namespace, summary) in &summaries {
            out.sample(
                "moim_rooms",
                &[("namespace", namespace)],
                summary.len() as f64,
            );
        }
        out.family(
            "moim_participants",
            "Participants in rooms, by namespace.",
            Kind::Gauge,
        );
        for (namespace, summary) in &summaries {
            let count: usize = summary.iter().map(|r| r.count).sum();
            out.sample(
                "moim_participants",
                &[("namespace", namespace)],
                count as f64,
            );
        }
    });
    registry.register_fn(move |out| {
        out.family(
            "moim_uptime_seconds",
            "Seconds since the server started.",
            Kind::Gauge,
        );
        out.sample("moim_uptime_seconds", &[], started.elapsed().as_secs_f64());
        out.family(
            "moim_build_info",
            "The running version (always 1).",
            Kind::Gauge,
        );
        out.sample(
            "moim_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))],
            1.0,
        );
    });
}
