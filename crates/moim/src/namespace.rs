//! Which namespace: the course's `/` or moim's `/moim`, with everything that
//! differs between them written once — the Socket.IO path, the key part of
//! Redis keys and stored history, the room-list event and its shape.
//!
//! A room name is only meaningful with its namespace (the same name may be a
//! course room and a meeting), so everything that keeps rooms takes one.

use std::cmp::Reverse;

use crate::rooms::RoomSummary;
use crate::validate::limits;

/// The Socket.IO Admin UI's namespace (it has no rooms of its own).
pub const ADMIN: &str = "/admin";

/// A namespace with rooms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Namespace {
    /// The course's contract on `/`.
    Course,
    /// moim's meetings on `/moim`.
    Meet,
}

impl Namespace {
    /// Both, in the order lists and metrics show them.
    pub const ALL: [Namespace; 2] = [Namespace::Course, Namespace::Meet];

    /// The Socket.IO path.
    pub const fn path(self) -> &'static str {
        match self {
            Namespace::Course => "/",
            Namespace::Meet => "/moim",
        }
    }

    /// The namespace at Socket.IO path `path`, if it has rooms.
    pub fn from_path(path: &str) -> Option<Namespace> {
        Namespace::ALL.into_iter().find(|ns| ns.path() == path)
    }

    /// The name used in Redis keys and in the stored history.
    pub const fn key(self) -> &'static str {
        match self {
            Namespace::Course => "course",
            Namespace::Meet => "meet",
        }
    }

    /// The namespace whose [`key`](Self::key) is `key`.
    pub fn from_key(key: &str) -> Option<Namespace> {
        Namespace::ALL.into_iter().find(|ns| ns.key() == key)
    }

    /// The event that carries the public room list.
    pub const fn room_list_event(self) -> &'static str {
        match self {
            Namespace::Course => "room_change",
            Namespace::Meet => "rooms",
        }
    }

    /// The room-list event's single argument, from the list in creation
    /// order: the course's `["name", …]`, moim's `[{name, count}, …]`.
    pub fn render_room_list(self, rooms: &[RoomSummary]) -> serde_json::Value {
        match self {
            Namespace::Course => course_names(rooms, limits::ROOM_LIST).into(),
            Namespace::Meet => serde_json::to_value(rooms).unwrap_or_default(),
        }
    }

    /// The index of this namespace in [`ALL`](Self::ALL).
    pub const fn index(self) -> usize {
        match self {
            Namespace::Course => 0,
            Namespace::Meet => 1,
        }
    }
}

impl std::fmt::Display for Namespace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.path())
    }
}

/// At most `max` names for `room_change`, in creation order. Over `max`, the
/// fullest rooms are kept (ties: the oldest): a room people are gathering in
/// stays listed, however many one-person rooms others open, and the list does
/// not reshuffle with every new room. The course's list is cut so that no one
/// can make every client download and draw an endless list.
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
    fn paths_and_keys_name_each_namespace_once() {
        for ns in Namespace::ALL {
            assert_eq!(Namespace::from_path(ns.path()), Some(ns));
            assert_eq!(Namespace::from_key(ns.key()), Some(ns));
            assert_eq!(Namespace::ALL[ns.index()], ns);
        }
        assert_eq!(Namespace::from_path(ADMIN), None);
        assert_eq!(Namespace::from_path("/moim/"), None);
        assert_eq!(Namespace::from_key("admin"), None);
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
        let list = Namespace::Course.render_room_list(&rooms);
        assert_eq!(list.as_array().map(Vec::len), Some(limits::ROOM_LIST));
        assert_eq!(list[0], "r0");
        // `/moim`'s list is not cut.
        let moim = Namespace::Meet.render_room_list(&rooms);
        assert_eq!(moim.as_array().map(Vec::len), Some(500));
    }
}
