/**
 * Serves the web UI from a local Vite build (`npm run build` → `web/dist`)
 * instead of the one embedded in the `moim` binary, when `MOIM_WEB_DIST`
 * names that folder: a UI branch can then be tested against a server binary
 * built from another branch. Every request of the page goes through here;
 * Socket.IO's (`/socket.io/…`) go on to the server untouched, and WebSockets
 * are not routed at all. Unset, nothing changes.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const WEB_DIST = process.env.MOIM_WEB_DIST ? resolve(process.env.MOIM_WEB_DIST) : null;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
};

/** What `WEB_DIST` answers for a request of the page. */
export interface DistResponse {
  status: number;
  body: Buffer | string;
  contentType: string;
}

/**
 * The answer from `WEB_DIST` for `url`, or null for a request that goes on
 * to the server: its own endpoints, and what the UI build does not have.
 * Shared by Playwright's routing below and Puppeteer's (`firefox.ts`).
 */
export async function distResponse(dist: string, url: URL): Promise<DistResponse | null> {
  const path = url.pathname;
  if (path.startsWith('/socket.io/') || path === '/ws' || path === '/healthz' || path.startsWith('/admin')) return null;
  const file = normalize(join(dist, path));
  const inside = file.startsWith(dist) && extname(file) !== '' && !path.startsWith('/r/');
  const target = inside ? file : join(dist, 'index.html');
  try {
    const body = await readFile(target);
    return { status: 200, body, contentType: TYPES[extname(target)] ?? 'application/octet-stream' };
  } catch {
    return { status: 404, body: 'not found', contentType: 'text/plain' };
  }
}

/** Routes the context's page loads to `WEB_DIST` (a no-op without it). */
export async function serveWebDist(context: BrowserContext): Promise<void> {
  const dist = WEB_DIST;
  if (!dist) return;
  await context.route('**/*', async (route) => {
    const answer = await distResponse(dist, new URL(route.request().url()));
    if (!answer) return route.fallback();
    return route.fulfill(answer);
  });
}
