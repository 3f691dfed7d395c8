/**
 * The engine's RoomSession, handed down the tree by context and read with
 * `useSyncExternalStore`, so every component sees the same consistent snapshot.
 *
 * Named the way `useCall.tsx` is: `useSession()` is the object (for its
 * actions), `useSessionSnapshot()` its current state, so `useX` means the
 * same kind of thing for both.
 */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { RoomSession, SessionSnapshot } from '../engine/session';

const SessionContext = createContext<RoomSession | null>(null);

export function SessionProvider({ session, children }: { session: RoomSession; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The session itself, for its actions (join, send, leave). */
export function useSession(): RoomSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a <SessionProvider> above it');
  return session;
}

/** The current snapshot; re-renders on every change. */
export function useSessionSnapshot(): SessionSnapshot {
  const session = useSession();
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}
