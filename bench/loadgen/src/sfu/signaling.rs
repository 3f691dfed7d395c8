//! The SFU scenario's signaling: `join`, `sfu-offer` and `sfu-answer` on
//! `/moim`, and the server's `sfu-offer` events routed to each endpoint.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

use crate::sio::{self, Client, Filters};

const NS: &str = "/moim";

type Waiting = Arc<Mutex<HashMap<(usize, u64), oneshot::Sender<Value>>>>;

pub struct Signaling {
    clients: Vec<Client>,
    waiting: Waiting,
    offers: Vec<Mutex<Option<mpsc::UnboundedReceiver<String>>>>,
    next_ack: AtomicU64,
}

impl Signaling {
    /// `count` clients on `/moim`, with a task routing acks and server offers.
    pub async fn connect(url: &str, count: usize) -> Result<Self, String> {
        let filters: Filters = Arc::new(|| {
            Box::new(|packet: &str| {
                packet.starts_with("3/moim,") || packet.starts_with(r#"2/moim,["sfu-offer""#)
            })
        });
        let (tx, mut rx) = mpsc::unbounded_channel();
        let clients = sio::connect_many(url, NS, count, &tx, filters).await?;
        let waiting: Waiting = Arc::default();
        let mut offer_txs = Vec::with_capacity(count);
        let mut offers = Vec::with_capacity(count);
        for _ in 0..count {
            let (tx, rx) = mpsc::unbounded_channel();
            offer_txs.push(tx);
            offers.push(Mutex::new(Some(rx)));
        }
        let routes = waiting.clone();
        tokio::spawn(async move {
            while let Some(incoming) = rx.recv().await {
                let Some(packet) = sio::parse(NS, &incoming.packet) else {
                    continue;
                };
                let Ok(Value::Array(args)) = serde_json::from_str::<Value>(packet.json) else {
                    continue;
                };
                match (packet.kind, packet.ack) {
                    (b'3', Some(id)) => {
                        let route = routes.lock().unwrap().remove(&(incoming.client, id));
                        if let (Some(route), Some(value)) = (route, args.into_iter().next()) {
                            route.send(value).ok();
                        }
                    }
                    (b'2', _) => {
                        if let Some(sdp) = args.get(1).and_then(|v| v["sdp"].as_str()) {
                            offer_txs[incoming.client].send(sdp.to_owned()).ok();
                        }
                    }
                    _ => {}
                }
            }
        });
        Ok(Self {
            clients,
            waiting,
            offers,
            next_ack: AtomicU64::new(1),
        })
    }

    async fn request(&self, client: usize, event: &str, payload: Value) -> Result<Value, String> {
        let id = self.next_ack.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.waiting.lock().unwrap().insert((client, id), tx);
        self.clients[client].send(sio::event(NS, Some(id), &json!([event, payload])));
        let reply = tokio::time::timeout(Duration::from_secs(15), rx)
            .await
            .map_err(|_| format!("no answer to {event} in 15 s"))?
            .map_err(|_| format!("{event}: the connection closed"))?;
        match reply.get("ok") {
            Some(ok) => Ok(ok.clone()),
            None => Err(format!("{event} refused: {reply}")),
        }
    }

    pub async fn join(&self, client: usize, room: &str) -> Result<(), String> {
        self.request(
            client,
            "join",
            json!({ "room": room, "name": format!("load-{client}") }),
        )
        .await
        .map(drop)
    }

    /// Sends an endpoint's first offer; the SFU's answer.
    pub async fn offer(&self, client: usize, sdp: String) -> Result<String, String> {
        let ok = self
            .request(client, "sfu-offer", json!({ "sdp": sdp }))
            .await?;
        ok["sdp"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| "sfu-offer: no sdp in the ack".to_owned())
    }

    /// The channels of endpoint `client`: the server's offers in, its answers out.
    pub fn endpoint(
        &self,
        client: usize,
    ) -> (
        mpsc::UnboundedReceiver<String>,
        mpsc::UnboundedSender<String>,
    ) {
        let offers = self.offers[client]
            .lock()
            .unwrap()
            .take()
            .expect("one endpoint per client");
        let (tx, mut rx) = mpsc::unbounded_channel::<String>();
        let sender = self.clients[client].clone();
        tokio::spawn(async move {
            while let Some(sdp) = rx.recv().await {
                // The ack is not waited for: the next offer comes only after it.
                sender.send(sio::event(
                    NS,
                    Some(0),
                    &json!(["sfu-answer", { "sdp": sdp }]),
                ));
            }
        });
        (offers, tx)
    }
}
