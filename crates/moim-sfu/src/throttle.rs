//! Keyframe requests (PLI/FIR) towards a sender, at most one per interval.
//!
//! Every receiver that joins, loses packets or switches layer asks for a keyframe;
//! with fifty receivers that would make the sender encode keyframes back to back and
//! blow its bitrate. One request per interval per (sender track, layer) is enough:
//! the keyframe that answers it goes to every receiver.

use std::time::{Duration, Instant};

/// The shortest gap between two requests forwarded for the same layer. Short enough
/// that a late joiner still sees video within a second.
pub const KEYFRAME_INTERVAL: Duration = Duration::from_millis(300);

/// When the last request went out.
#[derive(Debug, Clone, Default)]
pub struct KeyframeThrottle {
    last: Option<Instant>,
}

impl KeyframeThrottle {
    /// Whether a request may go out now, without taking the slot (for a request
    /// that may still fail, e.g. before the sender's first packet of a layer).
    pub fn ready(&self, now: Instant, interval: Duration) -> bool {
        self.last
            .is_none_or(|last| now.saturating_duration_since(last) >= interval)
    }

    /// A request went out at `now`.
    pub fn mark(&mut self, now: Instant) {
        self.last = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_within_the_interval_are_folded_into_one() {
        let t0 = Instant::now();
        let mut t = KeyframeThrottle::default();
        assert!(t.ready(t0, KEYFRAME_INTERVAL));
        // Not taken until marked: a request that failed does not use the slot.
        assert!(t.ready(t0 + Duration::from_millis(1), KEYFRAME_INTERVAL));
        t.mark(t0);
        for ms in [1, 50, 150, 299] {
            assert!(
                !t.ready(t0 + Duration::from_millis(ms), KEYFRAME_INTERVAL),
                "{ms} ms"
            );
        }
        assert!(t.ready(t0 + KEYFRAME_INTERVAL, KEYFRAME_INTERVAL));
    }
}
