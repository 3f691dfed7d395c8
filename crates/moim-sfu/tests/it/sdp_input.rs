//! Session descriptions come from browsers, that is from anyone: whatever
//! bytes arrive as an offer or an answer, the SFU answers or refuses with
//! `BadSdp`, never panics, and stays usable for everyone else.

use std::time::Instant;

use moim_sfu::{PeerId, Sfu, SfuConfig, SfuError};
use proptest::prelude::*;
use str0m::Rtc;
use str0m::media::{Direction, MediaKind};

const SFU_ADDR: &str = "10.0.0.1:50000";

/// A browser-like offer (audio and video to send), made by str0m.
fn real_offer() -> String {
    moim_sfu::install_crypto();
    let mut browser = Rtc::builder().build(Instant::now());
    let mut api = browser.sdp_api();
    api.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
    api.add_media(MediaKind::Video, Direction::SendOnly, None, None, None);
    let (offer, _) = api.apply().expect("an offer");
    offer.to_sdp_string()
}

fn sfu() -> Sfu {
    Sfu::new(SfuConfig::new(vec![SFU_ADDR.parse().expect("an address")]))
}

/// A real offer with lines dropped, repeated, cut or garbled: the kind of
/// input that gets past a first look and into the parser's corners.
fn mangled_offer() -> impl Strategy<Value = String> {
    let lines: Vec<String> = real_offer().lines().map(str::to_owned).collect();
    let n = lines.len();
    prop::collection::vec((0..n, 0u8..5, any::<u16>(), "[ -~]{0,12}"), 1..8).prop_map(
        move |edits| {
            let mut lines = lines.clone();
            for (at, how, number, text) in edits {
                let at = at % lines.len().max(1);
                if lines.is_empty() {
                    break;
                }
                match how {
                    0 => {
                        lines.remove(at);
                    }
                    1 => {
                        let copy = lines[at].clone();
                        lines.insert(at, copy);
                    }
                    2 => {
                        let cut = usize::from(number) % (lines[at].len() + 1);
                        let line = lines[at].clone();
                        lines[at] = line.chars().take(cut).collect();
                    }
                    3 => lines[at].push_str(&text),
                    _ => {
                        // A number where one is expected, out of any range.
                        let line = lines[at].replace(|c: char| c.is_ascii_digit(), "");
                        lines[at] = format!("{line}{number}{text}");
                    }
                }
            }
            let mut sdp = lines.join("\r\n");
            sdp.push_str("\r\n");
            sdp
        },
    )
}

/// Whatever happened, the SFU still takes a good offer from someone else.
fn still_serves(sfu: &mut Sfu, now: Instant) {
    let answer = sfu.join(now, PeerId(999), "room", "good", &real_offer());
    assert!(answer.is_ok(), "a good offer after bad input: {answer:?}");
}

/// `sdp` as someone's first offer: an answer or `BadSdp`, and the SFU still
/// serves the next person.
fn first_offer_is_answered_or_refused(sdp: &str) -> Result<(), TestCaseError> {
    let now = Instant::now();
    let mut sfu = sfu();
    match sfu.join(now, PeerId(1), "room", "p1", sdp) {
        Ok(_) | Err(SfuError::BadSdp(_)) => {}
        Err(other) => prop_assert!(false, "unexpected refusal {other:?}"),
    }
    still_serves(&mut sfu, now);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_text_as_a_first_offer_is_answered_or_refused(sdp in "\\PC{0,400}") {
        first_offer_is_answered_or_refused(&sdp)?;
    }

    #[test]
    fn a_mangled_offer_is_answered_or_refused(sdp in mangled_offer()) {
        first_offer_is_answered_or_refused(&sdp)?;
    }

    #[test]
    fn a_mangled_renegotiation_or_answer_is_answered_or_refused(sdp in mangled_offer()) {
        let now = Instant::now();
        let mut sfu = sfu();
        sfu.join(now, PeerId(1), "room", "p1", &real_offer()).expect("a good first offer");
        let _ = sfu.accept_offer(now, PeerId(1), &sdp);
        // No offer of the SFU's is pending, and a pending one with a bad answer
        // is refused the same way: never a panic.
        let _ = sfu.accept_answer(now, PeerId(1), &sdp);
        still_serves(&mut sfu, now);
    }
}
