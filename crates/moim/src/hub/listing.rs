//! The room list each namespace shows: every course room on `/`; on `/moim`
//! only the meetings their hosts listed, each marked full or locked.

use super::Hub;
use crate::namespace::Namespace;

impl Hub {
    /// The room list of `ns` as its `rooms` / `room_change` event carries it.
    pub async fn room_list(&self, ns: Namespace) -> serde_json::Value {
        let summary = self.summary(ns).await;
        if ns == Namespace::Course {
            return ns.render_room_list(&summary);
        }
        // Unlisted unless listed: with the settings unreadable, nothing shows.
        let listed = match &self.meetings {
            Some(meetings) => meetings.listed().await.unwrap_or_default(),
            None => Default::default(),
        };
        let max = self.rooms(ns).max_size();
        let rooms: Vec<moim_proto::RoomSummary> = summary
            .into_iter()
            .filter_map(|room| {
                let locked = *listed.get(&*room.name)?;
                Some(moim_proto::RoomSummary {
                    name: room.name.to_string(),
                    count: room.count as u32,
                    full: room.count >= max,
                    locked,
                })
            })
            .collect();
        serde_json::to_value(rooms).unwrap_or_default()
    }

    /// Sends every socket of `ns` the room list again soon (a meeting was
    /// listed, unlisted, locked or unlocked).
    pub fn room_list_changed(&self, ns: Namespace) {
        self.rooms(ns).changed().notify_one();
    }
}
