//! Relay sockets that refuse the peers [`Peers`] refuses.
//!
//! The guard already answers 403 to a CreatePermission or ChannelBind for
//! such a peer, but that is a reading of requests; this is where relaying
//! happens. [`PolicedRelays`] wraps the crate's port-range generator, and
//! every relay socket it hands out is a [`PolicedConn`]: sending to a
//! refused peer fails, and datagrams from one are dropped on arrival. No
//! request form the guard might misread can get a datagram past it.

use std::net::SocketAddr;
use std::sync::Arc;

use async_trait::async_trait;
use turn::relay::RelayAddressGenerator;
use webrtc_util::Conn;

use super::peers::Peers;

/// A relay address generator whose sockets obey `peers` (and tell it which
/// ports are live relays).
pub struct PolicedRelays<G> {
    inner: G,
    peers: Arc<Peers>,
}

impl<G> PolicedRelays<G> {
    /// Wraps `inner`.
    pub fn new(inner: G, peers: Arc<Peers>) -> Self {
        PolicedRelays { inner, peers }
    }
}

#[async_trait]
impl<G: RelayAddressGenerator + Send + Sync> RelayAddressGenerator for PolicedRelays<G> {
    fn validate(&self) -> Result<(), turn::Error> {
        self.inner.validate()
    }

    async fn allocate_conn(
        &self,
        use_ipv4: bool,
        requested_port: u16,
    ) -> Result<(Arc<dyn Conn + Send + Sync>, SocketAddr), turn::Error> {
        let (conn, addr) = self.inner.allocate_conn(use_ipv4, requested_port).await?;
        let policed = PolicedConn::new(conn, Arc::clone(&self.peers))?;
        Ok((Arc::new(policed), addr))
    }
}

/// One allocation's relay socket, refusing peers `peers` refuses.
pub struct PolicedConn {
    inner: Arc<dyn Conn + Send + Sync>,
    peers: Arc<Peers>,
    port: u16,
}

impl PolicedConn {
    /// Wraps `inner` and counts its port as a live relay.
    pub fn new(
        inner: Arc<dyn Conn + Send + Sync>,
        peers: Arc<Peers>,
    ) -> Result<Self, webrtc_util::Error> {
        let port = inner.local_addr()?.port();
        peers.opened(port);
        Ok(PolicedConn { inner, peers, port })
    }
}

impl Drop for PolicedConn {
    /// The port stops counting as a relay before the socket (dropped right
    /// after this) frees it for another allocation.
    fn drop(&mut self) {
        self.peers.closed(self.port);
    }
}

#[async_trait]
impl Conn for PolicedConn {
    async fn connect(&self, addr: SocketAddr) -> webrtc_util::Result<()> {
        if !self.peers.permits(addr) {
            return Err(refused(addr));
        }
        self.inner.connect(addr).await
    }

    async fn recv(&self, buf: &mut [u8]) -> webrtc_util::Result<usize> {
        Ok(self.recv_from(buf).await?.0)
    }

    async fn recv_from(&self, buf: &mut [u8]) -> webrtc_util::Result<(usize, SocketAddr)> {
        loop {
            let (n, from) = self.inner.recv_from(buf).await?;
            if self.peers.permits(from) {
                return Ok((n, from));
            }
            // Dropped, not an error: an error here ends the allocation.
        }
    }

    async fn send(&self, buf: &[u8]) -> webrtc_util::Result<usize> {
        match self.inner.remote_addr() {
            Some(peer) if self.peers.permits(peer) => self.inner.send(buf).await,
            Some(peer) => Err(refused(peer)),
            None => self.inner.send(buf).await,
        }
    }

    async fn send_to(&self, buf: &[u8], target: SocketAddr) -> webrtc_util::Result<usize> {
        if !self.peers.permits(target) {
            tracing::warn!(%target, "TURN relay to a refused peer stopped");
            return Err(refused(target));
        }
        self.inner.send_to(buf, target).await
    }

    fn local_addr(&self) -> webrtc_util::Result<SocketAddr> {
        self.inner.local_addr()
    }

    fn remote_addr(&self) -> Option<SocketAddr> {
        self.inner.remote_addr()
    }

    async fn close(&self) -> webrtc_util::Result<()> {
        self.inner.close().await
    }

    fn as_any(&self) -> &(dyn std::any::Any + Send + Sync) {
        self
    }
}

fn refused(peer: SocketAddr) -> webrtc_util::Error {
    std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        format!("TURN peer {peer} is refused"),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::net::UdpSocket;

    fn only(allowed: &str) -> Arc<Peers> {
        let policy = crate::turn::PeerPolicy {
            allow: vec![allowed.parse().unwrap()],
            deny: Vec::new(),
        };
        Arc::new(Peers::new(policy, "203.0.113.1".parse().unwrap()))
    }

    #[tokio::test]
    async fn a_refused_peer_is_neither_sent_to_nor_heard() {
        let relay = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let relay_addr = relay.local_addr().unwrap();
        let conn = PolicedConn::new(Arc::new(relay), only("127.0.0.2/32")).unwrap();
        let denied = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let allowed = UdpSocket::bind("127.0.0.2:0").await.unwrap();

        let error = conn
            .send_to(b"secret", denied.local_addr().unwrap())
            .await
            .expect_err("a refused peer");
        assert!(error.to_string().contains("refused"), "{error}");
        conn.send_to(b"hello", allowed.local_addr().unwrap())
            .await
            .expect("an allowed peer");
        let mut buf = [0u8; 64];
        let (n, _) = tokio::time::timeout(Duration::from_secs(5), allowed.recv_from(&mut buf))
            .await
            .expect("in time")
            .unwrap();
        assert_eq!(&buf[..n], b"hello");
        // Sent in order on loopback: "hello" arrived, so "secret" would have.
        assert!(
            denied.try_recv_from(&mut buf).is_err(),
            "nothing reached the refused peer"
        );

        // The refused peer writes first, the allowed one second: only the
        // second is read.
        denied.send_to(b"from 127.0.0.1", relay_addr).await.unwrap();
        allowed
            .send_to(b"from 127.0.0.2", relay_addr)
            .await
            .unwrap();
        let (n, from) = tokio::time::timeout(Duration::from_secs(5), conn.recv_from(&mut buf))
            .await
            .expect("in time")
            .unwrap();
        assert_eq!(&buf[..n], b"from 127.0.0.2");
        assert_eq!(from, allowed.local_addr().unwrap());
    }
}
