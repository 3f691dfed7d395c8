//! [`Gate`]: what the TURN listening socket lets through to the `turn`
//! crate's server, and what it answers itself.
//!
//! The crate has no hook for permissions, quotas or nonce bookkeeping, so
//! they live here, in front of it, where every datagram passes:
//!
//! - Requests that need credentials (Allocate, Refresh, CreatePermission,
//!   ChannelBind) are authenticated here first. Without credentials, or with
//!   a nonce the server does not hold, they get a 401 or 438 with a nonce
//!   from the [`NonceLedger`], so the server's nonce map no longer grows
//!   with them. With bad credentials they get a 401. Only authenticated ones
//!   reach the server.
//! - CreatePermission and ChannelBind for a peer the peer policy refuses
//!   get 403 (Forbidden, RFC 8656 §9.1, §11.1); a Send indication to one is
//!   dropped. ([`Peers`]: the peer policy plus this server's own relays; the
//!   relay sockets refuse such peers too, `relay.rs`.)
//! - An Allocate beyond the participant's [`Quota`] gets 486 (counted by the
//!   name after the expiry, so fresh credentials do not reset it).
//! - On the way out, the server's answers feed the ledger (nonces) and the
//!   quota (Allocate successes).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use stun::attributes::{ATTR_MESSAGE_INTEGRITY, ATTR_NONCE, ATTR_REALM, ATTR_USERNAME};
use stun::message::{
    CLASS_ERROR_RESPONSE, CLASS_INDICATION, CLASS_REQUEST, CLASS_SUCCESS_RESPONSE, METHOD_ALLOCATE,
    METHOD_BINDING, METHOD_CHANNEL_BIND, METHOD_CREATE_PERMISSION, METHOD_REFRESH, METHOD_SEND,
    Message,
};

use super::auth::RestAuth;
use super::credentials::holder;
use super::nonces::NonceLedger;
use super::peers::Peers;
use super::quota::{Quota, Tuple};
use super::wire;

/// The source address of the requests the guard hands the server to get a
/// nonce. No datagram arrives from port 0 of 0.0.0.0, so no client has it.
pub const MINTER: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0);

/// Allocate requests waiting for the server's answer are forgotten after this.
const ALLOCATE_PATIENCE: Duration = Duration::from_secs(10);
/// At most this many Allocate requests wait for an answer at once.
const MAX_WAITING_ALLOCATES: usize = 1024;

/// What to do with a datagram a client sent.
#[derive(Debug, PartialEq, Eq)]
pub enum Inbound {
    /// Hand it to the server.
    Pass,
    /// Drop it silently.
    Drop,
    /// Send this answer back instead.
    Answer(Vec<u8>),
    /// It needs a challenge and no nonce is fresh: get one from the server
    /// first (`FloodGuard` does), then look at it again.
    NeedNonce,
}

/// What to do with a datagram the server sends.
#[derive(Debug, PartialEq, Eq)]
pub enum Outbound {
    /// Send it.
    Send,
    /// It answers the guard's own request ([`MINTER`]): keep it here.
    Swallow,
}

/// The shared state of every listening socket's guard.
pub struct Gate {
    peers: Arc<Peers>,
    auth: Arc<RestAuth>,
    realm: String,
    ledger: Mutex<NonceLedger>,
    quota: Mutex<Quota>,
    allocating: Mutex<HashMap<[u8; 12], (String, Instant)>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Plain data: a panic while holding the lock cannot leave it half-updated
    // in a way that matters.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// An authenticated request: who sent it and the key to sign answers with.
struct Authenticated {
    username: String,
    key: Vec<u8>,
}

impl Gate {
    /// A gate applying `peers`, checking credentials with `auth` in `realm`,
    /// allowing `quota` allocations per user name.
    pub fn new(peers: Arc<Peers>, auth: Arc<RestAuth>, realm: &str, quota: usize) -> Self {
        Gate {
            peers,
            auth,
            realm: realm.to_owned(),
            ledger: Mutex::new(NonceLedger::default()),
            quota: Mutex::new(Quota::new(quota)),
            allocating: Mutex::new(HashMap::new()),
        }
    }

    /// Decides about `datagram`, which a client at `from` sent.
    pub fn inspect(&self, datagram: &[u8], from: SocketAddr) -> Inbound {
        if matches!(datagram.first(), Some(0x40..=0x7f)) {
            // ChannelData: only ever bound to a peer the policy allowed.
            return Inbound::Pass;
        }
        let Some(message) = wire::parse(datagram) else {
            return Inbound::Drop;
        };
        let method = message.typ.method;
        if message.typ.class == CLASS_INDICATION {
            if method != METHOD_SEND {
                return Inbound::Drop;
            }
            return match wire::peer_addresses(&message) {
                Some(peers) if peers.iter().all(|p| self.peers.permits(*p)) => Inbound::Pass,
                _ => {
                    tracing::debug!(%from, "TURN Send indication to a refused peer dropped");
                    Inbound::Drop
                }
            };
        }
        if message.typ.class != CLASS_REQUEST {
            return Inbound::Drop;
        }
        if method == METHOD_BINDING {
            return Inbound::Pass;
        }
        if ![
            METHOD_ALLOCATE,
            METHOD_REFRESH,
            METHOD_CREATE_PERMISSION,
            METHOD_CHANNEL_BIND,
        ]
        .contains(&method)
        {
            return Inbound::Drop;
        }
        let user = match self.authenticate(&message, from) {
            Ok(Some(user)) => user,
            Ok(None) => return Inbound::Pass,
            Err(answer) => return answer,
        };
        if method == METHOD_CREATE_PERMISSION || method == METHOD_CHANNEL_BIND {
            // A permission is for a whole IP address; a channel for one port.
            let check = |peer: &SocketAddr| match method {
                METHOD_CHANNEL_BIND => self.peers.check_addr(*peer),
                _ => self.peers.check_ip(peer.ip()),
            };
            return match wire::peer_addresses(&message) {
                None => self.refuse(&message, 400, &user),
                Some(peers) => match peers.iter().find_map(|p| check(p).err()) {
                    Some(refusal) => {
                        tracing::info!(%from, %refusal, "TURN permission for a refused peer: 403");
                        self.refuse(&message, 403, &user)
                    }
                    None => Inbound::Pass,
                },
            };
        }
        if method == METHOD_ALLOCATE {
            if lock(&self.quota).is_full(holder(&user.username)) {
                tracing::info!(%from, "TURN allocation quota reached: 486");
                return self.refuse(&message, 486, &user);
            }
            self.expect_allocation(&message, user.username);
        }
        Inbound::Pass
    }

    /// Checks the long-term credentials of `message`: `Ok(Some)` when they
    /// hold, `Ok(None)` when the request is malformed in a way the server
    /// answers cheaply (400, no nonce made), or the answer to send instead.
    fn authenticate(
        &self,
        message: &Message,
        from: SocketAddr,
    ) -> Result<Option<Authenticated>, Inbound> {
        if !message.contains(ATTR_MESSAGE_INTEGRITY) {
            return Err(self.challenge(message, 401));
        }
        let Some(nonce) = wire::text(message, ATTR_NONCE) else {
            return Ok(None);
        };
        if !lock(&self.ledger).accepts(&nonce, Instant::now()) {
            return Err(self.challenge(message, 438));
        }
        let (Some(username), Some(realm)) = (
            wire::text(message, ATTR_USERNAME),
            wire::text(message, ATTR_REALM),
        ) else {
            return Ok(None);
        };
        let Ok(key) = self.auth.key(&username, &realm, from) else {
            return Err(self.challenge(message, 401));
        };
        if !wire::signed_with(message, &key) {
            tracing::debug!(%from, "TURN request with a wrong MESSAGE-INTEGRITY");
            return Err(self.challenge(message, 401));
        }
        self.auth.confirm(&username, from);
        Ok(Some(Authenticated { username, key }))
    }

    /// A 401 or 438 with the current nonce, or [`Inbound::NeedNonce`].
    fn challenge(&self, message: &Message, code: u16) -> Inbound {
        let ledger = lock(&self.ledger);
        match ledger.current(Instant::now()) {
            Some(nonce) => wire::challenge(message, code, nonce, &self.realm)
                .map_or(Inbound::Drop, Inbound::Answer),
            None => Inbound::NeedNonce,
        }
    }

    fn refuse(&self, message: &Message, code: u16, user: &Authenticated) -> Inbound {
        wire::refusal(message, code, &user.key).map_or(Inbound::Drop, Inbound::Answer)
    }

    /// Remembers whose Allocate `message` is, to count it when it succeeds.
    fn expect_allocation(&self, message: &Message, username: String) {
        let now = Instant::now();
        let mut waiting = lock(&self.allocating);
        if waiting.len() >= MAX_WAITING_ALLOCATES {
            waiting.retain(|_, (_, at)| now.duration_since(*at) < ALLOCATE_PATIENCE);
            if waiting.len() >= MAX_WAITING_ALLOCATES {
                return;
            }
        }
        waiting.insert(message.transaction_id.0, (username, now));
    }

    /// The request to hand the server for a fresh nonce.
    pub fn mint_request(&self) -> Option<Vec<u8>> {
        let mint = lock(&self.ledger).mint(Instant::now());
        wire::mint_request(&mint)
    }

    /// Looks at `datagram`, which the server socket `local` sends to `to`.
    pub fn observe(&self, datagram: &[u8], to: SocketAddr, local: SocketAddr) -> Outbound {
        let outbound = if to == MINTER {
            Outbound::Swallow
        } else {
            Outbound::Send
        };
        let class = wire::class_of(datagram);
        if class != Some(CLASS_ERROR_RESPONSE) && class != Some(CLASS_SUCCESS_RESPONSE) {
            return outbound; // relayed media and indications: not parsed
        }
        let Some(message) = wire::parse(datagram) else {
            return outbound;
        };
        if let Some(nonce) = wire::text(&message, ATTR_NONCE) {
            lock(&self.ledger).harvest(&nonce, Instant::now());
        }
        if message.typ.method == METHOD_ALLOCATE {
            let waiting = lock(&self.allocating).remove(&message.transaction_id.0);
            if let Some((username, _)) = waiting
                && class == Some(CLASS_SUCCESS_RESPONSE)
            {
                lock(&self.quota).record((to, local), holder(&username));
            }
        }
        outbound
    }

    /// Forgets the allocation on `tuple`, which the server closed.
    pub fn allocation_closed(&self, tuple: Tuple) {
        lock(&self.quota).release(tuple);
    }

    /// How many nonces the server holds, as far as the guard knows.
    pub fn nonces_held(&self) -> usize {
        lock(&self.ledger).len()
    }
}
