/**
 * The kinds of address the UI has: `/` (home), `/r/<room>` (a room,
 * URL-encoded so any room name survives the trip through the address bar),
 * and every other, which has no page.
 */

export type Route = { kind: 'home' } | { kind: 'room'; room: string } | { kind: 'not-found' };

const ROOM_PREFIX = '/r/';

/** Addresses that are the home page: the server serves `index.html` at both. */
const HOME_PATHS = new Set(['/', '', '/index.html', '/r']);

/**
 * Which screen an address shows. Anything that is neither the home page nor a
 * room is `not-found` (the server answers it with 404 too, `http/assets.rs`).
 */
export function parseRoute(pathname: string): Route {
  if (HOME_PATHS.has(pathname)) return { kind: 'home' };
  if (!pathname.startsWith(ROOM_PREFIX)) return { kind: 'not-found' };
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
