//! What ACME leaves in the data dir, so a restart neither re-registers nor
//! asks for a new certificate (Let's Encrypt limits both): one folder per CA
//! directory, holding the account key and the certificate with its key.
//!
//! ```text
//! <data-dir>/acme/<ca host>-<hash of the directory URL>/
//!     account.json   the account's key and URL (private)
//!     key.pem        the certificate's private key (private)
//!     cert.pem       the chain, leaf first
//!     domains        the names it was issued for, one a line
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use instant_acme::AccountCredentials;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;

use super::error::AcmeError;
use super::key::certified_key;
use crate::tls::TlsError;
use crate::turn::credentials::write_private;

/// A certificate from the CA with its key, ready to serve.
pub struct Issued {
    /// What the TLS listener serves.
    pub key: Arc<CertifiedKey>,
    /// The leaf's validity, for renewal.
    pub not_before: SystemTime,
    /// See `not_before`.
    pub not_after: SystemTime,
    /// `not_after` as people read it, for the logs.
    pub expires: String,
}

impl Issued {
    /// Parses a PEM chain (leaf first) and its PEM private key.
    pub fn from_pem(chain_pem: &str, key_pem: &str) -> Result<Self, AcmeError> {
        let chain: Vec<CertificateDer<'static>> = rustls_pemfile::certs(&mut chain_pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|_| AcmeError::Protocol("the CA sent a certificate chain that is not PEM"))?;
        let leaf = chain
            .first()
            .cloned()
            .ok_or(AcmeError::Protocol("the CA sent no certificate"))?;
        let private: PrivateKeyDer<'static> = rustls_pemfile::private_key(&mut key_pem.as_bytes())
            .ok()
            .flatten()
            .ok_or(AcmeError::Protocol("the certificate's key is not PEM"))?;
        let (not_before, not_after) = super::validity::validity(&leaf).ok_or(
            AcmeError::Protocol("the CA sent a certificate moim cannot read"),
        )?;
        Ok(Issued {
            key: certified_key(chain, private)?,
            not_before,
            not_after,
            expires: httpdate::fmt_http_date(not_after),
        })
    }

    /// When to renew: with a third of the lifetime left, as Let's Encrypt
    /// advises (30 days of a 90-day certificate; 2 of a 6-day one), so that
    /// failures have time to be retried and noticed before browsers refuse.
    pub fn renew_at(&self) -> SystemTime {
        renew_at(self.not_before, self.not_after)
    }
}

/// See [`Issued::renew_at`].
pub fn renew_at(not_before: SystemTime, not_after: SystemTime) -> SystemTime {
    let lifetime = not_after
        .duration_since(not_before)
        .unwrap_or(Duration::ZERO);
    not_after - lifetime / 3
}

/// The folder of one ACME directory.
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The folder for `directory` under `data_dir`.
    pub fn new(data_dir: &Path, directory: &str) -> Self {
        let host: String = directory
            .split("://")
            .nth(1)
            .unwrap_or(directory)
            .split(['/', ':'])
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
            .collect();
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, directory.as_bytes());
        let hash: String = digest.as_ref()[..4]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Cache {
            dir: data_dir.join("acme").join(format!("{host}-{hash}")),
        }
    }

    /// The account registered earlier, if any.
    pub fn account(&self) -> Option<AccountCredentials> {
        let text = std::fs::read_to_string(self.dir.join("account.json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Keeps the account for the next start.
    pub fn save_account(&self, credentials: &AccountCredentials) -> Result<(), AcmeError> {
        let text = serde_json::to_string(credentials)
            .map_err(|_| AcmeError::Protocol("the account cannot be written as JSON"))?;
        self.write("account.json", &text)
    }

    /// Forgets an account the CA no longer knows.
    pub fn forget_account(&self) -> Result<(), AcmeError> {
        let path = self.dir.join("account.json");
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(TlsError::File { path, source: e }.into())
            }
            _ => Ok(()),
        }
    }

    /// The certificate issued earlier for exactly `domains`, if it is still
    /// readable and unexpired.
    pub fn certificate(&self, domains: &[String]) -> Option<Issued> {
        let read = |name: &str| std::fs::read_to_string(self.dir.join(name)).ok();
        let kept = read("domains")?;
        let mut kept: Vec<&str> = kept.lines().collect();
        let mut wanted: Vec<&str> = domains.iter().map(String::as_str).collect();
        kept.sort_unstable();
        wanted.sort_unstable();
        if kept != wanted {
            return None;
        }
        let issued = Issued::from_pem(&read("cert.pem")?, &read("key.pem")?).ok()?;
        (issued.not_after > SystemTime::now()).then_some(issued)
    }

    /// Keeps a new certificate for the next start.
    pub fn save_certificate(
        &self,
        domains: &[String],
        chain_pem: &str,
        key_pem: &str,
    ) -> Result<(), AcmeError> {
        self.write("key.pem", key_pem)?;
        self.write("cert.pem", chain_pem)?;
        self.write("domains", &(domains.join("\n") + "\n"))
    }

    fn write(&self, name: &str, text: &str) -> Result<(), AcmeError> {
        let path = self.dir.join(name);
        std::fs::create_dir_all(&self.dir)
            .and_then(|()| write_private(&path, text))
            .map_err(|source| TlsError::File { path, source })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_comes_with_a_third_of_the_lifetime_left() {
        let day = Duration::from_secs(86_400);
        let start = SystemTime::UNIX_EPOCH + 1000 * day;
        assert_eq!(renew_at(start, start + 90 * day), start + 60 * day);
        assert_eq!(renew_at(start, start + 6 * day), start + 4 * day);
        // A certificate that ends before it starts is renewed at once.
        assert_eq!(renew_at(start, start - day), start - day);
    }

    #[test]
    fn each_directory_has_its_own_folder() {
        let data = Path::new("/data");
        let production = Cache::new(data, "https://acme-v02.api.letsencrypt.org/directory");
        let staging = Cache::new(
            data,
            "https://acme-staging-v02.api.letsencrypt.org/directory",
        );
        let local = Cache::new(data, "https://127.0.0.1:14000/dir");
        let folder = |cache: &Cache| cache.dir.to_string_lossy().into_owned();
        assert!(folder(&production).starts_with("/data/acme/acme-v02.api.letsencrypt.org-"));
        assert_ne!(production.dir, staging.dir);
        assert!(folder(&local).starts_with("/data/acme/127.0.0.1-"));
    }
}
