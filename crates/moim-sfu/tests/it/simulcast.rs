//! Simulcast through the SFU core in memory: which layer of a sender's camera
//! each receiver gets (its tile size, its downlink, what the sender actually
//! sends), and that a switch always waits for the new layer's keyframe.

use crate::support::net::World;
use moim_sfu::PeerId;

#[test]
fn simulcast_layers_switch_only_on_a_keyframe_of_the_new_layer() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, true);
    w.join(2, "a", false, false);
    w.settle();
    let video = mids[1];

    // Deltas before any keyframe: nothing to decode, nothing forwarded.
    for (i, rid) in ["q", "h", "f"].iter().enumerate() {
        w.send_video(1, video, Some(rid), false, 10 + i as u8);
    }
    w.run(30);
    assert!(w.tags_from(2, "person-1").is_empty());

    // The default tile (360 px) gets the middle layer once it has a keyframe.
    w.send_video(1, video, Some("q"), true, 20);
    w.send_video(1, video, Some("h"), true, 21);
    w.send_video(1, video, Some("f"), true, 22);
    w.run(30);
    assert_eq!(w.tags_from(2, "person-1"), vec![21]);

    // A bigger tile asks for the top layer: the SFU asks the sender for its keyframe
    // and keeps forwarding the middle layer until it comes.
    // Past the keyframe-request interval of the join.
    w.run(400);
    let asked_before = w
        .client(1)
        .keyframe_requests
        .iter()
        .filter(|r| r.rid.as_deref() == Some("f"))
        .count();
    w.sfu.set_tile_height(PeerId(2), PeerId(1), 720).unwrap();
    w.send_video(1, video, Some("h"), false, 31);
    w.send_video(1, video, Some("f"), false, 32);
    w.run(50);
    assert_eq!(w.tags_from(2, "person-1"), vec![21, 31]);
    let asked = w
        .client(1)
        .keyframe_requests
        .iter()
        .filter(|r| r.rid.as_deref() == Some("f"))
        .count();
    assert!(
        asked > asked_before,
        "the sender is asked for a keyframe of the new layer: {:?} {:?}",
        w.client(1).keyframe_requests,
        w.sfu.stats()
    );

    w.send_video(1, video, Some("f"), true, 42);
    w.run(20);
    w.send_video(1, video, Some("h"), false, 41);
    w.send_video(1, video, Some("f"), false, 52);
    w.run(50);
    assert_eq!(w.tags_from(2, "person-1"), vec![21, 31, 42, 52]);
}

#[test]
fn a_receiver_losing_packets_is_moved_down_to_a_smaller_layer_and_back_when_it_clears() {
    // Both draw the camera big (the top layer); 2's downlink loses a quarter
    // of the datagrams. The tags say which layer a frame was: q 100, h 110, f 120.
    let mut w = World::new();
    let mids = w.join(1, "a", true, true);
    w.join(2, "a", false, false);
    w.join(3, "a", false, false);
    w.settle();
    let video = mids[1];
    let mut frame = 0u32;
    let mut send = |w: &mut World, seconds: u32| {
        for _ in 0..seconds * 30 {
            let keyframe = frame.is_multiple_of(30);
            for (rid, tag) in [("q", 100), ("h", 110), ("f", 120)] {
                w.send_video(1, video, Some(rid), keyframe, tag);
            }
            frame += 1;
            w.run(33);
        }
    };
    // The camera's line reaches the receivers with its first frame; then they
    // tell their tile size.
    send(&mut w, 1);
    for receiver in [2, 3] {
        w.sfu
            .set_tile_height(PeerId(receiver), PeerId(1), 720)
            .unwrap();
    }
    send(&mut w, 2);
    assert_eq!(last_tags(&w, 2, 10), vec![120; 10]);

    w.lossy.insert(PeerId(2), 0.25);
    send(&mut w, 8);
    assert!(
        last_tags(&w, 2, 10).iter().all(|t| *t < 120),
        "2 moved down: {:?}",
        last_tags(&w, 2, 10)
    );
    assert_eq!(
        last_tags(&w, 3, 10),
        vec![120; 10],
        "3's clean downlink keeps the top layer"
    );

    // The loss clears: the estimate steps back up a layer at a time, and 2
    // returns to the top layer within seconds (it took ~45 s of 8 % growth).
    w.lossy.clear();
    send(&mut w, 15);
    assert_eq!(last_tags(&w, 2, 10), vec![120; 10]);
}

#[test]
fn a_layer_the_sender_pauses_is_not_waited_for() {
    // Chrome sends only the layers its uplink estimate can carry: at the start
    // of a call, and for good on a weak uplink, the top layer is paused. A
    // receiver drawing the camera big must get the best layer that flows
    // rather than nothing, move up when the top layer starts, and back down
    // when it stops. Tags: q 100, h 110, f 120.
    let mut w = World::new();
    let mids = w.join(1, "a", true, true);
    w.join(2, "a", false, false);
    w.settle();
    let video = mids[1];
    // A weak uplink: only the quarter layer flows. The receiver's default
    // tile would take the middle one.
    send_layers(&mut w, video, &[("q", 100)], &["q"], 2_000);
    assert_eq!(
        last_tags(&w, 2, 5),
        vec![100; 5],
        "the only layer that flows"
    );

    w.sfu.set_tile_height(PeerId(2), PeerId(1), 720).unwrap();
    send_layers(&mut w, video, &[("q", 100), ("h", 110)], &["h"], 2_000);
    assert_eq!(
        last_tags(&w, 2, 5),
        vec![110; 5],
        "the best layer that flows"
    );

    // The uplink grew more: the top layer starts, with a keyframe.
    send_layers(
        &mut w,
        video,
        &[("q", 100), ("h", 110), ("f", 120)],
        &["f"],
        1_000,
    );
    assert_eq!(last_tags(&w, 2, 5), vec![120; 5], "up to the top layer");

    // It shrank again: the top layer stops; the receiver must not freeze on it.
    send_layers(&mut w, video, &[("q", 100), ("h", 110)], &[], 2_000);
    assert_eq!(
        last_tags(&w, 2, 5),
        vec![110; 5],
        "back to the middle layer"
    );
}

#[test]
fn layers_are_chosen_by_the_size_their_keyframes_carry() {
    // A 640x480 webcam: its layers are 120, 240 and 480 rows, not the 180,
    // 360 and 720 of a 720p camera. A 300 px tile needs the top layer; by the
    // assumed sizes it would get the middle one, shown blown up and blurred.
    let mut w = World::new();
    let mids = w.join(1, "a", true, true);
    w.join(2, "a", false, false);
    w.settle();
    let video = mids[1];
    send_layers(
        &mut w,
        video,
        &[("q", 100), ("h", 110), ("f", 120)],
        &["q", "h", "f"],
        1_000,
    );
    w.sfu.set_tile_height(PeerId(2), PeerId(1), 300).unwrap();
    for (rid, tag, width, height) in [
        ("q", 101, 160, 120),
        ("h", 111, 320, 240),
        ("f", 121, 640, 480),
    ] {
        w.send_keyframe_sized(1, video, rid, tag, width, height);
    }
    w.run(33);
    send_layers(
        &mut w,
        video,
        &[("q", 100), ("h", 110), ("f", 120)],
        &[],
        1_000,
    );
    assert_eq!(last_tags(&w, 2, 5), vec![120; 5], "the top layer");
}

/// `layers` (rid, tag) of 1's camera flow at 30 frames a second for `ms`. The
/// `starting` ones begin with a keyframe (as Chrome starts or resumes a
/// layer), and every layer sends one whenever the SFU asks for it.
fn send_layers(
    w: &mut World,
    video: str0m::media::Mid,
    layers: &[(&str, u8)],
    starting: &[&str],
    ms: u32,
) {
    for round in 0..ms / 33 {
        for (rid, tag) in layers {
            let requests = &mut w.clients.get_mut(&PeerId(1)).unwrap().keyframe_requests;
            let asked = requests.iter().any(|r| r.rid.as_deref() == Some(*rid));
            requests.retain(|r| r.rid.as_deref() != Some(*rid));
            let keyframe = asked || (round == 0 && starting.contains(rid));
            w.send_video(1, video, Some(rid), keyframe, *tag);
        }
        w.run(33);
    }
}

/// The tags of the last `n` frames of 1's camera that `receiver` got.
fn last_tags(w: &World, receiver: u64, n: usize) -> Vec<u8> {
    let tags = w.tags_from(receiver, "person-1");
    tags[tags.len().saturating_sub(n)..].to_vec()
}
