//! The SFU speaks Opus and VP8 only, whatever the browser offers: one codec per
//! kind lets any receiver take any sender's frames, and every payload type on a
//! line is SDP work for the browser on each of a late joiner's many lines.

use std::collections::BTreeSet;
use std::time::Instant;

use crate::support::net::{SFU_ADDR, World};
use moim_sfu::{PeerId, Sfu, SfuConfig, SfuEvent};
use str0m::Rtc;
use str0m::media::{Direction, MediaKind};

/// Per m-line of `sdp`: its kind and the codec names on it.
fn codecs(sdp: &str) -> Vec<(String, BTreeSet<String>)> {
    let mut lines: Vec<(String, BTreeSet<String>)> = Vec::new();
    for line in sdp.lines() {
        if let Some(m) = line.strip_prefix("m=") {
            let kind = m.split(' ').next().unwrap_or_default().to_owned();
            lines.push((kind, BTreeSet::new()));
        } else if let Some(map) = line.strip_prefix("a=rtpmap:") {
            let codec = map.split([' ', '/']).nth(1).unwrap_or_default().to_owned();
            lines
                .last_mut()
                .expect("rtpmap inside an m-line")
                .1
                .insert(codec);
        }
    }
    lines
}

fn assert_opus_and_vp8_only(sdp: &str) {
    let lines = codecs(sdp);
    assert!(lines.iter().any(|(k, _)| k == "audio"), "{sdp}");
    assert!(lines.iter().any(|(k, _)| k == "video"), "{sdp}");
    for (kind, names) in lines {
        let expected: BTreeSet<String> = match kind.as_str() {
            "audio" => ["opus"].map(String::from).into(),
            "video" => ["VP8", "rtx"].map(String::from).into(),
            _ => continue,
        };
        assert_eq!(names, expected, "{kind} line of\n{sdp}");
    }
}

#[test]
fn a_browser_offering_every_codec_gets_an_answer_with_opus_and_vp8_only() {
    let now = Instant::now();
    // str0m's defaults, like a browser: Opus, VP8, H.264 (several), VP9, AV1.
    let mut browser = Rtc::builder().build(now);
    let mut api = browser.sdp_api();
    api.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
    api.add_media(MediaKind::Video, Direction::SendOnly, None, None, None);
    let (offer, _) = api.apply().unwrap();
    let offer = offer.to_sdp_string();
    assert!(codecs(&offer).iter().any(|(_, c)| c.contains("H264")));

    let mut sfu = Sfu::new(SfuConfig::new(vec![SFU_ADDR.parse().unwrap()]));
    let answer = sfu.join(now, PeerId(1), "a", "p1", &offer).unwrap();
    assert_opus_and_vp8_only(&answer);
}

#[test]
fn the_offer_of_someone_elses_tracks_lists_opus_and_vp8_only() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.run_until(5_000, |w| w.all_connected())
        .expect("everyone connects");
    // Video is offered to the others from its first frame.
    w.send_video(1, mids[1], None, true, 1);
    w.run(200);
    let offer = w
        .events
        .iter()
        .rev()
        .find_map(|e| match e {
            SfuEvent::Offer { peer, sdp } if *peer == PeerId(2) => Some(sdp.clone()),
            _ => None,
        })
        .expect("the receiver is offered the publisher's tracks");
    assert_opus_and_vp8_only(&offer);
}
