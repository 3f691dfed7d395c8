//! TURN REST API credentials ("use-auth-secret" in coturn's words).
//!
//! The user name is `<expiry>:<participant>` (expiry in seconds since the Unix
//! epoch) and the password is `base64(HMAC-SHA1(secret, username))`. The server
//! that checks them needs only the shared secret, never a user list: moim's own
//! TURN server and a coturn started with `use-auth-secret` and
//! `static-auth-secret=<the same secret>` accept the same credentials.

use std::fmt;
use std::path::Path;

use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The secret shared with the TURN server. Its `Debug` never shows it.
#[derive(Clone)]
pub struct TurnSecret(String);

impl fmt::Debug for TurnSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TurnSecret(…)")
    }
}

/// Why the secret file could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("TURN secret file {path}: {source}")]
pub struct SecretError {
    path: String,
    source: std::io::Error,
}

impl TurnSecret {
    /// A secret given by the operator (`--turn-secret`).
    pub fn new(secret: impl Into<String>) -> Self {
        TurnSecret(secret.into())
    }

    /// The secret kept in `file`, or a new random one written there (mode 0600)
    /// so that credentials stay valid across restarts.
    pub fn load_or_create(file: &Path) -> Result<Self, SecretError> {
        let fail = |source| SecretError {
            path: file.display().to_string(),
            source,
        };
        match std::fs::read_to_string(file) {
            Ok(text) if !text.trim().is_empty() => return Ok(TurnSecret(text.trim().to_owned())),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(fail(e)),
        }
        let mut bytes = [0u8; 32];
        aws_lc_rs::rand::fill(&mut bytes[..])
            .map_err(|_| fail(std::io::Error::other("no randomness")))?;
        let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        write_private(file, &secret).map_err(fail)?;
        Ok(TurnSecret(secret))
    }

    /// The password for `username`: `base64(HMAC-SHA1(secret, username))`.
    pub fn password(&self, username: &str) -> String {
        let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, self.0.as_bytes());
        STANDARD.encode(hmac::sign(&key, username.as_bytes()).as_ref())
    }

    /// Credentials for `participant` that expire at `expires` (Unix seconds).
    pub fn mint(&self, participant: &str, expires: u64) -> Credentials {
        let username = format!("{expires}:{participant}");
        let password = self.password(&username);
        Credentials { username, password }
    }
}

/// A TURN user name and password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `<expiry>:<participant>`.
    pub username: String,
    /// `base64(HMAC-SHA1(secret, username))`.
    pub password: String,
}

/// The expiry (Unix seconds) a user name carries: the digits before the first
/// `:`, or the whole name when it has none (coturn accepts both forms).
pub fn expiry(username: &str) -> Option<u64> {
    let head = username.split(':').next()?;
    if head.is_empty() || !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    head.parse().ok()
}

/// Whom a user name was minted for: the part after the expiry (`Xk2f` of
/// `1700000000:Xk2f`), or the whole name when it has no `:`. Fresh
/// credentials for one participant differ only in their expiry, so limits
/// meant for a participant count by this.
pub fn holder(username: &str) -> &str {
    username.split_once(':').map_or(username, |(_, rest)| rest)
}

/// Writes `text` to `file`, readable by its owner only where the OS allows.
pub(crate) fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write;
    options.open(file)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_base64_hmac_sha1_of_the_username() {
        // RFC 2202 test case 2: HMAC-SHA1("Jefe", "what do ya want for nothing?").
        let secret = TurnSecret::new("Jefe");
        let expected = STANDARD.encode([
            0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74, 0x16, 0xd5, 0xf1, 0x84,
            0xdf, 0x9c, 0x25, 0x9a, 0x7c, 0x79,
        ]);
        assert_eq!(secret.password("what do ya want for nothing?"), expected);
    }

    #[test]
    fn minted_username_is_expiry_colon_participant() {
        let creds = TurnSecret::new("s").mint("Xk2f", 1_700_000_000);
        assert_eq!(creds.username, "1700000000:Xk2f");
        assert_eq!(expiry(&creds.username), Some(1_700_000_000));
        assert_eq!(
            creds.password,
            TurnSecret::new("s").password("1700000000:Xk2f")
        );
        assert_ne!(
            creds.password,
            TurnSecret::new("t").password("1700000000:Xk2f")
        );
    }

    #[test]
    fn the_holder_is_the_name_after_the_expiry() {
        assert_eq!(holder("1700000000:Xk2f"), "Xk2f");
        assert_eq!(holder("1700000001:Xk2f"), "Xk2f");
        assert_eq!(holder("1700000000:a:b"), "a:b");
        assert_eq!(holder("mina"), "mina");
    }

    #[test]
    fn usernames_without_a_numeric_expiry_have_none() {
        assert_eq!(expiry("mina"), None);
        assert_eq!(expiry(":x"), None);
        assert_eq!(expiry("12a:x"), None);
        assert_eq!(expiry("99999999999999999999999:x"), None);
        assert_eq!(expiry("42"), Some(42));
    }

    #[test]
    fn the_secret_is_kept_and_reused() {
        let dir = std::env::temp_dir().join(format!("moim-secret-{}", std::process::id()));
        let file = dir.join("turn-secret");
        let first = TurnSecret::load_or_create(&file).expect("created");
        let again = TurnSecret::load_or_create(&file).expect("read back");
        assert_eq!(first.password("u"), again.password("u"));
        assert_eq!(first.0.len(), 64);
        assert_eq!(format!("{first:?}"), "TurnSecret(…)");
        std::fs::remove_dir_all(dir).ok();
    }
}
