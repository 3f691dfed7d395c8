/**
 * The course contract on `/`, chat stage: nickname, enter_room, new_message,
 * leaving. The course's client must work unchanged, over both transports.
 */
import { describe, expect, it } from 'vitest';

import { next, nextMatching, record, request } from '../support/sio';
import { TRANSPORTS, isDone, listsNone, listsRooms, uniqueRoom, useHarness } from './harness';

const h = useHarness();

describe.each(TRANSPORTS)('course chat over %s', (transport) => {
  const join = async (n: number, room: string) => {
    const sockets = await h.sockets(n, '/', transport);
    for (const socket of sockets) expect(isDone(await request(socket, 'enter_room', room))).toBe(true);
    return sockets;
  };

  it('calls done() on enter_room and welcomes the joiner with the new count', async () => {
    const [a, b] = await h.sockets(2, '/', transport);
    const room = uniqueRoom();
    expect(isDone(await request(a!, 'enter_room', room))).toBe(true);
    const welcome = next(a!, 'welcome');
    const quiet = record(b!, 'welcome');
    expect(isDone(await request(b!, 'enter_room', room))).toBe(true);
    expect(await welcome).toEqual(['Anon', 2]);

    const c = (await h.sockets(1, '/', transport))[0]!;
    const third = next(a!, 'welcome');
    const secondSees = next(b!, 'welcome');
    await request(c, 'enter_room', room);
    expect(await third).toEqual(['Anon', 3]);
    expect(await secondSees).toEqual(['Anon', 3]);
    // The joiner is not welcomed to its own arrival.
    expect(quiet.events).toEqual([['Anon', 3]]);
  });

  it('never welcomes a socket to a join that was acked before it arrived', async () => {
    // A room with history makes the server read the store after a join; the
    // welcome for that join must already be out, or the next joiner gets it
    // with a stale count (seen once in CI as ['Anon', 1]).
    for (let round = 0; round < 8; round += 1) {
      const room = uniqueRoom('history');
      const [writer] = await join(1, room);
      expect(isDone(await request(writer!, 'new_message', `kept ${round}`, room))).toBe(true);
      const [a, b, c] = await h.sockets(3, '/', transport);
      expect(isDone(await request(a!, 'enter_room', room))).toBe(true);
      const atB = record(b!, 'welcome');
      expect(isDone(await request(b!, 'enter_room', room))).toBe(true);
      const marker = next(b!, 'welcome');
      await request(c!, 'enter_room', room);
      expect(await marker).toEqual(['Anon', 4]);
      expect(atB.events).toEqual([['Anon', 4]]);
    }
  });

  it('sends room_change with the new room to everyone, also sockets in no room', async () => {
    const [joiner, other, idle] = await h.sockets(3, '/', transport);
    const room = uniqueRoom();
    const lists = [joiner!, other!, idle!].map((s) => nextMatching(s, 'room_change', listsRooms(room)));
    await request(joiner!, 'enter_room', room);
    for (const [list] of await Promise.all(lists)) {
      expect(Array.isArray(list)).toBe(true);
      expect(list).toContain(room);
    }
  });

  it('sends the current room list right after connecting', async () => {
    const [a] = await h.sockets(1, '/', transport);
    const room = uniqueRoom();
    await request(a!, 'enter_room', room);
    const { socket, events } = await h.socketRecording('room_change', '/', transport);
    const [list] = events[0] ?? (await next(socket, 'room_change'));
    expect(list).toContain(room);
  });

  it('delivers new_message as "nickname: msg" to the others in the room only', async () => {
    const room = uniqueRoom();
    const [a, b, c] = await join(3, room);
    const otherRoom = uniqueRoom();
    const [d, e] = await join(2, otherRoom);

    const atB = next(b!, 'new_message');
    const atC = next(c!, 'new_message');
    const sender = record(a!, 'new_message');
    const elsewhere = record(d!, 'new_message');
    expect(isDone(await request(a!, 'new_message', 'hello there', room))).toBe(true);
    expect(await atB).toEqual(['Anon: hello there']);
    expect(await atC).toEqual(['Anon: hello there']);

    // Markers through the same paths: a reply reaches the sender, a message in
    // the other room reaches d; each is all they got.
    const reply = next(a!, 'new_message');
    await request(b!, 'new_message', 'reply', room);
    expect(await reply).toEqual(['Anon: reply']);
    expect(sender.events).toEqual([['Anon: reply']]);
    const marker = next(d!, 'new_message');
    await request(e!, 'new_message', 'marker', otherRoom);
    expect(await marker).toEqual(['Anon: marker']);
    expect(elsewhere.events).toEqual([['Anon: marker']]);
  });

  it('uses the nickname in welcome, new_message and bye', async () => {
    const [a, b] = await h.sockets(2, '/', transport);
    const room = uniqueRoom();
    await request(a!, 'enter_room', room);
    // With an ack, so the rename has been handled before the next event: the
    // server may handle one socket's events out of order (see regressions.test.ts).
    expect(isDone(await request(b!, 'nickname', 'Mina'))).toBe(true);
    const welcome = next(a!, 'welcome');
    await request(b!, 'enter_room', room);
    expect(await welcome).toEqual(['Mina', 2]);

    const message = next(a!, 'new_message');
    await request(b!, 'new_message', '안녕하세요', room);
    expect(await message).toEqual(['Mina: 안녕하세요']);

    expect(isDone(await request(b!, 'nickname', 'Mina K'))).toBe(true);
    const renamed = next(a!, 'new_message');
    await request(b!, 'new_message', 'again', room);
    expect(await renamed).toEqual(['Mina K: again']);

    const bye = next(a!, 'bye');
    b!.disconnect();
    expect(await bye).toEqual(['Mina K', 1]);
  });

  it('keeps Korean names and emoji, and stores decomposed text composed (NFC)', async () => {
    const [a, b] = await h.sockets(2, '/', transport);
    // 스터디 and 민아 as conjoining jamo, as some macOS input sends them.
    const room = `${uniqueRoom()}-\u1109\u1173\u1110\u1165\u1103\u1175`;
    const composed = room.normalize('NFC');
    expect(composed).not.toBe(room);
    const listed = nextMatching(b!, 'room_change', listsRooms(composed));
    expect(isDone(await request(a!, 'enter_room', room))).toBe(true);
    await listed;
    // The composed spelling names the same room, for joining and for sending.
    expect(isDone(await request(b!, 'enter_room', composed))).toBe(true);
    expect(isDone(await request(b!, 'nickname', '\u1106\u1175\u11AB\u110B\u1161 👩\u200D💻'))).toBe(true);
    const atA = next(a!, 'new_message');
    expect(isDone(await request(b!, 'new_message', '안녕', composed))).toBe(true);
    expect(await atA).toEqual(['민아 👩\u200D💻: 안녕']);
    const atB = next(b!, 'new_message');
    expect(isDone(await request(a!, 'new_message', 'hi', room))).toBe(true);
    expect(await atB).toEqual(['Anon: hi']);
  });

  it('says bye with the count after leaving, and drops the empty room from room_change', async () => {
    const room = uniqueRoom();
    const [a, b, c] = await join(3, room);
    const [watcher] = await h.sockets(1, '/', transport);

    const bye = next(a!, 'bye');
    const byeB = next(b!, 'bye');
    c!.disconnect();
    expect(await bye).toEqual(['Anon', 2]);
    expect(await byeB).toEqual(['Anon', 2]);

    const lastBye = next(a!, 'bye');
    b!.disconnect();
    expect(await lastBye).toEqual(['Anon', 1]);

    const gone = nextMatching(watcher!, 'room_change', listsNone(room));
    a!.disconnect();
    const [list] = await gone;
    expect(list).not.toContain(room);
  });
});
