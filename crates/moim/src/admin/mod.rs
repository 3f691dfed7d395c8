//! What operating moim needs below signaling: the Socket.IO Admin UI
//! protocol's (`@socket.io/admin-ui` 0.5) socket registry, credentials and
//! wire shapes. The `/admin` namespace itself (login, snapshot, live changes,
//! actions, stats) is `signal::admin`, beside the other two namespaces.
//!
//! - [`registry`]: every socket of every namespace, and a feed of changes,
//!   fed by the signaling handlers (they join and leave rooms through it);
//! - [`auth`]: the admin's bcrypt-checked credentials and sessions, with
//!   `crate::throttle`'s per-address back-off on password guesses;
//! - [`wire`]: the shapes the Admin UI expects.
//!
//! The registry always runs, since `/metrics` counts from it; the namespace
//! exists only when `--admin-user` and `--admin-password-hash` are given.

pub mod auth;
pub mod registry;

pub mod wire;

pub use auth::AdminAuth;
pub use registry::SocketRegistry;
