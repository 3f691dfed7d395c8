//! moim-loadgen: drives a Socket.IO server (moim or the Node reference) with
//! one benchmark scenario and prints one JSON object of results.
//!
//! ```text
//! moim-loadgen join      --url ws://127.0.0.1:PORT --pid PID --clients 1000 --rooms 50 [--timeout 60]
//! moim-loadgen fanout    --url … --pid … --rooms 50 --room-size 6 --senders one|all --rate 1000 [--seconds 5]
//! moim-loadgen signaling --url … --pid … --clients 100 --rooms 20 [--window-ms 1000] --protocol moim|course
//! moim-loadgen sfu       --url … --pid … --subscribers 10 [--seconds 10] [--video-kbps 2500] [--fps 30] [--server moim|janus] [--bind IP]
//! ```
//!
//! It runs on one thread (pin it with `taskset`), so "generatorBusy" near 1.0
//! means the generator, not the server, set the pace; the runner
//! (`bench/run.mjs`) refuses such runs.
//!
//! Layout: `sio.rs` the Socket.IO client, `join.rs` / `fanout.rs` /
//! `signaling.rs`, `sfu/` one scenario each, `procfs.rs` CPU and memory readings,
//! `stats.rs` percentiles.

mod fanout;
mod join;
mod procfs;
mod sfu;
mod signaling;
mod sio;
mod stats;

use std::collections::HashMap;
use std::time::Duration;

/// `--name value` pairs after the scenario name.
struct Args(HashMap<String, String>);

impl Args {
    fn parse(raw: &[String]) -> Result<Self, String> {
        let mut map = HashMap::new();
        let mut it = raw.iter();
        while let Some(key) = it.next() {
            let name = key
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {key:?}"))?;
            let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
            map.insert(name.to_owned(), value.clone());
        }
        Ok(Args(map))
    }

    fn str(&self, name: &str) -> Result<String, String> {
        self.0
            .get(name)
            .cloned()
            .ok_or_else(|| format!("--{name} is required"))
    }

    fn num<T: std::str::FromStr>(&self, name: &str, default: Option<T>) -> Result<T, String> {
        match self.0.get(name) {
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v:?}")),
            None => default.ok_or_else(|| format!("--{name} is required")),
        }
    }
}

async fn run(scenario: &str, args: &Args) -> Result<serde_json::Value, String> {
    let url = args.str("url")?.replacen("http://", "ws://", 1);
    let pid = args.num("pid", None)?;
    match scenario {
        "join" => {
            join::run(join::Join {
                url,
                pid,
                clients: args.num("clients", Some(1000))?,
                rooms: args.num("rooms", Some(50))?,
                timeout: Duration::from_secs_f64(args.num("timeout", Some(60.0))?),
            })
            .await
        }
        "fanout" => {
            fanout::run(fanout::Fanout {
                url,
                pid,
                rooms: args.num("rooms", Some(50))?,
                room_size: args.num("room-size", Some(6))?,
                all_send: match args.str("senders")?.as_str() {
                    "all" => true,
                    "one" => false,
                    other => return Err(format!("--senders one|all, not {other:?}")),
                },
                rate: args.num("rate", Some(1000.0))?,
                seconds: args.num("seconds", Some(5.0))?,
            })
            .await
        }
        "signaling" => {
            signaling::run(signaling::Signaling {
                url,
                pid,
                clients: args.num("clients", Some(100))?,
                rooms: args.num("rooms", Some(20))?,
                window: Duration::from_millis(args.num("window-ms", Some(1000))?),
                protocol: match args.str("protocol")?.as_str() {
                    "moim" => signaling::Protocol::Moim,
                    "course" => signaling::Protocol::Course,
                    other => return Err(format!("--protocol moim|course, not {other:?}")),
                },
                timeout: Duration::from_secs_f64(args.num("timeout", Some(30.0))?),
            })
            .await
        }
        "sfu" => {
            sfu::run(sfu::SfuLoad {
                server: match args.0.get("server").map_or("moim", String::as_str) {
                    "moim" => sfu::Server::Moim,
                    "janus" => sfu::Server::Janus,
                    other => return Err(format!("--server moim|janus, not {other:?}")),
                },
                url,
                bind: match args.0.get("bind") {
                    Some(ip) => ip
                        .parse()
                        .map_err(|_| format!("--bind: not an IP address: {ip:?}"))?,
                    None => std::net::Ipv4Addr::LOCALHOST.into(),
                },
                pid,
                subscribers: args.num("subscribers", Some(10))?,
                seconds: args.num("seconds", Some(10.0))?,
                video_bps: args.num::<u64>("video-kbps", Some(2500))? * 1000,
                fps: args.num("fps", Some(30))?,
            })
            .await
        }
        other => Err(format!(
            "unknown scenario {other:?}: join, fanout, signaling or sfu"
        )),
    }
}

fn main() -> std::process::ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let Some((scenario, rest)) = raw.split_first() else {
        eprintln!(
            "usage: moim-loadgen join|fanout|signaling|sfu --url ws://HOST:PORT --pid PID [options]"
        );
        return std::process::ExitCode::from(2);
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let outcome = Args::parse(rest).and_then(|args| runtime.block_on(run(scenario, &args)));
    match outcome {
        Ok(result) => {
            println!("{result}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("moim-loadgen: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
