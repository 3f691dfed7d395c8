//! The secrets a meeting checks: browsers' keys (kept as SHA-256 hashes) and
//! passcodes (kept as salted PBKDF2 hashes).
//!
//! A key is random and long, so one unsalted hash is enough: nobody can guess
//! a key from its hash. A passcode is short and chosen by a person, so it gets
//! a salt and a slow hash, and guesses are throttled per address as well
//! ([`crate::throttle`]).

use std::num::NonZeroU32;

use aws_lc_rs::{digest, pbkdf2};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::Refusal;

/// The shortest and longest key a browser may send.
pub const KEY_LEN: std::ops::RangeInclusive<usize> = 16..=128;

/// The longest passcode, in characters.
pub const PASSCODE_MAX: usize = 64;

/// PBKDF2 rounds: about 10 ms here, once per passcode tried.
const ROUNDS: u32 = 20_000;

/// A key's hash, as meetings store it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyHash(pub String);

/// Checks a browser's key and hashes it.
pub fn key_hash(key: &str) -> Result<KeyHash, Refusal> {
    let fine = KEY_LEN.contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !fine {
        return Err(Refusal::InvalidKey);
    }
    Ok(KeyHash(hex(digest::digest(
        &digest::SHA256,
        key.as_bytes(),
    )
    .as_ref())))
}

/// A key for a connection that brought none (lost when it closes).
pub fn random_key() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<24>())
}

/// Checks a new passcode (1–64 characters, not blank).
pub fn valid_passcode(passcode: &str) -> Result<&str, Refusal> {
    let count = passcode.chars().count();
    if count == 0 || count > PASSCODE_MAX || passcode.trim().is_empty() {
        return Err(Refusal::InvalidPasscode);
    }
    Ok(passcode)
}

/// Hashes a passcode for storage: `pbkdf2-sha256$<rounds>$<salt>$<hash>`.
pub fn hash_passcode(passcode: &str) -> String {
    let salt = random_bytes::<16>();
    let mut out = [0u8; 32];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        rounds(ROUNDS),
        &salt,
        passcode.as_bytes(),
        &mut out,
    );
    format!(
        "pbkdf2-sha256${ROUNDS}${}${}",
        URL_SAFE_NO_PAD.encode(salt),
        URL_SAFE_NO_PAD.encode(out)
    )
}

/// Whether `passcode` matches `stored` (made by [`hash_passcode`]); a stored
/// value in any other form matches nothing.
pub fn passcode_matches(stored: &str, passcode: &str) -> bool {
    let mut parts = stored.split('$');
    let (Some("pbkdf2-sha256"), Some(n), Some(salt), Some(hash), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let (Ok(n), Ok(salt), Ok(hash)) = (
        n.parse::<u32>(),
        URL_SAFE_NO_PAD.decode(salt),
        URL_SAFE_NO_PAD.decode(hash),
    ) else {
        return false;
    };
    if n == 0 || n > 10 * ROUNDS {
        return false;
    }
    pbkdf2::verify(
        pbkdf2::PBKDF2_HMAC_SHA256,
        rounds(n),
        &salt,
        passcode.as_bytes(),
        &hash,
    )
    .is_ok()
}

fn rounds(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// Random bytes from the OS. Without its randomness no secret moim makes
/// could be trusted, so moim stops rather than go on with a weak one.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked_and_hashed_the_same_each_time() {
        let key = random_key();
        assert_eq!(key_hash(&key), key_hash(&key));
        assert_ne!(key_hash(&key), key_hash(&random_key()));
        assert_eq!(key_hash(&key).unwrap().0.len(), 64);
        for bad in [
            "short",
            "has space in it 12345",
            &"x".repeat(129),
            "ключключключключключ",
        ] {
            assert_eq!(key_hash(bad), Err(Refusal::InvalidKey), "{bad}");
        }
    }

    #[test]
    fn a_passcode_matches_its_hash_only() {
        let stored = hash_passcode("4821");
        assert!(passcode_matches(&stored, "4821"));
        assert!(!passcode_matches(&stored, "4822"));
        assert!(!passcode_matches(&stored, ""));
        // Salted: the same passcode hashes differently each time.
        assert_ne!(stored, hash_passcode("4821"));
        assert!(!passcode_matches("4821", "4821"));
        assert!(!passcode_matches("pbkdf2-sha256$0$AA$AA", "x"));
    }

    #[test]
    fn passcodes_are_one_to_sixty_four_characters() {
        assert!(valid_passcode("1").is_ok());
        assert!(valid_passcode(&"한".repeat(64)).is_ok());
        assert!(valid_passcode("").is_err());
        assert!(valid_passcode("   ").is_err());
        assert!(valid_passcode(&"x".repeat(65)).is_err());
    }
}
