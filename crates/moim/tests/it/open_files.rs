//! The open-files limit: moim as a child process started under a limit of
//! 256 files (soft and hard, so it cannot raise it), flooded with idle
//! connections. Before, the process ran out of descriptors: `accept` failed
//! with `EMFILE` and nobody else got in, `/healthz` included. The limit is
//! set by the child's shell (`ulimit`), never in this process: every
//! integration test runs in it.

use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{PATIENCE, closed_within, connect_from, descriptor_hog, healthz_on};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

/// The child's open-files limit.
const LIMIT: u32 = 256;

/// moim under `ulimit -n 256`, its log kept.
struct Limited {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
    data_dir: std::path::PathBuf,
}

impl Limited {
    async fn start(name: &str, extra: &[&str]) -> Limited {
        let data_dir =
            std::env::temp_dir().join(format!("moim-nofile-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&data_dir).ok();
        // Soft first: a hard limit below the soft one is refused.
        let script = format!("ulimit -Sn {LIMIT} && ulimit -Hn {LIMIT} && exec \"$@\"");
        let mut command = Command::new("sh");
        command
            .args(["-c", &script, "sh", env!("CARGO_BIN_EXE_moim")])
            .args(["--addr", "127.0.0.1:0", "--media-port", "0", "--data-dir"])
            .arg(&data_dir)
            .args(extra)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("start moim");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, mut lines) = mpsc::unbounded_channel();
        keep(child.stdout.take().expect("piped"), tx.clone(), log.clone());
        keep(child.stderr.take().expect("piped"), tx, log.clone());
        let addr = tokio::time::timeout(PATIENCE, async {
            while let Some(line) = lines.recv().await {
                if let Some((_, url)) = line.split_once("moim is listening on http://") {
                    let addr = url.split_whitespace().next().expect("an address");
                    return addr.parse::<SocketAddr>().expect("a socket address");
                }
            }
            panic!("moim exited before listening: {:?}", log.lock().unwrap());
        })
        .await
        .expect("moim listens in time");
        Limited {
            child,
            addr,
            log,
            data_dir,
        }
    }

    fn said(&self, needle: &str) -> bool {
        self.log
            .lock()
            .unwrap()
            .iter()
            .any(|line| line.contains(needle))
    }

    async fn stop(mut self) {
        self.child.start_kill().ok();
        self.child.wait().await.ok();
        std::fs::remove_dir_all(&self.data_dir).ok();
    }
}

/// Keeps reading `stream` (a full pipe would block the server's logging).
fn keep(
    stream: impl AsyncRead + Unpin + Send + 'static,
    tx: mpsc::UnboundedSender<String>,
    log: Arc<Mutex<Vec<String>>>,
) {
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            log.lock().unwrap().push(line.clone());
            tx.send(line).ok();
        }
    });
}

#[tokio::test]
async fn idle_connections_from_one_address_cannot_take_every_file() {
    let _one_flood_at_a_time = descriptor_hog().await;
    let server = Limited::start(
        "one",
        &["--max-conns-per-ip", "100", "--header-timeout", "60"],
    )
    .await;
    let mut idle = Vec::new();
    for _ in 0..400 {
        idle.push(connect_from("127.0.0.7", server.addr).await);
    }
    let mut other = connect_from("127.0.0.8", server.addr).await;
    let status = healthz_on(&mut other).await;
    let log = server.log.lock().unwrap().join("\n");
    assert_eq!(
        status,
        Some(200),
        "/healthz answers beside 400 idle connections:\n{log}"
    );
    assert!(
        closed_within(idle.last_mut().unwrap(), PATIENCE).await,
        "the connections beyond the address's cap were closed"
    );
    server.stop().await;
}

#[tokio::test]
async fn past_the_open_files_budget_connections_are_refused_not_queued() {
    let _one_flood_at_a_time = descriptor_hog().await;
    let server = Limited::start(
        "all",
        &["--max-conns-per-ip", "0", "--header-timeout", "60"],
    )
    .await;
    // 256 files, 64 kept for the rest: 192 connections.
    assert!(
        server.said("at most 192 at once"),
        "{:?}",
        server.log.lock().unwrap()
    );
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(connect_from("127.0.0.9", server.addr).await);
    }
    for (i, stream) in idle.iter_mut().enumerate().skip(250) {
        assert!(
            closed_within(stream, PATIENCE).await,
            "connection {i} is refused at once, not left in the queue"
        );
    }
    assert!(
        !server.said("out of file descriptors"),
        "the budget kept the process from running out: {:?}",
        server.log.lock().unwrap()
    );
    drop(idle);
    // Once the flood is gone, everyone is served again.
    let until = tokio::time::Instant::now() + PATIENCE;
    loop {
        let mut again = connect_from("127.0.0.10", server.addr).await;
        if healthz_on(&mut again).await == Some(200) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < until,
            "served again after the flood"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.stop().await;
}
