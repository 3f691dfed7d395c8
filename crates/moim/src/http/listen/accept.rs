//! The accept loop: caps, TCP_NODELAY, and a pause (not a spin) when the
//! process is out of file descriptors.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};

use super::slots::{Counted, Full, Slots};

/// How long to wait before accepting again after `accept` itself failed
/// (typically `EMFILE`): the pending connection is still in the kernel's
/// queue, so retrying at once would spin a core until a file is freed.
const BACKOFF: Duration = Duration::from_millis(100);
/// At most one log line per kind per this period: a flood must not become a
/// flood of log lines.
const LOG_EVERY: Duration = Duration::from_secs(1);

/// Accepts connections and hands each one that fits under the caps back,
/// counted; refused ones are closed at once.
pub struct Acceptor {
    listener: TcpListener,
    slots: Arc<Slots>,
    failures: Throttle,
    refusals: Throttle,
}

impl Acceptor {
    /// Accepts on `listener` within `slots`.
    pub fn new(listener: TcpListener, slots: Arc<Slots>) -> Self {
        Self {
            listener,
            slots,
            failures: Throttle::default(),
            refusals: Throttle::default(),
        }
    }

    /// The next connection within the caps. Never returns an error: failures
    /// are logged and waited out.
    pub async fn next(&mut self) -> (Counted<TcpStream>, SocketAddr) {
        loop {
            let (stream, peer) = match self.listener.accept().await {
                Ok(accepted) => accepted,
                Err(e) if is_about_one_connection(&e) => continue,
                Err(e) => {
                    if let Some(suppressed) = self.failures.hit(Instant::now()) {
                        if is_out_of_files(&e) {
                            tracing::warn!(
                                error = %e,
                                open = self.slots.open(),
                                suppressed,
                                "out of file descriptors: not accepting for {} ms \
                                 (raise the open-files limit, LimitNOFILE= in systemd)",
                                BACKOFF.as_millis()
                            );
                        } else {
                            tracing::warn!(error = %e, suppressed, "accept failed");
                        }
                    }
                    tokio::time::sleep(BACKOFF).await;
                    continue;
                }
            };
            match self.slots.take(peer.ip()) {
                Ok(slot) => {
                    // Without TCP_NODELAY a small packet (an ack, a relayed ICE
                    // candidate) that follows another unacknowledged one waits
                    // for the peer's delayed ACK: ~40 ms on Linux. Node sets it
                    // on every socket; so does moim, plain and TLS alike.
                    if let Err(e) = stream.set_nodelay(true) {
                        tracing::debug!(error = %e, "could not set TCP_NODELAY");
                    }
                    return (Counted::new(stream, slot), peer);
                }
                Err(full) => {
                    if let Some(suppressed) = self.refusals.hit(Instant::now()) {
                        let why = match full {
                            Full::Source => "this address holds --max-conns-per-ip connections",
                            Full::Total => {
                                "the server holds all the connections its open-files limit allows"
                            }
                        };
                        tracing::warn!(peer = %peer.ip(), open = self.slots.open(), suppressed,
                            "refused a connection: {why}");
                    }
                    // Dropping the stream closes it: the client sees the
                    // refusal at once instead of waiting in a queue.
                    drop(stream);
                }
            }
        }
    }
}

/// Errors that concern only the connection being accepted (it was reset
/// before `accept` returned it); the listener itself is fine.
fn is_about_one_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    )
}

/// `EMFILE` (this process) or `ENFILE` (the whole system).
fn is_out_of_files(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Lets one event through per [`LOG_EVERY`] and counts the rest.
#[derive(Debug, Default)]
struct Throttle {
    last: Option<Instant>,
    suppressed: u64,
}

impl Throttle {
    /// `Some(events suppressed since the last one let through)` when this
    /// event may be logged.
    fn hit(&mut self, now: Instant) -> Option<u64> {
        match self.last {
            Some(last) if now.duration_since(last) < LOG_EVERY => {
                self.suppressed += 1;
                None
            }
            _ => {
                self.last = Some(now);
                Some(std::mem::take(&mut self.suppressed))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_files_is_recognised_and_resets_are_not_failures() {
        #[cfg(unix)]
        {
            assert!(is_out_of_files(&io::Error::from_raw_os_error(libc::EMFILE)));
            assert!(is_out_of_files(&io::Error::from_raw_os_error(libc::ENFILE)));
            assert!(!is_about_one_connection(&io::Error::from_raw_os_error(
                libc::EMFILE
            )));
        }
        assert!(is_about_one_connection(
            &io::ErrorKind::ConnectionAborted.into()
        ));
        assert!(!is_out_of_files(&io::ErrorKind::ConnectionAborted.into()));
    }

    #[test]
    fn the_throttle_lets_one_through_per_second_and_counts_the_rest() {
        let mut throttle = Throttle::default();
        let start = Instant::now();
        assert_eq!(throttle.hit(start), Some(0));
        assert_eq!(throttle.hit(start + Duration::from_millis(100)), None);
        assert_eq!(throttle.hit(start + Duration::from_millis(900)), None);
        assert_eq!(throttle.hit(start + LOG_EVERY), Some(2));
        assert_eq!(throttle.hit(start + LOG_EVERY), None);
    }
}
