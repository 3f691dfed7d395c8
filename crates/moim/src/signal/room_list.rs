//! The public room list, pushed to every socket of a namespace — coalesced.
//!
//! The course server sends the whole list to every socket on every join: n joins
//! cost n² packets. moim sends it at most once per window (100 ms by default):
//! a change wakes the task, which sends the current list at once, then sleeps for
//! the window. Changes during the sleep leave one pending wake-up, so the last
//! state is always sent, and a storm of joins costs one broadcast per window.
//!
//! The course's `room_change` names at most [`limits::ROOM_LIST`] rooms, so that
//! no one can make every client download and draw an endless list.

use std::cmp::Reverse;
use std::sync::Arc;
use std::time::Duration;

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use tokio::task::JoinHandle;

use super::{Hub, broadcast, members};
use crate::cluster::Ns;
use crate::rooms::RoomSummary;
use crate::validate::limits;

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

    /// The event's single argument, from the list in creation order.
    pub fn render(self, rooms: &[RoomSummary]) -> serde_json::Value {
        match self {
            ListFormat::Course => course_names(rooms, limits::ROOM_LIST).into(),
            ListFormat::Moim => serde_json::to_value(rooms).unwrap_or_default(),
        }
    }
}

/// At most `max` names for `room_change`, in creation order. Over `max`, the
/// fullest rooms are kept (ties: the oldest): a room people are gathering in
/// stays listed, however many one-person rooms others open, and the list does
/// not reshuffle with every new room.
fn course_names(rooms: &[RoomSummary], max: usize) -> Vec<&str> {
    if rooms.len() <= max {
        return rooms.iter().map(|r| &*r.name).collect();
    }
    let mut kept: Vec<usize> = (0..rooms.len()).collect();
    kept.sort_by_key(|&i| (Reverse(rooms[i].count), i));
    kept.truncate(max);
    kept.sort_unstable();
    kept.into_iter().map(|i| &*rooms[i].name).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(rooms: &[(&str, usize)]) -> Vec<RoomSummary> {
        rooms
            .iter()
            .map(|(name, count)| RoomSummary {
                name: (*name).into(),
                count: *count,
            })
            .collect()
    }

    #[test]
    fn a_short_list_is_sent_whole_in_creation_order() {
        let rooms = summary(&[("b", 1), ("a", 3), ("c", 2)]);
        assert_eq!(course_names(&rooms, 3), ["b", "a", "c"]);
    }

    #[test]
    fn a_long_list_keeps_the_fullest_rooms_then_the_oldest() {
        let rooms = summary(&[
            ("old", 1),
            ("busy", 4),
            ("older?", 1),
            ("pair", 2),
            ("new", 1),
        ]);
        assert_eq!(course_names(&rooms, 3), ["old", "busy", "pair"]);
    }

    #[test]
    fn room_change_carries_at_most_the_limit() {
        let names: Vec<String> = (0..500).map(|i| format!("r{i}")).collect();
        let rooms: Vec<RoomSummary> = names
            .iter()
            .map(|n| RoomSummary {
                name: n.as_str().into(),
                count: 1,
            })
            .collect();
        let list = ListFormat::Course.render(&rooms);
        assert_eq!(list.as_array().map(Vec::len), Some(limits::ROOM_LIST));
        assert_eq!(list[0], "r0");
        // `/moim`'s list is not cut.
        let moim = ListFormat::Moim.render(&rooms);
        assert_eq!(moim.as_array().map(Vec::len), Some(500));
    }
}
