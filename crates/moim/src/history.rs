//! Room chat history as the signaling handlers see it: record a message
//! (answered once committed) and read a room's pages.
//!
//! The store itself (SQLite or PostgreSQL, group commit, retention) is the
//! `moim-store` crate; this file picks the back end from the options, starts
//! its tasks, and speaks in wire types. With `--no-history` every call is a
//! cheap no-op, so the handlers need no second code path.

use std::io;

use moim_proto::{Author, HistoryMessage, HistoryPage};
use moim_store::{Journal, NewMessage, Receipt, Store, StoredMessage, WriteError};
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::error::Refusal;
use crate::namespace::Namespace;

/// How often retention runs.
const RETENTION_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// The first page a joiner gets, and the default page size.
pub const DEFAULT_PAGE: u32 = 100;

/// The history of every room, or nothing (`--no-history`).
#[derive(Debug, Default)]
pub struct History {
    inner: Option<Inner>,
    tasks: Vec<JoinHandle<()>>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    journal: Journal,
}

impl History {
    /// Keeps nothing.
    pub fn disabled() -> History {
        History::default()
    }

    /// Opens the store the options name (creating the SQLite file or the
    /// PostgreSQL tables on first start). It holds the chat history, and
    /// the meetings' settings even with `--no-history`.
    pub async fn open_store(config: &Config) -> io::Result<Store> {
        let store = match &config.database_url {
            Some(url) => Store::connect(url).await,
            None => Store::open_sqlite(&config.data_dir).await,
        }
        .map_err(|e| io::Error::other(format!("cannot open the store: {e}")))?;
        tracing::info!(backend = store.backend(), "store ready");
        Ok(store)
    }

    /// Starts the history's writer and retention on `store` (nothing with
    /// `--no-history`).
    pub fn start(config: &Config, store: Store) -> History {
        if config.no_history {
            return History::disabled();
        }
        let (journal, writer) = Journal::start(store.clone());
        let retention = config.retention().spawn(store.clone(), RETENTION_EVERY);
        History {
            inner: Some(Inner { store, journal }),
            tasks: vec![writer, retention],
        }
    }

    /// Whether messages are kept.
    pub fn enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// Queues a message for storage; resolves once it is queued. Wait for
    /// the commit with [`Queued::committed`]; queue a socket's messages one
    /// after the other to keep them in order.
    pub async fn enqueue(
        &self,
        ns: Namespace,
        room: &str,
        author: &Author,
        text: &str,
        ts: u64,
    ) -> Result<Queued, WriteError> {
        let Some(inner) = &self.inner else {
            return Ok(Queued(None));
        };
        let message = NewMessage {
            space: ns.key().to_owned(),
            room: room.to_owned(),
            author_id: author.id.clone(),
            author_name: author.name.clone(),
            text: text.to_owned(),
            ts: i64::try_from(ts).unwrap_or(i64::MAX),
        };
        inner
            .journal
            .enqueue(message)
            .await
            .map(|r| Queued(Some(r)))
    }

    /// The page of `room` before message `before` (the newest without it);
    /// an empty page when history is off.
    pub async fn page(
        &self,
        ns: Namespace,
        room: &str,
        before: Option<u64>,
        limit: u32,
    ) -> Result<HistoryPage, Refusal> {
        let Some(inner) = &self.inner else {
            return Ok(HistoryPage::default());
        };
        let before = before.map(|id| i64::try_from(id).unwrap_or(i64::MAX));
        let page = inner
            .store
            .page(ns.key(), room, before, limit)
            .await
            .map_err(|error| {
                tracing::error!(%error, room, "chat history not readable");
                Refusal::HistoryUnavailable
            })?;
        Ok(HistoryPage {
            messages: page.messages.into_iter().map(wire).collect(),
            more: page.more,
        })
    }

    /// The newest page for someone joining: on a failing store the join
    /// still succeeds, with no history (the room keeps working live).
    pub async fn recent(&self, ns: Namespace, room: &str) -> HistoryPage {
        self.page(ns, room, None, DEFAULT_PAGE)
            .await
            .unwrap_or_default()
    }

    /// Stops the background tasks.
    pub fn stop(&self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// A message on its way into the history.
#[derive(Debug)]
pub struct Queued(Option<Receipt>);

impl Queued {
    /// Resolves once the message is committed: `Some` with its id, `None`
    /// when history is off.
    pub async fn committed(self) -> Result<Option<StoredMessage>, WriteError> {
        match self.0 {
            Some(receipt) => receipt.stored().await.map(Some),
            None => Ok(None),
        }
    }
}

fn wire(message: StoredMessage) -> HistoryMessage {
    HistoryMessage {
        id: u64::try_from(message.id).unwrap_or_default(),
        from: Author {
            id: message.author_id,
            name: message.author_name,
        },
        text: message.text,
        ts: u64::try_from(message.ts).unwrap_or_default(),
    }
}
