//! Simulcast layer choice for one subscriber watching one video track.
//!
//! A sender publishes up to three layers (rids `q`, `h`, `f`: quarter, half, full
//! resolution). Each receiver gets the layer that fits both the tile it draws the
//! video in and its share of the estimated downlink. A switch only happens on a
//! keyframe of the new layer: a decoder fed a delta frame of a stream it has never
//! seen shows garbage, so until the keyframe arrives the old layer keeps flowing.
//! Only layers that flow are chosen from (`TrackIn::flowing`): a browser pauses
//! the layers its uplink cannot carry, and a receiver waiting for one of those
//! would see nothing, or freeze on its last frame.

/// What one simulcast layer carries, as the SFU assumes it (the browser is told to
/// publish exactly these; see `docs/sfu.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerSpec {
    /// The RTP stream id the browser uses for the layer.
    pub rid: &'static str,
    /// Frame height the layer is encoded at, for a 720p camera.
    pub height: u32,
    /// Bitrate the browser is asked to cap the layer at, bits per second.
    pub bitrate: u64,
}

/// The layers from lowest to highest.
pub const LAYERS: [LayerSpec; 3] = [
    LayerSpec {
        rid: "q",
        height: 180,
        bitrate: 150_000,
    },
    LayerSpec {
        rid: "h",
        height: 360,
        bitrate: 500_000,
    },
    LayerSpec {
        rid: "f",
        height: 720,
        bitrate: 1_500_000,
    },
];

/// The index into [`LAYERS`] a receiver should get.
///
/// `tile_height` is the height in CSS pixels times device pixel ratio the receiver
/// draws the video at (0 = hidden: the lowest layer keeps the tile warm);
/// `bandwidth_share` is the part of the receiver's estimated downlink available for
/// this track; `available` are the layers the sender is sending now, `heights` the
/// picture heights they carry (a camera smaller than 720p has smaller layers than
/// [`LAYERS`] says). The result is the smallest layer at least as tall as the tile,
/// lowered until it fits the bandwidth (never below the lowest layer), then the
/// nearest available one.
pub fn choose(
    tile_height: u32,
    bandwidth_share: Option<u64>,
    available: &[bool; 3],
    heights: &[u32; 3],
) -> Option<usize> {
    let mut wanted = heights
        .iter()
        .position(|h| *h >= tile_height)
        .unwrap_or(LAYERS.len() - 1);
    if let Some(share) = bandwidth_share {
        while wanted > 0 && LAYERS[wanted].bitrate > share {
            wanted -= 1;
        }
    }
    // Prefer the nearest published layer below what is wanted, else the nearest above.
    (0..=wanted)
        .rev()
        .find(|&i| available[i])
        .or_else(|| (wanted + 1..LAYERS.len()).find(|&i| available[i]))
}

/// The index of a rid in [`LAYERS`], if it is one of ours.
pub fn index_of(rid: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.rid == rid)
}

/// Per (receiver, track) switching state: which layer is forwarded now and which one
/// the receiver should move to at the next keyframe.
#[derive(Debug, Clone, Default)]
pub struct LayerSwitch {
    current: Option<usize>,
    target: Option<usize>,
}

/// What to do with one incoming frame of one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Forward it to this receiver.
    Forward,
    /// Not for this receiver (another layer is forwarded).
    Drop,
}

impl LayerSwitch {
    /// The layer the receiver should be on; takes effect at that layer's next keyframe.
    pub fn set_target(&mut self, target: Option<usize>) {
        self.target = target;
    }

    /// The layer currently forwarded.
    pub fn current(&self) -> Option<usize> {
        self.current
    }

    /// The layer the receiver waits to switch to, if it differs from the current one.
    pub fn pending(&self) -> Option<usize> {
        self.target.filter(|t| Some(*t) != self.current)
    }

    /// Decide about one frame of layer `layer`; a keyframe of the target layer makes
    /// the switch.
    pub fn on_frame(&mut self, layer: usize, keyframe: bool) -> Verdict {
        if self.target == Some(layer) && self.current != Some(layer) && keyframe {
            self.current = Some(layer);
        }
        if self.current == Some(layer) {
            Verdict::Forward
        } else {
            Verdict::Drop
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [bool; 3] = [true, true, true];
    /// A 720p camera's layers, as [`LAYERS`] assumes.
    const HD: [u32; 3] = [180, 360, 720];

    #[test]
    fn the_tile_size_picks_the_smallest_layer_that_fills_it() {
        assert_eq!(choose(120, None, &ALL, &HD), Some(0));
        assert_eq!(choose(300, None, &ALL, &HD), Some(1));
        assert_eq!(choose(700, None, &ALL, &HD), Some(2));
        assert_eq!(choose(2000, None, &ALL, &HD), Some(2));
    }

    #[test]
    fn a_thin_downlink_lowers_the_layer() {
        assert_eq!(choose(700, Some(600_000), &ALL, &HD), Some(1));
        assert_eq!(choose(700, Some(10_000), &ALL, &HD), Some(0));
    }

    #[test]
    fn the_heights_the_layers_really_carry_decide() {
        // A 640x480 webcam: a 300 px tile needs the top layer (480), not the
        // middle one (240).
        assert_eq!(choose(300, None, &ALL, &[120, 240, 480]), Some(2));
        // A 1080p camera: the quarter layer (270) already fills a 250 px tile.
        assert_eq!(choose(250, None, &ALL, &[270, 540, 1080]), Some(0));
    }

    #[test]
    fn a_missing_layer_falls_back_to_the_nearest_published_one() {
        assert_eq!(choose(700, None, &[true, false, false], &HD), Some(0));
        assert_eq!(choose(100, None, &[false, false, true], &HD), Some(2));
        assert_eq!(choose(100, None, &[false, false, false], &HD), None);
    }

    #[test]
    fn the_first_layer_starts_only_on_a_keyframe() {
        let mut s = LayerSwitch::default();
        s.set_target(Some(1));
        assert_eq!(s.on_frame(1, false), Verdict::Drop);
        assert_eq!(s.on_frame(1, true), Verdict::Forward);
        assert_eq!(s.on_frame(1, false), Verdict::Forward);
        assert_eq!(s.on_frame(0, true), Verdict::Drop);
    }

    #[test]
    fn a_switch_waits_for_the_new_layers_keyframe_and_the_old_layer_flows_until_then() {
        let mut s = LayerSwitch::default();
        s.set_target(Some(2));
        assert_eq!(s.on_frame(2, true), Verdict::Forward);
        s.set_target(Some(0));
        assert_eq!(s.pending(), Some(0));
        // Delta frames of the new layer are dropped, the old layer keeps flowing.
        assert_eq!(s.on_frame(0, false), Verdict::Drop);
        assert_eq!(s.on_frame(2, false), Verdict::Forward);
        // The keyframe switches; from then on the old layer is dropped.
        assert_eq!(s.on_frame(0, true), Verdict::Forward);
        assert_eq!(s.on_frame(2, true), Verdict::Drop);
        assert_eq!(s.current(), Some(0));
        assert_eq!(s.pending(), None);
    }
}
