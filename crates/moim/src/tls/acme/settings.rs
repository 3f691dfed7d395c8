//! [`AcmeSettings`]: what `--acme-*` asks for, once parsed (`options.rs`) and
//! as the issuance (`order.rs`) reads it.

use std::path::PathBuf;

/// What `--acme-*` asks for.
#[derive(Debug, Clone)]
pub struct AcmeSettings {
    /// The names the certificate covers.
    pub domains: Vec<String>,
    /// The CA's directory URL.
    pub directory: String,
    /// A contact address for the CA's expiry and policy mails.
    pub email: Option<String>,
    /// More roots to trust for the CA's own HTTPS (a private or test CA).
    pub ca_root: Option<PathBuf>,
}
