//! The `--acme-*` options, checked when parsed: a name no CA would issue for,
//! or a directory that is not an `https://` URL, stops moim before it starts.

use std::path::PathBuf;

use clap::Args;

use super::settings::AcmeSettings;

/// Let's Encrypt's production directory.
pub const LETS_ENCRYPT: &str = "https://acme-v02.api.letsencrypt.org/directory";

/// Certificates from an ACME CA.
#[derive(Debug, Clone, Args)]
pub struct AcmeOptions {
    /// Serve HTTPS with a certificate from Let's Encrypt (or `--acme-directory`)
    /// for this domain name; repeat or separate with commas for several. The
    /// name must reach this machine on the HTTPS port as 443 (TLS-ALPN-01
    /// validation). Using it agrees to the CA's terms of service.
    #[arg(
        long = "acme-domain",
        env = "MOIM_ACME_DOMAINS",
        value_delimiter = ',',
        value_parser = domain,
        conflicts_with_all = ["tls", "tls_cert", "tls_key"],
    )]
    pub acme_domains: Vec<String>,

    /// The ACME CA's directory URL: Let's Encrypt by default; its staging
    /// directory for trials is `https://acme-staging-v02.api.letsencrypt.org/directory`.
    #[arg(long, env = "MOIM_ACME_DIRECTORY", default_value = LETS_ENCRYPT, value_parser = directory)]
    pub acme_directory: String,

    /// A contact address for the CA (expiry warnings, policy changes).
    #[arg(long, env = "MOIM_ACME_EMAIL", requires = "acme_domains", value_parser = email)]
    pub acme_email: Option<String>,

    /// Also trust the CA certificates in this PEM file when talking to the
    /// ACME directory (a private CA, or a test CA such as pebble).
    #[arg(long, env = "MOIM_ACME_CA_ROOT", requires = "acme_domains")]
    pub acme_ca_root: Option<PathBuf>,
}

impl AcmeOptions {
    /// What to ask the CA for, if `--acme-domain` was given.
    pub fn settings(&self) -> Option<AcmeSettings> {
        if self.acme_domains.is_empty() {
            return None;
        }
        let mut domains: Vec<String> = Vec::new();
        for domain in &self.acme_domains {
            if !domains.contains(domain) {
                domains.push(domain.clone());
            }
        }
        Some(AcmeSettings {
            domains,
            directory: self.acme_directory.clone(),
            email: self.acme_email.clone(),
            ca_root: self.acme_ca_root.clone(),
        })
    }
}

/// A DNS name a CA can validate over TLS-ALPN-01, lower-cased.
fn domain(text: &str) -> Result<String, String> {
    let name = text.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.starts_with("*.") {
        return Err(format!(
            "{text}: wildcard names need DNS validation, which moim does not do"
        ));
    }
    if name.parse::<std::net::IpAddr>().is_ok() {
        return Err(format!("{text}: give a domain name, not an IP address"));
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if name.is_empty() || name.len() > 253 || !name.split('.').all(label_ok) {
        return Err(format!("{text}: not a domain name"));
    }
    Ok(name)
}

/// An `https://` URL with a host.
fn directory(text: &str) -> Result<String, String> {
    let uri: http::Uri = text.parse().map_err(|e| format!("{text}: {e}"))?;
    if uri.scheme_str() != Some("https") || uri.host().is_none_or(str::is_empty) {
        return Err(format!(
            "{text}: the ACME directory must be an https:// URL, like {LETS_ENCRYPT}"
        ));
    }
    Ok(text.to_owned())
}

/// Something that looks like a mail address (the CA checks it properly).
fn email(text: &str) -> Result<String, String> {
    let valid = text.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !host.starts_with('.')
    }) && !text.contains([' ', ',', ':', '<', '>']);
    if !valid {
        return Err(format!("{text}: not a mail address"));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_checked_and_lower_cased() {
        assert_eq!(
            domain("Meet.Example.org."),
            Ok("meet.example.org".to_owned())
        );
        assert_eq!(domain("localhost"), Ok("localhost".to_owned()));
        for bad in [
            "*.example.org",
            "192.168.1.20",
            "::1",
            "",
            "a..b",
            "-a.org",
            "a_b.org",
            "https://x.org",
        ] {
            assert!(domain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_directory_must_be_https() {
        assert!(directory(LETS_ENCRYPT).is_ok());
        assert!(directory("https://127.0.0.1:14000/dir").is_ok());
        for bad in [
            "http://ca.example/dir",
            "ca.example/dir",
            "not a url",
            "https:///dir",
        ] {
            assert!(directory(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn domains_repeat_or_come_as_a_list_and_exclude_other_certificates() {
        use clap::Parser;
        let config = crate::Config::try_parse_from([
            "moim",
            "--acme-domain",
            "meet.example.org,Video.example.org",
            "--acme-domain",
            "meet.example.org",
        ])
        .unwrap();
        let settings = config.reach.acme.settings().unwrap();
        assert_eq!(settings.domains, ["meet.example.org", "video.example.org"]);
        assert_eq!(settings.directory, LETS_ENCRYPT);
        assert!(crate::Config::defaults().reach.acme.settings().is_none());
        for clash in [
            &["--tls", "self-signed"][..],
            &["--tls-cert", "c.pem", "--tls-key", "k.pem"],
        ] {
            let mut args = vec!["moim", "--acme-domain", "meet.example.org"];
            args.extend_from_slice(clash);
            assert!(crate::Config::try_parse_from(args).is_err(), "{clash:?}");
        }
        let email_alone = crate::Config::try_parse_from(["moim", "--acme-email", "a@b.org"]);
        assert!(email_alone.is_err(), "--acme-email needs --acme-domain");
    }

    #[test]
    fn emails_look_like_addresses() {
        assert!(email("ops@example.org").is_ok());
        for bad in ["ops", "@example.org", "ops@localhost", "a@b.org, c@d.org"] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }
}
