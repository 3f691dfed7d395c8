//! The hub in process, without Socket.IO: joins, leaves, counts, sequence
//! numbers and the room list as the handlers see them, so `cargo test` alone
//! catches a broken room model (the protocol tests drive the same through a
//! real client and the built binary).

use std::sync::Arc;

use clap::Parser;
use moim_proto::RoomMode;

use super::{Hub, Parts};
use crate::cluster::Change;
use crate::config::Config;
use crate::error::Refusal;
use crate::namespace::Namespace::{self, Course, Meet};
use crate::rooms::{JoinError, Member, MemberId};

fn hub(args: &[&str]) -> Hub {
    let argv = std::iter::once("moim").chain(args.iter().copied());
    Hub::new(&Config::parse_from(argv), Parts::default())
}

fn person(name: &str) -> Member {
    Member::named(MemberId::new(), name)
}

/// Joins `member` to `room` of `ns`, which must accept.
async fn join(hub: &Hub, ns: Namespace, room: &str, member: &Member) -> crate::rooms::Joined {
    match hub.join(ns, room, member.clone()).await {
        Ok(joined) => joined,
        Err(e) => panic!("{} could not join {room}: {e}", member.name),
    }
}

#[tokio::test]
async fn a_joiner_is_counted_and_shown_the_others_in_joining_order() {
    let hub = hub(&[]);
    let (mina, joon, sora) = (person("Mina"), person("Joon"), person("Sora"));
    let first = join(&hub, Meet, "standup", &mina).await;
    assert_eq!((first.count, first.is_new), (1, true));
    assert!(first.others.is_empty());
    join(&hub, Meet, "standup", &joon).await;
    let third = join(&hub, Meet, "standup", &sora).await;
    assert_eq!(third.count, 3);
    let others: Vec<&str> = third.others.iter().map(|m| &*m.name).collect();
    assert_eq!(others, ["Mina", "Joon"]);
    assert!(third.seq > first.seq, "every join moves the sequence on");
    assert_eq!(hub.rooms(Meet).count("standup"), 3);
}

#[tokio::test]
async fn joining_the_same_room_again_changes_nothing() {
    let hub = hub(&[]);
    let mina = person("Mina");
    let first = join(&hub, Course, "lobby", &mina).await;
    let again = join(&hub, Course, "lobby", &mina).await;
    assert!(!again.is_new);
    assert_eq!((again.count, again.seq), (1, first.seq));
}

#[tokio::test]
async fn a_leave_says_who_left_and_what_the_room_is_after_it() {
    let hub = hub(&[]);
    let (mina, joon) = (person("Mina"), person("Joon"));
    join(&hub, Meet, "standup", &mina).await;
    let joined = join(&hub, Meet, "standup", &joon).await;
    let Some(left) = hub.leave(Meet, "standup", mina.id).await else {
        panic!("Mina was in the meeting");
    };
    assert_eq!(
        (&*left.room, &*left.member.name, left.count),
        ("standup", "Mina", 1)
    );
    assert_eq!(left.seq, joined.seq + 1);
    assert_eq!(
        hub.leave(Meet, "standup", mina.id).await,
        None,
        "gone already"
    );
    assert_eq!(
        hub.current_meeting(mina.id).map(|_| ()),
        Err(Refusal::NotInRoom)
    );
    assert_eq!(
        hub.current_meeting(joon.id).map(|(room, _)| room),
        Ok(Arc::from("standup"))
    );
}

#[tokio::test]
async fn a_disconnect_leaves_every_room_and_an_empty_room_is_gone() {
    let hub = hub(&[]);
    let (mina, joon) = (person("Mina"), person("Joon"));
    for room in ["a", "b", "c"] {
        join(&hub, Course, room, &mina).await;
    }
    join(&hub, Course, "b", &joon).await;
    let mut left: Vec<(String, usize)> = hub
        .leave_all(Course, mina.id)
        .await
        .into_iter()
        .map(|l| (l.room.to_string(), l.count))
        .collect();
    left.sort();
    assert_eq!(left, [("a".into(), 0), ("b".into(), 1), ("c".into(), 0)]);
    let listed: Vec<String> = hub
        .summary(Course)
        .await
        .iter()
        .map(|r| r.name.to_string())
        .collect();
    assert_eq!(listed, ["b"]);
    assert!(hub.leave_all(Course, mina.id).await.is_empty());
}

#[tokio::test]
async fn the_namespaces_keep_rooms_of_the_same_name_apart() {
    let hub = hub(&[]);
    let (mina, joon) = (person("Mina"), person("Joon"));
    join(&hub, Course, "standup", &mina).await;
    let meeting = join(&hub, Meet, "standup", &joon).await;
    assert_eq!(
        meeting.count, 1,
        "the course room's member is not in the meeting"
    );
    assert!(hub.is_member(Course, "standup", mina.id).await);
    assert!(!hub.is_member(Meet, "standup", mina.id).await);
    assert!(hub.leave(Meet, "standup", mina.id).await.is_none());
    assert_eq!(hub.rooms(Course).count("standup"), 1);
}

#[tokio::test]
async fn without_the_sfu_a_meeting_is_as_big_as_the_mesh_allows() {
    let hub = hub(&["--mesh-limit", "2", "--room-size", "10"]);
    join(&hub, Meet, "small", &person("Mina")).await;
    join(&hub, Meet, "small", &person("Joon")).await;
    let third = hub.join(Meet, "small", person("Sora")).await;
    assert_eq!(third.map(|_| ()), Err(JoinError::Full));
    assert_eq!(
        hub.rooms(Meet).count("small"),
        2,
        "a refused join changes nothing"
    );
    // The course has no such limit.
    for i in 0..5 {
        join(&hub, Course, "small", &person(&format!("p{i}"))).await;
    }
    assert_eq!(hub.mode(2), RoomMode::Mesh);
    assert_eq!(hub.limits.mesh_size, 2);
    assert_eq!(hub.limits.room_size, 10);
}

#[tokio::test]
async fn updates_and_renames_reach_the_member_in_every_room() {
    let hub = hub(&[]);
    let mina = Member {
        audio: true,
        video: true,
        ..person("Mina")
    };
    join(&hub, Course, "a", &mina).await;
    join(&hub, Course, "b", &mina).await;
    hub.rename(Course, mina.id, "Mina K").await;
    for room in ["a", "b"] {
        let member = hub.rooms(Course).member(room, mina.id).map(|m| m.name);
        assert_eq!(member.as_deref(), Some("Mina K"));
    }
    join(&hub, Meet, "standup", &mina).await;
    let muted = Change {
        audio: Some(false),
        ..Change::default()
    };
    let updated = hub.update(Meet, "standup", mina.id, &muted).await;
    assert_eq!(updated.map(|m| (m.audio, m.video)), Some((false, true)));
    assert!(
        hub.update(Meet, "elsewhere", mina.id, &muted)
            .await
            .is_none()
    );
}

#[tokio::test]
async fn the_room_list_is_in_creation_order_with_counts() {
    let hub = hub(&[]);
    for (room, people) in [("first", 2), ("second", 1), ("third", 3)] {
        for i in 0..people {
            join(&hub, Meet, room, &person(&format!("{room}{i}"))).await;
        }
    }
    let list: Vec<(String, usize)> = hub
        .summary(Meet)
        .await
        .iter()
        .map(|r| (r.name.to_string(), r.count))
        .collect();
    assert_eq!(
        list,
        [
            ("first".into(), 2),
            ("second".into(), 1),
            ("third".into(), 3)
        ]
    );
    assert_eq!(
        Meet.render_room_list(&hub.summary(Meet).await)[2]["count"],
        3
    );
}
