//! Back-off for admin password logins, per source address.
//!
//! Without it a client could try passwords as fast as bcrypt answers (7–17 a
//! second at cost 10–12) for ever. Each address gets a few free attempts;
//! from then on every attempt opens a waiting time that doubles, up to a cap,
//! and attempts during it are refused before bcrypt runs. An address quiet for
//! longer than the cap is forgotten, and a successful login forgets it at once.
//!
//! An attempt counts as a failure from the moment it starts: a burst of
//! parallel attempts cannot all slip in before the first one fails. IPv6
//! addresses count by their /64, what one host usually holds. The table is
//! bounded: when full, stale entries go, then the longest quiet one.
//!
//! Time is passed in (`now`), so the tests drive the clock.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How the back-off grows.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Attempts an address gets before any waiting.
    pub free: u32,
    /// The first wait; each further attempt doubles it.
    pub base: Duration,
    /// The longest wait.
    pub cap: Duration,
    /// Quiet time after which an address starts afresh (longer than `cap`).
    pub forget_after: Duration,
    /// Most addresses remembered.
    pub max_entries: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            free: 5,
            base: Duration::from_secs(1),
            cap: Duration::from_secs(5 * 60),
            forget_after: Duration::from_secs(15 * 60),
            max_entries: 4096,
        }
    }
}

/// One address's record.
#[derive(Debug, Clone, Copy)]
struct Entry {
    attempts: u32,
    last: Instant,
    /// When the next attempt is allowed.
    open_at: Instant,
}

/// The addresses that tried recently.
#[derive(Debug)]
pub struct Throttle {
    policy: Policy,
    entries: Mutex<HashMap<IpAddr, Entry>>,
}

impl Throttle {
    /// An empty table following `policy`.
    pub fn new(policy: Policy) -> Self {
        Throttle {
            policy,
            entries: Mutex::default(),
        }
    }

    /// How long `peer` must still wait, without counting an attempt: a cheap
    /// refusal before anything else is done.
    pub fn wait_for(&self, peer: IpAddr, now: Instant) -> Option<Duration> {
        let key = key(peer);
        let entries = self.lock();
        let entry = entries.get(&key)?;
        self.waiting(entry, now)
    }

    /// Counts an attempt from `peer` if it may be made now; otherwise how long
    /// it must wait.
    pub fn attempt(&self, peer: IpAddr, now: Instant) -> Result<(), Duration> {
        let key = key(peer);
        let mut entries = self.lock();
        let known = entries
            .get(&key)
            .filter(|e| !self.is_stale(e, now))
            .copied();
        if let Some(wait) = known.and_then(|e| self.waiting(&e, now)) {
            return Err(wait);
        }
        if known.is_none() {
            self.make_room(&mut entries, now);
        }
        let attempts = known.map_or(0, |e| e.attempts).saturating_add(1);
        let open_at = match attempts.checked_sub(self.policy.free) {
            Some(over) => now + self.delay(over),
            None => now,
        };
        entries.insert(
            key,
            Entry {
                attempts,
                last: now,
                open_at,
            },
        );
        Ok(())
    }

    /// `peer` logged in: its past attempts are forgotten.
    pub fn succeeded(&self, peer: IpAddr) {
        self.lock().remove(&key(peer));
    }

    /// How many addresses are remembered (for tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }

    fn waiting(&self, entry: &Entry, now: Instant) -> Option<Duration> {
        if self.is_stale(entry, now) || now >= entry.open_at {
            return None;
        }
        Some(entry.open_at - now)
    }

    fn is_stale(&self, entry: &Entry, now: Instant) -> bool {
        now.saturating_duration_since(entry.last) >= self.policy.forget_after
            && now >= entry.open_at
    }

    /// `base · 2^over`, at most `cap`.
    fn delay(&self, over: u32) -> Duration {
        let factor = 1u32.checked_shl(over).unwrap_or(u32::MAX);
        self.policy
            .base
            .checked_mul(factor)
            .map_or(self.policy.cap, |d| d.min(self.policy.cap))
    }

    /// Keeps the table under its bound before a new address is added.
    fn make_room(&self, entries: &mut HashMap<IpAddr, Entry>, now: Instant) {
        if entries.len() < self.policy.max_entries {
            return;
        }
        entries.retain(|_, e| !self.is_stale(e, now));
        while entries.len() >= self.policy.max_entries.max(1) {
            let Some(quietest) = entries.iter().min_by_key(|(_, e)| e.last).map(|(k, _)| *k) else {
                return;
            };
            entries.remove(&quietest);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The address an attempt is counted against: IPv4 as is, IPv6 by its /64
/// (an IPv4-mapped IPv6 address as the IPv4 address).
fn key(peer: IpAddr) -> IpAddr {
    match peer {
        IpAddr::V4(_) => peer,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(prefix.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 7));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 9));

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn throttle() -> Throttle {
        Throttle::new(Policy::default())
    }

    #[test]
    fn five_attempts_are_free_then_each_waits_twice_as_long() {
        let t = throttle();
        let start = Instant::now();
        for _ in 0..4 {
            assert_eq!(t.attempt(A, start), Ok(()));
        }
        // The fifth is made, and opens a wait of 1 s.
        assert_eq!(t.attempt(A, start), Ok(()));
        assert_eq!(t.attempt(A, start), Err(secs(1)));
        assert_eq!(
            t.wait_for(A, start + Duration::from_millis(400)),
            Some(Duration::from_millis(600))
        );
        // After it, one more attempt, then 2 s, 4 s, 8 s…
        let mut now = start + secs(1);
        for wait in [2, 4, 8, 16] {
            assert_eq!(t.attempt(A, now), Ok(()));
            assert_eq!(
                t.attempt(A, now + secs(wait) - Duration::from_millis(1)),
                Err(Duration::from_millis(1))
            );
            now += secs(wait);
        }
        // Another address is not affected.
        assert_eq!(t.attempt(B, start), Ok(()));
        assert_eq!(t.wait_for(B, start), None);
    }

    #[test]
    fn the_wait_is_capped() {
        let t = throttle();
        let mut now = Instant::now();
        for _ in 0..40 {
            now += t.wait_for(A, now).unwrap_or_default();
            t.attempt(A, now).unwrap();
        }
        assert_eq!(t.wait_for(A, now), Some(Policy::default().cap));
    }

    #[test]
    fn a_quiet_address_is_forgotten_and_a_login_forgets_at_once() {
        let t = throttle();
        let start = Instant::now();
        for _ in 0..5 {
            t.attempt(A, start).unwrap();
            t.attempt(B, start).unwrap();
        }
        assert!(t.attempt(A, start).is_err());
        // 15 minutes of quiet: five free attempts again.
        let later = start + secs(15 * 60);
        for _ in 0..5 {
            assert_eq!(t.attempt(A, later), Ok(()));
        }
        assert!(t.attempt(A, later).is_err());
        // A success clears the address.
        t.succeeded(B);
        assert_eq!(t.wait_for(B, start), None);
        for _ in 0..5 {
            assert_eq!(t.attempt(B, start), Ok(()));
        }
    }

    #[test]
    fn refused_attempts_do_not_lengthen_the_wait() {
        let t = throttle();
        let start = Instant::now();
        for _ in 0..5 {
            t.attempt(A, start).unwrap();
        }
        for ms in (0..1000).step_by(50) {
            assert!(t.attempt(A, start + Duration::from_millis(ms)).is_err());
        }
        assert_eq!(t.attempt(A, start + secs(1)), Ok(()));
    }

    #[test]
    fn the_table_is_bounded_and_drops_the_quietest() {
        let t = Throttle::new(Policy {
            max_entries: 3,
            ..Policy::default()
        });
        let start = Instant::now();
        for _ in 0..5 {
            t.attempt(A, start).unwrap();
        }
        for i in 1..=10u8 {
            let other = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, i));
            t.attempt(other, start + secs(u64::from(i))).unwrap();
            assert!(t.len() <= 3);
        }
        // A was the quietest and went first.
        assert_eq!(t.wait_for(A, start), None);
    }

    #[test]
    fn ipv6_counts_by_its_64_and_mapped_ipv4_as_ipv4() {
        let t = throttle();
        let now = Instant::now();
        for host in 1..=5u16 {
            let peer = IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 0, 0, 0, host));
            t.attempt(peer, now).unwrap();
        }
        let same_64 = IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 9, 9, 9, 9));
        assert!(t.attempt(same_64, now).is_err());
        let other_64 = IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 3, 0, 0, 0, 1));
        assert_eq!(t.attempt(other_64, now), Ok(()));

        for _ in 0..5 {
            t.attempt(A, now).unwrap();
        }
        let IpAddr::V4(a) = A else { unreachable!() };
        assert!(t.attempt(IpAddr::V6(a.to_ipv6_mapped()), now).is_err());
    }
}
