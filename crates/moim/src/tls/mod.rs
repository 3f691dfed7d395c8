//! HTTPS: browsers allow the camera and microphone only on a secure origin, so
//! a phone on the LAN needs `https://` to join a call.
//!
//! - [`certificate`]: the operator's certificate or a self-signed one kept in
//!   the data dir (named for this machine by [`crate::lan`]), and its
//!   fingerprint.
//! - [`acme`]: certificates from Let's Encrypt or another ACME CA, renewed.
//! - [`listener`]: the TLS handshake in front of the axum router (the accept
//!   loop is plain HTTP's too: [`crate::http::listen`]).
//! - [`redirect`]: plain HTTP on the HTTPS port gets a redirect, not a hang.

pub mod acme;
pub mod certificate;
pub mod listener;
pub mod redirect;

pub use certificate::{Certificate, TlsError};
