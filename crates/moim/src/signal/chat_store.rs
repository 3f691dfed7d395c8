//! The step both namespaces' chat share (`/`'s `new_message`, `/moim`'s
//! `chat`): store the message, then deliver it, in the sender's order.
//!
//! The event's turn is held only until the message is queued for storage, so
//! the sender's next message can join the same group commit; a delivery
//! ticket drawn while the turn was held keeps the messages in order between
//! their commit and their delivery.

use moim_proto::Author;
use moim_store::{StoredMessage, WriteError};
use socketioxide::adapter::Adapter;

use super::order::Turn;
use super::request::Request;
use crate::namespace::Namespace;

/// A message the history has answered for, and the sender's delivery turn:
/// deliver it while this is held.
pub struct Stored {
    /// `Some` with its id once committed, `None` when history is off, the
    /// error when the store failed (the room still gets the message).
    pub result: Result<Option<StoredMessage>, WriteError>,
    _delivery: Turn,
}

/// Queues `text` by `author` for `room` of `ns`, lets the event's `turn` go,
/// waits for the commit and then for the sender's earlier messages to be
/// delivered.
pub async fn store<A: Adapter>(
    req: &Request<A>,
    turn: Option<Turn>,
    ns: Namespace,
    room: &str,
    author: &Author,
    text: &str,
    ts: u64,
) -> Stored {
    let delivery = req.client.delivery().next_in_line();
    let queued = req.hub.history.enqueue(ns, room, author, text, ts).await;
    drop(turn);
    let result = match queued {
        Ok(queued) => queued.committed().await,
        Err(error) => Err(error),
    };
    Stored {
        result,
        _delivery: delivery.turn().await,
    }
}
