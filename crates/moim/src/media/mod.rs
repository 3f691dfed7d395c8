//! Media through moim's own SFU (`crates/moim-sfu`, `docs/sfu.md`): the
//! options, the rule that decides whether a meeting is a mesh or goes through
//! the SFU, and [`bridge`], which ties Socket.IO participants to SFU peers.
//!
//! The decision is a pure function of the meeting's size ([`SfuPolicy::mode`]),
//! so every join and leave can tell the room its mode without any state of
//! its own: a room that shrinks below the threshold falls back to the mesh.

pub mod bridge;
mod clustered;
mod hosting;
mod load;
pub mod metrics;
pub mod ops;
pub mod route;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use clap::{Args, ValueEnum};
use moim_proto::RoomMode;

pub use bridge::MediaBridge;
pub use route::MediaRoute;

/// The default UDP port for all SFU media: next to TURN's 3478, not on it,
/// and below TURN's relay range (49152–65535).
pub const DEFAULT_MEDIA_PORT: u16 = 3479;

/// SFU options.
#[derive(Debug, Clone, Args)]
pub struct MediaOptions {
    /// When meetings go through moim's SFU instead of peer to peer: `auto` once
    /// a meeting has `--sfu-threshold` people (and back to peer to peer below
    /// it), `always`, or `never` (then `--mesh-limit` caps a meeting).
    #[arg(long, env = "MOIM_SFU", value_enum, default_value_t = SfuMode::Auto)]
    pub sfu: SfuMode,

    /// Meeting size at which `--sfu auto` switches to the SFU.
    #[arg(long, env = "MOIM_SFU_THRESHOLD", default_value_t = 4, value_parser = clap::value_parser!(u32).range(2..))]
    pub sfu_threshold: u32,

    /// UDP port for all SFU media, IPv4 and IPv6 (0: any free port). Browsers
    /// are told `--public-ip` (or this machine's LAN address) with this port.
    #[arg(long, env = "MOIM_MEDIA_PORT", default_value_t = DEFAULT_MEDIA_PORT)]
    pub media_port: u16,

    /// SFU workers, each forwarding its own meetings on its own core (a
    /// meeting lives on one; new meetings go to the least loaded). Default:
    /// one per CPU core.
    #[arg(long, env = "MOIM_SFU_WORKERS", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub sfu_workers: Option<u16>,
}

impl MediaOptions {
    /// `--sfu-workers`, or this machine's core count.
    pub fn workers(&self) -> usize {
        self.sfu_workers
            .map(usize::from)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }
}

/// `--sfu`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SfuMode {
    /// From `--sfu-threshold` people on.
    Auto,
    /// Every meeting, even of two.
    Always,
    /// No meeting: peer to peer only, at most `--mesh-limit` people.
    Never,
}

/// Which meetings go through the SFU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SfuPolicy {
    /// `--sfu`.
    pub mode: SfuMode,
    /// `--sfu-threshold`.
    pub threshold: usize,
}

impl SfuPolicy {
    /// From the options.
    pub fn from_options(options: &MediaOptions) -> Self {
        Self {
            mode: options.sfu,
            threshold: options.sfu_threshold as usize,
        }
    }

    /// The mode of a meeting of `count` people.
    pub fn mode(self, count: usize) -> RoomMode {
        match self.mode {
            SfuMode::Always => RoomMode::Sfu,
            SfuMode::Never => RoomMode::Mesh,
            SfuMode::Auto if count >= self.threshold => RoomMode::Sfu,
            SfuMode::Auto => RoomMode::Mesh,
        }
    }

    /// Whether the SFU runs at all.
    pub fn enabled(self) -> bool {
        self.mode != SfuMode::Never
    }
}

/// The addresses browsers are told to send media to: `--public-ip` when given,
/// else the first LAN address of each family, loopback only when there is
/// none. Even when moim listens on loopback: Chromium never pairs its own
/// (LAN) candidates with a loopback one, while a LAN address reaches this
/// machine from a browser on it too.
pub fn announced_addresses(public_ip: Option<IpAddr>, lan: &[IpAddr]) -> Vec<IpAddr> {
    if let Some(ip) = public_ip {
        return vec![ip];
    }
    let mut out: Vec<IpAddr> = Vec::new();
    if let Some(v4) = lan.iter().find(|ip| ip.is_ipv4()) {
        out.push(*v4);
    }
    if let Some(v6) = lan.iter().find(|ip| ip.is_ipv6()) {
        out.push(*v6);
    }
    if out.is_empty() {
        out.push(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    out
}

/// Starts the SFU's UDP driver: one dual-stack socket on `[::]:port`, or
/// `0.0.0.0:port` where IPv6 is off.
pub async fn start(
    options: &MediaOptions,
    announce: Vec<IpAddr>,
) -> std::io::Result<(
    moim_sfu::driver::SfuHandle,
    tokio::sync::mpsc::UnboundedReceiver<moim_sfu::SfuEvent>,
)> {
    let v6 = SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), options.media_port);
    let workers = options.workers();
    match moim_sfu::driver::start(v6, announce.clone(), workers).await {
        Ok(started) => Ok(started),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Err(e),
        Err(_) => {
            let v4 = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), options.media_port);
            moim_sfu::driver::start(v4, announce, workers).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_switches_at_the_threshold_both_ways() {
        let policy = SfuPolicy {
            mode: SfuMode::Auto,
            threshold: 4,
        };
        let modes: Vec<RoomMode> = (1..=6).map(|n| policy.mode(n)).collect();
        use RoomMode::{Mesh, Sfu};
        assert_eq!(modes, vec![Mesh, Mesh, Mesh, Sfu, Sfu, Sfu]);
        assert_eq!(
            SfuPolicy {
                mode: SfuMode::Always,
                threshold: 4
            }
            .mode(1),
            Sfu
        );
        assert_eq!(
            SfuPolicy {
                mode: SfuMode::Never,
                threshold: 4
            }
            .mode(40),
            Mesh
        );
    }

    #[test]
    fn the_announced_address_prefers_public_then_lan_then_loopback() {
        let lan: Vec<IpAddr> = vec![
            "10.0.0.5".parse().unwrap(),
            "10.0.0.6".parse().unwrap(),
            "fd00::5".parse().unwrap(),
        ];
        let public: IpAddr = "203.0.113.7".parse().unwrap();
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(announced_addresses(Some(public), &lan), vec![public]);
        assert_eq!(announced_addresses(None, &lan), vec![lan[0], lan[2]]);
        assert_eq!(announced_addresses(None, &[]), vec![lo]);
    }
}
