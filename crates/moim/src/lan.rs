//! What this machine is called on its network: host names and LAN addresses,
//! for the self-signed certificate, the "open this on your phone" line, the
//! TURN server's sockets and relay address, and the SFU's media candidates.
//! At the crate root because HTTPS, TURN and the SFU all ask it, and none of
//! them owns it.

use std::net::IpAddr;

/// This machine's host name, if it has one.
pub fn host_name() -> Option<String> {
    let from_kernel = std::fs::read_to_string("/proc/sys/kernel/hostname").ok();
    let name = from_kernel
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())?;
    let name = name.trim().to_owned();
    let valid = !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    valid.then_some(name)
}

/// The addresses other devices on the LAN can reach this machine at: every
/// interface's address except loopback and link-local, IPv4 first.
pub fn lan_addresses() -> Vec<IpAddr> {
    let mut addresses: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|iface| iface.ip())
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified() && !is_link_local(ip))
        .collect();
    addresses.sort_by_key(|ip| (ip.is_ipv6(), *ip));
    addresses.dedup();
    addresses
}

fn is_link_local(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lan_addresses_leave_out_loopback_and_link_local() {
        for ip in lan_addresses() {
            assert!(!ip.is_loopback(), "{ip}");
            assert!(!is_link_local(&ip), "{ip}");
        }
        assert!(is_link_local(&"fe80::1".parse().unwrap()));
        assert!(is_link_local(&"169.254.3.4".parse().unwrap()));
        assert!(!is_link_local(&"192.168.1.20".parse().unwrap()));
    }
}
