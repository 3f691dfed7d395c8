//! Who gets into a meeting (`/moim`) and with which role: the gate a `join`
//! or `knock` passes, the settings hosts change, the lobby, and removals.
//!
//! Everything a meeting decides is kept in the store (`moim-store`'s
//! `meetings`: SQLite, or PostgreSQL shared by a cluster's nodes), so a
//! restart or another node sees the same lock, passcode, hosts and removals.
//! Each node also remembers what it last read of a meeting, and uses that
//! when the database cannot be reached: a meeting this node has seen keeps
//! its lock and passcode through an outage (and keeps working); one it has
//! never seen is refused (`meetings_unavailable`) rather than let in unchecked.

pub mod credentials;
pub mod invite;
pub mod links;
mod lobby;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use moim_proto::{MeetingSettings, Role, SettingsIn};
use moim_store::Store;
use moim_store::meetings::{MeetingChange, MeetingRow};

use self::credentials::KeyHash;
use self::invite::{Invite, Invites};
use crate::clock::now_ms;
use crate::error::Refusal;
use crate::throttle::{Policy, Throttle};

/// Meetings this node remembers for a database outage.
const CACHE_LIMIT: usize = 10_000;

/// How often a meeting's "last used" time is written (not on every join).
const TOUCH_EVERY: u64 = 60 * 60 * 1000;

/// Meetings unused this long are forgotten with everything about them.
pub const FORGET_AFTER: Duration = Duration::from_secs(90 * 24 * 60 * 60);

/// The gate of every meeting on this node.
#[derive(Debug)]
pub struct Meetings {
    store: Store,
    invites: Invites,
    node: String,
    passcodes: Throttle,
    cache: Mutex<HashMap<Arc<str>, Seen>>,
    /// The listed meetings as last read, for an outage.
    last_listed: Mutex<Option<HashMap<String, bool>>>,
}

/// What this node last read of a meeting.
#[derive(Debug, Clone)]
struct Seen {
    row: MeetingRow,
    grants: HashMap<KeyHash, Role>,
    /// Keys known to be removed, for an outage.
    removed: std::collections::HashSet<KeyHash>,
    touched: u64,
    /// Read from this cache because the database could not be asked: the
    /// rest of the check asks it nothing more (each try would wait for it).
    offline: bool,
}

/// Someone asking to come in.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// The meeting.
    pub room: &'a str,
    /// Their key's hash.
    pub key: &'a KeyHash,
    /// The passcode they gave.
    pub passcode: Option<&'a str>,
    /// Their connection's participant id (an admission is for it alone).
    pub participant: &'a str,
    /// Their address, for the passcode back-off.
    pub peer: Option<IpAddr>,
    /// The invitation link they came with, checked.
    pub invite: Option<&'a Invite>,
    /// They are in the meeting already and only came back on a new
    /// connection (their browser key matches the participant they replace):
    /// the lock and the passcode let them through, a removal does not.
    pub returning: bool,
}

/// How someone came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Their role.
    pub role: Role,
    /// The meeting's settings.
    pub settings: MeetingSettings,
    /// This join started the meeting.
    pub started: bool,
    /// A host holds this key muted: it joins muted and may not unmute.
    pub held: bool,
}

impl Meetings {
    /// The gate, on `store`, for this node (`node` names it in the lobby).
    /// Knocks already under `node` are an earlier run's (a restart, or a
    /// crash): their connections are gone, so they leave the lobbies. A
    /// cluster node's name is new each run; its dead runs' knocks are the
    /// sweeper's (`Meetings::withdraw_node`).
    pub async fn open(store: Store, node: &str) -> Result<Meetings, moim_store::StoreError> {
        let invites = Invites::load(&store).await?;
        let stale = store.withdraw_node(node).await?;
        if !stale.is_empty() {
            tracing::info!(
                knocks = stale.len(),
                "the lobbies' knocks of this node's last run are withdrawn"
            );
        }
        Ok(Meetings {
            store,
            invites,
            node: node.to_owned(),
            passcodes: Throttle::new(Policy {
                free: 3,
                base: Duration::from_secs(2),
                cap: Duration::from_secs(60),
                forget_after: Duration::from_secs(10 * 60),
                max_entries: 10_000,
            }),
            cache: Mutex::default(),
            last_listed: Mutex::default(),
        })
    }

    /// The invitation links' signer.
    pub fn invites(&self) -> &Invites {
        &self.invites
    }

    /// The store the settings live in.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Forgets, every hour, the meetings nobody joined for [`FORGET_AFTER`]
    /// (their settings, hosts, removals): names are free to take again, and
    /// the table does not grow without bound.
    pub fn spawn_pruning(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60 * 60));
            loop {
                every.tick().await;
                let before = now_ms().saturating_sub(FORGET_AFTER.as_millis() as u64);
                match self.store.prune_meetings(before as i64).await {
                    Ok(0) => {}
                    Ok(gone) => tracing::info!(gone, "forgot meetings unused for 90 days"),
                    Err(e) => tracing::warn!(error = %e, "could not prune old meetings"),
                }
            }
        })
    }

    /// Lets someone into a meeting, or says why not (`docs/protocol.md`,
    /// "`join` and the meeting's gate"). `may_start`: whether this attempt
    /// may start a meeting that does not exist yet (`--meetings invite`).
    pub async fn enter(&self, at: Attempt<'_>, may_start: bool) -> Result<Entry, Refusal> {
        let now = now_ms();
        let invited_host = at.invite.is_some_and(|i| i.role == Role::Host);
        let may_start = may_start || invited_host;
        if invited_host {
            // A host's link makes its holder host, of a new meeting or not.
            if self.store.meeting(at.room).await.ok().flatten().is_some() {
                self.set_role(at.room, at.key, Role::Host).await?;
            }
        }
        let seen = match self.read(at.room, at.key).await? {
            Some(seen) => seen,
            None => {
                if !may_start {
                    return Err(Refusal::InviteRequired);
                }
                let started = self
                    .store
                    .create_meeting(at.room, &at.key.0, false, now as i64)
                    .await
                    .map_err(|e| unavailable("start", &e))?;
                let seen = self.read(at.room, at.key).await?.ok_or_else(|| {
                    tracing::warn!(room = at.room, "a meeting just started is gone");
                    Refusal::MeetingsUnavailable
                })?;
                let role = seen.grants.get(at.key).copied().unwrap_or_default();
                return Ok(Entry {
                    role,
                    settings: settings(&seen.row),
                    started,
                    held: false,
                });
            }
        };
        if !seen.offline && seen.touched + TOUCH_EVERY < now {
            self.touch(at.room, now).await;
        }
        let role = seen.grants.get(at.key).copied().unwrap_or_default();
        let mut entry = Entry {
            role,
            settings: settings(&seen.row),
            started: false,
            held: false,
        };
        if role.moderates() {
            return Ok(entry);
        }
        if seen.offline {
            // What this node last knew: its removals, the passcode, the lock.
            if seen.removed.contains(at.key) {
                return Err(Refusal::Removed);
            }
            if at.returning {
                return Ok(entry);
            }
            self.check_passcode(at, &seen.row).await?;
            return if seen.row.locked {
                Err(Refusal::Locked)
            } else {
                Ok(entry)
            };
        }
        entry.held = self
            .store
            .is_held(at.room, &at.key.0)
            .await
            .inspect_err(|e| {
                unavailable("holds", e);
            })
            .unwrap_or(false);
        if self.admitted(at.room, at.participant).await {
            return Ok(entry);
        }
        if at.returning {
            if self.is_removed(at.room, at.key).await? {
                return Err(Refusal::Removed);
            }
            return Ok(entry);
        }
        self.check_guest(at, &seen.row).await?;
        if seen.row.locked {
            return Err(Refusal::Locked);
        }
        Ok(entry)
    }

    /// The checks of a guest but the lock: removal and passcode.
    async fn check_guest(&self, at: Attempt<'_>, row: &MeetingRow) -> Result<(), Refusal> {
        if self.is_removed(at.room, at.key).await? {
            return Err(Refusal::Removed);
        }
        self.check_passcode(at, row).await
    }

    async fn check_passcode(&self, at: Attempt<'_>, row: &MeetingRow) -> Result<(), Refusal> {
        let Some(stored) = &row.passcode else {
            return Ok(());
        };
        // A guest's link made by the operator stands for the passcode.
        if at.invite.is_some() {
            return Ok(());
        }
        let Some(given) = at.passcode else {
            return Err(Refusal::PasscodeRequired);
        };
        if let Some(peer) = at.peer {
            self.passcodes
                .attempt(peer, Instant::now())
                .map_err(|_| Refusal::TooManyAttempts)?;
        }
        let (stored, given) = (stored.clone(), given.to_owned());
        let matches =
            tokio::task::spawn_blocking(move || credentials::passcode_matches(&stored, &given))
                .await
                .unwrap_or(false);
        if !matches {
            tracing::info!(room = at.room, peer = ?at.peer, "wrong passcode");
            return Err(Refusal::WrongPasscode);
        }
        if let Some(peer) = at.peer {
            self.passcodes.succeeded(peer);
        }
        Ok(())
    }

    /// The settings of `room` (the defaults for a meeting never started).
    pub async fn settings(&self, room: &str) -> MeetingSettings {
        match self.store.meeting(room).await {
            Ok(row) => row.as_ref().map(settings).unwrap_or_default(),
            Err(_) => self
                .cached(room)
                .map(|seen| settings(&seen.row))
                .unwrap_or_default(),
        }
    }

    /// Applies a host's change of settings.
    pub async fn change(
        &self,
        room: &str,
        change: &SettingsIn,
    ) -> Result<MeetingSettings, Refusal> {
        let passcode = match change.passcode.as_deref() {
            None => None,
            Some("") => Some(None),
            Some(new) => {
                let new = credentials::valid_passcode(new)?.to_owned();
                let hashed = tokio::task::spawn_blocking(move || credentials::hash_passcode(&new))
                    .await
                    .map_err(|_| Refusal::MeetingsUnavailable)?;
                Some(Some(hashed))
            }
        };
        let change = MeetingChange {
            listed: change.listed,
            locked: change.locked,
            allow_unmute: change.allow_unmute,
            passcode,
        };
        let row = self
            .store
            .update_meeting(room, &change)
            .await
            .map_err(|e| unavailable("change", &e))?
            .ok_or(Refusal::NotInRoom)?;
        if change.allow_unmute == Some(true) {
            self.store
                .clear_holds(room)
                .await
                .map_err(|e| unavailable("holds", &e))?;
        }
        if let Some(seen) = self.lock().get_mut(room) {
            seen.row = row.clone();
        }
        Ok(settings(&row))
    }

    /// Starts `room` with `settings` for an operator (the HTTP API): its host
    /// is whoever comes with a host's link. `false` if it exists already.
    pub async fn create(&self, room: &str, settings: &SettingsIn) -> Result<bool, Refusal> {
        let nobody = credentials::key_hash(&credentials::random_key())?;
        let created = self
            .store
            .create_meeting(room, &nobody.0, false, now_ms() as i64)
            .await
            .map_err(|e| unavailable("create", &e))?;
        if created {
            self.change(room, settings).await?;
        }
        Ok(created)
    }

    /// Keeps (or, with `Guest`, forgets) `key`'s role in `room`.
    pub async fn set_role(&self, room: &str, key: &KeyHash, role: Role) -> Result<(), Refusal> {
        let stored = match role {
            Role::Host => Some("host"),
            Role::Cohost => Some("cohost"),
            Role::Guest => None,
        };
        self.store
            .set_grant(room, &key.0, stored)
            .await
            .map_err(|e| unavailable("role", &e))?;
        if let Some(seen) = self.lock().get_mut(room) {
            seen.grants.insert(key.clone(), role);
        }
        Ok(())
    }

    /// Holds `key` muted in `room` (a rejoin does not lift it), or lets it
    /// speak again.
    pub async fn hold(&self, room: &str, key: &KeyHash, held: bool) -> Result<(), Refusal> {
        self.store
            .set_hold(room, &key.0, held)
            .await
            .map_err(|e| unavailable("hold", &e))
    }

    /// Refuses `key` in `room` from now on.
    pub async fn remove(&self, room: &str, key: &KeyHash) -> Result<(), Refusal> {
        self.note_removed(room, key);
        self.store
            .remove_key(room, &key.0, now_ms() as i64)
            .await
            .map_err(|e| unavailable("remove", &e))
    }

    /// The listed meetings and whether each is locked: as last read when
    /// the database cannot say, `None` if it never could (nothing is listed).
    pub async fn listed(&self) -> Option<HashMap<String, bool>> {
        let mut last = self
            .last_listed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        match self.store.listed_meetings().await {
            Ok(rows) => {
                let listed: HashMap<String, bool> = rows.into_iter().collect();
                last = Some(listed.clone());
                *self.last_listed.lock().unwrap_or_else(|e| e.into_inner()) = last.clone();
            }
            Err(e) => tracing::warn!(error = %e, "cannot read the listed meetings"),
        }
        last
    }

    async fn read(&self, room: &str, key: &KeyHash) -> Result<Option<Seen>, Refusal> {
        let row = match self.store.meeting(room).await {
            Ok(Some(row)) => row,
            Ok(None) => return Ok(None),
            Err(e) => {
                let mut seen = self.cached(room).ok_or_else(|| unavailable("read", &e))?;
                seen.offline = true;
                return Ok(Some(seen));
            }
        };
        let grant = match self.store.grant(room, &key.0).await {
            Ok(grant) => grant.as_deref().map(role_of),
            Err(e) => {
                unavailable("grant", &e);
                self.cached(room).and_then(|s| s.grants.get(key).copied())
            }
        };
        let mut cache = self.lock();
        if cache.len() >= CACHE_LIMIT && !cache.contains_key(room) {
            cache.clear();
        }
        let seen = cache.entry(room.into()).or_insert_with(|| Seen {
            row: row.clone(),
            grants: HashMap::new(),
            removed: Default::default(),
            touched: now_ms(),
            offline: false,
        });
        seen.row = row;
        match grant {
            Some(role) => seen.grants.insert(key.clone(), role),
            None => seen.grants.remove(key),
        };
        Ok(Some(seen.clone()))
    }

    async fn is_removed(&self, room: &str, key: &KeyHash) -> Result<bool, Refusal> {
        match self.store.is_removed(room, &key.0).await {
            Ok(removed) => {
                if removed {
                    self.note_removed(room, key);
                }
                Ok(removed)
            }
            Err(e) => {
                unavailable("removals", &e);
                Ok(self
                    .cached(room)
                    .is_some_and(|seen| seen.removed.contains(key)))
            }
        }
    }

    fn note_removed(&self, room: &str, key: &KeyHash) {
        if let Some(seen) = self.lock().get_mut(room) {
            seen.removed.insert(key.clone());
        }
    }

    async fn touch(&self, room: &str, now: u64) {
        if self.store.touch_meeting(room, now as i64).await.is_ok()
            && let Some(seen) = self.lock().get_mut(room)
        {
            seen.touched = now;
        }
    }

    fn cached(&self, room: &str) -> Option<Seen> {
        self.lock().get(room).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, Seen>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The settings everyone is shown.
fn settings(row: &MeetingRow) -> MeetingSettings {
    MeetingSettings {
        listed: row.listed,
        locked: row.locked,
        has_passcode: row.passcode.is_some(),
        allow_unmute: row.allow_unmute,
    }
}

fn role_of(stored: &str) -> Role {
    match stored {
        "host" => Role::Host,
        "cohost" => Role::Cohost,
        _ => Role::Guest,
    }
}

fn unavailable(what: &str, error: &moim_store::StoreError) -> Refusal {
    tracing::warn!(error = %error, "meeting settings unavailable ({what})");
    Refusal::MeetingsUnavailable
}
