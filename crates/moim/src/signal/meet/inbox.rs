//! Each participant's inbox: the adapter room that carries what is meant for
//! them alone (`signal`, the SFU's offers), on this node and across nodes.

use crate::rooms::MemberId;

/// The adapter room that carries what is meant for participant `id` alone.
///
/// Its name starts with a control character, which [`crate::validate::room`] refuses
/// in every room name a client sends: no meeting can be named like an inbox,
/// so nobody can join someone else's (a meeting named after a participant id
/// is an ordinary meeting, with nothing of theirs in it).
pub fn inbox(id: MemberId) -> String {
    format!("{INBOX_PREFIX}{id}")
}

/// What every inbox room's name starts with (see [`inbox`]).
const INBOX_PREFIX: &str = "\u{1}inbox:";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Refusal;
    use crate::validate;

    /// No room name a client may send names an inbox: a meeting named after
    /// someone's id, in any form, is an ordinary meeting.
    #[test]
    fn no_meeting_name_can_be_an_inbox() {
        for _ in 0..100 {
            let id = MemberId::new();
            let inbox = inbox(id);
            assert_eq!(
                validate::room(&inbox),
                Err(Refusal::InvalidRoom),
                "{inbox:?}"
            );
            for form in [id.to_string(), format!("inbox:{id}"), format!("/moim#{id}")] {
                assert_ne!(validate::room(&form), Ok(inbox.clone()));
            }
        }
    }
}
