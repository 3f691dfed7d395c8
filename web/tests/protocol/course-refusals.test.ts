/**
 * Bad input on `/`: every refusal is an ack `{error}` (events with a callback)
 * or an `error` event (events without one), delivers nothing to anyone, and
 * leaves the socket connected. Absence is proven with a later valid marker.
 */
import type { Socket } from 'socket.io-client';
import { beforeEach, describe, expect, it } from 'vitest';

import { next, nextMatching, record, request } from '../support/sio';
import { TRANSPORTS, isDone, isError, listsRooms, uniqueRoom, useHarness } from './harness';

const h = useHarness();

const sdp = { type: 'offer', sdp: 'v=0\r\n' };

describe.each(TRANSPORTS)('course refusals over %s', (transport) => {
  let a: Socket; // in `room`
  let b: Socket; // in `room`, the would-be receiver
  let outsider: Socket; // in no room
  let room: string;

  beforeEach(async () => {
    [a, b, outsider] = (await h.sockets(3, '/', transport)) as [Socket, Socket, Socket];
    room = uniqueRoom();
    await request(a, 'enter_room', room);
    await request(b, 'enter_room', room);
  });

  /** b received nothing on `event` but the marker `a` sends after the refusal. */
  const onlyMarkerArrives = async (event: string, seen: { events: unknown[][] }) => {
    const marker = event === 'new_message' ? 'marker' : { marker: true };
    const arrived = next(b, event);
    if (event === 'new_message') expect(isDone(await request(a, 'new_message', marker, room))).toBe(true);
    else a.emit(event, marker, room);
    const expected = event === 'new_message' ? ['Anon: marker'] : [marker];
    expect(await arrived).toEqual(expected);
    expect(seen.events).toEqual([expected]);
  };

  const stillConnected = async (socket: Socket) => {
    expect(socket.connected).toBe(true);
    const probe = uniqueRoom('probe');
    expect(isDone(await request(socket, 'enter_room', probe))).toBe(true);
  };

  it('answers new_message into a room the sender is not in with not_in_room', async () => {
    const seen = record(b, 'new_message');
    const [ack] = await request(outsider, 'new_message', 'let me in', room);
    expect(isError(ack, 'not_in_room')).toBe(true);
    expect(ack).toMatchObject({ error: { code: 'not_in_room', message: expect.any(String) } });
    await onlyMarkerArrives('new_message', seen);
    await stillConnected(outsider);
  });

  it.each(['offer', 'answer', 'ice'])('refuses %s into a room the sender is not in with an error event', async (event) => {
    const seen = record(b, event);
    const refused = next(outsider, 'error');
    outsider.emit(event, sdp, room);
    const [body] = await refused;
    expect(body).toEqual({ event, code: 'not_in_room', message: expect.any(String) });
    await onlyMarkerArrives(event, seen);
    await stillConnected(outsider);
  });

  it('refuses an SDP over 64 KiB with too_large', async () => {
    const seen = record(b, 'offer');
    const refused = next(a, 'error');
    a.emit('offer', { type: 'offer', sdp: 'x'.repeat(70 * 1024) }, room);
    const [body] = await refused;
    expect(body).toEqual({ event: 'offer', code: 'too_large', message: expect.any(String) });
    await onlyMarkerArrives('offer', seen);
    await stillConnected(a);
  });

  it.each([
    ['empty', ''],
    ['4001 characters', 'x'.repeat(4001)],
  ])('refuses a %s message with invalid_message', async (_, text) => {
    const seen = record(b, 'new_message');
    const [ack] = await request(a, 'new_message', text, room);
    expect(isError(ack, 'invalid_message')).toBe(true);
    await onlyMarkerArrives('new_message', seen);
    await stillConnected(a);
  });

  it('delivers a message of exactly 4000 characters', async () => {
    const text = 'y'.repeat(4000);
    const arrived = next(b, 'new_message');
    expect(isDone(await request(a, 'new_message', text, room))).toBe(true);
    expect(await arrived).toEqual([`Anon: ${text}`]);
  });

  it.each([
    ['empty', ''],
    ['33 characters', 'n'.repeat(33)],
    ['right-to-left override', 'evil\u202Egnp.exe'],
    ['directional isolate', '\u2067Mina\u2069'],
    ['zero-width-only', '\u200B\u200D\u2060'],
    ['Hangul-filler-only', '\u3164\u3164'],
  ])('refuses an %s nickname with invalid_name and keeps the old one', async (_, name) => {
    expect(isDone(await request(a, 'nickname', 'Mina'))).toBe(true);
    const refused = next(a, 'error');
    a.emit('nickname', name);
    const [body] = await refused;
    expect(body).toEqual({ event: 'nickname', code: 'invalid_name', message: expect.any(String) });
    const arrived = next(b, 'new_message');
    await request(a, 'new_message', 'still me', room);
    expect(await arrived).toEqual(['Mina: still me']);
    await stillConnected(a);
  });

  it.each([
    ['empty', ''],
    ['65 characters', 'r'.repeat(65)],
    ['right-to-left override', 'lobby\u202E'],
    ['zero-width-only', '\u200B\uFEFF'],
  ])('refuses an %s room name with invalid_room and joins nothing', async (_, name) => {
    const welcomes = record(b, 'welcome');
    const [ack] = await request(outsider, 'enter_room', name);
    expect(isError(ack, 'invalid_room')).toBe(true);
    const [again] = await request(outsider, 'new_message', 'hello?', name);
    expect(isError(again, 'not_in_room')).toBe(true);
    // Marker: a real join into b's room is the only welcome b gets.
    const welcome = next(b, 'welcome');
    await request(outsider, 'enter_room', room);
    expect(await welcome).toEqual(['Anon', 3]);
    expect(welcomes.events).toEqual([['Anon', 3]]);
  });

  it('accepts a room name of exactly 64 characters', async () => {
    const name = `${uniqueRoom('long')}-`.padEnd(64, 'r');
    const listed = nextMatching(b, 'room_change', listsRooms(name));
    expect(isDone(await request(outsider, 'enter_room', name))).toBe(true);
    await listed;
  });

  it('refuses join_room without a callback through an error event', async () => {
    const refused = next(outsider, 'error');
    outsider.emit('join_room', '');
    const [body] = await refused;
    expect(body).toMatchObject({ code: 'invalid_room', message: expect.any(String) });
    await stillConnected(outsider);
  });

  it.each([
    ['enter_room(42)', 'enter_room', [42]],
    ['enter_room() with no name', 'enter_room', []],
    ['new_message({}, room)', 'new_message', [{}, 'ROOM']],
    ['new_message(text) with no room', 'new_message', ['hi']],
    ['new_message(text, 7)', 'new_message', ['hi', 7]],
  ])('refuses %s with invalid_payload', async (_, event, args) => {
    const seen = record(b, 'new_message');
    const [ack] = await request(outsider, event, ...args.map((x) => (x === 'ROOM' ? room : x)));
    expect(isError(ack, 'invalid_payload')).toBe(true);
    await onlyMarkerArrives('new_message', seen);
    await stillConnected(outsider);
  });

  it.each([
    ['new_message', ['ROOM']],
    ['enter_room', []],
  ])('answers a binary %s with invalid_payload in its ack', async (event, rest) => {
    // socket.io-client sends a Buffer as a binary attachment (a BINARY_EVENT
    // packet), which the course's contract never carries.
    const seen = record(b, 'new_message');
    const [ack] = await request(a, event, Buffer.from('hi'), ...rest.map((x) => (x === 'ROOM' ? room : x)));
    expect(ack).toMatchObject({ error: { code: 'invalid_payload', message: expect.any(String) } });
    await onlyMarkerArrives('new_message', seen);
    await stillConnected(a);
  });

  it('refuses a ninth room for one socket with too_many_rooms, and lets it back into its own', async () => {
    // `a` is in `room`; seven more make eight.
    for (let i = 0; i < 7; i += 1) expect(isDone(await request(a, 'enter_room', uniqueRoom('mine')))).toBe(true);
    const ninth = uniqueRoom('ninth');
    const [ack] = await request(a, 'enter_room', ninth);
    expect(ack).toMatchObject({ error: { code: 'too_many_rooms', message: expect.any(String) } });
    const refused = next(a, 'error');
    a.emit('join_room', ninth);
    expect((await refused)[0]).toMatchObject({ event: 'join_room', code: 'too_many_rooms' });
    const [notIn] = await request(a, 'new_message', 'here?', ninth);
    expect(isError(notIn, 'not_in_room')).toBe(true);
    // A room it is already in is no ninth room.
    expect(isDone(await request(a, 'join_room', room))).toBe(true);
    // Other sockets are not limited by a's rooms.
    expect(isDone(await request(outsider, 'enter_room', ninth))).toBe(true);
  });

  it.each([
    ['nickname(42)', 'nickname', [42]],
    ['offer without a room', 'offer', [sdp]],
    ['ice(candidate, 3)', 'ice', [sdp, 3]],
  ])('refuses %s with an invalid_payload error event', async (_, event, args) => {
    const refused = next(a, 'error');
    a.emit(event, ...args);
    const [body] = await refused;
    expect(body).toEqual({ event, code: 'invalid_payload', message: expect.any(String) });
    await stillConnected(a);
  });
});
