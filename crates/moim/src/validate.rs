//! Input limits and the checks that enforce them.
//!
//! Every value a client sends passes through one of these functions before the
//! room model sees it, so the limits in `docs/protocol.md` live in one place.
//! Lengths count Unicode scalar values (what a person calls characters), not bytes,
//! and names are counted and kept in NFC, as [`text`] explains.

#[cfg(test)]
mod props;
mod text;

use crate::error::Refusal;

/// The name of someone who gave none: the course's `Anon`, on `/` and `/ws`.
pub const DEFAULT_NICKNAME: &str = "Anon";

/// The limits moim enforces on what clients send.
pub mod limits {
    /// Longest nickname, in characters.
    pub const NAME: usize = 32;
    /// Longest room name, in characters.
    pub const ROOM: usize = 64;
    /// Most rooms one course socket (namespace `/`) is in at once. The
    /// course's client uses one or two; without a bound, a few sockets could
    /// fill every client's `room_change` with hundreds of names.
    pub const ROOMS_PER_SOCKET: usize = 8;
    /// Most room names in one `room_change` (see `signal::room_list`).
    pub const ROOM_LIST: usize = 100;
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

/// Checks a nickname: 1–32 characters once normalised (NFC) and trimmed, no
/// control or direction-control characters, not blank to the eye (see
/// [`text`]). Returns the name as it is to be stored and shown.
pub fn name(raw: &str) -> Result<String, Refusal> {
    let name = text::nfc(raw);
    let name = name.trim();
    let len = name.chars().count();
    if len == 0
        || len > limits::NAME
        || has_control(name)
        || text::has_direction_control(name)
        || text::looks_blank(name)
    {
        return Err(Refusal::InvalidName);
    }
    Ok(name.to_owned())
}

/// Checks a room name: 1–64 characters once normalised (NFC), not blank to
/// the eye, no control or direction-control characters.
///
/// The name is not trimmed: course clients send the room name again with every
/// relay, and it must match the joined room byte for byte. Those relays look
/// the room up through [`room_key`], which normalises the same way, so a
/// client that sends its decomposed spelling every time still finds it.
pub fn room(raw: &str) -> Result<String, Refusal> {
    let room = text::nfc(raw);
    let len = room.chars().count();
    if len == 0
        || len > limits::ROOM
        || text::looks_blank(&room)
        || has_control(&room)
        || text::has_direction_control(&room)
    {
        return Err(Refusal::InvalidRoom);
    }
    Ok(room.into_owned())
}

/// A room name as [`room`] stores it, unchecked: for looking up a room the
/// sender names again (a name [`room`] refuses is no room, and is then
/// simply not found).
pub fn room_key(raw: &str) -> std::borrow::Cow<'_, str> {
    text::nfc(raw)
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
    fn names_keep_korean_emoji_and_joiners() {
        for kept in [
            "김민아",
            "ㅋㅋㅋ",
            "민아 👋",
            "👩\u{200D}💻 dev",
            "❤\u{FE0F}",
            "میخواهم",
            "Zoë",
        ] {
            assert_eq!(name(kept).unwrap(), kept);
        }
    }

    #[test]
    fn names_are_stored_composed() {
        // 민아 as conjoining jamo (what some macOS input sends): 6 characters in,
        // the 2 syllables out, and counted as 2.
        let decomposed = "\u{1106}\u{1175}\u{11AB}\u{110B}\u{1161}";
        assert_eq!(name(decomposed).unwrap(), "민아");
        assert_eq!(name("Zoe\u{0308}").unwrap(), "Zoë");
        assert!(
            name(&"\u{1100}\u{1161}".repeat(32)).is_ok(),
            "32 syllables, 64 jamo"
        );
    }

    #[test]
    fn names_with_direction_controls_are_refused() {
        for bidi in [
            '\u{202E}', '\u{202D}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{200E}',
            '\u{200F}', '\u{061C}',
        ] {
            assert_eq!(
                name(&format!("evil{bidi}gnp.exe")).unwrap_err(),
                Refusal::InvalidName
            );
            assert_eq!(
                room(&format!("room{bidi}")).unwrap_err(),
                Refusal::InvalidRoom
            );
        }
    }

    #[test]
    fn names_that_show_nothing_are_refused() {
        for blank in [
            "\u{200B}",
            "\u{200B}\u{200C}\u{200D}",
            " \u{FEFF} ",
            "\u{00AD}",
            "\u{2060}",
            "\u{3164}",
            "\u{115F}\u{1160}",
            "\u{FFA0}",
            "\u{FE0F}",
            "\u{3000}",
        ] {
            assert_eq!(name(blank).unwrap_err(), Refusal::InvalidName, "{blank:?}");
            assert_eq!(room(blank).unwrap_err(), Refusal::InvalidRoom, "{blank:?}");
        }
        // An invisible character next to a visible one is harmless.
        assert_eq!(name("a\u{200B}").unwrap(), "a\u{200B}");
    }

    #[test]
    fn rooms_are_kept_as_sent() {
        assert_eq!(room(" lobby ").unwrap(), " lobby ");
        assert!(room(&"r".repeat(64)).is_ok());
        assert_eq!(room(&"r".repeat(65)).unwrap_err(), Refusal::InvalidRoom);
        assert_eq!(room("").unwrap_err(), Refusal::InvalidRoom);
        assert_eq!(room(" \t").unwrap_err(), Refusal::InvalidRoom);
        assert_eq!(room("a\nb").unwrap_err(), Refusal::InvalidRoom);
        assert_eq!(room("스터디 📚").unwrap(), "스터디 📚");
    }

    #[test]
    fn rooms_are_stored_and_found_composed() {
        let decomposed = "\u{1109}\u{1173}\u{1110}\u{1165}\u{1103}\u{1175}";
        assert_eq!(room(decomposed).unwrap(), "스터디");
        assert_eq!(room_key(decomposed), "스터디");
        assert_eq!(room_key(" lobby "), " lobby ");
    }

    #[test]
    fn the_room_refusal_names_the_bound() {
        let told = Refusal::TooManyRooms.to_string();
        assert!(
            told.contains(&limits::ROOMS_PER_SOCKET.to_string()),
            "{told}"
        );
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
