//! Which worker hosts which meeting: a meeting lives on one worker (its
//! people's media never crosses threads), and a new meeting goes to the
//! worker with the fewest sessions (then the fewest meetings, then the lowest
//! number), so meetings started together spread over the cores.

use std::collections::HashMap;

use crate::PeerId;

pub struct Placement {
    /// Sessions per worker.
    sessions: Vec<usize>,
    /// Meetings per worker.
    meetings: Vec<usize>,
    rooms: HashMap<String, Room>,
    peers: HashMap<PeerId, (usize, String)>,
}

struct Room {
    worker: usize,
    sessions: usize,
}

impl Placement {
    pub fn new(workers: usize) -> Self {
        let workers = workers.max(1);
        Self {
            sessions: vec![0; workers],
            meetings: vec![0; workers],
            rooms: HashMap::new(),
            peers: HashMap::new(),
        }
    }

    /// The worker of `peer`, placing it with its meeting `room` (and the
    /// meeting on the least-loaded worker, when it is new). A peer placed
    /// already keeps its worker.
    pub fn place(&mut self, peer: PeerId, room: &str) -> usize {
        if let Some((worker, _)) = self.peers.get(&peer) {
            return *worker;
        }
        let worker = match self.rooms.get_mut(room) {
            Some(r) => {
                r.sessions += 1;
                r.worker
            }
            None => {
                let worker = (0..self.sessions.len())
                    .min_by_key(|w| (self.sessions[*w], self.meetings[*w], *w))
                    .unwrap_or(0);
                self.meetings[worker] += 1;
                self.rooms.insert(
                    room.to_owned(),
                    Room {
                        worker,
                        sessions: 1,
                    },
                );
                worker
            }
        };
        self.sessions[worker] += 1;
        self.peers.insert(peer, (worker, room.to_owned()));
        worker
    }

    pub fn worker_of(&self, peer: PeerId) -> Option<usize> {
        self.peers.get(&peer).map(|(w, _)| *w)
    }

    /// `peer`'s session ended (left, refused, or its connection died); a
    /// meeting nobody is left in is forgotten with it.
    pub fn forget(&mut self, peer: PeerId) {
        let Some((worker, room)) = self.peers.remove(&peer) else {
            return;
        };
        self.sessions[worker] -= 1;
        if let Some(r) = self.rooms.get_mut(&room) {
            r.sessions -= 1;
            if r.sessions == 0 {
                self.rooms.remove(&room);
                self.meetings[worker] -= 1;
            }
        }
    }

    /// Sessions and meetings on each worker.
    pub fn load(&self) -> Vec<(usize, usize)> {
        self.sessions
            .iter()
            .copied()
            .zip(self.meetings.iter().copied())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_meeting_on_one_worker_and_spreads_new_meetings() {
        let mut p = Placement::new(2);
        assert_eq!(p.place(PeerId(1), "a"), 0);
        assert_eq!(p.place(PeerId(2), "a"), 0);
        assert_eq!(p.place(PeerId(3), "b"), 1);
        // "a" stays on worker 0 however loaded.
        assert_eq!(p.place(PeerId(4), "a"), 0);
        // Worker 1 has one session against three: the next meeting goes there.
        assert_eq!(p.place(PeerId(5), "c"), 1);
        assert_eq!(p.load(), vec![(3, 1), (2, 2)]);
        // Placing again changes nothing.
        assert_eq!(p.place(PeerId(5), "c"), 1);
        assert_eq!(p.worker_of(PeerId(4)), Some(0));
    }

    #[test]
    fn forgets_people_and_empty_meetings() {
        let mut p = Placement::new(2);
        p.place(PeerId(1), "a");
        p.place(PeerId(2), "b");
        p.place(PeerId(3), "b");
        p.forget(PeerId(1));
        p.forget(PeerId(1));
        assert_eq!(p.load(), vec![(0, 0), (2, 1)]);
        assert_eq!(p.worker_of(PeerId(1)), None);
        // "a" is new again: the idle worker takes it.
        assert_eq!(p.place(PeerId(4), "a"), 0);
        p.forget(PeerId(2));
        p.forget(PeerId(3));
        assert_eq!(p.load(), vec![(1, 1), (0, 0)]);
    }

    #[test]
    fn one_worker_takes_everything() {
        let mut p = Placement::new(1);
        for i in 0..5 {
            assert_eq!(p.place(PeerId(i), &format!("room{i}")), 0);
        }
        assert_eq!(p.load(), vec![(5, 5)]);
    }
}
