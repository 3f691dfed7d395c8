/**
 * Coming back on a new connection (`join`'s `replaces`, docs/protocol.md):
 * a browser whose connection dropped before the server noticed rejoins in
 * its old place — its name, through the lock, its old connection closed and
 * gone from the room — while the same id in anyone else's hands (another
 * browser key) changes nothing.
 */
import { randomBytes } from 'node:crypto';

import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';

import { nextMatching, request } from '../support/sio';
import { isError, joinMeet, uniqueRoom, useHarness } from './harness';

const h = useHarness();
const NS = '/moim';

const newKey = () => randomBytes(24).toString('base64url');

interface Seen {
  participant: { id: string; name: string };
  count: number;
}

const named = (socket: Socket, event: string, name: string) =>
  nextMatching(socket, event, (p) => (p as Seen).participant.name === name, 3000).then(([p]) => p as Seen);

describe('a browser back on a new connection', () => {
  it('takes its old place: same name, through the lock, the old connection closed and announced gone', async () => {
    const room = uniqueRoom();
    const host = await h.socket(NS);
    await joinMeet(host, room, 'Mina', { key: newKey() });
    const junKey = newKey();
    const oldJun = await h.socket(NS);
    const first = await joinMeet(oldJun, room, 'Jun', { key: junKey });
    const [locked] = await request(host, 'settings', { locked: true });
    expect(locked).toMatchObject({ ok: { meeting: { locked: true } } });

    // Jun's old connection is still up as far as the server knows.
    const closed = new Promise<string>((resolve) => oldJun.once('disconnect', resolve));
    const left = named(host, 'participant-left', 'Jun');
    const joined = named(host, 'participant-joined', 'Jun');
    const newJun = await h.socket(NS);
    const back = await joinMeet(newJun, room, 'Jun', { key: junKey, replaces: first.you.id });

    expect(back.you.name).toBe('Jun');
    expect(back.you.id).not.toBe(first.you.id);
    expect(back.participants.map((p) => p.name)).toEqual(['Mina']);
    expect(await closed).toBe('io server disconnect');
    expect((await left).participant.id).toBe(first.you.id);
    const again = await joined;
    expect([again.participant.id, again.count]).toEqual([back.you.id, 2]);
  });

  it('is refused the lock and leaves the named person alone with another browser key', async () => {
    const room = uniqueRoom();
    const host = await h.socket(NS);
    await joinMeet(host, room, 'Mina', { key: newKey() });
    const jun = await h.socket(NS);
    const first = await joinMeet(jun, room, 'Jun', { key: newKey() });

    // Unlocked: someone else naming Jun's id is just another Jun.
    const other = await h.socket(NS);
    const copy = await joinMeet(other, room, 'Jun', { key: newKey(), replaces: first.you.id });
    expect(copy.you.name).toBe('Jun (2)');
    expect(copy.participants.map((p) => p.id)).toContain(first.you.id);
    expect(jun.connected).toBe(true);

    // Locked: the id gets nobody past the lock.
    await request(host, 'settings', { locked: true });
    const third = await h.socket(NS);
    const [reply] = await request(third, 'join', { room, name: 'Jun', key: newKey(), replaces: first.you.id });
    expect(isError(reply, 'locked')).toBe(true);
    expect(jun.connected).toBe(true);
  });

  it('keeps a host the host, and nobody else is made one', async () => {
    const room = uniqueRoom();
    const minaKey = newKey();
    const oldMina = await h.socket(NS);
    const first = await joinMeet(oldMina, room, 'Mina', { key: minaKey });
    const jun = await h.socket(NS);
    await joinMeet(jun, room, 'Jun', { key: newKey() });
    const newMina = await h.socket(NS);
    const back = await joinMeet(newMina, room, 'Mina', { key: minaKey, replaces: first.you.id });
    expect([back.you.name, back.you.role]).toEqual(['Mina', 'host']);
    expect(back.participants.map((p) => [p.name, p.role])).toEqual([['Jun', 'guest']]);
  });
});
