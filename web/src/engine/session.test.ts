import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HistoryPage, JoinIn } from './protocol';
import { RoomSession } from './session';
import { SignalClient } from './signal';
import { FakeSocket } from './testing/fakeSocket';

const limits = { name: 32, room: 64, message: 4000, roomSize: 50, meshSize: 6, sdp: 65536, file: 104857600 };
const media = { audio: true, video: true, screen: false };
const jun = { id: 'p_jun', name: 'Jun', ...media, joined: 1, role: 'guest' as const, hand: null, audioLocked: false };
const ara = { id: 'p_ara', name: 'Ara', ...media, joined: 3, role: 'guest' as const, hand: null, audioLocked: false };
const iceServers = [{ urls: ['stun:stun.example.org:3478'] }];

/** What the server answers to a join: you are p_<n>, Jun is already there. */
function okJoin(payload: unknown, n = 1) {
  const history: HistoryPage = { messages: [], more: false };
  const { room, name, audio = true, video = true } = payload as JoinIn;
  const you = { id: `p_${n}`, name, audio, video, screen: false, joined: 2, role: 'guest' as const, hand: null, audioLocked: false };
  return { ok: { room, you, participants: [jun], seq: 2, iceServers, limits, history, mode: 'mesh', meeting: { listed: false, locked: false, hasPasscode: false, allowUnmute: true }, lobby: [] } };
}

/** Lets pending promise callbacks run. */
const flush = () => new Promise<void>((r) => setTimeout(r, 0));

describe('RoomSession', () => {
  let socket: FakeSocket;
  let session: RoomSession;

  beforeEach(() => {
    socket = new FakeSocket();
    session = new RoomSession(new SignalClient(socket, { timeoutMs: 1000 }));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function joinStandup() {
    socket.open();
    socket.autoReply('join', (p) => okJoin(p));
    expect(await session.join('  standup ', ' Mina ')).toBe(true);
  }

  it('starts at home, connecting, with no rooms', () => {
    const s = session.getSnapshot();
    expect(s).toMatchObject({ phase: 'home', connection: 'connecting', rooms: [], room: null, log: [] });
  });

  it('joins with trimmed names and enters the room', async () => {
    await joinStandup();
    expect(socket.sentOf('join')[0]?.payload).toEqual({ room: 'standup', name: 'Mina' });
    const s = session.getSnapshot();
    expect(s.phase).toBe('room');
    expect(s.room).toMatchObject({ name: 'standup', you: { name: 'Mina' }, participants: [jun], count: 2 });
    expect(s.joinError).toBeNull();
  });

  it('waits for the first connection before joining', async () => {
    const joined = session.join('standup', 'Mina');
    expect(session.getSnapshot().phase).toBe('joining');
    socket.autoReply('join', (p) => okJoin(p));
    socket.open();
    await expect(joined).resolves.toBe(true);
  });

  it('stays home with the reason when the join is refused', async () => {
    socket.open();
    const joined = session.join('standup', 'Mina');
    socket.reply('join', { error: { code: 'room_full', message: 'The room is full.' } });
    await expect(joined).resolves.toBe(false);
    const s = session.getSnapshot();
    expect(s.phase).toBe('home');
    expect(s.joinError).toEqual({ code: 'room_full', message: 'The room is full.' });
  });

  it('refuses bad names locally without sending', async () => {
    socket.open();
    expect(await session.join('standup', '   ')).toBe(false);
    expect(session.getSnapshot().joinError?.code).toBe('invalid_name');
    expect(await session.join('x'.repeat(65), 'Mina')).toBe(false);
    expect(session.getSnapshot().joinError?.code).toBe('invalid_room');
    expect(socket.sent).toHaveLength(0);
  });

  it('reports its own errors as codes only, for the UI to put into words', async () => {
    socket.open();
    await session.join('standup', '   ');
    expect(session.getSnapshot().joinError).toEqual({ code: 'invalid_name' });
    socket.autoReply('join', (p) => okJoin(p));
    await session.join('standup', 'Mina');
    await session.send('x'.repeat(4001));
    socket.drop();
    await session.send('lost');
    expect(session.getSnapshot().log.map((e) => e.kind === 'error' && e.error)).toEqual([
      { code: 'invalid_message' },
      { code: 'disconnected' },
    ]);
  });

  it('keeps the room list from rooms events', () => {
    const seen: number[] = [];
    session.subscribe(() => seen.push(session.getSnapshot().rooms.length));
    socket.push('rooms', [{ name: 'standup', count: 3 }, { name: 'family', count: 1 }]);
    socket.push('rooms', []);
    expect(seen).toEqual([2, 0]);
  });

  it('logs own messages after the ack, with the server time', async () => {
    await joinStandup();
    const sent = session.send('hello');
    expect(session.getSnapshot().log).toHaveLength(0);
    socket.reply('chat', { ok: { ts: 42 } });
    await expect(sent).resolves.toBe(true);
    expect(session.getSnapshot().log).toMatchObject([{ kind: 'self', text: 'hello', ts: 42 }]);
  });

  it('logs a refused message as an error line', async () => {
    await joinStandup();
    const sent = session.send('spam');
    socket.reply('chat', { error: { code: 'rate_limited', message: 'Slow down.' } });
    await expect(sent).resolves.toBe(false);
    expect(session.getSnapshot().log).toMatchObject([{ kind: 'error', error: { code: 'rate_limited' } }]);
  });

  it('refuses a too long message locally and ignores a blank one', async () => {
    await joinStandup();
    expect(await session.send('   ')).toBe(false);
    expect(session.getSnapshot().log).toHaveLength(0);
    expect(await session.send('가'.repeat(4001))).toBe(false);
    expect(session.getSnapshot().log).toMatchObject([{ kind: 'error', error: { code: 'invalid_message' } }]);
    // 4000 emoji are 8000 UTF-16 units but 4000 characters: allowed.
    void session.send('👋'.repeat(4000));
    expect(socket.sentOf('chat')).toHaveLength(1);
  });

  it('logs others and join/leave notices with counts, and keeps the count', async () => {
    await joinStandup();
    socket.push('chat', { from: jun, text: '<b>hi</b>', ts: 7 });
    socket.push('participant-joined', { participant: ara, count: 3, seq: 3, mode: 'mesh' });
    expect(session.getSnapshot().room?.count).toBe(3);
    expect(session.getSnapshot().room?.participants).toEqual([jun, ara]);
    socket.push('participant-left', { participant: jun, count: 2, seq: 4, mode: 'mesh' });
    const s = session.getSnapshot();
    expect(s.room?.count).toBe(2);
    expect(s.room?.participants).toEqual([ara]);
    expect(s.log).toMatchObject([
      { kind: 'other', from: jun, text: '<b>hi</b>', ts: 7 },
      { kind: 'joined', participant: ara, count: 3 },
      { kind: 'left', participant: jun, count: 2 },
    ]);
    expect(new Set(s.log.map((e) => e.id)).size).toBe(3);
  });

  it('applies membership events that overtake the join ack, once', async () => {
    socket.open();
    const joining = session.join('standup', 'Mina');
    // Ara joined after our snapshot (seq 3); the seq-2 event is already in it.
    socket.push('participant-joined', { participant: jun, count: 2, seq: 2, mode: 'mesh' });
    socket.push('participant-joined', { participant: ara, count: 3, seq: 3, mode: 'mesh' });
    socket.reply('join', okJoin(socket.sentOf('join')[0]?.payload));
    expect(await joining).toBe(true);
    const s = session.getSnapshot();
    expect(s.room?.participants).toEqual([jun, ara]);
    expect(s.room?.count).toBe(3);
    expect(s.log).toMatchObject([{ kind: 'joined', participant: ara, count: 3 }]);
    // A duplicate delivery changes nothing.
    socket.push('participant-joined', { participant: ara, count: 3, seq: 3, mode: 'mesh' });
    expect(session.getSnapshot().log).toHaveLength(1);
  });

  it('emits an entry event per log line', async () => {
    await joinStandup();
    const kinds: string[] = [];
    session.on('entry', (e) => kinds.push(e.kind));
    socket.push('participant-joined', { participant: ara, count: 3, seq: 3, mode: 'mesh' });
    expect(kinds).toEqual(['joined']);
  });

  it('ignores room events while at home', () => {
    socket.open();
    socket.push('chat', { from: jun, text: 'hi', ts: 1 });
    socket.push('participant-joined', { participant: ara, count: 3, seq: 3, mode: 'mesh' });
    expect(session.getSnapshot().log).toHaveLength(0);
  });

  it('leaves at once and tells the server', async () => {
    await joinStandup();
    socket.push('chat', { from: jun, text: 'hi', ts: 1 });
    session.leave();
    const s = session.getSnapshot();
    expect(s).toMatchObject({ phase: 'home', room: null, log: [] });
    expect(socket.sentOf('leave')).toHaveLength(1);
  });

  it('ignores a join answer that comes after leaving', async () => {
    socket.open();
    const joined = session.join('standup', 'Mina');
    session.leave();
    socket.reply('join', okJoin({ room: 'standup', name: 'Mina' }));
    await expect(joined).resolves.toBe(false);
    expect(session.getSnapshot().phase).toBe('home');
  });

  it('rejoins the same room with the same name after a reconnect, in place of its old connection, keeping the log', async () => {
    await joinStandup();
    socket.push('chat', { from: jun, text: 'before', ts: 1 });
    socket.drop();
    let s = session.getSnapshot();
    expect(s.connection).toBe('reconnecting');
    expect(s.room?.rejoining).toBe(true);
    expect(await session.send('lost')).toBe(false); // not sent while down
    expect(socket.sentOf('chat')).toHaveLength(0);

    socket.autoReply('join', (p) => okJoin(p, 2));
    socket.open();
    await flush();
    const joins = socket.sentOf('join');
    expect(joins).toHaveLength(2);
    // `replaces`: the old participant, if the server still lists it, gives way.
    expect(joins[1]?.payload).toEqual({ room: 'standup', name: 'Mina', replaces: 'p_1' });
    s = session.getSnapshot();
    expect(s.phase).toBe('room');
    expect(s.room).toMatchObject({ rejoining: false, you: { id: 'p_2' }, count: 2 });
    // The "not connected" line from while it was down is gone now that we are back.
    expect(s.log.map((e) => e.kind)).toEqual(['other']);
  });

  it('clears only the stale connection errors from the chat once the rejoin succeeds', async () => {
    await joinStandup();
    await session.send('x'.repeat(4001)); // invalid_message: still true after the reconnect
    socket.drop();
    await session.send('lost');
    expect(session.getSnapshot().log.map((e) => e.kind === 'error' && e.error.code)).toEqual(['invalid_message', 'disconnected']);
    socket.autoReply('join', (p) => okJoin(p, 2));
    socket.open();
    await flush();
    expect(session.getSnapshot().room?.rejoining).toBe(false);
    expect(session.getSnapshot().log.map((e) => e.kind === 'error' && e.error.code)).toEqual(['invalid_message']);
  });

  it('goes home with the reason when the rejoin is refused', async () => {
    await joinStandup();
    socket.drop();
    socket.autoReply('join', () => ({ error: { code: 'room_full', message: 'The room is full.' } }));
    socket.open();
    await flush();
    const s = session.getSnapshot();
    expect(s).toMatchObject({ phase: 'home', room: null, joinError: { code: 'room_full' } });
  });

  it('does not rejoin after a reconnect at home', async () => {
    socket.open();
    socket.drop();
    socket.open();
    await flush();
    expect(socket.sentOf('join')).toHaveLength(0);
  });

  it('sends the join again once reconnected when the connection dropped before its answer', async () => {
    // A click on "Join" during a network blip: the server forgot the first
    // join with the connection, so the session asks again rather than
    // leaving the person on the lobby with "Not connected to the server".
    socket.open();
    const joined = session.join('standup', 'Mina');
    await flush();
    expect(socket.sentOf('join')).toHaveLength(1);
    socket.drop();
    await flush();
    expect(session.getSnapshot().phase).toBe('joining');
    socket.autoReply('join', (p) => okJoin(p, 2));
    socket.open();
    await expect(joined).resolves.toBe(true);
    expect(socket.sentOf('join')).toHaveLength(2);
    expect(session.getSnapshot()).toMatchObject({ phase: 'room', joinError: null, room: { you: { id: 'p_2' } } });
  });

  it('gives up on a join whose connection does not come back in time', async () => {
    vi.useFakeTimers();
    socket.open();
    const joined = session.join('standup', 'Mina');
    await vi.advanceTimersByTimeAsync(0);
    socket.drop();
    await vi.advanceTimersByTimeAsync(1000);
    await expect(joined).resolves.toBe(false);
    expect(session.getSnapshot()).toMatchObject({ phase: 'home', joinError: { code: 'timeout' } });
    expect(socket.sentOf('join')).toHaveLength(1);
  });

  it('reports a join timeout as the join error', async () => {
    vi.useFakeTimers();
    socket.open();
    const joined = session.join('standup', 'Mina');
    await vi.advanceTimersByTimeAsync(1000);
    await expect(joined).resolves.toBe(false);
    expect(session.getSnapshot()).toMatchObject({ phase: 'home', joinError: { code: 'timeout' } });
  });

  it('reports a chat timeout as an error line', async () => {
    await joinStandup();
    vi.useFakeTimers();
    const sent = session.send('hello?');
    await vi.advanceTimersByTimeAsync(1000);
    await expect(sent).resolves.toBe(false);
    expect(session.getSnapshot().log).toMatchObject([{ kind: 'error', error: { code: 'timeout' } }]);
  });

  it('joins with a media state and keeps the ICE servers', async () => {
    socket.open();
    socket.autoReply('join', (p) => okJoin(p));
    expect(await session.join('standup', 'Mina', { audio: false, video: true })).toBe(true);
    expect(socket.sentOf('join')[0]?.payload).toEqual({ room: 'standup', name: 'Mina', audio: false, video: true });
    expect(session.getSnapshot().room).toMatchObject({ you: { audio: false, video: true }, iceServers });
  });

  it('applies participant-updated to the listed participant', async () => {
    await joinStandup();
    socket.push('participant-updated', { participant: { ...jun, audio: false, screen: true } });
    expect(session.getSnapshot().room?.participants).toEqual([{ ...jun, audio: false, screen: true }]);
    // Someone not in the room is ignored.
    socket.push('participant-updated', { participant: { ...ara, audio: false } });
    expect(session.getSnapshot().room?.participants).toHaveLength(1);
  });

  it('sends media changes as state and takes the answer as you', async () => {
    socket.open();
    socket.autoReply('join', (p) => okJoin(p));
    await session.join('standup', 'Mina', { audio: true, video: true });
    socket.autoReply('state', (p) => ({ ok: { participant: { id: 'p_1', name: 'Mina', ...media, joined: 2, role: 'guest' as const, hand: null, audioLocked: false, ...(p as object) } } }));
    expect(await session.setMedia({ audio: false })).toBe(true);
    expect(socket.sentOf('state')[0]?.payload).toEqual({ audio: false });
    expect(session.getSnapshot().room?.you).toMatchObject({ audio: false, video: true });
  });

  it('rejoins with the latest media state and then announces a screen share', async () => {
    socket.open();
    socket.autoReply('join', (p) => okJoin(p));
    await session.join('standup', 'Mina', { audio: true, video: true });
    socket.drop();
    // Changed while disconnected: not sent, but remembered.
    expect(await session.setMedia({ video: false, screen: true })).toBe(false);
    expect(socket.sentOf('state')).toHaveLength(0);
    socket.autoReply('join', (p) => okJoin(p, 2));
    socket.autoReply('state', (p) => ({ ok: { participant: { id: 'p_2', name: 'Mina', ...media, video: false, joined: 2, role: 'guest' as const, hand: null, audioLocked: false, ...(p as object) } } }));
    socket.open();
    await flush();
    expect(socket.sentOf('join')[1]?.payload).toEqual({ room: 'standup', name: 'Mina', audio: true, video: false, replaces: 'p_1' });
    expect(socket.sentOf('state').map((s) => s.payload)).toEqual([{ screen: true }]);
    await flush();
    expect(session.getSnapshot().room?.you).toMatchObject({ id: 'p_2', screen: true, video: false });
  });

  it('gives a new snapshot object on change and the same one otherwise', () => {
    const a = session.getSnapshot();
    expect(session.getSnapshot()).toBe(a);
    socket.open();
    expect(session.getSnapshot()).not.toBe(a);
  });
});

describe('RoomSession TURN credentials', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const turnFor = (expiresAtMs: number, tag: string) => [
    { urls: ['turn:moim.lan:3478?transport=udp'], username: `${Math.floor(expiresAtMs / 1000)}:${tag}`, credential: tag },
  ];

  it('fetches fresh ones halfway through their life while in a room, and stops on leaving', async () => {
    vi.useFakeTimers({ now: 1_000_000_000 });
    const socket = new FakeSocket();
    const session = new RoomSession(new SignalClient(socket, { timeoutMs: 1000 }));
    socket.open();
    const first = turnFor(Date.now() + 600_000, 'first');
    socket.autoReply('join', (p) => {
      const ok = okJoin(p).ok;
      return { ok: { ...ok, iceServers: first } };
    });
    let fresh = 0;
    socket.autoReply('ice-servers', () => {
      fresh += 1;
      return { ok: { iceServers: turnFor(Date.now() + 600_000, `fresh${fresh}`), relayOnJoin: false } };
    });
    const joined = session.join('standup', 'Mina');
    await vi.advanceTimersByTimeAsync(0);
    await expect(joined).resolves.toBe(true);
    expect(session.getSnapshot().room?.iceServers).toEqual(first);

    await vi.advanceTimersByTimeAsync(299_000);
    expect(fresh).toBe(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fresh).toBe(1);
    expect(session.getSnapshot().room?.iceServers[0]?.username).toMatch(/:fresh1$/);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(fresh).toBe(2);

    session.leave();
    await vi.advanceTimersByTimeAsync(900_000);
    expect(fresh).toBe(2);
  });
});
