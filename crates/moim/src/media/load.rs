//! A node's SFU load between two heartbeats, for its record in the cluster's
//! registry (issue 20): the media it forwarded (bit/s) and the time its SFU
//! workers were busy (thousandths of a core). Sessions and meetings are
//! counts; these two are rates, so each reading is against the one before.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use moim_sfu::driver::WorkerLoad;

/// The SFU's load over the last interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Load {
    /// Bits per second the SFU sent (forwarded media, mostly).
    pub bitrate: u64,
    /// Thousandths of a core the SFU's workers were busy (1000 = one core).
    pub cpu_permille: u64,
}

#[derive(Debug, Clone, Copy)]
struct Sample {
    at: Instant,
    bytes_out: u64,
    busy: Duration,
}

/// Turns the workers' counters into rates, reading after reading.
#[derive(Debug, Default)]
pub struct LoadMeter {
    last: Mutex<Option<Sample>>,
}

impl LoadMeter {
    /// The load since the last reading (nothing at the first).
    pub fn read(&self, workers: &[WorkerLoad]) -> Load {
        self.read_at(Instant::now(), workers)
    }

    fn read_at(&self, at: Instant, workers: &[WorkerLoad]) -> Load {
        let now = Sample {
            at,
            bytes_out: workers.iter().map(|w| w.traffic.bytes_out).sum(),
            busy: workers.iter().map(|w| w.busy).sum(),
        };
        let before = self
            .last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .replace(now);
        let Some(before) = before else {
            return Load::default();
        };
        let secs = now.at.saturating_duration_since(before.at).as_secs_f64();
        if secs <= 0.0 {
            return Load::default();
        }
        let bytes = now.bytes_out.saturating_sub(before.bytes_out) as f64;
        let busy = now.busy.saturating_sub(before.busy).as_secs_f64();
        Load {
            bitrate: (bytes * 8.0 / secs) as u64,
            cpu_permille: (busy * 1000.0 / secs) as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(bytes_out: u64, busy_ms: u64) -> WorkerLoad {
        let mut w = WorkerLoad::default();
        w.traffic.bytes_out = bytes_out;
        w.busy = Duration::from_millis(busy_ms);
        w
    }

    #[test]
    fn rates_are_over_the_interval_summed_over_workers() {
        let meter = LoadMeter::default();
        let t0 = Instant::now();
        assert_eq!(
            meter.read_at(t0, &[worker(1_000, 100), worker(0, 0)]),
            Load::default(),
            "nothing to compare the first reading with"
        );
        // 2 s later: 500 kB more out (2 Mbit/s), 1.5 s busier (0.75 core).
        let load = meter.read_at(
            t0 + Duration::from_secs(2),
            &[worker(301_000, 1_100), worker(200_000, 500)],
        );
        assert_eq!(
            load,
            Load {
                bitrate: 2_000_000,
                cpu_permille: 750
            }
        );
    }
}
