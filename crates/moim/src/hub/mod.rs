//! The state every signaling handler shares, below the handlers: the rooms of
//! both namespaces, the limits, the SFU, the history, the cluster's presence.
//!
//! A room's state lives here: this node's [`Rooms`] per [`Namespace`] (the
//! record of its own sockets), and in cluster mode the cluster's
//! [`Presence`] in Redis on top ([`membership`] asks both, in the one place
//! that knows how they combine). Nothing here knows Socket.IO: the handlers
//! in `signal/` decode an event, ask the hub, and send what it answers.

mod listing;
mod membership;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Instant;

use crate::admin::{AdminAuth, SocketRegistry};
use crate::cluster::Presence;
use crate::config::Config;
use crate::error::Refusal;
use crate::history::History;
use crate::ice::IceServers;
use crate::media::{MediaRoute, SfuPolicy};
use crate::meeting::Meetings;
use crate::metrics::moim::Metrics;
use crate::namespace::Namespace;
use crate::rate_limit::RateLimit;
use crate::rooms::{Member, MemberId, Rooms};
use crate::validate::limits;

/// What every handler shares.
#[derive(Debug)]
pub struct Hub {
    /// This node's rooms, by [`Namespace::index`].
    rooms: [Arc<Rooms>; 2],
    /// Per-socket event rate.
    pub rate: RateLimit,
    /// What `/moim` clients are told the limits are.
    pub limits: moim_proto::Limits,
    /// ICE servers for the browsers (TURN credentials are per participant).
    pub ice: IceServers,
    /// Room chat kept across restarts (or nothing, with `--no-history`).
    pub history: History,
    /// Every connected socket, for the Admin UI and `/metrics`.
    pub sockets: Arc<SocketRegistry>,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
    /// The admin's credentials; `None` turns `/admin` off.
    pub admin: Option<Arc<AdminAuth>>,
    /// This node's name (its host name).
    pub node: String,
    /// Cluster-wide presence (`--redis-url`); `None` on a single node.
    pub cluster: Option<Presence>,
    /// When the server started.
    pub started: Instant,
    /// Which meetings go through the SFU.
    pub policy: SfuPolicy,
    /// The SFU (this node's, or in a cluster the one hosting each
    /// meeting), unless `--sfu never`.
    pub media: Option<Arc<MediaRoute>>,
    /// Who gets into meetings; `None` only in tests of the rooms alone,
    /// and then every `/moim` join is refused (`meetings_unavailable`).
    pub meetings: Option<Arc<Meetings>>,
    /// Who may start meetings (`--meetings`).
    pub starting: crate::config::Starting,
}

/// What a hub is made of besides the options.
#[derive(Debug, Default)]
pub struct Parts {
    /// Room chat kept across restarts.
    pub history: History,
    /// ICE servers for the browsers.
    pub ice: IceServers,
    /// The admin's credentials, if `/admin` is on.
    pub admin: Option<Arc<AdminAuth>>,
    /// This node's name.
    pub node: String,
    /// Cluster-wide presence, in cluster mode.
    pub cluster: Option<Presence>,
    /// The SFU, if it runs.
    pub media: Option<Arc<MediaRoute>>,
    /// Who gets into meetings.
    pub meetings: Option<Arc<Meetings>>,
}

impl Hub {
    /// A hub for `config`: rooms sized by `--room-size` (and, without the
    /// SFU, by the mesh limit), the rate limit and the limits clients are told.
    pub fn new(config: &Config, parts: Parts) -> Hub {
        // Through the SFU a meeting may outgrow the mesh.
        let meeting_size = if parts.media.is_some() {
            config.room_size
        } else {
            config.room_size.min(config.mesh_limit)
        };
        Hub {
            rooms: [
                // The course has no room size; a bound still keeps one room
                // from growing without limit.
                Arc::new(Rooms::new(100_000)),
                Arc::new(Rooms::new(meeting_size)),
            ],
            rate: config.rate(),
            limits: moim_proto::Limits {
                name: limits::NAME as u32,
                room: limits::ROOM as u32,
                message: limits::MESSAGE as u32,
                room_size: config.room_size as u32,
                mesh_size: config.mesh_limit as u32,
                sdp: limits::SDP_BYTES as u32,
                file: limits::FILE_BYTES as u32,
            },
            ice: parts.ice,
            history: parts.history,
            sockets: Arc::new(SocketRegistry::new(parts.admin.is_some())),
            metrics: Arc::new(Metrics::default()),
            admin: parts.admin,
            node: parts.node,
            cluster: parts.cluster,
            started: Instant::now(),
            policy: SfuPolicy::from_options(&config.media),
            media: parts.media,
            meetings: parts.meetings,
            starting: config.meetings,
        }
    }

    /// This node's rooms of `ns`.
    pub fn rooms(&self, ns: Namespace) -> &Arc<Rooms> {
        &self.rooms[ns.index()]
    }

    /// This node's rooms of every namespace (for what runs beside the
    /// handlers: the cluster's heartbeat, the gauges).
    pub fn all_rooms(&self) -> Vec<(Namespace, Arc<Rooms>)> {
        Namespace::ALL
            .into_iter()
            .map(|ns| (ns, self.rooms(ns).clone()))
            .collect()
    }

    /// How media travels in a meeting of `count` people.
    pub fn mode(&self, count: usize) -> moim_proto::RoomMode {
        if self.media.is_some() {
            self.policy.mode(count)
        } else {
            moim_proto::RoomMode::Mesh
        }
    }

    /// Who gets into meetings, or `meetings_unavailable` (only in tests of
    /// the rooms alone is there none).
    pub fn gate(&self) -> Result<&Arc<Meetings>, Refusal> {
        self.meetings.as_ref().ok_or(Refusal::MeetingsUnavailable)
    }

    /// The meeting participant `id` is in and its entry there, or `not_in_room`.
    pub fn current_meeting(&self, id: MemberId) -> Result<(Arc<str>, Member), Refusal> {
        let meetings = self.rooms(Namespace::Meet);
        let room = meetings
            .rooms_of(id)
            .into_iter()
            .next()
            .ok_or(Refusal::NotInRoom)?;
        let member = meetings.member(&room, id).ok_or(Refusal::NotInRoom)?;
        Ok((room, member))
    }
}
