//! What the SFU tells a meeting: a new offer for one participant (a track
//! came or went), the active speaker for the room. The SFU
//! ([`crate::media::MediaBridge`]) knows peers and rooms; this is where its
//! events become `/moim` events.

use std::sync::Arc;

use moim_proto::{ActiveSpeaker, SfuDescription};
use moim_sfu::SfuEvent;
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinHandle;

use super::inbox::inbox;
use crate::media::MediaBridge;
use crate::namespace::Namespace;

/// Carries the SFU's events to the browsers on `/moim` until the SFU stops.
pub fn spawn<A: Adapter>(
    io: SocketIo<A>,
    bridge: Arc<MediaBridge>,
    mut events: UnboundedReceiver<SfuEvent>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
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
