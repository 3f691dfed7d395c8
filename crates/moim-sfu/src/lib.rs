//! moim's selective forwarding unit.
//!
//! [`Sfu`] is a sans-IO core on str0m: one `Rtc` per person, fed datagrams and time
//! by the caller, handing back datagrams and [`SfuEvent`]s. [`driver`] owns the one
//! UDP socket and the workers (tokio tasks, one core each) around it; the signaling side only carries
//! offers and answers. `docs/sfu.md` has the picture.

// Only the Linux driver batches (sendmmsg, UDP GSO).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
mod batch;
mod downlink;
mod forward;
mod join_lines;
mod keyframes;
mod layers;
mod output;
mod packets;
mod peer;
mod poll;
mod sfu;
mod speaker;
mod throttle;
mod vp8;

pub mod driver;

pub use layers::{LAYERS, LayerSpec};
pub use output::{Dropped, SfuEvent, SfuStats, Transmit};
pub use sfu::{Sfu, SfuConfig};

/// One person's connection, as the caller numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeerId(pub u64);

/// Refusals of the core's requests; none of them changes any state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SfuError {
    #[error("the session description was refused: {0}")]
    BadSdp(String),
    #[error("no such peer")]
    UnknownPeer,
    #[error("this peer has already joined")]
    AlreadyJoined,
    #[error("no offer of ours is waiting for an answer")]
    NoOfferPending,
}

/// str0m needs a process-wide crypto provider before the first `Rtc`.
pub fn install_crypto() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| str0m::crypto::from_feature_flags().install_process_default());
}
