//! One certificate from the CA (RFC 8555): an account (registered once, then
//! reused from the cache), an order for the domains, a TLS-ALPN-01 challenge
//! per domain answered on moim's own HTTPS port, then the CSR and the chain.

use std::time::Duration;

use instant_acme::{
    Account, AuthorizationStatus, ChallengeType, Identifier, NewAccount, NewOrder, OrderStatus,
    RetryPolicy,
};

use super::cache::Cache;
use super::client::Client;
use super::error::AcmeError;
use super::resolver::Resolver;
use super::settings::AcmeSettings;

/// How long the CA gets to validate every challenge, and then to sign.
const PATIENCE: Duration = Duration::from_secs(120);

/// The account for `settings.directory`: the cached one, or a new one
/// (agreeing to the CA's terms of service, which `--acme-domain` documents).
pub async fn account(
    settings: &AcmeSettings,
    client: &Client,
    cache: &Cache,
) -> Result<Account, AcmeError> {
    if let Some(credentials) = cache.account() {
        return Ok(Account::builder_with_http(Box::new(client.clone()))
            .from_credentials(credentials)
            .await?);
    }
    let contact: Vec<String> = settings
        .email
        .iter()
        .map(|email| format!("mailto:{email}"))
        .collect();
    let contact: Vec<&str> = contact.iter().map(String::as_str).collect();
    let (account, credentials) = Account::builder_with_http(Box::new(client.clone()))
        .create(
            &NewAccount {
                contact: &contact,
                terms_of_service_agreed: true,
                only_return_existing: false,
            },
            settings.directory.clone(),
            None,
        )
        .await?;
    cache.save_account(&credentials)?;
    tracing::info!(directory = %settings.directory, "registered an ACME account");
    Ok(account)
}

/// Orders a certificate for `domains`, answering the CA's validation through
/// `resolver`. Returns the PEM chain and the PEM private key.
pub async fn obtain(
    account: &Account,
    domains: &[String],
    resolver: &Resolver,
) -> Result<(String, String), AcmeError> {
    let result = order(account, domains, resolver).await;
    resolver.clear_challenges();
    result
}

async fn order(
    account: &Account,
    domains: &[String],
    resolver: &Resolver,
) -> Result<(String, String), AcmeError> {
    let identifiers: Vec<Identifier> = domains.iter().cloned().map(Identifier::Dns).collect();
    let mut order = account.new_order(&NewOrder::new(&identifiers)).await?;
    let mut authorizations = order.authorizations();
    while let Some(authorization) = authorizations.next().await {
        let mut authorization = authorization?;
        match authorization.status {
            AuthorizationStatus::Pending => {}
            AuthorizationStatus::Valid => continue,
            _ => return Err(AcmeError::Protocol("the CA refused an authorization")),
        }
        let mut challenge =
            authorization
                .challenge(ChallengeType::TlsAlpn01)
                .ok_or(AcmeError::Protocol(
                    "the CA offers no tls-alpn-01 challenge",
                ))?;
        let domain = challenge.identifier().to_string();
        resolver.add_challenge(&domain, challenge.key_authorization().digest().as_ref())?;
        challenge.set_ready().await?;
    }
    let retries = RetryPolicy::new()
        .initial_delay(Duration::from_millis(250))
        .backoff(1.5)
        .timeout(PATIENCE);
    let status = order.poll_ready(&retries).await?;
    if status != OrderStatus::Ready {
        return Err(AcmeError::Invalid(why_invalid(&mut order).await));
    }
    let key_pem = order.finalize().await?;
    let chain_pem = order.poll_certificate(&retries).await?;
    Ok((chain_pem, key_pem))
}

/// What the CA said about the challenges that failed, e.g. "connection refused".
async fn why_invalid(order: &mut instant_acme::Order) -> String {
    let mut reasons = Vec::new();
    let mut authorizations = order.authorizations();
    while let Some(Ok(mut authorization)) = authorizations.next().await {
        let Ok(state) = authorization.refresh().await else {
            continue;
        };
        for challenge in &state.challenges {
            if let Some(error) = &challenge.error {
                reasons.push(error.to_string());
            }
        }
    }
    if reasons.is_empty() {
        "the CA gave no reason".to_owned()
    } else {
        reasons.join("; ")
    }
}
