//! `server_stats` every two seconds, as `@socket.io/admin-ui` sends them, and
//! moim's own operator snapshot (`moim:ops`) for its `/ops` page.

use std::sync::Arc;
use std::time::Duration;

use moim_proto::RoomMode;
use serde::Serialize;
use serde_json::{Value, json};
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use tokio::task::JoinHandle;

use crate::hub::Hub;
use crate::namespace::{ADMIN, Namespace};
use crate::rooms::Rooms;

/// The event that carries [`Ops`]; the Admin UI ignores it.
pub const OPS_EVENT: &str = "moim:ops";

/// How often stats go out (the Admin UI's own pace).
const PERIOD: Duration = Duration::from_secs(2);

/// The `server_stats` payload.
pub fn server_stats(hub: &Hub, aggregated: Vec<Value>) -> Value {
    let counts = hub.sockets.counts();
    let mut namespaces: Vec<Value> = Vec::new();
    for name in [Namespace::Course.path(), Namespace::Meet.path(), ADMIN] {
        let count: usize = counts
            .iter()
            .filter(|((nsp, _), _)| *nsp == name)
            .map(|(_, n)| n)
            .sum();
        namespaces.push(json!({ "name": name, "socketsCount": count }));
    }
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let polling: usize = counts
        .iter()
        .filter(|((_, transport), _)| *transport == "polling")
        .map(|(_, n)| n)
        .sum();
    json!({
        "serverId": hub.node,
        "hostname": hub.node,
        "pid": std::process::id(),
        "uptime": hub.started.elapsed().as_secs_f64(),
        "clientsCount": total,
        "pollingClientsCount": polling,
        "aggregatedEvents": aggregated,
        "namespaces": namespaces,
    })
}

/// What the operator page shows.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ops {
    node: String,
    version: &'static str,
    uptime_seconds: u64,
    /// Whether people get a TURN relay (`IceServers::any_relay`).
    relay: bool,
    namespaces: Vec<OpsNamespace>,
}

#[derive(Debug, Serialize)]
struct OpsNamespace {
    name: &'static str,
    rooms: Vec<OpsRoom>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct OpsRoom {
    name: String,
    /// `mesh` (peer to peer) or `sfu` (through the server), as the room's
    /// members are told; course rooms carry no media of moim's and say `mesh`.
    mode: &'static str,
    /// The node hosting the meeting's media (its SFU), when it goes
    /// through one and this node knows which.
    #[serde(skip_serializing_if = "Option::is_none")]
    media_node: Option<String>,
    participants: Vec<OpsParticipant>,
}

#[derive(Debug, Serialize)]
struct OpsParticipant {
    id: String,
    name: String,
}

/// The operator snapshot: rooms and participants of both namespaces.
pub fn ops(hub: &Hub) -> Ops {
    let media_nodes = hub.media.as_ref().map(|m| m.media_nodes(&hub.node));
    let namespace = |name: &'static str, rooms: &Rooms, meetings: bool| OpsNamespace {
        name,
        rooms: rooms
            .list()
            .into_iter()
            .map(|(room, members)| {
                let media_node = media_nodes
                    .as_ref()
                    .filter(|_| meetings)
                    .and_then(|nodes| nodes.get(&room).cloned());
                // In a cluster this node sees only its own share of the
                // meeting: a meeting with a media node goes through the SFU
                // even when fewer than the threshold are on this node.
                let mode = match hub.mode(rooms.count(&room)) {
                    RoomMode::Sfu if meetings => "sfu",
                    _ if media_node.is_some() => "sfu",
                    _ => "mesh",
                };
                OpsRoom {
                    mode,
                    media_node,
                    name: room.to_string(),
                    participants: members
                        .into_iter()
                        .map(|m| OpsParticipant {
                            id: m.id.to_string(),
                            name: m.name.to_string(),
                        })
                        .collect(),
                }
            })
            .collect(),
    };
    Ops {
        node: hub.node.clone(),
        version: env!("CARGO_PKG_VERSION"),
        uptime_seconds: hub.started.elapsed().as_secs(),
        relay: hub.ice.any_relay(),
        namespaces: vec![
            namespace(Namespace::Meet.path(), hub.rooms(Namespace::Meet), true),
            namespace(
                Namespace::Course.path(),
                hub.rooms(Namespace::Course),
                false,
            ),
        ],
    }
}

/// Sends stats to every admin every two seconds, and notices transport upgrades.
pub fn spawn<A: Adapter>(io: SocketIo<A>, hub: Arc<Hub>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(PERIOD);
        loop {
            tick.tick().await;
            hub.sockets.refresh_transports();
            let stats = server_stats(&hub, hub.sockets.drain_aggregated());
            if let Some(admins) = io.of(ADMIN) {
                admins.clone().emit("server_stats", &stats).await.ok();
                admins.emit(OPS_EVENT, &ops(&hub)).await.ok();
            }
        }
    })
}
