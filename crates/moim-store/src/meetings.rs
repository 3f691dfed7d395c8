//! Who gets into a meeting: its settings, its hosts' and co-hosts' keys, the
//! keys a host removed, its lobby, and the secrets the nodes share.
//!
//! Plain rows and single statements: the callers (`crates/moim/src/meeting`)
//! hash keys and passcodes before they get here, and decide what the rows
//! mean. Every query is the same text for both back ends.

use crate::backend::{Store, StoreError};

/// At most this many people wait in one meeting's lobby.
pub const LOBBY_LIMIT: i64 = 50;

/// A meeting's settings as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    /// Shown in the room list.
    pub listed: bool,
    /// Newcomers wait in the lobby.
    pub locked: bool,
    /// People a host muted may unmute themselves.
    pub allow_unmute: bool,
    /// The passcode's hash, if there is one.
    pub passcode: Option<String>,
}

/// A change of settings: `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingChange {
    /// See [`MeetingRow::listed`].
    pub listed: Option<bool>,
    /// See [`MeetingRow::locked`].
    pub locked: Option<bool>,
    /// See [`MeetingRow::allow_unmute`].
    pub allow_unmute: Option<bool>,
    /// `Some(None)` removes the passcode, `Some(Some(hash))` sets it.
    pub passcode: Option<Option<String>>,
}

/// Someone waiting in a lobby.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LobbyRow {
    /// The knocking connection's participant id.
    pub participant: String,
    /// The name they gave.
    pub name: String,
    /// Their key's hash.
    pub key_hash: String,
    /// When they knocked, ms since the Unix epoch.
    pub since: i64,
    /// A host had removed their key.
    pub removed: bool,
    /// The node their connection is on.
    pub node: String,
}

/// What a knock came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knocked {
    /// Now waiting (or still, if it knocked before).
    Waiting,
    /// The lobby already holds [`LOBBY_LIMIT`] people.
    Full,
}

type MeetingTuple = (bool, bool, bool, Option<String>);
type LobbyTuple = (String, String, String, i64, bool, String);

fn meeting_row((listed, locked, allow_unmute, passcode): MeetingTuple) -> MeetingRow {
    MeetingRow {
        listed,
        locked,
        allow_unmute,
        passcode,
    }
}

fn lobby_row((participant, name, key_hash, since, removed, node): LobbyTuple) -> LobbyRow {
    LobbyRow {
        participant,
        name,
        key_hash,
        since,
        removed,
        node,
    }
}

impl Store {
    /// The settings of `room`, if the meeting was ever started.
    pub async fn meeting(&self, room: &str) -> Result<Option<MeetingRow>, StoreError> {
        let row: Option<MeetingTuple> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT listed, locked, allow_unmute, passcode FROM meetings WHERE room = $1",
            )
            .bind(room)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(meeting_row))
    }

    /// Starts `room` with `host_key` as its host, unless it exists already.
    /// `true` when this call started it: of two racing first joiners, one wins.
    pub async fn create_meeting(
        &self,
        room: &str,
        host_key: &str,
        listed: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let created = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let created = sqlx::query(
                "INSERT INTO meetings (room, listed, locked, allow_unmute, passcode, created_at, used_at) \
                 VALUES ($1, $2, FALSE, TRUE, NULL, $3, $3) ON CONFLICT (room) DO NOTHING",
            )
            .bind(room)
            .bind(listed)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if created {
                sqlx::query(
                    "INSERT INTO meeting_grants (room, key_hash, role) VALUES ($1, $2, 'host') \
                     ON CONFLICT (room, key_hash) DO UPDATE SET role = excluded.role",
                )
                .bind(room)
                .bind(host_key)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            created
        });
        Ok(created)
    }

    /// Notes that `room` was joined at `now` (unused meetings are pruned).
    pub async fn touch_meeting(&self, room: &str, now: i64) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("UPDATE meetings SET used_at = $2 WHERE room = $1")
                .bind(room)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(())
    }

    /// Applies `change` to `room` and returns the settings as they are now.
    pub async fn update_meeting(
        &self,
        room: &str,
        change: &MeetingChange,
    ) -> Result<Option<MeetingRow>, StoreError> {
        let (set_passcode, passcode) = match &change.passcode {
            Some(new) => (true, new.clone()),
            None => (false, None),
        };
        on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE meetings SET listed = COALESCE($2, listed), locked = COALESCE($3, locked), \
                 allow_unmute = COALESCE($4, allow_unmute), \
                 passcode = CASE WHEN $5 THEN $6 ELSE passcode END WHERE room = $1",
            )
            .bind(room)
            .bind(change.listed)
            .bind(change.locked)
            .bind(change.allow_unmute)
            .bind(set_passcode)
            .bind(passcode)
            .execute(pool)
            .await?
            .rows_affected()
        });
        self.meeting(room).await
    }

    /// The role (`"host"` / `"cohost"`) `key` holds in `room`.
    pub async fn grant(&self, room: &str, key: &str) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT role FROM meeting_grants WHERE room = $1 AND key_hash = $2")
                .bind(room)
                .bind(key)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Gives `key` a role in `room`, or takes it away (`None`).
    pub async fn set_grant(
        &self,
        room: &str,
        key: &str,
        role: Option<&str>,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| match role {
            Some(role) => sqlx::query(
                "INSERT INTO meeting_grants (room, key_hash, role) VALUES ($1, $2, $3) \
                 ON CONFLICT (room, key_hash) DO UPDATE SET role = excluded.role",
            )
            .bind(room)
            .bind(key)
            .bind(role)
            .execute(pool)
            .await
            .map(|_| ()),
            None => sqlx::query("DELETE FROM meeting_grants WHERE room = $1 AND key_hash = $2")
                .bind(room)
                .bind(key)
                .execute(pool)
                .await
                .map(|_| ()),
        })?;
        Ok(())
    }

    /// Whether a host removed `key` from `room`.
    pub async fn is_removed(&self, room: &str, key: &str) -> Result<bool, StoreError> {
        let found: Option<i64> = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT at FROM meeting_removals WHERE room = $1 AND key_hash = $2")
                .bind(room)
                .bind(key)
                .fetch_optional(pool)
                .await?
        });
        Ok(found.is_some())
    }

    /// Removes `key` from `room` (it is refused from now on).
    pub async fn remove_key(&self, room: &str, key: &str, now: i64) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO meeting_removals (room, key_hash, at) VALUES ($1, $2, $3) \
                 ON CONFLICT (room, key_hash) DO NOTHING",
            )
            .bind(room)
            .bind(key)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// The listed meetings and whether each is locked.
    pub async fn listed_meetings(&self) -> Result<Vec<(String, bool)>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as("SELECT room, locked FROM meetings WHERE listed = TRUE")
                .fetch_all(pool)
                .await?
        }))
    }

    /// Puts `entry` into `room`'s lobby (a second knock keeps the first's place).
    pub async fn knock(&self, room: &str, entry: &LobbyRow) -> Result<Knocked, StoreError> {
        let waiting: i64 = on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM meeting_lobby WHERE room = $1")
                .bind(room)
                .fetch_one(pool)
                .await?
        });
        if waiting >= LOBBY_LIMIT {
            return Ok(Knocked::Full);
        }
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO meeting_lobby (room, participant, name, key_hash, since, removed, admitted, node) \
                 VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7) ON CONFLICT (room, participant) DO NOTHING",
            )
            .bind(room)
            .bind(&entry.participant)
            .bind(&entry.name)
            .bind(&entry.key_hash)
            .bind(entry.since)
            .bind(entry.removed)
            .bind(&entry.node)
            .execute(pool)
            .await?.rows_affected()
        });
        Ok(Knocked::Waiting)
    }

    /// Who waits in `room`'s lobby (not yet admitted), oldest first.
    pub async fn lobby(&self, room: &str) -> Result<Vec<LobbyRow>, StoreError> {
        let rows: Vec<LobbyTuple> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT participant, name, key_hash, since, removed, node FROM meeting_lobby \
                 WHERE room = $1 AND admitted = FALSE ORDER BY since, participant",
            )
            .bind(room)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(lobby_row).collect())
    }

    /// Takes `participant` (everyone with `None`) out of `room`'s lobby, and
    /// returns who was taken.
    pub async fn leave_lobby(
        &self,
        room: &str,
        participant: Option<&str>,
    ) -> Result<Vec<LobbyRow>, StoreError> {
        let rows: Vec<LobbyTuple> = on_pool!(self, |pool| {
            sqlx::query_as(
                "DELETE FROM meeting_lobby WHERE room = $1 AND COALESCE($2, participant) = participant \
                 AND admitted = FALSE RETURNING participant, name, key_hash, since, removed, node",
            )
            .bind(room)
            .bind(participant)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(lobby_row).collect())
    }

    /// Withdraws every knock of `participant` (its connection closed), in
    /// any meeting; returns the meetings whose lobby changed.
    pub async fn withdraw(&self, participant: &str) -> Result<Vec<String>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar("DELETE FROM meeting_lobby WHERE participant = $1 RETURNING room")
                .bind(participant)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Admits `participant` (everyone waiting with `None`): each may now join
    /// once, and a removal of their key is lifted. Returns who was admitted.
    pub async fn admit(
        &self,
        room: &str,
        participant: Option<&str>,
    ) -> Result<Vec<LobbyRow>, StoreError> {
        let rows: Vec<LobbyTuple> = on_pool!(self, |pool| {
            sqlx::query_as(
                "UPDATE meeting_lobby SET admitted = TRUE WHERE room = $1 \
                 AND COALESCE($2, participant) = participant AND admitted = FALSE \
                 RETURNING participant, name, key_hash, since, removed, node",
            )
            .bind(room)
            .bind(participant)
            .fetch_all(pool)
            .await?
        });
        let rows: Vec<LobbyRow> = rows.into_iter().map(lobby_row).collect();
        for row in rows.iter().filter(|r| r.removed) {
            on_pool!(self, |pool| {
                sqlx::query("DELETE FROM meeting_removals WHERE room = $1 AND key_hash = $2")
                    .bind(room)
                    .bind(&row.key_hash)
                    .execute(pool)
                    .await?
                    .rows_affected()
            });
        }
        Ok(rows)
    }

    /// Uses up `participant`'s admission to `room`: `true` if a host had
    /// admitted it (it may join this once).
    pub async fn take_admission(&self, room: &str, participant: &str) -> Result<bool, StoreError> {
        let done = on_pool!(self, |pool| {
            sqlx::query(
                "DELETE FROM meeting_lobby WHERE room = $1 AND participant = $2 AND admitted = TRUE",
            )
            .bind(room)
            .bind(participant)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Withdraws the knocks of connections on `node` (it stopped or died).
    pub async fn withdraw_node(&self, node: &str) -> Result<Vec<String>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar("DELETE FROM meeting_lobby WHERE node = $1 RETURNING room")
                .bind(node)
                .fetch_all(pool)
                .await?
        }))
    }

    /// The shared secret called `name`, made with `fresh` on first use (the
    /// first node to ask wins a race; everyone gets the one stored).
    pub async fn secret(&self, name: &str, fresh: String) -> Result<String, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(&fresh)
            .execute(pool)
            .await?;
            sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
                .bind(name)
                .fetch_one(pool)
                .await?
        }))
    }

    /// Forgets meetings nobody joined since `unused_since` (ms), with
    /// everything about them; returns how many.
    pub async fn prune_meetings(&self, unused_since: i64) -> Result<u64, StoreError> {
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for table in ["meeting_grants", "meeting_removals", "meeting_lobby"] {
                sqlx::query(&format!(
                    "DELETE FROM {table} WHERE room IN \
                     (SELECT room FROM meetings WHERE used_at < $1)"
                ))
                .bind(unused_since)
                .execute(&mut *tx)
                .await?;
            }
            let gone = sqlx::query("DELETE FROM meetings WHERE used_at < $1")
                .bind(unused_since)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            gone
        }))
    }
}
