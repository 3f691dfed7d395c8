//! The metrics moim records as it works. Gauges of things that keep their own
//! count (sockets, rooms, participants) are read at scrape time instead, see
//! [`super::gauges`].

use std::sync::Arc;
use std::time::Duration;

use super::{CounterVec, HistogramVec, Registry};
use crate::error::Refusal;
use crate::namespace::{ADMIN, Namespace};

/// Join latency buckets, in seconds: a join is a few hash-map steps and one
/// broadcast, so most land well under a millisecond on a quiet server.
const JOIN_BOUNDS: &[f64] = &[
    0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
];

/// The registry and the metrics moim updates directly.
#[derive(Debug)]
pub struct Metrics {
    /// Every metric; register new ones here.
    pub registry: Registry,
    relayed: Arc<CounterVec<2>>,
    refused: Arc<CounterVec<2>>,
    join_latency: Arc<HistogramVec<1>>,
    joins: Arc<CounterVec<1>>,
}

impl Default for Metrics {
    fn default() -> Self {
        let registry = Registry::default();
        let relayed = registry.register(CounterVec::new(
            "moim_messages_relayed_total",
            "Messages relayed to others (chat and WebRTC signaling), by namespace and event.",
            ["namespace", "event"],
        ));
        let refused = registry.register(CounterVec::new(
            "moim_messages_refused_total",
            "Client events refused, by namespace and refusal code.",
            ["namespace", "reason"],
        ));
        let join_latency = registry.register(HistogramVec::new(
            "moim_join_duration_seconds",
            "Time from a join request's arrival to its answer, by namespace.",
            ["namespace"],
            JOIN_BOUNDS,
        ));
        let joins = registry.register(CounterVec::new(
            "moim_joins_total",
            "Joins answered (accepted), by namespace.",
            ["namespace"],
        ));
        Self {
            registry,
            relayed,
            refused,
            join_latency,
            joins,
        }
    }
}

impl Metrics {
    /// One message relayed on `namespace` (`/`, `/moim`, `/ws`).
    pub fn relayed(&self, namespace: &str, event: &'static str) {
        self.relayed.inc([namespace_label(namespace), event]);
    }

    /// One event refused.
    pub fn refused(&self, namespace: &str, refusal: Refusal) {
        self.refused
            .inc([namespace_label(namespace), refusal.code()]);
    }

    /// One join answered after `took`.
    pub fn joined(&self, namespace: &str, took: Duration) {
        let namespace = namespace_label(namespace);
        self.join_latency.observe([namespace], took.as_secs_f64());
        self.joins.inc([namespace]);
    }

    /// The relayed count of one series (for tests).
    pub fn relayed_count(&self, namespace: &str, event: &'static str) -> u64 {
        self.relayed.get([namespace_label(namespace), event])
    }
}

/// moim's namespaces as static label values; anything else is `other`, so no
/// client can create series.
pub fn namespace_label(namespace: &str) -> &'static str {
    if let Some(ns) = Namespace::from_path(namespace) {
        return ns.path();
    }
    match namespace {
        ADMIN => ADMIN,
        "/ws" => "/ws",
        _ => "other",
    }
}
