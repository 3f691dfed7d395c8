// A TCP port in front of two moim nodes that sends each new connection to
// the first node, and to the second when the first refuses it: what the
// nginx of docs/deploy.md does for a client whose node died (its hash picks
// the dead node, the connection fails, `proxy_next_upstream` tries the next).
// The benches use it to measure people whose *signaling* node went away; the
// browser tests run the real nginx. A connection ends when either side ends.
import { connect, createServer } from 'node:net';

/** Listens on a free loopback port; `targets` are `{ host, port }`, tried in order. */
export async function failoverProxy(targets) {
  const open = new Set();
  const server = createServer((client) => {
    client.pause();
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    const attempt = (i) => {
      if (i >= targets.length) return client.destroy();
      const upstream = connect(targets[i]);
      // Refused (the node is gone): the next one.
      upstream.once('error', () => attempt(i + 1));
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        upstream.on('error', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      for (const client of open) client.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** `http://host:port` → `{ host, port }`. */
export function target(url) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}
