//! The thin I/O side: one UDP socket for every person's media, one tokio task
//! that owns the socket and the [`Sfu`] core, commands in, events out.
//!
//! The socket may be bound to `[::]` (one port for IPv4 and IPv6): IPv4 peers then
//! appear as v4-mapped addresses, which are turned back into plain IPv4 so they
//! match the announced candidates.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

use crate::{PeerId, Sfu, SfuConfig, SfuError, SfuEvent, SfuStats, Transmit};

mod send;
mod traffic;

use send::Sender;
use traffic::Counters;
pub use traffic::Traffic;

/// Requests the signaling side makes; each one that can fail has a reply.
enum Command {
    Join {
        peer: PeerId,
        room: String,
        stream_id: String,
        offer: String,
        reply: oneshot::Sender<Result<String, SfuError>>,
    },
    Offer {
        peer: PeerId,
        offer: String,
        reply: oneshot::Sender<Result<String, SfuError>>,
    },
    Answer {
        peer: PeerId,
        answer: String,
        reply: oneshot::Sender<Result<(), SfuError>>,
    },
    TileHeight {
        peer: PeerId,
        origin: PeerId,
        height: u32,
    },
    Muted {
        peer: PeerId,
        muted: bool,
    },
    Silenced {
        peer: PeerId,
        silenced: bool,
    },
    Leave {
        peer: PeerId,
    },
    Stats {
        reply: oneshot::Sender<SfuStats>,
    },
}

/// The SFU task stopped (the server is shutting down).
#[derive(Debug, thiserror::Error)]
#[error("the media server has stopped")]
pub struct Stopped;

/// A cheap, cloneable handle to the running SFU task.
#[derive(Clone)]
pub struct SfuHandle {
    tx: mpsc::UnboundedSender<Command>,
    local_addr: SocketAddr,
    counters: Arc<Counters>,
}

impl SfuHandle {
    /// Where the media socket is bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// What the media socket carried so far (read without asking the task).
    pub fn traffic(&self) -> Traffic {
        self.counters.snapshot()
    }

    pub async fn join(
        &self,
        peer: PeerId,
        room: &str,
        stream_id: &str,
        offer: String,
    ) -> Result<Result<String, SfuError>, Stopped> {
        let (reply, rx) = oneshot::channel();
        self.send(Command::Join {
            peer,
            room: room.to_owned(),
            stream_id: stream_id.to_owned(),
            offer,
            reply,
        })?;
        rx.await.map_err(|_| Stopped)
    }

    pub async fn offer(
        &self,
        peer: PeerId,
        offer: String,
    ) -> Result<Result<String, SfuError>, Stopped> {
        let (reply, rx) = oneshot::channel();
        self.send(Command::Offer { peer, offer, reply })?;
        rx.await.map_err(|_| Stopped)
    }

    pub async fn answer(
        &self,
        peer: PeerId,
        answer: String,
    ) -> Result<Result<(), SfuError>, Stopped> {
        let (reply, rx) = oneshot::channel();
        self.send(Command::Answer {
            peer,
            answer,
            reply,
        })?;
        rx.await.map_err(|_| Stopped)
    }

    pub fn tile_height(&self, peer: PeerId, origin: PeerId, height: u32) -> Result<(), Stopped> {
        self.send(Command::TileHeight {
            peer,
            origin,
            height,
        })
    }

    pub fn set_muted(&self, peer: PeerId, muted: bool) -> Result<(), Stopped> {
        self.send(Command::Muted { peer, muted })
    }

    /// See [`Sfu::set_silenced`](crate::Sfu::set_silenced).
    pub fn set_silenced(&self, peer: PeerId, silenced: bool) -> Result<(), Stopped> {
        self.send(Command::Silenced { peer, silenced })
    }

    pub fn leave(&self, peer: PeerId) -> Result<(), Stopped> {
        self.send(Command::Leave { peer })
    }

    pub async fn stats(&self) -> Result<SfuStats, Stopped> {
        let (reply, rx) = oneshot::channel();
        self.send(Command::Stats { reply })?;
        rx.await.map_err(|_| Stopped)
    }

    fn send(&self, c: Command) -> Result<(), Stopped> {
        self.tx.send(c).map_err(|_| Stopped)
    }
}

/// Bind the media socket and start the SFU task. `announce` are the addresses
/// browsers are told to send media to (their port 0 means "the bound port").
/// The task ends when every [`SfuHandle`] is dropped.
pub async fn start(
    bind: SocketAddr,
    announce: Vec<IpAddr>,
) -> io::Result<(SfuHandle, mpsc::UnboundedReceiver<SfuEvent>)> {
    crate::install_crypto();
    let socket = UdpSocket::bind(bind).await?;
    let local_addr = socket.local_addr()?;
    let candidates: Vec<SocketAddr> = announce
        .iter()
        .map(|ip| SocketAddr::new(*ip, local_addr.port()))
        .collect();
    let (tx, rx) = mpsc::unbounded_channel();
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let counters = Arc::new(Counters::default());
    tokio::spawn(run(
        socket,
        Sfu::new(SfuConfig::new(candidates.clone())),
        candidates,
        rx,
        events_tx,
        counters.clone(),
    ));
    let handle = SfuHandle {
        tx,
        local_addr,
        counters,
    };
    Ok((handle, events_rx))
}

async fn run(
    socket: UdpSocket,
    mut sfu: Sfu,
    candidates: Vec<SocketAddr>,
    mut commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::UnboundedSender<SfuEvent>,
    counters: Arc<Counters>,
) {
    let dual_stack = socket.local_addr().is_ok_and(|a| a.is_ipv6());
    let mut sender = Sender::new(dual_stack);
    let mut outgoing: Vec<Transmit> = Vec::new();
    let mut buf = vec![0u8; 2048];
    let mut due_in_a_row = 0;
    loop {
        outgoing.extend(std::iter::from_fn(|| sfu.poll_transmit()));
        if !outgoing.is_empty() {
            let bytes = outgoing.iter().map(|t| t.contents.len()).sum();
            counters.sent(outgoing.len(), bytes);
            sender.send(&socket, &outgoing).await;
            outgoing.clear();
        }
        counters.core(sfu.stats());
        while let Some(e) = sfu.poll_event() {
            let _ = events.send(e);
        }
        let now = Instant::now();
        let wake = sfu
            .poll_timeout()
            .unwrap_or_else(|| now + Duration::from_millis(500));
        // A timeout already due (str0m packetizes forwarded frames on its next
        // timeout) is handled now: tokio's timer would round it up to the next
        // millisecond and add that to every forwarded frame's delay. A few in a
        // row at most, so datagrams and commands are still read.
        if wake <= now && due_in_a_row < MAX_DUE_IN_A_ROW {
            due_in_a_row += 1;
            sfu.handle_timeout(now);
            continue;
        }
        due_in_a_row = 0;
        let wake = wake.max(now);
        tokio::select! {
            received = socket.recv_from(&mut buf) => {
                let Ok((n, source)) = received else { continue };
                counters.received(n);
                receive(&mut sfu, &candidates, source, &buf[..n]);
                // Whatever else is queued is handled before sending, so the
                // replies leave in fewer, larger batches.
                for _ in 0..MAX_DRAIN {
                    let Ok((n, source)) = socket.try_recv_from(&mut buf) else { break };
                    counters.received(n);
                    receive(&mut sfu, &candidates, source, &buf[..n]);
                }
            }
            command = commands.recv() => {
                let Some(command) = command else { return };
                let now = Instant::now();
                match command {
                    Command::Join { peer, room, stream_id, offer, reply } => {
                        let _ = reply.send(sfu.join(now, peer, &room, &stream_id, &offer));
                    }
                    Command::Offer { peer, offer, reply } => {
                        let _ = reply.send(sfu.accept_offer(now, peer, &offer));
                    }
                    Command::Answer { peer, answer, reply } => {
                        let _ = reply.send(sfu.accept_answer(now, peer, &answer));
                    }
                    Command::TileHeight { peer, origin, height } => {
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
                    }
                    Command::Stats { reply } => {
                        let _ = reply.send(sfu.stats());
                    }
                }
            }
            _ = tokio::time::sleep_until(wake.into()) => sfu.handle_timeout(Instant::now()),
        }
    }
}

/// Due timeouts handled back to back before waiting on the socket again.
const MAX_DUE_IN_A_ROW: u32 = 4;

/// Datagrams read without waiting after a wakeup, before sending again.
const MAX_DRAIN: usize = 32;

fn receive(sfu: &mut Sfu, candidates: &[SocketAddr], source: SocketAddr, data: &[u8]) {
    let source = SocketAddr::new(source.ip().to_canonical(), source.port());
    let Some(destination) = candidates
        .iter()
        .find(|c| c.is_ipv4() == source.is_ipv4())
        .copied()
    else {
        return;
    };
    let _ = sfu.handle_receive(Instant::now(), source, destination, data);
}
