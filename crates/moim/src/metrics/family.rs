//! Counters and histograms, plain or with a fixed set of labels.
//!
//! Label values are `&'static str` (namespaces, event names, refusal codes):
//! they come from a closed set, so a client can never grow the number of
//! series, and updating one is a hash lookup with no allocation.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Collect;
use super::encode::{Encoder, Kind};

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Values are plain numbers updated in one step; a poisoned lock holds valid ones.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A number that only goes up.
#[derive(Debug)]
pub struct Counter {
    name: &'static str,
    help: &'static str,
    value: AtomicU64,
}

impl Counter {
    /// A counter at zero.
    pub fn new(name: &'static str, help: &'static str) -> Self {
        Self {
            name,
            help,
            value: AtomicU64::new(0),
        }
    }

    /// Adds one.
    pub fn inc(&self) {
        self.value.fetch_add(1, Ordering::Relaxed);
    }

    /// The current value.
    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}

impl Collect for Counter {
    fn collect(&self, out: &mut Encoder) {
        out.family(self.name, self.help, Kind::Counter);
        out.sample(self.name, &[], self.get() as f64);
    }
}

/// Counters told apart by `N` labels.
#[derive(Debug)]
pub struct CounterVec<const N: usize> {
    name: &'static str,
    help: &'static str,
    labels: [&'static str; N],
    values: Mutex<HashMap<[&'static str; N], u64>>,
}

impl<const N: usize> CounterVec<N> {
    /// An empty family with these label names.
    pub fn new(name: &'static str, help: &'static str, labels: [&'static str; N]) -> Self {
        Self {
            name,
            help,
            labels,
            values: Mutex::default(),
        }
    }

    /// Adds one to the series with these label values.
    pub fn inc(&self, values: [&'static str; N]) {
        *lock(&self.values).entry(values).or_default() += 1;
    }

    /// The series with these label values (0 when never touched).
    pub fn get(&self, values: [&'static str; N]) -> u64 {
        lock(&self.values).get(&values).copied().unwrap_or_default()
    }
}

impl<const N: usize> Collect for CounterVec<N> {
    fn collect(&self, out: &mut Encoder) {
        let mut series: Vec<_> = lock(&self.values).iter().map(|(k, v)| (*k, *v)).collect();
        series.sort_unstable();
        out.family(self.name, self.help, Kind::Counter);
        for (values, count) in series {
            let labels: Vec<(&str, &str)> = self.labels.iter().copied().zip(values).collect();
            out.sample(self.name, &labels, count as f64);
        }
    }
}

/// Cumulative buckets of observations, with their sum and count.
#[derive(Debug, Clone)]
struct Buckets {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Buckets {
    fn new(bounds: &[f64]) -> Self {
        Self {
            counts: vec![0; bounds.len()],
            sum: 0.0,
            count: 0,
        }
    }

    fn observe(&mut self, bounds: &[f64], value: f64) {
        // Each bucket counts the observations at or below its bound.
        if let Some(first) = bounds.iter().position(|bound| value <= *bound) {
            for count in &mut self.counts[first..] {
                *count += 1;
            }
        }
        self.sum += value;
        self.count += 1;
    }

    fn write(&self, out: &mut Encoder, name: &str, bounds: &[f64], labels: &[(&str, &str)]) {
        let bucket = format!("{name}_bucket");
        for (bound, count) in bounds.iter().zip(&self.counts) {
            let le = bound.to_string();
            let mut with_le = labels.to_vec();
            with_le.push(("le", &le));
            out.sample(&bucket, &with_le, *count as f64);
        }
        let mut inf = labels.to_vec();
        inf.push(("le", "+Inf"));
        out.sample(&bucket, &inf, self.count as f64);
        out.sample(&format!("{name}_sum"), labels, self.sum);
        out.sample(&format!("{name}_count"), labels, self.count as f64);
    }
}

/// A histogram without labels.
#[derive(Debug)]
pub struct Histogram {
    name: &'static str,
    help: &'static str,
    bounds: &'static [f64],
    buckets: Mutex<Buckets>,
}

impl Histogram {
    /// An empty histogram with these upper bounds (ascending; `+Inf` is implied).
    pub fn new(name: &'static str, help: &'static str, bounds: &'static [f64]) -> Self {
        Self {
            name,
            help,
            bounds,
            buckets: Mutex::new(Buckets::new(bounds)),
        }
    }

    /// Records one observation.
    pub fn observe(&self, value: f64) {
        lock(&self.buckets).observe(self.bounds, value);
    }
}

impl Collect for Histogram {
    fn collect(&self, out: &mut Encoder) {
        let buckets = lock(&self.buckets).clone();
        out.family(self.name, self.help, Kind::Histogram);
        buckets.write(out, self.name, self.bounds, &[]);
    }
}

/// Histograms told apart by `N` labels.
#[derive(Debug)]
pub struct HistogramVec<const N: usize> {
    name: &'static str,
    help: &'static str,
    labels: [&'static str; N],
    bounds: &'static [f64],
    series: Mutex<HashMap<[&'static str; N], Buckets>>,
}

impl<const N: usize> HistogramVec<N> {
    /// An empty family with these label names and bucket bounds.
    pub fn new(
        name: &'static str,
        help: &'static str,
        labels: [&'static str; N],
        bounds: &'static [f64],
    ) -> Self {
        Self {
            name,
            help,
            labels,
            bounds,
            series: Mutex::default(),
        }
    }

    /// Records one observation in the series with these label values.
    pub fn observe(&self, values: [&'static str; N], value: f64) {
        lock(&self.series)
            .entry(values)
            .or_insert_with(|| Buckets::new(self.bounds))
            .observe(self.bounds, value);
    }
}

impl<const N: usize> Collect for HistogramVec<N> {
    fn collect(&self, out: &mut Encoder) {
        let mut series: Vec<_> = lock(&self.series)
            .iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        series.sort_unstable_by_key(|(k, _)| *k);
        out.family(self.name, self.help, Kind::Histogram);
        for (values, buckets) in series {
            let labels: Vec<(&str, &str)> = self.labels.iter().copied().zip(values).collect();
            buckets.write(out, self.name, self.bounds, &labels);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Registry;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let registry = Registry::default();
        let h = registry.register(HistogramVec::new(
            "moim_t_seconds",
            "t",
            ["ns"],
            &[0.01, 0.1],
        ));
        h.observe(["/"], 0.005);
        h.observe(["/"], 0.05);
        h.observe(["/"], 5.0);
        let text = registry.render();
        for line in [
            "moim_t_seconds_bucket{ns=\"/\",le=\"0.01\"} 1",
            "moim_t_seconds_bucket{ns=\"/\",le=\"0.1\"} 2",
            "moim_t_seconds_bucket{ns=\"/\",le=\"+Inf\"} 3",
            "moim_t_seconds_count{ns=\"/\"} 3",
            "moim_t_seconds_sum{ns=\"/\"} 5.055",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
        }
    }

    #[test]
    fn counter_vec_keeps_series_apart() {
        let c = CounterVec::new("moim_c_total", "c", ["ns", "code"]);
        c.inc(["/", "room_full"]);
        c.inc(["/", "room_full"]);
        c.inc(["/moim", "room_full"]);
        assert_eq!(c.get(["/", "room_full"]), 2);
        assert_eq!(c.get(["/moim", "room_full"]), 1);
        assert_eq!(c.get(["/", "invalid_name"]), 0);
    }
}
