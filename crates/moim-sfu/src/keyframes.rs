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
        self.request_keyframe(now, origin, mid_in, layer);
    }

    /// Every video `receiver` has open needs a keyframe: it just answered an
    /// offer that opened tracks. Each published layer is asked (the receiver
    /// may start on any), within the throttle.
    pub(crate) fn on_tracks_opened(&mut self, now: Instant, receiver: PeerId) {
        self.request_for_receiver(now, receiver, Throttle::Respect);
    }

    /// `receiver`'s ICE and DTLS just came up. The keyframe asked for when its
    /// tracks opened may have passed while they were still coming up, and then
    /// nothing can be decoded until the next request; so this asks again even
    /// within the throttle's interval (once per connection, so no storm).
    pub(crate) fn on_connected(&mut self, now: Instant, receiver: PeerId) {
        self.request_for_receiver(now, receiver, Throttle::Bypass);
    }

    fn request_for_receiver(&mut self, now: Instant, receiver: PeerId, throttle: Throttle) {
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
            self.request(now, origin, mid_in, Layers::Published, throttle);
        }
    }

    /// Ask `origin` for a keyframe of one layer of a track (`None`: a track
    /// without simulcast), within the throttle.
    pub(crate) fn request_keyframe(
        &mut self,
        now: Instant,
        origin: PeerId,
        mid: Mid,
        layer: Option<usize>,
    ) {
        self.request(now, origin, mid, Layers::One(layer), Throttle::Respect);
    }

    fn request(
        &mut self,
        now: Instant,
        origin: PeerId,
        mid: Mid,
        layers: Layers,
        throttle: Throttle,
    ) {
        let interval = self.config.keyframe_interval;
        let Some(p) = self.peers.get_mut(&origin) else {
            return;
        };
        let Some(track) = p.tracks_in.iter_mut().find(|t| t.mid == mid) else {
            return;
        };
        let layers: Vec<Option<usize>> = match layers {
            _ if !track.simulcast() => vec![None],
            Layers::Published => (0..3).filter(|i| track.layers[*i]).map(Some).collect(),
            Layers::One(layer) => vec![layer],
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
            if throttle == Throttle::Respect && !track.throttle(l).ready(now, interval) {
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

/// Which layers of a track a request is for.
#[derive(Debug, Clone, Copy)]
enum Layers {
    /// One layer (`None`: the single stream of a track without simulcast).
    One(Option<usize>),
    /// Every layer the sender publishes.
    Published,
}

/// Whether a request waits out the per-layer interval since the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Throttle {
    Respect,
    Bypass,
}
