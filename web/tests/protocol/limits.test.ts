/**
 * Limits a user can run into: a packet over 1 MiB closes only the sender's
 * connection, the per-socket rate limit refuses a flood without disconnecting,
 * a join storm still ends with everyone holding the full room list, and that
 * list is bounded.
 */
import { describe, expect, it } from 'vitest';

import { connect, next, nextMatching, request } from '../support/sio';
import { collect, isDone, isError, listsRooms, uniqueRoom, useHarness } from './harness';

const h = useHarness();

describe('packet size', () => {
  it('closes the connection of a websocket sending over 1 MiB; the others keep chatting', async () => {
    const [a, b, c] = await h.sockets(3, '/', 'websocket');
    const room = uniqueRoom();
    for (const s of [a!, b!, c!]) await request(s, 'enter_room', room);

    const closed = next(a!, 'disconnect', 5000);
    const bye = next(b!, 'bye', 5000);
    a!.emit('new_message', 'x'.repeat(1.5 * 1024 * 1024), room, () => {});
    const [reason] = await closed;
    expect(reason).toBe('transport close');
    expect(await bye).toEqual(['Anon', 2]);

    const atC = next(c!, 'new_message');
    expect(isDone(await request(b!, 'new_message', 'still here', room))).toBe(true);
    expect(await atC).toEqual(['Anon: still here']);
    const atB = next(b!, 'new_message');
    expect(isDone(await request(c!, 'new_message', 'me too', room))).toBe(true);
    expect(await atB).toEqual(['Anon: me too']);
  });

  it('relays a message just under the packet limit', async () => {
    // 4000 characters of 4-byte emoji: 16 KB, well within 1 MiB.
    const [a, b] = await h.sockets(2, '/', 'websocket');
    const room = uniqueRoom();
    for (const s of [a!, b!]) await request(s, 'enter_room', room);
    const text = '😀'.repeat(4000);
    const arrived = next(b!, 'new_message');
    expect(isDone(await request(a!, 'new_message', text, room))).toBe(true);
    expect(await arrived).toEqual([`Anon: ${text}`]);
  });
});

describe('rate limit', () => {
  it('lets a burst through, refuses the rest with rate_limited, and keeps the flooder', async () => {
    const server = await h.extraServer(['--rate-limit', '0.001', '--rate-burst', '5']);
    const [flooder, member, marker] = await Promise.all(
      [0, 1, 2].map(async () => h.track(await connect(server.url, '/', 'websocket'))),
    );
    const room = uniqueRoom();
    for (const s of [flooder!, member!, marker!]) expect(isDone(await request(s, 'enter_room', room))).toBe(true);

    // The member's first 5 messages: the flood that got through, then the marker.
    const received = collect(member!, 'new_message', 5);
    // The burst is 5 events: the flooder's enter_room spent one, 4 messages remain.
    const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => request(flooder!, 'new_message', `flood ${i}`, room)));
    const ok = acks.filter(isDone);
    const limited = acks.filter(([ack]) => isError(ack, 'rate_limited'));
    expect(ok).toHaveLength(4);
    expect(limited).toHaveLength(16);

    expect(isDone(await request(marker!, 'new_message', 'marker', room))).toBe(true);
    const messages = (await received).map(([m]) => m);
    expect(messages.at(-1)).toBe('Anon: marker');
    expect(messages.slice(0, 4).every((m) => typeof m === 'string' && /^Anon: flood \d+$/.test(m))).toBe(true);

    expect(flooder!.connected).toBe(true);
    expect(isError((await request(flooder!, 'new_message', 'again', room))[0], 'rate_limited')).toBe(true);
  });
});

describe('join storm', () => {
  it('gives each of 200 clients joining 10 rooms a room_change with all 10', async () => {
    const rooms = Array.from({ length: 10 }, () => uniqueRoom('storm'));
    const clients = await h.sockets(200, '/', 'websocket');
    const complete = clients.map((s) => nextMatching(s, 'room_change', listsRooms(...rooms), 15_000));
    const dones = await Promise.all(clients.map((s, i) => request(s, 'enter_room', rooms[i % 10])));
    expect(dones.every(isDone)).toBe(true);
    for (const [list] of await Promise.all(complete)) {
      expect(list).toEqual(expect.arrayContaining(rooms));
      expect(new Set(list as string[]).size).toBe((list as string[]).length);
    }
  });
});

describe('room list size', () => {
  it('names at most 100 rooms in room_change, keeping the fullest', async () => {
    const [watcher, x, y] = await h.sockets(3, '/', 'websocket');
    // 15 sockets in 8 rooms each (the most one socket may be in): 120 rooms of one.
    const crowd = await h.sockets(15, '/', 'websocket');
    await Promise.all(
      crowd.map(async (s) => {
        for (let j = 0; j < 8; j += 1) expect(isDone(await request(s, 'enter_room', uniqueRoom('one-of-120')))).toBe(true);
      }),
    );
    // The newest room, but the only one with two people: it is listed.
    const popular = uniqueRoom('popular');
    const listed = nextMatching(watcher!, 'room_change', listsRooms(popular), 10_000);
    expect(isDone(await request(x!, 'enter_room', popular))).toBe(true);
    expect(isDone(await request(y!, 'enter_room', popular))).toBe(true);
    const [list] = await listed;
    expect(list).toHaveLength(100);
    expect(new Set(list as string[]).size).toBe(100);
  });
});
