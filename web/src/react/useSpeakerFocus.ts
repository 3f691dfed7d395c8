/**
 * The speaker view's big tile: `SpeakerFocus` fed with the tiles as they
 * change, and woken by a timer when a waiting speaker's time comes (the
 * tiles do not change then, but the choice may).
 */
import { useEffect, useReducer, useRef } from 'react';
import { SpeakerFocus } from '../engine/call/speakerFocus';
import type { Tile } from '../engine/call/tiles';

export function useSpeakerFocus(tiles: readonly Tile[], enabled: boolean): string | null {
  const focus = useRef<SpeakerFocus | null>(null);
  focus.current ??= new SpeakerFocus();
  const [, wake] = useReducer((n: number) => n + 1, 0);
  const others = tiles.filter((t) => !t.self && t.kind === 'camera');
  const speaker = others.find((t) => t.activeSpeaker)?.key ?? null;
  const shown = enabled ? focus.current.update(others.map((t) => t.key), speaker, Date.now()) : null;
  const at = enabled ? focus.current.nextChangeAt() : null;
  useEffect(() => {
    if (at === null) return;
    const timer = setTimeout(wake, Math.max(0, at - Date.now()) + 10);
    return () => clearTimeout(timer);
  }, [at]);
  return shown;
}
