/**
 * The call's keyboard shortcuts, as a pure mapping from a key press to an
 * action. Single keys, like Meet's and Jitsi's, so they never clash with
 * typing: a key pressed in a text field, a select or an open dialog is the
 * field's, and a key with Ctrl, Alt or Meta belongs to the browser.
 *
 * Letters are matched by the key's character, and by its physical key
 * (`code`) when the character is not a Latin letter: with a Korean input
 * method on, the M key gives `ㅡ`, and M should still mute.
 */
import type { ShortcutAction } from '../../i18n/flowMessages';

/** The key of each action, as shown in the help dialog. */
export const SHORTCUT_KEYS: Readonly<Record<ShortcutAction, string>> = {
  mute: 'M',
  camera: 'V',
  chat: 'C',
  hand: 'H',
  leave: 'L',
  help: '?',
};

/** The order of the help dialog. */
export const SHORTCUT_ORDER: readonly ShortcutAction[] = ['mute', 'camera', 'chat', 'hand', 'leave', 'help'];

export interface KeyPress {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  repeat?: boolean;
  /** Where the key was pressed (the event's target). */
  target?: EventTarget | null;
}

const BY_LETTER: ReadonlyMap<string, ShortcutAction> = new Map(
  SHORTCUT_ORDER.filter((a) => a !== 'help').map((a) => [SHORTCUT_KEYS[a].toLowerCase(), a]),
);

/** A key press in here is typing (or the dialog's own keys), not a shortcut. */
export function isTypingTarget(target: EventTarget | null | undefined): boolean {
  const el = target as (Partial<HTMLElement> & { tagName?: string; type?: string }) | null | undefined;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') return !['checkbox', 'radio', 'button', 'submit', 'range'].includes((el.type ?? 'text').toLowerCase());
  if (el.isContentEditable) return true;
  return typeof el.closest === 'function' && el.closest('dialog, [role="dialog"], [role="alertdialog"]') !== null;
}

export function shortcutFor(press: KeyPress): ShortcutAction | null {
  if (press.ctrlKey || press.altKey || press.metaKey || press.repeat) return null;
  if (isTypingTarget(press.target)) return null;
  if (press.key === '?') return 'help';
  let letter: string | null = null;
  if (/^[a-z]$/i.test(press.key)) letter = press.key.toLowerCase();
  else if (press.code && /^Key[A-Z]$/.test(press.code)) letter = press.code.slice(3).toLowerCase();
  return letter === null ? null : (BY_LETTER.get(letter) ?? null);
}
