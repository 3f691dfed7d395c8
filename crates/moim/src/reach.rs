//! Reach from anywhere: HTTPS and TURN, set up from the command line before the
//! server starts (see `docs/deploy.md`).
//!
//! [`ReachOptions`] are flattened into [`crate::Config`]; [`Reach::start`]
//! loads or makes the certificate (or starts getting one from an ACME CA),
//! starts the built-in TURN server when asked (on by default with TLS) and
//! builds the [`IceServers`] each participant gets.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::ice::{IceServers, TurnIce, TurnUrls};
use crate::lan;
use crate::rate_limit::RateLimit;
use crate::tls::acme::options::AcmeOptions;
use crate::tls::acme::{Acme, AcmeError};
use crate::tls::{Certificate, TlsError};
use crate::turn::{Cidr, PeerPolicy, TurnError, TurnSecret, TurnServer, TurnSettings};

/// HTTPS and TURN options.
#[derive(Debug, Clone, Args)]
pub struct ReachOptions {
    /// Serve HTTPS with a certificate moim makes for this machine's names and
    /// LAN addresses (kept in the data dir and reused). Browsers warn once;
    /// compare the fingerprint moim prints with the one they show.
    #[arg(long, env = "MOIM_TLS", value_enum, conflicts_with_all = ["tls_cert", "tls_key"])]
    pub tls: Option<TlsMode>,

    /// Serve HTTPS with this PEM certificate chain (with `--tls-key`).
    #[arg(long, env = "MOIM_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The PEM private key of `--tls-cert`.
    #[arg(long, env = "MOIM_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// `--acme-domain` and friends: see `crate::tls::acme`.
    #[command(flatten)]
    pub acme: AcmeOptions,

    /// The built-in TURN server: `auto` runs it when HTTPS is on and no
    /// `--turn-url` is given.
    #[arg(long, env = "MOIM_TURN", value_enum, default_value_t = TurnMode::Auto)]
    pub turn: TurnMode,

    /// UDP port of the built-in TURN server.
    #[arg(long, env = "MOIM_TURN_PORT", default_value_t = 3478)]
    pub turn_port: u16,

    /// UDP ports relayed allocations use, `MIN-MAX` (open them in a firewall).
    #[arg(long, env = "MOIM_TURN_RELAY_PORTS", default_value = "49152-65535", value_parser = port_range)]
    pub turn_relay_ports: RangeInclusive<u16>,

    /// The address other people reach this machine at, when it is not the LAN
    /// address (a VPS behind 1:1 NAT, a port-forwarded router).
    #[arg(long, env = "MOIM_PUBLIC_IP")]
    pub public_ip: Option<IpAddr>,

    /// The TURN REST API secret, shared with coturn's `static-auth-secret`.
    /// Made and kept in the data dir (`turn-secret`) when not given.
    #[arg(long, env = "MOIM_TURN_SECRET", hide_env_values = true, value_parser = secret)]
    pub turn_secret: Option<TurnSecret>,

    /// An external TURN server's URL (`turn:turn.example.org:3478`), for
    /// example coturn with `use-auth-secret`; repeat for several.
    #[arg(long = "turn-url", env = "MOIM_TURN_URLS", value_delimiter = ',')]
    pub turn_urls: Vec<String>,

    /// Seconds a participant's TURN credentials stay valid for starting a
    /// relay. A relay started in time keeps working past that from the same
    /// address (for 12 hours after expiry), so minutes are enough.
    #[arg(long, env = "MOIM_TURN_TTL", default_value_t = 600)]
    pub turn_ttl: u64,

    /// A private peer range the built-in TURN server may relay to
    /// (`192.168.1.0/24` for phones on this LAN relaying to each other);
    /// repeatable. Private, CGNAT and ULA peers are refused without it;
    /// loopback and link-local only open to a range inside them.
    #[arg(
        long = "turn-allow-peer",
        env = "MOIM_TURN_ALLOW_PEER",
        value_delimiter = ','
    )]
    pub turn_allow_peer: Vec<Cidr>,

    /// A peer range the built-in TURN server never relays to, even when
    /// `--turn-allow-peer` names it; repeatable.
    #[arg(
        long = "turn-deny-peer",
        env = "MOIM_TURN_DENY_PEER",
        value_delimiter = ','
    )]
    pub turn_deny_peer: Vec<Cidr>,

    /// Relay allocations one participant may hold at once on the built-in
    /// TURN server (however many credentials it fetched); more get 486.
    #[arg(long, env = "MOIM_TURN_USER_QUOTA", default_value_t = crate::turn::DEFAULT_USER_QUOTA)]
    pub turn_user_quota: usize,

    /// STUN requests per second one IP address may send the TURN server
    /// (bursts of twice as many); relayed media is not counted.
    #[arg(long, env = "MOIM_TURN_RATE", default_value_t = 50.0)]
    pub turn_rate: f64,
}

/// How to get a certificate without files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TlsMode {
    /// Make one for this machine and keep it in the data dir.
    SelfSigned,
}

/// Whether the built-in TURN server runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TurnMode {
    /// With HTTPS and without `--turn-url`.
    Auto,
    /// Always.
    On,
    /// Never.
    Off,
}

fn port_range(text: &str) -> Result<RangeInclusive<u16>, String> {
    let (min, max) = text
        .split_once('-')
        .ok_or_else(|| "expected MIN-MAX, for example 49152-65535".to_owned())?;
    let min: u16 = min.trim().parse().map_err(|e| format!("{min}: {e}"))?;
    let max: u16 = max.trim().parse().map_err(|e| format!("{max}: {e}"))?;
    if min == 0 || max < min {
        return Err("expected 1 <= MIN <= MAX".to_owned());
    }
    Ok(min..=max)
}

fn secret(text: &str) -> Result<TurnSecret, String> {
    if text.is_empty() {
        return Err("the TURN secret must not be empty".to_owned());
    }
    Ok(TurnSecret::new(text))
}

/// Why HTTPS or TURN could not start.
#[derive(Debug, thiserror::Error)]
pub enum ReachError {
    /// The certificate.
    #[error("HTTPS: {0}")]
    Tls(#[from] TlsError),
    /// The ACME set-up (the CA itself is only asked later, in the background).
    #[error("ACME: {0}")]
    Acme(#[from] AcmeError),
    /// The TURN server.
    #[error(transparent)]
    Turn(#[from] TurnError),
    /// The TURN secret file.
    #[error(transparent)]
    Secret(#[from] crate::turn::credentials::SecretError),
}

/// HTTPS and TURN, running.
pub struct Reach {
    /// The certificate, when HTTPS is on.
    pub certificate: Option<Certificate>,
    /// Certificates from an ACME CA, when `--acme-domain` is given.
    pub acme: Option<Acme>,
    /// The built-in TURN server, when it runs.
    pub turn: Option<TurnServer>,
    /// What participants are given.
    pub ice: IceServers,
    relay_ip: IpAddr,
    relay_ports: RangeInclusive<u16>,
}

impl Reach {
    /// Sets up HTTPS and TURN from `options`; `fixed` are the `--ice-server`s.
    pub async fn start(
        options: &ReachOptions,
        data_dir: &Path,
        fixed: Vec<moim_proto::IceServer>,
    ) -> Result<Reach, ReachError> {
        let mut acme = None;
        let certificate = match (&options.tls, &options.tls_cert, &options.tls_key) {
            (Some(TlsMode::SelfSigned), _, _) => {
                Some(Certificate::self_signed(&data_dir.join("tls"))?)
            }
            (None, Some(cert), Some(key)) => Some(Certificate::from_files(cert, key)?),
            _ => match options.acme.settings() {
                Some(settings) => {
                    let (config, started) = Acme::start(settings, data_dir)?;
                    acme = Some(started);
                    Some(Certificate {
                        config,
                        fingerprint: None,
                    })
                }
                None => None,
            },
        };
        let run_turn = match options.turn {
            TurnMode::On => true,
            TurnMode::Off => false,
            TurnMode::Auto => certificate.is_some() && options.turn_urls.is_empty(),
        };
        let secret = match (
            &options.turn_secret,
            run_turn || !options.turn_urls.is_empty(),
        ) {
            (_, false) => None,
            (Some(secret), true) => Some(secret.clone()),
            (None, true) => Some(TurnSecret::load_or_create(&data_dir.join("turn-secret"))?),
        };
        let relay_ip = options.public_ip.unwrap_or_else(|| {
            lan::lan_addresses()
                .into_iter()
                .find(IpAddr::is_ipv4)
                .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
        });
        let mut turn = None;
        let mut turn_ice = None;
        if let Some(secret) = secret {
            let ttl = Duration::from_secs(options.turn_ttl);
            let urls = if run_turn {
                let server = TurnServer::start(TurnSettings {
                    listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), options.turn_port),
                    relay_ip,
                    relay_ports: options.turn_relay_ports.clone(),
                    secret: secret.clone(),
                    rate: RateLimit {
                        per_second: options.turn_rate,
                        burst: options.turn_rate * 2.0,
                    },
                    peers: PeerPolicy {
                        allow: options.turn_allow_peer.clone(),
                        deny: options.turn_deny_peer.clone(),
                    },
                    user_quota: options.turn_user_quota,
                })
                .await?;
                let port = server.local_addr().port();
                turn = Some(server);
                TurnUrls::Builtin {
                    port,
                    host: options.public_ip.map(|ip| match ip {
                        IpAddr::V6(v6) => format!("[{v6}]"),
                        IpAddr::V4(v4) => v4.to_string(),
                    }),
                }
            } else {
                TurnUrls::External(options.turn_urls.clone())
            };
            turn_ice = Some(TurnIce { urls, secret, ttl });
        }
        Ok(Reach {
            certificate,
            acme,
            turn,
            ice: IceServers {
                fixed,
                turn: turn_ice,
            },
            relay_ip,
            relay_ports: options.turn_relay_ports.clone(),
        })
    }

    /// Logs the TURN server's address, the certificate's fingerprint, then
    /// where to open moim (on this machine and on a phone on the LAN). The
    /// "listening" line comes after the details, so whoever waits for it has them.
    pub fn announce(&self, addr: SocketAddr) {
        if let Some(turn) = &self.turn {
            tracing::info!(
                port = turn.local_addr().port(),
                relay = %self.relay_ip,
                "TURN server on UDP port {}, relaying from {} ports {}-{}",
                turn.local_addr().port(),
                self.relay_ip,
                self.relay_ports.start(),
                self.relay_ports.end()
            );
        }
        if let Some(fingerprint) = self
            .certificate
            .as_ref()
            .and_then(|c| c.fingerprint.as_ref())
        {
            tracing::info!(
                fingerprint = %fingerprint,
                "certificate SHA-256 fingerprint {fingerprint}",
            );
        }
        let scheme = if self.certificate.is_some() {
            "https"
        } else {
            "http"
        };
        let port = addr.port();
        let local = match self.acme.as_ref().and_then(|acme| acme.domains.first()) {
            Some(domain) if port == 443 => format!("https://{domain}"),
            Some(domain) => format!("https://{domain}:{port}"),
            None if addr.ip().is_unspecified() => format!("{scheme}://localhost:{port}"),
            None => format!("{scheme}://{}", SocketAddr::new(addr.ip(), port)),
        };
        if !self.ice.any_relay() {
            // The pre-join check tells guests only that some networks may not
            // connect; what to do about it is the operator's, said here.
            tracing::info!(
                "no TURN relay: people on networks that block direct calls (strict firewalls, some \
                 mobile networks) cannot connect; --tls starts moim's own, or see docs/deploy.md"
            );
        }
        tracing::info!(url = %local, "moim is listening on {local}");
        if self.certificate.is_some() && self.acme.is_none() && addr.ip().is_unspecified() {
            let phone: Vec<String> = lan::lan_addresses()
                .into_iter()
                .map(|ip| format!("https://{}", SocketAddr::new(ip, port)))
                .collect();
            if let Some(first) = phone.first() {
                tracing::info!(url = %first, "on a phone on this network, open {}", phone.join(" or "));
            }
        }
    }

    /// Stops renewing the certificate and the TURN server.
    pub async fn stop(&self) {
        if let Some(acme) = &self.acme {
            acme.stop();
        }
        if let Some(turn) = &self.turn {
            turn.stop().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turn_peer_ranges_and_quota_are_read() {
        use clap::Parser;
        let config = crate::Config::parse_from([
            "moim",
            "--turn-allow-peer",
            "192.168.1.0/24",
            "--turn-allow-peer",
            "fd00::/8",
            "--turn-deny-peer",
            "192.168.1.1",
            "--turn-user-quota",
            "3",
        ]);
        let reach = &config.reach;
        let shown: Vec<String> = reach
            .turn_allow_peer
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(shown, ["192.168.1.0/24", "fd00::/8"]);
        assert_eq!(reach.turn_deny_peer[0].to_string(), "192.168.1.1/32");
        assert_eq!(reach.turn_user_quota, 3);
        assert!(crate::Config::try_parse_from(["moim", "--turn-allow-peer", "lan"]).is_err());

        let defaults = crate::Config::defaults();
        assert_eq!(defaults.reach.turn_ttl, 600, "credentials live ten minutes");
        assert!(
            defaults.reach.turn_allow_peer.is_empty(),
            "no private peers by default"
        );
        assert_eq!(defaults.reach.turn_user_quota, 10);
    }

    #[test]
    fn port_ranges_are_checked() {
        assert_eq!(port_range("40000-40010"), Ok(40000..=40010));
        assert!(port_range("40010-40000").is_err());
        assert!(port_range("0-10").is_err());
        assert!(port_range("40000").is_err());
        assert!(port_range("a-b").is_err());
    }
}
