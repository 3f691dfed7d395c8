//! Socket.IO signaling: decoding and checking events, then asking the room model.
//!
//! Two namespaces share one engine: `/` speaks the course's contract
//! ([`course`]), `/moim` speaks moim's own protocol ([`meet`]); both are described
//! in `docs/protocol.md`. Handlers are generic over the socketioxide adapter, so
//! the same code serves one node and, later, a cluster.

pub mod args;
pub mod broadcast;
pub mod client;
pub mod course;
pub mod meet;
pub mod members;
pub mod order;
pub mod request;
pub mod room_list;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use socketioxide::adapter::Adapter;
use socketioxide::layer::SocketIoLayer;
use socketioxide::{SocketIo, TransportType};
use socketioxide_core::adapter::DefinedAdapter;
use socketioxide_redis::{RedisAdapterConfig, RedisAdapterCtr};
use tokio::task::JoinHandle;

use crate::admin::{self, AdminAuth, SocketRegistry, auth::AuthConfigError};
use crate::cluster::{self, Cluster, ClusterAdapter, ClusterError, Ns, Presence};
use crate::config::Config;
use crate::history::History;
use crate::metrics::encode::Kind;
use crate::metrics::moim::Metrics;
use crate::rate_limit::RateLimit;
use crate::rooms::Rooms;
use crate::validate::limits;

/// Bytes tungstenite reads from a websocket at a time. Its 4 KiB default is
/// allocated for every connection and zeroed before every read (15 % of the
/// server's instructions in the fan-out benchmark, measured with callgrind).
/// Socket.IO packets are mostly far smaller (events, acks, ICE candidates);
/// an SDP takes a few reads more. Saves 3 KB per connected socket.
const WS_READ_BUFFER: usize = 1024;

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
    pub policy: crate::media::SfuPolicy,
    /// The SFU, unless `--sfu never`.
    pub media: Option<Arc<crate::media::MediaBridge>>,
}

/// The Socket.IO engine: on its own, or one node of a cluster.
pub enum Engine {
    /// A single node (socketioxide's in-memory adapter).
    Local(SocketIoLayer, SocketIo),
    /// A node of a cluster (socketioxide's Redis adapter).
    Cluster(SocketIoLayer<ClusterAdapter>, SocketIo<ClusterAdapter>),
}

impl Engine {
    /// The HTTP routes with this engine's layer on them.
    pub fn router(&self, state: crate::http::HttpState) -> Router {
        match self {
            Engine::Local(layer, _) => crate::http::router(state, layer.clone()),
            Engine::Cluster(layer, _) => crate::http::router(state, layer.clone()),
        }
    }

    /// Disconnects every socket of this node.
    pub async fn close(&self) {
        match self {
            Engine::Local(_, io) => io.close().await,
            Engine::Cluster(_, io) => io.close().await,
        }
    }
}

impl Hub {
    /// How media travels in a meeting of `count` people.
    pub fn mode(&self, count: usize) -> moim_proto::RoomMode {
        if self.media.is_some() {
            self.policy.mode(count)
        } else {
            moim_proto::RoomMode::Mesh
        }
    }
}

/// Why signaling could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Unusable admin options.
    #[error(transparent)]
    Admin(#[from] AuthConfigError),
    /// Redis could not be used.
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    /// A namespace could not subscribe to its Redis channels.
    #[error("cannot subscribe to redis for namespace {0}: {1}")]
    Subscribe(&'static str, String),
}

/// The SFU driver as started by the server: its handle and its events.
pub type MediaStarted = (
    moim_sfu::driver::SfuHandle,
    tokio::sync::mpsc::UnboundedReceiver<moim_sfu::SfuEvent>,
);

/// A running signaling layer.
pub struct Signal {
    /// The Socket.IO engine (its layer goes on the HTTP router).
    pub engine: Engine,
    /// The shared state.
    pub hub: Arc<Hub>,
    tasks: Vec<JoinHandle<()>>,
}

impl Signal {
    /// Builds the engine and its namespaces and starts the room-list broadcasters
    /// (and, with `--redis-url`, joins the cluster). Must be called inside a
    /// tokio runtime. Fails on unusable admin options or an unreachable Redis.
    pub async fn start(
        config: &Config,
        history: History,
        ice: crate::ice::IceServers,
        media: Option<MediaStarted>,
    ) -> Result<Signal, StartError> {
        let admin_auth = AdminAuth::from_options(
            config.admin_user.as_deref(),
            config.admin_password_hash.as_deref(),
        )?
        .map(Arc::new);
        let node = admin::stats::node_name();
        let cluster = match &config.redis_url {
            Some(url) => {
                let id = cluster::node_id(&node);
                let cluster = Cluster::connect(url, &id).await?;
                tracing::info!(node = %id, "cluster mode: this node shares rooms through redis");
                Some(cluster)
            }
            None => None,
        };
        let policy = crate::media::SfuPolicy::from_options(&config.media);
        let (bridge, sfu_events) = match media {
            Some((handle, events)) => (
                Some(Arc::new(crate::media::MediaBridge::new(handle))),
                Some(events),
            ),
            None => (None, None),
        };
        // Through the SFU a meeting may outgrow the mesh.
        let meeting_size = if bridge.is_some() {
            config.room_size
        } else {
            config.room_size.min(config.mesh_limit)
        };
        let hub = Arc::new(Hub {
            // The course has no room size; a bound still keeps one room from
            // growing without limit.
            course: Arc::new(Rooms::new(100_000)),
            meet: Arc::new(Rooms::new(meeting_size)),
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
            history,
            sockets: Arc::new(SocketRegistry::new(admin_auth.is_some())),
            metrics: Arc::new(Metrics::default()),
            admin: admin_auth,
            node,
            cluster: cluster.as_ref().map(|c| c.presence.clone()),
            started: Instant::now(),
            policy,
            media: bridge,
        });
        register_gauges(&hub);
        if let Some(media) = &hub.media {
            crate::media::metrics::register(&hub.metrics.registry, media.clone());
        }
        let builder = SocketIo::builder()
            .with_state(hub.clone())
            .ping_interval(Duration::from_secs(config.ping_interval))
            .ping_timeout(Duration::from_secs(config.ping_timeout))
            .max_payload(limits::PACKET_BYTES as u64)
            .max_buffer_size(limits::SOCKET_QUEUE)
            .ws_max_message_size(limits::PACKET_BYTES)
            .ws_max_frame_size(limits::PACKET_BYTES)
            .ws_read_buffer_size(WS_READ_BUFFER)
            .transports([TransportType::Polling, TransportType::Websocket]);
        let (engine, tasks) = match cluster {
            None => {
                let (layer, io) = builder.build_layer();
                course::attach(&io);
                meet::attach(&io);
                if hub.admin.is_some() {
                    admin::attach(&io);
                }
                let tasks = spawn_tasks(&io, &hub, config, sfu_events);
                (Engine::Local(layer, io), tasks)
            }
            Some(cluster) => {
                let adapter = RedisAdapterCtr::new_with_driver(
                    cluster.driver,
                    RedisAdapterConfig::new().with_prefix("moim"),
                );
                let (layer, io) = builder
                    .with_adapter::<ClusterAdapter>(adapter)
                    .build_layer();
                let failed = |ns: &'static str| {
                    move |e: socketioxide_redis::InitError<_>| {
                        StartError::Subscribe(ns, e.to_string())
                    }
                };
                course::attach(&io).await.map_err(failed("/"))?;
                meet::attach(&io).await.map_err(failed(meet::NAMESPACE))?;
                if hub.admin.is_some() {
                    admin::attach(&io).await.map_err(failed("/admin"))?;
                }
                let mut tasks = spawn_tasks(&io, &hub, config, sfu_events);
                tasks.push(cluster::heartbeat::spawn(
                    io.clone(),
                    hub.clone(),
                    cluster.presence,
                ));
                (Engine::Cluster(layer, io), tasks)
            }
        };
        Ok(Signal { engine, hub, tasks })
    }

    /// Stops the background tasks.
    pub fn stop(&self) {
        for task in &self.tasks {
            task.abort();
        }
        self.hub.history.stop();
    }
}

/// The room-list broadcasters and the Admin UI's statistics.
fn spawn_tasks<A: DefinedAdapter + Adapter>(
    io: &SocketIo<A>,
    hub: &Arc<Hub>,
    config: &Config,
    sfu_events: Option<tokio::sync::mpsc::UnboundedReceiver<moim_sfu::SfuEvent>>,
) -> Vec<JoinHandle<()>> {
    let window = config.room_list_interval();
    let mut tasks = vec![
        room_list::spawn(
            io.clone(),
            "/",
            hub.clone(),
            Ns::Course,
            room_list::ListFormat::Course,
            window,
        ),
        room_list::spawn(
            io.clone(),
            meet::NAMESPACE,
            hub.clone(),
            Ns::Meet,
            room_list::ListFormat::Moim,
            window,
        ),
    ];
    if let (Some(bridge), Some(events)) = (&hub.media, sfu_events) {
        tasks.push(crate::media::bridge::spawn_events(
            io.clone(),
            meet::NAMESPACE,
            bridge.clone(),
            events,
        ));
    }
    if hub.admin.is_some() {
        tasks.push(admin::stats::spawn(io.clone(), hub.clone()));
    }
    tasks
}

/// Gauges read at scrape time from what already keeps count: sockets by
/// namespace and transport, rooms and participants by namespace, uptime.
fn register_gauges(hub: &Arc<Hub>) {
    let registry = &hub.metrics.registry;
    let sockets = hub.sockets.clone();
    registry.register_fn(move |out| {
        out.family(
            "moim_sockets",
            "Connected Socket.IO sockets, by namespace and transport.",
            Kind::Gauge,
        );
        for ((namespace, transport), count) in sockets.counts() {
            out.sample(
                "moim_sockets",
                &[("namespace", namespace), ("transport", transport)],
                count as f64,
            );
        }
    });
    let rooms = [
        ("/", hub.course.clone()),
        (meet::NAMESPACE, hub.meet.clone()),
    ];
    registry.register_fn(move |out| {
        let summaries: Vec<_> = rooms.iter().map(|(ns, r)| (*ns, r.summary())).collect();
        out.family(
            "moim_rooms",
            "Rooms with at least one participant, by namespace.",
            Kind::Gauge,
        );
        for (namespace, summary) in &summaries {
            out.sample(
                "moim_rooms",
                &[("namespace", namespace)],
                summary.len() as f64,
            );
        }
        out.family(
            "moim_participants",
            "Participants in rooms, by namespace.",
            Kind::Gauge,
        );
        for (namespace, summary) in &summaries {
            let count: usize = summary.iter().map(|r| r.count).sum();
            out.sample(
                "moim_participants",
                &[("namespace", namespace)],
                count as f64,
            );
        }
    });
    let started = hub.started;
    registry.register_fn(move |out| {
        out.family(
            "moim_uptime_seconds",
            "Seconds since the server started.",
            Kind::Gauge,
        );
        out.sample("moim_uptime_seconds", &[], started.elapsed().as_secs_f64());
        out.family(
            "moim_build_info",
            "The running version (always 1).",
            Kind::Gauge,
        );
        out.sample(
            "moim_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))],
            1.0,
        );
    });
}
