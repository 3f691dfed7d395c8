/**
 * TURN credentials on `/moim`: with `--turn on` every socket gets its own
 * short-lived TURN REST API credentials, in `ice-servers` (before joining) and
 * in `join`'s ack: username `<expiry>:<socket id>`, password
 * base64(HMAC-SHA1(secret, username)), checkable with the shared secret alone.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import type { IceServer } from '../../src/engine/protocol';
import { request } from '../support/sio';
import { uniqueRoom, useHarness } from './harness';

const SECRET = 'protocol-test-secret';
const h = useHarness(['--turn', 'on', '--turn-port', '0', '--turn-secret', SECRET, '--turn-ttl', '600', '--public-ip', '127.0.0.1']);
const NS = '/moim';

function checkTurn(servers: IceServer[], socketId: string): string {
  const turn = servers.find((s) => s.urls.some((u) => u.startsWith('turn:')));
  expect(turn).toBeDefined();
  expect(turn!.urls[0]).toMatch(/^turn:127\.0\.0\.1:\d+\?transport=udp$/);
  const [expiry, participant] = turn!.username!.split(':');
  expect(participant).toBe(socketId);
  const now = Date.now() / 1000;
  expect(Number(expiry)).toBeGreaterThan(now);
  expect(Number(expiry)).toBeLessThanOrEqual(now + 601);
  expect(turn!.credential).toBe(createHmac('sha1', SECRET).update(turn!.username!).digest('base64'));
  return turn!.username!;
}

describe('TURN credentials on /moim', () => {
  it('ice-servers before joining and the join ack carry credentials for this socket alone', async () => {
    const [a, b] = await h.sockets(2, NS);
    const [before] = await request(a!, 'ice-servers', {});
    checkTurn((before as { ok: { iceServers: IceServer[] } }).ok.iceServers, a!.id!);
    const room = uniqueRoom();
    const [joinedA] = await request(a!, 'join', { room, name: 'A' });
    const [joinedB] = await request(b!, 'join', { room, name: 'B' });
    const userA = checkTurn((joinedA as { ok: { iceServers: IceServer[] } }).ok.iceServers, a!.id!);
    const userB = checkTurn((joinedB as { ok: { iceServers: IceServer[] } }).ok.iceServers, b!.id!);
    expect(userA).not.toBe(userB);
  });
});
