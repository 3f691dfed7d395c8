//! `sfu-offer {sdp}` and `sfu-answer {sdp}`: a participant's connection to
//! moim's SFU in a meeting that goes through it (`mode: "sfu"`). Only session
//! descriptions pass here; the SFU (`crate::media`) carries the media on its
//! own UDP port, and its renegotiation offers reach the browser as the
//! `sfu-offer` event. `sfu-tile {participant, height}` tells how tall the
//! browser draws someone's camera, for the SFU's simulcast layer choice.

use moim_proto::{Empty, MAX_TILE_HEIGHT, RoomMode, SfuDescription, SfuTile};
use socketioxide::adapter::Adapter;
use socketioxide::socket::Sid;

use crate::error::{Refusal, Reply};
use crate::namespace::Namespace;
use crate::signal::request::Request;
use crate::validate::limits;

/// The client's offer starts (or restarts) its SFU session; the ack is the answer.
pub async fn offer<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit_signal()?;
        let sdp = description(&req)?;
        let (room, me) = req.hub.current_meeting(req.client.participant())?;
        Ok((room, me, sdp))
    })();
    let (room, me, sdp) = match checked {
        Ok(checked) => checked,
        Err(refusal) => return req.refuse("sfu-offer", refusal),
    };
    if req.hub.mode(req.hub.count(Namespace::Meet, &room).await) != RoomMode::Sfu {
        return req.refuse("sfu-offer", Refusal::NotSfu);
    }
    let Some(media) = req.hub.media.clone() else {
        return req.refuse("sfu-offer", Refusal::MediaUnavailable);
    };
    let (id, muted, blocked) = (req.client.participant(), !me.audio, me.audio_locked);
    match media.offer(&room, id, sdp, muted, blocked).await {
        Ok(sdp) => req.reply(&Reply::Ok(SfuDescription { sdp })),
        Err(refusal) => req.refuse("sfu-offer", refusal),
    }
}

/// The client's answer to the SFU's last `sfu-offer` event.
pub async fn answer<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit_signal()?;
        let sdp = description(&req)?;
        let media = req.hub.media.clone().ok_or(Refusal::MediaUnavailable)?;
        Ok((sdp, media))
    })();
    let (sdp, media) = match checked {
        Ok(checked) => checked,
        Err(refusal) => return req.refuse("sfu-answer", refusal),
    };
    match media.answer(req.client.participant(), sdp).await {
        Ok(()) => req.reply(&Reply::Ok(Empty {})),
        Err(refusal) => req.refuse("sfu-answer", refusal),
    }
}

/// The browser draws `participant`'s camera `height` device pixels tall.
pub async fn tile<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit_signal()?;
        let tile: SfuTile = req.args()?.object()?;
        if tile.height > MAX_TILE_HEIGHT {
            return Err(Refusal::InvalidPayload);
        }
        let (room, _) = req.hub.current_meeting(req.client.participant())?;
        // Like `signal`: someone who is not in your meeting is `not_in_room`.
        let origin: Sid = tile.participant.parse().map_err(|_| Refusal::NotInRoom)?;
        if origin == req.client.participant() {
            return Err(Refusal::NotInRoom);
        }
        Ok((room, origin, tile.height))
    })();
    let checked = match checked {
        Ok((room, origin, height)) => {
            if !req.hub.is_member(Namespace::Meet, &room, origin).await {
                Err(Refusal::NotInRoom)
            } else if req.hub.mode(req.hub.count(Namespace::Meet, &room).await) != RoomMode::Sfu {
                Err(Refusal::NotSfu)
            } else {
                match req.hub.media.clone() {
                    Some(media) => media.tile(req.client.participant(), origin, height).await,
                    None => Err(Refusal::MediaUnavailable),
                }
            }
        }
        Err(refusal) => Err(refusal),
    };
    match checked {
        Ok(()) => req.reply(&Reply::Ok(Empty {})),
        Err(refusal) => req.refuse("sfu-tile", refusal),
    }
}

fn description<A: Adapter>(req: &Request<A>) -> Result<String, Refusal> {
    let d: SfuDescription = req.args()?.object()?;
    if d.sdp.len() > limits::SDP_BYTES {
        return Err(Refusal::TooLarge);
    }
    Ok(d.sdp)
}
