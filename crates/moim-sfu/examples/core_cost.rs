//! What the sans-IO core costs per forwarded datagram, with no socket and no
//! kernel: one publisher → N receivers in memory (the tests' `World`), 300
//! video frames of 10.4 KB (2.5 Mbit/s at 30 frames a second), only the time
//! spent inside `Sfu::handle_receive` for the publisher's datagrams (the
//! fan-out: str0m's per-receiver packetizing, SRTP and polling, and moim's
//! forwarding) counted. The rest of the server's cost per GB (the kernel's
//! send, the receivers' RTCP, the runtime) is what `bench/sfu.mjs` adds.
//!
//!   cargo run --release -p moim-sfu --example core_cost [N ...]

#[path = "../tests/it/support/net.rs"]
mod net;

use std::time::{Duration, Instant};

use moim_sfu::PeerId;
use net::World;
use str0m::{Input, Output};

const FRAMES: u32 = 300;
const FRAME_BYTES: usize = 10_400;

fn main() {
    let ns: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    for n in if ns.is_empty() { vec![10, 50, 100] } else { ns } {
        let (datagrams, bytes, spent) = run(n);
        println!(
            "N = {n}: {datagrams} datagrams sent, {:.2} µs each inside the core, {:.2} core-s per GB",
            spent.as_secs_f64() / datagrams as f64 * 1e6,
            spent.as_secs_f64() / (bytes as f64 / 1e9),
        );
    }
}

/// Datagrams and bytes the core sent (the frames, and its few RTCP reports),
/// and the time its fan-out took.
fn run(n: u64) -> (u64, u64, Duration) {
    let mut w = World::new();
    let mids = w.join(1, "a", true, false);
    let video = mids[1];
    for i in 0..n {
        w.join(100 + i, "a", false, false);
    }
    w.settle();
    w.go_live(1, video);
    w.run(500);
    w.sfu_sent = (0, 0);
    let mut spent = Duration::ZERO;
    for frame in 0..FRAMES {
        let now = w.now;
        let time = str0m::media::MediaTime::from_90khz((now - w.start).as_millis() as u64 * 90);
        let publisher = w.clients.get_mut(&PeerId(1)).unwrap();
        let pt = net::payload_type(&mut publisher.rtc, video, str0m::format::Codec::Vp8);
        // VP8: bit 0 of the first byte clear = keyframe.
        let mut data = vec![u8::from(frame % 100 != 0), 7];
        data.resize(FRAME_BYTES, 7);
        publisher
            .rtc
            .writer(video)
            .unwrap()
            .write(pt, now, time, data)
            .unwrap();
        publisher.rtc.handle_input(Input::Timeout(now)).unwrap();
        let mut sent = Vec::new();
        loop {
            match publisher.rtc.poll_output().unwrap() {
                Output::Timeout(_) => break,
                Output::Transmit(t) => sent.push((t.source, t.destination, t.contents.to_vec())),
                Output::Event(_) => {}
            }
        }
        let started = Instant::now();
        for (source, destination, contents) in &sent {
            let _ = w.sfu.handle_receive(now, *source, *destination, contents);
        }
        spent += started.elapsed();
        // Delivers what the core sent, so receivers report back as browsers do.
        w.run(33);
    }
    (w.sfu_sent.0, w.sfu_sent.1, spent)
}
