//! [`FloodGuard`]: the TURN listening socket, with a rate limit on STUN
//! messages per source address and the [`Gate`] in front of the server.
//!
//! Every STUN request costs the TURN server work (an HMAC and an MD5 for a
//! signed one), so a flood from one address is dropped here, before the
//! server sees it. Relayed media (ChannelData, first byte 0x40–0x7f) is not
//! counted: it is cheap to route and a video call sends hundreds of such
//! packets a second. What passes the rate limit goes through the gate
//! (credentials, nonces, peer policy, quota; see `gate.rs`).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_trait::async_trait;
use tokio::net::UdpSocket;
use webrtc_util::Conn;

use super::gate::{Gate, Inbound, MINTER, Outbound};
use crate::rate_limit::{RateLimit, TokenBucket};

/// More source addresses than this and idle ones are forgotten.
const MAX_TRACKED: usize = 10_000;

/// A client datagram set aside while the server makes a nonce for it.
struct Held {
    datagram: Vec<u8>,
    from: SocketAddr,
}

/// The TURN server's UDP socket behind a per-address rate limit and the gate.
pub struct FloodGuard {
    socket: UdpSocket,
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, TokenBucket>>,
    gate: Arc<Gate>,
    held: Mutex<Option<Held>>,
}

impl FloodGuard {
    /// Guards `socket`: each source IP may send `limit` STUN messages, and
    /// `gate` decides about each.
    pub fn new(socket: UdpSocket, limit: RateLimit, gate: Arc<Gate>) -> Self {
        FloodGuard {
            socket,
            limit,
            buckets: Mutex::new(HashMap::new()),
            gate,
            held: Mutex::new(None),
        }
    }

    /// Whether a datagram from `from` is within its address's rate.
    fn admit(&self, datagram: &[u8], from: IpAddr) -> bool {
        let is_channel_data = matches!(datagram.first(), Some(0x40..=0x7f));
        if is_channel_data {
            return true;
        }
        let now = Instant::now();
        // The lock guards plain data; a panic while holding it cannot leave it
        // half-updated in a way that matters, so a poisoned lock is used as is.
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_TRACKED && !buckets.contains_key(&from) {
            buckets.retain(|_, bucket| !bucket.is_full(now));
            if buckets.len() >= MAX_TRACKED {
                return false;
            }
        }
        let limit = self.limit;
        let bucket = buckets
            .entry(from)
            .or_insert_with(|| TokenBucket::new(limit, now));
        let admitted = bucket.try_take(now);
        if !admitted && bucket.should_notify(now) {
            tracing::warn!(%from, "TURN requests over the rate limit; dropping");
        }
        admitted
    }

    fn take_held(&self) -> Option<Held> {
        self.held.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    fn hold(&self, held: Held) {
        *self.held.lock().unwrap_or_else(|e| e.into_inner()) = Some(held);
    }
}

#[async_trait]
impl Conn for FloodGuard {
    async fn connect(&self, addr: SocketAddr) -> webrtc_util::Result<()> {
        Ok(self.socket.connect(addr).await?)
    }

    async fn recv(&self, buf: &mut [u8]) -> webrtc_util::Result<usize> {
        Ok(self.recv_from(buf).await?.0)
    }

    /// The next datagram for the server. The server calls this again only
    /// after it has handled (and answered) the previous one, so a datagram
    /// held for a nonce is looked at again once the server's nonce is in.
    async fn recv_from(&self, buf: &mut [u8]) -> webrtc_util::Result<(usize, SocketAddr)> {
        loop {
            let (n, from, second_look) = match self.take_held() {
                Some(held) if held.datagram.len() <= buf.len() => {
                    buf[..held.datagram.len()].copy_from_slice(&held.datagram);
                    (held.datagram.len(), held.from, true)
                }
                _ => match self.socket.recv_from(buf).await {
                    Ok((n, from)) => (n, from, false),
                    // ICMP "port unreachable" from an earlier send surfaces
                    // here on some systems; it says nothing about this socket.
                    Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => continue,
                    Err(e) => return Err(e.into()),
                },
            };
            if from == MINTER || (!second_look && !self.admit(&buf[..n], from.ip())) {
                continue;
            }
            match self.gate.inspect(&buf[..n], from) {
                Inbound::Pass => return Ok((n, from)),
                Inbound::Drop => {}
                Inbound::Answer(answer) => {
                    if let Err(e) = self.socket.send_to(&answer, from).await {
                        tracing::debug!(%from, error = %e, "TURN answer not sent");
                    }
                }
                // Already asked the server once for this one: let the client
                // retry rather than ask again.
                Inbound::NeedNonce if second_look => {}
                Inbound::NeedNonce => {
                    let Some(request) = self.gate.mint_request() else {
                        continue;
                    };
                    if request.len() > buf.len() {
                        continue;
                    }
                    self.hold(Held {
                        datagram: buf[..n].to_vec(),
                        from,
                    });
                    buf[..request.len()].copy_from_slice(&request);
                    return Ok((request.len(), MINTER));
                }
            }
        }
    }

    async fn send(&self, buf: &[u8]) -> webrtc_util::Result<usize> {
        Ok(self.socket.send(buf).await?)
    }

    async fn send_to(&self, buf: &[u8], target: SocketAddr) -> webrtc_util::Result<usize> {
        let local = self.socket.local_addr()?;
        match self.gate.observe(buf, target, local) {
            Outbound::Send => Ok(self.socket.send_to(buf, target).await?),
            Outbound::Swallow => Ok(buf.len()),
        }
    }

    fn local_addr(&self) -> webrtc_util::Result<SocketAddr> {
        Ok(self.socket.local_addr()?)
    }

    fn remote_addr(&self) -> Option<SocketAddr> {
        None
    }

    async fn close(&self) -> webrtc_util::Result<()> {
        Ok(())
    }

    fn as_any(&self) -> &(dyn std::any::Any + Send + Sync) {
        self
    }
}
