import { formatBytes } from './format';
import { comfortEn } from './comfortEn';
import { hostsEn } from './hostsEn';
import type { Messages } from './messages';

export const en: Messages = {
  languageName: 'English',
  languageLabel: 'Language',

  tagline: 'Meetings on your own server. Pick a name, pick a room, talk.',
  nicknameLabel: 'Nickname',
  nicknamePlaceholder: 'What should people call you?',
  roomLabel: 'Room name',
  roomPlaceholder: 'e.g. standup',
  join: 'Join',
  joining: 'Joining…',
  nicknameInvalid: (max) => `Enter a nickname of 1–${max} characters.`,
  roomInvalid: (max) => `Enter a room name of 1–${max} characters.`,

  publicRooms: 'Public rooms',
  noRooms: 'No rooms yet. Name one above to start it.',
  joinRoom: (room, count) => `Join ${room} (${count} ${count === 1 ? 'person' : 'people'})`,

  peopleSuffix: (count) => (count === 1 ? ' person' : ' people'),
  modeLabel: { mesh: 'direct', sfu: 'via server' },
  modeHint: { mesh: 'Everyone is connected to everyone directly.', sfu: 'A larger call: video goes through the server, each person sends it once.' },
  participantsLabel: 'People in this room',
  leave: 'Leave',

  chatLabel: 'Chat',
  chatEmpty: 'No messages yet. Say hello!',
  chatOlder: 'Show older messages',
  chatLoadingOlder: 'Loading older messages…',
  chatPlaceholder: 'Write a message…',
  send: 'Send',
  you: 'You',
  joined: (name, count) => `${name} joined (${count})`,
  left: (name, count) => `${name} left (${count})`,

  preJoinTitle: 'Ready to join?',
  enter: 'Join now',
  entering: 'Joining…',
  joinMuted: 'Join muted',
  joinCameraOff: 'Join with camera off',
  cameraLabel: 'Camera',
  micLabel: 'Microphone',
  speakerLabel: 'Speaker',
  micLevelLabel: 'Microphone level',
  unnamedDevice: (kind, n) => `${{ camera: 'Camera', mic: 'Microphone', speaker: 'Speaker' }[kind]} ${n}`,
  noDevices: 'None found',
  previewOff: 'Camera is off',
  mediaProblem: (problem, what) => {
    const thing = { both: 'camera and microphone', camera: 'camera', mic: 'microphone' }[what];
    const why = {
      unsupported: `This browser or address gives no access to the ${thing} (it needs https or localhost).`,
      denied: `Access to the ${thing} was blocked. Allow it in the browser's address bar and reload.`,
      not_found: `No ${thing} found.`,
      in_use: `The ${thing} is in use by another program.`,
      failed: `The ${thing} could not be started.`,
    }[problem];
    return `${why} You can still join: others will not ${what === 'camera' ? 'see' : what === 'mic' ? 'hear' : 'see or hear'} you.`;
  },
  backHome: 'Back',
  connectivityTitle: 'Connection check',
  connectivityChecking: 'Checking how this device can connect…',
  connectivityUnavailable: 'The connection could not be checked. You can still join.',
  connectivityRetry: 'Check again',
  connectivityDirect: (ok) =>
    ok
      ? 'Direct connections: ready. People on the same network connect straight to you.'
      : 'Direct connections: this device has no usable network address. Check its Wi-Fi or network connection.',
  connectivityRelay: (relay) =>
    ({
      ok: 'Relay: works. Calls connect even from other networks.',
      failed:
        "Relay: not reachable. People on other networks may not connect; on the same Wi-Fi it still works. If this keeps happening, ask whoever runs this server to open its TURN port (UDP 3478 and the relay ports) in the firewall.",
      later: 'Relay: available on this server once you join. Calls connect even from other networks.',
      none: 'Relay: not set up on this server. Calls work between people on the same network; for other networks, the server needs TURN (see docs/deploy.md).',
    })[relay],

  mute: 'Mute',
  unmute: 'Unmute',
  cameraOff: 'Turn camera off',
  cameraOn: 'Turn camera on',
  shareScreen: 'Share screen',
  stopSharing: 'Stop sharing',
  screenProblem: (problem) =>
    problem === 'unsupported' ? 'This browser cannot share a screen.' : 'The screen could not be shared.',
  devices: 'Devices',
  invite: 'Copy invite link',
  inviteCopied: 'Link copied',
  inviteManual: 'Copy this link:',
  showChat: 'Show chat',
  hideChat: 'Hide chat',
  unread: (n) => `${n} unread ${n === 1 ? 'message' : 'messages'}`,
  videoGrid: 'Video',
  tileName: (name, self) => (self ? `${name} (you)` : name),
  screenOf: (name, self) => (self ? 'Your screen' : `${name}'s screen`),
  pinTile: (label) => `Pin ${label}`,
  unpinTile: (label) => `Unpin ${label}`,
  mutedLabel: 'Muted',
  cameraOffLabel: 'Camera off',
  controlsLabel: 'Call controls',

  sendFile: 'Send a file',
  dropFiles: 'Drop files to send them to everyone',
  filesLabel: 'Files',
  fileFrom: (name) => `from ${name}`,
  fileTo: (name) => `to ${name}`,
  save: 'Save',
  dismiss: 'Dismiss',
  fileFailed: (reason) =>
    ({ too_large: 'too large', cancelled: 'cancelled', closed: 'connection closed' } as Record<string, string>)[reason] ??
    'failed',
  fileRefused: (reason, max) =>
    ({
      too_large: `Files can be at most ${en.bytes(max)}.`,
      empty: 'That file is empty.',
      no_peers: 'Nobody else is connected to receive it.',
    })[reason],
  bytes: (n) => formatBytes(n, ['B', 'KB', 'MB', 'GB']),

  connecting: 'Connecting to the server…',
  reconnecting: 'Connection lost. Reconnecting…',
  rejoining: 'Reconnected. Rejoining the room…',
  closed: 'Disconnected from the server.',

  hosts: hostsEn,
  comfort: comfortEn,

  notFound: {
    title: 'Page not found',
    text: 'There is no page at this address. Check the link, or start from the home page.',
    home: 'Go to the home page',
  },

  errors: {
    invalid_payload: () => 'The server could not read that request.',
    invalid_name: (l) => `Nickname must be 1–${l.name} characters.`,
    invalid_room: (l) => `Room name must be 1–${l.room} characters.`,
    invalid_message: (l) => `Message too long (max ${l.message} characters).`,
    too_large: () => 'That is too large to send.',
    not_in_room: () => 'You are not in this room any more.',
    room_full: () => 'This meeting is full: it already has as many people as a call here can hold. Try again later, or pick another room.',
    rate_limited: () => 'Too much at once. Wait a moment and try again.',
    invalid_page: () => 'That page of the chat history cannot be asked for.',
    not_stored: () => 'Sent, but not saved: people who join later will not see this message.',
    history_unavailable: () => 'The chat history is unavailable right now.',
    not_sfu: () => 'This call is peer to peer right now; switching over…',
    invalid_sdp: () => 'The media server could not use this browser’s connection details.',
    no_sfu_session: () => 'Not connected to the media server yet.',
    no_offer_pending: () => 'The media server was not waiting for that answer.',
    media_unavailable: () => 'The media server is not available.',
    not_host: () => 'Only a host or co-host can do that.',
    hosts_only: () => 'Only a host can do that.',
    no_such_participant: () => 'That person is no longer in the meeting.',
    removed: () => 'A host removed you from this meeting.',
    passcode_required: () => 'This meeting has a passcode. Enter it to join.',
    wrong_passcode: () => 'That passcode is not right. Check it and try again.',
    too_many_attempts: () => 'Too many wrong passcodes. Wait a little, then try again.',
    invalid_passcode: () => 'A passcode must be 1 to 64 characters.',
    invalid_key: () => 'This browser’s key is not valid. Reload the page.',
    locked: () => 'The meeting is locked: ask to join and a host will let you in.',
    lobby_full: () => 'Too many people are already waiting to join. Try again later.',
    already_waiting: () => 'You are already waiting to join.',
    not_waiting: () => 'That person is no longer waiting.',
    muted_by_host: () => 'A host muted you. You can unmute once a host allows it.',
    invalid_reaction: () => 'That reaction cannot be sent.',
    invite_required: () => 'Meetings here start only from an invitation link.',
    invalid_invite: () => 'This invitation link is not valid (changed, for another meeting, or expired).',
    meetings_unavailable: () => 'Meeting controls are not available on this server right now.',
    internal: () => 'Something went wrong on the server. Please try again.',
    timeout: () => 'The server did not answer in time.',
    disconnected: () => 'Not connected to the server.',
    bad_response: () => 'The server sent an answer this page does not understand.',
  },
};
