//! What a name may look like beyond its length: one Unicode form, no
//! direction overrides, and not blank to the eye.
//!
//! The same name typed on two systems must be the same name: macOS and some
//! input methods send decomposed text (`ᄒ` + `ᅡ` + `ᆫ` for `한`), so names are
//! normalised to NFC, the form browsers' input methods produce. Direction
//! controls (the "Trojan Source" characters) make a name display in another
//! order than it is stored, so `evil`, U+202E, `gnp.exe` reads as `evilexe.png`: they are
//! refused outright. Invisible characters are allowed inside a name, since
//! emoji (`👩‍💻`: a zero-width joiner; `❤️`: a variation selector) and scripts
//! such as Persian (zero-width non-joiner) need them; a name made of nothing
//! else would show as an empty label, and is refused.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// `s` in Unicode normalization form C, borrowed when it already is.
pub fn nfc(s: &str) -> Cow<'_, str> {
    if unicode_normalization::is_nfc(s) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// Whether `s` holds a character that changes the display order of text.
pub fn has_direction_control(s: &str) -> bool {
    s.chars().any(is_direction_control)
}

/// Whether nothing in `s` would show: only white space and invisible characters.
pub fn looks_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Bidirectional embeddings, overrides and isolates, the directional marks,
/// and the deprecated format characters that also steer display (U+206A–F).
fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{206A}'..='\u{206F}'
    )
}

/// Characters that take no visible space on their own. Hangul fillers are
/// here (a name of U+3164 alone is a blank label); Hangul itself is not.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' // soft hyphen
            | '\u{034F}' // combining grapheme joiner
            | '\u{115F}' | '\u{1160}' // Hangul choseong and jungseong fillers
            | '\u{17B4}' | '\u{17B5}' // Khmer inherent vowels
            | '\u{180B}'..='\u{180F}' // Mongolian variation selectors and vowel separator
            | '\u{200B}'..='\u{200D}' // zero-width space, non-joiner, joiner
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2800}' // Braille blank
            | '\u{3164}' // Hangul filler
            | '\u{FE00}'..='\u{FE0F}' // variation selectors
            | '\u{FEFF}' // zero-width no-break space (byte order mark)
            | '\u{FFA0}' // halfwidth Hangul filler
            | '\u{1D173}'..='\u{1D17A}' // musical formatting
            | '\u{E0000}'..='\u{E007F}' // tags
            | '\u{E0100}'..='\u{E01EF}' // variation selectors supplement
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_text_becomes_composed() {
        // 한글 typed as conjoining jamo, é as e + combining acute.
        assert_eq!(
            nfc("\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}"),
            "한글"
        );
        assert_eq!(nfc("e\u{0301}"), "é");
        assert!(matches!(nfc("already 한글"), Cow::Borrowed(_)));
    }

    #[test]
    fn direction_controls_are_found() {
        for c in [
            '\u{202E}', '\u{202A}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            assert!(
                has_direction_control(&format!("ab{c}cd")),
                "{:04X}",
                c as u32
            );
        }
        assert!(!has_direction_control("مرحبا שלום 안녕"));
    }

    #[test]
    fn blank_means_nothing_visible() {
        for blank in [
            "\u{200B}",
            "\u{3164}\u{3164}",
            " \u{FEFF}\u{00AD} ",
            "\u{115F}\u{1160}",
            "\u{2800}",
            "\u{FE0F}",
        ] {
            assert!(looks_blank(blank), "{blank:?}");
        }
        for visible in ["가", "ㅋㅋ", "👩\u{200D}💻", "❤\u{FE0F}", "a\u{200B}"] {
            assert!(!looks_blank(visible), "{visible:?}");
        }
    }
}
