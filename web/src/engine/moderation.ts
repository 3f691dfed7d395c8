/**
 * What a host's action means for the person acted on, as plain data: the
 * change to their own participant (shown at once, before the room's
 * `participant-updated` confirms it), and what the call must turn off.
 */
import type { MeetingSettings, ModerateAction, Participant, Role } from './protocol';

export type SelfPatch = Partial<Pick<Participant, 'audio' | 'video' | 'screen' | 'hand' | 'audioLocked' | 'role'>>;

const ROLE_OF: Partial<Record<ModerateAction, Role>> = {
  'make-host': 'host',
  'make-cohost': 'cohost',
  'make-guest': 'guest',
  'step-down': 'guest',
};

export function moderatedPatch(action: ModerateAction, meeting: MeetingSettings): SelfPatch {
  switch (action) {
    case 'mute':
    case 'mute-all':
      return { audio: false, audioLocked: !meeting.allowUnmute };
    case 'allow-speak':
      return { audioLocked: false };
    case 'camera-off':
      return { video: false };
    case 'stop-screen':
      return { screen: false };
    case 'lower-hand':
      return { hand: null };
    default: {
      const role = ROLE_OF[action];
      return role ? { role } : {};
    }
  }
}

/** Hosts and co-hosts may moderate; a co-host not a host. */
export function canModerate(me: Role, target: Role): boolean {
  if (me === 'host') return true;
  return me === 'cohost' && target !== 'host';
}

/** The people panel's order: raised hands first, oldest first; then you; then everyone else as they joined. */
export function peopleOrder(you: Participant, others: readonly Participant[]): Participant[] {
  const everyone = [you, ...[...others].sort((a, b) => a.joined - b.joined)];
  const hands = everyone.filter((p) => p.hand !== null).sort((a, b) => (a.hand ?? 0) - (b.hand ?? 0));
  return [...hands, ...everyone.filter((p) => p.hand === null)];
}
