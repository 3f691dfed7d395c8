/**
 * The words of "hosts and guests": the people panel, the hosts' controls,
 * the lobby, the passcode, and the notices when a meeting is over for you.
 * Part of `Messages` (as `hosts`), kept apart so each file stays short.
 */
import type { ModerateAction, Role } from '../engine/protocol';

export interface HostMessages {
  people: string;
  /** The people button's badge: how many wait in the lobby. */
  waitingBadge: (n: number) => string;
  closePanel: string;
  /** Role badges; a guest has none. */
  role: Record<Role, string>;
  you: string;
  handRaised: string;
  raiseHand: string;
  lowerHand: string;
  react: string;
  reactionsLabel: string;
  /** A reaction floating over someone's tile. */
  reactionOf: (name: string, emoji: string) => string;
  micOn: string;
  micOff: string;
  cameraOn: string;
  cameraOff: string;
  sharing: string;
  /** The button that opens the menu of actions on a person. */
  personMenu: (name: string) => string;
  /** The menu's entries, by the action they send. */
  action: Record<Exclude<ModerateAction, 'mute-all' | 'step-down'>, string>;
  stepDown: string;
  muteAll: string;
  controlsHeading: string;
  lock: string;
  lockHint: string;
  list: string;
  listHint: string;
  allowUnmute: string;
  passcode: string;
  passcodeIsSet: string;
  passcodeNone: string;
  setPasscode: string;
  removePasscode: string;
  lobbyHeading: (n: number) => string;
  admit: string;
  deny: string;
  admitAll: string;
  /** How long someone has waited, from milliseconds. */
  waitedFor: (ms: number) => string;
  removedBefore: string;
  endMeeting: string;
  endConfirm: string;
  endConfirmYes: string;
  cancel: string;
  /** The notice when a host acted on you. */
  moderatedYou: (action: ModerateAction, by: string) => string;
  /** The unmute button's tooltip while a host holds you muted. */
  mutedByHost: string;
  // ---- lobby, passcode, notices ----
  lobbyTitle: string;
  lobbyText: (room: string) => string;
  lobbyAdmitted: string;
  passcodePrompt: string;
  passcodeSubmit: string;
  removedTitle: string;
  removedText: (by: string) => string;
  endedTitle: string;
  endedText: (by: string) => string;
  deniedTitle: string;
  deniedText: string;
  askToJoin: string;
  /** Room list marks. */
  roomFull: string;
  roomLocked: string;
}
