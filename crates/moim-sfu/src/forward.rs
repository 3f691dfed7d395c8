//! Forwarding: a sender's new track becomes a track at everyone else in its room,
//! and each of its frames is written to every receiver that should get it.
//!
//! Kept apart from the core's bookkeeping (`sfu.rs`) because this is the hot path:
//! it runs once per frame per receiver, so everything here avoids per-receiver
//! work that can be done once per frame or once per negotiation (the payload type
//! match is cached in [`TrackOut::pt`], a video frame is cut into packets once
//! and the packets shared by every receiver's stream, `packets.rs`).

use std::sync::Arc;
use std::time::Instant;

use str0m::format::Codec;
use str0m::media::{MediaAdded, MediaData, MediaKind, Mid};

use crate::PeerId;
use crate::layers::{self, Verdict};
use crate::packets::{self, FrameTiming};
use crate::peer::{TrackIn, TrackOut};
use crate::sfu::Sfu;
use crate::vp8;

impl Sfu {
    pub(crate) fn on_media_added(&mut self, origin: PeerId, added: MediaAdded) {
        let Some(p) = self.peers.get_mut(&origin) else {
            return;
        };
        if !added.direction.is_receiving() || p.tracks_in.iter().any(|t| t.mid == added.mid) {
            return;
        }
        let mut simulcast = [false; 3];
        for layer in added.simulcast.iter().flat_map(|s| s.recv.iter()) {
            if let Some(i) = layers::index_of(&layer.rid) {
                simulcast[i] = true;
            }
        }
        let track = TrackIn {
            mid: added.mid,
            kind: added.kind,
            layers: simulcast,
            last_frame: [None; 3],
            last_seen: None,
            heights: [None; 3],
            throttles: Default::default(),
            announced: added.kind == MediaKind::Audio,
        };
        let announced = track.announced;
        p.tracks_in.push(track);
        if announced {
            self.announce(origin, added.mid);
        }
    }

    /// `origin`'s track `mid` becomes a track to open at everyone else in its room.
    fn announce(&mut self, origin: PeerId, mid: Mid) {
        let Some(p) = self.peers.get_mut(&origin) else {
            return;
        };
        let Some(track) = p.tracks_in.iter_mut().find(|t| t.mid == mid) else {
            return;
        };
        track.announced = true;
        let out = TrackOut::new(origin, p.stream_id.clone(), track);
        let room = p.room.clone();
        for (id, other) in self.peers.iter_mut() {
            if *id != origin && other.room == room {
                other.tracks_out.push(TrackOut {
                    switch: Default::default(),
                    stream_id: out.stream_id.clone(),
                    ..out
                });
                other.dirty = true;
            }
        }
    }

    /// Write one frame of `origin` to everyone else in its room.
    pub(crate) fn forward(&mut self, now: Instant, origin: PeerId, data: MediaData) {
        let Some(src) = self.peers.get_mut(&origin) else {
            return;
        };
        let room = src.room.clone();
        let silenced = src.silenced;
        let Some(track_in) = src.tracks_in.iter_mut().find(|t| t.mid == data.mid) else {
            return;
        };
        track_in.last_seen = Some(now);
        let layer = data.rid.as_ref().and_then(|r| layers::index_of(r));
        if let Some(l) = layer {
            track_in.last_frame[l] = Some(now);
            if data.is_keyframe()
                && let Some((_, height)) = vp8::keyframe_size(&data.data)
            {
                track_in.heights[l] = Some(u32::from(height));
            }
        }
        let heights = track_in.layer_heights();
        let (simulcast, flowing, kind) =
            (track_in.simulcast(), track_in.flowing(now), track_in.kind);
        if !track_in.announced {
            // A video's first frame: now the others get its line. This frame
            // reaches nobody; their answer asks the sender for a keyframe.
            self.announce(origin, data.mid);
            return;
        }
        if kind == MediaKind::Audio && silenced {
            // Held muted by a host: this audio reaches no one.
            return;
        }
        if kind == MediaKind::Audio
            && let Some(level) = data.ext_vals.audio_level
        {
            self.speakers
                .entry(room.clone())
                .or_default()
                .on_level(now, origin, level);
        }
        if !data.contiguous && kind == MediaKind::Video {
            // Loss the sender's NACK/RTX did not repair: the receivers cannot decode
            // until the next keyframe.
            self.request_keyframe(now, origin, data.mid, layer);
        }
        let keyframe = kind == MediaKind::Video && data.is_keyframe();
        // Video is cut into packets once, by the first receiver that takes
        // this frame, and every receiver's stream shares them (`packets.rs`).
        // VP8 is the only video codec the SFU negotiates; another would go
        // through str0m's own packetizer.
        let shared = kind == MediaKind::Video && data.params.spec().codec == Codec::Vp8;
        let mut packets: Option<Vec<Arc<[u8]>>> = None;
        let timing = FrameTiming {
            rtp_time: data.time.rebase(data.params.spec().clock_rate).numer() as u32,
            wallclock: data.network_time,
            orientation: data.ext_vals.video_orientation,
        };
        let mut wanted_layers = [false; 3];
        for (id, sub) in self.peers.iter_mut() {
            if *id == origin || sub.room != room {
                continue;
            }
            let share = if simulcast {
                let video_tracks = sub
                    .tracks_out
                    .iter()
                    .filter(|t| t.kind == MediaKind::Video)
                    .count()
                    .max(1);
                sub.bandwidth.map(|b| b / video_tracks as u64)
            } else {
                None
            };
            let Some(out) = sub
                .tracks_out
                .iter_mut()
                .find(|t| t.origin == origin && t.mid_in == data.mid)
            else {
                continue;
            };
            let Some(mid) = out.open_mid() else { continue };
            if simulcast {
                let Some(layer) = layer else { continue };
                out.switch
                    .set_target(layers::choose(out.tile_height, share, &flowing, &heights));
                if let Some(pending) = out.switch.pending() {
                    wanted_layers[pending] = true;
                }
                if out.switch.on_frame(layer, keyframe) == Verdict::Drop {
                    continue;
                }
            }
            if shared && !sub.connected {
                // Direct writes are not dropped before DTLS is up, as the
                // frame writer's are: they would queue.
                continue;
            }
            let Some(mut writer) = sub.rtc.writer(mid) else {
                continue;
            };
            // Matching payload parameters compares codecs and fmtp lines: once per
            // (receiver, track, sender payload type), not once per frame.
            let pt = match out.pt {
                Some((from, to)) if from == data.pt => to,
                _ => {
                    let Some(to) = writer.match_params(data.params) else {
                        continue;
                    };
                    out.pt = Some((data.pt, to));
                    to
                }
            };
            if shared {
                let packets = match &mut packets {
                    Some(p) => p,
                    None => {
                        let p = packets::vp8(&data.data);
                        self.stats.video_packets_cut += p.len() as u64;
                        packets.insert(p)
                    }
                };
                if sub.video_seq.write(&mut sub.rtc, mid, pt, timing, packets) {
                    self.stats.video_packets_written += packets.len() as u64;
                }
                sub.dirty = true;
                continue;
            }
            // str0m's writer copies no header extension by itself. The
            // receiving browser reads the sender's level from the packets
            // (`getSynchronizationSources`, its "speaking" ring), and a phone's
            // camera rotation (CVO): without it a phone held sideways is shown
            // sideways.
            if let Some(level) = data.ext_vals.audio_level {
                let voice = data.ext_vals.voice_activity.unwrap_or(false);
                writer = writer.audio_level(level, voice);
            }
            if let Some(orientation) = data.ext_vals.video_orientation {
                writer = writer.video_orientation(orientation);
            }
            if let Err(e) = writer.write(pt, data.network_time, data.time, data.data.clone()) {
                tracing::debug!(peer = id.0, error = %e, "write failed; disconnecting");
                sub.rtc.disconnect();
            }
            sub.dirty = true;
        }
        for (l, wanted) in wanted_layers.into_iter().enumerate() {
            if wanted {
                self.request_keyframe(now, origin, data.mid, Some(l));
            }
        }
    }
}
