/**
 * `/metrics` on its own listener (`--metrics-addr`), read with a real
 * Prometheus text-format parser, and its numbers moving as clients chat and
 * as datagrams reach the SFU's media port.
 */
import { createSocket } from 'node:dgram';
import parsePrometheusTextFormat, { type Family } from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';

import { uniqueRoom, useHarness } from './harness';
import type { MoimServer } from '../support/server';
import { BROWSER_OFFER } from '../support/sdp';
import { connect, request } from '../support/sio';

const harness = useHarness(['--metrics-addr', '127.0.0.1:0']);

async function scrape(server: MoimServer = harness.server()): Promise<Family[]> {
  const url = server.metricsUrl;
  if (!url) throw new Error('moim did not log its metrics address');
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  return parsePrometheusTextFormat(await response.text());
}

/** The value of the sample of `name` whose labels include `labels` (0 when absent). */
function value(families: Family[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (!sample) return 0;
  return Number(sample.value ?? sample.count);
}

describe('/metrics', () => {
  it('is valid Prometheus text with the documented families', async () => {
    const families = await scrape();
    const types = Object.fromEntries(families.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      moim_sockets: 'GAUGE',
      moim_rooms: 'GAUGE',
      moim_participants: 'GAUGE',
      moim_messages_relayed_total: 'COUNTER',
      moim_messages_refused_total: 'COUNTER',
      moim_join_duration_seconds: 'HISTOGRAM',
      moim_uptime_seconds: 'GAUGE',
      moim_sfu_sessions: 'GAUGE',
      moim_sfu_datagrams_total: 'COUNTER',
      moim_sfu_bytes_total: 'COUNTER',
      moim_sfu_dropped_total: 'COUNTER',
      moim_sfu_keyframe_requests_total: 'COUNTER',
      moim_sfu_worker_sessions: 'GAUGE',
      moim_sfu_worker_meetings: 'GAUGE',
      moim_sfu_worker_bytes_out_total: 'COUNTER',
      moim_sfu_worker_busy_seconds_total: 'COUNTER',
      moim_sfu_worker_routed_total: 'COUNTER',
    });
    for (const family of families) expect(family.help.length, `${family.name} has help`).toBeGreaterThan(0);
  });

  it('is not on the public listener', async () => {
    const response = await fetch(`${harness.server().url}/metrics`);
    expect(await response.text()).not.toContain('moim_messages_relayed_total');
  });

  it('counts sockets, rooms, participants, relays, refusals and joins as clients chat', async () => {
    const before = await scrape();
    const [mina, jun] = await harness.sockets(2, '/moim');
    const course = await harness.socket('/', 'polling');
    const room = `metrics-${Date.now()}`;
    await request(mina!, 'join', { room, name: 'Mina' });
    await request(jun!, 'join', { room, name: 'Jun' });
    await request(course, 'enter_room', room);
    for (const text of ['one', 'two', 'three']) {
      expect(await request(mina!, 'chat', { text })).toEqual([{ ok: { ts: expect.any(Number), id: expect.any(Number) } }]);
    }
    const [tooLong] = (await request(mina!, 'chat', { text: 'x'.repeat(4001) })) as [{ error: { code: string } }];
    expect(tooLong.error.code).toBe('invalid_message');
    await request(course, 'new_message', 'hello', room);
    const [notIn] = (await request(course, 'new_message', 'hello', 'elsewhere')) as [{ error: { code: string } }];
    expect(notIn.error.code).toBe('not_in_room');

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect(delta('moim_messages_relayed_total', { namespace: '/moim', event: 'chat' })).toBe(3);
    expect(delta('moim_messages_relayed_total', { namespace: '/', event: 'new_message' })).toBe(1);
    expect(delta('moim_messages_refused_total', { namespace: '/moim', reason: 'invalid_message' })).toBe(1);
    expect(delta('moim_messages_refused_total', { namespace: '/', reason: 'not_in_room' })).toBe(1);
    expect(delta('moim_joins_total', { namespace: '/moim' })).toBe(2);
    expect(delta('moim_joins_total', { namespace: '/' })).toBe(1);
    expect(value(after, 'moim_sockets', { namespace: '/moim', transport: 'websocket' })).toBe(2);
    expect(value(after, 'moim_sockets', { namespace: '/', transport: 'polling' })).toBe(1);
    expect(value(after, 'moim_rooms', { namespace: '/moim' })).toBe(1);
    expect(value(after, 'moim_participants', { namespace: '/moim' })).toBe(2);
    expect(value(after, 'moim_participants', { namespace: '/' })).toBe(1);
    // This parser folds labelled histograms into one series (its known
    // limit), so only the family's buckets are read here; the bucket maths
    // are unit-tested in Rust (metrics::family).
    const histogram = after.find((f) => f.name === 'moim_join_duration_seconds');
    expect(Number(histogram?.metrics[0]?.buckets?.['+Inf'])).toBeGreaterThan(0);

    // Leaving shows at once in the gauges.
    jun!.disconnect();
    await expect.poll(async () => value(await scrape(), 'moim_participants', { namespace: '/moim' })).toBe(1);
  });

  it('counts SFU sessions per worker, datagrams on the media port and the garbage it drops', async () => {
    const server = await harness.extraServer(['--metrics-addr', '127.0.0.1:0', '--sfu', 'always', '--public-ip', '127.0.0.1', '--sfu-workers', '2']);
    const mina = harness.track(await connect(server.url, '/moim'));
    await request(mina, 'join', { room: uniqueRoom(), name: 'Mina' });
    const [reply] = await request(mina, 'sfu-offer', { sdp: BROWSER_OFFER });
    const answer = (reply as { ok: { sdp: string } }).ok.sdp;
    const port = Number(/a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+) typ host/.exec(answer)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(value(await scrape(server), 'moim_sfu_sessions')).toBe(1);
    // A second meeting goes to the idle worker: one meeting, one session each.
    const jun = harness.track(await connect(server.url, '/moim'));
    await request(jun, 'join', { room: uniqueRoom(), name: 'Jun' });
    await request(jun, 'sfu-offer', { sdp: BROWSER_OFFER });
    const placed = await scrape(server);
    for (const worker of ['0', '1']) {
      expect(value(placed, 'moim_sfu_worker_sessions', { worker }), `worker ${worker}`).toBe(1);
      expect(value(placed, 'moim_sfu_worker_meetings', { worker }), `worker ${worker}`).toBe(1);
    }
    jun.disconnect();
    await expect.poll(async () => value(await scrape(server), 'moim_sfu_worker_sessions', { worker: '1' })).toBe(0);

    // A port scan's bytes: not STUN, DTLS or RTP.
    const udp = createSocket('udp4');
    const junk = Buffer.from('GET / HTTP/1.0');
    for (let i = 0; i < 3; i++) await new Promise((sent) => udp.send(junk, port, '127.0.0.1', sent));
    udp.close();
    await expect.poll(async () => value(await scrape(server), 'moim_sfu_dropped_total', { reason: 'not_webrtc' })).toBe(3);
    const after = await scrape(server);
    expect(value(after, 'moim_sfu_datagrams_total', { direction: 'in' })).toBeGreaterThanOrEqual(3);
    expect(value(after, 'moim_sfu_bytes_total', { direction: 'in' })).toBeGreaterThanOrEqual(3 * junk.length);
    expect(value(after, 'moim_sfu_dropped_total', { reason: 'unknown_source' })).toBe(0);

    // Leaving ends the session, and the meeting on its worker.
    mina.disconnect();
    await expect.poll(async () => value(await scrape(server), 'moim_sfu_sessions')).toBe(0);
    expect(value(await scrape(server), 'moim_sfu_worker_meetings', { worker: '0' })).toBe(0);
  });
});
