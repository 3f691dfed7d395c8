//! Scenario 3, meeting signaling at a join storm: N people join R rooms within
//! a window (spread evenly), and every pair in a room negotiates as browsers
//! would: the one already there sends an offer and K ICE candidates, the
//! newcomer answers with an answer and K candidates.
//!
//! Two protocols: moim's own (`/moim`: `join`, then `signal {to, …}` delivered
//! to one participant) and the course's (`/`: `nickname`, `join_room`, then
//! `offer`/`answer`/`ice` broadcast to the room; the payload names its
//! receiver so that the others can ignore it, which is how a course client in
//! a room of more than two would have to do it).
//!
//! A pair is negotiated when each side has the other's description and all K
//! candidates; its time runs from the later member's join.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::procfs;
use crate::sio::{self, Filters};
use crate::stats::percentile_ms;

/// ICE candidates each side sends per pair.
const CANDIDATES: usize = 4;

/// Which signaling protocol to speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// moim's `/moim` namespace.
    Moim,
    /// The course's events on `/`.
    Course,
}

/// What the signaling scenario is asked to do.
pub struct Signaling {
    pub url: String,
    pub pid: u32,
    pub clients: usize,
    pub rooms: usize,
    pub window: Duration,
    pub protocol: Protocol,
    pub timeout: Duration,
}

/// A browser-sized SDP (a real one for audio + video + data is 3–6 KB).
fn fake_sdp(kind: &str) -> String {
    let mut sdp = format!(
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\n{kind}"
    );
    while sdp.len() < 3000 {
        sdp.push_str(
            "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 goog-remb\r\na=rtcp-fb:96 transport-cc\r\n",
        );
    }
    sdp
}

fn candidate(n: usize, micros: u64) -> Value {
    json!({
        "candidate": format!("candidate:84216304{n} 1 udp 2122260223 192.0.2.{n} 5{n}321 typ host generation 0 ufrag EsAw network-id 1"),
        "sdpMid": "0", "sdpMLineIndex": 0, "t": micros,
    })
}

struct Storm {
    job: Signaling,
    ns: &'static str,
    clients: Vec<sio::Client>,
    index_of: HashMap<String, usize>,
    epoch: Instant,
    join_sent: Vec<Option<Instant>>,
    /// (receiver, sender) → messages received (description + candidates).
    received: HashMap<(usize, usize), usize>,
    /// (receiver, sender) → when the last one arrived.
    completed: HashMap<(usize, usize), Instant>,
    latencies: Vec<Duration>,
    refusals: u64,
    join_refusals: u64,
    relayed: u64,
    offer: String,
    answer: String,
}

impl Storm {
    fn room(&self, i: usize) -> String {
        format!("meet-{}", i % self.job.rooms)
    }

    fn micros(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    fn join(&mut self, i: usize) {
        self.join_sent[i] = Some(Instant::now());
        let args = match self.job.protocol {
            Protocol::Moim => json!(["join", {"room": self.room(i), "name": format!("p{i}")}]),
            Protocol::Course => json!(["join_room", self.room(i)]),
        };
        self.clients[i].send(sio::event(self.ns, Some(1), &args));
    }

    /// `from` sends its description and candidates to `to`.
    fn negotiate(&mut self, from: usize, to: usize, kind: &str) {
        let sdp = if kind == "offer" {
            &self.offer
        } else {
            &self.answer
        };
        let description = json!({"type": kind, "sdp": sdp, "t": self.micros()});
        let mut packets = vec![(kind, description)];
        for n in 0..CANDIDATES {
            packets.push(("ice", candidate(n, self.micros())));
        }
        for (event, mut payload) in packets {
            let args = match self.job.protocol {
                Protocol::Moim => {
                    let field = if event == "ice" {
                        "candidate"
                    } else {
                        "description"
                    };
                    json!(["signal", {"to": self.clients[to].sid, field: payload}])
                }
                Protocol::Course => {
                    payload["from"] = json!(from);
                    payload["to"] = json!(to);
                    json!([event, payload, self.room(from)])
                }
            };
            let ack = (self.job.protocol == Protocol::Moim).then_some(2);
            self.clients[from].send(sio::event(self.ns, ack, &args));
        }
    }

    /// Handles one packet read by client `me`.
    fn on_packet(&mut self, me: usize, at: Instant, packet: &str) {
        let Some(p) = sio::parse(self.ns, packet) else {
            return;
        };
        let Ok(Value::Array(args)) = serde_json::from_str::<Value>(p.json) else {
            return;
        };
        if p.kind == b'3' {
            // Ack id 1 answers a join, 2 a signal.
            if args.first().is_some_and(|a| a.get("error").is_some()) {
                if p.ack == Some(1) {
                    self.join_refusals += 1;
                } else {
                    self.refusals += 1;
                }
            }
            return;
        }
        let event = args.first().and_then(Value::as_str).unwrap_or_default();
        match (self.job.protocol, event) {
            (Protocol::Moim, "participant-joined") => {
                let id = args[1]["participant"]["id"].as_str().unwrap_or_default();
                if let Some(&other) = self.index_of.get(id) {
                    self.negotiate(me, other, "offer");
                }
            }
            (Protocol::Course, "welcome") => {
                let nickname = args.get(1).and_then(Value::as_str).unwrap_or_default();
                if let Some(other) = nickname.strip_prefix('p').and_then(|n| n.parse().ok()) {
                    self.negotiate(me, other, "offer");
                }
            }
            (Protocol::Moim, "signal") => {
                let payload = &args[1];
                let Some(&from) = payload["from"]
                    .as_str()
                    .and_then(|id| self.index_of.get(id))
                else {
                    return;
                };
                let body = if payload["description"].is_object() {
                    &payload["description"]
                } else {
                    &payload["candidate"]
                };
                self.record(me, from, at, body);
            }
            (Protocol::Course, "offer" | "answer" | "ice") => {
                let body = &args[1];
                self.relayed += 1;
                if body["to"].as_u64() != Some(me as u64) {
                    return; // broadcast to the room; meant for someone else
                }
                let Some(from) = body["from"].as_u64() else {
                    return;
                };
                self.record(me, from as usize, at, body);
            }
            _ => {}
        }
    }

    fn record(&mut self, me: usize, from: usize, at: Instant, body: &Value) {
        if let Some(t) = body["t"].as_u64() {
            self.latencies
                .push(at.saturating_duration_since(self.epoch + Duration::from_micros(t)));
        }
        if body["type"] == "offer" {
            self.negotiate(me, from, "answer");
        }
        let n = self.received.entry((me, from)).or_default();
        *n += 1;
        if *n == CANDIDATES + 1 {
            self.completed.insert((me, from), at);
        }
    }

    fn expected_pairs(&self) -> usize {
        (0..self.job.rooms)
            .map(|r| {
                let s = (0..self.job.clients)
                    .filter(|i| i % self.job.rooms == r)
                    .count();
                s * s.saturating_sub(1)
            })
            .sum()
    }
}

pub async fn run(job: Signaling) -> Result<Value, String> {
    let ns = match job.protocol {
        Protocol::Moim => "/moim",
        Protocol::Course => "/",
    };
    // Room lists are not part of this scenario.
    let filters: Filters = std::sync::Arc::new(|| {
        Box::new(|packet: &str| {
            !packet.contains(r#"["room_change""#) && !packet.contains(r#"["rooms""#)
        })
    });
    let (tx, mut rx) = mpsc::unbounded_channel();
    let clients = sio::connect_many(&job.url, ns, job.clients, &tx, filters).await?;
    if job.protocol == Protocol::Course {
        for (i, client) in clients.iter().enumerate() {
            client.send(sio::event(ns, None, &json!(["nickname", format!("p{i}")])));
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    while rx.try_recv().is_ok() {}
    let index_of = clients
        .iter()
        .enumerate()
        .map(|(i, c)| (c.sid.clone(), i))
        .collect();
    let count = job.clients;
    let step = job.window / count.max(1) as u32;
    let timeout = job.timeout;
    let mut storm = Storm {
        join_sent: vec![None; count],
        offer: fake_sdp("a=setup:actpass\r\n"),
        answer: fake_sdp("a=setup:active\r\n"),
        job,
        ns,
        clients,
        index_of,
        epoch: Instant::now(),
        received: HashMap::new(),
        completed: HashMap::new(),
        latencies: Vec::new(),
        refusals: 0,
        join_refusals: 0,
        relayed: 0,
    };
    let expected = storm.expected_pairs();
    let server_before = procfs::usage(Some(storm.job.pid));
    let self_before = procfs::usage(None);
    let epoch = storm.epoch;
    let deadline = tokio::time::Instant::from_std(epoch) + timeout;
    let mut next_join = 0;
    while storm.completed.len() < expected {
        let join_at = tokio::time::Instant::from_std(epoch + step * next_join as u32);
        tokio::select! {
            _ = tokio::time::sleep_until(join_at), if next_join < count => {
                storm.join(next_join);
                next_join += 1;
            }
            incoming = rx.recv() => match incoming {
                Some(incoming) => storm.on_packet(incoming.client, incoming.at, &incoming.packet),
                None => break,
            },
            _ = tokio::time::sleep_until(deadline) => break,
        }
    }
    let all_done = epoch.elapsed();
    let server_after = procfs::usage(Some(storm.job.pid));
    let self_after = procfs::usage(None);
    let (server_cpu, wall) = procfs::between(server_before, server_after);
    let (self_cpu, _) = procfs::between(self_before, self_after);

    // Per unordered pair: from the later join to both directions complete.
    let mut pair_times = Vec::new();
    for (&(a, b), &at) in &storm.completed {
        if a < b
            && let Some(&back) = storm.completed.get(&(b, a))
        {
            let later_join = storm.join_sent[a].max(storm.join_sent[b]).unwrap_or(epoch);
            pair_times.push(at.max(back).saturating_duration_since(later_join));
        }
    }
    Ok(json!({
        "scenario": "signaling",
        "protocol": if storm.job.protocol == Protocol::Moim { "moim" } else { "course" },
        "clients": count,
        "rooms": storm.job.rooms,
        "windowMs": storm.job.window.as_millis() as u64,
        "directedPairs": expected,
        "negotiatedDirections": storm.completed.len(),
        "allNegotiated": storm.completed.len() == expected,
        "allNegotiatedMs": (all_done.as_secs_f64() * 1000.0).round(),
        "pairP50Ms": percentile_ms(&mut pair_times, 50.0),
        "pairP99Ms": percentile_ms(&mut pair_times, 99.0),
        "relayP50Ms": percentile_ms(&mut storm.latencies, 50.0),
        "relayP99Ms": percentile_ms(&mut storm.latencies, 99.0),
        "signalsReceived": storm.latencies.len(),
        "broadcastCopiesReceived": storm.relayed,
        "refusals": storm.refusals,
        "joinRefusals": storm.join_refusals,
        "serverCpuMs": server_cpu.as_millis() as u64,
        "serverKernelShare": procfs::kernel_share(server_before, server_after),
        "generatorCpuMs": self_cpu.as_millis() as u64,
        "generatorBusy": self_cpu.as_secs_f64() / wall.as_secs_f64().max(1e-9),
    }))
}
