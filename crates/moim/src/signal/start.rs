//! Starting signaling: the hub, the Socket.IO engine (alone, or one node of a
//! cluster) with its three namespaces, and the tasks that run beside the
//! handlers (room lists, the SFU's events, the Admin UI's stats, the
//! cluster's heartbeat and what it sweeps).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use socketioxide::adapter::Adapter;
use socketioxide::layer::SocketIoLayer;
use socketioxide::{SocketIo, TransportType};
use socketioxide_core::adapter::DefinedAdapter;
use socketioxide_redis::{RedisAdapterConfig, RedisAdapterCtr};
use tokio::task::JoinHandle;

use super::{admin, course, departure, meet, room_list};
use crate::admin::{AdminAuth, auth::AuthConfigError};
use crate::cluster::{self, Cluster, ClusterAdapter, ClusterError};
use crate::config::Config;
use crate::history::History;
use crate::hub::{self, Hub};
use crate::media::route::Reconnect;
use crate::media::{MediaBridge, MediaRoute};
use crate::namespace::{ADMIN, Namespace};
use crate::validate::limits;

/// Bytes tungstenite reads from a websocket at a time. Its 4 KiB default is
/// allocated for every connection and zeroed before every read (15 % of the
/// server's instructions in the fan-out benchmark, measured with callgrind).
/// Socket.IO packets are mostly far smaller (events, acks, ICE candidates);
/// an SDP takes a few reads more. Saves 3 KB per connected socket.
const WS_READ_BUFFER: usize = 1024;

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

    /// Takes this node's people out of their rooms, then disconnects every
    /// socket of this node. The meeting UI's sockets (`/moim`) are told
    /// first, with a Socket.IO disconnect: their client reconnects at once
    /// (`io server disconnect`, see the web engine's `signal.ts`) — to
    /// another node behind a load balancer, since the port has closed by
    /// now — instead of after socket.io-client's back-off (0.5–1.5 s) that a
    /// dropped connection gets. Other namespaces' clients
    /// (the course's, the Admin UI) see their connection drop and retry as
    /// they always did: a plain socket.io-client does not reconnect after a
    /// server's disconnect.
    async fn close(&self, hub: &Hub) {
        match self {
            Engine::Local(_, io) => close(io, hub).await,
            Engine::Cluster(_, io) => close(io, hub).await,
        }
    }
}

async fn close<A: Adapter>(io: &SocketIo<A>, hub: &Hub) {
    // Everyone here leaves their rooms first, and the rooms are told, while
    // the adapter still reaches the other nodes: left to the disconnect
    // handlers, those messages raced the adapter's closing and were lost,
    // so people elsewhere kept the leavers' tiles.
    for ns in [Namespace::Meet, Namespace::Course] {
        if let Some(op) = io.of(ns.path()) {
            for socket in op.local().sockets() {
                departure::leave_all(&socket, hub, ns, departure::Why::Stopping).await;
            }
        }
    }
    if let Some(meet) = io.of(Namespace::Meet.path())
        && let Err(e) = meet.local().disconnect().await
    {
        tracing::debug!(error = %e, "could not tell the meeting sockets to go");
    }
    io.close().await;
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
    /// The meetings' settings could not be opened.
    #[error("cannot read the meetings' settings: {0}")]
    Store(#[from] moim_store::StoreError),
}

/// The SFU driver as started by the server.
pub struct MediaStarted {
    /// The driver.
    pub handle: moim_sfu::driver::SfuHandle,
    /// What its sessions say.
    pub events: tokio::sync::mpsc::UnboundedReceiver<moim_sfu::SfuEvent>,
    /// The addresses browsers are told to send media to (with the driver's port).
    pub announce: Vec<std::net::IpAddr>,
}

/// The SFU's events and the reconnections to tell, for the task that turns
/// them into `/moim` events.
type MediaEvents = (
    tokio::sync::mpsc::UnboundedReceiver<moim_sfu::SfuEvent>,
    Option<tokio::sync::mpsc::UnboundedReceiver<Reconnect>>,
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
        store: moim_store::Store,
        ice: crate::ice::IceServers,
        media: Option<MediaStarted>,
    ) -> Result<Signal, StartError> {
        let admin_auth = AdminAuth::from_options(
            config.admin_user.as_deref(),
            config.admin_password_hash.as_deref(),
        )?
        .map(Arc::new);
        let node = cluster::node_name();
        let cluster = match &config.redis_url {
            Some(url) => {
                let id = cluster::node_id(&node);
                let cluster = Cluster::connect(url, &id).await?;
                tracing::info!(node = %id, "cluster mode: this node shares rooms through redis");
                Some(cluster)
            }
            None => None,
        };
        let mut media_tasks = Vec::new();
        let (route, sfu_events) = match (media, &cluster) {
            (Some(started), None) => {
                let bridge = Arc::new(MediaBridge::new(started.handle));
                let route = Arc::new(MediaRoute::local(bridge));
                (Some(route), Some((started.events, None)))
            }
            (Some(started), Some(cluster)) => {
                let port = started.handle.local_addr().port();
                let addrs = started
                    .announce
                    .iter()
                    .map(|ip| std::net::SocketAddr::new(*ip, port))
                    .collect();
                let bridge = Arc::new(MediaBridge::new(started.handle));
                let node: Arc<str> = cluster.presence.node().into();
                let clustered = MediaRoute::clustered(bridge, cluster.driver.clone(), node, addrs)
                    .await
                    .map_err(|e| StartError::Subscribe("node-link", e.to_string()))?;
                media_tasks = clustered.tasks;
                (
                    Some(clustered.route),
                    Some((started.events, Some(clustered.reconnects))),
                )
            }
            (None, _) => (None, None),
        };
        // Knocks carry the node id their connection is on: a cluster's
        // sweeper withdraws the knocks of a dead node by it.
        let knocks_on = cluster
            .as_ref()
            .map_or_else(|| node.clone(), |c| c.presence.node().to_owned());
        let meetings = crate::meeting::Meetings::open(store, &knocks_on).await?;
        let hub = Arc::new(Hub::new(
            config,
            hub::Parts {
                history,
                ice,
                admin: admin_auth,
                meetings: Some(Arc::new(meetings)),
                node,
                cluster: cluster.as_ref().map(|c| c.presence.clone()),
                media: route,
            },
        ));
        crate::metrics::gauges::register(
            &hub.metrics.registry,
            hub.sockets.clone(),
            hub.all_rooms(),
            hub.started,
        );
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
                course::attach(&io)
                    .await
                    .map_err(failed(Namespace::Course.path()))?;
                meet::attach(&io)
                    .await
                    .map_err(failed(Namespace::Meet.path()))?;
                if hub.admin.is_some() {
                    admin::attach(&io).await.map_err(failed(ADMIN))?;
                }
                let mut tasks = spawn_tasks(&io, &hub, config, sfu_events);
                let (swept, departed) = tokio::sync::mpsc::unbounded_channel();
                tasks.push(cluster::heartbeat::spawn(
                    hub.all_rooms(),
                    cluster.presence,
                    swept,
                ));
                tasks.push(departure::spawn_swept(io.clone(), hub.clone(), departed));
                (Engine::Cluster(layer, io), tasks)
            }
        };
        let mut tasks = tasks;
        tasks.extend(media_tasks);
        Ok(Signal { engine, hub, tasks })
    }

    /// Shutting down in a cluster: this node's meetings move to other nodes
    /// (their people are told `sfu-reconnect` and connect to the new owner
    /// through their own node). Alone, nothing moves.
    pub async fn drain_media(&self) {
        let Some(media) = &self.hub.media else {
            return;
        };
        let rooms = media.drain().await;
        if rooms.is_empty() {
            return;
        }
        tracing::info!(
            meetings = rooms.len(),
            "draining: this node's meetings move to other nodes"
        );
        for room in rooms {
            match &self.engine {
                Engine::Local(_, io) => meet::sfu_events::reconnect_room(io, &room).await,
                Engine::Cluster(_, io) => meet::sfu_events::reconnect_room(io, &room).await,
            }
        }
    }

    /// Takes this node's people out of their rooms (the rooms are told) and
    /// closes every connection (see [`Engine::close`]).
    pub async fn close(&self) {
        self.engine.close(&self.hub).await;
    }

    /// Stops the background tasks.
    pub fn stop(&self) {
        for task in &self.tasks {
            task.abort();
        }
        self.hub.history.stop();
    }
}

/// The room-list broadcasters, the SFU's events and the Admin UI's statistics.
fn spawn_tasks<A: DefinedAdapter + Adapter>(
    io: &SocketIo<A>,
    hub: &Arc<Hub>,
    config: &Config,
    sfu_events: Option<MediaEvents>,
) -> Vec<JoinHandle<()>> {
    let window = config.room_list_interval();
    let mut tasks: Vec<JoinHandle<()>> = Namespace::ALL
        .into_iter()
        .map(|ns| room_list::spawn(io.clone(), hub.clone(), ns, window))
        .collect();
    if let (Some(route), Some((events, reconnects))) = (&hub.media, sfu_events) {
        tasks.push(meet::sfu_events::spawn(
            io.clone(),
            route.bridge().clone(),
            events,
            reconnects,
        ));
    }
    if hub.admin.is_some() {
        tasks.push(admin::stats::spawn(io.clone(), hub.clone()));
    }
    if let Some(meetings) = &hub.meetings {
        tasks.push(meetings.clone().spawn_pruning());
    }
    tasks
}
