//! A chain and its private key as rustls serves them: the issued certificate
//! (`cache.rs`) and each TLS-ALPN-01 challenge certificate (`resolver.rs`).

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;

use super::error::AcmeError;
use crate::tls::TlsError;

/// A chain and key in the form rustls serves.
pub(super) fn certified_key(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<CertifiedKey>, AcmeError> {
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let signing = provider
        .key_provider
        .load_private_key(key)
        .map_err(TlsError::Rustls)?;
    Ok(Arc::new(CertifiedKey::new(chain, signing)))
}
