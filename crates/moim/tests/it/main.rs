//! moim's integration tests, one test binary: each file here was a binary of
//! its own, and each linked all of moim with thin LTO (most of the test build's
//! time). Run one area with `cargo test --release --workspace --test it --
//! turn_guard::`, or one test by its path, `http::healthz_reports_version_and_uptime`.
//!
//! The tests share this process and run side by side, so nothing here may
//! change what the process has for everyone: no environment variables, no
//! `setrlimit` (the open-files test limits a moim child process instead), no
//! global tracing subscriber or crypto provider, no fixed ports but TURN's
//! relay range (shared, and picked at random with retries). The few tests
//! that hold hundreds of descriptors take [`support::descriptor_hog`] first.
//! Helpers are in `support/`: the in-process server (`support/mod.rs`), pebble
//! and the moim binary as child processes (`support/acme.rs`), TURN clients
//! (`support/turn/`).

mod support;

mod acme;
mod connections;
mod coturn;
mod http;
mod https;
mod node_link;
mod open_files;
mod placement;
mod turn;
mod turn_guard;
mod ws_chat;
