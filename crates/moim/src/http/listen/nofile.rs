//! The process's open-files limit (`RLIMIT_NOFILE`), which bounds how many
//! connections moim can hold at all.
//!
//! Every connection is a file descriptor. Linux starts services with a soft
//! limit of 1,024 and a much higher hard one: at the soft limit `accept` fails
//! with `EMFILE` and nobody else gets in (measured: ~1,100 idle connections
//! made `/healthz` hang). The binary raises the soft limit to the hard one at
//! start ([`raise`]); the listener then keeps a share of whatever limit is in
//! force for everything else that needs files ([`connection_budget`]).

/// The soft limit before and after [`raise`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raised {
    /// The soft limit the process was started with.
    pub from: u64,
    /// The soft limit now (the hard limit, unless the system refused it).
    pub to: u64,
}

/// Linux's default ceiling (`fs.nr_open`) for a limit whose hard value is
/// "unlimited": setting the soft limit to infinity itself is refused.
#[cfg(unix)]
const UNLIMITED_TARGET: u64 = 1 << 20;

/// Raises the soft open-files limit to the hard one.
#[cfg(unix)]
pub fn raise() -> std::io::Result<Raised> {
    let mut limit = get()?;
    let from = limit.rlim_cur as u64;
    let hard = limit.rlim_max as u64;
    let target = if limit.rlim_max == libc::RLIM_INFINITY {
        UNLIMITED_TARGET.max(from)
    } else {
        hard
    };
    if target <= from {
        return Ok(Raised { from, to: from });
    }
    limit.rlim_cur = target as libc::rlim_t;
    // SAFETY: `limit` is a valid, initialised rlimit that outlives the call.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(Raised { from, to: target })
}

/// Nothing to raise where there is no `RLIMIT_NOFILE`.
#[cfg(not(unix))]
pub fn raise() -> std::io::Result<Raised> {
    Err(std::io::Error::other(
        "no open-files limit on this platform",
    ))
}

/// The soft open-files limit in force, if the platform has one.
#[cfg(unix)]
pub fn current() -> Option<u64> {
    let limit = get().ok()?;
    Some(if limit.rlim_cur == libc::RLIM_INFINITY {
        u64::MAX
    } else {
        limit.rlim_cur as u64
    })
}

/// No limit known on this platform.
#[cfg(not(unix))]
pub fn current() -> Option<u64> {
    None
}

#[cfg(unix)]
fn get() -> std::io::Result<libc::rlimit> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid rlimit for the call to fill in.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(limit)
}

/// Files kept for what is not an HTTP connection: the SFU's and TURN's UDP
/// sockets and TURN relays (one per allocation), the database (SQLite's three
/// files, or a PostgreSQL pool), Redis, the metrics listener, the runtime's
/// own (epoll, eventfd), logs. A quarter of the limit, at least 64 and at most
/// 4,096 (beyond that the other uses do not grow with the limit).
fn reserve(limit: u64) -> u64 {
    (limit / 4).clamp(64, 4096).min(limit / 2)
}

/// How many HTTP(S) connections moim holds at once under an open-files limit
/// of `limit`: the limit less [`reserve`]. Past it a new connection is closed
/// at once instead of the process running out of descriptors, where `accept`
/// itself fails and even `/healthz` goes unanswered.
pub fn connection_budget(limit: u64) -> usize {
    usize::try_from(limit - reserve(limit)).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_leaves_room_for_other_files() {
        assert_eq!(connection_budget(1024), 768, "a quarter kept at 1,024");
        assert_eq!(connection_budget(256), 192, "at least 64 kept");
        assert_eq!(connection_budget(100), 50, "never more than half kept");
        assert_eq!(
            connection_budget(1 << 20),
            (1 << 20) - 4096,
            "at most 4,096 kept"
        );
        assert!(connection_budget(u64::MAX) > 0);
    }

    #[cfg(unix)]
    #[test]
    fn raising_never_lowers_the_limit() {
        let before = current().expect("a limit on unix");
        let raised = raise().expect("raising to the hard limit is allowed");
        assert_eq!(raised.from, before);
        assert!(raised.to >= raised.from);
        assert_eq!(current(), Some(raised.to));
    }
}
