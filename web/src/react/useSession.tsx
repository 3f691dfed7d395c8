/**
 * The engine's RoomSession, handed down the tree by context and read with
 * `useSyncExternalStore`, so every component sees the same consistent snapshot.
 */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { RoomSession, SessionSnapshot } from '../engine/session';

const SessionContext = createContext<RoomSession | null>(null);

export function SessionProvider({ session, children }: { session: RoomSession; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The session itself, for its actions (join, send, leave). */
export function useRoomSession(): RoomSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useRoomSession needs a <SessionProvider> above it');
  return session;
}

/** The current snapshot; re-renders on every change. */
export function useSession(): SessionSnapshot {
  const session = useRoomSession();
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}
