//! Every connected Socket.IO socket of this node, across namespaces, with what
//! the Admin UI shows of it, and a feed of what changes.
//!
//! socketioxide has no "socket joined a room" hook, so the signaling handlers
//! join and leave rooms through [`SocketRegistry::join`] / [`SocketRegistry::leave`],
//! which change the adapter's rooms and announce the change under one lock. An
//! admin that takes a [`SocketRegistry::snapshot`] therefore sees every change
//! exactly once: either in the snapshot or on the feed it subscribed with it.
//! Rooms are read from the adapter itself, never copied, so they cannot drift.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use serde_json::Value;
use socketioxide::TransportType;
use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;
use socketioxide::socket::{DisconnectReason, Sid};
use tokio::sync::broadcast;

use super::wire::{self, SerializedSocket};
use crate::metrics::moim::namespace_label;

/// Events queued for a slow admin before it is sent a fresh snapshot instead.
const FEED: usize = 4096;

/// What the registry needs of a socket, whatever its adapter.
pub trait SocketHandle: Send + Sync {
    /// `websocket` or `polling`, as it is now (a client may upgrade).
    fn transport(&self) -> &'static str;
    /// The adapter rooms the socket is in.
    fn rooms(&self) -> Vec<String>;
    /// Whether the socket is still connected.
    fn is_connected(&self) -> bool;
    /// Its handshake as the Admin UI shows it (made when asked: most sockets
    /// are never looked at, and this keeps them small).
    fn handshake(&self, issued: SystemTime) -> Value;
}

impl<A: Adapter> SocketHandle for SocketRef<A> {
    fn transport(&self) -> &'static str {
        transport_name(self.transport_type())
    }
    fn rooms(&self) -> Vec<String> {
        // moim's own delivery rooms (a participant's inbox, a meeting's
        // hosts) start with a control character no room name may hold: they
        // are plumbing, not rooms an admin manages.
        let mut rooms: Vec<String> = socketioxide::socket::Socket::rooms(self)
            .into_iter()
            .map(|r| r.to_string())
            .filter(|r| !r.starts_with('\u{1}'))
            .collect();
        rooms.sort_unstable();
        rooms
    }
    fn is_connected(&self) -> bool {
        self.connected()
    }
    fn handshake(&self, issued: SystemTime) -> Value {
        wire::handshake(self.req_parts(), issued)
    }
}

/// The Admin UI's name of a transport.
pub fn transport_name(transport: TransportType) -> &'static str {
    match transport {
        TransportType::Polling => "polling",
        TransportType::Websocket => "websocket",
    }
}

/// A disconnect reason in socket.io's (Node) words, which the Admin UI shows.
pub fn reason_name(reason: DisconnectReason) -> &'static str {
    use DisconnectReason::*;
    match reason {
        TransportClose => "transport close",
        MultipleHttpPollingError | PacketParsingError => "parse error",
        TransportError => "transport error",
        HeartbeatTimeout => "ping timeout",
        ClientNSDisconnect => "client namespace disconnect",
        ServerNSDisconnect => "server namespace disconnect",
        ClosingServer => "server shutting down",
    }
}

/// A change, as the Admin UI's events carry it.
#[derive(Debug, Clone)]
pub enum Change {
    /// `socket_connected(socket, timestamp)`.
    Connected(Box<SerializedSocket>, SystemTime),
    /// `socket_updated({id, nsp, transport})`.
    Transport {
        /// Namespace.
        nsp: &'static str,
        /// Socket id.
        id: Sid,
        /// The new transport.
        transport: &'static str,
    },
    /// `room_joined(nsp, room, id, timestamp)`.
    Joined(&'static str, Arc<str>, Sid, SystemTime),
    /// `room_left(nsp, room, id, timestamp)`.
    Left(&'static str, Arc<str>, Sid, SystemTime),
    /// `socket_disconnected(nsp, id, reason, timestamp)`.
    Disconnected(&'static str, Sid, String, SystemTime),
}

struct Entry {
    handle: Arc<dyn SocketHandle>,
    issued: SystemTime,
    /// The transport last announced.
    transport: &'static str,
    /// The rooms announced as joined and not yet as left. Kept here rather
    /// than read from the adapter at disconnection: by the time a disconnect
    /// handler gets its turn, socketioxide may have emptied the socket's rooms,
    /// and the feed would lose the `room_left`s.
    rooms: std::collections::BTreeSet<Arc<str>>,
}

/// Connection events counted per (second as epoch ms, event type, detail such as
/// the disconnection reason).
type EventCounts = HashMap<(u64, &'static str, &'static str), u64>;

/// Sockets by (namespace, id).
pub struct SocketRegistry {
    sockets: Mutex<HashMap<(&'static str, Sid), Entry>>,
    feed: broadcast::Sender<Arc<Change>>,
    /// Connections and disconnections per second for the Admin UI's charts,
    /// kept only while an admin stats task drains them.
    aggregated: Option<Mutex<EventCounts>>,
}

impl std::fmt::Debug for SocketRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocketRegistry").finish_non_exhaustive()
    }
}

impl SocketRegistry {
    /// A registry; `aggregate` keeps per-second connection counts, which
    /// someone must [`SocketRegistry::drain_aggregated`] regularly.
    pub fn new(aggregate: bool) -> Self {
        Self {
            sockets: Mutex::default(),
            feed: broadcast::channel(FEED).0,
            aggregated: aggregate.then(Mutex::default),
        }
    }

    fn count(&self, kind: &'static str, sub: &'static str) {
        if let Some(aggregated) = &self.aggregated {
            let second = wire::epoch_ms(SystemTime::now()) / 1000 * 1000;
            *aggregated
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry((second, kind, sub))
                .or_default() += 1;
        }
    }

    /// The Admin UI's `aggregatedEvents` since the last call.
    pub fn drain_aggregated(&self) -> Vec<Value> {
        let Some(aggregated) = &self.aggregated else {
            return Vec::new();
        };
        let drained = std::mem::take(&mut *aggregated.lock().unwrap_or_else(|e| e.into_inner()));
        drained
            .into_iter()
            .map(|((timestamp, kind, sub), count)| {
                let mut event =
                    serde_json::json!({"timestamp": timestamp, "type": kind, "count": count});
                if !sub.is_empty() {
                    event["subType"] = sub.into();
                }
                event
            })
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<(&'static str, Sid), Entry>> {
        // Every update is one insert or remove; a poisoned map is still valid.
        self.sockets.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn announce(&self, change: Change) {
        // No subscriber (no admin connected) is the usual case, not an error.
        self.feed.send(Arc::new(change)).ok();
    }

    /// Records a socket that just connected.
    pub fn connected<A: Adapter>(&self, socket: &SocketRef<A>) {
        let nsp = namespace_label(socket.ns());
        let handle: Arc<dyn SocketHandle> = Arc::new(socket.clone());
        let mut sockets = self.lock();
        // Checked under the lock: a disconnect that already ran must not be undone.
        if !socket.connected() {
            return;
        }
        let entry = Entry {
            transport: handle.transport(),
            handle,
            issued: SystemTime::now(),
            rooms: Default::default(),
        };
        let serialized = serialize(nsp, socket.id, &entry);
        sockets.insert((nsp, socket.id), entry);
        self.count("rawConnection", "");
        self.announce(Change::Connected(Box::new(serialized), SystemTime::now()));
    }

    /// Puts the socket in `room` (adapter and feed).
    pub fn join<A: Adapter>(&self, socket: &SocketRef<A>, room: &str) {
        let nsp = namespace_label(socket.ns());
        let mut sockets = self.lock();
        let already = SocketHandle::rooms(socket).iter().any(|r| r == room);
        socket.join(room.to_owned());
        let entry = sockets.get_mut(&(nsp, socket.id));
        if let Some(entry) = entry.filter(|_| !already) {
            entry.rooms.insert(room.into());
            self.announce(Change::Joined(
                nsp,
                room.into(),
                socket.id,
                SystemTime::now(),
            ));
        }
    }

    /// Takes the socket out of `room` (adapter and feed).
    pub fn leave<A: Adapter>(&self, socket: &SocketRef<A>, room: &str) {
        let nsp = namespace_label(socket.ns());
        let mut sockets = self.lock();
        let was_in = SocketHandle::rooms(socket).iter().any(|r| r == room);
        socket.leave(room.to_owned());
        let entry = sockets.get_mut(&(nsp, socket.id));
        if let Some(entry) = entry.filter(|_| was_in) {
            entry.rooms.remove(room);
            self.announce(Change::Left(nsp, room.into(), socket.id, SystemTime::now()));
        }
    }

    /// Forgets a socket: it leaves its rooms, then it is gone.
    pub fn disconnected<A: Adapter>(&self, socket: &SocketRef<A>, reason: DisconnectReason) {
        let reason = reason_name(reason);
        let nsp = namespace_label(socket.ns());
        let mut sockets = self.lock();
        let Some(entry) = sockets.remove(&(nsp, socket.id)) else {
            return;
        };
        self.count("rawDisconnection", reason);
        let now = SystemTime::now();
        for room in entry.rooms {
            self.announce(Change::Left(nsp, room, socket.id, now));
        }
        self.announce(Change::Disconnected(nsp, socket.id, reason.to_owned(), now));
    }

    /// Every socket now, and the feed of every change after it.
    pub fn snapshot(&self) -> (Vec<SerializedSocket>, broadcast::Receiver<Arc<Change>>) {
        let sockets = self.lock();
        let feed = self.feed.subscribe();
        let mut all: Vec<SerializedSocket> = sockets
            .iter()
            .map(|((nsp, id), entry)| serialize(nsp, *id, entry))
            .collect();
        all.sort_by(|a, b| (a.nsp, a.handshake_issued()).cmp(&(b.nsp, b.handshake_issued())));
        (all, feed)
    }

    /// Announces transport upgrades seen since the last call (socketioxide
    /// has no upgrade hook; the admin stats tick calls this).
    pub fn refresh_transports(&self) {
        let mut sockets = self.lock();
        for ((nsp, id), entry) in sockets.iter_mut() {
            let now = entry.handle.transport();
            if now != entry.transport {
                entry.transport = now;
                self.announce(Change::Transport {
                    nsp,
                    id: *id,
                    transport: now,
                });
            }
        }
    }

    /// Sockets per (namespace, transport), for metrics and stats.
    pub fn counts(&self) -> Vec<((&'static str, &'static str), usize)> {
        let mut counts: HashMap<(&'static str, &'static str), usize> = HashMap::new();
        for ((nsp, _), entry) in self.lock().iter() {
            *counts.entry((nsp, entry.handle.transport())).or_default() += 1;
        }
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort_unstable();
        counts
    }

    /// The ids in `nsp` that match an Admin UI filter: a socket id, or a room
    /// name (every socket in it).
    pub fn matching(&self, nsp: &str, filter: Option<&str>) -> Vec<Sid> {
        let nsp = namespace_label(nsp);
        self.lock()
            .iter()
            .filter(|((n, _), _)| *n == nsp)
            .filter(|((_, id), entry)| match filter {
                None => true,
                Some(filter) => {
                    id.as_str() == filter || entry.handle.rooms().iter().any(|r| r == filter)
                }
            })
            .map(|((_, id), _)| *id)
            .collect()
    }
}

fn serialize(nsp: &'static str, id: Sid, entry: &Entry) -> SerializedSocket {
    SerializedSocket {
        id: id.to_string(),
        // socketioxide does not expose the engine.io id; each socket is its own client.
        client_id: id.to_string(),
        transport: entry.handle.transport(),
        nsp,
        data: Value::Object(Default::default()),
        handshake: entry.handle.handshake(entry.issued),
        rooms: entry.handle.rooms(),
    }
}
