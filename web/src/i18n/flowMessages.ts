/**
 * The words of getting through a call smoothly: the pre-join connection
 * check in a guest's terms, why the camera or microphone cannot be used,
 * the SFU's media reconnecting, leaving (confirm, "you left", rejoin),
 * keyboard shortcuts, and what screen readers are told about the room.
 * Part of `Messages` (as `flow`), kept apart so each file stays short.
 */
import type { MediaProblem } from '../engine/call/media';
import type { ConnectivityVerdict } from '../engine/connectivity';

/** The call's keyboard shortcuts (`react/flow/shortcuts.ts`). */
export type ShortcutAction = 'mute' | 'camera' | 'chat' | 'hand' | 'leave' | 'help';

export interface FlowMessages {
  /** The pre-join check's verdict, with no word about servers, relays or docs. */
  connectivity: Record<ConnectivityVerdict, string>;

  /** Why the camera / microphone cannot be used in the call, and how to allow it. */
  cameraUnavailable: Record<MediaProblem, string>;
  micUnavailable: Record<MediaProblem, string>;

  /** On the stage while the SFU's media connection is being restored. */
  mediaReconnecting: string;

  leaveTitle: string;
  /** How many others are still in the call. */
  leaveText: (others: number) => string;
  leaveConfirm: string;
  stay: string;
  leftTitle: (room: string) => string;
  leftText: string;
  rejoin: string;
  home: string;

  shortcutsTitle: string;
  /** The visible button that opens the shortcuts help. */
  shortcutsButton: string;
  shortcut: Record<ShortcutAction, string>;
  close: string;

  /** Said by the screen-reader live region. */
  announceJoined: (name: string) => string;
  announceLeft: (name: string) => string;
  announceMessage: (name: string, text: string) => string;
}
