//! coturn interop: credentials moim hands to participants are accepted by a real
//! coturn (Debian's `coturn` package) started with `use-auth-secret` and the
//! same `static-auth-secret`. This is the production set-up `--turn-url`
//! is for. The test fails, rather than skips, when coturn is not installed:
//! `.ci/run` installs it.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::turn::*;
use moim::ice::{IceServers, TurnIce, TurnUrls};
use moim::turn::TurnSecret;
use tokio::net::UdpSocket;

const SECRET: &str = "shared between moim and coturn";

/// A coturn on loopback, killed when dropped.
struct Coturn {
    child: Child,
    addr: SocketAddr,
    dir: std::path::PathBuf,
}

impl Drop for Coturn {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

fn turnserver() -> &'static str {
    for candidate in ["/usr/bin/turnserver", "/usr/local/bin/turnserver"] {
        if std::path::Path::new(candidate).exists() {
            return candidate;
        }
    }
    panic!("coturn's `turnserver` is not installed: apt-get install coturn (.ci/run does)");
}

async fn free_udp_port() -> u16 {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket.local_addr().unwrap().port()
}

async fn start_coturn() -> Coturn {
    let port = free_udp_port().await;
    let dir = std::env::temp_dir().join(format!("moim-coturn-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let child = Command::new(turnserver())
        .args([
            "-n",
            "--listening-ip=127.0.0.1",
            "--relay-ip=127.0.0.1",
            &format!("--listening-port={port}"),
            "--min-port=42000",
            "--max-port=42099",
            "--use-auth-secret",
            &format!("--static-auth-secret={SECRET}"),
            "--realm=moim",
            "--no-tls",
            "--no-dtls",
            "--no-tcp",
            "--no-cli",
            "--allow-loopback-peers",
            "--no-stdout-log",
            &format!("--log-file={}", dir.join("turn.log").display()),
            &format!("--pidfile={}", dir.join("turn.pid").display()),
            &format!("--db={}", dir.join("turndb").display()),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start turnserver");
    let mut coturn = Coturn {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        dir,
    };
    wait_until_ready(&mut coturn).await;
    coturn
}

/// Asks coturn for a Binding until it answers (it takes a moment to start).
async fn wait_until_ready(coturn: &mut Coturn) {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut buf = [0u8; 1500];
    let mut n = 0u32;
    loop {
        if let Ok(Some(status)) = coturn.child.try_wait() {
            let log = std::fs::read_dir(&coturn.dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
                .collect::<Vec<_>>()
                .join("\n");
            panic!("turnserver exited with {status}:\n{log}");
        }
        assert!(
            Instant::now() < deadline,
            "coturn did not answer within 15 s"
        );
        n += 1;
        socket
            .send_to(&stun_header(BINDING_REQUEST, tid(n)), coturn.addr)
            .await
            .unwrap();
        if let Ok(Ok((len, _))) =
            tokio::time::timeout(Duration::from_millis(200), socket.recv_from(&mut buf)).await
            && parse_stun(&buf[..len]).is_some_and(|(typ, _)| typ == 0x0101)
        {
            return;
        }
    }
}

/// The TURN entry moim gives `participant` when `--turn-url` points at `addr`.
fn moim_credentials(secret: &str, addr: SocketAddr, participant: &str) -> (String, String) {
    let ice = IceServers {
        fixed: Vec::new(),
        turn: Some(TurnIce {
            urls: TurnUrls::External(vec![format!("turn:{addr}")]),
            secret: TurnSecret::new(secret),
            ttl: Duration::from_secs(600),
        }),
    };
    let servers = ice.for_participant(participant, Some("moim.example.org"));
    assert_eq!(servers.len(), 1);
    assert_eq!(
        servers[0].urls,
        vec![format!("turn:{addr}")],
        "the --turn-url as given"
    );
    (
        servers[0].username.clone().expect("a username"),
        servers[0].credential.clone().expect("a password"),
    )
}

#[tokio::test]
async fn coturn_accepts_moims_credentials_and_relays() {
    let coturn = start_coturn().await;
    let (username, password) = moim_credentials(SECRET, coturn.addr, "Xk2f-participant");
    let client = client(coturn.addr, &username, &password).await;
    let relayed = relay_both_ways(&client).await;
    assert!((42000..=42099).contains(&relayed.port()), "{relayed}");
    client.close().await.ok();
}

#[tokio::test]
async fn coturn_refuses_credentials_from_another_secret() {
    let coturn = start_coturn().await;
    let (username, password) = moim_credentials("not the shared secret", coturn.addr, "p");
    let client = client(coturn.addr, &username, &password).await;
    let outcome = tokio::time::timeout(PATIENCE, client.allocate())
        .await
        .expect("answered in time");
    match outcome {
        Ok(_) => panic!("coturn must refuse credentials signed with another secret"),
        Err(e) => assert!(e.to_string().contains("401"), "{e}"),
    }
    client.close().await.ok();
}
