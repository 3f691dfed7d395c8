//! Who may use the admin namespace: one user whose password is given as a
//! bcrypt hash (`--admin-user`, `--admin-password-hash`), never in clear.
//!
//! As in `@socket.io/admin-ui`, a successful login is answered with a session
//! id that the UI presents instead of the password when it reconnects. Sessions
//! live in memory for a day; a restart logs everyone out.
//!
//! Password guesses are slowed twice: per source address by [`Throttle`]'s
//! back-off, and overall by checking one password at a time, on a blocking
//! thread: a crowd of addresses can keep at most one core busy, and an
//! attempt that cannot start within a second is refused, not queued.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Semaphore;

use crate::throttle::{Policy, Throttle};

/// How long a session id stays valid.
const SESSION_TTL: Duration = Duration::from_secs(24 * 3600);
/// Most live sessions; the oldest is dropped beyond it.
const MAX_SESSIONS: usize = 1024;
/// Passwords checked at once. bcrypt keeps a core busy for each.
const CONCURRENT_CHECKS: usize = 1;
/// How long an attempt may wait for its turn before it is refused as busy.
const CHECK_WAIT: Duration = Duration::from_secs(1);
/// Counted against when the peer's address is unknown (it always is known
/// behind moim's own listeners; this is only a safe default).
const UNKNOWN_PEER: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);

/// Why the admin options cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AuthConfigError {
    /// The hash is not a bcrypt hash.
    #[error("--admin-password-hash is not a bcrypt hash ($2b$…, 60 characters)")]
    NotBcrypt,
    /// One of the two options is missing.
    #[error("--admin-user and --admin-password-hash go together")]
    Incomplete,
}

/// The admin login refused. The Admin UI shows this text in its login form
/// (its `connect_error` message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// Wrong user or password, no credentials, or an unknown session.
    #[error("invalid credentials")]
    Invalid,
    /// This address failed too often; nothing was checked.
    #[error("too many attempts, retry in {0} s")]
    TooManyAttempts(u64),
    /// Other logins are being checked; nothing was checked.
    #[error("the server is busy checking other logins, retry in a moment")]
    Busy,
}

/// The admin credentials and the live sessions.
pub struct AdminAuth {
    username: String,
    hash: Arc<str>,
    sessions: Mutex<HashMap<String, Instant>>,
    throttle: Throttle,
    checks: Arc<Semaphore>,
    /// Passwords run through bcrypt since start.
    checked: AtomicU64,
}

impl std::fmt::Debug for AdminAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the hash nor the sessions.
        f.debug_struct("AdminAuth")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl AdminAuth {
    /// From the two options: both or neither.
    pub fn from_options(
        user: Option<&str>,
        hash: Option<&str>,
    ) -> Result<Option<AdminAuth>, AuthConfigError> {
        match (user, hash) {
            (None, None) => Ok(None),
            (Some(user), Some(hash)) => {
                hash.parse::<bcrypt::HashParts>()
                    .map_err(|_| AuthConfigError::NotBcrypt)?;
                Ok(Some(AdminAuth {
                    username: user.to_owned(),
                    hash: hash.into(),
                    sessions: Mutex::default(),
                    throttle: Throttle::new(Policy::default()),
                    checks: Arc::new(Semaphore::new(CONCURRENT_CHECKS)),
                    checked: AtomicU64::new(0),
                }))
            }
            _ => Err(AuthConfigError::Incomplete),
        }
    }

    /// Checks an Admin UI `auth` payload from `peer`: `{username, password}`
    /// or `{sessionId}`. A password login returns a new session id.
    ///
    /// A refusal for too many attempts or for a busy server comes before any
    /// bcrypt work, so it costs next to nothing.
    pub async fn check(
        &self,
        auth: &Value,
        peer: Option<IpAddr>,
    ) -> Result<Option<String>, Denied> {
        if let Some(session) = auth.get("sessionId").and_then(Value::as_str)
            && self.session_is_live(session)
        {
            return Ok(None);
        }
        let username = auth.get("username").and_then(Value::as_str);
        let password = auth.get("password").and_then(Value::as_str);
        let (Some(username), Some(password)) = (username, password) else {
            return Err(Denied::Invalid);
        };
        let peer = peer.unwrap_or(UNKNOWN_PEER);
        if let Some(wait) = self.throttle.wait_for(peer, Instant::now()) {
            return Err(too_many(wait));
        }
        let permit = tokio::time::timeout(CHECK_WAIT, self.checks.clone().acquire_owned())
            .await
            .map_err(|_| Denied::Busy)?
            .map_err(|_| Denied::Busy)?;
        // Counted once it has its turn: parallel attempts queued behind each
        // other are refused here as soon as an earlier one opened a wait.
        self.throttle
            .attempt(peer, Instant::now())
            .map_err(too_many)?;
        // The hash is checked whatever the name, so timing tells nothing about it.
        let (password, hash) = (password.to_owned(), self.hash.clone());
        self.checked.fetch_add(1, Ordering::Relaxed);
        // The permit goes with the work: it is released when bcrypt is done,
        // even if this attempt's client has gone meanwhile.
        let matches = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            bcrypt::verify(password, &hash)
        })
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or(false);
        if !matches || username != self.username {
            return Err(Denied::Invalid);
        }
        self.throttle.succeeded(peer);
        Ok(Some(self.new_session()))
    }

    /// How many passwords bcrypt has checked since start.
    pub fn password_checks(&self) -> u64 {
        self.checked.load(Ordering::Relaxed)
    }

    fn session_is_live(&self, id: &str) -> bool {
        let mut sessions = self.lock();
        match sessions.get(id) {
            Some(created) if created.elapsed() < SESSION_TTL => true,
            Some(_) => {
                sessions.remove(id);
                false
            }
            None => false,
        }
    }

    fn new_session(&self) -> String {
        let mut bytes = [0u8; 16];
        // Without the OS's randomness no session could be trusted; the login
        // still works, its session id just never matches (an empty one is refused).
        if getrandom::fill(&mut bytes).is_err() {
            return String::new();
        }
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut sessions = self.lock();
        sessions.retain(|_, created| created.elapsed() < SESSION_TTL);
        if sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = sessions
                .iter()
                .min_by_key(|(_, created)| **created)
                .map(|(id, _)| id.clone())
        {
            sessions.remove(&oldest);
        }
        sessions.insert(id.clone(), Instant::now());
        id
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The refusal for a wait of `wait`, in whole seconds rounded up.
fn too_many(wait: Duration) -> Denied {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    Denied::TooManyAttempts(secs.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// bcrypt of "s3cret" at cost 4 (fast enough for a test).
    fn auth() -> AdminAuth {
        let hash = bcrypt::hash("s3cret", 4).unwrap();
        AdminAuth::from_options(Some("admin"), Some(&hash))
            .unwrap()
            .unwrap()
    }

    const PEER: Option<IpAddr> = Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7)));

    fn right() -> Value {
        json!({"username": "admin", "password": "s3cret"})
    }

    fn wrong() -> Value {
        json!({"username": "admin", "password": "guess"})
    }

    #[tokio::test]
    async fn the_right_password_opens_a_session_and_the_session_reopens() {
        let auth = auth();
        let session = auth.check(&right(), PEER).await.unwrap().unwrap();
        assert_eq!(session.len(), 32);
        let again = auth.check(&json!({ "sessionId": session }), PEER).await;
        assert_eq!(again.unwrap(), None);
    }

    #[tokio::test]
    async fn anything_else_is_refused() {
        let auth = auth();
        for payload in [
            json!({"username": "admin", "password": "wrong"}),
            json!({"username": "root", "password": "s3cret"}),
            json!({"sessionId": "made-up"}),
            json!({"sessionId": ""}),
            json!(null),
            json!("admin:s3cret"),
        ] {
            let checked = auth.check(&payload, PEER).await;
            assert_eq!(checked, Err(Denied::Invalid), "{payload}");
        }
    }

    #[tokio::test]
    async fn after_five_failures_even_the_right_password_waits_unchecked() {
        let auth = auth();
        for _ in 0..5 {
            assert_eq!(auth.check(&wrong(), PEER).await, Err(Denied::Invalid));
        }
        assert_eq!(auth.password_checks(), 5);
        for _ in 0..20 {
            assert_eq!(
                auth.check(&right(), PEER).await,
                Err(Denied::TooManyAttempts(1))
            );
        }
        assert_eq!(auth.password_checks(), 5, "refused before bcrypt");
        assert_eq!(
            Denied::TooManyAttempts(1).to_string(),
            "too many attempts, retry in 1 s"
        );
        // Another address is unaffected; sessions are not throttled.
        let other = Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1)));
        let session = auth.check(&right(), other).await.unwrap().unwrap();
        assert_eq!(
            auth.check(&json!({ "sessionId": session }), PEER).await,
            Ok(None)
        );
        // Once the wait is over, the right password gets in.
        let wait = auth
            .throttle
            .wait_for(PEER.unwrap(), Instant::now())
            .unwrap();
        tokio::time::sleep(wait).await;
        assert!(auth.check(&right(), PEER).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn a_login_that_cannot_get_its_turn_is_refused_as_busy() {
        let auth = auth();
        let held = auth.checks.clone().acquire_owned().await.unwrap();
        let started = Instant::now();
        assert_eq!(auth.check(&right(), PEER).await, Err(Denied::Busy));
        assert!(started.elapsed() >= CHECK_WAIT);
        assert_eq!(auth.password_checks(), 0);
        drop(held);
        assert!(auth.check(&right(), PEER).await.unwrap().is_some());
    }

    #[test]
    fn options_go_together_and_need_a_bcrypt_hash() {
        assert!(AdminAuth::from_options(None, None).unwrap().is_none());
        assert!(AdminAuth::from_options(Some("a"), None).is_err());
        assert!(AdminAuth::from_options(Some("a"), Some("plain-password")).is_err());
    }
}
