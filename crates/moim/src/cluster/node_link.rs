//! Requests from one node to another, answered, over Redis pub/sub (issue 20:
//! a participant's node asks the meeting's media owner for an SFU answer).
//!
//! Each node listens on `moim:node-link:{node}`. A request carries an id and
//! the asker's node; the answer goes back on the asker's channel with the same
//! id. Nothing waits for ever:
//! - `PUBLISH` says how many listened: none means the node is gone (dead, or
//!   its Redis connection down), refused at once as [`LinkError::Unreachable`];
//! - an answer that does not come within the asker's timeout is
//!   [`LinkError::Timeout`], and a late one is dropped;
//! - the answering side's own refusal comes back typed
//!   ([`LinkError::Refused`] with its code).
//!
//! Bounded on both sides: at most [`MAX_PENDING`] requests of this node wait
//! for answers, at most [`MAX_HANDLING`] of others' are handled at once (more
//! are refused `busy`), and at most [`QUEUE`] messages wait unread.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::AsyncCommands;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{Semaphore, oneshot};
use tokio::task::JoinHandle;

use super::driver::ManagedDriver;

/// Requests of this node waiting for their answers, at most.
pub const MAX_PENDING: usize = 1024;
/// Others' requests handled at once, at most.
pub const MAX_HANDLING: usize = 256;
/// Messages waiting to be read, at most (the rest are dropped and logged).
const QUEUE: usize = 1024;

/// The channel node `node` listens on.
pub fn channel(node: &str) -> String {
    format!("moim:node-link:{node}")
}

/// What a node answers a request with: a value, or a refusal's code.
pub type Answer = Result<Value, String>;

/// Answers the requests of other nodes: `(from node, body)`.
pub type Handler =
    Arc<dyn Fn(String, Value) -> Pin<Box<dyn Future<Output = Answer> + Send>> + Send + Sync>;

/// Why a request got no answer.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LinkError {
    /// Nobody listens on the node's channel: it is gone.
    #[error("node {0} is unreachable")]
    Unreachable(String),
    /// No answer in time.
    #[error("node {0} did not answer in time")]
    Timeout(String),
    /// The node answered with a refusal (its code).
    #[error("refused: {0}")]
    Refused(String),
    /// Too many requests of this node wait already.
    #[error("too many requests in flight")]
    Busy,
    /// Redis could not be asked.
    #[error("redis: {0}")]
    Redis(String),
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "lowercase")]
enum Message {
    Req {
        id: u64,
        from: String,
        body: Value,
    },
    Rep {
        id: u64,
        ok: Option<Value>,
        err: Option<String>,
    },
}

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Answer>>>>;

/// This node's end of the links to the others (clones share it).
#[derive(Clone)]
pub struct NodeLink {
    driver: ManagedDriver,
    node: Arc<str>,
    pending: Pending,
    next: Arc<AtomicU64>,
}

impl std::fmt::Debug for NodeLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeLink")
            .field("node", &self.node)
            .finish()
    }
}

impl NodeLink {
    /// Listens as `node`, others' requests answered by `handler`. The task
    /// returned reads the channel; abort it to stop.
    pub async fn start(
        driver: ManagedDriver,
        node: Arc<str>,
        handler: Handler,
    ) -> redis::RedisResult<(NodeLink, JoinHandle<()>)> {
        let mut inbox = driver.listen(&channel(&node), QUEUE).await?;
        let link = NodeLink {
            driver,
            node,
            pending: Arc::default(),
            next: Arc::new(AtomicU64::new(1)),
        };
        let reader = link.clone();
        let slots = Arc::new(Semaphore::new(MAX_HANDLING));
        let task = tokio::spawn(async move {
            while let Some((_, payload)) = inbox.recv().await {
                match serde_json::from_slice::<Message>(&payload) {
                    Ok(Message::Req { id, from, body }) => {
                        let Ok(slot) = slots.clone().try_acquire_owned() else {
                            reader.reply(&from, id, Err("busy".to_owned())).await;
                            continue;
                        };
                        let (reader, handler) = (reader.clone(), handler.clone());
                        tokio::spawn(async move {
                            let answer = handler(from.clone(), body).await;
                            reader.reply(&from, id, answer).await;
                            drop(slot);
                        });
                    }
                    Ok(Message::Rep { id, ok, err }) => {
                        let waiting = reader.pending().remove(&id);
                        if let Some(tx) = waiting {
                            let answer = match (ok, err) {
                                (_, Some(code)) => Err(code),
                                (Some(v), None) => Ok(v),
                                (None, None) => Ok(Value::Null),
                            };
                            // The asker may have given up (timeout).
                            tx.send(answer).ok();
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "unreadable node-link message"),
                }
            }
        });
        Ok((link, task))
    }

    /// This node's id.
    pub fn node(&self) -> &str {
        &self.node
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, HashMap<u64, oneshot::Sender<Answer>>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks node `to`; its answer, or why there is none, within `timeout`.
    pub async fn request(
        &self,
        to: &str,
        body: Value,
        timeout: Duration,
    ) -> Result<Value, LinkError> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        {
            let mut pending = self.pending();
            if pending.len() >= MAX_PENDING {
                return Err(LinkError::Busy);
            }
            pending.insert(id, tx);
        }
        let message = Message::Req {
            id,
            from: self.node.to_string(),
            body,
        };
        let result = self.ask(to, &message, rx, timeout).await;
        self.pending().remove(&id);
        result
    }

    async fn ask(
        &self,
        to: &str,
        message: &Message,
        rx: oneshot::Receiver<Answer>,
        timeout: Duration,
    ) -> Result<Value, LinkError> {
        let payload = serde_json::to_vec(message).map_err(|e| LinkError::Redis(e.to_string()))?;
        let mut conn = self.driver.connection();
        let publish = conn.publish::<_, _, i64>(channel(to), payload);
        let listeners = tokio::time::timeout(timeout, publish)
            .await
            .map_err(|_| LinkError::Timeout(to.to_owned()))?
            .map_err(|e| LinkError::Redis(e.to_string()))?;
        if listeners == 0 {
            return Err(LinkError::Unreachable(to.to_owned()));
        }
        match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(Ok(value))) => Ok(value),
            Ok(Ok(Err(code))) => Err(LinkError::Refused(code)),
            // The sender went with the reader task: this node is stopping.
            Ok(Err(_)) => Err(LinkError::Unreachable(to.to_owned())),
            Err(_) => Err(LinkError::Timeout(to.to_owned())),
        }
    }

    async fn reply(&self, to: &str, id: u64, answer: Answer) {
        let (ok, err) = match answer {
            Ok(v) => (Some(v), None),
            Err(code) => (None, Some(code)),
        };
        let Ok(payload) = serde_json::to_vec(&Message::Rep { id, ok, err }) else {
            return;
        };
        if let Err(e) = self
            .driver
            .connection()
            .publish::<_, _, i64>(channel(to), payload)
            .await
        {
            tracing::warn!(error = %e, node = to, "could not answer a node-link request");
        }
    }
}
