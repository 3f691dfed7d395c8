//! The public room list, pushed to every socket of a namespace — coalesced.
//!
//! The course server sends the whole list to every socket on every join: n joins
//! cost n² packets. moim sends it at most once per window (100 ms by default):
//! a change wakes the task, which sends the current list at once, then sleeps for
//! the window. Changes during the sleep leave one pending wake-up, so the last
//! state is always sent, and a storm of joins costs one broadcast per window.

use std::sync::Arc;
use std::time::Duration;

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use tokio::task::JoinHandle;

use super::{Hub, broadcast, members};
use crate::cluster::Ns;
use crate::rooms::RoomSummary;

/// How a namespace's clients want the list: its event name and its shape.
#[derive(Debug, Clone, Copy)]
pub enum ListFormat {
    /// The course's `room_change(["name", …])`.
    Course,
    /// moim's `rooms([{ name, count }, …])`.
    Moim,
}

impl ListFormat {
    /// The event name.
    pub fn event(self) -> &'static str {
        match self {
            ListFormat::Course => "room_change",
            ListFormat::Moim => "rooms",
        }
    }

    /// The event's single argument.
    pub fn render(self, rooms: &[RoomSummary]) -> serde_json::Value {
        match self {
            ListFormat::Course => rooms.iter().map(|r| &*r.name).collect::<Vec<_>>().into(),
            ListFormat::Moim => serde_json::to_value(rooms).unwrap_or_default(),
        }
    }
}

/// Starts the broadcaster of `namespace`'s room list. Abort the handle to stop it.
///
/// In cluster mode the list is the cluster's, and it goes to the sockets of
/// every node: whichever node sees a change tells everyone. Two nodes that
/// change the list at once may read it in one order and deliver it in the
/// other, leaving everyone with the older list; so after its window a node
/// reads the list again and sends it once more if it is not what it sent.
pub fn spawn<A: Adapter>(
    io: SocketIo<A>,
    namespace: &'static str,
    hub: Arc<Hub>,
    ns: Ns,
    format: ListFormat,
    window: Duration,
) -> JoinHandle<()> {
    let changed = hub.rooms(ns).changed();
    tokio::spawn(async move {
        loop {
            changed.notified().await;
            let sent = format.render(&members::summary(&hub, ns).await);
            broadcast::emit_in(&io, namespace, None, format.event(), &sent).await;
            tokio::time::sleep(window).await;
            if hub.cluster.is_some() {
                let now = format.render(&members::summary(&hub, ns).await);
                if now != sent {
                    broadcast::emit_in(&io, namespace, None, format.event(), &now).await;
                }
            }
        }
    })
}
