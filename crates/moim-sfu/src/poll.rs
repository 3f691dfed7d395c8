//! Draining one peer's `Rtc`: its datagrams go out, its events are sorted into
//! what signaling must hear ([`SfuEvent`]), what concerns other peers
//! ([`Happening`], handled by the core one at a time, each after every peer
//! with input or writes is drained), and what only updates this peer (its
//! connection, its downlink estimate).

use std::collections::VecDeque;
use std::time::Instant;

use str0m::bwe::BweKind;
use str0m::media::{KeyframeRequest, MediaAdded, MediaData, MediaKind};
use str0m::{Event, IceConnectionState, Input, Output};

use crate::PeerId;
use crate::output::{SfuEvent, Transmit};
use crate::peer::Peer;

/// Something a peer's `Rtc` produced that concerns other peers.
// Lives only in one short queue per drive; boxing the frame would allocate per frame.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Happening {
    MediaAdded(MediaAdded),
    Media(MediaData),
    KeyframeRequest(KeyframeRequest),
    /// ICE and DTLS came up: media can reach this peer from now on.
    Connected,
}

/// Drain one peer's `Rtc` until it only has a timeout left.
pub(crate) fn poll_peer(
    now: Instant,
    id: PeerId,
    p: &mut Peer,
    transmits: &mut VecDeque<Transmit>,
    events: &mut VecDeque<SfuEvent>,
    happenings: &mut VecDeque<(PeerId, Happening)>,
) {
    if let Some(sdp) = p.offer_if_needed() {
        events.push_back(SfuEvent::Offer { peer: id, sdp });
    }
    let mut timed_out = false;
    while p.rtc.is_alive() {
        match p.rtc.poll_output() {
            // str0m packetizes written frames on its next timeout, which it asks
            // for at once: handle it here, so a forwarded frame leaves with the
            // datagram that completed it rather than a timer turn later.
            Ok(Output::Timeout(t)) if t <= now && !timed_out => {
                timed_out = true;
                if let Err(e) = p.rtc.handle_input(Input::Timeout(now)) {
                    tracing::debug!(peer = id.0, error = %e, "peer timeout failed; disconnecting");
                    p.rtc.disconnect();
                }
            }
            Ok(Output::Timeout(t)) => {
                p.next_timeout = Some(t);
                return;
            }
            Ok(Output::Transmit(t)) => transmits.push_back(Transmit {
                source: t.source,
                destination: t.destination,
                contents: t.contents.into(),
            }),
            Ok(Output::Event(e)) => match e {
                Event::Connected => {
                    p.connected = true;
                    events.push_back(SfuEvent::Connected { peer: id });
                    happenings.push_back((id, Happening::Connected));
                }
                Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                    p.rtc.disconnect()
                }
                Event::MediaAdded(added) => {
                    happenings.push_back((id, Happening::MediaAdded(added)))
                }
                Event::MediaData(data) => happenings.push_back((id, Happening::Media(data))),
                Event::KeyframeRequest(req) => {
                    happenings.push_back((id, Happening::KeyframeRequest(req)))
                }
                Event::EgressBitrateEstimate(
                    BweKind::Twcc { estimate, .. } | BweKind::Remb { estimate, .. },
                ) => {
                    p.bandwidth = Some(estimate.as_u64());
                }
                Event::MediaEgressStats(stats) => {
                    if let Some(loss) = stats.loss {
                        p.downlink.on_receiver_report(loss);
                    }
                }
                Event::PeerStats(stats) => {
                    let videos = p
                        .tracks_out
                        .iter()
                        .filter(|t| t.kind == MediaKind::Video)
                        .count();
                    p.bandwidth = p.downlink.on_report(
                        stats.timestamp,
                        stats.bytes_tx,
                        stats.egress_loss_fraction,
                        videos,
                    );
                }
                _ => {}
            },
            Err(e) => {
                tracing::debug!(peer = id.0, error = %e, "poll failed; disconnecting");
                p.rtc.disconnect();
            }
        }
    }
    p.next_timeout = None;
}
