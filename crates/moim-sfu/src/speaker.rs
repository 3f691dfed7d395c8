//! The active speaker of a room, from the audio level each sender stamps on its
//! packets (RFC 6464: 0 dBov loudest … -127 silence).
//!
//! Levels are smoothed per person so a cough does not steal the spotlight; a new
//! speaker is announced only when someone else has been loudest, above the silence
//! floor, for a whole decision window.
//!
//! The level a sender stamps is not proof that the room hears it: a browser may
//! stamp the captured level on the packets of a muted (disabled) microphone, and
//! someone whose packets stop keeps their last level. So people whose signaling
//! state says muted, and people not heard for [`STALE`], never take the spotlight.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// How often the loudest person is re-decided.
pub const WINDOW: Duration = Duration::from_millis(500);
/// Quieter than this (dBov) counts as silence.
const FLOOR_DBOV: f32 = -50.0;
/// A level not refreshed for this long counts as silence (the sender stopped).
pub const STALE: Duration = Duration::from_secs(1);
/// The level of silence, where everyone starts.
const SILENCE: f32 = -127.0;

/// One person's smoothed level and when their last packet came.
#[derive(Debug, Clone, Copy)]
struct Level {
    dbov: f32,
    heard: Instant,
}

/// Smoothed levels of one room and who was announced last.
#[derive(Debug)]
pub struct SpeakerDetector<P> {
    levels: HashMap<P, Level>,
    muted: HashSet<P>,
    announced: Option<P>,
    next_decision: Option<Instant>,
}

impl<P> Default for SpeakerDetector<P> {
    fn default() -> Self {
        Self {
            levels: HashMap::new(),
            muted: HashSet::new(),
            announced: None,
            next_decision: None,
        }
    }
}

impl<P: Copy + Eq + std::hash::Hash> SpeakerDetector<P> {
    /// One audio packet's level (negative dBov, as str0m reports it), heard at `now`.
    pub fn on_level(&mut self, now: Instant, peer: P, dbov: i8) {
        if self.muted.contains(&peer) {
            return;
        }
        let level = self.levels.entry(peer).or_insert(Level {
            dbov: SILENCE,
            heard: now,
        });
        level.dbov = level.dbov * 0.8 + f32::from(dbov) * 0.2;
        level.heard = now;
    }

    /// The person muted (or unmuted) their microphone. A muted person's level is
    /// dropped and further packets are ignored until they unmute.
    pub fn set_muted(&mut self, peer: P, muted: bool) {
        if muted {
            self.muted.insert(peer);
            self.levels.remove(&peer);
        } else {
            self.muted.remove(&peer);
        }
    }

    /// Forget someone who left.
    pub fn remove(&mut self, peer: P) {
        self.levels.remove(&peer);
        self.muted.remove(&peer);
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
            .filter(|(_, l)| now.saturating_duration_since(l.heard) < STALE)
            .map(|(p, l)| (*p, l.dbov))
            .max_by(|a, b| a.1.total_cmp(&b.1))?;
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
            d.on_level(t0, 1u8, -20);
            d.on_level(t0, 2u8, -90);
        }
        assert_eq!(d.decide(t0), Some(1));
        // Same speaker: nothing new; inside the window: no decision at all.
        assert_eq!(d.decide(t0 + WINDOW), None);
        for _ in 0..30 {
            d.on_level(t0 + WINDOW, 1, -100);
            d.on_level(t0 + WINDOW, 2, -10);
        }
        assert_eq!(d.decide(t0 + WINDOW + Duration::from_millis(1)), None);
        assert_eq!(d.decide(t0 + WINDOW * 2), Some(2));
    }

    #[test]
    fn a_silent_room_has_no_speaker() {
        let now = Instant::now();
        let mut d = SpeakerDetector::default();
        for _ in 0..30 {
            d.on_level(now, 1u8, -127);
        }
        assert_eq!(d.decide(now), None);
    }

    /// Chromium may stamp a disabled microphone's packets with the captured
    /// level: the muted person is exactly as loud as the one talking.
    #[test]
    fn a_muted_person_is_never_announced_however_loud_their_packets_say_they_are() {
        let t0 = Instant::now();
        let mut d = SpeakerDetector::default();
        d.set_muted(2u8, true);
        for _ in 0..30 {
            d.on_level(t0, 1u8, -40);
            d.on_level(t0, 2u8, -5);
        }
        assert_eq!(d.decide(t0), Some(1));
        // Unmuted, and louder: now they are the speaker.
        d.set_muted(2, false);
        for _ in 0..30 {
            d.on_level(t0 + WINDOW, 1, -40);
            d.on_level(t0 + WINDOW, 2, -5);
        }
        assert_eq!(d.decide(t0 + WINDOW), Some(2));
        // Muting mid-speech hands the spotlight back to whoever still talks.
        d.set_muted(2, true);
        for _ in 0..5 {
            d.on_level(t0 + WINDOW * 2, 1, -40);
            d.on_level(t0 + WINDOW * 2, 2, -5);
        }
        assert_eq!(d.decide(t0 + WINDOW * 2), Some(1));
    }

    #[test]
    fn someone_whose_packets_stopped_loses_the_spotlight_to_one_still_talking() {
        let t0 = Instant::now();
        let mut d = SpeakerDetector::default();
        for _ in 0..30 {
            d.on_level(t0, 1u8, -10);
            d.on_level(t0, 2u8, -45);
        }
        assert_eq!(d.decide(t0), Some(1));
        // 1's packets stop (their network went); 2 goes on, quieter.
        let later = t0 + STALE + WINDOW;
        d.on_level(later, 2, -45);
        assert_eq!(d.decide(later), Some(2));
    }
}
