//! Per-socket ordering of event handlers.
//!
//! socketioxide runs every incoming event in a task of its own, so two events
//! from one socket can be handled in either order: an `offer` overtaken by its
//! own `ice` candidates, a message sent under the nickname set just after it, or
//! a disconnect handled before the join that preceded it (leaving a ghost in the
//! room). Socket.IO's own servers keep each socket's events in order; moim does
//! too.
//!
//! Extractors run synchronously, in arrival order, before the task is spawned.
//! [`InOrder`] uses that moment to draw a ticket; the handler then waits for
//! its [`Turn`], and dropping the turn lets the next ticket through.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use socketioxide::adapter::Adapter;
use socketioxide::handler::{FromDisconnectParts, FromMessageParts, Value};
use socketioxide::socket::{DisconnectReason, Socket};
use tokio::sync::watch;

/// Tickets and the counter of tickets served, for one socket.
#[derive(Debug)]
pub struct Sequencer {
    next: AtomicU64,
    served: watch::Sender<u64>,
}

impl Default for Sequencer {
    fn default() -> Self {
        Self {
            next: AtomicU64::new(0),
            served: watch::Sender::new(0),
        }
    }
}

impl Sequencer {
    fn ticket(self: &Arc<Self>) -> (u64, Arc<Sequencer>) {
        (self.next.fetch_add(1, Ordering::Relaxed), self.clone())
    }

    async fn wait(&self, ticket: u64) {
        let mut served = self.served.subscribe();
        // `wait_for` only fails if the sender is gone, and `self` owns it.
        served.wait_for(|&served| served >= ticket).await.ok();
    }

    fn advance(&self) {
        self.served.send_modify(|served| *served += 1);
    }

    /// Draws a ticket now, for a later stage that must keep the order in
    /// which tickets were drawn (e.g. sending chat once it is stored).
    pub fn next_in_line(self: &Arc<Self>) -> InOrder {
        InOrder(Some(self.ticket()))
    }
}

/// A ticket drawn when the event arrived. Redeem it with [`InOrder::turn`].
#[derive(Debug)]
pub struct InOrder(Option<(u64, Arc<Sequencer>)>);

impl InOrder {
    fn draw<A: Adapter>(socket: &Socket<A>) -> Self {
        InOrder(
            socket
                .extensions
                .get::<Arc<Sequencer>>()
                .map(|sequencer| sequencer.ticket()),
        )
    }

    /// Waits until every earlier event of this socket has been handled.
    pub async fn turn(mut self) -> Turn {
        match self.0.take() {
            Some((ticket, sequencer)) => {
                sequencer.wait(ticket).await;
                Turn(Some(sequencer))
            }
            None => Turn(None),
        }
    }
}

impl Drop for InOrder {
    /// A ticket dropped unredeemed (its handler never ran) must still be
    /// passed, or every later event of the socket would wait forever.
    fn drop(&mut self) {
        if let Some((ticket, sequencer)) = self.0.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                sequencer.wait(ticket).await;
                sequencer.advance();
            });
        }
    }
}

/// This socket's turn; the next event's handler runs once it is dropped.
#[derive(Debug)]
pub struct Turn(Option<Arc<Sequencer>>);

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(sequencer) = self.0.take() {
            sequencer.advance();
        }
    }
}

impl<A: Adapter> FromMessageParts<A> for InOrder {
    type Error = Infallible;
    fn from_message_parts(
        s: &Arc<Socket<A>>,
        _: &mut Value,
        _: &Option<i64>,
    ) -> Result<Self, Infallible> {
        Ok(InOrder::draw(s))
    }
}

impl<A: Adapter> FromDisconnectParts<A> for InOrder {
    type Error = Infallible;
    fn from_disconnect_parts(s: &Arc<Socket<A>>, _: DisconnectReason) -> Result<Self, Infallible> {
        Ok(InOrder::draw(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn turns_follow_ticket_order_whatever_the_task_order() {
        let sequencer = Arc::new(Sequencer::default());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let tickets: Vec<InOrder> = (0..50).map(|_| InOrder(Some(sequencer.ticket()))).collect();
        // Spawn in reverse: the scheduler would run the last ticket first.
        let tasks: Vec<_> = tickets
            .into_iter()
            .enumerate()
            .rev()
            .map(|(i, ticket)| {
                let seen = seen.clone();
                tokio::spawn(async move {
                    let _turn = ticket.turn().await;
                    seen.lock().unwrap().push(i);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*seen.lock().unwrap(), (0..50).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn an_unredeemed_ticket_does_not_block_the_next() {
        let sequencer = Arc::new(Sequencer::default());
        let first = InOrder(Some(sequencer.ticket()));
        let second = InOrder(Some(sequencer.ticket()));
        drop(first);
        tokio::time::timeout(std::time::Duration::from_secs(1), second.turn())
            .await
            .expect("the second ticket gets its turn");
    }
}
