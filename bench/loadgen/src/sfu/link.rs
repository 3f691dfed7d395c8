//! The signaling of the server under load, for the publisher and each
//! subscriber: moim (the subscriber offers, the SFU answers and later offers
//! the publisher's tracks) or Janus (the subscriber joins the feed, Janus
//! offers, the subscriber answers with `start`).

use std::sync::Mutex;

use str0m::Rtc;
use str0m::change::{SdpAnswer, SdpOffer};
use str0m::media::{Direction, MediaKind};
use tokio::sync::mpsc;

use super::endpoint::{Answers, Offers};
use super::janus::Janus;
use super::signaling::Signaling;
use super::{Server, SfuLoad};

/// The signaling of the server under load: moim's `/moim` namespace, or
/// Janus's videoroom.
pub enum Link {
    Moim {
        signaling: Signaling,
        room: String,
    },
    Janus {
        janus: Janus,
        room: u64,
        /// The publisher's feed, once it publishes.
        feed: Mutex<Option<u64>>,
        /// Janus never renegotiates here: each endpoint's channel of server
        /// offers stays open and empty.
        idle: Mutex<Vec<mpsc::UnboundedSender<String>>>,
    },
}

impl Link {
    pub async fn connect(job: &SfuLoad) -> Result<Self, String> {
        Ok(match job.server {
            Server::Moim => Link::Moim {
                signaling: Signaling::connect(&job.url, job.subscribers + 1).await?,
                room: format!("sfu-load-{}", std::process::id()),
            },
            Server::Janus => {
                let janus = Janus::connect(&job.url).await?;
                let room = janus.create_room().await?;
                Link::Janus {
                    janus,
                    room,
                    feed: Mutex::new(None),
                    idle: Mutex::default(),
                }
            }
        })
    }

    /// Publishes the publisher's (endpoint 0's) offer: the server's answer.
    pub async fn publish(&self, offer: String) -> Result<String, String> {
        match self {
            Link::Moim { signaling, room } => {
                signaling.join(0, room).await?;
                signaling.offer(0, offer).await
            }
            Link::Janus {
                janus, room, feed, ..
            } => {
                let (id, answer) = janus.publish(*room, &offer).await?;
                *feed.lock().unwrap() = Some(id);
                Ok(answer)
            }
        }
    }

    /// Negotiates subscriber `i`'s first exchange on `rtc`.
    pub async fn subscribe(&self, i: usize, rtc: &mut Rtc) -> Result<(), String> {
        match self {
            Link::Moim { signaling, room } => {
                signaling.join(i, room).await?;
                let mut api = rtc.sdp_api();
                // Receive only: one recvonly audio m-line keeps the first offer from
                // being empty (the SFU publishes nothing for it). Not a data channel:
                // browsers open none to the SFU, and an SCTP association makes str0m
                // poll it on every output, ~9 % of the server's CPU in this benchmark.
                api.add_media(MediaKind::Audio, Direction::RecvOnly, None, None, None);
                let (offer, pending) = api.apply().ok_or("a subscriber's offer is empty")?;
                let answer = signaling.offer(i, offer.to_sdp_string()).await?;
                let answer = SdpAnswer::from_sdp_string(&answer)
                    .map_err(|e| format!("the SFU's answer: {e}"))?;
                rtc.sdp_api()
                    .accept_answer(pending, answer)
                    .map_err(|e| format!("the SFU's answer: {e}"))
            }
            Link::Janus {
                janus, room, feed, ..
            } => {
                let feed = feed.lock().unwrap().ok_or("subscribed before publishing")?;
                let (handle, offer) = janus.subscribe(*room, feed).await?;
                let offer =
                    SdpOffer::from_sdp_string(&offer).map_err(|e| format!("Janus's offer: {e}"))?;
                let answer = rtc
                    .sdp_api()
                    .accept_offer(offer)
                    .map_err(|e| format!("Janus's offer: {e}"))?;
                janus.start(handle, &answer.to_sdp_string()).await
            }
        }
    }

    /// Endpoint `i`'s channels: the server's later offers in, answers out.
    pub fn endpoint(&self, i: usize) -> (Offers, Answers) {
        match self {
            Link::Moim { signaling, .. } => signaling.endpoint(i),
            Link::Janus { idle, .. } => {
                let (offers_tx, offers) = mpsc::unbounded_channel();
                idle.lock().unwrap().push(offers_tx);
                let (answers, _) = mpsc::unbounded_channel();
                (offers, answers)
            }
        }
    }
}
