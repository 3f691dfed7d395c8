//! CPU time and resident memory of a process, read from `/proc`.

use std::time::{Duration, Instant};

/// Clock ticks per second of `/proc/PID/stat` (`USER_HZ`, 100 on Linux).
const HZ: f64 = 100.0;

/// A reading of one process: CPU time used so far and resident memory now.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    /// User + system CPU time since the process started.
    pub cpu: Duration,
    /// The system (kernel) part of `cpu`.
    pub sys: Duration,
    /// Resident set size in KiB.
    pub rss_kib: u64,
    /// When it was read.
    pub at: Instant,
}

/// Reads `pid` (or this process for `None`). Missing fields read as zero, so a
/// vanished process shows up as nonsense numbers rather than a crash.
pub fn usage(pid: Option<u32>) -> Usage {
    let dir = pid.map_or_else(|| "/proc/self".to_owned(), |pid| format!("/proc/{pid}"));
    let stat = std::fs::read_to_string(format!("{dir}/stat")).unwrap_or_default();
    // Fields after the command name, which may itself hold spaces: state is
    // field 3, utime 14 and stime 15 (1-based), so 11 and 12 after ") ".
    let fields: Vec<&str> = stat
        .rsplit_once(") ")
        .map(|(_, rest)| rest.split(' ').collect())
        .unwrap_or_default();
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let status = std::fs::read_to_string(format!("{dir}/status")).unwrap_or_default();
    let rss_kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    Usage {
        cpu: Duration::from_secs_f64((tick(11) + tick(12)) as f64 / HZ),
        sys: Duration::from_secs_f64(tick(12) as f64 / HZ),
        rss_kib,
        at: Instant::now(),
    }
}

/// CPU used between two readings of the same process, and the wall time between them.
pub fn between(before: Usage, after: Usage) -> (Duration, Duration) {
    (
        after.cpu.saturating_sub(before.cpu),
        after.at.saturating_duration_since(before.at),
    )
}

/// The share of the CPU used between two readings that was spent in the kernel.
pub fn kernel_share(before: Usage, after: Usage) -> f64 {
    let cpu = after.cpu.saturating_sub(before.cpu).as_secs_f64();
    let sys = after.sys.saturating_sub(before.sys).as_secs_f64();
    if cpu > 0.0 { sys / cpu } else { 0.0 }
}
