//! Retransmission from one shared copy: a frame is cut into packets once and
//! every receiver's history points at those packets (`packets.rs`).

use crate::support::net::World;
use moim_sfu::PeerId;

#[test]
fn a_packet_lost_to_two_receivers_is_resent_to_each_from_the_one_copy_cut() {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    w.join(2, "a", false, false);
    w.join(3, "a", false, false);
    w.settle();
    w.go_live(1, mids[1]);
    let before = w.sfu.stats();

    // Both downlinks lose one datagram in eight. Each frame is three packets,
    // so nearly every frame loses one somewhere; only the receivers' NACKs,
    // answered from the SFU's history, make it whole.
    w.lossy.insert(PeerId(2), 0.125);
    w.lossy.insert(PeerId(3), 0.125);
    for tag in 1..=40u8 {
        w.send_video_sized(1, mids[1], tag == 1, tag, 3000);
        w.run(33);
    }
    // Clean frames after: a lost tail packet is missed only when a later
    // one comes.
    w.lossy.clear();
    for tag in 41..=43u8 {
        w.send_video_sized(1, mids[1], false, tag, 3000);
        w.run(33);
    }
    w.run(1000);

    let sent: Vec<u8> = (1..=43).collect();
    assert_eq!(w.tags_from(2, "person-1"), sent, "2 lost frames");
    assert_eq!(w.tags_from(3, "person-1"), sent, "3 lost frames");

    let after = w.sfu.stats();
    let cut = after.video_packets_cut - before.video_packets_cut;
    let written = after.video_packets_written - before.video_packets_written;
    assert_eq!(cut, 43 * 3, "each frame is cut into its packets once");
    assert_eq!(
        written,
        2 * cut,
        "both receivers were sent every one of them"
    );
}
