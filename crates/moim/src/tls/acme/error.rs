//! [`AcmeError`]: why a certificate could not be obtained. Every step of an
//! issuance (`client.rs`, `order.rs`, `cache.rs`, `resolver.rs`) returns it.

use crate::tls::TlsError;

/// Why a certificate could not be obtained.
#[derive(Debug, thiserror::Error)]
pub enum AcmeError {
    /// The CA answered with an error, or could not be reached.
    #[error(transparent)]
    Ca(#[from] instant_acme::Error),
    /// The CA could not validate the challenges.
    #[error("the CA could not validate this server: {0}")]
    Invalid(String),
    /// Something the CA sent, or needs, is not what ACME promises.
    #[error("{0}")]
    Protocol(&'static str),
    /// A file, key or certificate.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// A challenge certificate could not be made.
    #[error("cannot make a challenge certificate: {0}")]
    Generate(#[from] rcgen::Error),
}
