/**
 * moim's own meeting protocol on `/moim` (docs/protocol.md): the room list,
 * join / leave / disconnect with their membership events and sequence numbers,
 * and chat. Over both transports.
 */
import { describe, expect, it } from 'vitest';

import { next, nextMatching, record, request } from '../support/sio';
import { hasCount, joinMeet, listMeeting, TRANSPORTS, uniqueRoom, useHarness } from './harness';

/** A participant who joined without asking for camera or microphone off. */
const MEDIA_ON = { audio: true, video: true, screen: false };
/** The roles of a meeting's starter and of everyone after (no hand up, not held muted). */
const HOST = { role: 'host', hand: null, audioLocked: false };
const GUEST = { role: 'guest', hand: null, audioLocked: false };

const h = useHarness();
const NS = '/moim';

describe.each(TRANSPORTS)('/moim over %s', (transport) => {
  const sockets = (n: number) => h.sockets(n, NS, transport);

  it('sends the room list with counts right after connecting', async () => {
    const [a, b] = await sockets(2);
    const room = uniqueRoom();
    await joinMeet(a!, room, 'Mina');
    await listMeeting(a!);
    await joinMeet(b!, room, 'Jun');
    const { socket, events } = await h.socketRecording('rooms', NS, transport);
    const [list] = events[0] ?? (await next(socket, 'rooms'));
    expect(list).toEqual(expect.arrayContaining([{ name: room, count: 2, full: false, locked: false }]));
  });

  it('answers join with you, the others, seq and limits, and tells the others', async () => {
    const [a, b] = await sockets(2);
    const room = uniqueRoom();
    const [first] = await request(a!, 'join', { room, name: '  Mina ' });
    const mina = (first as { ok: { you: { id: string } } }).ok.you.id;
    // A participant id of its own: never the socket's (Engine.IO session) id.
    expect(mina).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(mina).not.toBe(a!.id);
    expect(first).toEqual({
      ok: {
        room,
        you: { id: mina, name: 'Mina', ...MEDIA_ON, joined: 1, ...HOST },
        participants: [],
        seq: 1,
        iceServers: [],
        limits: { name: 32, room: 64, message: 4000, roomSize: 50, meshSize: 6, sdp: 65536, file: 104857600 },
        history: { messages: [], more: false },
        mode: 'mesh',
        meeting: { listed: false, locked: false, hasPasscode: false, allowUnmute: true },
        lobby: [],
      },
    });

    const joined = next(a!, 'participant-joined');
    const [second] = await request(b!, 'join', { room, name: 'Jun' });
    const jun = (second as { ok: { you: { id: string } } }).ok.you.id;
    expect(jun).not.toBe(b!.id);
    expect(second).toMatchObject({
      ok: {
        room,
        you: { id: jun, name: 'Jun', ...MEDIA_ON, joined: 2, ...GUEST },
        participants: [{ id: mina, name: 'Mina', ...MEDIA_ON, joined: 1, ...HOST }],
        seq: 2,
      },
    });
    expect(await joined).toEqual([{ participant: { id: jun, name: 'Jun', ...MEDIA_ON, joined: 2, ...GUEST }, count: 2, seq: 2, mode: 'mesh' }]);
  });

  it('updates every socket’s room list with the count, coalesced or not', async () => {
    const [a, b, c, idle] = await sockets(4);
    const room = uniqueRoom();
    const lists = [a!, b!, c!, idle!].map((s) => nextMatching(s, 'rooms', hasCount(room, 3)));
    await joinMeet(a!, room, 'A');
    await listMeeting(a!);
    await joinMeet(b!, room, 'B');
    await joinMeet(c!, room, 'C');
    await Promise.all(lists);

    const after = [a!, b!, idle!].map((s) => nextMatching(s, 'rooms', hasCount(room, 2)));
    c!.disconnect();
    await Promise.all(after);
    const gone = nextMatching(idle!, 'rooms', hasCount(room, 0));
    await request(a!, 'leave');
    await request(b!, 'leave');
    await gone;
  });

  it('relays chat to the others in the room with the sender and the ack’s ts', async () => {
    const [a, b, c, d, e] = await sockets(5);
    const room = uniqueRoom();
    const otherRoom = uniqueRoom();
    const you = await joinMeet(a!, room, 'Mina');
    await joinMeet(b!, room, 'Jun');
    await joinMeet(c!, room, 'Ara');
    await joinMeet(d!, otherRoom, 'Dan');
    await joinMeet(e!, otherRoom, 'Eun');
    const atSender = record(a!, 'chat');
    const elsewhere = record(d!, 'chat');

    const atB = next(b!, 'chat');
    const atC = next(c!, 'chat');
    const [ack] = await request(a!, 'chat', { text: '<b>hi</b> & 안녕' });
    expect(ack).toEqual({ ok: { ts: expect.any(Number), id: expect.any(Number) } });
    const { ts, id } = (ack as { ok: { ts: number; id: number } }).ok;
    expect(Math.abs(ts - Date.now())).toBeLessThan(60_000);
    const message = { from: { id: you.you.id, name: 'Mina', ...MEDIA_ON, joined: 1, ...HOST }, text: '<b>hi</b> & 안녕', ts, id };
    expect(you.you).toEqual(message.from);
    expect(await atB).toEqual([message]);
    expect(await atC).toEqual([message]);

    // Markers: a reply reaches a, a chat in the other room reaches d.
    const reply = next(a!, 'chat');
    await request(b!, 'chat', { text: 'reply' });
    expect(await reply).toEqual([expect.objectContaining({ text: 'reply' })]);
    expect(atSender.events).toHaveLength(1);
    const marker = next(d!, 'chat');
    await request(e!, 'chat', { text: 'marker' });
    expect(await marker).toEqual([expect.objectContaining({ text: 'marker' })]);
    expect(elsewhere.events).toHaveLength(1);
  });

  it('answers leave with ok and tells the others; the leaver can no longer chat', async () => {
    const [a, b] = await sockets(2);
    const room = uniqueRoom();
    await joinMeet(a!, room, 'Mina');
    const J = await joinMeet(b!, room, 'Jun');
    const left = next(a!, 'participant-left');
    expect(await request(b!, 'leave')).toEqual([{ ok: {} }]);
    expect(await left).toEqual([{ participant: { id: J.you.id, name: 'Jun', ...MEDIA_ON, joined: 2, ...GUEST }, count: 1, seq: 3, mode: 'mesh' }]);
    const [refused] = await request(b!, 'chat', { text: 'still here?' });
    expect(refused).toMatchObject({ error: { code: 'not_in_room' } });
  });

  it('tells the room when someone disconnects, with the count after leaving', async () => {
    const [a, b, c] = await sockets(3);
    const room = uniqueRoom();
    await joinMeet(a!, room, 'Mina');
    await joinMeet(b!, room, 'Jun');
    await joinMeet(c!, room, 'Ara');
    const atA = next(a!, 'participant-left');
    const atB = next(b!, 'participant-left');
    c!.disconnect();
    const expected = [{ participant: { id: expect.any(String), name: 'Ara', ...MEDIA_ON, joined: 3, ...GUEST }, count: 2, seq: 4, mode: 'mesh' }];
    expect(await atA).toEqual(expected);
    expect(await atB).toEqual(expected);
  });

  it('leaves the first room when joining a second one', async () => {
    const [a, b, c] = await sockets(3);
    const first = uniqueRoom();
    const second = uniqueRoom();
    await joinMeet(a!, first, 'Mina');
    await listMeeting(a!);
    const J = await joinMeet(b!, first, 'Jun');
    const Ara = await joinMeet(c!, second, 'Ara');
    await listMeeting(c!);
    const left = next(a!, 'participant-left');
    const arrived = next(c!, 'participant-joined');
    const lists = nextMatching(a!, 'rooms', (l) => hasCount(first, 1)(l) && hasCount(second, 2)(l));
    const moved = await joinMeet(b!, second, 'Jun');
    expect(moved.participants).toEqual([{ id: Ara.you.id, name: 'Ara', ...MEDIA_ON, joined: 1, ...HOST }]);
    // One socket, one participant id, from one meeting to the next.
    expect(moved.you.id).toBe(J.you.id);
    expect(await left).toEqual([{ participant: { id: J.you.id, name: 'Jun', ...MEDIA_ON, joined: 2, ...GUEST }, count: 1, seq: 3, mode: 'mesh' }]);
    expect(await arrived).toEqual([{ participant: { id: J.you.id, name: 'Jun', ...MEDIA_ON, joined: 2, ...GUEST }, count: 2, seq: 2, mode: 'mesh' }]);
    await lists;

    // b's chat now reaches the second room only (marker: a's own room-mate is gone).
    const atA = record(a!, 'chat');
    const atC = next(c!, 'chat');
    await request(b!, 'chat', { text: 'moved' });
    expect(await atC).toEqual([expect.objectContaining({ text: 'moved' })]);
    const [alone] = await request(a!, 'chat', { text: 'anyone?' });
    expect(alone).toEqual({ ok: { ts: expect.any(Number), id: expect.any(Number) } });
    expect(atA.events).toEqual([]);
  });

  it('numbers joins and leaves one by one; participant-joined carries the joiner’s ack seq', async () => {
    const [a, b, c] = await sockets(3);
    const room = uniqueRoom();
    const seen: number[] = [];
    const remember = (event: unknown) => seen.push((event as { seq: number }).seq);
    expect((await joinMeet(a!, room, 'A')).seq).toBe(1);
    a!.on('participant-joined', remember);
    a!.on('participant-left', remember);

    const bJoined = next(a!, 'participant-joined');
    const bAck = await joinMeet(b!, room, 'B');
    expect((await bJoined)[0]).toMatchObject({ seq: bAck.seq });
    const cJoined = next(a!, 'participant-joined');
    const cAck = await joinMeet(c!, room, 'C');
    expect((await cJoined)[0]).toMatchObject({ seq: cAck.seq });

    const bLeft = next(a!, 'participant-left');
    await request(b!, 'leave');
    await bLeft;
    const bBack = next(a!, 'participant-joined');
    const again = await joinMeet(b!, room, 'B');
    expect((await bBack)[0]).toMatchObject({ seq: again.seq });
    const cGone = next(a!, 'participant-left');
    c!.disconnect();
    await cGone;

    expect([bAck.seq, cAck.seq, again.seq]).toEqual([2, 3, 5]);
    expect(seen).toEqual([2, 3, 4, 5, 6]);
  });
});
