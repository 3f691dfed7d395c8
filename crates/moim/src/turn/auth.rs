//! Checks TURN REST API credentials for the built-in TURN server.

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use super::credentials::{TurnSecret, expiry};

/// Answers the TURN server's "what is this user's key?" from the shared secret.
///
/// A user name without an expiry, or whose expiry has passed, has no key, so
/// the request is refused (401) before any allocation exists.
#[derive(Debug)]
pub struct RestAuth {
    secret: TurnSecret,
}

impl RestAuth {
    /// Checks credentials minted with `secret`.
    pub fn new(secret: TurnSecret) -> Self {
        RestAuth { secret }
    }
}

impl turn::auth::AuthHandler for RestAuth {
    fn auth_handle(
        &self,
        username: &str,
        realm: &str,
        src_addr: SocketAddr,
    ) -> Result<Vec<u8>, turn::Error> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        match expiry(username) {
            Some(expires) if expires >= now => {
                let password = self.secret.password(username);
                Ok(turn::auth::generate_auth_key(username, realm, &password))
            }
            Some(_) => {
                tracing::debug!(%src_addr, "TURN credentials expired");
                Err(turn::Error::Other("expired TURN credentials".into()))
            }
            None => {
                tracing::debug!(%src_addr, "TURN user name without an expiry");
                Err(turn::Error::Other(
                    "TURN user name without an expiry".into(),
                ))
            }
        }
    }
}
