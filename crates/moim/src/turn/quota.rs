//! [`Quota`]: how many allocations one participant holds at once.
//!
//! Allocations are counted per holder: the participant a credential was
//! minted for (`credentials::holder`), so fetching fresh credentials does
//! not start a new count.
//!
//! Without it one participant's credential could take every port of the
//! relay range and leave everyone else with 508 (Insufficient Capacity). A
//! browser needs one allocation per TURN URL and network interface, and a
//! few more across ICE restarts; `--turn-user-quota` (10 by default) leaves
//! room for that and answers 486 (Allocation Quota Reached, RFC 8656 §7.2)
//! beyond it. The whole server's bound is the relay port range itself.
//!
//! Allocations are counted from the server's own answers: an Allocate
//! success response adds one for its 5-tuple, the server's close notice for
//! that 5-tuple (expiry, Refresh with lifetime 0, shutdown) removes it.

use std::collections::HashMap;
use std::net::SocketAddr;

/// A client's address and the server address it talks to: one allocation.
pub type Tuple = (SocketAddr, SocketAddr);

/// Live allocations per holder.
#[derive(Debug)]
pub struct Quota {
    limit: usize,
    owners: HashMap<Tuple, String>,
    counts: HashMap<String, usize>,
}

impl Quota {
    /// At most `limit` allocations per user name.
    pub fn new(limit: usize) -> Self {
        Quota {
            limit,
            owners: HashMap::new(),
            counts: HashMap::new(),
        }
    }

    /// Whether `username` already holds its quota.
    pub fn is_full(&self, username: &str) -> bool {
        self.counts.get(username).copied().unwrap_or(0) >= self.limit
    }

    /// Counts the allocation on `tuple` for `username` (once, however often
    /// its success response is sent).
    pub fn record(&mut self, tuple: Tuple, username: &str) {
        if self.owners.contains_key(&tuple) {
            return;
        }
        self.owners.insert(tuple, username.to_owned());
        *self.counts.entry(username.to_owned()).or_default() += 1;
    }

    /// Forgets the allocation on `tuple`, which the server closed.
    pub fn release(&mut self, tuple: Tuple) {
        let Some(username) = self.owners.remove(&tuple) else {
            return;
        };
        if let Some(count) = self.counts.get_mut(&username) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.counts.remove(&username);
            }
        }
    }

    /// How many allocations `username` holds.
    pub fn held(&self, username: &str) -> usize {
        self.counts.get(username).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tuple(port: u16) -> Tuple {
        (
            SocketAddr::from(([198, 51, 100, 1], port)),
            SocketAddr::from(([192, 0, 2, 1], 3478)),
        )
    }

    #[test]
    fn a_user_is_full_at_the_limit_and_freed_by_a_close() {
        let mut quota = Quota::new(2);
        assert!(!quota.is_full("a"));
        quota.record(tuple(1), "a");
        quota.record(tuple(1), "a"); // the same allocation answered twice
        assert_eq!(quota.held("a"), 1);
        quota.record(tuple(2), "a");
        assert!(quota.is_full("a"));
        assert!(!quota.is_full("b"), "others are not affected");
        quota.release(tuple(1));
        assert!(!quota.is_full("a"));
        quota.release(tuple(1)); // unknown now: nothing happens
        quota.release(tuple(2));
        assert_eq!(quota.held("a"), 0);
        assert!(
            quota.counts.is_empty() && quota.owners.is_empty(),
            "nothing left behind"
        );
    }

    #[test]
    fn a_zero_quota_refuses_everyone() {
        assert!(Quota::new(0).is_full("a"));
    }
}
