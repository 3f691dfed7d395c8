//! [`NonceLedger`]: every nonce the `turn` crate's server holds, so that the
//! guard, not the server, answers unauthenticated requests.
//!
//! The crate keeps one map entry per nonce it issues (one per 401 or 438)
//! and drops an entry only when that nonce is presented after its hour
//! (`NONCE_LIFETIME`, 3600 s in turn 0.17). Left alone, a request without
//! credentials costs the server memory forever. So the guard answers such
//! requests itself with a nonce from this ledger, and asks the server for a
//! new one only when the newest is older than [`FRESH_FOR`]: it hands the
//! server a request of its own, from an address no client has, and keeps the
//! nonce from the answer. If an old nonce is past the server's hour by then,
//! that request carries it, so the server drops the old one as it makes the
//! new one.
//!
//! Bound: a new nonce is made only when none is younger than [`FRESH_FOR`],
//! and nonces older than [`RECYCLE_AFTER`] are traded in rather than added
//! to. So every two live entries are at least 30 minutes apart and younger
//! than 61 minutes: the server's map holds at most 3 nonces (plus one per
//! extra listening socket making one at the same instant), however many
//! requests arrive. It held one per unauthenticated request before.

use std::time::{Duration, Instant};

/// Nonces are handed to clients while younger than this.
pub const FRESH_FOR: Duration = Duration::from_secs(30 * 60);
/// Requests carrying a ledger nonce younger than this reach the server; the
/// crate's lifetime is one hour, and this stays a minute short of it.
pub const ACCEPT_FOR: Duration = Duration::from_secs(59 * 60);
/// Older than this, the server has expired a nonce: presenting it removes it.
pub const RECYCLE_AFTER: Duration = Duration::from_secs(61 * 60);
/// A ceiling the bound above never reaches; only a bug in it would.
const MAX_ENTRIES: usize = 64;

/// What to ask the server for when no nonce is fresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mint {
    /// A request without credentials: the server adds a nonce (401).
    Fresh,
    /// A request carrying this expired nonce: the server removes it and adds
    /// a new one (438).
    Recycle(String),
}

/// The nonces the server holds, with when the guard first saw each.
#[derive(Debug, Default)]
pub struct NonceLedger {
    entries: Vec<(String, Instant)>,
}

impl NonceLedger {
    /// Keeps `nonce`, seen in a server answer at `now`.
    pub fn harvest(&mut self, nonce: &str, now: Instant) {
        if self.entries.iter().any(|(known, _)| known == nonce) {
            return;
        }
        if self.entries.len() >= MAX_ENTRIES {
            tracing::warn!("TURN nonce ledger full; a server nonce is not tracked");
            return;
        }
        self.entries.push((nonce.to_owned(), now));
    }

    /// The nonce to give a client now, if one is fresh.
    pub fn current(&self, now: Instant) -> Option<&str> {
        self.entries
            .iter()
            .filter(|(_, born)| now.saturating_duration_since(*born) < FRESH_FOR)
            .max_by_key(|(_, born)| *born)
            .map(|(nonce, _)| nonce.as_str())
    }

    /// Whether a request carrying `nonce` may reach the server.
    pub fn accepts(&self, nonce: &str, now: Instant) -> bool {
        self.entries.iter().any(|(known, born)| {
            known == nonce && now.saturating_duration_since(*born) < ACCEPT_FOR
        })
    }

    /// How to get a fresh nonce from the server: trading in the oldest
    /// expired one (forgotten here, as the server will forget it) if any.
    pub fn mint(&mut self, now: Instant) -> Mint {
        let oldest = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, (_, born))| now.saturating_duration_since(*born) >= RECYCLE_AFTER)
            .min_by_key(|(_, (_, born))| *born)
            .map(|(at, _)| at);
        match oldest {
            Some(at) => Mint::Recycle(self.entries.swap_remove(at).0),
            None => Mint::Fresh,
        }
    }

    /// How many nonces the server holds, as far as the guard knows.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_harvested_nonce_is_current_then_accepted_then_traded_in() {
        let t0 = Instant::now();
        let mut ledger = NonceLedger::default();
        assert_eq!(ledger.current(t0), None);
        assert_eq!(ledger.mint(t0), Mint::Fresh);
        ledger.harvest("a", t0);
        ledger.harvest("a", t0);
        assert_eq!(ledger.len(), 1);
        assert_eq!(ledger.current(t0 + 29 * MINUTE), Some("a"));
        assert_eq!(
            ledger.current(t0 + 30 * MINUTE),
            None,
            "too old to hand out"
        );
        assert!(ledger.accepts("a", t0 + 58 * MINUTE));
        assert!(
            !ledger.accepts("a", t0 + 59 * MINUTE),
            "the server is about to expire it"
        );
        assert!(!ledger.accepts("b", t0));
        assert_eq!(
            ledger.mint(t0 + 60 * MINUTE),
            Mint::Fresh,
            "the server still holds it"
        );
        assert_eq!(ledger.mint(t0 + 61 * MINUTE), Mint::Recycle("a".into()));
        assert!(ledger.is_empty());
    }

    /// Whatever the traffic, the ledger (the server's nonce map) stays at 3:
    /// a request every second for two days, and idle gaps of hours.
    #[test]
    fn the_ledger_stays_bounded_under_any_demand() {
        let t0 = Instant::now();
        let mut ledger = NonceLedger::default();
        let mut most = 0;
        let mut minted = 0u32;
        let mut at = |second: u64, ledger: &mut NonceLedger| {
            let now = t0 + Duration::from_secs(second);
            if ledger.current(now).is_none() {
                // What the guard does: ask the server, keep its answer.
                let _ = ledger.mint(now);
                minted += 1;
                ledger.harvest(&format!("n{second}"), now);
            }
            assert!(ledger.current(now).is_some());
        };
        for second in 0..2 * 86_400 {
            at(second, &mut ledger);
            most = most.max(ledger.len());
        }
        for hour in 48..96u64 {
            at(hour * 3600 + 7 * 60 * (hour % 5), &mut ledger);
            most = most.max(ledger.len());
        }
        assert!(most <= 3, "at most 3 nonces held, saw {most}");
        assert!(
            minted >= 96,
            "nonces were renewed every half hour ({minted})"
        );
    }
}
