//! Sending what the core produced: many datagrams per system call.
//!
//! The runs of [`crate::batch::runs`] go out as one message each with UDP GSO
//! (`UDP_SEGMENT`: the kernel cuts the run into datagrams), and up to
//! [`MAX_MESSAGES`] messages per `sendmmsg`. If the kernel refuses GSO (an old
//! kernel, a device without it) the sender falls back to one datagram per
//! message for good; elsewhere than Linux it sends one `send_to` per datagram.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::ops::Range;

use tokio::net::UdpSocket;

use crate::Transmit;
use crate::batch;

/// Most messages handed to one `sendmmsg` (the kernel's `UIO_MAXIOV`).
pub const MAX_MESSAGES: usize = 1024;

/// Sends batches of datagrams on the media socket; keeps its buffers between
/// batches so sending allocates nothing once warm.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub struct Sender {
    /// The socket is `[::]`: IPv4 destinations become v4-mapped addresses.
    dual_stack: bool,
    gso: bool,
    runs: Vec<Range<usize>>,
    #[cfg(target_os = "linux")]
    scratch: linux::Scratch,
}

impl Sender {
    pub fn new(dual_stack: bool) -> Self {
        Self {
            dual_stack,
            gso: cfg!(target_os = "linux"),
            runs: Vec::new(),
            #[cfg(target_os = "linux")]
            scratch: linux::Scratch::default(),
        }
    }

    fn destination(&self, t: &Transmit) -> SocketAddr {
        if self.dual_stack {
            mapped(t.destination)
        } else {
            t.destination
        }
    }

    /// Sends every datagram of `transmits`, in order. UDP: a datagram the kernel
    /// refuses (unreachable, no buffer) is lost, which RTP and ICE survive.
    pub async fn send(&mut self, socket: &UdpSocket, transmits: &[Transmit]) {
        #[cfg(target_os = "linux")]
        {
            let max = if self.gso { batch::MAX_SEGMENTS } else { 1 };
            batch::runs(transmits, max, &mut self.runs);
            let mut next = 0;
            while next < self.runs.len() {
                let runs = &self.runs[next..];
                let sent = socket.try_io(tokio::io::Interest::WRITABLE, || {
                    linux::sendmmsg(socket, transmits, runs, self.dual_stack, &mut self.scratch)
                });
                match sent {
                    Ok(n) => next += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        // A full send buffer: wait for room rather than drop.
                        let _ = socket.writable().await;
                    }
                    Err(e) => {
                        // The first message failed. GSO refused: send this run
                        // datagram by datagram, and every later one too. Anything
                        // else (an unreachable destination): this run is lost.
                        let run = self.runs[next].clone();
                        if run.len() > 1 && gso_refused(&e) {
                            tracing::info!(error = %e, "UDP GSO refused; sending datagram by datagram");
                            self.gso = false;
                            for t in &transmits[run] {
                                let _ = socket.send_to(&t.contents, self.destination(t)).await;
                            }
                        }
                        next += 1;
                    }
                }
            }
        }
        #[cfg(not(target_os = "linux"))]
        for t in transmits {
            let _ = socket.send_to(&t.contents, self.destination(t)).await;
        }
    }
}

/// The errors a kernel or device without UDP GSO gives for `UDP_SEGMENT`.
#[cfg(target_os = "linux")]
fn gso_refused(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::EIO | libc::EOPNOTSUPP | libc::ENOPROTOOPT)
    )
}

/// IPv4 destinations as v4-mapped IPv6, for a dual-stack socket.
pub fn mapped(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(v4) => SocketAddr::new(IpAddr::V6(v4.to_ipv6_mapped()), addr.port()),
        IpAddr::V6(_) => addr,
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::io;
    use std::ops::Range;
    use std::os::fd::AsRawFd;

    use socket2::SockAddr;
    use tokio::net::UdpSocket;

    use super::{MAX_MESSAGES, mapped};
    use crate::Transmit;

    /// Room for one `cmsghdr` carrying a `u16` (`CMSG_SPACE(2)` is 24 on 64-bit
    /// Linux), aligned for `cmsghdr`.
    type Control = [u64; 4];

    /// The `sendmmsg` arguments, rebuilt for every call.
    #[derive(Default)]
    pub struct Scratch {
        iov: Vec<libc::iovec>,
        names: Vec<SockAddr>,
        control: Vec<Control>,
        headers: Vec<libc::mmsghdr>,
    }

    // SAFETY: the raw pointers in `Scratch` point into the transmits and into
    // `Scratch` itself; they are written and used only within one synchronous
    // `sendmmsg` call below, never across an await, and are rebuilt each call.
    unsafe impl Send for Scratch {}

    /// One `sendmmsg` for as many of `runs` as fit; returns how many went out.
    pub fn sendmmsg(
        socket: &UdpSocket,
        transmits: &[Transmit],
        runs: &[Range<usize>],
        dual_stack: bool,
        s: &mut Scratch,
    ) -> io::Result<usize> {
        let runs = &runs[..runs.len().min(MAX_MESSAGES)];
        s.iov.clear();
        s.names.clear();
        s.control.clear();
        s.headers.clear();
        for run in runs {
            let first = &transmits[run.start];
            let to = if dual_stack {
                mapped(first.destination)
            } else {
                first.destination
            };
            s.names.push(SockAddr::from(to));
            s.control.push([0; 4]);
            for t in &transmits[run.clone()] {
                s.iov.push(libc::iovec {
                    iov_base: t.contents.as_ptr() as *mut libc::c_void,
                    iov_len: t.contents.len(),
                });
            }
        }
        // The vectors are complete: pointers into them stay valid from here.
        let mut iov_at = 0;
        for (i, run) in runs.iter().enumerate() {
            // SAFETY: an all-zero msghdr is valid (no name, no iov, no control).
            let mut h: libc::msghdr = unsafe { std::mem::zeroed() };
            h.msg_name = s.names[i].as_ptr() as *mut libc::c_void;
            h.msg_namelen = s.names[i].len();
            h.msg_iov = s.iov[iov_at..].as_mut_ptr();
            h.msg_iovlen = run.len() as _;
            iov_at += run.len();
            if run.len() > 1 {
                let segment = transmits[run.start].contents.len() as u16;
                let control = s.control[i].as_mut_ptr() as *mut u8;
                // SAFETY: `control` has room for CMSG_SPACE(2) bytes and is
                // aligned for cmsghdr; CMSG_DATA points inside it.
                unsafe {
                    let c = control as *mut libc::cmsghdr;
                    (*c).cmsg_level = libc::SOL_UDP;
                    (*c).cmsg_type = libc::UDP_SEGMENT;
                    (*c).cmsg_len = libc::CMSG_LEN(2) as _;
                    std::ptr::write_unaligned(libc::CMSG_DATA(c) as *mut u16, segment);
                    h.msg_control = control as *mut libc::c_void;
                    h.msg_controllen = libc::CMSG_SPACE(2) as _;
                }
            }
            s.headers.push(libc::mmsghdr {
                msg_hdr: h,
                msg_len: 0,
            });
        }
        // SAFETY: every header points at live names, iovecs and control data
        // built above, and the iovecs at the transmits' contents.
        let n = unsafe {
            libc::sendmmsg(
                socket.as_raw_fd(),
                s.headers.as_mut_ptr(),
                s.headers.len() as _,
                0,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n as usize)
    }
}
