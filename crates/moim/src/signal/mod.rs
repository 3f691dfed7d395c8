//! Socket.IO signaling: decoding and checking events, then asking the room model.
//!
//! Two namespaces share one engine: `/` speaks the course's contract
//! ([`course`]), `/moim` speaks moim's own protocol ([`meet`]); both are described
//! in `docs/protocol.md`. Handlers are generic over the socketioxide adapter, so
//! the same code serves one node and, later, a cluster.

pub mod args;
pub mod client;
pub mod course;
pub mod meet;
pub mod order;
pub mod request;
pub mod room_list;

use std::sync::Arc;
use std::time::Duration;

use socketioxide::layer::SocketIoLayer;
use socketioxide::{SocketIo, TransportType};
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::rate_limit::RateLimit;
use crate::rooms::Rooms;
use crate::validate::limits;

/// What every handler shares: the rooms of both namespaces and the limits.
#[derive(Debug)]
pub struct Hub {
    /// Rooms of the course namespace `/` (no size limit beyond the rate limit).
    pub course: Arc<Rooms>,
    /// Meetings on `/moim`.
    pub meet: Arc<Rooms>,
    /// Per-socket event rate.
    pub rate: RateLimit,
    /// What `/moim` clients are told the limits are.
    pub limits: moim_proto::Limits,
    /// ICE servers for the browsers (TURN credentials are per participant).
    pub ice: crate::ice::IceServers,
}

/// A running signaling layer.
pub struct Signal {
    /// The tower layer to put on the HTTP router.
    pub layer: SocketIoLayer,
    /// The Socket.IO handle.
    pub io: SocketIo,
    /// The shared state.
    pub hub: Arc<Hub>,
    tasks: Vec<JoinHandle<()>>,
}

impl Signal {
    /// Builds the engine and its namespaces and starts the room-list broadcasters.
    /// Must be called inside a tokio runtime.
    pub fn start(config: &Config, ice: crate::ice::IceServers) -> Signal {
        let hub = Arc::new(Hub {
            // The course has no room size; a bound still keeps one room from
            // growing without limit.
            course: Arc::new(Rooms::new(100_000)),
            meet: Arc::new(Rooms::new(config.room_size.min(config.mesh_limit))),
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
            ice,
        });
        let (layer, io) = SocketIo::builder()
            .with_state(hub.clone())
            .ping_interval(Duration::from_secs(config.ping_interval))
            .ping_timeout(Duration::from_secs(config.ping_timeout))
            .max_payload(limits::PACKET_BYTES as u64)
            .ws_max_message_size(limits::PACKET_BYTES)
            .ws_max_frame_size(limits::PACKET_BYTES)
            .transports([TransportType::Polling, TransportType::Websocket])
            .build_layer();
        course::attach(&io);
        meet::attach(&io);
        let window = config.room_list_interval();
        let tasks = vec![
            room_list::spawn(
                io.clone(),
                "/",
                hub.course.clone(),
                room_list::ListFormat::Course,
                window,
            ),
            room_list::spawn(
                io.clone(),
                meet::NAMESPACE,
                hub.meet.clone(),
                room_list::ListFormat::Moim,
                window,
            ),
        ];
        Signal {
            layer,
            io,
            hub,
            tasks,
        }
    }

    /// Stops the background tasks.
    pub fn stop(&self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
