//! The UDP driver on loopback: real sockets, str0m clients as browsers, one
//! publisher and three subscribers per meeting; every frame reaches every
//! subscriber — with one worker, and with two workers and two meetings, each
//! meeting on its own worker (the datagrams any worker reads routed to the
//! meeting's).

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use moim_sfu::{PeerId, SfuEvent, driver};
use str0m::change::{SdpAnswer, SdpOffer};
use str0m::media::{Direction, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc};

struct Client {
    rtc: Rtc,
    socket: UdpSocket,
    addr: SocketAddr,
    connected: bool,
    /// Tag bytes of the video frames received.
    tags: Vec<u8>,
    answered_offers: usize,
}

impl Client {
    fn new() -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.set_nonblocking(true).unwrap();
        let addr = socket.local_addr().unwrap();
        let mut rtc = Rtc::new(Instant::now());
        rtc.add_local_candidate(Candidate::host(addr, "udp").unwrap());
        Self {
            rtc,
            socket,
            addr,
            connected: false,
            tags: vec![],
            answered_offers: 0,
        }
    }

    /// Move everything that is ready: outgoing datagrams, incoming ones, timers.
    fn pump(&mut self) {
        let mut buf = vec![0u8; 2048];
        loop {
            loop {
                match self.rtc.poll_output().unwrap() {
                    Output::Timeout(_) => break,
                    Output::Transmit(t) => {
                        let _ = self.socket.send_to(&t.contents, t.destination);
                    }
                    Output::Event(Event::Connected) => self.connected = true,
                    Output::Event(Event::MediaData(d)) if d.data.len() > 100 => {
                        self.tags.push(d.data[1])
                    }
                    Output::Event(_) => {}
                }
            }
            let Ok((n, source)) = self.socket.recv_from(&mut buf) else {
                break;
            };
            let contents = buf[..n].try_into().unwrap();
            let input = Input::Receive(
                Instant::now(),
                Receive {
                    proto: Protocol::Udp,
                    source,
                    destination: self.addr,
                    contents,
                },
            );
            self.rtc.handle_input(input).unwrap();
        }
        self.rtc
            .handle_input(Input::Timeout(Instant::now()))
            .unwrap();
    }
}

#[test]
fn the_driver_forwards_every_frame_to_every_subscriber_over_loopback() {
    let loads = forward(1, 1);
    assert_eq!(loads.len(), 1);
    assert_eq!(
        loads[0].traffic.datagrams_routed, 0,
        "nothing to route with one worker"
    );
}

#[test]
fn two_workers_each_forward_their_own_meeting() {
    let loads = forward(2, 2);
    // One meeting of four on each worker, and each forwarded its own:
    // 50 frames of 1,100 bytes to 3 receivers.
    for (i, l) in loads.iter().enumerate() {
        assert_eq!((l.sessions, l.meetings), (4, 1), "worker {i}: {loads:?}");
        assert!(l.traffic.bytes_out >= 150 * 1_100, "worker {i}: {loads:?}");
        assert!(l.busy > Duration::ZERO, "worker {i}: {loads:?}");
        assert_eq!(l.traffic.dropped_unknown_source, 0, "worker {i}: {loads:?}");
        assert_eq!(l.traffic.dropped_inbox_full, 0, "worker {i}: {loads:?}");
    }
}

/// `rooms` meetings of one publisher and three subscribers each, on an SFU
/// of `workers` workers: every subscriber gets every frame of its meeting's
/// publisher, in order, once. Returns the workers' loads while all are in.
fn forward(workers: usize, rooms: usize) -> Vec<driver::WorkerLoad> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .unwrap();
    let (sfu, mut events) = runtime
        .block_on(driver::start(
            "127.0.0.1:0".parse().unwrap(),
            vec!["127.0.0.1".parse().unwrap()],
            workers,
        ))
        .unwrap();

    let mut clients: Vec<Client> = (0..4 * rooms).map(|_| Client::new()).collect();
    let mut video: Vec<Mid> = Vec::new();
    for (i, c) in clients.iter_mut().enumerate() {
        let mut api = c.rtc.sdp_api();
        if i.is_multiple_of(4) {
            api.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
            video.push(api.add_media(MediaKind::Video, Direction::SendOnly, None, None, None));
        } else {
            api.add_channel("moim".into());
        }
        let (offer, pending) = api.apply().unwrap();
        let answer = runtime
            .block_on(sfu.join(
                PeerId(i as u64),
                &format!("room{}", i / 4),
                &format!("p{i}"),
                offer.to_sdp_string(),
            ))
            .unwrap()
            .unwrap();
        c.rtc
            .sdp_api()
            .accept_answer(pending, SdpAnswer::from_sdp_string(&answer).unwrap())
            .unwrap();
    }
    let publishers: Vec<usize> = (0..rooms).map(|r| 4 * r).collect();
    let is_subscriber = |i: usize| !i.is_multiple_of(4);
    let mut pump_all = |clients: &mut Vec<Client>| {
        for c in clients.iter_mut() {
            c.pump();
        }
        while let Ok(e) = events.try_recv() {
            if let SfuEvent::Offer { peer, sdp } = e {
                let c = &mut clients[peer.0 as usize];
                let answer = c
                    .rtc
                    .sdp_api()
                    .accept_offer(SdpOffer::from_sdp_string(&sdp).unwrap())
                    .unwrap();
                runtime
                    .block_on(sfu.answer(peer, answer.to_sdp_string()))
                    .unwrap()
                    .unwrap();
                c.answered_offers += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let until = |clients: &mut Vec<Client>,
                 pump: &mut dyn FnMut(&mut Vec<Client>),
                 done: &dyn Fn(&[Client]) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done(clients) {
            assert!(Instant::now() < deadline, "timed out");
            pump(clients);
        }
    };

    until(&mut clients, &mut pump_all, &|cs| {
        cs.iter().all(|c| c.connected)
            && (0..cs.len())
                .filter(|i| is_subscriber(*i))
                .all(|i| cs[i].answered_offers > 0)
    });

    let start = Instant::now();
    let write = |clients: &mut Vec<Client>, frame: &[u8]| {
        let now = Instant::now();
        let time = MediaTime::from_90khz((now - start).as_millis() as u64 * 90);
        for (p, mid) in publishers.iter().zip(&video) {
            let writer = clients[*p].rtc.writer(*mid).unwrap();
            let pt = writer
                .payload_params()
                .find(|p| p.spec().codec == str0m::format::Codec::Vp8)
                .unwrap()
                .pt();
            writer.write(pt, now, time, frame.to_vec()).unwrap();
        }
    };
    // The cameras go live: each first frame gets its line offered to the others.
    write(&mut clients, &[0x00, 0xff, 0xff, 0xff]);
    until(&mut clients, &mut pump_all, &|cs| {
        (0..cs.len())
            .filter(|i| is_subscriber(*i))
            .all(|i| cs[i].answered_offers >= 2)
    });

    for tag in 0..50u8 {
        let mut frame = vec![if tag == 0 { 0x00 } else { 0x01 }, tag];
        frame.resize(1_100, tag);
        write(&mut clients, &frame);
        for _ in 0..5 {
            pump_all(&mut clients);
        }
    }
    until(&mut clients, &mut pump_all, &|cs| {
        (0..cs.len())
            .filter(|i| is_subscriber(*i))
            .all(|i| cs[i].tags.len() >= 50)
    });

    let sent: Vec<u8> = (0..50).collect();
    for (i, c) in clients
        .iter()
        .enumerate()
        .filter(|(i, _)| is_subscriber(*i))
    {
        assert_eq!(
            c.tags, sent,
            "client {i}: every frame of its meeting, in order, once"
        );
    }
    let stats = runtime.block_on(sfu.stats()).unwrap();
    assert_eq!(stats.dropped_unknown_source, 0);
    // The operator's counters saw it all: 50 frames of 1,100 bytes to 3 receivers per meeting.
    let traffic = sfu.traffic();
    let rooms = rooms as u64;
    assert!(traffic.datagrams_in >= 51 * rooms, "{traffic:?}");
    assert!(traffic.datagrams_out >= 150 * rooms, "{traffic:?}");
    assert!(traffic.bytes_out >= 150 * 1_100 * rooms, "{traffic:?}");
    sfu.workers()
}
