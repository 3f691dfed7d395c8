/**
 * The shape of every visible string. Each language implements all of it, so
 * a missing translation is a type error, not an English word in a Korean UI.
 * Sentences with values are functions: word order differs between languages.
 */
import type { ErrorCode, Limits } from '../engine/protocol';

export interface Messages {
  /** The language's own name, for the language picker. */
  languageName: string;
  languageLabel: string;

  tagline: string;
  nicknameLabel: string;
  nicknamePlaceholder: string;
  roomLabel: string;
  roomPlaceholder: string;
  join: string;
  joining: string;
  nicknameInvalid: (max: number) => string;
  roomInvalid: (max: number) => string;

  publicRooms: string;
  noRooms: string;
  /** Accessible name of a room entry's button. */
  joinRoom: (room: string, count: number) => string;

  /** What follows the participant count: "3" + " people", "3" + "명". */
  peopleSuffix: (count: number) => string;
  participantsLabel: string;
  leave: string;

  chatLabel: string;
  chatEmpty: string;
  chatPlaceholder: string;
  send: string;
  /** How your own lines are labelled: "You: hi", "나: 안녕". */
  you: string;
  joined: (name: string, count: number) => string;
  left: (name: string, count: number) => string;

  connecting: string;
  reconnecting: string;
  rejoining: string;
  closed: string;

  /** Explanations of error codes; an unknown code falls back to the server's sentence. */
  errors: Record<ErrorCode, (limits: Limits) => string>;
}
