//! moim's chat history: room messages kept across restarts.
//!
//! Layout:
//! - [`Store`]: one enum over the two back ends, SQLite (a file in the data
//!   dir, the embedded default) and PostgreSQL (for clusters). Both run the
//!   same queries where SQL allows and pass the same contract tests
//!   (`tests/it/contract.rs`). Schema changes are sqlx migrations, one folder per
//!   back end, embedded in the binary and applied by [`Store::open`].
//! - [`Journal`] (`journal.rs`): group commit. Every writer hands its message to
//!   one task, which takes everything queued, writes it in one transaction and
//!   only then answers them all. A slow disk or network costs latency, not
//!   throughput, and an answered message is durable.
//! - [`retention`]: the background task that applies `--history-days` and
//!   `--history-per-room`.
//!
//! - [`meetings`]: who gets into a meeting (settings, hosts' keys, removals,
//!   the lobby) and the secrets a cluster's nodes share.
//!
//! Messages carry a global, ever-growing `id`; a room's history is paged by it
//! (`before`), newest page first, each page oldest first.
#![deny(missing_docs)]

/// Runs the same expression on whichever pool the store has (most queries
/// are the same text for both back ends).
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match $store {
            Store::Sqlite($pool) => $body,
            Store::Postgres($pool) => $body,
        }
    };
}

mod backend;
mod journal;
pub mod meetings;
mod message;
pub mod retention;

pub use backend::{Store, StoreError};
pub use journal::{Journal, Receipt, WriteError};
pub use message::{NewMessage, Page, StoredMessage};
pub use retention::Retention;

/// The largest page [`Store::page`] returns; bigger requests are the caller's error.
pub const MAX_PAGE: u32 = 200;
