//! An in-memory network for the SFU core: browsers played by str0m `Rtc`s, every
//! datagram handed across by hand, time virtual (1 ms steps).
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use moim_sfu::{PeerId, Sfu, SfuConfig, SfuEvent};
use str0m::change::SdpAnswer;
use str0m::change::SdpOffer;
use str0m::format::Codec;
use str0m::media::{
    Direction, KeyframeRequest, MediaKind, Mid, Pt, Rid, Simulcast, SimulcastLayer,
};
use str0m::net::{Protocol, Receive};
use str0m::rtp::VideoOrientation;
use str0m::{Candidate, Event, Input, Output, Rtc};

pub const SFU_ADDR: &str = "10.0.0.1:50000";

/// One frame a client received.
#[derive(Debug, Clone)]
pub struct Frame {
    pub mid: Mid,
    pub data: Vec<u8>,
    pub keyframe: bool,
    pub stream: Option<String>,
    /// The RFC 6464 level the packet carried (audio).
    pub audio_level: Option<i8>,
    /// The camera's rotation (CVO) the frame carried (video).
    pub orientation: Option<VideoOrientation>,
}

/// A datagram a client sent, held on its way (see [`World::hold`]).
pub struct Datagram {
    pub source: SocketAddr,
    pub destination: SocketAddr,
    pub contents: Vec<u8>,
}

pub struct Client {
    pub rtc: Rtc,
    pub addr: SocketAddr,
    pub frames: Vec<Frame>,
    pub keyframe_requests: Vec<KeyframeRequest>,
    pub connected: bool,
    /// mid → stream id, from the offers the SFU made.
    pub streams: HashMap<Mid, String>,
    /// The receive lines of its first offer (see [`World::join_receiving`]).
    pub receive_lines: Vec<Mid>,
}

pub struct World {
    pub start: Instant,
    pub now: Instant,
    pub sfu: Sfu,
    pub clients: HashMap<PeerId, Client>,
    pub events: Vec<SfuEvent>,
    /// Drop every datagram the SFU sends to these peers (a vanished network).
    pub cut: Vec<PeerId>,
    /// Drop every datagram these peers send, while they still receive (an
    /// uplink gone quiet): nothing they say drives the SFU.
    pub silent: Vec<PeerId>,
    /// Drop this fraction of the datagrams the SFU sends to a peer (a lossy
    /// downlink), chosen at random (a fixed pattern would keep hitting the same
    /// kind of datagram in traffic that repeats).
    pub lossy: HashMap<PeerId, f64>,
    /// The state of that random choice (a seeded xorshift: reproducible runs).
    pub dice: u64,
    /// Datagrams and bytes the SFU has sent (`examples/core_cost.rs`).
    pub sfu_sent: (u64, u64),
}

impl World {
    pub fn new() -> Self {
        let now = Instant::now();
        Self {
            start: now,
            now,
            sfu: Sfu::new(SfuConfig::new(vec![SFU_ADDR.parse().unwrap()])),
            clients: HashMap::new(),
            events: Vec::new(),
            cut: Vec::new(),
            silent: Vec::new(),
            lossy: HashMap::new(),
            dice: 0x9e37_79b9_7f4a_7c15,
            sfu_sent: (0, 0),
        }
    }

    /// A browser joins: publishes audio + video (simulcast if asked), or only
    /// receives (`publish: false`, a data channel keeps its first offer non-empty).
    pub fn join(&mut self, id: u64, room: &str, publish: bool, simulcast: bool) -> Vec<Mid> {
        self.join_receiving(id, room, publish, simulcast, [0, 0])
    }

    /// [`Self::join`] with receive lines in the first offer, as a browser
    /// joining late adds them: `lines[0]` audio and `lines[1]` video lines.
    /// The answer's labels are remembered as a server offer's are.
    pub fn join_receiving(
        &mut self,
        id: u64,
        room: &str,
        publish: bool,
        simulcast: bool,
        lines: [usize; 2],
    ) -> Vec<Mid> {
        let mut rtc = Rtc::builder().build(self.now);
        let addr: SocketAddr = format!("10.0.1.{id}:4000").parse().unwrap();
        rtc.add_local_candidate(Candidate::host(addr, "udp").unwrap());
        let mut api = rtc.sdp_api();
        let mut mids = Vec::new();
        if publish {
            mids.push(api.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None));
            let layers = simulcast.then(|| {
                let mut s = Simulcast::new();
                for rid in ["q", "h", "f"] {
                    s.add_send_layer(SimulcastLayer::new(rid));
                }
                s
            });
            mids.push(api.add_media(MediaKind::Video, Direction::SendOnly, None, None, layers));
        } else {
            api.add_channel("moim".into());
        }
        let mut receive_lines = Vec::new();
        for (kind, n) in [(MediaKind::Audio, lines[0]), (MediaKind::Video, lines[1])] {
            for _ in 0..n {
                receive_lines.push(api.add_media(kind, Direction::RecvOnly, None, None, None));
            }
        }
        let (offer, pending) = api.apply().unwrap();
        let answer = self
            .sfu
            .join(
                self.now,
                PeerId(id),
                room,
                &format!("person-{id}"),
                &offer.to_sdp_string(),
            )
            .expect("the SFU accepts the offer");
        rtc.sdp_api()
            .accept_answer(pending, SdpAnswer::from_sdp_string(&answer).unwrap())
            .unwrap();
        let mut client = Client {
            rtc,
            addr,
            frames: vec![],
            keyframe_requests: vec![],
            connected: false,
            streams: HashMap::new(),
            receive_lines,
        };
        remember_streams(&mut client, &answer);
        self.clients.insert(PeerId(id), client);
        mids
    }

    /// Advance virtual time by `ms`, moving every datagram and answering every offer.
    pub fn run(&mut self, ms: u64) {
        for _ in 0..ms {
            self.step();
        }
    }

    /// Run until `done` holds, at most `max_ms`; returns the virtual time it took.
    pub fn run_until(
        &mut self,
        max_ms: u64,
        mut done: impl FnMut(&World) -> bool,
    ) -> Option<Duration> {
        let start = self.now;
        for _ in 0..max_ms {
            if done(self) {
                return Some(self.now - start);
            }
            self.step();
        }
        done(self).then(|| self.now - start)
    }

    pub fn step(&mut self) {
        self.pump();
        self.now += Duration::from_millis(1);
        self.sfu.handle_timeout(self.now);
        for c in self.clients.values_mut() {
            c.rtc.handle_input(Input::Timeout(self.now)).unwrap();
        }
        self.pump();
    }

    /// Let `id`'s client send what it wrote, then move every datagram at this
    /// same instant without giving the SFU a timeout: what arrives was sent
    /// by the SFU at once.
    pub fn deliver_now(&mut self, id: u64) {
        let now = self.now;
        let c = self.clients.get_mut(&PeerId(id)).unwrap();
        c.rtc.handle_input(Input::Timeout(now)).unwrap();
        self.pump();
    }

    /// Let `id`'s client send what it wrote, but hand its datagrams back
    /// instead of to the SFU: a network that holds them, to [`Self::release`]
    /// later or out of order.
    pub fn hold(&mut self, id: u64) -> Vec<Datagram> {
        let now = self.now;
        let c = self.clients.get_mut(&PeerId(id)).unwrap();
        c.rtc.handle_input(Input::Timeout(now)).unwrap();
        let mut held = Vec::new();
        loop {
            match c.rtc.poll_output().unwrap() {
                Output::Timeout(_) => return held,
                Output::Transmit(t) => held.push(Datagram {
                    source: t.source,
                    destination: t.destination,
                    contents: t.contents.to_vec(),
                }),
                Output::Event(_) => {}
            }
        }
    }

    /// Hand held datagrams to the SFU at this instant, without a timeout,
    /// and move what follows.
    pub fn release(&mut self, datagrams: Vec<Datagram>) {
        for d in datagrams {
            let _ = self
                .sfu
                .handle_receive(self.now, d.source, d.destination, &d.contents);
        }
        self.pump();
    }

    /// Move datagrams and signaling until everything is quiet at this instant.
    fn pump(&mut self) {
        let sfu_addr: SocketAddr = SFU_ADDR.parse().unwrap();
        for _ in 0..100 {
            let mut moved = false;
            while let Some(t) = self.sfu.poll_transmit() {
                moved = true;
                self.sfu_sent.0 += 1;
                self.sfu_sent.1 += t.contents.len() as u64;
                let Some((id, c)) = self
                    .clients
                    .iter_mut()
                    .find(|(_, c)| c.addr == t.destination)
                else {
                    continue;
                };
                if self.cut.contains(id) {
                    continue;
                }
                if let Some(fraction) = self.lossy.get(id) {
                    self.dice ^= self.dice << 13;
                    self.dice ^= self.dice >> 7;
                    self.dice ^= self.dice << 17;
                    if (self.dice % 10_000) as f64 / 10_000.0 < *fraction {
                        continue;
                    }
                }
                let input = Input::Receive(
                    self.now,
                    Receive {
                        proto: Protocol::Udp,
                        source: sfu_addr,
                        destination: c.addr,
                        contents: t.contents.as_slice().try_into().unwrap(),
                    },
                );
                c.rtc.handle_input(input).unwrap();
            }
            while let Some(e) = self.sfu.poll_event() {
                moved = true;
                if let SfuEvent::Offer { peer, sdp } = &e {
                    let c = self.clients.get_mut(peer).unwrap();
                    let offer = SdpOffer::from_sdp_string(sdp).unwrap();
                    remember_streams(c, sdp);
                    let answer = c.rtc.sdp_api().accept_offer(offer).unwrap();
                    self.sfu
                        .accept_answer(self.now, *peer, &answer.to_sdp_string())
                        .unwrap();
                }
                self.events.push(e);
            }
            let ids: Vec<PeerId> = self.clients.keys().copied().collect();
            for id in ids {
                loop {
                    let c = self.clients.get_mut(&id).unwrap();
                    match c.rtc.poll_output().unwrap() {
                        Output::Timeout(_) => break,
                        Output::Transmit(t) => {
                            moved = true;
                            let (src, dst, data) = (t.source, t.destination, t.contents.to_vec());
                            if self.cut.contains(&id) || self.silent.contains(&id) {
                                continue;
                            }
                            let _ = self.sfu.handle_receive(self.now, src, dst, &data);
                        }
                        Output::Event(e) => match e {
                            Event::Connected => c.connected = true,
                            Event::MediaData(d) => c.frames.push(Frame {
                                mid: d.mid,
                                keyframe: d.is_keyframe(),
                                stream: c.streams.get(&d.mid).cloned(),
                                audio_level: d.ext_vals.audio_level,
                                orientation: d.ext_vals.video_orientation,
                                data: d.data.to_vec(),
                            }),
                            Event::KeyframeRequest(r) => c.keyframe_requests.push(r),
                            _ => {}
                        },
                    }
                }
            }
            if !moved {
                return;
            }
        }
    }

    /// Send one video frame from `id` (VP8: first byte bit 0 clear = keyframe).
    pub fn send_video(&mut self, id: u64, mid: Mid, rid: Option<&str>, keyframe: bool, tag: u8) {
        self.send_video_turned(id, mid, rid, keyframe, tag, None);
    }

    /// [`Self::send_video`] from a camera turned by `orientation` (a phone
    /// held sideways: the rotation travels in the CVO extension).
    pub fn send_video_turned(
        &mut self,
        id: u64,
        mid: Mid,
        rid: Option<&str>,
        keyframe: bool,
        tag: u8,
        orientation: Option<VideoOrientation>,
    ) {
        let now = self.now;
        let c = self.clients.get_mut(&PeerId(id)).unwrap();
        let pt = payload_type(&mut c.rtc, mid, Codec::Vp8);
        let mut w = c.rtc.writer(mid).unwrap();
        if let Some(rid) = rid {
            w = w.rid(Rid::from(rid));
        }
        if let Some(o) = orientation {
            w = w.video_orientation(o);
        }
        let first = if keyframe { 0x00 } else { 0x01 };
        let mut data = vec![first, tag];
        data.resize(600, tag);
        let time = str0m::media::MediaTime::from_90khz((now - self.start).as_millis() as u64 * 90);
        w.write(pt, now, time, data).unwrap();
    }

    /// A video frame of `len` bytes from `id`: more than one packet's worth
    /// when `len` is over ~1,100.
    pub fn send_video_sized(&mut self, id: u64, mid: Mid, keyframe: bool, tag: u8, len: usize) {
        let now = self.now;
        let c = self.clients.get_mut(&PeerId(id)).unwrap();
        let pt = payload_type(&mut c.rtc, mid, Codec::Vp8);
        let first = if keyframe { 0x00 } else { 0x01 };
        let mut data = vec![first, tag];
        data.resize(len, tag);
        let time = str0m::media::MediaTime::from_90khz((now - self.start).as_millis() as u64 * 90);
        c.rtc
            .writer(mid)
            .unwrap()
            .write(pt, now, time, data)
            .unwrap();
    }

    /// A keyframe of `width` x `height` from `id`, its size in the VP8
    /// header as an encoder writes it (frame tag, start code, sizes).
    pub fn send_keyframe_sized(
        &mut self,
        id: u64,
        mid: Mid,
        rid: &str,
        tag: u8,
        width: u16,
        height: u16,
    ) {
        let now = self.now;
        let c = self.clients.get_mut(&PeerId(id)).unwrap();
        let pt = payload_type(&mut c.rtc, mid, Codec::Vp8);
        let [w0, w1] = width.to_le_bytes();
        let [h0, h1] = height.to_le_bytes();
        let mut data = vec![0x00, tag, tag, 0x9d, 0x01, 0x2a, w0, w1, h0, h1];
        data.resize(600, tag);
        let time = str0m::media::MediaTime::from_90khz((now - self.start).as_millis() as u64 * 90);
        let w = c.rtc.writer(mid).unwrap().rid(Rid::from(rid));
        w.write(pt, now, time, data).unwrap();
    }

    /// Connect everyone and let the SFU's offers settle.
    pub fn settle(&mut self) {
        self.run_until(5_000, |w| w.all_connected())
            .expect("everyone connects");
        self.run(50);
    }

    /// `id`'s camera goes live: the SFU offers a video line to the others only
    /// once its first frame arrives. That frame (tag 0) reaches nobody; this
    /// runs until the others have the line open.
    pub fn go_live(&mut self, id: u64, mid: Mid) {
        self.send_video(id, mid, None, true, 0);
        self.run(200);
    }

    /// Send one audio packet from `id` with an RFC 6464 level (negative dBov).
    pub fn send_audio(&mut self, id: u64, mid: Mid, level: i8, tag: u8) {
        let now = self.now;
        let c = self.clients.get_mut(&PeerId(id)).unwrap();
        let pt = payload_type(&mut c.rtc, mid, Codec::Opus);
        let w = c.rtc.writer(mid).unwrap().audio_level(level, level > -127);
        w.write(
            pt,
            now,
            str0m::media::MediaTime::new(
                (now - self.start).as_millis() as u64 * 48,
                str0m::media::Frequency::FORTY_EIGHT_KHZ,
            ),
            vec![tag; 80],
        )
        .unwrap();
    }

    pub fn client(&self, id: u64) -> &Client {
        &self.clients[&PeerId(id)]
    }

    /// Video frames (by their tag byte) a client received from `stream`.
    pub fn tags_from(&self, id: u64, stream: &str) -> Vec<u8> {
        self.client(id)
            .frames
            .iter()
            .filter(|f| f.stream.as_deref() == Some(stream) && f.data.len() > 100)
            .map(|f| f.data[1])
            .collect()
    }

    pub fn all_connected(&self) -> bool {
        self.clients.values().all(|c| c.connected)
    }
}

fn remember_streams(c: &mut Client, sdp: &str) {
    let mut mid: Option<String> = None;
    for line in sdp.lines() {
        if let Some(m) = line.strip_prefix("a=mid:") {
            mid = Some(m.trim().to_owned());
        } else if let Some(msid) = line.strip_prefix("a=msid:")
            && let (Some(m), Some(stream)) = (&mid, msid.split_whitespace().next())
        {
            c.streams.insert(Mid::from(m.as_str()), stream.to_owned());
        }
    }
}

/// The payload type `rtc` sends `codec` with on `mid`.
pub fn payload_type(rtc: &mut Rtc, mid: Mid, codec: Codec) -> Pt {
    rtc.writer(mid)
        .unwrap()
        .payload_params()
        .find(|p| p.spec().codec == codec)
        .unwrap()
        .pt()
}
