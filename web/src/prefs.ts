/**
 * The few things the browser remembers between visits. localStorage can throw
 * (private modes, storage disabled, quota); a preference is never worth an
 * error, so failures read as "nothing saved" and writes are best effort.
 */

export const PREF_KEYS = {
  nickname: 'moim.nickname',
  lang: 'moim.lang',
  camera: 'moim.camera',
  mic: 'moim.mic',
  speaker: 'moim.speaker',
  /** The call's layout: `grid` or `speaker`. */
  view: 'moim.view',
  /** Noise suppression on the microphone: `on` or `off` (on when unset). */
  noise: 'moim.noise',
} as const;

export type PrefKey = (typeof PREF_KEYS)[keyof typeof PREF_KEYS];

export function readPref(key: PrefKey): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function writePref(key: PrefKey, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Not remembered this time; nothing else depends on it.
  }
}
