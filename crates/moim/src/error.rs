//! Refusals: what a client is told when moim will not do what it asked.
//!
//! Each refusal has a stable `code` for programs and an English sentence for
//! people. They are sorted by who is at fault (see `docs/protocol.md`); a refusal
//! never closes the socket and never changes any state.

use serde::Serialize;

/// A typed refusal of a client's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The arguments do not have the documented shape.
    #[error("the event's arguments do not have the expected shape")]
    InvalidPayload,
    /// A `/ws` frame that is not JSON of the form `{type, payload}`.
    #[error("the message is not JSON of the form {{\"type\", \"payload\"}}")]
    InvalidJson,
    /// Nickname empty, too long or with control characters.
    #[error("a name must be 1 to 32 characters")]
    InvalidName,
    /// Room name empty, too long or with control characters.
    #[error("a room name must be 1 to 64 characters")]
    InvalidRoom,
    /// Chat message empty or too long.
    #[error("a message must be 1 to 4000 characters")]
    InvalidMessage,
    /// A field is over its size limit.
    #[error("the payload is over the size limit (64 KiB)")]
    TooLarge,
    /// The event names a room the socket has not joined.
    #[error("you are not in that room")]
    NotInRoom,
    /// The room is at its size limit.
    #[error("the room is full")]
    RoomFull,
    /// A course socket already in as many rooms as one socket may be.
    #[error("you are in too many rooms (at most 8)")]
    TooManyRooms,
    /// More events than the socket's rate limit allows.
    #[error("too many messages; slow down")]
    RateLimited,
    /// A history page asked with a cursor that is not a message id, or a size
    /// outside 1–200.
    #[error("a history page needs `before` to be a message id and `limit` to be 1 to 200")]
    InvalidPage,
    /// The message reached the room but the history could not store it.
    #[error("the message was delivered but could not be saved in the room's history")]
    NotStored,
    /// The history cannot be read right now (its database is down).
    #[error("the chat history is unavailable right now; try again later")]
    HistoryUnavailable,
    /// An SFU request in a meeting that is peer to peer right now.
    #[error("this meeting is peer to peer right now; its media does not go through the server")]
    NotSfu,
    /// A session description the SFU cannot use.
    #[error("the session description was refused")]
    InvalidSdp,
    /// `sfu-answer` without an SFU session (send `sfu-offer` first).
    #[error("you have no connection to the media server; send sfu-offer first")]
    NoSfuSession,
    /// `sfu-answer` when the server made no offer.
    #[error("the media server made no offer to answer")]
    NoOfferPending,
    /// The SFU is off (`--sfu never`) or stopping.
    #[error("the media server is not available")]
    MediaUnavailable,
    /// Only a host or co-host may do that (`not_host`).
    #[error("only a host or co-host may do that")]
    NotHost,
    /// Only a host may do that (`hosts_only`).
    #[error("only a host may do that")]
    HostsOnly,
    /// That person is not in this meeting (`no_such_participant`).
    #[error("that person is not in this meeting")]
    NoSuchParticipant,
    /// A host removed you from this meeting (`removed`).
    #[error("a host removed you from this meeting")]
    Removed,
    /// This meeting needs its passcode (`passcode_required`).
    #[error("this meeting needs its passcode")]
    PasscodeRequired,
    /// The passcode is wrong (`wrong_passcode`).
    #[error("the passcode is wrong")]
    WrongPasscode,
    /// Too many wrong passcodes; wait a little and try again (`too_many_attempts`).
    #[error("too many wrong passcodes; wait a little and try again")]
    TooManyAttempts,
    /// A passcode must be 1 to 64 characters (`invalid_passcode`).
    #[error("a passcode must be 1 to 64 characters")]
    InvalidPasscode,
    /// The key must be 16 to 128 characters of A-Z, a-z, 0-9, - and _ (`invalid_key`).
    #[error("the key must be 16 to 128 characters of A-Z, a-z, 0-9, - and _")]
    InvalidKey,
    /// The meeting is locked; knock to ask a host to let you in (`locked`).
    #[error("the meeting is locked; knock to ask a host to let you in")]
    Locked,
    /// Too many people are waiting to be let in (`lobby_full`).
    #[error("too many people are waiting to be let in")]
    LobbyFull,
    /// You are already waiting to be let in (`already_waiting`).
    #[error("you are already waiting to be let in")]
    AlreadyWaiting,
    /// That person is not waiting to be let in (`not_waiting`).
    #[error("that person is not waiting to be let in")]
    NotWaiting,
    /// A host muted you; this meeting does not let you unmute yourself (`muted_by_host`).
    #[error("a host muted you; this meeting does not let you unmute yourself")]
    MutedByHost,
    /// That is not one of the reactions (`invalid_reaction`).
    #[error("that is not one of the reactions")]
    InvalidReaction,
    /// This server starts meetings only from an invitation link (`invite_required`).
    #[error("this server starts meetings only from an invitation link")]
    InviteRequired,
    /// The invitation link is not valid (`invalid_invite`).
    #[error("the invitation link is not valid")]
    InvalidInvite,
    /// The meeting's settings cannot be read right now; try again later (`meetings_unavailable`).
    #[error("the meeting's settings cannot be read right now; try again later")]
    MeetingsUnavailable,
}

impl Refusal {
    /// The stable code sent to clients.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::InvalidPayload => "invalid_payload",
            Refusal::InvalidJson => "invalid_json",
            Refusal::InvalidName => "invalid_name",
            Refusal::InvalidRoom => "invalid_room",
            Refusal::InvalidMessage => "invalid_message",
            Refusal::TooLarge => "too_large",
            Refusal::NotInRoom => "not_in_room",
            Refusal::RoomFull => "room_full",
            Refusal::TooManyRooms => "too_many_rooms",
            Refusal::RateLimited => "rate_limited",
            Refusal::InvalidPage => "invalid_page",
            Refusal::NotStored => "not_stored",
            Refusal::HistoryUnavailable => "history_unavailable",
            Refusal::NotSfu => "not_sfu",
            Refusal::InvalidSdp => "invalid_sdp",
            Refusal::NoSfuSession => "no_sfu_session",
            Refusal::NoOfferPending => "no_offer_pending",
            Refusal::MediaUnavailable => "media_unavailable",
            Refusal::NotHost => "not_host",
            Refusal::HostsOnly => "hosts_only",
            Refusal::NoSuchParticipant => "no_such_participant",
            Refusal::Removed => "removed",
            Refusal::PasscodeRequired => "passcode_required",
            Refusal::WrongPasscode => "wrong_passcode",
            Refusal::TooManyAttempts => "too_many_attempts",
            Refusal::InvalidPasscode => "invalid_passcode",
            Refusal::InvalidKey => "invalid_key",
            Refusal::Locked => "locked",
            Refusal::LobbyFull => "lobby_full",
            Refusal::AlreadyWaiting => "already_waiting",
            Refusal::NotWaiting => "not_waiting",
            Refusal::MutedByHost => "muted_by_host",
            Refusal::InvalidReaction => "invalid_reaction",
            Refusal::InviteRequired => "invite_required",
            Refusal::InvalidInvite => "invalid_invite",
            Refusal::MeetingsUnavailable => "meetings_unavailable",
        }
    }

    /// The wire form: `{ code, message }`.
    pub fn body(self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

/// The `{ code, message }` object inside every refusal.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorBody {
    /// Stable, machine-readable code.
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
}

/// An ack payload: `{ "ok": T }` or `{ "error": { code, message } }`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reply<T> {
    /// The request was carried out.
    Ok(T),
    /// The request was refused.
    Error(ErrorBody),
}

impl<T> From<Result<T, Refusal>> for Reply<T> {
    fn from(result: Result<T, Refusal>) -> Self {
        match result {
            Ok(value) => Reply::Ok(value),
            Err(refusal) => Reply::Error(refusal.body()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_have_the_documented_shape() {
        let ok: Reply<u32> = Ok(7).into();
        assert_eq!(
            serde_json::to_value(ok).unwrap(),
            serde_json::json!({"ok": 7})
        );
        let err: Reply<u32> = Err(Refusal::NotInRoom).into();
        assert_eq!(
            serde_json::to_value(err).unwrap(),
            serde_json::json!({"error": {"code": "not_in_room", "message": "you are not in that room"}})
        );
    }
}
