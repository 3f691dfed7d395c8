//! The server's certificate: the operator's own (`--tls-cert`/`--tls-key`) or
//! one moim makes for this machine (`--tls self-signed`), and its fingerprint.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::lan;
use crate::turn::credentials::write_private;

/// Why HTTPS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A certificate or key file could not be read or written.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file holds no certificate or no private key in PEM form.
    #[error("{0} holds no PEM certificate or private key")]
    Empty(PathBuf),
    /// The certificate could not be generated.
    #[error("cannot generate a certificate: {0}")]
    Generate(#[from] rcgen::Error),
    /// rustls refused the certificate and key (for example, they do not match).
    #[error("the certificate and key are not usable: {0}")]
    Rustls(#[from] rustls::Error),
}

/// A certificate chain with its key, ready to serve.
pub struct Certificate {
    /// What rustls serves with.
    pub config: Arc<ServerConfig>,
    /// SHA-256 of the leaf certificate, as `AB:CD:…`, what browsers show;
    /// none for a CA's certificate, which changes at each renewal and needs
    /// no checking by hand.
    pub fingerprint: Option<String>,
}

impl Certificate {
    /// Loads a PEM certificate chain and private key.
    pub fn from_files(cert: &Path, key: &Path) -> Result<Self, TlsError> {
        let cert_pem = read(cert)?;
        let key_pem = read(key)?;
        Self::from_pem(&cert_pem, &key_pem, cert, key)
    }

    /// The certificate kept in `dir`, made anew when it is missing or no longer
    /// covers this machine's names and addresses (a new DHCP lease, say).
    pub fn self_signed(dir: &Path) -> Result<Self, TlsError> {
        let names = self_signed_names();
        let cert_file = dir.join("cert.pem");
        let key_file = dir.join("key.pem");
        let names_file = dir.join("names");
        let kept = std::fs::read_to_string(&names_file).unwrap_or_default();
        let covered = names
            .iter()
            .all(|name| kept.lines().any(|line| line == name));
        if covered && cert_file.exists() && key_file.exists() {
            return Self::from_files(&cert_file, &key_file);
        }
        tracing::info!(names = %names.join(" "), "making a self-signed certificate");
        let generated = rcgen::generate_simple_self_signed(names.clone())?;
        let cert_pem = generated.cert.pem();
        let key_pem = generated.signing_key.serialize_pem();
        let write = |path: &Path, text: &str| {
            write_private(path, text).map_err(|source| TlsError::File {
                path: path.to_owned(),
                source,
            })
        };
        write(&key_file, &key_pem)?;
        write(&cert_file, &cert_pem)?;
        write(&names_file, &(names.join("\n") + "\n"))?;
        Self::from_pem(
            cert_pem.as_bytes(),
            key_pem.as_bytes(),
            &cert_file,
            &key_file,
        )
    }

    fn from_pem(
        cert_pem: &[u8],
        key_pem: &[u8],
        cert: &Path,
        key: &Path,
    ) -> Result<Self, TlsError> {
        let chain: Vec<CertificateDer<'static>> = rustls_pemfile::certs(&mut &cert_pem[..])
            .collect::<Result<_, _>>()
            .map_err(|source| TlsError::File {
                path: cert.to_owned(),
                source,
            })?;
        let private: PrivateKeyDer<'static> = rustls_pemfile::private_key(&mut &key_pem[..])
            .map_err(|source| TlsError::File {
                path: key.to_owned(),
                source,
            })?
            .ok_or_else(|| TlsError::Empty(key.to_owned()))?;
        let leaf = chain
            .first()
            .cloned()
            .ok_or_else(|| TlsError::Empty(cert.to_owned()))?;
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, private)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Certificate {
            config: Arc::new(config),
            fingerprint: Some(fingerprint(&leaf)),
        })
    }
}

/// `localhost`, the host name (and `<name>.local`, what mDNS answers), and
/// every loopback and LAN address.
fn self_signed_names() -> Vec<String> {
    let mut names = vec!["localhost".to_owned()];
    if let Some(host) = lan::host_name()
        && host != "localhost"
    {
        names.push(host.clone());
        if !host.contains('.') {
            names.push(format!("{host}.local"));
        }
    }
    let mut ips: Vec<IpAddr> = vec![
        IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
    ];
    ips.extend(lan::lan_addresses());
    names.extend(ips.iter().map(IpAddr::to_string));
    names
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::File {
        path: path.to_owned(),
        source,
    })
}

/// SHA-256 of `der`, as colon-separated upper-case hex.
fn fingerprint(der: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
    let hex: Vec<String> = digest.as_ref().iter().map(|b| format!("{b:02X}")).collect();
    hex.join(":")
}
