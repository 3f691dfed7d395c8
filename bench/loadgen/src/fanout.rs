//! Scenario 2, fan-out: rooms of S clients on `/`; one member of each room, or
//! all of them, send `new_message(text, room, done)` at a set total rate. Each
//! text carries its send time, so every delivery gives a latency; deliveries
//! per server CPU-second = deliveries received / server CPU while sending.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::procfs;
use crate::sio::{self, Filters};
use crate::stats::percentile_ms;

/// What the fan-out scenario is asked to do.
pub struct Fanout {
    pub url: String,
    pub pid: u32,
    pub rooms: usize,
    pub room_size: usize,
    /// Every member sends (else only the first of each room).
    pub all_send: bool,
    /// Messages per second, all senders together.
    pub rate: f64,
    pub seconds: f64,
}

pub async fn run(job: Fanout) -> Result<Value, String> {
    let count = job.rooms * job.room_size;
    let filters: Filters = std::sync::Arc::new(|| {
        Box::new(|packet: &str| packet.starts_with('3') || packet.starts_with(r#"2["new_message""#))
    });
    let (tx, mut rx) = mpsc::unbounded_channel();
    let clients = sio::connect_many(&job.url, "/", count, &tx, filters).await?;
    let room_of = |i: usize| format!("room-{}", i / job.room_size);
    for (i, client) in clients.iter().enumerate() {
        client.send(sio::event("/", Some(0), &json!(["enter_room", room_of(i)])));
    }
    let mut acked = 0;
    while acked < count {
        match tokio::time::timeout(Duration::from_secs(30), rx.recv()).await {
            Ok(Some(_)) => acked += 1,
            _ => return Err(format!("only {acked} of {count} joins acknowledged")),
        }
    }
    // Let the room-list traffic of the joins drain before measuring.
    tokio::time::sleep(Duration::from_secs(1)).await;
    while rx.try_recv().is_ok() {}

    let senders: Vec<usize> = if job.all_send {
        (0..count).collect()
    } else {
        (0..job.rooms).map(|r| r * job.room_size).collect()
    };
    let mut latencies = Vec::with_capacity((job.rate * job.seconds) as usize * job.room_size);
    let (mut sent, mut acks, mut delivered) = (0u64, 0u64, 0u64);
    let server_before = procfs::usage(Some(job.pid));
    let self_before = procfs::usage(None);
    let epoch = Instant::now();
    let sending = Duration::from_secs_f64(job.seconds);
    let mut tick = tokio::time::interval(Duration::from_millis(5));
    let mut last_send = epoch;
    let mut on_packet = |incoming: sio::Incoming, acks: &mut u64, delivered: &mut u64| {
        if incoming.packet.starts_with('3') {
            *acks += 1;
            return;
        }
        // `2["new_message","Anon: <sender>:<micros>"]`
        let micros = incoming
            .packet
            .rsplit_once(':')
            .and_then(|(_, t)| t.trim_end_matches(['"', ']']).parse::<u64>().ok());
        if let Some(micros) = micros {
            *delivered += 1;
            let sent_at = epoch + Duration::from_micros(micros);
            latencies.push(incoming.at.saturating_duration_since(sent_at));
        }
    };
    loop {
        let elapsed = epoch.elapsed();
        if elapsed >= sending {
            break;
        }
        tokio::select! {
            _ = tick.tick() => {
                let due = (job.rate * epoch.elapsed().as_secs_f64()) as u64;
                while sent < due {
                    let who = senders[sent as usize % senders.len()];
                    let micros = epoch.elapsed().as_micros() as u64;
                    let text = format!("{who}:{micros}");
                    clients[who].send(sio::event("/", Some(sent % 1000), &json!(["new_message", text, room_of(who)])));
                    sent += 1;
                }
                last_send = Instant::now();
            }
            Some(incoming) = rx.recv() => on_packet(incoming, &mut acks, &mut delivered),
        }
    }
    let expected = sent * (job.room_size as u64 - 1);
    let drain_until = tokio::time::Instant::from_std(last_send) + Duration::from_secs(2);
    while delivered < expected || acks < sent {
        match tokio::time::timeout_at(drain_until, rx.recv()).await {
            Ok(Some(incoming)) => on_packet(incoming, &mut acks, &mut delivered),
            _ => break,
        }
    }
    let server_after = procfs::usage(Some(job.pid));
    let self_after = procfs::usage(None);
    let (server_cpu, wall) = procfs::between(server_before, server_after);
    let (self_cpu, _) = procfs::between(self_before, self_after);
    drop(clients);
    Ok(json!({
        "scenario": "fanout",
        "rooms": job.rooms,
        "roomSize": job.room_size,
        "senders": senders.len(),
        "rate": job.rate,
        "sent": sent,
        "acks": acks,
        "expected": expected,
        "delivered": delivered,
        "loss": 1.0 - delivered as f64 / expected.max(1) as f64,
        "deliveriesPerCpuSecond": delivered as f64 / server_cpu.as_secs_f64().max(0.01),
        "serverCpuMs": server_cpu.as_millis() as u64,
        "serverKernelShare": procfs::kernel_share(server_before, server_after),
        "wallMs": wall.as_millis() as u64,
        "p50Ms": percentile_ms(&mut latencies, 50.0),
        "p99Ms": percentile_ms(&mut latencies, 99.0),
        "generatorCpuMs": self_cpu.as_millis() as u64,
        "generatorBusy": self_cpu.as_secs_f64() / wall.as_secs_f64().max(1e-9),
    }))
}
