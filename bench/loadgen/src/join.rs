//! Scenario 1, join: C clients connect to `/`, then all send
//! `enter_room("room-<i mod R>", done)` at once. A client has joined when it
//! has its ack and a `room_change` listing all R rooms (as the course's page
//! shows them). Also reads the server's RSS with C sockets connected.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::procfs;
use crate::sio::{self, Filters};

/// What the join scenario is asked to do.
pub struct Join {
    pub url: String,
    pub pid: u32,
    pub clients: usize,
    pub rooms: usize,
    pub timeout: Duration,
}

pub async fn run(job: Join) -> Result<Value, String> {
    let idle = procfs::usage(Some(job.pid));
    let rooms = job.rooms;
    // Reading n² room lists is the generator's main cost on the course server:
    // count the rooms without parsing, and stop looking once a client has them all.
    let filters: Filters = std::sync::Arc::new(move || {
        let mut listed = false;
        Box::new(move |packet: &str| {
            if packet.starts_with('3') {
                return true;
            }
            if !listed
                && packet.starts_with(r#"2["room_change""#)
                && packet.matches("\"room-").count() >= rooms
            {
                listed = true;
                return true;
            }
            false
        })
    });
    let (tx, mut rx) = mpsc::unbounded_channel();
    let started = Instant::now();
    let clients = sio::connect_many(&job.url, "/", job.clients, &tx, filters).await?;
    let connect_ms = started.elapsed().as_secs_f64() * 1000.0;
    // Let the connect-time traffic settle before reading memory.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let connected = procfs::usage(Some(job.pid));

    let server_before = procfs::usage(Some(job.pid));
    let self_before = procfs::usage(None);
    let t0 = Instant::now();
    for (i, client) in clients.iter().enumerate() {
        client.send(sio::event(
            "/",
            Some(1),
            &json!(["enter_room", format!("room-{}", i % job.rooms)]),
        ));
    }
    // Bit 1: acked, bit 2: full list.
    let mut state = vec![0u8; job.clients];
    let mut done = 0;
    let deadline = tokio::time::Instant::now() + job.timeout;
    while done < job.clients {
        let Ok(Some(incoming)) = tokio::time::timeout_at(deadline, rx.recv()).await else {
            break;
        };
        let bit = if incoming.packet.starts_with('3') {
            1
        } else {
            2
        };
        let s = &mut state[incoming.client];
        if *s & bit == 0 {
            *s |= bit;
            if *s == 3 {
                done += 1;
            }
        }
    }
    let elapsed = t0.elapsed();
    let server_after = procfs::usage(Some(job.pid));
    let self_after = procfs::usage(None);
    let (server_cpu, _) = procfs::between(server_before, server_after);
    let (self_cpu, wall) = procfs::between(self_before, self_after);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let joined = procfs::usage(Some(job.pid));
    drop(clients);
    Ok(json!({
        "scenario": "join",
        "clients": job.clients,
        "rooms": job.rooms,
        "connectMs": connect_ms.round(),
        "allJoined": done == job.clients,
        "joinedClients": done,
        "allJoinedMs": (elapsed.as_secs_f64() * 1000.0).round(),
        "serverCpuMs": server_cpu.as_millis() as u64,
        "serverKernelShare": procfs::kernel_share(server_before, server_after),
        "serverRssIdleKiB": idle.rss_kib,
        "serverRssConnectedKiB": connected.rss_kib,
        "serverRssJoinedKiB": joined.rss_kib,
        "generatorCpuMs": self_cpu.as_millis() as u64,
        "generatorBusy": self_cpu.as_secs_f64() / wall.as_secs_f64().max(1e-9),
    }))
}
