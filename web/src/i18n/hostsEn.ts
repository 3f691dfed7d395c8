import type { HostMessages } from './hostsMessages';

const minutes = (ms: number) => Math.floor(ms / 60_000);

export const hostsEn: HostMessages = {
  people: 'People',
  waitingBadge: (n) => `${n} waiting to join`,
  closePanel: 'Close',
  role: { host: 'Host', cohost: 'Co-host', guest: 'Guest' },
  you: '(you)',
  handRaised: 'Hand raised',
  raiseHand: 'Raise hand',
  lowerHand: 'Lower hand',
  react: 'React',
  reactionsLabel: 'Send a reaction',
  reactionOf: (name, emoji) => `${name}: ${emoji}`,
  micOn: 'Microphone on',
  micOff: 'Microphone off',
  cameraOn: 'Camera on',
  cameraOff: 'Camera off',
  sharing: 'Sharing a screen',
  personMenu: (name) => `Actions for ${name}`,
  action: {
    mute: 'Mute',
    'allow-speak': 'Allow to unmute',
    'camera-off': 'Turn camera off',
    'stop-screen': 'Stop their screen share',
    'lower-hand': 'Lower hand',
    remove: 'Remove from meeting',
    'make-cohost': 'Make co-host',
    'make-host': 'Make host',
    'make-guest': 'Make guest',
  },
  stepDown: 'Step down (become a guest)',
  muteAll: 'Mute everyone',
  controlsHeading: 'Meeting controls',
  lock: 'Lock meeting',
  lockHint: 'Newcomers wait in the lobby until a host lets them in.',
  list: 'Show on the home page',
  listHint: 'Listed meetings appear in the public room list.',
  allowUnmute: 'Let people unmute themselves',
  passcode: 'Passcode',
  passcodeIsSet: 'A passcode is set.',
  passcodeNone: 'No passcode.',
  setPasscode: 'Set passcode',
  removePasscode: 'Remove passcode',
  lobbyHeading: (n) => `Waiting to join (${n})`,
  admit: 'Admit',
  deny: 'Deny',
  admitAll: 'Admit all',
  waitedFor: (ms) => (minutes(ms) < 1 ? 'just now' : `${minutes(ms)} min`),
  removedBefore: 'removed earlier',
  endMeeting: 'End meeting for all',
  endConfirm: 'End the meeting for everyone? Everyone will leave the call.',
  endConfirmYes: 'End for all',
  cancel: 'Cancel',
  moderatedYou: (action, by) => {
    const who = by || 'A host';
    switch (action) {
      case 'mute':
      case 'mute-all':
        return `${who} muted you`;
      case 'allow-speak':
        return `${who} lets you unmute yourself`;
      case 'camera-off':
        return `${who} turned your camera off`;
      case 'stop-screen':
        return `${who} stopped your screen share`;
      case 'lower-hand':
        return `${who} lowered your hand`;
      case 'make-host':
        return `${who} made you a host`;
      case 'make-cohost':
        return `${who} made you a co-host`;
      default:
        return `${who} made you a guest`;
    }
  },
  mutedByHost: 'A host muted you. You can unmute once a host allows it.',
  lobbyTitle: 'Waiting for the host to let you in',
  lobbyText: (room) => `You asked to join “${room}”. You will be in the call as soon as a host admits you.`,
  lobbyAdmitted: 'You were let in. Joining…',
  passcodePrompt: 'This meeting has a passcode. Enter it to join.',
  passcodeSubmit: 'Join with passcode',
  removedTitle: 'You were removed from this meeting',
  removedText: (by) => (by ? `${by} removed you. You can ask to join again; a host decides.` : 'A host removed you. You can ask to join again; a host decides.'),
  endedTitle: 'The meeting has ended',
  endedText: (by) => (by ? `${by} ended the meeting for everyone.` : 'The meeting was ended for everyone.'),
  deniedTitle: 'The host did not let you in',
  deniedText: 'Your request to join was declined. You can try again later.',
  askToJoin: 'Ask to join',
  roomFull: 'full',
  roomLocked: 'locked',
};
