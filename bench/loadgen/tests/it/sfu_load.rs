//! The SFU load client at small N, as CI runs it: moim in this process (`--sfu
//! always`, two SFU workers, media on loopback), `moim-loadgen sfu` with one publisher and three
//! subscribers. Every subscriber gets every frame the publisher wrote.

use std::process::Command;
use std::time::Duration;

use clap::Parser;
use tokio::net::TcpListener;

#[test]
fn every_subscriber_gets_every_frame_through_the_sfu() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let data_dir = std::env::temp_dir().join(format!("moim-sfu-load-{}", std::process::id()));
    let config = moim::Config::parse_from([
        "moim",
        "--data-dir",
        data_dir.to_str().unwrap(),
        "--sfu",
        "always",
        "--public-ip",
        "127.0.0.1",
        "--media-port",
        "0",
        "--no-history",
        "--sfu-workers",
        "2",
    ]);
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(moim::run(config, listener, async move {
        stopped.await.ok();
    }));

    let output = Command::new(env!("CARGO_BIN_EXE_moim-loadgen"))
        .args([
            "sfu",
            "--url",
            &url,
            "--pid",
            &std::process::id().to_string(),
        ])
        .args(["--subscribers", "3", "--seconds", "2"])
        .output()
        .expect("the load client runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "moim-loadgen sfu failed: {}{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON object");
    let sent = result["framesSent"].as_u64().unwrap();
    assert!(sent >= 50, "about 30 frames a second for 2 s: {result}");
    assert_eq!(
        result["framesReceived"].as_u64(),
        Some(3 * sent),
        "{result}"
    );
    assert_eq!(
        result["subscribersMissingFrames"].as_u64(),
        Some(0),
        "{result}"
    );
    assert!(
        result["bytesForwarded"].as_u64().unwrap() > 3 * 2 * 2_500_000 / 8 * 9 / 10,
        "{result}"
    );
    // A frame reaches the socket before it is reassembled, both within a second.
    let ms = |key: &str| result[key].as_f64().unwrap_or(f64::NAN);
    let (at_socket, reassembled) = (ms("latencyP50Ms"), ms("reassembledP50Ms"));
    assert!(
        at_socket > 0.0 && at_socket <= reassembled && reassembled < 1_000.0,
        "{result}"
    );

    stop.send(()).ok();
    runtime
        .block_on(async { tokio::time::timeout(Duration::from_secs(10), server).await })
        .ok();
    std::fs::remove_dir_all(&data_dir).ok();
}
