//! Keyframe requests towards senders: a receiver's PLI/FIR, a newcomer, a layer
//! switch or unrepaired loss all end up here, folded by [`crate::throttle`].
//!
//! Its own module because the decision "which sender, which layer, may it go out
//! now" is separate from forwarding media and must stay cheap: one keyframe
//! answers every receiver, so most requests are throttled away.

use std::time::Instant;

use str0m::media::{KeyframeRequest, KeyframeRequestKind, MediaKind, Mid};

use crate::PeerId;
use crate::peer::Peer;
use crate::sfu::Sfu;

impl Sfu {
    /// A receiver's PLI/FIR: pass it to the sender of the layer it gets.
    pub(crate) fn on_keyframe_request(
        &mut self,
        now: Instant,
        receiver: PeerId,
        req: KeyframeRequest,
    ) {
        let Some(p) = self.peers.get(&receiver) else {
            return;
        };
        let Some(out) = p.tracks_out.iter().find(|t| t.open_mid() == Some(req.mid)) else {
            return;
        };
        let (origin, mid_in, layer) = (out.origin, out.mid_in, out.switch.current());
        self.request_keyframe(now, origin, mid_in, layer, false);
    }

    /// Every video `receiver` has open needs a keyframe: it just answered an
    /// offer that opened tracks, or it just connected.
    ///
    /// `connected`: the keyframe asked for when the tracks opened may have
    /// passed while ICE and DTLS were still coming up, and then nothing can
    /// be decoded until the next request; so a connect asks again even
    /// within the throttle's interval (once per connection, so no storm).
    pub(crate) fn request_keyframes_for(
        &mut self,
        now: Instant,
        receiver: PeerId,
        connected: bool,
    ) {
        let Some(p) = self.peers.get(&receiver) else {
            return;
        };
        let open: Vec<(PeerId, Mid)> = p
            .tracks_out
            .iter()
            .filter(|t| t.kind == MediaKind::Video && t.open_mid().is_some())
            .map(|t| (t.origin, t.mid_in))
            .collect();
        for (origin, mid_in) in open {
            self.request(now, origin, mid_in, None, true, connected);
        }
    }

    /// Ask `origin` for a keyframe on one of its tracks, throttled per layer.
    /// `all_layers`: for a new receiver that may start on any layer.
    pub(crate) fn request_keyframe(
        &mut self,
        now: Instant,
        origin: PeerId,
        mid: Mid,
        layer: Option<usize>,
        all_layers: bool,
    ) {
        self.request(now, origin, mid, layer, all_layers, false);
    }

    fn request(
        &mut self,
        now: Instant,
        origin: PeerId,
        mid: Mid,
        layer: Option<usize>,
        all_layers: bool,
        unthrottled: bool,
    ) {
        let interval = self.config.keyframe_interval;
        let Some(p) = self.peers.get_mut(&origin) else {
            return;
        };
        let Some(track) = p.tracks_in.iter_mut().find(|t| t.mid == mid) else {
            return;
        };
        let layers: Vec<Option<usize>> = if all_layers && track.simulcast() {
            (0..3).filter(|i| track.layers[*i]).map(Some).collect()
        } else if track.simulcast() {
            vec![layer]
        } else {
            vec![None]
        };
        let Some(mut writer) = p.rtc.writer(mid) else {
            return;
        };
        let kind = if writer.is_request_keyframe_possible(KeyframeRequestKind::Pli) {
            KeyframeRequestKind::Pli
        } else {
            KeyframeRequestKind::Fir
        };
        for l in layers {
            if !unthrottled && !track.throttle(l).ready(now, interval) {
                self.stats.keyframe_requests_throttled += 1;
                continue;
            }
            // Fails (harmlessly) before the sender's first packet of that layer.
            if writer.request_keyframe(Peer::rid_of(l), kind).is_ok() {
                track.throttle(l).mark(now);
                self.stats.keyframe_requests_sent += 1;
            }
        }
        p.dirty = true;
    }
}
