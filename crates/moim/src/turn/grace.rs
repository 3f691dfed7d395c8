//! [`Grace`]: which expired TURN credentials may still be used, and from where.
//!
//! Credentials live minutes (`--turn-ttl`, 10 by default) so that a leaked
//! one is soon worthless, but a call's allocation lives as long as the call
//! and must keep refreshing its allocation, permissions and channels. So a
//! user name that authenticated from a source address while it was valid may
//! keep authenticating *from that same address* for [`GRACE`] after its
//! expiry. From any other address the expired credential is refused, so a
//! stolen one cannot start a new allocation.
//!
//! The table is bounded: at most [`MAX_ADDRS_PER_USER`] addresses per user
//! name and [`MAX_USERS`] user names, expired entries dropped when room is
//! needed. When it is full of live entries a new one is not recorded (its
//! call loses the relay at expiry rather than another call losing it early).

use std::collections::HashMap;
use std::net::SocketAddr;

/// How long after its expiry a credential still serves the addresses that
/// used it while valid: calls longer than the TTL plus this lose their relay.
pub const GRACE_SECS: u64 = 12 * 3600;
/// Source addresses remembered per user name (a browser uses one per
/// network interface and TURN URL; a handful at most).
pub const MAX_ADDRS_PER_USER: usize = 8;
/// User names remembered in all; each entry is about 100 bytes plus its
/// addresses, so the table stays under a few megabytes.
pub const MAX_USERS: usize = 20_000;

#[derive(Debug)]
struct Entry {
    /// Unix seconds after which even these addresses are refused.
    deadline: u64,
    addrs: Vec<SocketAddr>,
}

/// User names that authenticated while valid, and from where.
#[derive(Debug, Default)]
pub struct Grace {
    users: HashMap<String, Entry>,
}

impl Grace {
    /// Records that `username` (expiring at `expires`) authenticated from
    /// `src` at `now` (Unix seconds). Only a credential still valid at `now`
    /// is recorded: an expired one cannot earn itself a grace.
    pub fn remember(&mut self, username: &str, expires: u64, src: SocketAddr, now: u64) {
        if expires < now {
            return;
        }
        if let Some(entry) = self.users.get_mut(username) {
            if !entry.addrs.contains(&src) && entry.addrs.len() < MAX_ADDRS_PER_USER {
                entry.addrs.push(src);
            }
            return;
        }
        if self.users.len() >= MAX_USERS {
            self.users.retain(|_, entry| entry.deadline >= now);
            if self.users.len() >= MAX_USERS {
                tracing::warn!("TURN grace table full; an expiring credential will not be kept");
                return;
            }
        }
        self.users.insert(
            username.to_owned(),
            Entry {
                deadline: expires.saturating_add(GRACE_SECS),
                addrs: vec![src],
            },
        );
    }

    /// Whether `username`, now expired, may still authenticate from `src`.
    pub fn allows(&self, username: &str, src: SocketAddr, now: u64) -> bool {
        self.users
            .get(username)
            .is_some_and(|entry| now <= entry.deadline && entry.addrs.contains(&src))
    }

    /// How many user names are remembered.
    pub fn len(&self) -> usize {
        self.users.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([198, 51, 100, 7], port))
    }

    #[test]
    fn an_address_that_used_a_valid_credential_keeps_it_past_expiry() {
        let mut grace = Grace::default();
        grace.remember("1000:p", 1000, addr(1), 900);
        assert!(grace.allows("1000:p", addr(1), 1001), "just expired");
        assert!(
            grace.allows("1000:p", addr(1), 1000 + GRACE_SECS),
            "last second"
        );
        assert!(
            !grace.allows("1000:p", addr(1), 1001 + GRACE_SECS),
            "grace over"
        );
        assert!(!grace.allows("1000:p", addr(2), 1001), "another address");
        assert!(!grace.allows("2000:q", addr(1), 2001), "another user name");
    }

    #[test]
    fn an_expired_credential_earns_no_grace() {
        let mut grace = Grace::default();
        grace.remember("1000:p", 1000, addr(1), 1001);
        assert!(!grace.allows("1000:p", addr(1), 1002));
        assert!(grace.is_empty());
    }

    #[test]
    fn addresses_per_user_are_bounded() {
        let mut grace = Grace::default();
        for port in 0..100 {
            grace.remember("1000:p", 1000, addr(port), 900);
        }
        let kept = (0..100)
            .filter(|&p| grace.allows("1000:p", addr(p), 1001))
            .count();
        assert_eq!(kept, MAX_ADDRS_PER_USER);
        assert!(
            grace.allows("1000:p", addr(0), 1001),
            "the first ones are kept"
        );
    }

    #[test]
    fn users_are_bounded_and_dead_entries_make_room() {
        let mut grace = Grace::default();
        for n in 0..MAX_USERS {
            grace.remember(&format!("1000:{n}"), 1000, addr(1), 900);
        }
        grace.remember("5000:late", 5000, addr(1), 900);
        assert_eq!(grace.len(), MAX_USERS, "full of live entries: not recorded");
        assert!(!grace.allows("5000:late", addr(1), 5001));

        // Once the first ones' grace is over they make room.
        let later = 1001 + GRACE_SECS;
        grace.remember("99999999:new", 99_999_999, addr(1), later);
        assert_eq!(grace.len(), 1);
        assert!(grace.allows("99999999:new", addr(1), later));
    }
}
