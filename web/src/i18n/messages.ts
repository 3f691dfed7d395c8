/**
 * The shape of every visible string. Each language implements all of it, so
 * a missing translation is a type error, not an English word in a Korean UI.
 * Sentences with values are functions: word order differs between languages.
 */
import type { MediaProblem } from '../engine/call/media';
import type { SendRefusal } from '../engine/call/transfers';
import type { ErrorCode, Limits } from '../engine/protocol';
import type { ComfortMessages } from './comfortMessages';
import type { FlowMessages } from './flowMessages';
import type { HostMessages } from './hostsMessages';

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
  /** How media travels in the call (the room's mode), short and as a tooltip. */
  modeLabel: Record<'mesh' | 'sfu', string>;
  modeHint: Record<'mesh' | 'sfu', string>;
  participantsLabel: string;
  leave: string;

  chatLabel: string;
  chatEmpty: string;
  /** The button above the chat that fetches older messages. */
  chatOlder: string;
  chatLoadingOlder: string;
  chatPlaceholder: string;
  send: string;
  /** How your own lines are labelled: "You: hi", "나: 안녕". */
  you: string;
  joined: (name: string, count: number) => string;
  left: (name: string, count: number) => string;

  // ---- pre-join ----
  /** Heading of the pre-join screen. */
  preJoinTitle: string;
  enter: string;
  entering: string;
  joinMuted: string;
  joinCameraOff: string;
  cameraLabel: string;
  micLabel: string;
  speakerLabel: string;
  micLevelLabel: string;
  /** A device the browser gives no name yet: "Camera 2". */
  unnamedDevice: (kind: 'camera' | 'mic' | 'speaker', n: number) => string;
  noDevices: string;
  previewOff: string;
  /** Why there is no camera / microphone, and that joining still works. */
  mediaProblem: (problem: MediaProblem, what: 'both' | 'camera' | 'mic') => string;
  backHome: string;
  /** The pre-join connectivity check (react/ConnectivityCheck.tsx). */
  connectivityTitle: string;
  connectivityChecking: string;
  connectivityUnavailable: string;
  connectivityRetry: string;

  // ---- call ----
  mute: string;
  unmute: string;
  cameraOff: string;
  cameraOn: string;
  shareScreen: string;
  stopSharing: string;
  screenProblem: (problem: MediaProblem) => string;
  devices: string;
  invite: string;
  inviteCopied: string;
  /** When the clipboard is not available: the link to copy by hand. */
  inviteManual: string;
  showChat: string;
  hideChat: string;
  unread: (n: number) => string;
  videoGrid: string;
  /** Name on a tile; yours says so. */
  tileName: (name: string, self: boolean) => string;
  screenOf: (name: string, self: boolean) => string;
  /** The tile's button that puts it on the stage, and takes it off (label: the tile's name). */
  pinTile: (label: string) => string;
  unpinTile: (label: string) => string;
  mutedLabel: string;
  cameraOffLabel: string;
  controlsLabel: string;

  // ---- files ----
  sendFile: string;
  dropFiles: string;
  filesLabel: string;
  fileFrom: (name: string) => string;
  fileTo: (name: string) => string;
  save: string;
  dismiss: string;
  fileFailed: (reason: string) => string;
  fileRefused: (reason: SendRefusal, maxBytes: number) => string;
  /** Sizes in the UI's language: "1.5 MB". */
  bytes: (n: number) => string;

  connecting: string;
  reconnecting: string;
  rejoining: string;
  closed: string;

  /** Hosts and guests: the people panel, the lobby, notices. */
  hosts: HostMessages;
  /** Getting through a call: connection check, blocked devices, leaving, shortcuts, announcements. */
  flow: FlowMessages;

  /** An address the UI has no page for. */
  notFound: { title: string; text: string; home: string };

  /** Comforts: connection quality, stats, speaker view, noise suppression. */
  comfort: ComfortMessages;

  /** Explanations of error codes; an unknown code falls back to the server's sentence. */
  errors: Record<ErrorCode, (limits: Limits) => string>;
}
