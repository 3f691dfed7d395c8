//! The room model's members as `/moim`'s wire shows them.

use moim_proto::Participant;

use crate::rooms::Member;

/// A member as the wire shows it.
pub fn participant(member: &Member) -> Participant {
    Participant {
        id: member.id.to_string(),
        name: member.name.to_string(),
        audio: member.audio,
        video: member.video,
        screen: member.screen,
        joined: member.joined,
        role: member.role,
        hand: member.hand,
        audio_locked: member.audio_locked,
    }
}
