//! A late joiner's one negotiation: the receive lines of its first offer carry
//! the room's tracks (`join_lines.rs`), so the SFU has nothing to offer it
//! after the answer — and when the browser guessed wrong, the second offer
//! still brings what found no line.

use str0m::media::MediaKind::{Audio, Video};

use crate::support::net::World;
use moim_sfu::{PeerId, SfuEvent};

/// Offers the SFU made to `peer`.
fn offers_to(w: &World, peer: u64) -> usize {
    w.events
        .iter()
        .filter(|e| matches!(e, SfuEvent::Offer { peer: p, .. } if *p == PeerId(peer)))
        .count()
}

/// Two publishers in room "a", cameras live.
fn room_with_two_publishers() -> (World, Vec<str0m::media::Mid>, Vec<str0m::media::Mid>) {
    let mut w = World::new();
    let one = w.join(1, "a", true, false);
    let two = w.join(2, "a", true, false);
    w.settle();
    w.go_live(1, one[1]);
    w.go_live(2, two[1]);
    (w, one, two)
}

#[test]
fn a_late_joiner_gets_everyone_on_the_lines_of_its_first_offer_and_no_second_offer() {
    let (mut w, one, two) = room_with_two_publishers();
    w.events.clear();

    w.join_receiving(3, "a", true, false, [2, 2]);
    w.settle();

    // Its answer labelled every receive line with whose track it carries.
    let c = w.client(3);
    for person in ["person-1", "person-2"] {
        for kind in [Audio, Video] {
            let lines = c
                .streams
                .iter()
                .filter(|(mid, s)| {
                    *s == person
                        && c.rtc.media(**mid).is_some_and(|m| {
                            m.kind() == kind && m.direction() == str0m::media::Direction::RecvOnly
                        })
                })
                .count();
            assert_eq!(lines, 1, "{person} {kind:?}");
        }
    }
    assert_eq!(offers_to(&w, 3), 0, "one negotiation: {:?}", w.events);

    for tag in 1..6 {
        w.send_video(1, one[1], None, tag == 1, tag);
        w.send_video(2, two[1], None, tag == 1, tag + 10);
        w.run(33);
    }
    w.run(100);
    assert_eq!(w.tags_from(3, "person-1"), vec![1, 2, 3, 4, 5]);
    assert_eq!(w.tags_from(3, "person-2"), vec![11, 12, 13, 14, 15]);
    // The others were offered the newcomer's microphone as before.
    assert_eq!(offers_to(&w, 1), 1);
}

#[test]
fn a_wrong_guess_costs_a_line_or_a_second_offer_never_a_track() {
    let (mut w, one, two) = room_with_two_publishers();
    w.events.clear();

    // Three audio lines for two microphones, one video line for two cameras.
    w.join_receiving(3, "a", false, false, [3, 1]);
    w.settle();

    // The camera with no line came in a second offer; the spare audio line
    // carries nothing.
    assert_eq!(offers_to(&w, 3), 1);
    let c = w.client(3);
    let inactive = c
        .receive_lines
        .iter()
        .filter(|mid| {
            c.rtc
                .media(**mid)
                .is_some_and(|m| m.direction() == str0m::media::Direction::Inactive)
        })
        .count();
    assert_eq!(inactive, 1);

    for tag in 1..4 {
        w.send_video(1, one[1], None, tag == 1, tag);
        w.send_video(2, two[1], None, tag == 1, tag + 10);
        w.run(33);
    }
    w.run(100);
    assert_eq!(w.tags_from(3, "person-1"), vec![1, 2, 3]);
    assert_eq!(w.tags_from(3, "person-2"), vec![11, 12, 13]);
}

#[test]
fn receive_lines_in_an_empty_room_carry_nothing_and_break_nothing() {
    let mut w = World::new();
    let mids = w.join_receiving(1, "a", true, false, [1, 1]);
    w.join(2, "a", false, false);
    w.settle();
    w.go_live(1, mids[1]);
    for tag in 1..4 {
        w.send_video(1, mids[1], None, tag == 1, tag);
        w.run(33);
    }
    w.run(100);
    assert_eq!(w.tags_from(2, "person-1"), vec![1, 2, 3]);
    assert!(w.client(1).frames.is_empty());
}

#[test]
fn a_live_camera_gets_the_line_before_a_video_stopped_long_ago() {
    // The SFU holds its peers in a map of random order: without the
    // preference, each of these two rooms gives the line to the stopped
    // video half the time.
    for stopped_first in [true, false] {
        let mut w = World::new();
        let (live, stopped) = if stopped_first { (2, 1) } else { (1, 2) };
        let mids: Vec<_> = [1, 2].map(|id| w.join(id, "a", true, false)).into();
        w.settle();
        w.go_live(stopped, mids[stopped as usize - 1][1]);
        w.go_live(live, mids[live as usize - 1][1]);
        // Three seconds of frames from the live camera only.
        for tag in 1..90 {
            w.send_video(live, mids[live as usize - 1][1], None, tag == 1, tag);
            w.run(33);
        }
        // One video line for two announced videos: the live one takes it.
        w.join_receiving(3, "a", false, false, [0, 1]);
        let c = w.client(3);
        let line = c.receive_lines[0];
        assert_eq!(
            c.streams.get(&line).map(String::as_str),
            Some(format!("person-{live}").as_str()),
            "stopped first: {stopped_first}"
        );
    }
}
