//! How many connections are open, per source address and in total, and the
//! caps on both.
//!
//! A [`Slot`] is taken when a connection is accepted and given back when its
//! socket is closed: it travels inside the stream ([`Counted`]), so a
//! connection upgraded to a WebSocket, which hyper hands over to the handler,
//! still counts until the WebSocket is dropped.

use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Why a connection was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// This source already holds `--max-conns-per-ip` connections.
    Source,
    /// The server holds as many connections as its open-files limit allows.
    Total,
}

/// Where connections come from, as far as the per-source cap is concerned.
/// IPv4 by address; IPv6 by its /64, which one subscriber (or one attacker)
/// gets whole, so that 2^64 addresses do not mean 2^64 caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Source {
    V4(u32),
    V6(u64),
}

impl Source {
    fn of(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V4(v4) => Source::V4(u32::from(v4)),
            IpAddr::V6(v6) => Source::V6((u128::from(v6) >> 64) as u64),
        }
    }
}

/// The open connections and their caps.
#[derive(Debug)]
pub struct Slots {
    /// Most connections from one [`Source`]; 0: no cap.
    per_source: usize,
    /// Most connections in all.
    total: usize,
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    by_source: HashMap<Source, usize>,
}

impl Slots {
    /// At most `per_source` connections from one source (0: no cap) and
    /// `total` in all.
    pub fn new(per_source: usize, total: usize) -> Arc<Self> {
        Arc::new(Self {
            per_source,
            total,
            open: Mutex::new(Open::default()),
        })
    }

    /// A slot for a connection from `ip`, or why there is none.
    pub fn take(self: &Arc<Self>, ip: IpAddr) -> Result<Slot, Full> {
        let source = Source::of(ip);
        let mut open = self.lock();
        if open.total >= self.total {
            return Err(Full::Total);
        }
        let count = open.by_source.entry(source).or_default();
        if self.per_source > 0 && *count >= self.per_source {
            return Err(Full::Source);
        }
        *count += 1;
        open.total += 1;
        Ok(Slot {
            slots: self.clone(),
            source,
        })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.lock().total
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        // The counts stay consistent even if a holder panicked: every change
        // is a single increment or decrement.
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One open connection's place; given back when dropped.
#[derive(Debug)]
pub struct Slot {
    slots: Arc<Slots>,
    source: Source,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.slots.lock();
        open.total -= 1;
        if let Some(count) = open.by_source.get_mut(&self.source) {
            *count -= 1;
            if *count == 0 {
                open.by_source.remove(&self.source);
            }
        }
    }
}

/// A stream that holds its connection's [`Slot`] for as long as it lives.
#[derive(Debug)]
pub struct Counted<S> {
    inner: S,
    _slot: Slot,
}

impl<S> Counted<S> {
    /// `inner`, counted against `slot`.
    pub fn new(inner: S, slot: Slot) -> Self {
        Self { inner, _slot: slot }
    }

    /// The stream itself (to peek at it, say).
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Counted<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Counted<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_source_is_capped_and_others_are_not() {
        let slots = Slots::new(2, 10);
        let a = [slots.take(ip("10.0.0.1")), slots.take(ip("10.0.0.1"))];
        assert!(a.iter().all(Result::is_ok));
        assert_eq!(slots.take(ip("10.0.0.1")).unwrap_err(), Full::Source);
        assert!(
            slots.take(ip("10.0.0.2")).is_ok(),
            "another source is served"
        );
        drop(a);
        assert!(
            slots.take(ip("10.0.0.1")).is_ok(),
            "a closed slot is given back"
        );
    }

    #[test]
    fn the_total_is_capped_across_sources() {
        let slots = Slots::new(0, 3);
        let held: Vec<_> = (1..=3)
            .map(|i| slots.take(ip(&format!("10.0.0.{i}"))).unwrap())
            .collect();
        assert_eq!(slots.open(), 3);
        assert_eq!(slots.take(ip("10.0.0.9")).unwrap_err(), Full::Total);
        drop(held);
        assert_eq!(slots.open(), 0);
        assert!(
            slots.lock().by_source.is_empty(),
            "no entry outlives its slots"
        );
    }

    #[test]
    fn ipv6_counts_by_its_64_and_mapped_ipv4_as_ipv4() {
        let slots = Slots::new(1, 10);
        let _one = slots.take(ip("2001:db8:1:2::1")).unwrap();
        assert_eq!(
            slots.take(ip("2001:db8:1:2:ffff::9")).unwrap_err(),
            Full::Source,
            "the same /64"
        );
        assert!(slots.take(ip("2001:db8:1:3::1")).is_ok(), "another /64");
        let _v4 = slots.take(ip("192.0.2.7")).unwrap();
        assert_eq!(
            slots.take(ip("::ffff:192.0.2.7")).unwrap_err(),
            Full::Source,
            "an IPv4-mapped address is its IPv4 address"
        );
    }
}
