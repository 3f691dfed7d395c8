//! The HTTP listener's options: timeouts, connection caps, allowed origins.

use std::time::Duration;

use super::origin::AllowedOrigin;

/// Who may hold a connection, for how long, and from which web pages.
#[derive(Debug, Clone, clap::Args)]
pub struct HttpOptions {
    /// Seconds a connection gets to send each request's head (with HTTPS, to
    /// finish its handshake too), counted from when it opens or its previous
    /// response ends. A connection that stays silent, sends its head a byte
    /// at a time, or idles between requests this long is closed.
    #[arg(long, env = "MOIM_HEADER_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,

    /// Most connections open at once from one IP address (IPv6: one /64);
    /// 0: no cap. A browser tab holds one, a few more while a page loads, so
    /// 256 fits an office of a hundred people behind one NAT address while
    /// no single address can take the server's file descriptors. Behind a
    /// reverse proxy every connection comes from the proxy: give 0 there and
    /// limit per client in the proxy (docs/deploy.md).
    #[arg(long, env = "MOIM_MAX_CONNS_PER_IP", default_value_t = 256)]
    pub max_conns_per_ip: usize,

    /// A web origin (`https://app.example.org:8443`) whose pages may open
    /// Socket.IO and `/ws` besides moim's own; repeatable. `null` allows pages
    /// opened from a file, `*` any page. Others get 403.
    #[arg(
        long = "allowed-origin",
        env = "MOIM_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<AllowedOrigin>,
}

impl HttpOptions {
    /// `--header-timeout` as a duration.
    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.header_timeout)
    }
}
