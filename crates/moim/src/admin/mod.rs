//! Operating moim: the server side of the Socket.IO Admin UI protocol
//! (`@socket.io/admin-ui` 0.5) on the `/admin` namespace, and the snapshot
//! behind moim's own `/ops` page.
//!
//! Layout:
//! - [`registry`]: every socket of every namespace, and a feed of changes,
//!   fed by the signaling handlers (they join and leave rooms through it);
//! - [`auth`]: the admin's bcrypt-checked credentials and sessions, with
//!   `throttle`'s per-address back-off on password guesses;
//! - [`wire`]: the shapes the Admin UI expects;
//! - `namespace`: login, snapshot, live changes; `actions`: disconnect, join,
//!   leave; `stats`: `server_stats` and `moim:ops` every two seconds.
//!
//! The namespace exists only when `--admin-user` and `--admin-password-hash`
//! are given; the registry always runs, since `/metrics` counts from it.

mod actions;
pub mod auth;
mod namespace;
pub mod registry;
pub mod stats;
mod throttle;
pub mod wire;

pub use auth::AdminAuth;
pub use namespace::{NAMESPACE, attach};
pub use registry::SocketRegistry;
