//! Prometheus metrics: a small registry, its text encoder, and moim's own set.
//!
//! Layout:
//! - this file: [`Registry`] and the [`Collect`] trait every metric implements;
//! - [`family`]: counters and histograms, plain or with labels;
//! - [`encode`]: the Prometheus text exposition format (0.0.4), hand-written;
//! - [`moim`]: the metrics moim records (messages, refusals, join latency);
//! - [`gauges`]: sockets, rooms, participants and uptime, read at scrape time;
//! - [`serve`]: the separate `--metrics-addr` listener.
//!
//! Adding a metric elsewhere (the SFU, TURN, the store) is one call:
//! `hub.metrics.registry.register(Counter::new("moim_turn_allocations_total", "…"))`
//! keeps the returned `Arc` to update it; or [`Registry::register_fn`] for values
//! read at scrape time (gauges of things that already keep their own count).

pub mod encode;
pub mod family;
pub mod gauges;
pub mod moim;
pub mod serve;

use std::sync::{Arc, Mutex};

pub use encode::Encoder;
pub use family::{Counter, CounterVec, Histogram, HistogramVec};

/// Anything that can write its samples into a scrape.
pub trait Collect: Send + Sync {
    /// Writes this metric's `# HELP`, `# TYPE` and sample lines.
    fn collect(&self, out: &mut Encoder);
}

/// A closure registered with [`Registry::register_fn`].
struct FnCollector<F>(F);

impl<F: Fn(&mut Encoder) + Send + Sync> Collect for FnCollector<F> {
    fn collect(&self, out: &mut Encoder) {
        (self.0)(out)
    }
}

/// Every metric of the process, in registration order.
#[derive(Default)]
pub struct Registry {
    metrics: Mutex<Vec<Arc<dyn Collect>>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").finish_non_exhaustive()
    }
}

impl Registry {
    /// Adds `metric` to every later scrape and hands it back for updating.
    pub fn register<C: Collect + 'static>(&self, metric: C) -> Arc<C> {
        let metric = Arc::new(metric);
        self.lock().push(metric.clone());
        metric
    }

    /// Adds a collector that reads its values at scrape time.
    pub fn register_fn(&self, collect: impl Fn(&mut Encoder) + Send + Sync + 'static) {
        self.lock().push(Arc::new(FnCollector(collect)));
    }

    /// The whole scrape, in the text exposition format.
    pub fn render(&self) -> String {
        let metrics = self.lock().clone();
        let mut out = Encoder::default();
        for metric in metrics {
            metric.collect(&mut out);
        }
        out.finish()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<dyn Collect>>> {
        // The vector is only pushed to, so a poisoned lock still holds a valid one.
        self.metrics.lock().unwrap_or_else(|e| e.into_inner())
    }
}
