//! Input limits and the checks that enforce them.
//!
//! Every value a client sends passes through one of these functions before the
//! room model sees it, so the limits in `docs/protocol.md` live in one place.
//! Lengths count Unicode scalar values (what a person calls characters), not bytes.

use crate::error::Refusal;

/// The limits moim enforces on what clients send.
pub mod limits {
    /// Longest nickname, in characters.
    pub const NAME: usize = 32;
    /// Longest room name, in characters.
    pub const ROOM: usize = 64;
    /// Longest chat message, in characters.
    pub const MESSAGE: usize = 4000;
    /// Largest session description or ICE candidate relayed, in bytes of JSON.
    pub const SDP_BYTES: usize = 64 * 1024;
    /// Largest file offered peer to peer over a data channel (never through the server).
    pub const FILE_BYTES: usize = 100 * 1024 * 1024;
    /// Largest Socket.IO packet (and `/ws` frame), in bytes.
    pub const PACKET_BYTES: usize = 1024 * 1024;
    /// Packets queued for one socket before more are dropped (socketioxide's
    /// default is 128). Stored chat is sent on in bursts, one per commit of
    /// up to 1,024 messages (`moim_store::Journal`): a socket must be able to
    /// take a whole batch at once. The queue grows only when used.
    pub const SOCKET_QUEUE: usize = 2048;
}

/// Checks a nickname: 1–32 characters once trimmed, no control characters.
/// Returns the trimmed name.
pub fn name(raw: &str) -> Result<&str, Refusal> {
    let name = raw.trim();
    let len = name.chars().count();
    if len == 0 || len > limits::NAME || has_control(name) {
        return Err(Refusal::InvalidName);
    }
    Ok(name)
}

/// Checks a room name: 1–64 characters, not blank, no control characters.
///
/// The name is not trimmed: course clients send the room name again with every
/// relay, and it must match the joined room byte for byte.
pub fn room(raw: &str) -> Result<&str, Refusal> {
    let len = raw.chars().count();
    if len == 0 || len > limits::ROOM || raw.trim().is_empty() || has_control(raw) {
        return Err(Refusal::InvalidRoom);
    }
    Ok(raw)
}

/// Checks a chat message: 1–4000 characters and not only white space.
pub fn message(raw: &str) -> Result<&str, Refusal> {
    if raw.trim().is_empty() || raw.chars().count() > limits::MESSAGE {
        return Err(Refusal::InvalidMessage);
    }
    Ok(raw)
}

/// Checks a relayed WebRTC payload (description or candidate) by its JSON size.
pub fn relay_payload(value: &serde_json::Value) -> Result<(), Refusal> {
    // Strings dominate an SDP; counting them avoids serializing the value again.
    if json_size(value) > limits::SDP_BYTES {
        return Err(Refusal::TooLarge);
    }
    Ok(())
}

/// An upper bound of the serialized size of a JSON value, without allocating.
fn json_size(value: &serde_json::Value) -> usize {
    use serde_json::Value;
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => 24,
        Value::String(s) => s.len() + 2,
        Value::Array(items) => 2 + items.iter().map(|v| json_size(v) + 1).sum::<usize>(),
        Value::Object(map) => {
            2 + map
                .iter()
                .map(|(k, v)| k.len() + 4 + json_size(v))
                .sum::<usize>()
        }
    }
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("  Mina ").unwrap(), "Mina");
        assert_eq!(name("").unwrap_err(), Refusal::InvalidName);
        assert_eq!(name("   ").unwrap_err(), Refusal::InvalidName);
        assert!(name(&"가".repeat(32)).is_ok(), "32 Hangul syllables fit");
        assert_eq!(name(&"a".repeat(33)).unwrap_err(), Refusal::InvalidName);
        assert_eq!(name("a\u{0}b").unwrap_err(), Refusal::InvalidName);
    }

    #[test]
    fn rooms_are_kept_as_sent() {
        assert_eq!(room(" lobby ").unwrap(), " lobby ");
        assert!(room(&"r".repeat(64)).is_ok());
        assert_eq!(room(&"r".repeat(65)).unwrap_err(), Refusal::InvalidRoom);
        assert_eq!(room("").unwrap_err(), Refusal::InvalidRoom);
        assert_eq!(room(" \t").unwrap_err(), Refusal::InvalidRoom);
        assert_eq!(room("a\nb").unwrap_err(), Refusal::InvalidRoom);
    }

    #[test]
    fn messages_are_bounded() {
        assert!(message("hi").is_ok());
        assert!(message(&"x".repeat(4000)).is_ok());
        assert_eq!(
            message(&"x".repeat(4001)).unwrap_err(),
            Refusal::InvalidMessage
        );
        assert_eq!(message("").unwrap_err(), Refusal::InvalidMessage);
        assert_eq!(message(" \n ").unwrap_err(), Refusal::InvalidMessage);
    }

    #[test]
    fn relay_payloads_are_bounded() {
        let small = json!({"type": "offer", "sdp": "v=0\r\n".repeat(100)});
        assert!(relay_payload(&small).is_ok());
        let big = json!({"type": "offer", "sdp": "x".repeat(limits::SDP_BYTES)});
        assert_eq!(relay_payload(&big).unwrap_err(), Refusal::TooLarge);
        let nested = json!([[
            ["y".repeat(limits::SDP_BYTES / 2)],
            "y".repeat(limits::SDP_BYTES / 2)
        ]]);
        assert_eq!(relay_payload(&nested).unwrap_err(), Refusal::TooLarge);
    }
}
