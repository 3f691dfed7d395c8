//! The ICE servers each participant is given: the fixed `--ice-server` list,
//! plus a TURN server with credentials minted for that participant alone.
//!
//! Credentials follow the TURN REST API (see [`crate::turn::credentials`]), so
//! the TURN server may be moim's own or a coturn with the same secret.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use moim_proto::IceServer;

use crate::turn::TurnSecret;

/// Where browsers find the TURN server.
#[derive(Debug, Clone)]
pub enum TurnUrls {
    /// `--turn-url`: an external server (coturn with `use-auth-secret`).
    External(Vec<String>),
    /// moim's built-in server on this UDP port. The host is `--public-ip` when
    /// given, else the host the browser used to reach moim: the one name we
    /// know it can resolve and reach.
    Builtin {
        /// The UDP port.
        port: u16,
        /// `--public-ip`, if given.
        host: Option<String>,
    },
}

/// TURN for every participant.
#[derive(Debug, Clone)]
pub struct TurnIce {
    /// Where.
    pub urls: TurnUrls,
    /// The secret shared with the TURN server.
    pub secret: TurnSecret,
    /// How long minted credentials stay valid.
    pub ttl: Duration,
}

/// The ICE configuration handed to browsers.
#[derive(Debug, Clone, Default)]
pub struct IceServers {
    /// `--ice-server` entries, the same for everyone.
    pub fixed: Vec<IceServer>,
    /// TURN with per-participant credentials, if any.
    pub turn: Option<TurnIce>,
}

impl IceServers {
    /// The list for someone in no meeting: the fixed servers alone, no TURN
    /// credentials (those go to participants only).
    pub fn without_credentials(&self) -> Vec<IceServer> {
        self.fixed.clone()
    }

    /// Whether there is a TURN relay whose credentials participants get.
    pub fn has_relay(&self) -> bool {
        self.turn.is_some()
    }

    /// Whether anyone gets a relay at all: moim's own TURN or an
    /// `--ice-server` with a `turn:`/`turns:` URL. Without one, people on
    /// networks that block direct calls cannot connect: the operator is told
    /// at start-up and on `/ops`, the guests only that some networks may fail.
    pub fn any_relay(&self) -> bool {
        self.has_relay()
            || self
                .fixed
                .iter()
                .any(|s| s.urls.iter().any(|u| u.starts_with("turn")))
    }

    /// The list for `participant`, who reached moim at `page_host` (the HTTP
    /// `Host` header, port included or not).
    pub fn for_participant(&self, participant: &str, page_host: Option<&str>) -> Vec<IceServer> {
        let mut servers = self.fixed.clone();
        if let Some(turn) = &self.turn {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            let credentials = turn.secret.mint(participant, now + turn.ttl.as_secs());
            let urls = match &turn.urls {
                TurnUrls::External(urls) => urls.clone(),
                TurnUrls::Builtin { port, host } => {
                    let host = host
                        .clone()
                        .or_else(|| page_host.and_then(host_only))
                        .unwrap_or_else(|| "localhost".to_owned());
                    vec![format!("turn:{host}:{port}?transport=udp")]
                }
            };
            servers.push(IceServer {
                urls,
                username: Some(credentials.username),
                credential: Some(credentials.password),
            });
        }
        servers
    }
}

/// The host part of a `Host` header (`name:port`, `1.2.3.4:port`, `[::1]:port`),
/// if it is made of characters a host name or address may have.
fn host_only(header: &str) -> Option<String> {
    let host = if header.starts_with('[') {
        &header[..=header.find(']')?]
    } else {
        header.rsplit_once(':').map_or(header, |(host, _)| host)
    };
    let sane = !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    sane.then(|| host.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::turn::credentials::expiry;

    fn builtin(host: Option<&str>) -> IceServers {
        IceServers {
            fixed: vec![IceServer {
                urls: vec!["stun:stun.example.org:3478".into()],
                username: None,
                credential: None,
            }],
            turn: Some(TurnIce {
                urls: TurnUrls::Builtin {
                    port: 3478,
                    host: host.map(str::to_owned),
                },
                secret: TurnSecret::new("s3cret"),
                ttl: Duration::from_secs(3600),
            }),
        }
    }

    #[test]
    fn each_participant_gets_its_own_short_lived_credentials() {
        let ice = builtin(None);
        let mina = ice.for_participant("mina-id", Some("192.168.1.20:3000"));
        let jun = ice.for_participant("jun-id", Some("192.168.1.20:3000"));
        assert_eq!(mina[0].urls, vec!["stun:stun.example.org:3478"]);
        assert_eq!(mina[1].urls, vec!["turn:192.168.1.20:3478?transport=udp"]);
        let username = mina[1].username.clone().unwrap();
        assert!(username.ends_with(":mina-id"), "{username}");
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let expires = expiry(&username).unwrap();
        assert!(expires > now && expires <= now + 3600);
        assert_eq!(
            mina[1].credential.as_deref(),
            Some(TurnSecret::new("s3cret").password(&username).as_str())
        );
        assert_ne!(mina[1].username, jun[1].username);
    }

    #[test]
    fn public_ip_wins_over_the_page_host_and_odd_hosts_are_dropped() {
        let urls = |ice: &IceServers, host| ice.for_participant("p", host)[1].urls.clone();
        assert_eq!(
            urls(&builtin(Some("203.0.113.7")), Some("x:1")),
            vec!["turn:203.0.113.7:3478?transport=udp"]
        );
        assert_eq!(
            urls(&builtin(None), Some("[::1]:3000")),
            vec!["turn:[::1]:3478?transport=udp"]
        );
        assert_eq!(
            urls(&builtin(None), Some("moim.lan")),
            vec!["turn:moim.lan:3478?transport=udp"]
        );
        assert_eq!(
            urls(&builtin(None), Some("a/b:1")),
            vec!["turn:localhost:3478?transport=udp"]
        );
        assert_eq!(
            urls(&builtin(None), None),
            vec!["turn:localhost:3478?transport=udp"]
        );
    }

    #[test]
    fn without_turn_only_the_fixed_servers() {
        let ice = IceServers::default();
        assert!(ice.for_participant("p", None).is_empty());
    }
}
