/**
 * RoomSession and the room's chat history, as wired to the network: the
 * join's first page before the live lines, the `history` request, the page a
 * rejoin brings. The log's own rules (no message twice, paging, refusals)
 * are tested on `ChatLog` itself in `chatLog.test.ts`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { HistoryPage, JoinIn } from './protocol';
import { RoomSession } from './session';
import { SignalClient } from './signal';
import { FakeSocket } from './testing/fakeSocket';

const limits = { name: 32, room: 64, message: 4000, roomSize: 50, meshSize: 6, sdp: 65536, file: 104857600 };
const jun = { id: 'p_jun', name: 'Jun', audio: true, video: true, screen: false, joined: 1, role: 'guest' as const, hand: null, audioLocked: false };
const ara = { id: 'p_ara', name: 'Ara', audio: true, video: true, screen: false, joined: 3, role: 'guest' as const, hand: null, audioLocked: false };

/** A stored message as pages carry it: written by someone from an earlier connection. */
const stored = (id: number, name = 'Jun') => ({ id, from: { id: `old_${name}`, name }, text: `m${id}`, ts: 1000 + id });

const page = (ids: number[], more: boolean): HistoryPage => ({ messages: ids.map((id) => stored(id)), more });

function okJoin(payload: unknown, history: HistoryPage, n = 1) {
  const { room, name } = payload as JoinIn;
  const you = { id: `p_${n}`, name, audio: true, video: true, screen: false, joined: 2, role: 'guest' as const, hand: null, audioLocked: false };
  return { ok: { room, you, participants: [jun], seq: 2, iceServers: [], limits, history, mode: 'mesh', meeting: { listed: false, locked: false, hasPasscode: false, allowUnmute: true }, lobby: [] } };
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

/** The log as short strings: "m3" for a message, "+Ara" / "-Jun" for notices. */
function lines(session: RoomSession): string[] {
  return session.getSnapshot().log.map((e) => {
    switch (e.kind) {
      case 'self':
      case 'other':
        return e.text;
      case 'joined':
        return `+${e.participant.name}`;
      case 'left':
        return `-${e.participant.name}`;
      case 'error':
        return `!${e.error.code}`;
    }
  });
}

describe('RoomSession history', () => {
  let socket: FakeSocket;
  let session: RoomSession;

  beforeEach(() => {
    socket = new FakeSocket();
    session = new RoomSession(new SignalClient(socket, { timeoutMs: 1000 }));
    socket.open();
  });

  it('shows the join page, with names and times, before the notices that follow the join', async () => {
    const joined = session.join('standup', 'Mina');
    // Overtakes the ack, as the server may do.
    socket.push('participant-joined', { participant: ara, count: 3, seq: 3, mode: 'mesh' });
    socket.reply('join', okJoin(socket.sentOf('join')[0]?.payload, page([4, 7], false)));
    expect(await joined).toBe(true);
    expect(lines(session)).toEqual(['m4', 'm7', '+Ara']);
    expect(session.getSnapshot().log[0]).toMatchObject({
      kind: 'other',
      from: { name: 'Jun' },
      ts: 1004,
      msgId: 4,
      history: true,
    });
    expect(session.getSnapshot().room?.history).toEqual({ more: false, loading: false });
  });

  it('asks for older pages with the history request and shows the paging state in the room', async () => {
    socket.autoReply('join', (p) => okJoin(p, page([201, 202], true)));
    await session.join('standup', 'Mina');
    expect(session.getSnapshot().room?.history).toEqual({ more: true, loading: false });

    const older = session.loadOlder();
    expect(session.getSnapshot().room?.history.loading).toBe(true);
    expect(socket.sentOf('history').map((s) => s.payload)).toEqual([{ before: 201, limit: 100 }]);
    socket.reply('history', { ok: page([101], false) });
    expect(await older).toBe(true);
    expect(lines(session)).toEqual(['m101', 'm201', 'm202']);
    expect(session.getSnapshot().room?.history).toEqual({ more: false, loading: false });
    // Nothing older: no request.
    expect(await session.loadOlder()).toBe(false);
    expect(socket.sentOf('history')).toHaveLength(1);
  });

  it('asks for no page while the connection is down', async () => {
    socket.autoReply('join', (p) => okJoin(p, page([5], true)));
    await session.join('standup', 'Mina');
    socket.drop();
    expect(await session.loadOlder()).toBe(false);
    expect(socket.sentOf('history')).toHaveLength(0);
  });

  it('keeps the room object when only a line is added, so the room does not look changed', async () => {
    socket.autoReply('join', (p) => okJoin(p, page([], false)));
    await session.join('standup', 'Mina');
    const room = session.getSnapshot().room;
    socket.push('chat', { from: jun, text: 'hi', ts: 1, id: 1 });
    expect(lines(session)).toEqual(['hi']);
    expect(session.getSnapshot().room).toBe(room);
  });
  it('keeps the id of its own stored message, so the page after a rejoin does not repeat it', async () => {
    socket.autoReply('join', (p) => okJoin(p, page([], false)));
    await session.join('standup', 'Mina');
    const sent = session.send('mine');
    socket.reply('chat', { ok: { ts: 2000, id: 50 } });
    expect(await sent).toBe(true);
    expect(session.getSnapshot().log[0]).toMatchObject({ kind: 'self', msgId: 50 });

    // Dropped; meanwhile Jun said m51. The rejoin's page has both.
    socket.drop();
    socket.autoReply('join', (p) => okJoin(p, { messages: [{ ...stored(50, 'Mina'), text: 'mine' }, stored(51)], more: false }, 2));
    socket.open();
    await flush();
    expect(lines(session)).toEqual(['mine', 'm51']);
  });

  it('drops a page that is not shaped like one', async () => {
    socket.autoReply('join', (p) => okJoin(p, page([5], true)));
    await session.join('standup', 'Mina');
    const older = session.loadOlder();
    socket.reply('history', { ok: { messages: [{ id: 'x' }], more: false } });
    expect(await older).toBe(false);
    expect(lines(session)).toEqual(['m5', '!bad_response']);
  });
});
