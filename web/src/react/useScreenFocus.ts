/**
 * Moves keyboard focus to the first control of each new screen (home →
 * pre-join → call, the lobby, a notice): without it, the button that led
 * there is gone and focus falls back to the page, so a keyboard or screen
 * reader user starts again from the top bar. The pre-join screen starts at
 * its form (the preview's switches come first in the page, but they wait for
 * the camera while it starts); every other screen at its first control.
 */
import { useEffect } from 'react';

/** What counts as a control: enabled, and reachable with Tab. */
const CONTROL = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** The control a screen starts at, in its `main` (`data-start-here` marks a part of it to start in). */
export function firstControl(root: ParentNode): HTMLElement | null {
  const main = root.querySelector('main');
  if (!main) return null;
  const scope = main.querySelector('[data-start-here]') ?? main;
  for (const el of scope.querySelectorAll<HTMLElement>(CONTROL)) {
    if (el.getClientRects().length > 0 && !el.closest('[hidden],[inert]')) return el;
  }
  return null;
}

/** `screen` names the screen shown (its component); focus moves when it changes. */
export function useScreenFocus(screen: unknown): void {
  useEffect(() => {
    // After the new screen's own effects: its fields are there and filled in.
    const frame = requestAnimationFrame(() => {
      const active = document.activeElement;
      // Someone already put the cursor somewhere on this screen (a field with an error).
      if (active instanceof HTMLElement && active !== document.body && active.closest('main')) return;
      firstControl(document)?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [screen]);
}
