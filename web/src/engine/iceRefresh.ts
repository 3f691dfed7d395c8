/**
 * When a call should fetch fresh TURN credentials.
 *
 * The server mints TURN credentials in the TURN REST API's form (user name
 * `<expiry seconds>:<participant>`) with a lifetime of minutes, and only for
 * people in a meeting. A running call asks for new ones halfway through their
 * life, so a peer connection made later (a newcomer, an ICE restart) never
 * starts with expired ones. No React, no timers: the session keeps the timer.
 */
import type { IceServer } from './protocol';

/** Never sooner than this after the last fetch, whatever the credentials say. */
export const MIN_REFRESH_MS = 15_000;

/** The earliest expiry (ms since the epoch) among `servers`' TURN user names, if any. */
export function turnExpiry(servers: readonly IceServer[]): number | null {
  let earliest: number | null = null;
  for (const server of servers) {
    const stamp = server.username?.split(':', 1)[0];
    if (!stamp || !/^\d+$/.test(stamp)) continue;
    const ms = Number(stamp) * 1000;
    if (earliest === null || ms < earliest) earliest = ms;
  }
  return earliest;
}

/** How long to wait before fetching again, or null when nothing expires. */
export function refreshDelayMs(servers: readonly IceServer[], nowMs: number): number | null {
  const expiry = turnExpiry(servers);
  if (expiry === null) return null;
  return Math.max(MIN_REFRESH_MS, Math.floor((expiry - nowMs) / 2));
}
