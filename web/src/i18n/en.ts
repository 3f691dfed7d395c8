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
  participantsLabel: 'People in this room',
  leave: 'Leave',

  chatLabel: 'Chat',
  chatEmpty: 'No messages yet. Say hello!',
  chatPlaceholder: 'Write a message…',
  send: 'Send',
  you: 'You',
  joined: (name, count) => `${name} joined (${count})`,
  left: (name, count) => `${name} left (${count})`,

  connecting: 'Connecting to the server…',
  reconnecting: 'Connection lost. Reconnecting…',
  rejoining: 'Reconnected. Rejoining the room…',
  closed: 'Disconnected from the server.',

  errors: {
    invalid_payload: () => 'The server could not read that request.',
    invalid_name: (l) => `Nickname must be 1–${l.name} characters.`,
    invalid_room: (l) => `Room name must be 1–${l.room} characters.`,
    invalid_message: (l) => `Message too long (max ${l.message} characters).`,
    too_large: () => 'That is too large to send.',
    not_in_room: () => 'You are not in this room any more.',
    room_full: (l) => `This room is full (at most ${l.roomSize} people).`,
    rate_limited: () => 'Too much at once. Wait a moment and try again.',
    internal: () => 'Something went wrong on the server. Please try again.',
    timeout: () => 'The server did not answer in time.',
    disconnected: () => 'Not connected to the server.',
    bad_response: () => 'The server sent an answer this page does not understand.',
  },
};
