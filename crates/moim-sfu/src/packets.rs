//! A video frame cut into RTP packets once, the packets shared by every receiver.
//!
//! str0m's frame writer packetizes a frame again for each receiver, and each
//! receiver's retransmission history then keeps its own copy of every packet:
//! 407 of the 845 KiB a subscriber cost at N = 25 (heaptrack, docs/sfu.md). Cut
//! here once per frame, each payload is one `Arc` that every receiver's send
//! queue and history point at, so a NACK from any of them is answered from the
//! one copy, and a frame costs one copy however many receive it.
//!
//! Written with str0m's direct API (`StreamTx::write_rtp`), each receiver's
//! stream still gets its own sequence numbers, SSRC, header extensions and
//! SRTP: only the payload bytes are shared.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use str0m::Rtc;
use str0m::media::{Mid, Pt};
use str0m::rtp::{ExtensionValues, RtpWrite, SeqNo, VideoOrientation};

/// Largest RTP payload: str0m's own for its default 1,150-byte datagram (the
/// datagram less the SRTP tag, rounded down to the 16-byte SRTP block), so a
/// forwarded packet is as large as the frame writer made it.
pub(crate) const PAYLOAD_MTU: usize = 1120;

/// The VP8 payload descriptor (RFC 7741 §4.2) in its one-byte form, `S` set on
/// a frame's first packet. No PictureID, as str0m's own packetizer writes it:
/// the receiving browser then orders frames by sequence number, which each
/// receiver's stream keeps continuous across layer switches.
const VP8_START: u8 = 0x10;
const VP8_CONTINUE: u8 = 0x00;

/// One VP8 frame as RTP payloads of at most [`PAYLOAD_MTU`] bytes each.
pub(crate) fn vp8(frame: &[u8]) -> Vec<Arc<[u8]>> {
    frame
        .chunks(PAYLOAD_MTU - 1)
        .enumerate()
        .map(|(i, chunk)| {
            let mut p = Vec::with_capacity(chunk.len() + 1);
            p.push(if i == 0 { VP8_START } else { VP8_CONTINUE });
            p.extend_from_slice(chunk);
            Arc::from(p)
        })
        .collect()
}

/// The timing of one frame, the same at every receiver.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FrameTiming {
    /// RTP timestamp at the codec's clock rate.
    pub rtp_time: u32,
    /// When the frame arrived (the wallclock of the receivers' sender reports).
    pub wallclock: Instant,
    /// A phone camera's rotation, carried on the frame's last packet (CVO).
    pub orientation: Option<VideoOrientation>,
}

/// Each outgoing video stream's next sequence number, by the receiver's mid.
///
/// Kept per mid rather than per forwarded track: the stream of a line lives
/// as long as the line, and a sequence number that went back on it would make
/// the browser drop the packets as old.
#[derive(Debug, Default)]
pub(crate) struct SeqNumbers(HashMap<Mid, SeqNo>);

impl SeqNumbers {
    /// Queue `packets` on `mid`'s stream of `rtc`. False when the line has
    /// no send stream (not negotiated, or stopped).
    pub fn write(
        &mut self,
        rtc: &mut Rtc,
        mid: Mid,
        pt: Pt,
        timing: FrameTiming,
        packets: &[Arc<[u8]>],
    ) -> bool {
        let mut api = rtc.direct_api();
        let Some(stream) = api.stream_tx_by_mid(mid, None) else {
            return false;
        };
        // Starting below 2^15 keeps the rollover counter at 0 for a long
        // while, which the receiver assumes without signaling (RFC 3711).
        let ssrc = *stream.ssrc();
        let seq = self
            .0
            .entry(mid)
            .or_insert_with(|| SeqNo::from(u64::from(ssrc & 0x3fff)));
        let last = packets.len().saturating_sub(1);
        for (i, payload) in packets.iter().enumerate() {
            let mut ext_vals = ExtensionValues::default();
            if i == last {
                ext_vals.video_orientation = timing.orientation;
            }
            stream.write_rtp(
                RtpWrite::new(pt, *seq, timing.rtp_time, timing.wallclock, payload.clone())
                    .marker(i == last)
                    .ext_vals(ext_vals)
                    .nackable(true),
            );
            *seq = SeqNo::from(**seq + 1);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_is_cut_at_the_mtu_with_the_start_bit_on_its_first_packet_only() {
        let frame: Vec<u8> = (0..2500u32).map(|i| i as u8).collect();
        let packets = vp8(&frame);
        assert_eq!(
            packets.iter().map(|p| p.len()).collect::<Vec<_>>(),
            vec![PAYLOAD_MTU, PAYLOAD_MTU, 2500 - 2 * (PAYLOAD_MTU - 1) + 1]
        );
        assert_eq!(packets[0][0], VP8_START);
        assert!(packets[1..].iter().all(|p| p[0] == VP8_CONTINUE));
        let joined: Vec<u8> = packets.iter().flat_map(|p| p[1..].to_vec()).collect();
        assert_eq!(joined, frame, "the payloads carry the frame, in order");
    }

    #[test]
    fn an_empty_frame_makes_no_packet() {
        assert!(vp8(&[]).is_empty());
    }
}
