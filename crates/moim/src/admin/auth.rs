//! Who may use the admin namespace: one user whose password is given as a
//! bcrypt hash (`--admin-user`, `--admin-password-hash`), never in clear.
//!
//! As in `@socket.io/admin-ui`, a successful login is answered with a session
//! id that the UI presents instead of the password when it reconnects. Sessions
//! live in memory for a day; a restart logs everyone out.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long a session id stays valid.
const SESSION_TTL: Duration = Duration::from_secs(24 * 3600);
/// Most live sessions; the oldest is dropped beyond it.
const MAX_SESSIONS: usize = 1024;

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

/// The admin login refused (the Admin UI shows this text).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("invalid credentials")]
pub struct Denied;

/// The admin credentials and the live sessions.
pub struct AdminAuth {
    username: String,
    hash: String,
    sessions: Mutex<HashMap<String, Instant>>,
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
                    hash: hash.to_owned(),
                    sessions: Mutex::default(),
                }))
            }
            _ => Err(AuthConfigError::Incomplete),
        }
    }

    /// Checks an Admin UI `auth` payload: `{username, password}` or
    /// `{sessionId}`. A password login returns a new session id.
    /// bcrypt is slow on purpose, so run this off the async threads.
    pub fn check(&self, auth: &Value) -> Result<Option<String>, Denied> {
        if let Some(session) = auth.get("sessionId").and_then(Value::as_str)
            && self.session_is_live(session)
        {
            return Ok(None);
        }
        let username = auth.get("username").and_then(Value::as_str);
        let password = auth.get("password").and_then(Value::as_str);
        let (Some(username), Some(password)) = (username, password) else {
            return Err(Denied);
        };
        // The hash is checked whatever the name, so timing tells nothing about it.
        let matches = bcrypt::verify(password, &self.hash).unwrap_or(false);
        if !matches || username != self.username {
            return Err(Denied);
        }
        Ok(Some(self.new_session()))
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

    #[test]
    fn the_right_password_opens_a_session_and_the_session_reopens() {
        let auth = auth();
        let session = auth
            .check(&json!({"username": "admin", "password": "s3cret"}))
            .unwrap()
            .unwrap();
        assert_eq!(session.len(), 32);
        assert_eq!(auth.check(&json!({ "sessionId": session })).unwrap(), None);
    }

    #[test]
    fn anything_else_is_refused() {
        let auth = auth();
        for payload in [
            json!({"username": "admin", "password": "wrong"}),
            json!({"username": "root", "password": "s3cret"}),
            json!({"sessionId": "made-up"}),
            json!({"sessionId": ""}),
            json!(null),
            json!("admin:s3cret"),
        ] {
            assert!(auth.check(&payload).is_err(), "{payload} was let in");
        }
    }

    #[test]
    fn options_go_together_and_need_a_bcrypt_hash() {
        assert!(AdminAuth::from_options(None, None).unwrap().is_none());
        assert!(AdminAuth::from_options(Some("a"), None).is_err());
        assert!(AdminAuth::from_options(Some("a"), Some("plain-password")).is_err());
    }
}
