//! Real parts for the ACME tests: pebble (Let's Encrypt's test CA, Debian
//! package `pebble`) and the moim binary, each a child process on loopback
//! whose log lines the test waits for.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

/// How long pebble or moim may take to say what a test waits for. Issuance
/// on loopback takes about a second; a loaded CI machine gets more.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A port free right now on 127.0.0.1, for a child process to bind.
pub async fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    listener.local_addr().expect("bound").port()
}

/// A fresh folder under the system's temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("moim-acme-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A child process whose stdout and stderr lines are kept and can be waited for.
pub struct Process {
    name: &'static str,
    child: Child,
    lines: mpsc::UnboundedReceiver<String>,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Process {
    fn spawn(name: &'static str, mut command: Command) -> Process {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let (tx, lines) = mpsc::unbounded_channel();
        let seen = Arc::new(Mutex::new(Vec::new()));
        forward(
            child.stdout.take().expect("piped"),
            tx.clone(),
            seen.clone(),
        );
        forward(child.stderr.take().expect("piped"), tx, seen.clone());
        Process {
            name,
            child,
            lines,
            seen,
        }
    }

    /// Waits for a line containing `needle` and returns it.
    pub async fn wait_for(&mut self, needle: &str) -> String {
        let found = tokio::time::timeout(PATIENCE, async {
            while let Some(line) = self.lines.recv().await {
                if line.contains(needle) {
                    return Some(line);
                }
            }
            None
        })
        .await;
        match found {
            Ok(Some(line)) => line,
            Ok(None) => panic!(
                "{} exited before saying {needle:?}; it said:\n{}",
                self.name,
                self.log()
            ),
            Err(_) => panic!(
                "{} did not say {needle:?} in time; it said:\n{}",
                self.name,
                self.log()
            ),
        }
    }

    /// Everything said so far.
    pub fn log(&self) -> String {
        self.seen.lock().expect("not poisoned").join("\n")
    }

    /// Waits for the process to exit by itself; its exit code.
    pub async fn exit_code(&mut self) -> Option<i32> {
        let status = tokio::time::timeout(PATIENCE, self.child.wait())
            .await
            .expect("exits in time")
            .expect("wait");
        // Let the readers catch the last lines.
        while self.lines.recv().await.is_some() {}
        status.code()
    }

    /// Stops the process and waits for it.
    pub async fn stop(mut self) {
        self.child.start_kill().ok();
        self.child.wait().await.ok();
    }
}

fn forward(
    stream: impl AsyncRead + Unpin + Send + 'static,
    tx: mpsc::UnboundedSender<String>,
    seen: Arc<Mutex<Vec<String>>>,
) {
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            seen.lock().expect("not poisoned").push(line.clone());
            tx.send(line).ok();
        }
    });
}

/// pebble on loopback, validating challenges against `moim_port`.
pub struct Pebble {
    process: Process,
    config_file: PathBuf,
    /// The ACME directory URL.
    pub directory: String,
    /// pebble's management interface (`/roots/0`).
    pub management: SocketAddr,
    /// The CA that signed pebble's own HTTPS certificate (PEM file).
    pub https_ca: PathBuf,
}

impl Pebble {
    /// Starts pebble with a fresh HTTPS certificate in `dir`; TLS-ALPN-01
    /// validations connect to `moim_port`, where moim answers them.
    pub async fn start(dir: &Path, moim_port: u16) -> Pebble {
        let https_ca = dir.join("pebble-https-ca.pem");
        let (cert, key) = (dir.join("pebble-cert.pem"), dir.join("pebble-key.pem"));
        let (ca_pem, cert_pem, key_pem) = https_certificate();
        std::fs::write(&https_ca, ca_pem).unwrap();
        std::fs::write(&cert, cert_pem).unwrap();
        std::fs::write(&key, key_pem).unwrap();
        let listen = SocketAddr::from(([127, 0, 0, 1], free_port().await));
        let management = SocketAddr::from(([127, 0, 0, 1], free_port().await));
        let config = serde_json::json!({
            "pebble": {
                "listenAddress": listen.to_string(),
                "managementListenAddress": management.to_string(),
                "certificate": cert,
                "privateKey": key,
                // HTTP-01 is not used; a port nobody listens on.
                "httpPort": free_port().await,
                "tlsPort": moim_port,
                "ocspResponderURL": "",
                "externalAccountBindingRequired": false,
            }
        });
        let config_file = dir.join("pebble-config.json");
        std::fs::write(&config_file, config.to_string()).unwrap();
        Pebble {
            process: run(&config_file).await,
            config_file,
            directory: format!("https://{listen}/dir"),
            management,
            https_ca,
        }
    }

    /// Stops pebble and starts it again on the same ports: a CA that forgot
    /// every account and order, with a new root.
    pub async fn restart(self) -> Pebble {
        let Pebble {
            process,
            config_file,
            directory,
            management,
            https_ca,
        } = self;
        process.stop().await;
        Pebble {
            process: run(&config_file).await,
            config_file,
            directory,
            management,
            https_ca,
        }
    }

    /// The root that pebble issues under (made anew at each start).
    pub async fn issuing_root(&self) -> CertificateDer<'static> {
        let answer = https_get(
            self.management,
            &[ca_der(&self.https_ca)],
            "127.0.0.1",
            "/roots/0",
        )
        .await
        .expect("pebble's management interface answers");
        let (_, body) = answer.text.split_once("\r\n\r\n").expect("a body");
        rustls_pemfile::certs(&mut body.as_bytes())
            .next()
            .expect("a PEM certificate")
            .expect("valid PEM")
    }

    /// Stops pebble.
    pub async fn stop(self) {
        self.process.stop().await;
    }
}

async fn run(config_file: &Path) -> Process {
    let mut command = Command::new("pebble");
    command
        .arg("-config")
        .arg(config_file)
        // Validate at once, never pretend a nonce is stale, and validate
        // every order anew (a renewal must prove control again).
        .env("PEBBLE_VA_NOSLEEP", "1")
        .env("PEBBLE_WFE_NONCEREJECT", "0")
        .env("PEBBLE_AUTHZREUSE", "0");
    let mut process = Process::spawn("pebble", command);
    process.wait_for("ACME directory available at").await;
    process
}

/// A CA and a leaf for `localhost` and `127.0.0.1` signed by it, for pebble's
/// own HTTPS (a CA certificate cannot serve as a leaf for rustls).
fn https_certificate() -> (String, String, String) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "moim test: pebble's HTTPS CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf_params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    (ca.pem(), leaf.pem(), leaf_key.serialize_pem())
}

fn ca_der(pem_file: &Path) -> CertificateDer<'static> {
    let pem = std::fs::read(pem_file).unwrap();
    rustls_pemfile::certs(&mut &pem[..])
        .next()
        .unwrap()
        .unwrap()
}

/// moim, the release binary, with `args`.
pub fn moim(args: &[&str]) -> Process {
    let mut command = Command::new(env!("CARGO_BIN_EXE_moim"));
    // Any free media port: tests run side by side.
    command
        .args(["--media-port", "0"])
        .args(args)
        .env("RUST_LOG", "info");
    Process::spawn("moim", command)
}

/// An HTTPS answer and the certificate chain it came with.
pub struct Answer {
    pub text: String,
    pub chain: Vec<CertificateDer<'static>>,
}

/// `GET path` over TLS to `addr` as `name`, trusting only `roots`.
pub async fn https_get(
    addr: SocketAddr,
    roots: &[CertificateDer<'static>],
    name: &str,
    path: &str,
) -> Result<Answer, std::io::Error> {
    let mut store = rustls::RootCertStore::empty();
    for root in roots {
        store.add(root.clone()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(store)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(addr).await?;
    let server_name = ServerName::try_from(name.to_owned()).unwrap();
    let mut tls = tokio::time::timeout(PATIENCE, connector.connect(server_name, tcp))
        .await
        .expect("handshake in time")?;
    let chain = tls
        .get_ref()
        .1
        .peer_certificates()
        .unwrap_or_default()
        .to_vec();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n");
    tls.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(PATIENCE, tls.read_to_end(&mut raw))
        .await
        .expect("answered in time")
        .ok();
    Ok(Answer {
        text: String::from_utf8_lossy(&raw).into_owned(),
        chain,
    })
}

/// The DNS names in a certificate's subjectAltName, and its subject's CN.
pub fn names(der: &CertificateDer<'_>) -> (Vec<String>, Option<String>) {
    let (_, cert) = x509_parser::parse_x509_certificate(der).expect("a certificate");
    let sans = cert
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|ext| {
            ext.value
                .general_names
                .iter()
                .filter_map(|name| match name {
                    x509_parser::extensions::GeneralName::DNSName(dns) => Some(dns.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let cn = cert
        .subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_owned);
    (sans, cn)
}
