//! Test back ends: a SQLite file in a temp dir, and a database in a real,
//! throw-away PostgreSQL cluster started by `scripts/pg-temp.sh` (once per
//! test binary; it removes itself when the binary exits). Without PostgreSQL
//! installed the Postgres tests fail: they must never pass by skipping.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use moim_store::Store;

/// A temp dir removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "moim-store-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("create a temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// The URL of the cluster's `postgres` database, starting the cluster first.
pub fn postgres_cluster() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/pg-temp.sh");
        let out = Command::new(script)
            .args([
                "start",
                "--fast",
                "--owner",
                &std::process::id().to_string(),
            ])
            .output()
            .expect("run scripts/pg-temp.sh");
        assert!(
            out.status.success(),
            "could not start PostgreSQL for the tests (is Debian's `postgresql` installed?): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).expect("pg-temp prints text");
        stdout
            .lines()
            .next()
            .expect("pg-temp prints the URL")
            .to_owned()
    })
}

/// A new, empty database in the test cluster, migrated, as a store.
pub async fn postgres_store() -> Store {
    static N: AtomicU32 = AtomicU32::new(0);
    let base = postgres_cluster();
    let name = format!("t{}", N.fetch_add(1, Ordering::Relaxed));
    let admin = sqlx::PgPool::connect(base)
        .await
        .expect("connect to the test cluster");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("create a test database");
    admin.close().await;
    let url = format!(
        "{}/{name}",
        base.rsplit_once('/').expect("URL has a path").0
    );
    Store::connect(&url).await.expect("open the Postgres store")
}
