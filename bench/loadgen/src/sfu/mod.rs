//! Scenario 4, the SFU: one publisher and N subscribers in one `/moim` room
//! forwarded by moim's SFU (run the server with `--sfu always`, and with
//! `--public-ip 127.0.0.1` on loopback), or in one room of Janus's videoroom
//! (`--server janus`), with the same endpoints, so the two compare. Signaling
//! (`link.rs`) goes over the same Socket.IO client as the other scenarios
//! (`signaling.rs`) or Janus's API (`janus.rs`); media over one UDP socket per
//! endpoint (`endpoint.rs`, str0m, nothing decoded).
//!
//! Measured over a window of steady forwarding: the server's CPU time per GB
//! of datagrams the subscribers received, frame loss (frames the publisher
//! wrote in the window that a subscriber never got), one-way latency from the
//! publisher's write to a frame's last datagram in the subscriber's socket
//! (`stamped.rs`: what the SFU adds on loopback, plus the publisher's
//! packetizing and the kernel) and to the frame reassembled in the subscriber
//! (also the load client's own queueing and SRTP), and the server's resident
//! memory per subscriber.

mod endpoint;
mod janus;
mod link;
mod signaling;
mod stamped;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use str0m::change::SdpAnswer;
use str0m::media::{Direction, MediaKind};
use str0m::{Candidate, Rtc};
use tokio::net::UdpSocket;
use tokio::sync::watch;

use crate::procfs;
use crate::stats::percentile_ms;
use endpoint::{Publish, Role, Sent, Tally};
use link::Link;

/// The server under load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// moim with `--sfu always`; `url` is its HTTP address.
    Moim,
    /// Janus's videoroom plugin; `url` is its WebSocket transport.
    Janus,
}

/// What the SFU scenario is asked to do.
pub struct SfuLoad {
    pub server: Server,
    pub url: String,
    /// The endpoints' address: loopback for moim; for Janus one of the
    /// host's own (libnice gathers no loopback candidates), which the kernel
    /// delivers through the loopback device all the same.
    pub bind: IpAddr,
    pub pid: u32,
    pub subscribers: usize,
    pub seconds: f64,
    pub video_bps: u64,
    pub fps: u32,
}

pub async fn run(job: SfuLoad) -> Result<Value, String> {
    let epoch = Instant::now();
    let link = Link::connect(&job).await?;
    let (stop_tx, stop) = watch::channel(false);

    // The publisher first, so every subscriber's first answer already has its tracks.
    let sent = Arc::new(Mutex::new(Sent::default()));
    let (mut rtc, socket) = endpoint_rtc(job.bind).await?;
    let mut api = rtc.sdp_api();
    let audio = api.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
    let video = api.add_media(MediaKind::Video, Direction::SendOnly, None, None, None);
    let (offer, pending) = api.apply().ok_or("the publisher's offer is empty")?;
    let answer = link.publish(offer.to_sdp_string()).await?;
    let answer =
        SdpAnswer::from_sdp_string(&answer).map_err(|e| format!("the SFU's answer: {e}"))?;
    rtc.sdp_api()
        .accept_answer(pending, answer)
        .map_err(|e| format!("the SFU's answer: {e}"))?;
    let publish = Publish {
        video,
        audio,
        video_bps: job.video_bps,
        fps: job.fps,
    };
    let (offers, answers) = link.endpoint(0);
    tokio::spawn(endpoint::run(
        rtc,
        socket,
        Role::Publisher(publish, sent.clone()),
        epoch,
        offers,
        answers,
        stop.clone(),
    ));
    wait_for(Duration::from_secs(10), || sent.lock().unwrap().connected)
        .await
        .map_err(|_| "the publisher never connected")?;
    let rss_before = procfs::usage(Some(job.pid)).rss_kib;

    let mut tallies = Vec::with_capacity(job.subscribers);
    for i in 1..=job.subscribers {
        let (mut rtc, socket) = endpoint_rtc(job.bind).await?;
        link.subscribe(i, &mut rtc).await?;
        let tally = Arc::new(Mutex::new(Tally::default()));
        let (offers, answers) = link.endpoint(i);
        tokio::spawn(endpoint::run(
            rtc,
            socket,
            Role::Subscriber(tally.clone()),
            epoch,
            offers,
            answers,
            stop.clone(),
        ));
        tallies.push(tally);
    }
    let everyone_gets_video = || tallies.iter().all(|t| !t.lock().unwrap().frames.is_empty());
    if wait_for(Duration::from_secs(30), everyone_gets_video)
        .await
        .is_err()
    {
        let waiting = tallies
            .iter()
            .filter(|t| t.lock().unwrap().frames.is_empty())
            .count();
        stop_tx.send_replace(true);
        return Err(format!(
            "{waiting} of {} subscribers got no video in 30 s",
            job.subscribers
        ));
    }
    // Let keyframe requests and the first bandwidth estimates settle.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_after = procfs::usage(Some(job.pid)).rss_kib;

    for t in &tallies {
        let mut t = t.lock().unwrap();
        t.bytes = 0;
        t.counting = true;
    }
    let first = sent.lock().unwrap().frames.len();
    let server_before = procfs::usage(Some(job.pid));
    let self_before = procfs::usage(None);
    tokio::time::sleep(Duration::from_secs_f64(job.seconds)).await;
    let server_after = procfs::usage(Some(job.pid));
    let self_after = procfs::usage(None);
    let last = sent.lock().unwrap().frames.len();
    for t in &tallies {
        t.lock().unwrap().counting = false;
    }
    // Frames of the window still on their way.
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop_tx.send_replace(true);

    let (first_n, last_n) = {
        let s = sent.lock().unwrap();
        (s.frames[first].0, s.frames[last - 1].0)
    };
    let expected = u64::from(last_n - first_n + 1);
    let mut arrived = Vec::new();
    let mut reassembled = Vec::new();
    let mut received = 0u64;
    let mut bytes = 0u64;
    let mut short: Vec<u64> = Vec::new();
    for t in &tallies {
        let t = t.lock().unwrap();
        bytes += t.bytes;
        let mut numbers: Vec<u32> = Vec::new();
        for f in t
            .frames
            .iter()
            .filter(|f| (first_n..=last_n).contains(&f.number))
        {
            numbers.push(f.number);
            arrived.push(f.arrived);
            reassembled.push(f.reassembled);
        }
        numbers.sort_unstable();
        numbers.dedup();
        received += numbers.len() as u64;
        if (numbers.len() as u64) < expected {
            short.push(expected - numbers.len() as u64);
        }
    }
    let (cpu, wall) = procfs::between(server_before, server_after);
    let (self_cpu, _) = procfs::between(self_before, self_after);
    let gb = bytes as f64 / 1e9;
    let total = expected * job.subscribers as u64;
    Ok(json!({
        "scenario": "sfu",
        "server": match job.server { Server::Moim => "moim", Server::Janus => "janus" },
        "subscribers": job.subscribers,
        "seconds": wall.as_secs_f64(),
        "videoKbps": job.video_bps / 1000,
        "framesSent": expected,
        "framesExpected": total,
        "framesReceived": received,
        "lossPercent": 100.0 * (total.saturating_sub(received)) as f64 / total.max(1) as f64,
        "subscribersMissingFrames": short.len(),
        "bytesForwarded": bytes,
        "forwardedMbps": bytes as f64 * 8.0 / wall.as_secs_f64() / 1e6,
        "serverCpuSeconds": cpu.as_secs_f64(),
        "serverCoreSecondsPerGB": if gb > 0.0 { cpu.as_secs_f64() / gb } else { f64::NAN },
        "latencyP50Ms": percentile_ms(&mut arrived, 50.0),
        "latencyP99Ms": percentile_ms(&mut arrived, 99.0),
        "reassembledP50Ms": percentile_ms(&mut reassembled, 50.0),
        "reassembledP99Ms": percentile_ms(&mut reassembled, 99.0),
        "serverRssPerSubscriberKiB": rss_after.saturating_sub(rss_before) as f64 / job.subscribers as f64,
        // After the window: str0m's per-stream send buffers (kept for
        // retransmissions) fill over seconds, not at the first frames.
        "serverRssPerSubscriberAfterKiB": server_after.rss_kib.saturating_sub(rss_before) as f64 / job.subscribers as f64,
        "generatorBusy": self_cpu.as_secs_f64() / wall.as_secs_f64(),
    }))
}

/// A fresh `Rtc` with a host candidate on its own socket at `ip`.
async fn endpoint_rtc(ip: IpAddr) -> Result<(Rtc, UdpSocket), String> {
    let socket = UdpSocket::bind((ip, 0))
        .await
        .map_err(|e| format!("bind: {e}"))?;
    let addr: SocketAddr = socket.local_addr().map_err(|e| e.to_string())?;
    let mut rtc = Rtc::builder().build(Instant::now());
    let candidate = Candidate::host(addr, "udp").map_err(|e| e.to_string())?;
    rtc.add_local_candidate(candidate);
    Ok((rtc, socket))
}

/// Polls `done` every 10 ms until it holds or `limit` passes.
async fn wait_for(limit: Duration, done: impl Fn() -> bool) -> Result<(), ()> {
    let deadline = Instant::now() + limit;
    while !done() {
        if Instant::now() > deadline {
            return Err(());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok(())
}
