//! [`FloodGuard`]: the TURN listening socket, with a rate limit on STUN
//! messages per source address.
//!
//! Every STUN request costs the TURN server work (an HMAC and an MD5 for a
//! signed one; a fresh nonce kept in memory for an unsigned one), so a flood
//! from one address is dropped here, before the server sees it. Relayed media
//! (ChannelData, first byte 0x40–0x7f) is not counted: it is cheap to route and
//! a video call sends hundreds of such packets a second.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use async_trait::async_trait;
use tokio::net::UdpSocket;
use webrtc_util::Conn;

use crate::rate_limit::{RateLimit, TokenBucket};

/// More source addresses than this and idle ones are forgotten.
const MAX_TRACKED: usize = 10_000;

/// The TURN server's UDP socket behind a per-address rate limit.
pub struct FloodGuard {
    socket: UdpSocket,
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, TokenBucket>>,
}

impl FloodGuard {
    /// Guards `socket`: each source IP may send `limit` STUN messages.
    pub fn new(socket: UdpSocket, limit: RateLimit) -> Self {
        FloodGuard {
            socket,
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a datagram from `from` may go on to the TURN server.
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
}

#[async_trait]
impl Conn for FloodGuard {
    async fn connect(&self, addr: SocketAddr) -> webrtc_util::Result<()> {
        Ok(self.socket.connect(addr).await?)
    }

    async fn recv(&self, buf: &mut [u8]) -> webrtc_util::Result<usize> {
        Ok(self.recv_from(buf).await?.0)
    }

    async fn recv_from(&self, buf: &mut [u8]) -> webrtc_util::Result<(usize, SocketAddr)> {
        loop {
            let (n, from) = match self.socket.recv_from(buf).await {
                Ok(got) => got,
                // ICMP "port unreachable" from an earlier send surfaces here on
                // some systems; it says nothing about this socket.
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => continue,
                Err(e) => return Err(e.into()),
            };
            if self.admit(&buf[..n], from.ip()) {
                return Ok((n, from));
            }
        }
    }

    async fn send(&self, buf: &[u8]) -> webrtc_util::Result<usize> {
        Ok(self.socket.send(buf).await?)
    }

    async fn send_to(&self, buf: &[u8], target: SocketAddr) -> webrtc_util::Result<usize> {
        Ok(self.socket.send_to(buf, target).await?)
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
