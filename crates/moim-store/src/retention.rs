//! Retention: how much history is kept, applied by a background task.
//!
//! Pruning runs off the hot path (once at start-up, then periodically), so a
//! room may briefly hold a few more messages than `per_room`; it never loses
//! one it should keep.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::task::JoinHandle;

use crate::backend::{Store, StoreError};

/// What to keep. `None` keeps everything in that dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Retention {
    /// Delete messages older than this.
    pub max_age: Option<Duration>,
    /// Keep at most this many of the newest messages per room.
    pub per_room: Option<u32>,
}

impl Retention {
    /// Applies the policy once, as of `now_ms`; returns the messages deleted.
    pub async fn apply(&self, store: &Store, now_ms: i64) -> Result<u64, StoreError> {
        let mut deleted = 0;
        if let Some(age) = self.max_age {
            let age_ms = i64::try_from(age.as_millis()).unwrap_or(i64::MAX);
            deleted += store
                .delete_older_than(now_ms.saturating_sub(age_ms))
                .await?;
        }
        if let Some(keep) = self.per_room {
            deleted += store.keep_newest_per_room(keep).await?;
        }
        Ok(deleted)
    }

    /// Applies the policy now and then every `every`, until aborted.
    /// Failures are logged and retried at the next round.
    pub fn spawn(self, store: Store, every: Duration) -> JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match self.apply(&store, now_ms()).await {
                    Ok(0) => {}
                    Ok(deleted) => tracing::info!(deleted, "old chat history removed"),
                    Err(error) => tracing::warn!(%error, "chat history retention failed"),
                }
            }
        })
    }
}

/// Server time, ms since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}
