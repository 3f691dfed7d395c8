/**
 * Bad input on `/moim`: typed error acks, nothing delivered, socket kept; a full
 * room (this file's server allows 2 people per room); and rooms that must not
 * leak between the course namespace and `/moim`.
 */
import { describe, expect, it } from 'vitest';

import { next, nextMatching, record, request } from '../support/sio';
import { hasCount, isError, listMeeting, listsNone, listsRooms, uniqueRoom, useHarness } from './harness';

const h = useHarness(['--room-size', '2']);
const NS = '/moim';

const refusedWith = (code: string) => ({ error: { code, message: expect.any(String) } });

describe('/moim refusals', () => {
  it.each([
    ['an empty name', { room: 'ROOM', name: '' }, 'invalid_name'],
    ['a blank name', { room: 'ROOM', name: '   ' }, 'invalid_name'],
    ['a 33-character name', { room: 'ROOM', name: 'n'.repeat(33) }, 'invalid_name'],
    ['an empty room', { room: '', name: 'Mina' }, 'invalid_room'],
    ['a 65-character room', { room: 'r'.repeat(65), name: 'Mina' }, 'invalid_room'],
    ['no name', { room: 'ROOM' }, 'invalid_payload'],
    ['no room', { name: 'Mina' }, 'invalid_payload'],
    ['a numeric room', { room: 7, name: 'Mina' }, 'invalid_payload'],
    ['a string payload', 'ROOM', 'invalid_payload'],
    ['no payload', undefined, 'invalid_payload'],
  ])('refuses a join with %s, announcing nothing', async (_, payload, code) => {
    const [member, other, joiner] = await h.sockets(3, NS);
    const room = uniqueRoom();
    await request(member!, 'join', { room, name: 'Jun' });
    const joined = record(member!, 'participant-joined');
    const fill = (p: unknown) =>
      typeof p === 'object' && p !== null ? Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v === 'ROOM' ? room : v])) : p === 'ROOM' ? room : p;
    const args = payload === undefined ? [] : [fill(payload)];
    const [ack] = await request(joiner!, 'join', ...args);
    expect(ack).toEqual(refusedWith(code));

    // The refused socket is in no room; a later real join is the only news.
    expect(await request(joiner!, 'chat', { text: 'hi' })).toEqual([refusedWith('not_in_room')]);
    const marker = next(member!, 'participant-joined');
    await request(other!, 'join', { room, name: 'Ara' });
    await marker;
    expect(joined.events).toEqual([[expect.objectContaining({ participant: expect.objectContaining({ name: 'Ara' }) })]]);
    expect(joiner!.connected).toBe(true);
  });

  it('accepts a 32-character name and a 64-character room', async () => {
    const [a] = await h.sockets(1, NS);
    const room = `${uniqueRoom()}-`.padEnd(64, 'r');
    const name = '가'.repeat(32);
    const [ack] = await request(a!, 'join', { room, name });
    expect(ack).toMatchObject({ ok: { room, you: { name } } });
  });

  it('refuses chat before joining with not_in_room', async () => {
    const [a] = await h.sockets(1, NS);
    expect(await request(a!, 'chat', { text: 'hello?' })).toEqual([refusedWith('not_in_room')]);
    expect(a!.connected).toBe(true);
  });

  it.each([
    ['an empty text', [{ text: '' }], 'invalid_message'],
    ['a blank text', [{ text: ' \n ' }], 'invalid_message'],
    ['4001 characters', [{ text: 'x'.repeat(4001) }], 'invalid_message'],
    ['no text', [{}], 'invalid_payload'],
    ['a numeric text', [{ text: 5 }], 'invalid_payload'],
    ['a string payload', ['hi'], 'invalid_payload'],
  ])('refuses chat with %s, delivering nothing', async (_, args, code) => {
    const [a, b] = await h.sockets(2, NS);
    const room = uniqueRoom();
    await request(a!, 'join', { room, name: 'Mina' });
    await request(b!, 'join', { room, name: 'Jun' });
    const seen = record(b!, 'chat');
    expect(await request(a!, 'chat', ...args)).toEqual([refusedWith(code)]);
    const marker = next(b!, 'chat');
    await request(a!, 'chat', { text: 'marker' });
    await marker;
    expect(seen.events).toEqual([[expect.objectContaining({ text: 'marker' })]]);
    expect(a!.connected).toBe(true);
  });

  it('accepts a chat of exactly 4000 characters', async () => {
    const [a, b] = await h.sockets(2, NS);
    const room = uniqueRoom();
    await request(a!, 'join', { room, name: 'Mina' });
    await request(b!, 'join', { room, name: 'Jun' });
    const text = 'y'.repeat(4000);
    const arrived = next(b!, 'chat');
    expect(await request(a!, 'chat', { text })).toEqual([{ ok: { ts: expect.any(Number), id: expect.any(Number) } }]);
    expect(await arrived).toEqual([expect.objectContaining({ text })]);
  });

  it('refuses leave when in no room with not_in_room', async () => {
    const [a] = await h.sockets(1, NS);
    expect(await request(a!, 'leave')).toEqual([refusedWith('not_in_room')]);
    await request(a!, 'join', { room: uniqueRoom(), name: 'Mina' });
    expect(await request(a!, 'leave')).toEqual([{ ok: {} }]);
    expect(await request(a!, 'leave')).toEqual([refusedWith('not_in_room')]);
    expect(a!.connected).toBe(true);
  });

  it('refuses a third person in a room of two with room_full, announcing nothing', async () => {
    const [a, b, c, watcher] = await h.sockets(4, NS);
    const room = uniqueRoom();
    const full = nextMatching(watcher!, 'rooms', hasCount(room, 2));
    await request(a!, 'join', { room, name: 'Mina' });
    await listMeeting(a!);
    const bIn = next(a!, 'participant-joined');
    await request(b!, 'join', { room, name: 'Jun' });
    await Promise.all([full, bIn]);
    const joinedA = record(a!, 'participant-joined');
    const joinedB = record(b!, 'participant-joined');
    const listed = record(watcher!, 'rooms');

    expect(await request(c!, 'join', { room, name: 'Ara' })).toEqual([refusedWith('room_full')]);
    expect(await request(c!, 'chat', { text: 'let me in' })).toEqual([refusedWith('not_in_room')]);

    // The two still talk to each other, and saw no one join.
    const atB = next(b!, 'chat');
    await request(a!, 'chat', { text: 'just us' });
    expect(await atB).toEqual([expect.objectContaining({ from: expect.objectContaining({ name: 'Mina' }), text: 'just us' })]);
    const atA = next(a!, 'chat');
    await request(b!, 'chat', { text: 'yes' });
    expect(await atA).toEqual([expect.objectContaining({ text: 'yes' })]);
    expect(joinedA.events).toEqual([]);
    expect(joinedB.events).toEqual([]);
    // Marker for the room list: another room's creation is its next change.
    const marker = uniqueRoom('marker');
    const next_ = nextMatching(watcher!, 'rooms', hasCount(marker, 1));
    await request(c!, 'join', { room: marker, name: 'Ara' });
    await listMeeting(c!);
    await next_;
    for (const [list] of listed.events) expect(hasCount(room, 2)(list)).toBe(true);
    expect(c!.connected).toBe(true);
  });
});

describe('namespaces keep their rooms apart', () => {
  it('does not list a course room on /moim', async () => {
    const [course] = await h.sockets(1, '/');
    const [meet, watcher] = await h.sockets(2, NS);
    const room = uniqueRoom('shared');
    const lists = record(watcher!, 'rooms');
    await request(course!, 'enter_room', room);
    const marker = uniqueRoom('marker');
    const markerListed = nextMatching(watcher!, 'rooms', hasCount(marker, 1));
    await request(meet!, 'join', { room: marker, name: 'Mina' });
    await listMeeting(meet!);
    await markerListed;
    for (const [list] of lists.events) expect(hasCount(room, 0)(list)).toBe(true);
  });

  it('does not list a /moim room in room_change, and keeps same-named rooms separate', async () => {
    const [meet, meetMate] = await h.sockets(2, NS);
    const [course, courseMate, watcher] = await h.sockets(3, '/');
    const room = uniqueRoom('shared');
    const lists = record(watcher!, 'room_change');
    await request(meet!, 'join', { room, name: 'Mina' });
    await request(meetMate!, 'join', { room, name: 'Jun' });
    const marker = uniqueRoom('marker');
    const markerListed = nextMatching(watcher!, 'room_change', listsRooms(marker));
    await request(course!, 'enter_room', marker);
    await markerListed;
    for (const [list] of lists.events) expect(listsNone(room)(list)).toBe(true);

    // A course room of the same name is a different room: no news crosses over.
    const meetNews = record(meet!, 'participant-joined');
    await request(course!, 'enter_room', room);
    const welcome = next(course!, 'welcome');
    await request(courseMate!, 'enter_room', room);
    expect(await welcome).toEqual(['Anon', 2]);
    const courseChat = record(courseMate!, 'new_message');
    const meetChat = next(meetMate!, 'chat');
    await request(meet!, 'chat', { text: 'moim only' });
    await meetChat;
    const courseMarker = next(courseMate!, 'new_message');
    await request(course!, 'new_message', 'course only', room);
    expect(await courseMarker).toEqual(['Anon: course only']);
    expect(courseChat.events).toEqual([['Anon: course only']]);
    expect(meetNews.events).toEqual([]);
    expect(isError((await request(course!, 'new_message', 'x', uniqueRoom()))[0], 'not_in_room')).toBe(true);
  });
});
