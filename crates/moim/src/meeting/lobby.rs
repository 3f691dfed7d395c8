//! The lobby of a locked meeting: who knocks, and the hosts' answers.
//!
//! Kept in the store beside the settings, so in a cluster a host on one node
//! sees and admits people waiting on another. An admission is for the
//! knocking connection alone (its participant id, which only it holds) and
//! is used up by its next `join`.

use moim_proto::Knocker;
use moim_store::meetings::{Knocked, LobbyRow};

use super::{Attempt, Meetings, unavailable};
use crate::clock::now_ms;
use crate::error::Refusal;

impl Meetings {
    /// Puts someone in the lobby after the checks of a guest but the lock
    /// (a removed person may knock; hosts see that they were removed).
    pub async fn knock(&self, at: Attempt<'_>, name: &str) -> Result<(), Refusal> {
        let row = self
            .read(at.room, at.key)
            .await?
            .ok_or(Refusal::NotInRoom)?
            .row;
        let removed = self.is_removed(at.room, at.key).await?;
        self.check_passcode(at, &row).await?;
        let entry = LobbyRow {
            participant: at.participant.to_owned(),
            name: name.to_owned(),
            key_hash: at.key.0.clone(),
            since: now_ms() as i64,
            removed,
            node: self.node.clone(),
        };
        match self.store.knock(at.room, &entry).await {
            Ok(Knocked::Waiting) => Ok(()),
            Ok(Knocked::Full) => Err(Refusal::LobbyFull),
            Err(e) => Err(unavailable("knock", &e)),
        }
    }

    /// Who waits in `room`'s lobby, oldest first (empty when unknown).
    pub async fn lobby(&self, room: &str) -> Vec<Knocker> {
        match self.store.lobby(room).await {
            Ok(rows) => rows.iter().map(knocker).collect(),
            Err(e) => {
                unavailable("lobby", &e);
                Vec::new()
            }
        }
    }

    /// Admits one knocker, or everyone waiting (`None`); returns who.
    pub async fn admit(&self, room: &str, who: Option<&str>) -> Result<Vec<LobbyRow>, Refusal> {
        let rows = self
            .store
            .admit(room, who)
            .await
            .map_err(|e| unavailable("admit", &e))?;
        if who.is_some() && rows.is_empty() {
            return Err(Refusal::NotWaiting);
        }
        Ok(rows)
    }

    /// Turns one knocker away, or everyone waiting (`None`); returns who.
    pub async fn deny(&self, room: &str, who: Option<&str>) -> Result<Vec<LobbyRow>, Refusal> {
        let rows = self
            .store
            .leave_lobby(room, who)
            .await
            .map_err(|e| unavailable("deny", &e))?;
        if who.is_some() && rows.is_empty() {
            return Err(Refusal::NotWaiting);
        }
        Ok(rows)
    }

    /// Withdraws every knock of a connection that left or closed; returns
    /// the meetings whose lobby changed.
    pub async fn withdraw(&self, participant: &str) -> Vec<String> {
        self.store
            .withdraw(participant)
            .await
            .inspect_err(|e| {
                unavailable("withdraw", e);
            })
            .unwrap_or_default()
    }

    /// Withdraws every knock of the connections of `node`, which died;
    /// returns the meetings whose lobby changed, each once.
    pub async fn withdraw_node(&self, node: &str) -> Vec<String> {
        let mut rooms = self
            .store
            .withdraw_node(node)
            .await
            .inspect_err(|e| {
                unavailable("withdraw_node", e);
            })
            .unwrap_or_default();
        rooms.sort_unstable();
        rooms.dedup();
        rooms
    }

    /// Uses up `participant`'s admission to `room`, if a host gave one.
    pub(super) async fn admitted(&self, room: &str, participant: &str) -> bool {
        self.store
            .take_admission(room, participant)
            .await
            .unwrap_or(false)
    }
}

fn knocker(row: &LobbyRow) -> Knocker {
    Knocker {
        id: row.participant.clone(),
        name: row.name.clone(),
        since: row.since.max(0) as u64,
        removed: row.removed,
    }
}
