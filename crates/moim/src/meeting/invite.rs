//! Invitation links (`--meetings invite`): signed, expiring tokens that let
//! their holder start a meeting as its host, or join it as a guest without
//! the passcode.
//!
//! A token is `<payload>.<tag>`, both base64url: the payload is JSON
//! `{room, role, exp}` (exp in seconds since the Unix epoch), the tag its
//! HMAC-SHA256 under a secret kept in the store, so every node of a cluster
//! checks the links any node made, also after a restart. Anything that does
//! not verify, names another meeting or has expired is `invalid_invite`.

use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use moim_proto::Role;
use moim_store::{Store, StoreError};
use serde::{Deserialize, Serialize};

use super::credentials::random_bytes;
use crate::error::Refusal;

/// The name of the signing secret in the store.
const SECRET: &str = "invite-links";

/// The longest token accepted (a room name is at most 64 characters).
const MAX_TOKEN: usize = 512;

/// What a link grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    /// The meeting.
    pub room: String,
    /// `host` (may start the meeting) or `guest`.
    pub role: Role,
    /// When it stops working, seconds since the Unix epoch.
    pub exp: u64,
}

/// Makes and checks links.
#[derive(Debug)]
pub struct Invites {
    key: hmac::Key,
}

impl Invites {
    /// Loads the signing secret from `store` (made on first use).
    pub async fn load(store: &Store) -> Result<Invites, StoreError> {
        let fresh = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
        let secret = store.secret(SECRET, fresh).await?;
        Ok(Invites::with_secret(secret.as_bytes()))
    }

    /// Links signed with `secret`.
    pub fn with_secret(secret: &[u8]) -> Invites {
        Invites {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
        }
    }

    /// A token for `invite`.
    pub fn mint(&self, invite: &Invite) -> String {
        let payload = serde_json::to_vec(invite).unwrap_or_default();
        let tag = hmac::sign(&self.key, &payload);
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&payload),
            URL_SAFE_NO_PAD.encode(tag.as_ref())
        )
    }

    /// What `token` grants in `room` at `now` (seconds), or `invalid_invite`.
    pub fn check(&self, token: &str, room: &str, now: u64) -> Result<Invite, Refusal> {
        if token.len() > MAX_TOKEN {
            return Err(Refusal::InvalidInvite);
        }
        let (payload, tag) = token.split_once('.').ok_or(Refusal::InvalidInvite)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| Refusal::InvalidInvite)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| Refusal::InvalidInvite)?;
        hmac::verify(&self.key, &payload, &tag).map_err(|_| Refusal::InvalidInvite)?;
        let invite: Invite =
            serde_json::from_slice(&payload).map_err(|_| Refusal::InvalidInvite)?;
        if invite.room != room || invite.exp <= now || invite.role == Role::Cohost {
            return Err(Refusal::InvalidInvite);
        }
        Ok(invite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite(role: Role, exp: u64) -> Invite {
        Invite {
            room: "standup".into(),
            role,
            exp,
        }
    }

    #[test]
    fn a_link_works_for_its_meeting_until_it_expires() {
        let invites = Invites::with_secret(b"secret");
        let token = invites.mint(&invite(Role::Host, 100));
        assert_eq!(
            invites.check(&token, "standup", 99),
            Ok(invite(Role::Host, 100))
        );
        assert_eq!(
            invites.check(&token, "standup", 100),
            Err(Refusal::InvalidInvite)
        );
        assert_eq!(
            invites.check(&token, "other", 99),
            Err(Refusal::InvalidInvite)
        );
    }

    #[test]
    fn a_tampered_or_foreign_link_is_refused() {
        let invites = Invites::with_secret(b"secret");
        let token = invites.mint(&invite(Role::Guest, 100));
        // Turn the guest into a host by rewriting the payload, keeping the tag.
        let (_, tag) = token.split_once('.').unwrap();
        let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&invite(Role::Host, 100)).unwrap());
        assert_eq!(
            invites.check(&format!("{forged}.{tag}"), "standup", 1),
            Err(Refusal::InvalidInvite)
        );
        let other = Invites::with_secret(b"another server");
        assert_eq!(
            other.check(&token, "standup", 1),
            Err(Refusal::InvalidInvite)
        );
        for junk in ["", ".", "abc", "a.b.c", &"x".repeat(600)] {
            assert_eq!(
                invites.check(junk, "standup", 1),
                Err(Refusal::InvalidInvite)
            );
        }
    }
}
