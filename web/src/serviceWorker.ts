/**
 * Registers `public/sw.js` (the installable app's shell cache), only in a
 * production build — in development Vite serves unhashed modules that a
 * cache would only get in the way of — and only on a secure origin (https
 * or localhost), the only place browsers allow service workers. After the
 * page has loaded, so it never competes with the first render or a join.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !window.isSecureContext || !('serviceWorker' in navigator)) return;
  const register = () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
