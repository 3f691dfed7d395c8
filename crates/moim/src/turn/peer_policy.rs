//! Which peer addresses the TURN server may relay to: the rule that keeps a
//! credential holder from using moim's relay to reach the server's own
//! loopback services, its LAN or a cloud metadata endpoint.
//!
//! The rule, in order:
//!
//! 1. Never: unspecified (`0.0.0.0/8`, `::`), multicast (`224.0.0.0/4`,
//!    `ff00::/8`), broadcast and reserved (`240.0.0.0/4`). Relaying there
//!    never carries a call.
//! 2. A `--turn-deny-peer` CIDR that contains the address refuses it (deny
//!    beats allow).
//! 3. Loopback (`127.0.0.0/8`, `::1`) and link-local (`169.254.0.0/16`,
//!    `fe80::/10`, where cloud metadata lives) are relayed only when a
//!    `--turn-allow-peer` CIDR contains the address *and lies inside that
//!    range*: `--turn-allow-peer 127.0.0.1/32` opens loopback (tests on one
//!    machine), a careless `0.0.0.0/0` does not.
//! 4. Private (`10/8`, `172.16/12`, `192.168/16`), CGNAT (`100.64/10`), ULA
//!    (`fc00::/7`) and site-local (`fec0::/10`) are relayed only when an allow
//!    CIDR contains the address: phones on one LAN relaying to each other need
//!    `--turn-allow-peer 192.168.1.0/24` (the LAN's prefix).
//! 5. Everything else (public addresses) is relayed.
//!
//! IPv6 forms that carry an IPv4 address are judged by it: IPv4-mapped
//! (`::ffff:a.b.c.d`) is that IPv4 address; IPv4-compatible (`::a.b.c.d`),
//! NAT64 (`64:ff9b::/96`), 6to4 (`2002::/16`) and Teredo (`2001::/32`, its
//! server and client addresses) are relayed only when the IPv6 address and
//! every IPv4 address inside it are.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// An address block, `a.b.c.d/n` or `x::/n`; a bare address is a block of one.
/// Host bits are cleared (`192.168.1.7/24` is `192.168.1.0/24`), and an
/// IPv4-mapped block (`::ffff:10.0.0.0/104`) is the IPv4 block it maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

/// Why a CIDR could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    /// The part before `/` is not an IP address.
    #[error("{0:?} is not an IP address")]
    Address(String),
    /// The prefix length is not a number within the family's bits.
    #[error("{0:?} is not a prefix length (0-32 for IPv4, 0-128 for IPv6)")]
    Prefix(String),
}

impl Cidr {
    /// The block of `prefix` leading bits of `addr`, or `None` when `prefix`
    /// is longer than the address.
    pub fn new(addr: IpAddr, prefix: u8) -> Option<Cidr> {
        match addr {
            IpAddr::V4(v4) if prefix <= 32 => Some(Cidr {
                network: IpAddr::V4(Ipv4Addr::from(bits4(v4) & mask4(prefix))),
                prefix,
            }),
            IpAddr::V6(v6) if prefix <= 128 => match v6.to_ipv4_mapped() {
                Some(v4) if prefix >= 96 => Cidr::new(IpAddr::V4(v4), prefix - 96),
                _ => Some(Cidr {
                    network: IpAddr::V6(Ipv6Addr::from(bits6(v6) & mask6(prefix))),
                    prefix,
                }),
            },
            _ => None,
        }
    }

    /// Whether `ip` lies in this block (an IPv4-mapped IPv6 address counts
    /// as its IPv4 address).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, unmap(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => bits4(ip) & mask4(self.prefix) == bits4(net),
            (IpAddr::V6(net), IpAddr::V6(ip)) => bits6(ip) & mask6(self.prefix) == bits6(net),
            _ => false,
        }
    }

    /// Whether every address of this block lies in `outer`.
    fn within(&self, outer: &Cidr) -> bool {
        self.prefix >= outer.prefix && outer.contains(self.network)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(text: &str) -> Result<Cidr, CidrError> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| CidrError::Address(addr.to_owned()))?;
        let bits = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|&n| n <= bits)
                .ok_or_else(|| CidrError::Prefix(p.to_owned()))?,
        };
        Cidr::new(addr, prefix).ok_or_else(|| CidrError::Prefix(prefix.to_string()))
    }
}

/// Why a peer address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Unspecified, multicast, broadcast or reserved: never relayed.
    Never,
    /// A `--turn-deny-peer` CIDR contains it.
    Denied,
    /// Loopback or link-local, and no allow CIDR inside that range names it.
    Local,
    /// Private, CGNAT or ULA, and no allow CIDR names it.
    Private,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::Never => "unspecified, multicast, broadcast or reserved",
            Refusal::Denied => "in a --turn-deny-peer range",
            Refusal::Local => "loopback or link-local",
            Refusal::Private => "private (allow it with --turn-allow-peer)",
        })
    }
}

/// The operator's allow and deny lists, applied on top of the fixed rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerPolicy {
    /// `--turn-allow-peer`: private (and, when inside them, loopback or
    /// link-local) blocks to relay to.
    pub allow: Vec<Cidr>,
    /// `--turn-deny-peer`: blocks never relayed to, whatever `allow` says.
    pub deny: Vec<Cidr>,
}

/// What the fixed rules make of one address, before the operator's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Never,
    /// Loopback or link-local: opened only by an allow block inside this one.
    Local(Cidr),
    Private,
    Public,
}

impl PeerPolicy {
    /// Whether the TURN server may relay to (and from) `ip`.
    pub fn check(&self, ip: IpAddr) -> Result<(), Refusal> {
        let ip = unmap(ip);
        self.check_one(ip)?;
        if let IpAddr::V6(v6) = ip {
            for inner in embedded_ipv4(v6) {
                self.check_one(IpAddr::V4(inner))?;
            }
        }
        Ok(())
    }

    /// Whether relaying to `ip` is allowed.
    pub fn permits(&self, ip: IpAddr) -> bool {
        self.check(ip).is_ok()
    }

    fn check_one(&self, ip: IpAddr) -> Result<(), Refusal> {
        let class = classify(ip);
        if class == Class::Never {
            return Err(Refusal::Never);
        }
        if self.deny.iter().any(|block| block.contains(ip)) {
            return Err(Refusal::Denied);
        }
        let allowed = |inside: Option<&Cidr>| {
            self.allow
                .iter()
                .any(|block| block.contains(ip) && inside.is_none_or(|range| block.within(range)))
        };
        match class {
            Class::Never => Err(Refusal::Never),
            Class::Local(range) if !allowed(Some(&range)) => Err(Refusal::Local),
            Class::Private if !allowed(None) => Err(Refusal::Private),
            _ => Ok(()),
        }
    }
}

const fn v4(a: u8, b: u8, c: u8, d: u8, prefix: u8) -> Cidr {
    Cidr {
        network: IpAddr::V4(Ipv4Addr::new(a, b, c, d)),
        prefix,
    }
}

const fn v6(first: u16, second: u16, last: u16, prefix: u8) -> Cidr {
    Cidr {
        network: IpAddr::V6(Ipv6Addr::new(first, second, 0, 0, 0, 0, 0, last)),
        prefix,
    }
}

/// Never relayed: unspecified, multicast, reserved and broadcast.
const NEVER: [Cidr; 5] = [
    v4(0, 0, 0, 0, 8),
    v4(224, 0, 0, 0, 4),
    v4(240, 0, 0, 0, 4),
    v6(0, 0, 0, 128),
    v6(0xff00, 0, 0, 8),
];

/// Loopback and link-local.
const LOCAL: [Cidr; 4] = [
    v4(127, 0, 0, 0, 8),
    v4(169, 254, 0, 0, 16),
    v6(0, 0, 1, 128),
    v6(0xfe80, 0, 0, 10),
];

/// Private, CGNAT, ULA and site-local.
const PRIVATE: [Cidr; 6] = [
    v4(10, 0, 0, 0, 8),
    v4(172, 16, 0, 0, 12),
    v4(192, 168, 0, 0, 16),
    v4(100, 64, 0, 0, 10),
    v6(0xfc00, 0, 0, 7),
    v6(0xfec0, 0, 0, 10),
];

/// The fixed class of one address (IPv4-mapped already unmapped).
fn classify(ip: IpAddr) -> Class {
    if NEVER.iter().any(|b| b.contains(ip)) {
        Class::Never
    } else if let Some(range) = LOCAL.iter().find(|b| b.contains(ip)) {
        Class::Local(*range)
    } else if PRIVATE.iter().any(|b| b.contains(ip)) {
        Class::Private
    } else {
        Class::Public
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The IPv4 addresses an IPv6 transition form carries: IPv4-compatible
/// `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:AABB:CCDD::`, and
/// Teredo `2001:0:SSSS:SSSS:…:~CCCC:~CCCC` (server, and client inverted).
fn embedded_ipv4(v6: Ipv6Addr) -> Vec<Ipv4Addr> {
    let o = v6.octets();
    let at = |i: usize| Ipv4Addr::new(o[i], o[i + 1], o[i + 2], o[i + 3]);
    let seg = v6.segments();
    let mut found = Vec::new();
    if seg[..6] == [0; 6] && !(seg[6] == 0 && seg[7] <= 1) {
        found.push(at(12)); // IPv4-compatible (:: and ::1 are not)
    }
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        found.push(at(12));
    }
    if seg[0] == 0x2002 {
        found.push(at(2));
    }
    if seg[0] == 0x2001 && seg[1] == 0 {
        found.push(at(4));
        let client = at(12);
        found.push(Ipv4Addr::from(!u32::from(client)));
    }
    found
}

fn bits4(ip: Ipv4Addr) -> u32 {
    u32::from(ip)
}

fn bits6(ip: Ipv6Addr) -> u128 {
    u128::from(ip)
}

fn mask4(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

fn mask6(prefix: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0)
}

#[cfg(test)]
#[path = "peer_policy_tests.rs"]
mod tests;
