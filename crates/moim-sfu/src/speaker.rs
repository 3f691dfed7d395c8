//! The active speaker of a room, from the audio level each sender stamps on its
//! packets (RFC 6464: 0 dBov loudest … -127 silence).
//!
//! Levels are smoothed per person so a cough does not steal the spotlight; a new
//! speaker is announced only when someone else has been loudest, above the silence
//! floor, for a whole decision window.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How often the loudest person is re-decided.
pub const WINDOW: Duration = Duration::from_millis(500);
/// Quieter than this (dBov) counts as silence.
const FLOOR_DBOV: f32 = -50.0;

/// Smoothed levels of one room and who was announced last.
#[derive(Debug)]
pub struct SpeakerDetector<P> {
    levels: HashMap<P, f32>,
    announced: Option<P>,
    next_decision: Option<Instant>,
}

impl<P> Default for SpeakerDetector<P> {
    fn default() -> Self {
        Self {
            levels: HashMap::new(),
            announced: None,
            next_decision: None,
        }
    }
}

impl<P: Copy + Eq + std::hash::Hash> SpeakerDetector<P> {
    /// One audio packet's level (negative dBov, as str0m reports it).
    pub fn on_level(&mut self, peer: P, dbov: i8) {
        let level = self.levels.entry(peer).or_insert(-127.0);
        *level = *level * 0.8 + f32::from(dbov) * 0.2;
    }

    /// Forget someone who left.
    pub fn remove(&mut self, peer: P) {
        self.levels.remove(&peer);
        if self.announced == Some(peer) {
            self.announced = None;
        }
    }

    /// At most once per [`WINDOW`]: the new active speaker, if it changed.
    pub fn decide(&mut self, now: Instant) -> Option<P> {
        match self.next_decision {
            Some(at) if now < at => return None,
            _ => self.next_decision = Some(now + WINDOW),
        }
        let (peer, level) = self
            .levels
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(p, l)| (*p, *l))?;
        if level < FLOOR_DBOV || self.announced == Some(peer) {
            return None;
        }
        self.announced = Some(peer);
        Some(peer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loudest_person_above_silence_is_announced_once() {
        let t0 = Instant::now();
        let mut d = SpeakerDetector::default();
        for _ in 0..30 {
            d.on_level(1u8, -20);
            d.on_level(2u8, -90);
        }
        assert_eq!(d.decide(t0), Some(1));
        // Same speaker: nothing new; inside the window: no decision at all.
        assert_eq!(d.decide(t0 + WINDOW), None);
        for _ in 0..30 {
            d.on_level(1, -100);
            d.on_level(2, -10);
        }
        assert_eq!(d.decide(t0 + WINDOW + Duration::from_millis(1)), None);
        assert_eq!(d.decide(t0 + WINDOW * 2), Some(2));
    }

    #[test]
    fn a_silent_room_has_no_speaker() {
        let mut d = SpeakerDetector::default();
        for _ in 0..30 {
            d.on_level(1u8, -127);
        }
        assert_eq!(d.decide(Instant::now()), None);
    }
}
