//! Properties of the checks, on any input a client can send: they never
//! panic, and whatever they accept keeps their promises (the limits, NFC, no
//! control or direction characters) and is accepted again unchanged.

use proptest::prelude::*;
use unicode_normalization::{UnicodeNormalization, is_nfc};

use super::{limits, message, name, relay_payload, room, room_key};

/// Any text, weighted toward what breaks checks: combining marks, Hangul
/// jamo, invisibles, bidi controls, controls, emoji joiners.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "\\PC{0,3}",
        Just("\u{200b}".to_owned()),
        Just("\u{202e}".to_owned()),
        Just("\u{2067}".to_owned()),
        Just("\u{3164}".to_owned()),
        Just("\u{1100}\u{1161}".to_owned()),
        Just("e\u{301}".to_owned()),
        Just("\u{fe0f}".to_owned()),
        Just("👩\u{200d}💻".to_owned()),
        Just("\u{0}".to_owned()),
        Just("\n".to_owned()),
        Just(" ".to_owned()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(pieces, 0..24).prop_map(|p| p.concat())
}

fn clean(s: &str) -> bool {
    is_nfc(s)
        && !s.chars().any(|c| {
            c.is_control()
                || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn an_accepted_name_keeps_the_promises(raw in tricky_text()) {
        if let Ok(n) = name(&raw) {
            let len = n.chars().count();
            prop_assert!((1..=limits::NAME).contains(&len), "{n:?}");
            prop_assert!(clean(&n), "{n:?}");
            prop_assert_eq!(n.trim(), n.as_str());
            prop_assert_eq!(name(&n), Ok(n.clone()));
        }
    }

    #[test]
    fn an_accepted_room_keeps_the_promises(raw in tricky_text()) {
        if let Ok(r) = room(&raw) {
            let len = r.chars().count();
            prop_assert!((1..=limits::ROOM).contains(&len), "{r:?}");
            prop_assert!(clean(&r), "{r:?}");
            prop_assert_eq!(room(&r), Ok(r.clone()));
            // Relays name the room again in any spelling: they find it.
            let key = room_key(&raw).into_owned();
            prop_assert_eq!(&key, &r);
            let decomposed: String = raw.nfd().collect();
            let key = room_key(&decomposed).into_owned();
            prop_assert_eq!(&key, &r);
        }
    }

    #[test]
    fn messages_are_bounded_whatever_they_hold(raw in tricky_text()) {
        if let Ok(m) = message(&raw) {
            prop_assert!(m.chars().count() <= limits::MESSAGE);
            prop_assert!(!m.trim().is_empty());
        }
    }

    #[test]
    fn any_json_is_sized_without_panic(depth in 0usize..14, width in 0usize..4, text in "\\PC{0,64}") {
        let mut value = serde_json::Value::String(text);
        for i in 0..depth {
            value = if i % 2 == 0 {
                serde_json::Value::Array(vec![value; width])
            } else {
                serde_json::json!({ "k": value })
            };
        }
        let _ = relay_payload(&value);
    }
}
