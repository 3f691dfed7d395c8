//! What moim keeps about one connected socket on this node.
//!
//! Stored as an `Arc<Client>` in the socket's extensions: cloning it out is one
//! reference count. It holds the socket's own, local facts: its participant
//! id, rate limits, event order, and the course's nickname (the name its next
//! rooms get, and its chat lines carry). The name others see in a room is the
//! room model's entry ([`crate::hub`]), where a cluster can share it.
//!
//! A client's participant id, in both namespaces, is its own random id, never
//! the socket's id: in
//! socketioxide a socket's id is its Engine.IO session id, which is a bearer
//! token (a long-polling `POST …&sid=<id>` speaks as that socket, an upgrade
//! with it takes the session over). Participant ids are shown to everyone in a
//! meeting, so they must grant nothing (`docs/security.md`).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;

use super::order::Sequencer;
use crate::error::Refusal;
use crate::hub::Hub;
use crate::meeting::credentials::{self, KeyHash};
use crate::rate_limit::{RateLimit, TokenBucket};
use crate::rooms::MemberId;
use crate::validate::DEFAULT_NICKNAME;

/// How much larger the signaling rate limit is than the chat one.
const SIGNAL_FACTOR: f64 = 10.0;

/// Per-socket state.
#[derive(Debug)]
pub struct Client {
    participant: MemberId,
    /// The key of a connection that brought none (see `docs/protocol.md`).
    own_key: KeyHash,
    nickname: Mutex<Arc<str>>,
    bucket: Mutex<TokenBucket>,
    signal_bucket: Mutex<TokenBucket>,
    sequencer: Arc<Sequencer>,
    delivery: Arc<Sequencer>,
}

impl Client {
    /// A new client named `Anon`, with a full bucket.
    pub fn new(limit: RateLimit) -> Self {
        Self {
            participant: MemberId::new(),
            own_key: credentials::key_hash(&credentials::random_key())
                .unwrap_or_else(|_| KeyHash(MemberId::new().to_string())),
            nickname: Mutex::new(DEFAULT_NICKNAME.into()),
            bucket: Mutex::new(TokenBucket::new(limit, Instant::now())),
            signal_bucket: Mutex::new(TokenBucket::new(
                limit.scaled(SIGNAL_FACTOR),
                Instant::now(),
            )),
            sequencer: Arc::default(),
            delivery: Arc::default(),
        }
    }

    /// Attaches a new client to `socket` and returns it. Its sequencer is an
    /// extension of its own, which [`super::order::InOrder`] draws tickets from.
    pub fn attach<A: Adapter>(socket: &SocketRef<A>, limit: RateLimit) -> Arc<Client> {
        let client = Arc::new(Client::new(limit));
        socket.extensions.insert(client.clone());
        socket.extensions.insert(client.sequencer.clone());
        client
    }

    /// The client of `socket`. Every socket gets one in its connect handler,
    /// before any event handler is registered; the fallback only covers a
    /// socket that was somehow never attached, and it is then rate-limited alone.
    pub fn of<A: Adapter>(socket: &SocketRef<A>, limit: RateLimit) -> Arc<Client> {
        socket
            .extensions
            .get::<Arc<Client>>()
            .unwrap_or_else(|| Client::attach(socket, limit))
    }

    /// The hash of this connection's own random key, for a `join` without one.
    pub fn own_key(&self) -> KeyHash {
        self.own_key.clone()
    }

    /// The id others see this client by (random, unrelated to the socket's id).
    pub fn participant(&self) -> MemberId {
        self.participant
    }

    /// Keeps this socket's chat messages in order between being stored and
    /// being sent on: the event's turn ends once the message is queued for
    /// storage, so the next one can join the same commit.
    pub fn delivery(&self) -> &Arc<Sequencer> {
        &self.delivery
    }

    /// The current nickname.
    pub fn nickname(&self) -> Arc<str> {
        lock(&self.nickname).clone()
    }

    /// Sets the nickname.
    pub fn set_nickname(&self, name: &str) {
        *lock(&self.nickname) = name.into();
    }

    /// Spends one event from the rate limit.
    pub fn admit(&self) -> Result<(), Refusal> {
        take(&self.bucket)
    }

    /// Spends one WebRTC signaling message from its own, larger rate limit:
    /// ICE gathering sends a burst of candidates to every peer at once.
    pub fn admit_signal(&self) -> Result<(), Refusal> {
        take(&self.signal_bucket)
    }

    /// Whether a refusal sent without an ack should be announced (see `TokenBucket::should_notify`).
    pub fn should_notify(&self, refusal: Refusal) -> bool {
        refusal != Refusal::RateLimited || lock(&self.bucket).should_notify(Instant::now())
    }
}

/// The participant id of `socket`, in either namespace: its [`Client`]'s.
pub fn participant_of<A: Adapter>(socket: &SocketRef<A>, hub: &Hub) -> MemberId {
    Client::of(socket, hub.rate).participant()
}

fn take(bucket: &Mutex<TokenBucket>) -> Result<(), Refusal> {
    if lock(bucket).try_take(Instant::now()) {
        Ok(())
    } else {
        Err(Refusal::RateLimited)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The guarded values are replaced whole, so a poisoned lock still holds a valid one.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The TCP peer's address, which moim's listeners put in every request.
/// `X-Forwarded-For` is not used: anyone can write it, and a back-off would
/// then count against whatever address the guesser names.
pub fn peer_ip<A: Adapter>(socket: &SocketRef<A>) -> Option<std::net::IpAddr> {
    socket
        .req_parts()
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|axum::extract::ConnectInfo(addr)| addr.ip())
}
