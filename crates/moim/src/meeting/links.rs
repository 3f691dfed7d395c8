//! A meeting created by an operator, with its links: what the HTTP API
//! (`POST /api/meetings`) and the admin page (`/ops`) both do.

use std::time::Duration;

use moim_proto::{Role, SettingsIn};
use serde::{Deserialize, Serialize};

use super::Meetings;
use super::invite::Invite;
use crate::clock::now_ms;
use crate::error::Refusal;
use crate::validate;

/// How long links last unless asked otherwise.
const DEFAULT_VALID: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The longest a link may last.
const MAX_VALID: Duration = Duration::from_secs(90 * 24 * 60 * 60);

/// What an operator asks for.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewMeeting {
    /// The meeting's name.
    pub room: String,
    /// Its passcode, if any.
    #[serde(default)]
    pub passcode: Option<String>,
    /// Listed on the home page.
    #[serde(default)]
    pub listed: Option<bool>,
    /// Locked from the start: everyone without a host's link waits in the lobby.
    #[serde(default)]
    pub locked: Option<bool>,
    /// Seconds the links last (default 7 days, at most 90).
    #[serde(default)]
    pub valid_for: Option<u64>,
}

/// The links of a new meeting.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Links {
    /// The meeting's name.
    pub room: String,
    /// `/r/<room>?invite=<token>`: makes its holder a host.
    pub host_link: String,
    /// The same for guests: stands for the passcode.
    pub guest_link: String,
    /// When the links stop working, seconds since the Unix epoch.
    pub expires: u64,
}

/// Why no meeting was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotCreated {
    /// Bad input, or the database is down.
    Refused(Refusal),
    /// A meeting of that name exists.
    Exists,
}

impl Meetings {
    /// Creates the meeting `asked` names, with its settings, and mints its links.
    pub async fn create_with_links(&self, asked: NewMeeting) -> Result<Links, NotCreated> {
        let room = validate::room(&asked.room).map_err(NotCreated::Refused)?;
        if let Some(passcode) = asked.passcode.as_deref() {
            super::credentials::valid_passcode(passcode).map_err(NotCreated::Refused)?;
        }
        let valid = asked
            .valid_for
            .map_or(DEFAULT_VALID, Duration::from_secs)
            .min(MAX_VALID);
        let settings = SettingsIn {
            listed: asked.listed,
            locked: asked.locked,
            passcode: asked.passcode,
            allow_unmute: None,
        };
        if !self
            .create(&room, &settings)
            .await
            .map_err(NotCreated::Refused)?
        {
            return Err(NotCreated::Exists);
        }
        let exp = now_ms() / 1000 + valid.as_secs();
        let link = |role| {
            let token = self.invites().mint(&Invite {
                room: room.clone(),
                role,
                exp,
            });
            format!("/r/{}?invite={token}", path_segment(&room))
        };
        tracing::info!(%room, valid_for = valid.as_secs(), "meeting created by an operator");
        Ok(Links {
            host_link: link(Role::Host),
            guest_link: link(Role::Guest),
            room,
            expires: exp,
        })
    }
}

/// `room` as one path segment: unreserved characters as they are, every
/// other byte of its UTF-8 percent-encoded.
pub fn path_segment(room: &str) -> String {
    let mut out = String::with_capacity(room.len());
    for byte in room.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_room_becomes_one_path_segment() {
        assert_eq!(path_segment("standup"), "standup");
        assert_eq!(path_segment("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(path_segment("모임"), "%EB%AA%A8%EC%9E%84");
    }
}
