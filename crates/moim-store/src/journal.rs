//! [`Journal`]: group commit in front of the [`Store`].
//!
//! A commit costs one disk sync (SQLite) or one network round trip plus a
//! WAL flush (PostgreSQL), whatever the number of rows in it. So writers do
//! not commit one by one: each hands its message to the journal's task and
//! waits. The task takes everything queued at that moment, writes it in one
//! transaction, then answers every writer at once. While it commits, new
//! messages queue up and form the next batch, so under load batches grow by
//! themselves and throughput stays close to the unstored rate; when idle, a
//! lone message is written at once (no timer, no added delay).
//!
//! A writer is answered only after its message is committed: an answered
//! message survives a `kill -9`. A failed batch answers every writer in it
//! with the error and is logged once; the next batch tries again, so the
//! journal recovers by itself when the database comes back.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::backend::{Store, StoreError};
use crate::message::{NewMessage, StoredMessage};

/// Most messages in one transaction; more wait for the next one.
const MAX_BATCH: usize = 1024;

/// Messages waiting to be taken by the task; a full queue makes writers wait
/// (back pressure) instead of growing without bound.
const QUEUE: usize = 16 * 1024;

/// Why a message was not stored.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WriteError {
    /// The database failed; the detail is logged once per batch.
    #[error("the message store failed: {0}")]
    Failed(Arc<StoreError>),
    /// The journal has stopped (the server is shutting down).
    #[error("the message store is closed")]
    Closed,
}

struct Pending {
    message: NewMessage,
    done: oneshot::Sender<Result<StoredMessage, WriteError>>,
}

/// The handle writers use; cheap to clone.
#[derive(Debug, Clone)]
pub struct Journal {
    queue: mpsc::Sender<Pending>,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("message", &self.message)
            .finish()
    }
}

impl Journal {
    /// Starts the writer task on `store`. It ends once every `Journal` handle
    /// is dropped and the queue is drained.
    pub fn start(store: Store) -> (Journal, JoinHandle<()>) {
        let (queue, rx) = mpsc::channel(QUEUE);
        let task = tokio::spawn(run(store, rx));
        (Journal { queue }, task)
    }

    /// Queues `message` and resolves once it is committed, with its id.
    pub async fn append(&self, message: NewMessage) -> Result<StoredMessage, WriteError> {
        self.enqueue(message).await?.stored().await
    }

    /// Queues `message`; resolves as soon as it is in the queue (waiting only
    /// when the queue is full), with a [`Receipt`] to wait for the commit on.
    ///
    /// Messages are stored in the order they were queued. A writer that must
    /// keep its messages in order queues them one after the other, and may
    /// wait for the commits afterwards, all at once: that is what lets one
    /// sender's messages share a batch.
    pub async fn enqueue(&self, message: NewMessage) -> Result<Receipt, WriteError> {
        let (done, answer) = oneshot::channel();
        self.queue
            .send(Pending { message, done })
            .await
            .map_err(|_| WriteError::Closed)?;
        Ok(Receipt(answer))
    }
}

/// A queued message; [`Receipt::stored`] waits for its commit.
#[derive(Debug)]
pub struct Receipt(oneshot::Receiver<Result<StoredMessage, WriteError>>);

impl Receipt {
    /// Resolves once the message is committed (with its id), or failed.
    pub async fn stored(self) -> Result<StoredMessage, WriteError> {
        self.0.await.map_err(|_| WriteError::Closed)?
    }
}

async fn run(store: Store, mut rx: mpsc::Receiver<Pending>) {
    let mut pending = Vec::with_capacity(MAX_BATCH);
    // Waits for at least one message, then takes all that are queued.
    while rx.recv_many(&mut pending, MAX_BATCH).await > 0 {
        let (messages, answers): (Vec<NewMessage>, Vec<_>) =
            pending.drain(..).map(|p| (p.message, p.done)).unzip();
        match store.append(&messages).await {
            Ok(ids) => {
                for ((id, message), done) in ids.into_iter().zip(messages).zip(answers) {
                    // A writer that stopped waiting (its socket closed) is fine.
                    done.send(Ok(StoredMessage::new(id, message))).ok();
                }
            }
            Err(error) => {
                tracing::error!(backend = store.backend(), batch = answers.len(), %error, "chat messages not stored");
                let error = WriteError::Failed(Arc::new(error));
                for done in answers {
                    done.send(Err(error.clone())).ok();
                }
            }
        }
    }
}
