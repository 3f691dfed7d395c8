//! The store's contract, run against both back ends: SQLite in a temp dir and
//! a real PostgreSQL (a throw-away cluster, see `support`).

use std::time::Duration;

use crate::support::TempDir;
use moim_store::{Journal, NewMessage, Retention, Store, StoreError};

contract!(
    a_batch_is_stored_in_order_with_authors_and_times,
    history_pages_back_by_id_without_gaps_or_overlaps,
    rooms_and_spaces_keep_their_own_history,
    retention_keeps_the_newest_per_room,
    retention_drops_messages_past_their_age,
    the_journal_answers_every_writer_once_in_queue_order,
);

fn message(room: &str, text: &str, ts: i64) -> NewMessage {
    NewMessage {
        space: "meet".into(),
        room: room.into(),
        author_id: format!("id-{text}"),
        author_name: format!("name-{text}"),
        text: text.into(),
        ts,
    }
}

fn texts(page: &moim_store::Page) -> Vec<&str> {
    page.messages.iter().map(|m| m.text.as_str()).collect()
}

async fn a_batch_is_stored_in_order_with_authors_and_times(store: Store) {
    let first = store
        .append(&[message("r", "a", 10), message("r", "b", 11)])
        .await
        .unwrap();
    let second = store.append(&[message("r", "c", 12)]).await.unwrap();
    assert!(
        first[0] < first[1] && first[1] < second[0],
        "{first:?} {second:?}"
    );

    let page = store.page("meet", "r", None, 100).await.unwrap();
    assert_eq!(texts(&page), ["a", "b", "c"]);
    assert!(!page.more);
    let b = &page.messages[1];
    assert_eq!(
        (b.id, b.author_id.as_str(), b.author_name.as_str(), b.ts),
        (first[1], "id-b", "name-b", 11)
    );
    // Text is kept exactly, whatever it holds.
    let odd = "<b>'; DROP TABLE messages; --</b> 모임 \u{1F600}";
    store.append(&[message("r", odd, 13)]).await.unwrap();
    let page = store.page("meet", "r", None, 1).await.unwrap();
    assert_eq!((texts(&page), page.more), (vec![odd], true));
}

async fn history_pages_back_by_id_without_gaps_or_overlaps(store: Store) {
    let batch: Vec<NewMessage> = (0..250)
        .map(|i| message("r", &format!("m{i}"), i))
        .collect();
    store.append(&batch).await.unwrap();

    let mut seen = Vec::new();
    let mut before = None;
    let mut pages = 0;
    loop {
        let page = store.page("meet", "r", before, 100).await.unwrap();
        pages += 1;
        let mut texts: Vec<String> = page.messages.iter().map(|m| m.text.clone()).collect();
        texts.extend(seen);
        seen = texts;
        if !page.more {
            break;
        }
        before = Some(page.messages[0].id);
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..250).map(|i| format!("m{i}")).collect();
    assert_eq!(seen, expected);
    // A cursor beyond every id is the newest page; below every id, nothing.
    let newest = store.page("meet", "r", Some(i64::MAX), 2).await.unwrap();
    assert_eq!(texts(&newest), ["m248", "m249"]);
    let none = store.page("meet", "r", Some(1), 100).await.unwrap();
    assert_eq!((none.messages.len(), none.more), (0, false));
    // A page is never bigger than MAX_PAGE.
    let capped = store.page("meet", "r", None, 10_000).await.unwrap();
    assert_eq!(capped.messages.len(), moim_store::MAX_PAGE as usize);
}

async fn rooms_and_spaces_keep_their_own_history(store: Store) {
    let course = NewMessage {
        space: "course".into(),
        ..message("lobby", "course-line", 1)
    };
    store
        .append(&[
            message("lobby", "meet-line", 1),
            course,
            message("other", "x", 2),
        ])
        .await
        .unwrap();
    assert_eq!(
        texts(&store.page("meet", "lobby", None, 10).await.unwrap()),
        ["meet-line"]
    );
    assert_eq!(
        texts(&store.page("course", "lobby", None, 10).await.unwrap()),
        ["course-line"]
    );
    assert!(
        store
            .page("meet", "nobody", None, 10)
            .await
            .unwrap()
            .messages
            .is_empty()
    );
}

async fn retention_keeps_the_newest_per_room(store: Store) {
    let mut batch: Vec<NewMessage> = (0..10)
        .map(|i| message("big", &format!("b{i}"), i))
        .collect();
    batch.extend((0..2).map(|i| message("small", &format!("s{i}"), i)));
    store.append(&batch).await.unwrap();
    let policy = Retention {
        max_age: None,
        per_room: Some(3),
    };
    assert_eq!(policy.apply(&store, 100).await.unwrap(), 7);
    assert_eq!(
        texts(&store.page("meet", "big", None, 10).await.unwrap()),
        ["b7", "b8", "b9"]
    );
    assert_eq!(
        texts(&store.page("meet", "small", None, 10).await.unwrap()),
        ["s0", "s1"]
    );
    // Ids keep growing after deletions.
    let next = store.append(&[message("big", "b10", 11)]).await.unwrap()[0];
    let last = store.page("meet", "big", None, 10).await.unwrap();
    assert!(last.messages.iter().all(|m| m.id <= next));
}

async fn retention_drops_messages_past_their_age(store: Store) {
    let day_ms = 86_400_000;
    let now = 100 * day_ms;
    store
        .append(&[
            message("r", "old", now - 3 * day_ms),
            message("r", "recent", now - day_ms / 2),
        ])
        .await
        .unwrap();
    let policy = Retention {
        max_age: Some(Duration::from_secs(86_400)),
        per_room: None,
    };
    assert_eq!(policy.apply(&store, now).await.unwrap(), 1);
    assert_eq!(
        texts(&store.page("meet", "r", None, 10).await.unwrap()),
        ["recent"]
    );
}

async fn the_journal_answers_every_writer_once_in_queue_order(store: Store) {
    let (journal, _task) = Journal::start(store.clone());
    // One writer in sequence: ids follow the order of the calls.
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            journal
                .append(message("seq", &format!("q{i}"), i))
                .await
                .unwrap()
                .id,
        );
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");

    // Many writers at once: batched, each answered with its own message.
    let writers: Vec<_> = (0..300)
        .map(|i| {
            let journal = journal.clone();
            tokio::spawn(async move { journal.append(message("many", &format!("w{i}"), i)).await })
        })
        .collect();
    let mut stored = Vec::new();
    for writer in writers {
        stored.push(writer.await.unwrap().unwrap());
    }
    for (i, m) in stored.iter().enumerate() {
        assert_eq!(m.text, format!("w{i}"));
    }
    let mut page = Vec::new();
    let mut before = None;
    loop {
        let p = store.page("meet", "many", before, 200).await.unwrap();
        before = p.messages.first().map(|m| m.id);
        let more = p.more;
        page.splice(0..0, p.messages);
        if !more {
            break;
        }
    }
    assert_eq!(page.len(), 300, "every message stored once");
    let mut by_id = stored.clone();
    by_id.sort_by_key(|m| m.id);
    assert_eq!(page, by_id, "what the writers were told is what is stored");
}

#[tokio::test]
async fn sqlite_history_survives_reopening_the_data_dir() {
    let dir = TempDir::new();
    let store = Store::open_sqlite(&dir.0).await.unwrap();
    store.append(&[message("r", "kept", 1)]).await.unwrap();
    store.close().await;
    drop(store);
    let again = Store::open_sqlite(&dir.0).await.unwrap();
    assert_eq!(
        texts(&again.page("meet", "r", None, 10).await.unwrap()),
        ["kept"]
    );
    assert!(dir.0.join("history.sqlite3").is_file());
}

#[tokio::test]
async fn unsupported_database_urls_are_refused() {
    for url in ["mysql://localhost/moim", "sqlite::memory:", "nonsense"] {
        assert!(
            matches!(
                Store::connect(url).await,
                Err(StoreError::UnsupportedUrl(_))
            ),
            "{url}"
        );
    }
}

#[tokio::test]
async fn an_unreachable_postgres_is_an_error_not_a_hang() {
    // Port 1 on loopback: nothing listens there.
    let started = std::time::Instant::now();
    let result = Store::connect("postgres://postgres@127.0.0.1:1/x").await;
    assert!(matches!(result, Err(StoreError::Database(_))), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}
