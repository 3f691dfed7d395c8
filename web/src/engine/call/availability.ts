/**
 * Whether the call's microphone and camera controls can do what they say.
 *
 * `LocalMedia` records why a device could not be opened (`problems`); this
 * reads that for the controls: a camera that is off because the browser
 * refused it (or there is none, or another app holds it) is not "off" like a
 * camera the person turned off, and "Turn camera on" must say why it will
 * not work instead of silently failing. Likewise unmute with no microphone
 * open. Pure, so the rule is tested without a browser.
 */
import type { LocalSnapshot } from './local';
import type { MediaProblem } from './media';

export interface ControlProblems {
  /** Why there is no microphone to unmute; null when there is one (or none was asked for yet). */
  mic: MediaProblem | null;
  /** Why the camera cannot be on; null when it is on, or off by choice. */
  camera: MediaProblem | null;
}

export function controlProblems(local: Pick<LocalSnapshot, 'video' | 'tracks' | 'problems'>): ControlProblems {
  return {
    mic: local.tracks.audio === null ? local.problems.audio : null,
    camera: local.video ? null : local.problems.video,
  };
}
