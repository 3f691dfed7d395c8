/**
 * TURN credentials on `/moim`: with `--turn on` every participant of a meeting
 * gets its own short-lived TURN REST API credentials, in `join`'s ack and in
 * `ice-servers` while in the meeting (never before joining): username
 * `<expiry>:<participant id>`, password
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

function checkTurn(servers: IceServer[], participantId: string): string {
  const turn = servers.find((s) => s.urls.some((u) => u.startsWith('turn:')));
  expect(turn).toBeDefined();
  expect(turn!.urls[0]).toMatch(/^turn:127\.0\.0\.1:\d+\?transport=udp$/);
  const [expiry, participant] = turn!.username!.split(':');
  expect(participant).toBe(participantId);
  const now = Date.now() / 1000;
  expect(Number(expiry)).toBeGreaterThan(now);
  expect(Number(expiry)).toBeLessThanOrEqual(now + 601);
  expect(turn!.credential).toBe(createHmac('sha1', SECRET).update(turn!.username!).digest('base64'));
  return turn!.username!;
}

type IceAnswer = { ok: { iceServers: IceServer[]; relayOnJoin?: boolean } };
const youOf = (ack: unknown) => (ack as { ok: { you: { id: string } } }).ok.you.id;

describe('TURN credentials on /moim', () => {
  it('go to participants of a meeting alone, minted for their participant id', async () => {
    const [a, b] = await h.sockets(2, NS);
    // Before joining: no credentials, only word that a relay exists.
    const [before] = await request(a!, 'ice-servers', {});
    expect(before).toEqual({ ok: { iceServers: [], relayOnJoin: true } });

    const room = uniqueRoom();
    const [joinedA] = await request(a!, 'join', { room, name: 'A' });
    const [joinedB] = await request(b!, 'join', { room, name: 'B' });
    const userA = checkTurn((joinedA as IceAnswer).ok.iceServers, youOf(joinedA));
    const userB = checkTurn((joinedB as IceAnswer).ok.iceServers, youOf(joinedB));
    expect(userA).not.toBe(userB);
    // Never the socket's id, which is a bearer token.
    expect(userA).not.toContain(a!.id!);

    // A running call asks again for fresh ones.
    const [again] = await request(a!, 'ice-servers', {});
    expect((again as IceAnswer).ok.relayOnJoin).toBe(false);
    checkTurn((again as IceAnswer).ok.iceServers, youOf(joinedA));

    // Out of the meeting, none again.
    await request(a!, 'leave');
    const [after] = await request(a!, 'ice-servers', {});
    expect(after).toEqual({ ok: { iceServers: [], relayOnJoin: true } });
  });
});
