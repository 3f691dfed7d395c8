//! The thin I/O side: one UDP socket for every person's media, shared by
//! `workers` tokio tasks (`worker.rs`), each with its own [`Sfu`] core; a
//! meeting lives on one worker (`placement.rs`), commands in, events out.
//!
//! One socket, not one per worker: browsers are told one address and port,
//! and a firewall opens one port (`docs/deploy.md`). The workers all read it
//! and pass each other what is not theirs, by ICE ufrag and then by address
//! (`route.rs`): no second socket, no `SO_REUSEPORT` steering that would need
//! the kernel to know sessions.
//!
//! The socket may be bound to `[::]` (one port for IPv4 and IPv6): IPv4 peers then
//! appear as v4-mapped addresses, which are turned back into plain IPv4 so they
//! match the announced candidates.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

use crate::{PeerId, Sfu, SfuConfig, SfuError, SfuEvent, SfuStats};

mod command;
mod placement;
mod route;
mod send;
mod traffic;
mod worker;

use command::Command;
use placement::Placement;
use traffic::Counters;
pub use traffic::Traffic;
use worker::{Shared, Worker};

/// The SFU task stopped (the server is shutting down).
#[derive(Debug, thiserror::Error)]
#[error("the media server has stopped")]
pub struct Stopped;

/// A cheap, cloneable handle to the running SFU workers.
#[derive(Clone)]
pub struct SfuHandle {
    commands: Vec<mpsc::UnboundedSender<Command>>,
    shared: Arc<Shared>,
    local_addr: SocketAddr,
}

/// One worker's share, for the operator's metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerLoad {
    /// Sessions (people) placed on it.
    pub sessions: usize,
    /// Meetings placed on it.
    pub meetings: usize,
    pub traffic: Traffic,
    /// Time spent handling datagrams, commands and timers (not waiting).
    pub busy: Duration,
}

impl SfuHandle {
    /// Where the media socket is bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// What the media socket carried so far, all workers together (read
    /// without asking them).
    pub fn traffic(&self) -> Traffic {
        self.shared
            .counters
            .iter()
            .map(|c| c.snapshot())
            .fold(Traffic::default(), |a, b| a + b)
    }

    /// Each worker's sessions, meetings, traffic and busy time.
    pub fn workers(&self) -> Vec<WorkerLoad> {
        let load = self.placement().load();
        self.shared
            .counters
            .iter()
            .zip(load)
            .map(|(c, (sessions, meetings))| WorkerLoad {
                sessions,
                meetings,
                traffic: c.snapshot(),
                busy: c.busy_time(),
            })
            .collect()
    }

    /// Joins `peer` to the meeting `room`, on the meeting's worker (a new
    /// meeting's is the least-loaded one).
    pub async fn join(
        &self,
        peer: PeerId,
        room: &str,
        stream_id: &str,
        offer: String,
    ) -> Result<Result<String, SfuError>, Stopped> {
        let worker = self.placement().place(peer, room);
        let (reply, rx) = oneshot::channel();
        let sent = self.send_to(
            worker,
            Command::Join {
                peer,
                room: room.to_owned(),
                stream_id: stream_id.to_owned(),
                offer,
                reply,
            },
        );
        let answer = match sent {
            Ok(()) => rx.await.map_err(|_| Stopped),
            Err(e) => Err(e),
        };
        // Refused (or stopped): it holds no place. Joined already: it keeps its own.
        if !matches!(answer, Ok(Ok(_)) | Ok(Err(SfuError::AlreadyJoined))) {
            self.shared.forget(peer);
        }
        answer
    }

    pub async fn offer(
        &self,
        peer: PeerId,
        offer: String,
    ) -> Result<Result<String, SfuError>, Stopped> {
        let Some(worker) = self.worker_of(peer) else {
            return Ok(Err(SfuError::UnknownPeer));
        };
        let (reply, rx) = oneshot::channel();
        self.send_to(worker, Command::Offer { peer, offer, reply })?;
        rx.await.map_err(|_| Stopped)
    }

    pub async fn answer(
        &self,
        peer: PeerId,
        answer: String,
    ) -> Result<Result<(), SfuError>, Stopped> {
        let Some(worker) = self.worker_of(peer) else {
            return Ok(Err(SfuError::UnknownPeer));
        };
        let (reply, rx) = oneshot::channel();
        self.send_to(
            worker,
            Command::Answer {
                peer,
                answer,
                reply,
            },
        )?;
        rx.await.map_err(|_| Stopped)
    }

    pub fn tile_height(&self, peer: PeerId, origin: PeerId, height: u32) -> Result<(), Stopped> {
        self.send_for(
            peer,
            Command::TileHeight {
                peer,
                origin,
                height,
            },
        )
    }

    pub fn set_muted(&self, peer: PeerId, muted: bool) -> Result<(), Stopped> {
        self.send_for(peer, Command::Muted { peer, muted })
    }

    /// See [`Sfu::set_silenced`](crate::Sfu::set_silenced).
    pub fn set_silenced(&self, peer: PeerId, silenced: bool) -> Result<(), Stopped> {
        self.send_for(peer, Command::Silenced { peer, silenced })
    }

    pub fn leave(&self, peer: PeerId) -> Result<(), Stopped> {
        let worker = self.worker_of(peer);
        self.shared.forget(peer);
        match worker {
            Some(w) => self.send_to(w, Command::Leave { peer }),
            None => Ok(()),
        }
    }

    /// The cores' counters, all workers together.
    pub async fn stats(&self) -> Result<SfuStats, Stopped> {
        let mut total = SfuStats::default();
        for worker in 0..self.commands.len() {
            let (reply, rx) = oneshot::channel();
            self.send_to(worker, Command::Stats { reply })?;
            total += rx.await.map_err(|_| Stopped)?;
        }
        Ok(total)
    }

    fn placement(&self) -> std::sync::MutexGuard<'_, Placement> {
        self.shared
            .placement
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn worker_of(&self, peer: PeerId) -> Option<usize> {
        self.placement().worker_of(peer)
    }

    /// To `peer`'s worker; nothing for a peer that has none (gone already).
    fn send_for(&self, peer: PeerId, c: Command) -> Result<(), Stopped> {
        match self.worker_of(peer) {
            Some(w) => self.send_to(w, c),
            None => Ok(()),
        }
    }

    fn send_to(&self, worker: usize, c: Command) -> Result<(), Stopped> {
        self.commands[worker].send(c).map_err(|_| Stopped)
    }
}

/// Bind the media socket and start `workers` SFU workers on it (at least
/// one). `announce` are the addresses browsers are told to send media to
/// (their port 0 means "the bound port"). The workers end when every
/// [`SfuHandle`] is dropped.
pub async fn start(
    bind: SocketAddr,
    announce: Vec<IpAddr>,
    workers: usize,
) -> io::Result<(SfuHandle, mpsc::UnboundedReceiver<SfuEvent>)> {
    crate::install_crypto();
    let workers = workers.max(1);
    let socket = Arc::new(UdpSocket::bind(bind).await?);
    let local_addr = socket.local_addr()?;
    let candidates: Vec<SocketAddr> = announce
        .iter()
        .map(|ip| SocketAddr::new(*ip, local_addr.port()))
        .collect();
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let (inboxes, inbox_rxs): (Vec<_>, Vec<_>) =
        (0..workers).map(|_| mpsc::channel(worker::INBOX)).unzip();
    let shared = Arc::new(Shared {
        placement: Mutex::new(Placement::new(workers)),
        routes: Default::default(),
        inboxes,
        counters: (0..workers)
            .map(|_| Arc::new(Counters::default()))
            .collect(),
    });
    let mut commands = Vec::with_capacity(workers);
    for (index, inbox) in inbox_rxs.into_iter().enumerate() {
        let (tx, rx) = mpsc::unbounded_channel();
        commands.push(tx);
        let worker = Worker {
            index,
            socket: socket.clone(),
            sfu: Sfu::new(SfuConfig::new(candidates.clone())),
            candidates: candidates.clone(),
            commands: rx,
            inbox,
            events: events_tx.clone(),
            shared: shared.clone(),
        };
        tokio::spawn(worker.run());
    }
    let handle = SfuHandle {
        commands,
        shared,
        local_addr,
    };
    Ok((handle, events_rx))
}
