/**
 * The address bar as React state, and the two-way tie between it and the
 * session: joining a room puts `/r/<room>` in the address bar, leaving puts
 * `/`, and the browser's back button leaves a room.
 */
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import type { RoomSession } from '../engine/session';
import { HOME_PATH, roomPath } from '../route';

/** `pushState` fires no event, so our own navigations announce themselves. */
const NAVIGATE_EVENT = 'moim:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const getPath = () => window.location.pathname;

export function navigate(path: string, state: unknown = null): void {
  window.history.pushState(state, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** The current path, kept up to date. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, getPath);
}

/** What a room's history entry carries, so back/forward can tell it apart. */
interface RoomEntryState {
  moimRoomEntry: number;
}

function roomEntryOf(state: unknown): number | null {
  const key = (state as Partial<RoomEntryState> | null)?.moimRoomEntry;
  return typeof key === 'number' ? key : null;
}

let nextEntryKey = Date.now();

/**
 * Keeps the address bar and the session in step. `roomName` is the room the
 * session is in, or null.
 *
 * Each time the session enters a room, a new history entry `/r/<room>` is
 * pushed and marked with a key. Landing on any other entry (back, forward)
 * while in the room leaves it, so "back" from a room is always the page you
 * came from: the home, or `/r/<room>` opened from a link (then with the room
 * filled in). With `onBack`, Back does not leave at once: the room's entry is
 * put back and `onBack` asks first (`flow/leave.tsx`). A reconnect's
 * automatic rejoin keeps the name and pushes nothing.
 */
export function useRouteSync(session: RoomSession, roomName: string | null, onBack?: () => void): void {
  const previous = useRef<string | null>(null);
  const activeEntry = useRef<number | null>(null);
  /** Set when back/forward made us leave: the address is already right. */
  const leftByHistory = useRef(false);

  useEffect(() => {
    if (roomName !== null && previous.current !== roomName) {
      const key = nextEntryKey++;
      activeEntry.current = key;
      navigate(roomPath(roomName), { moimRoomEntry: key } satisfies RoomEntryState);
    } else if (roomName === null && previous.current !== null) {
      activeEntry.current = null;
      if (!leftByHistory.current) navigate(HOME_PATH);
    }
    leftByHistory.current = false;
    previous.current = roomName;
  }, [roomName]);

  const onPopState = useCallback(
    (e: PopStateEvent) => {
      if (session.getSnapshot().phase !== 'room') return;
      if (roomEntryOf(e.state) === activeEntry.current) return;
      const key = activeEntry.current;
      if (onBack && roomName !== null && key !== null) {
        // Asked first (`onBack`): the call stays, and so does its address.
        navigate(roomPath(roomName), { moimRoomEntry: key } satisfies RoomEntryState);
        onBack();
        return;
      }
      leftByHistory.current = true;
      session.leave();
    },
    [session, onBack, roomName],
  );

  useEffect(() => {
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, [onPopState]);
}
