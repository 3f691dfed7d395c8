/*
 * moim's service worker: makes the app installable and its start fast by
 * keeping the shell (the page and its hashed scripts and styles) at hand.
 * No offline meetings: a meeting needs the server anyway.
 *
 * - Page loads (navigations) go to the network first, so a new server
 *   version's UI is used as soon as it is online; the cached page is only
 *   the fallback when the network fails.
 * - `/assets/*` files have their content's hash in their name and never
 *   change: from the cache when there, else fetched and kept.
 * - The server's own endpoints are never touched: signaling (`/socket.io/`,
 *   `/ws`), the API, the operator pages, health checks.
 * Caches of older versions of this file are deleted when it activates.
 */
const CACHE = 'moim-shell-v1';
const SHELL = '/';
const BYPASS = /^\/(?:socket\.io|api|admin|ops|ws|healthz)(?:\/|$)/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.add(SHELL))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('moim-') && k !== CACHE).map((k) => caches.delete(k)))),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || BYPASS.test(url.pathname)) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  }
});

/** The page from the network (kept as the shell); the kept shell when offline. */
async function networkFirst(request) {
  try {
    const response = await fetch(request);
    // Every route of the UI is the same page: one copy is enough.
    if (response.ok && response.headers.get('content-type')?.startsWith('text/html')) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(SHELL, copy)).catch(() => undefined);
    }
    return response;
  } catch (err) {
    const cached = await caches.match(SHELL);
    if (cached) return cached;
    throw err;
  }
}

/** A hashed file: from the cache, else from the network and kept. */
async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(request, copy)).catch(() => undefined);
  }
  return response;
}
