//! Which outgoing datagrams can leave in one message to the kernel.
//!
//! Forwarding one video frame to one receiver yields a run of ~9 datagrams to the
//! same address, all cut to the same size except the last. With UDP GSO
//! (`UDP_SEGMENT`) the kernel takes such a run as one message and cuts it itself,
//! so the routing, socket and loopback work is paid once per run instead of once
//! per datagram; `sendmmsg` then hands many runs over in one system call. The
//! profile in `docs/sfu.md` shows why: half of the SFU's CPU time was the
//! kernel's per-datagram send path.
//!
//! This is the pure part (which datagrams go together), kept apart from the
//! system calls in the driver so it can be tested on its own.

use std::ops::Range;

use crate::Transmit;

/// Most datagrams the kernel cuts from one message (`UDP_MAX_SEGMENTS`).
pub const MAX_SEGMENTS: usize = 64;

/// Most bytes in one message: one UDP datagram's limit, with room for headers.
pub const MAX_BYTES: usize = 60_000;

/// Splits `transmits` into runs the kernel can send as one message: consecutive
/// datagrams from the same source to the same destination, each as long as the
/// first except the last, which may be shorter; at most `max_segments` of them
/// and [`MAX_BYTES`] in all. `max_segments` 1 gives one run per datagram (no
/// GSO). Every datagram is in exactly one run, in order.
pub fn runs(transmits: &[Transmit], max_segments: usize, out: &mut Vec<Range<usize>>) {
    out.clear();
    let mut start = 0;
    while start < transmits.len() {
        let end = run_end(transmits, start, max_segments.clamp(1, MAX_SEGMENTS));
        out.push(start..end);
        start = end;
    }
}

fn run_end(transmits: &[Transmit], start: usize, max_segments: usize) -> usize {
    let first = &transmits[start];
    let size = first.contents.len();
    let mut end = start + 1;
    let mut bytes = size;
    while end < transmits.len() && end - start < max_segments && size > 0 {
        let (prev, next) = (&transmits[end - 1], &transmits[end]);
        let fits = next.destination == first.destination
            && next.source == first.source
            // Only the last datagram of a run may be shorter.
            && prev.contents.len() == size
            && next.contents.len() <= size
            && !next.contents.is_empty()
            && bytes + next.contents.len() <= MAX_BYTES;
        if !fits {
            break;
        }
        bytes += next.contents.len();
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use super::*;

    fn t(to: u16, len: usize) -> Transmit {
        let addr = |port: u16| SocketAddr::from(([127, 0, 0, 1], port));
        Transmit {
            source: addr(1),
            destination: addr(to),
            contents: vec![7; len],
        }
    }

    fn split(ts: &[Transmit], max: usize) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        runs(ts, max, &mut out);
        out
    }

    #[test]
    fn a_frame_to_one_receiver_is_one_run_ending_on_its_short_last_packet() {
        let mut ts: Vec<Transmit> = (0..8).map(|_| t(10, 1_150)).collect();
        ts.push(t(10, 400));
        // The next receiver's frame, then an audio packet to it.
        ts.extend((0..8).map(|_| t(11, 1_150)));
        ts.push(t(11, 300));
        ts.push(t(11, 200));
        assert_eq!(split(&ts, 64), vec![0..9, 9..18, 18..19]);
    }

    #[test]
    fn a_short_datagram_ends_a_run_and_a_longer_one_starts_a_new_one() {
        let ts = [
            t(10, 1_000),
            t(10, 500),
            t(10, 500),
            t(10, 1_200),
            t(10, 1_200),
        ];
        assert_eq!(split(&ts, 64), vec![0..2, 2..3, 3..5]);
    }

    #[test]
    fn runs_respect_the_segment_and_byte_limits() {
        let ts: Vec<Transmit> = (0..100).map(|_| t(10, 100)).collect();
        assert_eq!(split(&ts, 64), vec![0..64, 64..100]);
        let ts: Vec<Transmit> = (0..60).map(|_| t(10, 1_200)).collect();
        // 50 × 1,200 bytes = MAX_BYTES.
        assert_eq!(split(&ts, 64), vec![0..50, 50..60]);
    }

    #[test]
    fn without_gso_every_datagram_is_its_own_run() {
        let ts: Vec<Transmit> = (0..3).map(|_| t(10, 100)).collect();
        assert_eq!(split(&ts, 1), vec![0..1, 1..2, 2..3]);
        assert_eq!(split(&[], 64), Vec::<Range<usize>>::new());
    }

    #[test]
    fn empty_datagrams_are_never_batched() {
        let ts = [t(10, 0), t(10, 0), t(10, 5)];
        assert_eq!(split(&ts, 64), vec![0..1, 1..2, 2..3]);
    }
}
