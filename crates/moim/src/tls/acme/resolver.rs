//! Which certificate a TLS handshake gets: the one issued by the ACME CA, or,
//! when the CA's validation server asks for `acme-tls/1`, the challenge
//! certificate for the name it validates (TLS-ALPN-01, RFC 8737). Both share
//! moim's HTTPS port, so one open port 443 is all a server needs.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

use super::error::AcmeError;
use super::key::certified_key;

/// The ALPN protocol of TLS-ALPN-01 validation.
pub const ACME_TLS_ALPN: &[u8] = b"acme-tls/1";

/// The certificates the HTTPS listener serves; changed in place on issuance
/// and renewal, so a new certificate needs no restart.
#[derive(Debug, Default)]
pub struct Resolver {
    current: RwLock<Option<Arc<CertifiedKey>>>,
    challenges: RwLock<HashMap<String, Arc<CertifiedKey>>>,
}

impl Resolver {
    /// Serves `key` from the next handshake on.
    pub fn set_current(&self, key: Arc<CertifiedKey>) {
        // Invariant: no code panics while holding these locks.
        *self.current.write().expect("lock not poisoned") = Some(key);
    }

    /// Answers a validation of `domain` with a certificate carrying `digest`,
    /// the SHA-256 of the challenge's key authorization.
    pub fn add_challenge(&self, domain: &str, digest: &[u8]) -> Result<(), AcmeError> {
        let key = challenge_certificate(domain, digest)?;
        self.challenges
            .write()
            .expect("lock not poisoned")
            .insert(domain.to_ascii_lowercase(), key);
        Ok(())
    }

    /// Forgets every challenge certificate (the order is over, one way or the other).
    pub fn clear_challenges(&self) {
        self.challenges.write().expect("lock not poisoned").clear();
    }
}

impl ResolvesServerCert for Resolver {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let validation = hello
            .alpn()
            .is_some_and(|mut protocols| protocols.any(|p| p == ACME_TLS_ALPN));
        if validation {
            let name = hello.server_name()?.to_ascii_lowercase();
            return self
                .challenges
                .read()
                .expect("lock not poisoned")
                .get(&name)
                .cloned();
        }
        // Before the first certificate arrives the handshake fails: there is
        // nothing trustworthy to offer yet.
        self.current.read().expect("lock not poisoned").clone()
    }
}

/// The self-signed certificate TLS-ALPN-01 asks for: the validated name as its
/// only SAN and the critical `acmeIdentifier` extension holding `digest`.
fn challenge_certificate(domain: &str, digest: &[u8]) -> Result<Arc<CertifiedKey>, AcmeError> {
    if digest.len() != 32 {
        return Err(AcmeError::Protocol(
            "a key authorization digest is not SHA-256",
        ));
    }
    let mut params = rcgen::CertificateParams::new(vec![domain.to_owned()])?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.custom_extensions = vec![rcgen::CustomExtension::new_acme_identifier(digest)];
    let key = rcgen::KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    certified_key(
        vec![cert.der().clone()],
        rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    )
}
