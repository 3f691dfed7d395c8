//! What the SFU tells a meeting: a new offer for one participant (a track
//! came or went), the active speaker for the room. The SFU
//! ([`crate::media::MediaBridge`]) knows peers and rooms; this is where its
//! events become `/moim` events. In a cluster the participant may be on
//! another node: the adapter carries the event there (inbox and meeting
//! rooms span the cluster).
//!
//! And `sfu-reconnect` (in a cluster): the browser's SFU connection is gone
//! for good (its meeting moved to another node, or that node died), and it
//! opens a new one at once instead of waiting for its own ICE to give up.

use std::sync::Arc;

use moim_proto::{ActiveSpeaker, Empty, SfuDescription};
use moim_sfu::SfuEvent;
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinHandle;

use super::inbox::inbox;
use crate::media::MediaBridge;
use crate::media::route::Reconnect;
use crate::namespace::Namespace;

/// Carries the SFU's events to the browsers on `/moim` until the SFU stops.
pub fn spawn<A: Adapter>(
    io: SocketIo<A>,
    bridge: Arc<MediaBridge>,
    mut events: UnboundedReceiver<SfuEvent>,
    mut reconnects: Option<UnboundedReceiver<Reconnect>>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let event = tokio::select! {
                event = events.recv() => match event {
                    Some(event) => event,
                    None => break,
                },
                Some(reconnect) = async {
                    match reconnects.as_mut() {
                        Some(r) => r.recv().await,
                        None => std::future::pending().await,
                    }
                } => {
                    match reconnect {
                        Reconnect::Participant(id) => reconnect_inbox(&io, &inbox(id)).await,
                        Reconnect::Room(room) => reconnect_room(&io, &room).await,
                    }
                    continue;
                }
            };
            let Some(ns) = io.of(Namespace::Meet.path()) else {
                continue;
            };
            match event {
                SfuEvent::Offer { peer, sdp } => {
                    bridge.reapply_tiles(peer);
                    if let Some(id) = bridge.participant_of_peer(peer) {
                        ns.to(inbox(id))
                            .emit("sfu-offer", &SfuDescription { sdp })
                            .await
                            .ok();
                    }
                }
                SfuEvent::Connected { peer } => {
                    tracing::debug!(peer = peer.0, "SFU peer connected")
                }
                SfuEvent::Closed { peer } => {
                    tracing::debug!(peer = peer.0, "SFU peer closed");
                    bridge.forget(peer);
                }
                SfuEvent::ActiveSpeaker { room, peer } => {
                    tracing::debug!(%room, peer = peer.0, "active speaker");
                    if let Some(id) = bridge.participant_of_peer(peer) {
                        let event = ActiveSpeaker {
                            participant: id.to_string(),
                        };
                        ns.to(room).emit("active-speaker", &event).await.ok();
                    }
                }
            }
        }
    })
}

/// Tells everyone in `room` (on every node) to open a new SFU connection.
pub async fn reconnect_room<A: Adapter>(io: &SocketIo<A>, room: &str) {
    reconnect_inbox(io, room).await;
}

async fn reconnect_inbox<A: Adapter>(io: &SocketIo<A>, to: &str) {
    if let Some(ns) = io.of(Namespace::Meet.path()) {
        ns.to(to.to_owned())
            .emit("sfu-reconnect", &Empty {})
            .await
            .ok();
    }
}
