//! Checks TURN REST API credentials for the built-in TURN server.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use super::credentials::{TurnSecret, expiry};
use super::grace::Grace;

/// Why a user name has no key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthRefusal {
    /// The user name carries no `<expiry>:` prefix.
    #[error("TURN user name without an expiry")]
    NoExpiry,
    /// Its expiry has passed, and it never authenticated from this address
    /// while valid (or that was more than the grace ago).
    #[error("expired TURN credentials")]
    Expired,
}

/// Answers "what is this user's key?" from the shared secret, for the TURN
/// server and for the guard in front of it.
///
/// A user name without an expiry has no key. One whose expiry has passed
/// has a key only for a source address it authenticated from while valid
/// ([`Grace`]), so a running call keeps its relay after the credential's
/// minutes are up and a copied credential is useless from elsewhere.
#[derive(Debug)]
pub struct RestAuth {
    secret: TurnSecret,
    grace: Mutex<Grace>,
}

/// Unix seconds now.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl RestAuth {
    /// Checks credentials minted with `secret`.
    pub fn new(secret: TurnSecret) -> Self {
        RestAuth {
            secret,
            grace: Mutex::new(Grace::default()),
        }
    }

    /// The long-term key (MD5 of `username:realm:password`) for `username`
    /// asking from `src`, or why it has none.
    pub fn key(
        &self,
        username: &str,
        realm: &str,
        src: SocketAddr,
    ) -> Result<Vec<u8>, AuthRefusal> {
        let expires = expiry(username).ok_or(AuthRefusal::NoExpiry)?;
        let now = now();
        if expires < now && !self.grace().allows(username, src, now) {
            return Err(AuthRefusal::Expired);
        }
        let password = self.secret.password(username);
        Ok(turn::auth::generate_auth_key(username, realm, &password))
    }

    /// Records that a request from `src` proved it holds `username`'s key
    /// (its MESSAGE-INTEGRITY checked out): while the credential is valid,
    /// this earns `src` its grace.
    pub fn confirm(&self, username: &str, src: SocketAddr) {
        if let Some(expires) = expiry(username) {
            self.grace().remember(username, expires, src, now());
        }
    }

    fn grace(&self) -> std::sync::MutexGuard<'_, Grace> {
        // Plain data: a panic elsewhere cannot leave it inconsistent.
        self.grace.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl turn::auth::AuthHandler for RestAuth {
    fn auth_handle(
        &self,
        username: &str,
        realm: &str,
        src_addr: SocketAddr,
    ) -> Result<Vec<u8>, turn::Error> {
        self.key(username, realm, src_addr).map_err(|refusal| {
            tracing::debug!(%src_addr, %refusal, "TURN credentials refused");
            turn::Error::Other(refusal.to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(port: u16) -> SocketAddr {
        SocketAddr::from(([198, 51, 100, 7], port))
    }

    #[test]
    fn valid_credentials_have_a_key_and_others_none() {
        let auth = RestAuth::new(TurnSecret::new("s"));
        let fresh = TurnSecret::new("s").mint("p", now() + 600);
        let key = auth.key(&fresh.username, "moim", src(1)).expect("valid");
        assert_eq!(
            key,
            turn::auth::generate_auth_key(&fresh.username, "moim", &fresh.password)
        );
        assert_eq!(auth.key("mina", "moim", src(1)), Err(AuthRefusal::NoExpiry));
        let old = format!("{}:p", now() - 1);
        assert_eq!(auth.key(&old, "moim", src(1)), Err(AuthRefusal::Expired));
    }

    #[test]
    fn an_expired_credential_serves_only_the_address_that_used_it_while_valid() {
        let auth = RestAuth::new(TurnSecret::new("s"));
        // Valid for one more second: used from src(1), then it expires.
        let username = format!("{}:p", now() + 1);
        auth.key(&username, "moim", src(1)).expect("valid now");
        auth.confirm(&username, src(1));
        let expired_at = expiry(&username).unwrap();
        // Simulate the expiry by asking the table at a later time.
        let grace = auth.grace();
        assert!(grace.allows(&username, src(1), expired_at + 60));
        assert!(!grace.allows(&username, src(2), expired_at + 60));
        drop(grace);

        // An already expired credential confirmed now earns nothing.
        let stale = format!("{}:q", now() - 5);
        auth.confirm(&stale, src(3));
        assert_eq!(auth.key(&stale, "moim", src(3)), Err(AuthRefusal::Expired));
    }

    #[test]
    fn a_grace_granted_while_valid_opens_the_key_after_expiry() {
        let auth = RestAuth::new(TurnSecret::new("s"));
        let expired = format!("{}:p", now() - 30);
        // As if confirmed while it was still valid.
        auth.grace()
            .remember(&expired, now() - 30, src(1), now() - 60);
        assert!(auth.key(&expired, "moim", src(1)).is_ok());
        assert_eq!(
            auth.key(&expired, "moim", src(2)),
            Err(AuthRefusal::Expired)
        );
    }
}
