//! The gate in process, on an in-memory store: who is host, what a guest
//! must pass, an admission used once, and what holds when the database is gone.

use moim_proto::{Role, SettingsIn};
use moim_store::Store;
use moim_store::meetings::LobbyRow;

use super::credentials::{KeyHash, key_hash, random_key};
use super::{Attempt, Meetings};
use crate::error::Refusal;

async fn meetings() -> Meetings {
    Meetings::open(Store::open_memory().await.expect("in-memory store"), "node")
        .await
        .expect("the invitation secret")
}

fn key() -> KeyHash {
    key_hash(&random_key()).unwrap()
}

fn at<'a>(room: &'a str, key: &'a KeyHash, participant: &'a str) -> Attempt<'a> {
    Attempt {
        room,
        key,
        passcode: None,
        participant,
        peer: None,
        invite: None,
        returning: false,
    }
}

#[tokio::test]
async fn the_starter_is_host_by_key_and_everyone_else_a_guest() {
    let m = meetings().await;
    let (host, guest) = (key(), key());
    let first = m.enter(at("standup", &host, "p1"), true).await.unwrap();
    assert_eq!((first.role, first.started), (Role::Host, true));
    let second = m.enter(at("standup", &guest, "p2"), true).await.unwrap();
    assert_eq!((second.role, second.started), (Role::Guest, false));
    let again = m.enter(at("standup", &host, "p3"), true).await.unwrap();
    assert_eq!(again.role, Role::Host);
    // With `--meetings invite` a new meeting is not started.
    assert_eq!(
        m.enter(at("other", &host, "p1"), false).await,
        Err(Refusal::InviteRequired)
    );
}

#[tokio::test]
async fn a_guest_passes_the_passcode_and_the_lock_but_a_host_does_not_need_to() {
    let m = meetings().await;
    let (host, guest) = (key(), key());
    m.enter(at("m", &host, "p1"), true).await.unwrap();
    let change = SettingsIn {
        passcode: Some("4821".into()),
        ..SettingsIn::default()
    };
    let settings = m.change("m", &change).await.unwrap();
    assert!(settings.has_passcode);
    let mut attempt = at("m", &guest, "p2");
    assert_eq!(m.enter(attempt, true).await, Err(Refusal::PasscodeRequired));
    attempt.passcode = Some("0000");
    assert_eq!(m.enter(attempt, true).await, Err(Refusal::WrongPasscode));
    attempt.passcode = Some("4821");
    assert_eq!(m.enter(attempt, true).await.unwrap().role, Role::Guest);

    let lock = SettingsIn {
        locked: Some(true),
        ..SettingsIn::default()
    };
    m.change("m", &lock).await.unwrap();
    assert_eq!(m.enter(attempt, true).await, Err(Refusal::Locked));
    assert_eq!(
        m.enter(at("m", &host, "p1"), true).await.unwrap().role,
        Role::Host
    );

    // Knock, be admitted, come in once through the lock without a passcode.
    attempt.passcode = Some("4821");
    m.knock(attempt, "Jun").await.unwrap();
    assert_eq!(m.lobby("m").await.len(), 1);
    m.admit("m", Some("p2")).await.unwrap();
    assert!(m.lobby("m").await.is_empty());
    assert!(m.enter(at("m", &guest, "p2"), true).await.is_ok());
    assert_eq!(
        m.enter(at("m", &guest, "p2"), true).await,
        Err(Refusal::PasscodeRequired)
    );
    assert_eq!(m.admit("m", Some("nobody")).await, Err(Refusal::NotWaiting));
}

#[tokio::test]
async fn a_removed_key_is_refused_under_any_connection() {
    let m = meetings().await;
    let (host, eun) = (key(), key());
    m.enter(at("m", &host, "p1"), true).await.unwrap();
    m.enter(at("m", &eun, "p2"), true).await.unwrap();
    m.remove("m", &eun).await.unwrap();
    assert_eq!(
        m.enter(at("m", &eun, "p9"), true).await,
        Err(Refusal::Removed)
    );
    assert!(m.enter(at("m", &key(), "p3"), true).await.is_ok());
}

#[tokio::test]
async fn with_the_database_gone_a_seen_meeting_keeps_its_lock_and_an_unseen_one_is_refused() {
    let m = meetings().await;
    let (host, guest) = (key(), key());
    m.enter(at("seen", &host, "p1"), true).await.unwrap();
    m.enter(at("open", &host, "p1"), true).await.unwrap();
    m.enter(at("open", &guest, "p2"), true).await.unwrap();
    let lock = SettingsIn {
        locked: Some(true),
        ..SettingsIn::default()
    };
    m.change("seen", &lock).await.unwrap();
    m.store()
        .knock(
            "seen",
            &LobbyRow {
                participant: "x".into(),
                name: "x".into(),
                key_hash: "x".into(),
                since: 0,
                removed: false,
                node: "node".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(m.listed().await, Some(Default::default()));
    match m.store() {
        Store::Sqlite(pool) => pool.close().await,
        Store::Postgres(pool) => pool.close().await,
    }
    assert_eq!(
        m.enter(at("seen", &guest, "p2"), true).await,
        Err(Refusal::Locked)
    );
    assert_eq!(
        m.enter(at("seen", &host, "p1"), true).await.unwrap().role,
        Role::Host
    );
    assert_eq!(
        m.enter(at("open", &guest, "p2"), true).await.unwrap().role,
        Role::Guest
    );
    assert_eq!(
        m.enter(at("never-seen", &guest, "p2"), true).await,
        Err(Refusal::MeetingsUnavailable)
    );
    // The list as last read (nothing was listed).
    assert_eq!(m.listed().await, Some(Default::default()));
}

#[tokio::test]
async fn a_restart_takes_its_last_runs_knocks_out_of_the_lobby_and_no_one_elses() {
    let store = Store::open_memory().await.expect("in-memory store");
    let before = Meetings::open(store.clone(), "node").await.unwrap();
    let other = Meetings::open(store.clone(), "other-node").await.unwrap();
    let (host, jun, ara) = (key(), key(), key());
    before.enter(at("m", &host, "p1"), true).await.unwrap();
    let lock = SettingsIn {
        locked: Some(true),
        ..SettingsIn::default()
    };
    before.change("m", &lock).await.unwrap();
    before.knock(at("m", &jun, "p2"), "Jun").await.unwrap();
    other.knock(at("m", &ara, "p3"), "Ara").await.unwrap();
    assert_eq!(before.lobby("m").await.len(), 2);

    let after = Meetings::open(store, "node").await.unwrap();
    let waiting: Vec<String> = after.lobby("m").await.into_iter().map(|k| k.name).collect();
    assert_eq!(waiting, ["Ara"], "Jun's connection went with the last run");
}
