//! The requests the signaling side sends a worker, in their own file because
//! both the handle (`mod.rs`) and the worker (`worker.rs`) name them.

use tokio::sync::oneshot;

use crate::{PeerId, SfuError, SfuStats};

/// Requests the signaling side makes; each one that can fail has a reply.
pub(super) enum Command {
    Join {
        peer: PeerId,
        room: String,
        stream_id: String,
        offer: String,
        reply: oneshot::Sender<Result<String, SfuError>>,
    },
    Offer {
        peer: PeerId,
        offer: String,
        reply: oneshot::Sender<Result<String, SfuError>>,
    },
    Answer {
        peer: PeerId,
        answer: String,
        reply: oneshot::Sender<Result<(), SfuError>>,
    },
    TileHeight {
        peer: PeerId,
        origin: PeerId,
        height: u32,
    },
    Muted {
        peer: PeerId,
        muted: bool,
    },
    Silenced {
        peer: PeerId,
        silenced: bool,
    },
    Leave {
        peer: PeerId,
    },
    Stats {
        reply: oneshot::Sender<SfuStats>,
    },
}
