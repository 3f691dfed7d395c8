//! moim: self-hosted video meetings in one binary.
//!
//! Layout (data flows one way: signaling decodes and checks, the hub and its
//! room model decide; `docs/architecture.md` draws the map):
//! - [`config`]: command-line options and their `MOIM_*` variables.
//! - [`server`]: [`run`], the entry point, given a listener and a shutdown future.
//! - [`http`]: `/healthz`, the course's `/ws` chat, the embedded web UI.
//! - [`signal`]: Socket.IO: the course's contract on `/`, moim's protocol on
//!   `/moim`, the Admin UI on `/admin`; one departure path for all.
//! - [`hub`]: the state the handlers share, below them: rooms per
//!   [`namespace`], the cluster's presence, the SFU, history, limits.
//! - [`rooms`]: the room model: members, names, counts.
//! - [`cluster`]: `--redis-url`: several nodes as one service (Redis adapter,
//!   presence and node heartbeats in Redis).
//! - [`history`]: room chat kept across restarts (the `moim-store` crate).
//! - [`validate`], [`error`], [`rate_limit`]: input limits, typed refusals, rate limits.
//! - [`admin`]: the socket registry and the Admin UI's credentials.
//! - [`media`]: the SFU's options, the mesh/SFU rule, the bridge to `moim-sfu`.
//! - [`metrics`]: Prometheus `/metrics` on its own listener.
//! - [`reach`]: HTTPS ([`tls`]) and TURN ([`turn`]), and the ICE servers
//!   each participant is given ([`ice`]); [`lan`]: this machine's names and
//!   LAN addresses, which all of them use.
#![deny(missing_docs)]

pub mod admin;
pub mod clock;
pub mod cluster;
pub mod config;
pub mod error;
pub mod history;
pub mod http;
pub mod hub;
pub mod ice;
pub mod lan;
pub mod media;
pub mod meeting;
pub mod metrics;
pub mod namespace;
pub mod rate_limit;
pub mod reach;
pub mod rooms;
pub mod server;
pub mod signal;
pub mod throttle;
pub mod tls;
pub mod turn;
pub mod validate;

pub use config::Config;
pub use server::run;
