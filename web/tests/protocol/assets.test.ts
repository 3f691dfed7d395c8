/**
 * How the UI's files travel: the main script and the page as the Brotli or
 * gzip copy the build made (byte-for-byte the same file once decoded), never
 * compressed for a client that did not ask, hashed assets cached for a year,
 * the page revalidated with an ETag (a reload costs a 304), and an address
 * with no page answered 404 with the UI (which shows "page not found").
 *
 * Raw `node:http`, not `fetch`: fetch decodes silently, and the point is what
 * went over the wire.
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type MoimServer } from '../support/server';

let server: MoimServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.stop();
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function mainScript(): Promise<string> {
  const page = await get('/');
  const src = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(page.body.toString())?.[1];
  expect(src, page.body.toString()).toBeDefined();
  return src as string;
}

describe('the UI over the wire', () => {
  it('sends the main script as Brotli or gzip when asked, the same bytes once decoded, cached for a year', async () => {
    const path = await mainScript();
    const plain = await get(path);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['vary']).toBe('accept-encoding');

    const br = await get(path, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    // The main script is big; Brotli at its strongest takes it to well under a third.
    expect(br.body.length).toBeLessThan(plain.body.length / 3);

    const gz = await get(path, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(gz.body.length).toBeLessThan(plain.body.length / 2);

    const refused = await get(path, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.equals(plain.body)).toBe(true);
  });

  it('revalidates the page with an ETag: a reload of an unchanged page is a 304 with no body', async () => {
    const first = await get('/', { 'accept-encoding': 'br' });
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers['content-encoding']).toBe('br');
    const etag = first.headers['etag'];
    expect(typeof etag).toBe('string');

    const again = await get('/', { 'accept-encoding': 'br', 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    const stale = await get('/', { 'accept-encoding': 'br', 'if-none-match': '"0000"' });
    expect(stale.status).toBe(200);
    expect(brotliDecompressSync(stale.body).toString()).toContain('<div id="root">');
  });

  it('answers an address with no page 404, with the UI that says so; rooms and /ops stay 200', async () => {
    for (const path of ['/nonexistent/page', '/rooms', '/ops2']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type'], path).toMatch(/text\/html/);
      expect(res.headers['etag'], path).toBeUndefined();
      expect(res.body.toString(), path).toContain('<div id="root">');
    }
    for (const path of ['/', '/r/standup', '/r/v1.2', '/ops', '/ops/']) {
      expect((await get(path)).status, path).toBe(200);
    }
    // A missing file is a bare 404, not the page.
    const missing = await get('/assets/missing-1234.js');
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).not.toContain('<div id="root">');
  });
});
