//! Audio through the SFU core in memory: who the active speaker is, and the
//! level the receivers' browsers read from forwarded packets.

use crate::support::net::World;
use moim_sfu::{PeerId, SfuEvent};

#[test]
fn the_loudest_person_becomes_the_active_speaker() {
    let mut w = World::new();
    let a = w.join(1, "a", true, false);
    let b = w.join(2, "a", true, false);
    w.settle();
    for i in 0..60u8 {
        w.send_audio(1, a[0], -70, i);
        w.send_audio(2, b[0], -15, i);
        w.run(20);
    }
    assert_eq!(speakers(&w).last(), Some(&("a", 2)));
}

#[test]
fn the_audio_level_reaches_the_receivers_with_the_sound() {
    // Browsers read a remote microphone's level (the "speaking" ring) from the
    // RFC 6464 extension of the packets they receive.
    let mut w = World::new();
    let a = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.settle();
    for (i, level) in [-20i8, -35, -90].into_iter().enumerate() {
        w.send_audio(1, a[0], level, i as u8);
        w.run(20);
    }
    let levels: Vec<Option<i8>> = w
        .client(2)
        .frames
        .iter()
        .filter(|f| f.stream.as_deref() == Some("person-1"))
        .map(|f| f.audio_level)
        .collect();
    assert_eq!(levels, vec![Some(-20), Some(-35), Some(-90)]);
}

/// Who the SFU named the active speaker (room, peer), in order.
fn speakers(w: &World) -> Vec<(&str, u64)> {
    w.events
        .iter()
        .filter_map(|e| match e {
            SfuEvent::ActiveSpeaker { room, peer } => Some((room.as_str(), peer.0)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_muted_person_is_never_the_active_speaker_even_if_their_packets_say_loud() {
    let mut w = World::new();
    let a = w.join(1, "a", true, false);
    let b = w.join(2, "a", true, false);
    w.settle();
    // 2's microphone is off, but its packets carry a loud level (what a browser
    // may stamp on a disabled track).
    w.sfu.set_muted(PeerId(2), true).unwrap();
    for i in 0..60u8 {
        w.send_audio(1, a[0], -40, i);
        w.send_audio(2, b[0], -5, i);
        w.run(20);
    }
    assert_eq!(speakers(&w), vec![("a", 1)]);
    // Unmuted, 2 is the loudest and takes over.
    w.sfu.set_muted(PeerId(2), false).unwrap();
    for i in 60..120u8 {
        w.send_audio(1, a[0], -40, i);
        w.send_audio(2, b[0], -5, i);
        w.run(20);
    }
    assert_eq!(speakers(&w), vec![("a", 1), ("a", 2)]);
    assert_eq!(
        w.sfu.set_muted(PeerId(9), true),
        Err(moim_sfu::SfuError::UnknownPeer)
    );
}

#[test]
fn a_silenced_person_is_heard_by_no_one_until_let_speak_again() {
    // A host held 1 muted: its browser keeps sending (it ignored the mute),
    // and no receiver gets a packet of it; the others are still heard.
    let mut w = World::new();
    let a = w.join(1, "a", true, false);
    let b = w.join(2, "a", true, false);
    w.join(3, "a", false, false);
    w.settle();
    w.sfu.set_silenced(PeerId(1), true).expect("1 is a peer");
    for i in 0..10u8 {
        w.send_audio(1, a[0], -20, i);
        w.send_audio(2, b[0], -20, i);
        w.run(20);
    }
    let from = |w: &World, receiver: u64, stream: &str| {
        w.client(receiver)
            .frames
            .iter()
            .filter(|f| f.stream.as_deref() == Some(stream))
            .count()
    };
    assert_eq!(
        from(&w, 3, "person-1"),
        0,
        "a silenced person reaches no one"
    );
    assert_eq!(from(&w, 2, "person-1"), 0);
    assert_eq!(from(&w, 3, "person-2"), 10, "the others are heard");
    assert!(!speakers(&w).contains(&("a", 1)));

    w.sfu.set_silenced(PeerId(1), false).expect("1 is a peer");
    for i in 10..15u8 {
        w.send_audio(1, a[0], -20, i);
        w.run(20);
    }
    assert_eq!(from(&w, 3, "person-1"), 5, "heard again once let speak");
}
