//! Command-line options. Every option also reads a `MOIM_*` environment variable,
//! so a service manager or container can configure moim without a wrapper script.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, ValueEnum};

use crate::rate_limit::RateLimit;

/// moim: self-hosted video meetings in one binary.
#[derive(Debug, Clone, Parser)]
#[command(name = "moim", version, about, long_about = None)]
pub struct Config {
    /// Address to listen on for HTTP, WebSocket and Socket.IO.
    #[arg(long, env = "MOIM_ADDR", default_value = "0.0.0.0:3000")]
    pub addr: SocketAddr,

    /// Folder where moim keeps its state; created if missing.
    #[arg(long, env = "MOIM_DATA_DIR", default_value = "./moim-data")]
    pub data_dir: PathBuf,

    /// Log format: `pretty` for people, `json` for log collectors. Filter with RUST_LOG.
    #[arg(long, env = "MOIM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,

    /// Events a socket may send per second, sustained.
    #[arg(long, env = "MOIM_RATE_LIMIT", default_value_t = 20.0)]
    pub rate_limit: f64,

    /// Events a socket may send at once before the sustained rate applies.
    #[arg(long, env = "MOIM_RATE_BURST", default_value_t = 40.0)]
    pub rate_burst: f64,

    /// Most people in one meeting room.
    #[arg(long, env = "MOIM_ROOM_SIZE", default_value_t = 50)]
    pub room_size: usize,

    /// Most people in a peer-to-peer (mesh) call. With `--sfu never` a join
    /// beyond it is refused; otherwise it only bounds the peer-to-peer data
    /// channels (file transfer) kept beside the SFU. In a mesh everyone uploads
    /// a copy of their video to everyone else, which stops working well past
    /// about six people.
    #[arg(long, env = "MOIM_MESH_LIMIT", default_value_t = 6)]
    pub mesh_limit: usize,

    /// Who may start a meeting: `open` (anyone, the default) or `invite`
    /// (only through a link an admin made on `/ops`, or the HTTP API with
    /// `--api-key`; docs/protocol.md).
    #[arg(long, env = "MOIM_MEETINGS", value_enum, default_value_t = Starting::Open)]
    pub meetings: Starting,

    /// A STUN or TURN server for the browsers (`stun:host:port`,
    /// `turn:user:password@host:port`); repeat the option for several. None by
    /// default: on a LAN, host candidates connect directly.
    #[arg(long = "ice-server", env = "MOIM_ICE_SERVERS", value_delimiter = ',')]
    pub ice_servers: Vec<String>,

    /// Seconds between Socket.IO pings. A client that misses a ping for
    /// `--ping-timeout` more seconds is gone: a closed laptop leaves its room
    /// within the sum of the two.
    #[arg(long, env = "MOIM_PING_INTERVAL", default_value_t = 5)]
    pub ping_interval: u64,

    /// Seconds to wait for a pong before dropping a client.
    #[arg(long, env = "MOIM_PING_TIMEOUT", default_value_t = 5)]
    pub ping_timeout: u64,

    /// User name for the Socket.IO Admin UI (`/admin/`) and the operator page
    /// (`/ops`). Both are off unless this and `--admin-password-hash` are given.
    #[arg(long, env = "MOIM_ADMIN_USER")]
    pub admin_user: Option<String>,

    /// bcrypt hash of the admin password (`$2b$…`), never the password itself.
    #[arg(long, env = "MOIM_ADMIN_PASSWORD_HASH", hide_env_values = true)]
    pub admin_password_hash: Option<String>,

    /// Address of a separate listener serving Prometheus `/metrics`
    /// (e.g. `127.0.0.1:9300`). None by default: metrics are never on `--addr`.
    #[arg(long, env = "MOIM_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// Milliseconds between two room-list broadcasts at most. Joins within one
    /// window share one broadcast, which keeps a join storm linear.
    #[arg(long, env = "MOIM_ROOM_LIST_INTERVAL_MS", default_value_t = 100)]
    pub room_list_interval_ms: u64,

    /// Keep room chat in PostgreSQL (`postgres://user:password@host/db`) instead
    /// of the SQLite file in `--data-dir`; for several nodes sharing history.
    #[arg(long, env = "MOIM_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Delete chat messages older than this many days (0: keep them forever).
    #[arg(long, env = "MOIM_HISTORY_DAYS", default_value_t = 30)]
    pub history_days: u32,

    /// Keep at most this many of the newest messages per room (0: no limit).
    #[arg(long, env = "MOIM_HISTORY_PER_ROOM", default_value_t = 1000)]
    pub history_per_room: u32,

    /// Keep no chat history at all: messages are only delivered live.
    #[arg(long, env = "MOIM_NO_HISTORY")]
    pub no_history: bool,

    /// Run as one node of a cluster (`redis://host:6379/`, Redis 7 or later):
    /// rooms, broadcasts, counts, the room list and signaling reach the
    /// participants of every node sharing this Redis. Without it moim is a
    /// single node. See docs/deploy.md.
    #[arg(long, env = "MOIM_REDIS_URL", hide_env_values = true)]
    pub redis_url: Option<String>,

    /// moim's SFU (`--sfu`, `--sfu-threshold`, `--media-port`): see `crate::media`.
    #[command(flatten)]
    pub media: crate::media::MediaOptions,
    /// HTTPS and TURN (`--tls`, `--turn-*`, `--public-ip`): see `crate::reach`.
    #[command(flatten)]
    pub reach: crate::reach::ReachOptions,
    /// Connection timeouts, caps and allowed origins (`--header-timeout`,
    /// `--max-conns-per-ip`, `--allowed-origin`): see `crate::http::listen`.
    #[command(flatten)]
    pub http: crate::http::HttpOptions,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable, coloured when on a terminal.
    Pretty,
    /// One JSON object per line.
    Json,
}

impl Config {
    /// The defaults, as `moim` with no arguments and no environment would use.
    pub fn defaults() -> Self {
        Self::parse_from(["moim"])
    }

    /// The per-socket rate limit.
    pub fn rate(&self) -> RateLimit {
        RateLimit {
            per_second: self.rate_limit,
            burst: self.rate_burst,
        }
    }

    /// The ICE servers handed to browsers, as `RTCIceServer`s. A TURN URL may
    /// carry `user:password@`, which becomes `username` and `credential`.
    pub fn ice_servers(&self) -> Vec<moim_proto::IceServer> {
        self.ice_servers.iter().map(|url| ice_server(url)).collect()
    }

    /// What chat history to keep (`--history-days`, `--history-per-room`).
    pub fn retention(&self) -> moim_store::Retention {
        moim_store::Retention {
            max_age: (self.history_days > 0)
                .then(|| Duration::from_secs(u64::from(self.history_days) * 86_400)),
            per_room: (self.history_per_room > 0).then_some(self.history_per_room),
        }
    }

    /// The room-list broadcast window.
    pub fn room_list_interval(&self) -> Duration {
        Duration::from_millis(self.room_list_interval_ms)
    }
}

fn ice_server(url: &str) -> moim_proto::IceServer {
    let (scheme, rest) = url.split_once(':').unwrap_or((url, ""));
    match rest.rsplit_once('@') {
        Some((credentials, host)) if scheme.starts_with("turn") => {
            let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
            moim_proto::IceServer {
                urls: vec![format!("{scheme}:{host}")],
                username: Some(user.to_owned()),
                credential: Some(password.to_owned()),
            }
        }
        _ => moim_proto::IceServer {
            urls: vec![url.to_owned()],
            username: None,
            credential: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Config::command().debug_assert();
    }

    #[test]
    fn flags_override_defaults() {
        let config = Config::parse_from(["moim", "--addr", "127.0.0.1:0", "--data-dir", "/tmp/x"]);
        assert_eq!(config.addr.port(), 0);
        assert_eq!(config.data_dir, PathBuf::from("/tmp/x"));
        assert_eq!(config.room_size, 50);
        assert!(config.ice_servers().is_empty(), "no ICE servers by default");
        assert_eq!(
            config.database_url, None,
            "SQLite in the data dir by default"
        );
        assert!(!config.no_history);
    }

    #[test]
    fn zero_turns_a_retention_limit_off() {
        let config = Config::parse_from(["moim", "--history-days", "0", "--history-per-room", "5"]);
        let retention = config.retention();
        assert_eq!((retention.max_age, retention.per_room), (None, Some(5)));
        let default = Config::defaults().retention();
        assert_eq!(default.max_age, Some(Duration::from_secs(30 * 86_400)));
    }

    #[test]
    fn ice_servers_are_repeatable_and_carry_turn_credentials() {
        let config = Config::parse_from([
            "moim",
            "--ice-server",
            "stun:stun.example.org:3478",
            "--ice-server",
            "turn:mina:s3cret@turn.example.org:3478?transport=udp",
        ]);
        let servers = config.ice_servers();
        assert_eq!(servers[0].urls, vec!["stun:stun.example.org:3478"]);
        assert_eq!(servers[0].username, None);
        assert_eq!(
            servers[1].urls,
            vec!["turn:turn.example.org:3478?transport=udp"]
        );
        assert_eq!(servers[1].username.as_deref(), Some("mina"));
        assert_eq!(servers[1].credential.as_deref(), Some("s3cret"));
    }
}

/// Who may start a meeting (`--meetings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Starting {
    /// Anyone who names a meeting starts it.
    Open,
    /// Only with an invitation link.
    Invite,
}
