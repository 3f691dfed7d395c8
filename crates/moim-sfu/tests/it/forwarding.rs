//! The SFU core in memory: browsers are str0m `Rtc`s, time is virtual.

use crate::support::net::{self, World};
use moim_sfu::{Dropped, PeerId, SfuError, SfuEvent};

/// Send `tags` as video frames from `id`, the first one a keyframe.
fn send_frames(w: &mut World, id: u64, mid: str0m::media::Mid, tags: std::ops::Range<u8>) {
    for tag in tags {
        w.send_video(id, mid, None, tag % 30 == 1, tag);
        w.run(33);
    }
    w.run(100);
}

#[test]
fn every_subscriber_in_the_room_gets_every_frame_and_other_rooms_get_none() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.join(3, "a", true, false);
    w.join(4, "b", false, false);
    w.settle();
    w.go_live(1, mids[1]);

    send_frames(&mut w, 1, mids[1], 1..21);

    let sent: Vec<u8> = (1..21).collect();
    assert_eq!(w.tags_from(2, "person-1"), sent);
    assert_eq!(w.tags_from(3, "person-1"), sent);
    assert!(w.client(4).frames.is_empty(), "room b must not see room a");
    assert!(
        w.client(1).frames.is_empty(),
        "nobody gets their own video back"
    );
}

/// How many lines of `kind` `receiver` has open from `stream`.
fn lines_from(w: &World, receiver: u64, stream: &str, kind: str0m::media::MediaKind) -> usize {
    let c = w.client(receiver);
    c.streams
        .iter()
        .filter(|(mid, s)| *s == stream && c.rtc.media(**mid).is_some_and(|m| m.kind() == kind))
        .count()
}

#[test]
fn a_video_line_is_offered_to_the_others_only_once_it_carries_frames() {
    use str0m::media::MediaKind::{Audio, Video};
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.settle();
    // The camera is off (no frames): the others get the microphone only.
    assert_eq!(lines_from(&w, 2, "person-1", Audio), 1);
    assert_eq!(lines_from(&w, 2, "person-1", Video), 0);

    w.go_live(1, mids[1]);
    assert_eq!(lines_from(&w, 2, "person-1", Video), 1);
    send_frames(&mut w, 1, mids[1], 1..4);
    assert_eq!(w.tags_from(2, "person-1"), vec![1, 2, 3]);

    // A late joiner gets both lines in its first offer, and the frames.
    w.join(3, "a", false, false);
    w.settle();
    let offers = w
        .events
        .iter()
        .filter(|e| {
            matches!(
                e,
                SfuEvent::Offer {
                    peer: PeerId(3),
                    ..
                }
            )
        })
        .count();
    assert_eq!(offers, 1);
    assert_eq!(lines_from(&w, 3, "person-1", Video), 1);
    send_frames(&mut w, 1, mids[1], 31..33);
    assert_eq!(w.tags_from(3, "person-1"), vec![31, 32]);
}

#[test]
fn a_frame_is_forwarded_the_moment_its_last_packet_arrives() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.join(3, "a", false, false);
    w.settle();
    w.go_live(1, mids[1]);
    send_frames(&mut w, 1, mids[1], 1..3);

    // No time passes and the SFU gets no timeout: the frame must still reach
    // both receivers (str0m would otherwise packetize it a timer turn later).
    w.send_video(1, mids[1], None, false, 3);
    w.deliver_now(1);
    assert_eq!(w.tags_from(2, "person-1"), vec![1, 2, 3]);
    assert_eq!(w.tags_from(3, "person-1"), vec![1, 2, 3]);
}

#[test]
fn two_frames_from_one_datagram_both_leave_at_once() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.settle();
    w.go_live(1, mids[1]);
    send_frames(&mut w, 1, mids[1], 1..3);

    // Frame 3 is late: frame 4 arrives first and waits behind the gap in the
    // SFU's `Rtc` for the sender. Frame 3 then completes both in one drain,
    // two writes on one track of the receiver. No time passes, the SFU gets
    // no timeout, and the receiver sends nothing back that would drive it:
    // both must leave on frame 3's datagram alone, each write drained before
    // the next (str0m packetizes one frame per track per timeout).
    w.send_video(1, mids[1], None, false, 3);
    let late = w.hold(1);
    w.run(33);
    w.send_video(1, mids[1], None, false, 4);
    let early = w.hold(1);
    w.release(early);
    assert_eq!(w.tags_from(2, "person-1"), vec![1, 2], "4 waits for 3");
    w.silent.push(PeerId(2));
    w.release(late);
    assert_eq!(w.tags_from(2, "person-1"), vec![1, 2, 3, 4]);
}

#[test]
fn a_late_joiner_gets_a_keyframe_request_sent_and_then_video() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.settle();
    send_frames(&mut w, 1, mids[1], 1..11);
    let before = w.client(1).keyframe_requests.len();

    w.join(5, "a", false, false);
    let took = w
        .run_until(1_000, |w| w.client(1).keyframe_requests.len() > before)
        .expect("the publisher is asked for a keyframe when someone joins");
    assert!(took.as_millis() < 1_000);

    // The publisher answers with a keyframe; the newcomer shows it.
    w.send_video(1, mids[1], None, true, 99);
    w.run_until(200, |w| w.tags_from(5, "person-1").contains(&99))
        .expect("the late joiner sees video");
}

#[test]
fn keyframe_requests_from_many_receivers_are_folded_into_one() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    for id in 2..8 {
        w.join(id, "a", false, false);
    }
    w.settle();
    send_frames(&mut w, 1, mids[1], 1..5);
    w.run(400);
    let before = w.client(1).keyframe_requests.len();

    // Six receivers lose the picture at once and each sends a PLI.
    for id in 2..8 {
        let c = w.clients.get_mut(&PeerId(id)).unwrap();
        let video = c
            .streams
            .iter()
            .filter(|(_, s)| *s == "person-1")
            .map(|(m, _)| *m)
            .find(|m| {
                c.rtc
                    .media(*m)
                    .is_some_and(|m| m.kind() == str0m::media::MediaKind::Video)
            });
        let mid = video.expect("a video track from person-1");
        let mut writer = c.rtc.writer(mid).unwrap();
        writer
            .request_keyframe(None, str0m::media::KeyframeRequestKind::Pli)
            .unwrap();
    }
    w.run(100);
    let forwarded = w.client(1).keyframe_requests.len() - before;
    assert_eq!(
        forwarded, 1,
        "six PLIs within the interval reach the sender as one"
    );
    assert!(w.sfu.stats().keyframe_requests_throttled >= 5);
}

#[test]
fn a_subscriber_leaving_mid_stream_does_not_disturb_the_others() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    for id in 2..5 {
        w.join(id, "a", false, false);
    }
    w.settle();
    w.go_live(1, mids[1]);
    send_frames(&mut w, 1, mids[1], 1..11);
    let had = w.tags_from(3, "person-1").len();

    w.sfu.leave(w.now, PeerId(3)).unwrap();
    assert_eq!(w.sfu.peer_count(), 3);
    send_frames(&mut w, 1, mids[1], 11..21);

    let sent: Vec<u8> = (1..21).collect();
    assert_eq!(w.tags_from(2, "person-1"), sent);
    assert_eq!(w.tags_from(4, "person-1"), sent);
    assert_eq!(
        w.tags_from(3, "person-1").len(),
        had,
        "nothing more reaches the one who left"
    );
    assert_eq!(w.sfu.leave(w.now, PeerId(3)), Err(SfuError::UnknownPeer));
}

#[test]
fn when_the_publisher_leaves_its_tracks_are_stopped_at_the_receivers() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.settle();
    w.go_live(1, mids[1]);
    let offers_before = w
        .events
        .iter()
        .filter(|e| {
            matches!(
                e,
                SfuEvent::Offer {
                    peer: PeerId(2),
                    ..
                }
            )
        })
        .count();
    w.sfu.leave(w.now, PeerId(1)).unwrap();
    w.run(10);
    let offers: Vec<&SfuEvent> = w
        .events
        .iter()
        .filter(|e| {
            matches!(
                e,
                SfuEvent::Offer {
                    peer: PeerId(2),
                    ..
                }
            )
        })
        .collect();
    assert_eq!(
        offers.len(),
        offers_before + 1,
        "the receiver gets an offer stopping the tracks"
    );
    let SfuEvent::Offer { sdp, .. } = offers.last().unwrap() else {
        unreachable!()
    };
    assert!(
        sdp.contains("m=video 0 ") && sdp.contains("m=audio 0 "),
        "{sdp}"
    );
}

#[test]
fn garbage_and_unknown_sources_are_dropped_and_counted() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.settle();
    w.go_live(1, mids[1]);
    let sfu_addr = net::SFU_ADDR.parse().unwrap();
    let stranger = "192.0.2.9:1234".parse().unwrap();

    assert_eq!(
        w.sfu.handle_receive(w.now, stranger, sfu_addr, &[0xff; 40]),
        Err(Dropped::NotWebRtc)
    );
    assert_eq!(
        w.sfu.handle_receive(w.now, stranger, sfu_addr, &[]),
        Err(Dropped::NotWebRtc)
    );
    // Shaped like RTP (version 2) but from nobody the SFU knows.
    let mut rtp = vec![0x80, 96, 0, 1, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef];
    rtp.resize(200, 7);
    assert_eq!(
        w.sfu.handle_receive(w.now, stranger, sfu_addr, &rtp),
        Err(Dropped::UnknownSource)
    );
    // The same from a known peer's address is not valid SRTP either: nothing breaks.
    let known = w.client(1).addr;
    let _ = w.sfu.handle_receive(w.now, known, sfu_addr, &rtp);

    let stats = w.sfu.stats();
    assert_eq!(stats.dropped_not_webrtc, 2);
    assert_eq!(stats.dropped_unknown_source, 1);
    send_frames(&mut w, 1, mids[1], 1..6);
    assert_eq!(
        w.tags_from(2, "person-1"),
        vec![1, 2, 3, 4, 5],
        "forwarding goes on"
    );
}

#[test]
fn a_bad_offer_is_refused_and_changes_nothing() {
    let mut w = World::new();
    let err = w
        .sfu
        .join(w.now, PeerId(9), "a", "x", "not sdp")
        .unwrap_err();
    assert!(matches!(err, SfuError::BadSdp(_)), "{err:?}");
    assert_eq!(w.sfu.peer_count(), 0);
    assert_eq!(
        w.sfu.accept_answer(w.now, PeerId(9), "v=0"),
        Err(SfuError::UnknownPeer)
    );

    w.join(1, "a", true, false);
    w.settle();
    assert_eq!(
        w.sfu.accept_answer(w.now, PeerId(1), "v=0"),
        Err(SfuError::NoOfferPending)
    );
    assert!(matches!(
        w.sfu.accept_offer(w.now, PeerId(1), "garbage"),
        Err(SfuError::BadSdp(_))
    ));
    assert_eq!(w.sfu.peer_count(), 1);
}

#[test]
fn a_phone_held_sideways_is_shown_upright_at_the_receivers() {
    // Phones send their camera unrotated with the rotation in the CVO header
    // extension; without it the receivers would show the picture sideways.
    use str0m::rtp::VideoOrientation::{Deg0, Deg90};
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.settle();
    w.go_live(1, mids[1]);
    w.send_video_turned(1, mids[1], None, true, 1, Some(Deg90));
    w.run(33);
    w.send_video_turned(1, mids[1], None, false, 2, Some(Deg0));
    w.run(100);
    let turns: Vec<_> = w
        .client(2)
        .frames
        .iter()
        .filter(|f| f.stream.as_deref() == Some("person-1"))
        .map(|f| f.orientation)
        .collect();
    assert_eq!(turns, vec![Some(Deg90), Some(Deg0)]);
}

#[test]
fn a_receiver_whose_network_comes_up_after_its_answer_asks_for_a_keyframe_again() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.settle();
    send_frames(&mut w, 1, mids[1], 1..5);
    w.run(400);

    // The newcomer's offers go through, but its datagrams do not yet: the
    // keyframe asked for when its tracks open cannot reach it.
    w.cut.push(moim_sfu::PeerId(5));
    w.join(5, "a", false, false);
    w.run(50);
    let asked_on_open = w.client(1).keyframe_requests.len();
    w.cut.clear();
    w.run_until(2_000, |w| w.client(5).connected)
        .expect("the newcomer connects once its network is up");
    w.run_until(100, |w| w.client(1).keyframe_requests.len() > asked_on_open)
        .expect("connecting asks the publisher for a keyframe again, even within the throttle's interval");
}
