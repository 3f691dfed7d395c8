/**
 * The two kinds of address the UI has: `/` (home) and `/r/<room>` (a room,
 * URL-encoded so any room name survives the trip through the address bar).
 */

export type Route = { kind: 'home' } | { kind: 'room'; room: string };

const ROOM_PREFIX = '/r/';

export function parseRoute(pathname: string): Route {
  if (!pathname.startsWith(ROOM_PREFIX)) return { kind: 'home' };
  // A literal trailing slash is not part of the name; an encoded one (%2F) is.
  const raw = pathname.slice(ROOM_PREFIX.length).replace(/\/+$/, '');
  let room: string;
  try {
    room = decodeURIComponent(raw);
  } catch {
    room = raw; // a malformed escape: show what was typed
  }
  return room === '' ? { kind: 'home' } : { kind: 'room', room };
}

export function roomPath(room: string): string {
  return ROOM_PREFIX + encodeURIComponent(room);
}

export const HOME_PATH = '/';
