//! One media endpoint of the SFU scenario: a str0m `Rtc` on its own UDP socket,
//! run as a task. The publisher writes a synthetic video track (frames that
//! carry their number and send time; no codec, nothing is decoded) and an
//! Opus-rate audio track; a subscriber counts what arrives.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use str0m::change::SdpOffer;
use str0m::format::Codec;
use str0m::media::{Frequency, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Event, Input, Output, Rtc};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, watch};

use super::stamped;

/// What a publisher sends.
#[derive(Debug, Clone, Copy)]
pub struct Publish {
    pub video: Mid,
    pub audio: Mid,
    /// Video bits per second.
    pub video_bps: u64,
    pub fps: u32,
}

/// What one subscriber saw; the scenario reads it while and after measuring.
#[derive(Debug, Default)]
pub struct Tally {
    pub connected: bool,
    /// Video frames received.
    pub frames: Vec<FrameSeen>,
    /// UDP bytes received since `counting` was last turned on.
    pub bytes: u64,
    pub counting: bool,
    pub offers_answered: u32,
}

/// One video frame a subscriber received.
#[derive(Debug, Clone, Copy)]
pub struct FrameSeen {
    pub number: u32,
    /// From the publisher's write to its last datagram reaching the
    /// subscriber's socket: the SFU's part (and the kernel's), without the
    /// load client's own waiting.
    pub arrived: Duration,
    /// From the publisher's write to the frame reassembled in the subscriber:
    /// also the load client's queueing, SRTP and reassembly.
    pub reassembled: Duration,
}

/// The publisher's count of frames it wrote, with their send times.
#[derive(Debug, Default)]
pub struct Sent {
    pub connected: bool,
    pub frames: Vec<(u32, Instant)>,
}

/// Either role's shared state.
pub enum Role {
    Publisher(Publish, Arc<Mutex<Sent>>),
    Subscriber(Arc<Mutex<Tally>>),
}

/// A server offer to answer, and where to send the answer.
pub type Offers = mpsc::UnboundedReceiver<String>;
pub type Answers = mpsc::UnboundedSender<String>;

const FRAME_HEADER: usize = 1 + 4 + 8;

/// A frame: VP8's keyframe bit (0: keyframe), its number, its send time in µs
/// since the Unix epoch ([`stamped::now_us`]), then padding to `size`.
fn frame(keyframe: bool, number: u32, sent_us: u64, size: usize) -> Vec<u8> {
    let mut f = Vec::with_capacity(size);
    f.push(if keyframe { 0x00 } else { 0x01 });
    f.extend_from_slice(&number.to_be_bytes());
    f.extend_from_slice(&sent_us.to_be_bytes());
    f.resize(size.max(FRAME_HEADER), 0x5a);
    f
}

fn read_frame(data: &[u8]) -> Option<(u32, u64)> {
    if data.len() < FRAME_HEADER {
        return None;
    }
    let number = u32::from_be_bytes(data[1..5].try_into().ok()?);
    let sent = u64::from_be_bytes(data[5..13].try_into().ok()?);
    Some((number, sent))
}

/// Runs `rtc` on `socket` until `stop` turns true.
pub async fn run(
    mut rtc: Rtc,
    socket: UdpSocket,
    role: Role,
    epoch: Instant,
    mut offers: Offers,
    answers: Answers,
    mut stop: watch::Receiver<bool>,
) {
    let local: SocketAddr = socket.local_addr().expect("bound");
    stamped::enable(&socket);
    let mut buf = vec![0u8; 2048];
    let mut next_video = Instant::now();
    let mut next_audio = Instant::now();
    let mut number = 0u32;
    let mut keyframe_wanted = true;
    // When the datagram last fed to `rtc` reached the socket: a frame that
    // the next poll hands out was completed by that datagram.
    let mut last_arrival = stamped::now_us();
    loop {
        let timeout = loop {
            match rtc.poll_output() {
                Ok(Output::Timeout(t)) => break t,
                Ok(Output::Transmit(t)) => {
                    let _ = socket.send_to(&t.contents, t.destination).await;
                }
                Ok(Output::Event(e)) => match (&role, e) {
                    (Role::Publisher(_, sent), Event::Connected) => {
                        sent.lock().unwrap().connected = true
                    }
                    (Role::Subscriber(tally), Event::Connected) => {
                        tally.lock().unwrap().connected = true
                    }
                    (Role::Publisher(..), Event::KeyframeRequest(_)) => keyframe_wanted = true,
                    (Role::Subscriber(tally), Event::MediaData(d)) => {
                        if let Some((number, sent_us)) = read_frame(&d.data) {
                            let since = |t: u64| Duration::from_micros(t.saturating_sub(sent_us));
                            tally.lock().unwrap().frames.push(FrameSeen {
                                number,
                                arrived: since(last_arrival),
                                reassembled: since(stamped::now_us()),
                            });
                        }
                    }
                    _ => {}
                },
                Err(e) => {
                    eprintln!("moim-loadgen: an endpoint failed: {e}");
                    return;
                }
            }
        };
        let publishing = match &role {
            Role::Publisher(p, sent) if sent.lock().unwrap().connected => Some(*p),
            _ => None,
        };
        let mut wake = timeout;
        if publishing.is_some() {
            wake = wake.min(next_video).min(next_audio);
        }
        tokio::select! {
            received = stamped::recv(&socket, &mut buf) => {
                let Ok((n, source, arrival)) = received else { continue };
                last_arrival = arrival;
                if let Role::Subscriber(tally) = &role {
                    let mut t = tally.lock().unwrap();
                    if t.counting {
                        t.bytes += n as u64;
                    }
                }
                let Ok(contents) = buf[..n].try_into() else { continue };
                let input = Input::Receive(Instant::now(), Receive { proto: Protocol::Udp, source, destination: local, contents });
                if rtc.handle_input(input).is_err() {
                    return;
                }
            }
            Some(sdp) = offers.recv() => {
                let Ok(offer) = SdpOffer::from_sdp_string(&sdp) else { continue };
                let Ok(answer) = rtc.sdp_api().accept_offer(offer) else { continue };
                answers.send(answer.to_sdp_string()).ok();
                if let Role::Subscriber(tally) = &role {
                    tally.lock().unwrap().offers_answered += 1;
                }
            }
            _ = stop.changed() => return,
            _ = tokio::time::sleep_until(wake.into()) => {
                let now = Instant::now();
                if let (Some(p), Role::Publisher(_, sent)) = (publishing, &role) {
                    if now >= next_video {
                        let size = (p.video_bps / 8 / u64::from(p.fps)) as usize;
                        let sent_us = stamped::now_us();
                        let data = frame(keyframe_wanted, number, sent_us, size);
                        if write(&mut rtc, p.video, now, epoch, 90_000, data) {
                            sent.lock().unwrap().frames.push((number, now));
                            number += 1;
                            keyframe_wanted = false;
                        }
                        next_video += Duration::from_secs(1) / p.fps;
                    }
                    if now >= next_audio {
                        // 20 ms of Opus at ~64 kbps.
                        write(&mut rtc, p.audio, now, epoch, 48_000, vec![0xfc; 160]);
                        next_audio += Duration::from_millis(20);
                    }
                }
                if rtc.handle_input(Input::Timeout(now)).is_err() {
                    return;
                }
            }
        }
    }
}

/// Writes one frame on `mid` with the track's first codec; false when not possible yet.
fn write(rtc: &mut Rtc, mid: Mid, now: Instant, epoch: Instant, clock: u64, data: Vec<u8>) -> bool {
    let Some(writer) = rtc.writer(mid) else {
        return false;
    };
    let wanted = if clock == 90_000 {
        Codec::Vp8
    } else {
        Codec::Opus
    };
    let Some(pt) = writer
        .payload_params()
        .find(|p| p.spec().codec == wanted)
        .map(|p| p.pt())
    else {
        return false;
    };
    let elapsed = now.saturating_duration_since(epoch).as_micros() as u64;
    let frequency = if clock == 90_000 {
        Frequency::NINETY_KHZ
    } else {
        Frequency::FORTY_EIGHT_KHZ
    };
    let time = MediaTime::new(elapsed * clock / 1_000_000, frequency);
    writer.write(pt, now, time, data).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_carry_their_number_and_send_time() {
        let f = frame(true, 7, 123_456, 1_000);
        assert_eq!(f.len(), 1_000);
        assert_eq!(f[0], 0x00);
        assert_eq!(read_frame(&f), Some((7, 123_456)));
        assert_eq!(frame(false, 1, 2, 3)[0], 0x01);
        assert_eq!(read_frame(&[1, 2]), None);
    }
}
