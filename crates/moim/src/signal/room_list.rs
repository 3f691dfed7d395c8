//! The public room list, pushed to every socket of a namespace — coalesced.
//!
//! The course server sends the whole list to every socket on every join: n joins
//! cost n² packets. moim sends it at most once per window (100 ms by default):
//! a change wakes the task, which sends the current list at once, then sleeps for
//! the window. Changes during the sleep leave one pending wake-up, so the last
//! state is always sent, and a storm of joins costs one broadcast per window.
//!
//! What the list looks like in each namespace (the course's `room_change` is
//! cut at [`crate::validate::limits::ROOM_LIST`] names) is
//! [`Namespace::render_room_list`].

use std::sync::Arc;
use std::time::Duration;

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use tokio::task::JoinHandle;

use super::broadcast;
use crate::hub::Hub;
use crate::namespace::Namespace;

/// Starts the broadcaster of `namespace`'s room list. Abort the handle to stop it.
///
/// In cluster mode the list is the cluster's, and it goes to the sockets of
/// every node: whichever node sees a change tells everyone. Two nodes that
/// change the list at once may read it in one order and deliver it in the
/// other, leaving everyone with the older list; so after its window a node
/// reads the list again and sends it once more if it is not what it sent.
pub fn spawn<A: Adapter>(
    io: SocketIo<A>,
    hub: Arc<Hub>,
    ns: Namespace,
    window: Duration,
) -> JoinHandle<()> {
    let changed = hub.rooms(ns).changed();
    tokio::spawn(async move {
        loop {
            changed.notified().await;
            let sent = hub.room_list(ns).await;
            broadcast::emit_in(&io, ns.path(), None, ns.room_list_event(), &sent).await;
            tokio::time::sleep(window).await;
            if hub.cluster.is_some() {
                let now = hub.room_list(ns).await;
                if now != sent {
                    broadcast::emit_in(&io, ns.path(), None, ns.room_list_event(), &now).await;
                }
            }
        }
    })
}
