//! Certificates from an ACME CA (Let's Encrypt by default) for `--acme-domain`,
//! obtained and renewed in the background while moim serves.
//!
//! - [`resolver`]: the certificate each handshake gets, and the TLS-ALPN-01
//!   answer on the same port.
//! - [`order`]: one issuance (account, order, challenges, CSR).
//! - [`client`]: HTTPS to the CA on moim's own hyper and rustls.
//! - [`cache`]: the account and certificate kept in the data dir.
//! - [`options`]: `--acme-domain` and friends.
//! - [`validity`]: a certificate's dates, for renewal.
//! - [`AcmeSettings`], [`AcmeError`] and the rustls form of a chain and key
//!   (`key.rs`) in files of their own, which every step above names; this
//!   file keeps only [`Acme`], the renewal loop.
//!
//! Start-up never waits for the CA: moim listens at once (the CA must reach it
//! to validate), serves a cached certificate if it has one, and otherwise
//! fails TLS handshakes until the first certificate arrives. A CA that cannot
//! be reached or refuses is logged as an error and retried with backoff; the
//! old certificate, if any, is served meanwhile.

pub mod cache;
pub mod client;
mod error;
mod key;
pub mod options;
pub mod order;
pub mod resolver;
mod settings;
pub mod validity;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rustls::ServerConfig;
use tokio::task::JoinHandle;

use self::cache::{Cache, Issued};
use self::client::Client;
pub use self::error::AcmeError;
pub use self::resolver::{ACME_TLS_ALPN, Resolver};
pub use self::settings::AcmeSettings;
use crate::tls::TlsError;

/// The first wait after a failed attempt; it doubles up to [`MAX_RETRY`]. Two
/// minutes keeps a broken setup under Let's Encrypt's limit of five failed
/// validations per hour.
const FIRST_RETRY: Duration = Duration::from_secs(120);
/// The longest wait between two failed attempts.
const MAX_RETRY: Duration = Duration::from_secs(3600);
/// How often a valid certificate's renewal date is looked at again (a clock
/// that jumps, a laptop that slept).
const RECHECK: Duration = Duration::from_secs(3600);

/// The problem type of a request signed by an account the CA does not know.
const UNKNOWN_ACCOUNT: &str = "urn:ietf:params:acme:error:accountDoesNotExist";

/// The background task that keeps the certificate fresh.
pub struct Acme {
    task: JoinHandle<()>,
    /// The names the certificate covers.
    pub domains: Vec<String>,
}

impl Acme {
    /// Serves a cached certificate if there is one and starts obtaining or
    /// renewing in the background. Fails only on local problems (an
    /// unreadable `--acme-ca-root`).
    pub fn start(
        settings: AcmeSettings,
        data_dir: &Path,
    ) -> Result<(Arc<ServerConfig>, Acme), AcmeError> {
        let client = Client::new(settings.ca_root.as_deref())?;
        let cache = Cache::new(data_dir, &settings.directory);
        let resolver = Arc::new(Resolver::default());
        let cached = cache.certificate(&settings.domains);
        if let Some(issued) = &cached {
            resolver.set_current(issued.key.clone());
            tracing::info!(
                domains = %settings.domains.join(" "),
                "using the kept certificate for {}, valid until {}",
                settings.domains.join(", "),
                issued.expires
            );
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(TlsError::Rustls)?
            .with_no_client_auth()
            .with_cert_resolver(resolver.clone());
        config.alpn_protocols = vec![b"http/1.1".to_vec(), ACME_TLS_ALPN.to_vec()];
        let domains = settings.domains.clone();
        let renewal = Renewal {
            settings,
            client,
            cache,
            resolver,
            account: None,
        };
        let task = tokio::spawn(renewal.run(cached.map(|issued| issued.renew_at())));
        Ok((Arc::new(config), Acme { task, domains }))
    }

    /// Stops renewing.
    pub fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for Acme {
    /// A server that failed to start after this one must not keep asking the CA.
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Renewal {
    settings: AcmeSettings,
    client: Client,
    cache: Cache,
    resolver: Arc<Resolver>,
    account: Option<instant_acme::Account>,
}

impl Renewal {
    /// Obtains a certificate when there is none or it is due, forever.
    async fn run(mut self, mut renew_at: Option<SystemTime>) {
        let names = self.settings.domains.join(", ");
        let mut retry = FIRST_RETRY;
        loop {
            if let Some(at) = renew_at {
                if let Ok(wait) = at.duration_since(SystemTime::now()) {
                    tokio::time::sleep(wait.min(RECHECK)).await;
                    continue;
                }
                tracing::info!("renewing the certificate for {names}");
            } else {
                tracing::info!(
                    directory = %self.settings.directory,
                    "asking {} for a certificate for {names}",
                    self.settings.directory
                );
            }
            match self.attempt().await {
                Ok(issued) => {
                    tracing::info!(
                        domains = %self.settings.domains.join(" "),
                        "certificate for {names} issued by {}, valid until {}",
                        self.settings.directory,
                        issued.expires
                    );
                    renew_at = Some(issued.renew_at());
                    retry = FIRST_RETRY;
                }
                Err(e) => {
                    tracing::error!(
                        error = %e,
                        directory = %self.settings.directory,
                        "cannot get a certificate for {names} from {}: {e}; trying again in {} s",
                        self.settings.directory,
                        retry.as_secs()
                    );
                    tokio::time::sleep(retry).await;
                    retry = (retry * 2).min(MAX_RETRY);
                }
            }
        }
    }

    /// One issuance; if the CA no longer knows the kept account (deactivated,
    /// or a test CA that was reset), registers a new one and tries once more.
    async fn attempt(&mut self) -> Result<Issued, AcmeError> {
        match self.issue().await {
            Err(AcmeError::Ca(instant_acme::Error::Api(problem)))
                if problem.r#type.as_deref() == Some(UNKNOWN_ACCOUNT) =>
            {
                tracing::warn!("the CA no longer knows moim's account; registering a new one");
                self.account = None;
                self.cache.forget_account()?;
                self.issue().await
            }
            result => result,
        }
    }

    async fn issue(&mut self) -> Result<Issued, AcmeError> {
        let account = match self.account.take() {
            Some(account) => account,
            None => order::account(&self.settings, &self.client, &self.cache).await?,
        };
        let result = order::obtain(&account, &self.settings.domains, &self.resolver).await;
        self.account = Some(account);
        let (chain_pem, key_pem) = result?;
        let issued = Issued::from_pem(&chain_pem, &key_pem)?;
        self.resolver.set_current(issued.key.clone());
        self.cache
            .save_certificate(&self.settings.domains, &chain_pem, &key_pem)?;
        Ok(issued)
    }
}
