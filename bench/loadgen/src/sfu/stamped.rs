//! Receiving a datagram with the time the kernel queued it on the socket.
//!
//! The subscribers share one core of the load client: a datagram can wait in
//! its socket while the client works for the other subscribers, and the
//! client's own SRTP and reassembly come after that. Timing a frame at the
//! moment its last datagram reached the socket (`SO_TIMESTAMPNS`) leaves the
//! load client's own delay out of what is charged to the SFU.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::io::Interest;
use tokio::net::UdpSocket;

/// Asks the kernel to stamp every datagram `socket` receives. Without the
/// stamps (another OS, or refused), [`recv`] stamps on reading instead; so do
/// the first datagrams after the first call, as the kernel switches stamping
/// on in deferred work (the benchmark measures seconds later).
pub fn enable(socket: &UdpSocket) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let on: libc::c_int = 1;
        // SAFETY: a valid fd, and a pointer to an int of the size given.
        unsafe {
            libc::setsockopt(
                socket.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_TIMESTAMPNS,
                (&on as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = socket;
}

/// Microseconds since the Unix epoch: the clock the kernel stamps with, which
/// the publisher also writes into its frames (one machine, one clock).
pub fn now_us() -> u64 {
    since_epoch_us(SystemTime::now())
}

fn since_epoch_us(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_micros() as u64
}

/// One datagram into `buf`: its length, its source, and when the kernel
/// queued it (µs since the Unix epoch).
pub async fn recv(socket: &UdpSocket, buf: &mut [u8]) -> io::Result<(usize, SocketAddr, u64)> {
    #[cfg(target_os = "linux")]
    loop {
        socket.readable().await?;
        match socket.try_io(Interest::READABLE, || recvmsg(socket, buf)) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            other => return other,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = Interest::READABLE;
        let (n, source) = socket.recv_from(buf).await?;
        Ok((n, source, now_us()))
    }
}

#[cfg(target_os = "linux")]
fn recvmsg(socket: &UdpSocket, buf: &mut [u8]) -> io::Result<(usize, SocketAddr, u64)> {
    use std::os::fd::AsRawFd;
    // SAFETY: all-zero is a valid sockaddr_storage, msghdr and cmsg buffer.
    let mut addr: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // Room for one timespec control message, aligned as cmsghdr wants.
    let mut control = [0u64; 8];
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_name = (&mut addr as *mut libc::sockaddr_storage).cast();
    msg.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = std::mem::size_of_val(&control);
    // SAFETY: every pointer in `msg` points at a live buffer of the length given.
    let n = unsafe { libc::recvmsg(socket.as_raw_fd(), &mut msg, 0) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut stamp = None;
    // SAFETY: the CMSG macros walk the control buffer the kernel filled in.
    unsafe {
        let mut c = libc::CMSG_FIRSTHDR(&msg);
        while !c.is_null() {
            if (*c).cmsg_level == libc::SOL_SOCKET && (*c).cmsg_type == libc::SCM_TIMESTAMPNS {
                let ts = std::ptr::read_unaligned(libc::CMSG_DATA(c) as *const libc::timespec);
                stamp = Some(ts.tv_sec as u64 * 1_000_000 + ts.tv_nsec as u64 / 1_000);
            }
            c = libc::CMSG_NXTHDR(&msg, c);
        }
    }
    let source = socket_addr(&addr)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no source address"))?;
    Ok((n as usize, source, stamp.unwrap_or_else(now_us)))
}

#[cfg(target_os = "linux")]
fn socket_addr(addr: &libc::sockaddr_storage) -> Option<SocketAddr> {
    use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};
    match i32::from(addr.ss_family) {
        libc::AF_INET => {
            // SAFETY: the family says this storage holds a sockaddr_in.
            let a =
                unsafe { &*(addr as *const libc::sockaddr_storage).cast::<libc::sockaddr_in>() };
            let ip = Ipv4Addr::from(u32::from_be(a.sin_addr.s_addr));
            Some(SocketAddrV4::new(ip, u16::from_be(a.sin_port)).into())
        }
        libc::AF_INET6 => {
            // SAFETY: the family says this storage holds a sockaddr_in6.
            let a =
                unsafe { &*(addr as *const libc::sockaddr_storage).cast::<libc::sockaddr_in6>() };
            let ip = Ipv6Addr::from(a.sin6_addr.s6_addr);
            Some(
                SocketAddrV6::new(
                    ip,
                    u16::from_be(a.sin6_port),
                    a.sin6_flowinfo,
                    a.sin6_scope_id,
                )
                .into(),
            )
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends one datagram from `a` to `b`, reads it `wait` later: the µs
    /// between its stamp and the read.
    async fn stamp_age(a: &UdpSocket, b: &UdpSocket, wait: Duration) -> u64 {
        a.send_to(b"hello", b.local_addr().unwrap()).await.unwrap();
        tokio::time::sleep(wait).await;
        let mut buf = [0u8; 64];
        let (n, source, at) = recv(b, &mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"hello");
        assert_eq!(source, a.local_addr().unwrap());
        now_us().saturating_sub(at)
    }

    #[tokio::test]
    async fn a_datagram_is_stamped_with_when_it_arrived_not_when_it_was_read() {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        enable(&b);
        // The kernel switches stamping on in deferred work: until then a
        // datagram is stamped when read. Wait (bounded) for the first real stamp.
        let mut tries = 0;
        while stamp_age(&a, &b, Duration::from_millis(5)).await < 4_000 {
            tries += 1;
            assert!(tries < 200, "the kernel never stamped an arrival");
        }
        // From then on every datagram carries its arrival time.
        for _ in 0..3 {
            let age = stamp_age(&a, &b, Duration::from_millis(30)).await;
            assert!(
                (30_000..1_000_000).contains(&age),
                "stamped {age} µs before the read"
            );
        }
    }
}
