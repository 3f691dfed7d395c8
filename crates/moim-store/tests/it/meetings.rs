//! The meetings' part of the store (who gets in), against both back ends:
//! one starter wins a race, grants and removals stick, the lobby admits once.

use moim_store::Store;
use moim_store::meetings::{Knocked, LOBBY_LIMIT, LobbyRow, MeetingChange};

contract!(
    only_one_of_two_racing_starters_starts_a_meeting,
    settings_change_only_what_is_named,
    grants_and_removals_are_kept_per_meeting,
    an_admission_lets_one_connection_in_once,
    the_lobby_is_bounded_and_withdrawn,
    a_shared_secret_is_made_once,
    unused_meetings_are_forgotten_with_everything_about_them,
);

fn knocker(participant: &str, since: i64) -> LobbyRow {
    LobbyRow {
        participant: participant.into(),
        name: format!("name-{participant}"),
        key_hash: format!("key-{participant}"),
        since,
        removed: false,
        node: "node-a".into(),
    }
}

async fn only_one_of_two_racing_starters_starts_a_meeting(store: Store) {
    let (a, b) = tokio::join!(
        store.create_meeting("standup", "key-a", false, 1),
        store.create_meeting("standup", "key-b", false, 1),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a ^ b, "exactly one starts it: {a} {b}");
    let winner = if a { "key-a" } else { "key-b" };
    let loser = if a { "key-b" } else { "key-a" };
    assert_eq!(
        store.grant("standup", winner).await.unwrap().as_deref(),
        Some("host")
    );
    assert_eq!(store.grant("standup", loser).await.unwrap(), None);
    let row = store.meeting("standup").await.unwrap().unwrap();
    assert!(!row.listed && !row.locked && row.allow_unmute && row.passcode.is_none());
    assert_eq!(store.meeting("other").await.unwrap(), None);
}

async fn settings_change_only_what_is_named(store: Store) {
    store.create_meeting("m", "k", false, 1).await.unwrap();
    let locked = MeetingChange {
        locked: Some(true),
        passcode: Some(Some("hash".into())),
        ..MeetingChange::default()
    };
    let row = store.update_meeting("m", &locked).await.unwrap().unwrap();
    assert!(row.locked && !row.listed && row.allow_unmute);
    assert_eq!(row.passcode.as_deref(), Some("hash"));
    let listed = MeetingChange {
        listed: Some(true),
        ..MeetingChange::default()
    };
    let row = store.update_meeting("m", &listed).await.unwrap().unwrap();
    assert!(row.locked && row.listed);
    assert_eq!(row.passcode.as_deref(), Some("hash"));
    assert_eq!(
        store.listed_meetings().await.unwrap(),
        vec![("m".to_owned(), true)]
    );
    let cleared = MeetingChange {
        passcode: Some(None),
        ..MeetingChange::default()
    };
    let row = store.update_meeting("m", &cleared).await.unwrap().unwrap();
    assert_eq!(row.passcode, None);
    assert!(
        store
            .update_meeting("never", &listed)
            .await
            .unwrap()
            .is_none()
    );
}

async fn grants_and_removals_are_kept_per_meeting(store: Store) {
    store.create_meeting("a", "host", false, 1).await.unwrap();
    store.create_meeting("b", "other", false, 1).await.unwrap();
    store.set_grant("a", "jun", Some("cohost")).await.unwrap();
    assert_eq!(
        store.grant("a", "jun").await.unwrap().as_deref(),
        Some("cohost")
    );
    assert_eq!(store.grant("b", "jun").await.unwrap(), None);
    store.set_grant("a", "jun", Some("host")).await.unwrap();
    assert_eq!(
        store.grant("a", "jun").await.unwrap().as_deref(),
        Some("host")
    );
    store.set_grant("a", "jun", None).await.unwrap();
    assert_eq!(store.grant("a", "jun").await.unwrap(), None);

    store.set_hold("a", "jun", true).await.unwrap();
    store.set_hold("a", "jun", true).await.unwrap();
    assert!(store.is_held("a", "jun").await.unwrap());
    assert!(!store.is_held("b", "jun").await.unwrap());
    store.set_hold("a", "jun", false).await.unwrap();
    assert!(!store.is_held("a", "jun").await.unwrap());
    store.set_hold("a", "ara", true).await.unwrap();
    store.clear_holds("a").await.unwrap();
    assert!(!store.is_held("a", "ara").await.unwrap());

    store.remove_key("a", "eun", 5).await.unwrap();
    store.remove_key("a", "eun", 6).await.unwrap();
    assert!(store.is_removed("a", "eun").await.unwrap());
    assert!(!store.is_removed("b", "eun").await.unwrap());
}

async fn an_admission_lets_one_connection_in_once(store: Store) {
    store.create_meeting("m", "host", false, 1).await.unwrap();
    store.remove_key("m", "key-p1", 1).await.unwrap();
    let mut removed = knocker("p1", 10);
    removed.removed = true;
    assert_eq!(store.knock("m", &removed).await.unwrap(), Knocked::Waiting);
    assert_eq!(
        store.knock("m", &knocker("p2", 11)).await.unwrap(),
        Knocked::Waiting
    );
    let waiting = store.lobby("m").await.unwrap();
    assert_eq!(
        waiting
            .iter()
            .map(|r| r.participant.as_str())
            .collect::<Vec<_>>(),
        ["p1", "p2"]
    );
    // Not admitted yet: nothing to take.
    assert!(!store.take_admission("m", "p1").await.unwrap());
    let admitted = store.admit("m", Some("p1")).await.unwrap();
    assert_eq!(admitted.len(), 1);
    // Admitting lifted the removal; the admitted one no longer shows as waiting.
    assert!(!store.is_removed("m", "key-p1").await.unwrap());
    assert_eq!(store.lobby("m").await.unwrap().len(), 1);
    assert!(store.take_admission("m", "p1").await.unwrap());
    assert!(!store.take_admission("m", "p1").await.unwrap(), "only once");
    // Another connection cannot use someone's admission.
    store.admit("m", None).await.unwrap();
    assert!(!store.take_admission("m", "p3").await.unwrap());
    assert!(store.take_admission("m", "p2").await.unwrap());
}

async fn the_lobby_is_bounded_and_withdrawn(store: Store) {
    store.create_meeting("m", "host", false, 1).await.unwrap();
    for i in 0..LOBBY_LIMIT {
        let knocked = store
            .knock("m", &knocker(&format!("p{i}"), i))
            .await
            .unwrap();
        assert_eq!(knocked, Knocked::Waiting);
    }
    assert_eq!(
        store.knock("m", &knocker("late", 99)).await.unwrap(),
        Knocked::Full
    );
    assert_eq!(store.withdraw("p0").await.unwrap(), vec!["m".to_owned()]);
    assert_eq!(store.withdraw("p0").await.unwrap(), Vec::<String>::new());
    let denied = store.leave_lobby("m", Some("p1")).await.unwrap();
    assert_eq!(denied.len(), 1);
    assert_eq!(
        store.withdraw_node("node-a").await.unwrap().len(),
        (LOBBY_LIMIT - 2) as usize
    );
    assert!(store.lobby("m").await.unwrap().is_empty());
}

async fn a_shared_secret_is_made_once(store: Store) {
    let first = store.secret("links", "one".into()).await.unwrap();
    let second = store.secret("links", "two".into()).await.unwrap();
    assert_eq!((first.as_str(), second.as_str()), ("one", "one"));
}

async fn unused_meetings_are_forgotten_with_everything_about_them(store: Store) {
    store.create_meeting("old", "host", true, 10).await.unwrap();
    store.create_meeting("new", "host", true, 10).await.unwrap();
    store.touch_meeting("new", 1_000).await.unwrap();
    store.remove_key("old", "eun", 10).await.unwrap();
    store.knock("old", &knocker("p", 10)).await.unwrap();
    assert_eq!(store.prune_meetings(500).await.unwrap(), 1);
    assert_eq!(store.meeting("old").await.unwrap(), None);
    assert!(!store.is_removed("old", "eun").await.unwrap());
    assert_eq!(store.grant("old", "host").await.unwrap(), None);
    assert!(store.lobby("old").await.unwrap().is_empty());
    assert!(store.meeting("new").await.unwrap().is_some());
}
