//! The room model: who is in which room, under which name.
//!
//! One `Rooms` exists per namespace. It is the source of truth for counts and
//! names (socketioxide's adapter only knows socket ids, and in a cluster not even
//! the sockets of other nodes), and it is plain synchronous code so the rules are
//! unit-tested without a server. A std `Mutex` is right here: every operation is
//! a few hash-map steps and never awaits while holding the lock.
//!
//! Every change that alters the public room list wakes `changed`, which the
//! room-list broadcaster (`signal::room_list`) waits on.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use moim_proto::Role;
use serde::Serialize;
use socketioxide::socket::Sid;
use tokio::sync::Notify;

/// Identifies a member. In meetings it is the participant's own random id
/// (`signal::client`), never the socket's id, which is a bearer token; in the
/// course's rooms, where no id is ever shown, it is the socket's id.
pub type MemberId = Sid;

/// A member of a room as others see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The member's id (see [`MemberId`]).
    pub id: MemberId,
    /// The member's display name.
    pub name: Arc<str>,
    /// Microphone on (meetings only).
    pub audio: bool,
    /// Camera on (meetings only).
    pub video: bool,
    /// Sharing a screen (meetings only).
    pub screen: bool,
    /// The room's membership sequence number right after this member joined:
    /// of two members, the one who joined first has the smaller number.
    /// Set by [`Rooms::join`]; whatever the caller puts here is ignored.
    pub joined: u64,
    /// Host, co-host or guest (meetings only).
    pub role: Role,
    /// When they raised their hand (ms since the Unix epoch), if it is up.
    pub hand: Option<u64>,
    /// A host muted them and they may not unmute themselves.
    pub audio_locked: bool,
    /// Their browser key's hash (meetings only; never shown to anyone):
    /// what a host's action on them is kept by.
    pub key: Arc<str>,
}

impl Member {
    /// A member known only by name (the course's rooms have no media state).
    pub fn named(id: MemberId, name: &str) -> Self {
        Member {
            id,
            name: name.into(),
            audio: false,
            video: false,
            screen: false,
            joined: 0,
            role: Role::Guest,
            hand: None,
            audio_locked: false,
            key: "".into(),
        }
    }
}

/// One entry of the public room list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomSummary {
    /// The room's name.
    pub name: Arc<str>,
    /// How many members it has.
    pub count: usize,
}

/// The result of a join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// Members after the join, the joiner included.
    pub count: usize,
    /// The other members, in the order they joined.
    pub others: Vec<Member>,
    /// The member as the room now holds it (with its `joined` number).
    pub you: Member,
    /// `false` when the member was already in the room (the join changed nothing).
    pub is_new: bool,
    /// The room's membership sequence number after the join (see [`Left::seq`]).
    pub seq: u64,
}

/// The result of a leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    /// The room left.
    pub room: Arc<str>,
    /// Who left, with the name they had.
    pub member: Member,
    /// Members remaining.
    pub count: usize,
    /// The room's membership sequence number after the leave. It grows by one
    /// with every join and leave, so a client that got a snapshot at `seq` knows
    /// which later events it has already seen.
    pub seq: u64,
}

/// Why a join was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// The room has reached its size limit.
    #[error("the room is full")]
    Full,
}

#[derive(Debug)]
struct Room {
    /// When the room was created, to keep the list in creation order like socket.io's.
    created: u64,
    /// Members in join order; rooms are small, so a vector beats a map.
    members: Vec<Member>,
    /// Membership changes so far.
    seq: u64,
}

#[derive(Debug, Default)]
struct State {
    rooms: HashMap<Arc<str>, Room>,
    by_member: HashMap<MemberId, Vec<Arc<str>>>,
    next_room: u64,
}

/// The rooms of one namespace.
#[derive(Debug)]
pub struct Rooms {
    state: Mutex<State>,
    max_size: usize,
    changed: Arc<Notify>,
}

impl Rooms {
    /// Rooms of at most `max_size` members each.
    pub fn new(max_size: usize) -> Self {
        Self {
            state: Mutex::default(),
            max_size,
            changed: Arc::new(Notify::new()),
        }
    }

    /// The most members one room may have.
    pub fn max_size(&self) -> usize {
        self.max_size
    }

    /// Woken whenever the public room list changes.
    pub fn changed(&self) -> Arc<Notify> {
        self.changed.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock means a panic mid-update elsewhere; the maps are still
        // structurally valid (every update is a single insert or remove), so go on.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds `member` to `room`. Joining a room one is already in only updates
    /// the member's name and state.
    pub fn join(&self, room: &str, mut member: Member) -> Result<Joined, JoinError> {
        let mut guard = self.lock();
        let state = &mut *guard;
        let id = member.id;
        if let Some(existing) = state.rooms.get_mut(room) {
            if let Some(current) = existing.members.iter_mut().find(|m| m.id == id) {
                member.joined = current.joined;
                *current = member.clone();
                let others = existing
                    .members
                    .iter()
                    .filter(|m| m.id != id)
                    .cloned()
                    .collect();
                let (count, seq) = (existing.members.len(), existing.seq);
                return Ok(Joined {
                    count,
                    others,
                    you: member,
                    is_new: false,
                    seq,
                });
            }
            if existing.members.len() >= self.max_size {
                return Err(JoinError::Full);
            }
        }
        let key: Arc<str> = match state.rooms.get_key_value(room) {
            Some((key, _)) => key.clone(),
            None => room.into(),
        };
        let created = state.next_room;
        let entry = state.rooms.entry(key.clone()).or_insert_with(|| Room {
            created,
            members: Vec::new(),
            seq: 0,
        });
        if entry.created == created {
            state.next_room += 1;
        }
        let others = entry.members.clone();
        entry.seq += 1;
        member.joined = entry.seq;
        entry.members.push(member.clone());
        let (count, seq) = (entry.members.len(), entry.seq);
        state.by_member.entry(id).or_default().push(key);
        drop(guard);
        self.changed.notify_one();
        Ok(Joined {
            count,
            others,
            you: member,
            is_new: true,
            seq,
        })
    }

    /// Removes `id` from `room`; `None` if it was not there.
    pub fn leave(&self, room: &str, id: MemberId) -> Option<Left> {
        let mut state = self.lock();
        let left = remove(&mut state, room, id)?;
        if let Some(rooms) = state.by_member.get_mut(&id) {
            rooms.retain(|r| **r != *room);
            if rooms.is_empty() {
                state.by_member.remove(&id);
            }
        }
        drop(state);
        self.changed.notify_one();
        Some(left)
    }

    /// Removes `id` from every room it is in.
    pub fn leave_all(&self, id: MemberId) -> Vec<Left> {
        let mut state = self.lock();
        let Some(rooms) = state.by_member.remove(&id) else {
            return Vec::new();
        };
        let left: Vec<Left> = rooms
            .iter()
            .filter_map(|room| remove(&mut state, room, id))
            .collect();
        drop(state);
        if !left.is_empty() {
            self.changed.notify_one();
        }
        left
    }

    /// Renames `id` in every room it is in.
    pub fn rename(&self, id: MemberId, name: &str) {
        let mut state = self.lock();
        let state = &mut *state;
        let Some(rooms) = state.by_member.get(&id) else {
            return;
        };
        let name: Arc<str> = name.into();
        for room in rooms {
            if let Some(member) = state
                .rooms
                .get_mut(room)
                .and_then(|r| r.members.iter_mut().find(|m| m.id == id))
            {
                member.name = name.clone();
            }
        }
    }

    /// Changes `id`'s entry in `room` and returns it as it is now.
    pub fn update(
        &self,
        room: &str,
        id: MemberId,
        change: impl FnOnce(&mut Member),
    ) -> Option<Member> {
        let mut state = self.lock();
        let member = state
            .rooms
            .get_mut(room)?
            .members
            .iter_mut()
            .find(|m| m.id == id)?;
        change(member);
        Some(member.clone())
    }

    /// Whether `id` is in `room`.
    pub fn is_member(&self, room: &str, id: MemberId) -> bool {
        self.lock()
            .by_member
            .get(&id)
            .is_some_and(|rooms| rooms.iter().any(|r| **r == *room))
    }

    /// The rooms `id` is in, in the order it joined them.
    pub fn rooms_of(&self, id: MemberId) -> Vec<Arc<str>> {
        self.lock().by_member.get(&id).cloned().unwrap_or_default()
    }

    /// How many members `room` has (0 for a room that does not exist).
    pub fn count(&self, room: &str) -> usize {
        self.lock().rooms.get(room).map_or(0, |r| r.members.len())
    }

    /// The member `id` of `room`, if it is there.
    pub fn member(&self, room: &str, id: MemberId) -> Option<Member> {
        self.lock()
            .rooms
            .get(room)
            .and_then(|r| r.members.iter().find(|m| m.id == id).cloned())
    }

    /// The members of `room`, in join order.
    pub fn members(&self, room: &str) -> Vec<Member> {
        self.lock()
            .rooms
            .get(room)
            .map(|r| r.members.clone())
            .unwrap_or_default()
    }

    /// The members of `room` other than `id`, in join order.
    pub fn others(&self, room: &str, id: MemberId) -> Vec<Member> {
        self.lock().rooms.get(room).map_or_else(Vec::new, |r| {
            r.members.iter().filter(|m| m.id != id).cloned().collect()
        })
    }

    /// Every room with its members (in join order), rooms in creation order:
    /// what the operator page shows.
    pub fn list(&self) -> Vec<(Arc<str>, Vec<Member>)> {
        let state = self.lock();
        let mut rooms: Vec<(u64, Arc<str>, Vec<Member>)> = state
            .rooms
            .iter()
            .map(|(name, room)| (room.created, name.clone(), room.members.clone()))
            .collect();
        drop(state);
        rooms.sort_unstable_by_key(|(created, _, _)| *created);
        rooms
            .into_iter()
            .map(|(_, name, members)| (name, members))
            .collect()
    }

    /// The public room list, in creation order.
    pub fn summary(&self) -> Vec<RoomSummary> {
        let state = self.lock();
        let mut rooms: Vec<(u64, RoomSummary)> = state
            .rooms
            .iter()
            .map(|(name, room)| {
                (
                    room.created,
                    RoomSummary {
                        name: name.clone(),
                        count: room.members.len(),
                    },
                )
            })
            .collect();
        drop(state);
        rooms.sort_unstable_by_key(|(created, _)| *created);
        rooms.into_iter().map(|(_, summary)| summary).collect()
    }
}

/// Takes `id` out of `room`'s member list, dropping the room when it empties.
fn remove(state: &mut State, room: &str, id: MemberId) -> Option<Left> {
    let (key, entry) = state.rooms.get_key_value(room)?;
    let key = key.clone();
    let position = entry.members.iter().position(|m| m.id == id)?;
    // Invariant: `get_key_value` just found this key and the lock is held.
    let entry = state.rooms.get_mut(room).expect("room present under lock");
    let member = entry.members.remove(position);
    entry.seq += 1;
    let (count, seq) = (entry.members.len(), entry.seq);
    if count == 0 {
        state.rooms.remove(room);
    }
    Some(Left {
        room: key,
        member,
        count,
        seq,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(summary: &[RoomSummary]) -> Vec<(&str, usize)> {
        summary.iter().map(|s| (&*s.name, s.count)).collect()
    }

    #[test]
    fn join_counts_and_lists_the_others() {
        let rooms = Rooms::new(10);
        let (a, b) = (Sid::new(), Sid::new());
        let first = rooms.join("lobby", Member::named(a, "Mina")).unwrap();
        assert_eq!(
            (first.count, first.others.len(), first.is_new),
            (1, 0, true)
        );
        let second = rooms.join("lobby", Member::named(b, "Jun")).unwrap();
        assert_eq!((second.count, second.seq), (2, 2));
        let mina = Member {
            joined: 1,
            ..Member::named(a, "Mina")
        };
        assert_eq!(second.others, vec![mina]);
        // The order of joining is in the members: Mina first, Jun second.
        assert_eq!((first.you.joined, second.you.joined), (1, 2));
        assert!(rooms.is_member("lobby", a) && rooms.is_member("lobby", b));
        assert!(!rooms.is_member("other", a));
    }

    #[test]
    fn joining_twice_changes_nothing_but_the_name() {
        let rooms = Rooms::new(10);
        let a = Sid::new();
        rooms.join("lobby", Member::named(a, "Mina")).unwrap();
        let again = rooms.join("lobby", Member::named(a, "Mina K")).unwrap();
        assert_eq!((again.count, again.is_new), (1, false));
        assert_eq!(&*rooms.member("lobby", a).unwrap().name, "Mina K");
        // Still the first to have joined.
        assert_eq!(again.you.joined, 1);
    }

    #[test]
    fn full_rooms_refuse_newcomers() {
        let rooms = Rooms::new(2);
        rooms.join("r", Member::named(Sid::new(), "a")).unwrap();
        rooms.join("r", Member::named(Sid::new(), "b")).unwrap();
        assert_eq!(
            rooms.join("r", Member::named(Sid::new(), "c")).unwrap_err(),
            JoinError::Full
        );
        assert_eq!(names(&rooms.summary()), vec![("r", 2)]);
    }

    #[test]
    fn leaving_reports_the_remaining_count_and_drops_empty_rooms() {
        let rooms = Rooms::new(10);
        let (a, b) = (Sid::new(), Sid::new());
        rooms.join("r", Member::named(a, "a")).unwrap();
        rooms.join("r", Member::named(b, "b")).unwrap();
        let left = rooms.leave("r", a).unwrap();
        assert_eq!(
            (&*left.room, &*left.member.name, left.count, left.seq),
            ("r", "a", 1, 3)
        );
        assert!(rooms.leave("r", a).is_none(), "leaving twice is a no-op");
        rooms.leave("r", b).unwrap();
        assert!(rooms.summary().is_empty());
    }

    #[test]
    fn leave_all_reports_every_room() {
        let rooms = Rooms::new(10);
        let (a, b) = (Sid::new(), Sid::new());
        rooms.join("one", Member::named(a, "a")).unwrap();
        rooms.join("two", Member::named(a, "a")).unwrap();
        rooms.join("two", Member::named(b, "b")).unwrap();
        let left = rooms.leave_all(a);
        let got: Vec<(&str, usize)> = left.iter().map(|l| (&*l.room, l.count)).collect();
        assert_eq!(got, vec![("one", 0), ("two", 1)]);
        assert_eq!(names(&rooms.summary()), vec![("two", 1)]);
        assert!(rooms.leave_all(a).is_empty());
    }

    #[test]
    fn update_changes_one_member_in_place() {
        let rooms = Rooms::new(10);
        let a = Sid::new();
        rooms.join("r", Member::named(a, "Mina")).unwrap();
        let updated = rooms.update("r", a, |m| m.audio = true).unwrap();
        assert!(updated.audio && !updated.video);
        assert_eq!(rooms.member("r", a), Some(updated));
        assert!(rooms.update("other", a, |m| m.audio = false).is_none());
    }

    #[test]
    fn rename_reaches_every_room() {
        let rooms = Rooms::new(10);
        let a = Sid::new();
        rooms.join("one", Member::named(a, "Anon")).unwrap();
        rooms.join("two", Member::named(a, "Anon")).unwrap();
        rooms.rename(a, "Mina");
        assert_eq!(&*rooms.member("one", a).unwrap().name, "Mina");
        assert_eq!(&*rooms.member("two", a).unwrap().name, "Mina");
    }

    #[test]
    fn summary_keeps_creation_order() {
        let rooms = Rooms::new(10);
        for name in ["zeta", "alpha", "mid"] {
            rooms.join(name, Member::named(Sid::new(), "x")).unwrap();
        }
        let extra = Sid::new();
        rooms.join("alpha", Member::named(extra, "y")).unwrap();
        assert_eq!(
            names(&rooms.summary()),
            vec![("zeta", 1), ("alpha", 2), ("mid", 1)]
        );
        assert_eq!(rooms.rooms_of(extra).len(), 1);
    }

    #[tokio::test]
    async fn changes_wake_the_listener() {
        let rooms = Rooms::new(10);
        let changed = rooms.changed();
        rooms.join("r", Member::named(Sid::new(), "a")).unwrap();
        tokio::time::timeout(std::time::Duration::from_secs(1), changed.notified())
            .await
            .expect("a join notifies");
    }
}
