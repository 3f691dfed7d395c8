//! One SFU worker: a tokio task that owns one [`Sfu`] core — the meetings
//! placed on it — and shares the media socket with the other workers.
//!
//! Every worker reads the socket. A datagram for a session of another worker
//! (`route.rs`) is handed to that worker's inbox and the reader goes on; with
//! one worker nothing is routed and the loop is the single-task driver it
//! always was. Each worker sends its own datagrams on the shared socket.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::net::UdpSocket;
use tokio::sync::mpsc;

use super::command::Command;
use super::placement::Placement;
use super::route::{Routes, sdp_ufrag};
use super::send::Sender;
use super::traffic::Counters;
use crate::{PeerId, Sfu, SfuEvent, Transmit};

/// Due timeouts handled back to back before waiting on the socket again.
const MAX_DUE_IN_A_ROW: u32 = 4;

/// Datagrams read without waiting after a wakeup, before sending again.
const MAX_DRAIN: usize = 32;

/// Datagrams waiting in one worker's inbox at most; more are dropped (and
/// counted) rather than let a stalled worker take memory without bound.
pub const INBOX: usize = 4096;

/// A datagram read by another worker.
pub struct Datagram {
    pub source: SocketAddr,
    pub data: Vec<u8>,
}

/// What the workers share besides the socket.
pub struct Shared {
    pub placement: Mutex<Placement>,
    pub routes: Routes,
    pub inboxes: Vec<mpsc::Sender<Datagram>>,
    pub counters: Vec<Arc<Counters>>,
}

impl Shared {
    fn routed(&self) -> bool {
        self.inboxes.len() > 1
    }

    pub fn forget(&self, peer: PeerId) {
        self.placement
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .forget(peer);
        self.routes.forget(peer);
    }
}

pub struct Worker {
    pub index: usize,
    pub socket: Arc<UdpSocket>,
    pub sfu: Sfu,
    pub candidates: Vec<SocketAddr>,
    pub commands: mpsc::UnboundedReceiver<Command>,
    pub inbox: mpsc::Receiver<Datagram>,
    pub events: mpsc::UnboundedSender<SfuEvent>,
    pub shared: Arc<Shared>,
}

enum Woke {
    Datagram(std::io::Result<(usize, SocketAddr)>),
    Routed(Option<Datagram>),
    Command(Option<Command>),
    Timer,
}

impl Worker {
    /// Runs until the handle's side of `commands` is gone.
    pub async fn run(mut self) {
        let counters = self.shared.counters[self.index].clone();
        let dual_stack = self.socket.local_addr().is_ok_and(|a| a.is_ipv6());
        let mut sender = Sender::new(dual_stack);
        let mut outgoing: Vec<Transmit> = Vec::new();
        let mut buf = vec![0u8; 2048];
        let mut due_in_a_row = 0;
        let mut busy_from = Instant::now();
        loop {
            outgoing.extend(std::iter::from_fn(|| self.sfu.poll_transmit()));
            if !outgoing.is_empty() {
                let bytes = outgoing.iter().map(|t| t.contents.len()).sum();
                counters.sent(outgoing.len(), bytes);
                sender.send(&self.socket, &outgoing).await;
                outgoing.clear();
            }
            counters.core(self.sfu.stats());
            while let Some(e) = self.sfu.poll_event() {
                self.note_event(&e);
                let _ = self.events.send(e);
            }
            let now = Instant::now();
            let wake = self
                .sfu
                .poll_timeout()
                .unwrap_or_else(|| now + Duration::from_millis(500));
            // A timeout already due (str0m packetizes forwarded frames on its next
            // timeout) is handled now: tokio's timer would round it up to the next
            // millisecond and add that to every forwarded frame's delay. A few in a
            // row at most, so datagrams and commands are still read.
            if wake <= now && due_in_a_row < MAX_DUE_IN_A_ROW {
                due_in_a_row += 1;
                self.sfu.handle_timeout(now);
                continue;
            }
            due_in_a_row = 0;
            let wake = wake.max(now);
            counters.busy(now.saturating_duration_since(busy_from));
            let woke = tokio::select! {
                received = self.socket.recv_from(&mut buf) => Woke::Datagram(received),
                routed = self.inbox.recv() => Woke::Routed(routed),
                command = self.commands.recv() => Woke::Command(command),
                _ = tokio::time::sleep_until(wake.into()) => Woke::Timer,
            };
            busy_from = Instant::now();
            match woke {
                Woke::Datagram(received) => {
                    let Ok((n, source)) = received else { continue };
                    counters.received(n);
                    self.receive(source, &buf[..n]);
                    // Whatever else is queued is handled before sending, so the
                    // replies leave in fewer, larger batches.
                    for _ in 0..MAX_DRAIN {
                        let Ok((n, source)) = self.socket.try_recv_from(&mut buf) else {
                            break;
                        };
                        counters.received(n);
                        self.receive(source, &buf[..n]);
                    }
                    self.drain_inbox();
                }
                Woke::Routed(Some(d)) => {
                    self.handle(d.source, &d.data);
                    self.drain_inbox();
                }
                // Never: this worker holds a sender of its own inbox.
                Woke::Routed(None) => {}
                Woke::Command(None) => return,
                Woke::Command(Some(command)) => self.command(command),
                Woke::Timer => self.sfu.handle_timeout(Instant::now()),
            }
        }
    }

    /// A datagram this worker read: its own, or passed to the worker whose it is.
    fn receive(&mut self, source: SocketAddr, data: &[u8]) {
        let source = SocketAddr::new(source.ip().to_canonical(), source.port());
        if self.shared.routed()
            && let Some(owner) = self.shared.routes.worker_for(source, data)
            && owner != self.index
        {
            let d = Datagram {
                source,
                data: data.to_vec(),
            };
            let counters = &self.shared.counters[self.index];
            match self.shared.inboxes[owner].try_send(d) {
                Ok(()) => counters.routed(),
                Err(_) => counters.inbox_full(),
            }
            return;
        }
        self.handle(source, data);
    }

    fn drain_inbox(&mut self) {
        for _ in 0..MAX_DRAIN {
            let Ok(d) = self.inbox.try_recv() else { break };
            self.handle(d.source, &d.data);
        }
    }

    fn handle(&mut self, source: SocketAddr, data: &[u8]) {
        let Some(destination) = self
            .candidates
            .iter()
            .find(|c| c.is_ipv4() == source.is_ipv4())
            .copied()
        else {
            return;
        };
        let _ = self
            .sfu
            .handle_receive(Instant::now(), source, destination, data);
    }

    fn command(&mut self, command: Command) {
        let now = Instant::now();
        let sfu = &mut self.sfu;
        match command {
            Command::Join {
                peer,
                room,
                stream_id,
                offer,
                reply,
            } => {
                let answer = sfu.join(now, peer, &room, &stream_id, &offer);
                if let Ok(sdp) = &answer {
                    self.note_ufrag(peer, sdp);
                }
                let _ = reply.send(answer);
            }
            Command::Offer { peer, offer, reply } => {
                let answer = sfu.accept_offer(now, peer, &offer);
                if let Ok(sdp) = &answer {
                    self.note_ufrag(peer, sdp);
                }
                let _ = reply.send(answer);
            }
            Command::Answer {
                peer,
                answer,
                reply,
            } => {
                let _ = reply.send(sfu.accept_answer(now, peer, &answer));
            }
            Command::TileHeight {
                peer,
                origin,
                height,
            } => {
                let _ = sfu.set_tile_height(peer, origin, height);
            }
            Command::Muted { peer, muted } => {
                let _ = sfu.set_muted(peer, muted);
            }
            Command::Silenced { peer, silenced } => {
                let _ = sfu.set_silenced(peer, silenced);
            }
            Command::Leave { peer } => {
                let _ = sfu.leave(now, peer);
                self.shared.routes.forget(peer);
            }
            Command::Stats { reply } => {
                let _ = reply.send(sfu.stats());
            }
        }
    }

    /// A description of ours for `peer` names the ufrag its browser will ask for.
    fn note_ufrag(&self, peer: PeerId, sdp: &str) {
        if self.shared.routed()
            && let Some(ufrag) = sdp_ufrag(sdp)
        {
            self.shared.routes.set_ufrag(self.index, peer, ufrag);
        }
    }

    fn note_event(&self, e: &SfuEvent) {
        match e {
            SfuEvent::Offer { peer, sdp } => self.note_ufrag(*peer, sdp),
            SfuEvent::Closed { peer } => self.shared.forget(*peer),
            SfuEvent::Connected { .. } | SfuEvent::ActiveSpeaker { .. } => {}
        }
    }
}
