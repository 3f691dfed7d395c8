//! Percentiles of latency samples.

use std::time::Duration;

/// The `p`-th percentile (0–100) of `samples` in milliseconds, nearest rank;
/// `None` when there are no samples.
pub fn percentile_ms(samples: &mut [Duration], p: f64) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    samples.sort_unstable();
    let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
    let i = rank.clamp(1, samples.len()) - 1;
    Some(samples[i].as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let mut s: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile_ms(&mut s, 50.0), Some(50.0));
        assert_eq!(percentile_ms(&mut s, 99.0), Some(99.0));
        assert_eq!(percentile_ms(&mut [], 50.0), None);
    }
}
