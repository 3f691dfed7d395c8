//! A per-socket token bucket.
//!
//! Time is an argument rather than read inside, so the arithmetic is tested
//! without sleeping. Each socket owns one bucket behind its own mutex; there is
//! no shared counter on the hot path.

use std::time::{Duration, Instant};

/// How many events a socket may send: `per_second` sustained, `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Tokens added per second.
    pub per_second: f64,
    /// Bucket capacity.
    pub burst: f64,
}

impl RateLimit {
    /// The same limit, `factor` times larger.
    pub fn scaled(self, factor: f64) -> Self {
        RateLimit {
            per_second: self.per_second * factor,
            burst: self.burst * factor,
        }
    }
}

/// A token bucket for one socket.
#[derive(Debug)]
pub struct TokenBucket {
    limit: RateLimit,
    tokens: f64,
    updated: Instant,
    last_notice: Option<Instant>,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(limit: RateLimit, now: Instant) -> Self {
        Self {
            limit,
            tokens: limit.burst,
            updated: now,
            last_notice: None,
        }
    }

    /// Takes one token if there is one. `false` means the event must be refused.
    pub fn try_take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.limit.per_second).min(self.limit.burst);
        self.updated = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Whether the bucket would be full at `now`: its owner has been quiet for
    /// long enough that forgetting it changes nothing.
    pub fn is_full(&self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens + elapsed * self.limit.per_second >= self.limit.burst
    }

    /// Whether a refused event without an ack should be told so.
    ///
    /// A flood is answered with at most one `rate_limited` notice per second,
    /// so refusing does not cost as much as delivering would have.
    pub fn should_notify(&mut self, now: Instant) -> bool {
        match self.last_notice {
            Some(last) if now.saturating_duration_since(last) < Duration::from_secs(1) => false,
            _ => {
                self.last_notice = Some(now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: RateLimit = RateLimit {
        per_second: 10.0,
        burst: 5.0,
    };

    #[test]
    fn allows_a_burst_then_refuses() {
        let t0 = Instant::now();
        let mut bucket = TokenBucket::new(LIMIT, t0);
        for _ in 0..5 {
            assert!(bucket.try_take(t0));
        }
        assert!(!bucket.try_take(t0));
    }

    #[test]
    fn refills_at_the_sustained_rate() {
        let t0 = Instant::now();
        let mut bucket = TokenBucket::new(LIMIT, t0);
        while bucket.try_take(t0) {}
        let later = t0 + Duration::from_millis(250);
        let taken = (0..10).filter(|_| bucket.try_take(later)).count();
        assert_eq!(taken, 2, "a quarter second at 10/s gives 2.5 tokens");
        let much_later = t0 + Duration::from_secs(60);
        let taken = (0..10).filter(|_| bucket.try_take(much_later)).count();
        assert_eq!(taken, 5, "never more than the burst");
    }

    #[test]
    fn notices_are_throttled_to_one_per_second() {
        let t0 = Instant::now();
        let mut bucket = TokenBucket::new(LIMIT, t0);
        assert!(bucket.should_notify(t0));
        assert!(!bucket.should_notify(t0 + Duration::from_millis(500)));
        assert!(bucket.should_notify(t0 + Duration::from_millis(1000)));
    }
}
