//! moim-sfu's integration tests, one test binary (each file here was a binary
//! of its own, each linked with thin LTO). Run one area with `cargo test
//! --release --workspace --test it -- simulcast::`.
//!
//! The tests share this process and run side by side: the crypto provider is
//! installed once for all (`moim_sfu::install_crypto`), and the driver's
//! tests bind only ephemeral loopback ports. Helpers are in `support/`.

mod support;

mod audio;
mod codecs;
mod driver;
mod forwarding;
mod late_join;
mod retransmission;
mod sdp_input;
mod simulcast;
