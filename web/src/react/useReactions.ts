/**
 * The reactions floating over tiles right now: the last one of each person,
 * shown for a few seconds after the room's `reaction` event.
 */
import { useEffect, useState } from 'react';
import { useSession } from './useSession';

export interface ShownReaction {
  emoji: string;
  /** Changes with every reaction, so the same emoji twice floats again. */
  key: number;
}

export const REACTION_MS = 4000;

export function useReactions(): ReadonlyMap<string, ShownReaction> {
  const session = useSession();
  const [shown, setShown] = useState<ReadonlyMap<string, ShownReaction>>(new Map());
  useEffect(() => {
    let next = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const off = session.on('reaction', ({ participant, emoji }) => {
      const key = ++next;
      setShown((m) => new Map(m).set(participant, { emoji, key }));
      const timer = setTimeout(() => {
        timers.delete(timer);
        setShown((m) => {
          if (m.get(participant)?.key !== key) return m;
          const copy = new Map(m);
          copy.delete(participant);
          return copy;
        });
      }, REACTION_MS);
      timers.add(timer);
    });
    return () => {
      off();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [session]);
  return shown;
}
