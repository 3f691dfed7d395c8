//! A throw-away Redis for the cluster tests (`scripts/redis-temp.sh`, Debian's
//! `redis-server`): a test fails, rather than skips, without it.

use std::process::Command;

/// A throw-away Redis, stopped when dropped.
pub struct Redis {
    pub url: String,
    dir: String,
}

impl Redis {
    pub fn start() -> Redis {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/redis-temp.sh");
        let out = Command::new(script)
            .args(["start", "--owner", &std::process::id().to_string()])
            .output()
            .expect("scripts/redis-temp.sh runs");
        assert!(
            out.status.success(),
            "redis-temp.sh start failed (apt-get install redis-server; .ci/run does): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let mut lines = text.lines();
        let url = lines.next().expect("a URL").to_owned();
        let dir = lines.next().expect("a folder").to_owned();
        Redis { url, dir }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/redis-temp.sh");
        Command::new(script).args(["stop", &self.dir]).output().ok();
    }
}
