import { beforeEach, describe, expect, it } from 'vitest';
import type { HistoryPage, JoinIn, MeetingSettings } from './protocol';
import { RoomSession } from './session';
import { SignalClient } from './signal';
import { FakeSocket } from './testing/fakeSocket';

const limits = { name: 32, room: 64, message: 4000, roomSize: 50, meshSize: 6, sdp: 65536, file: 104857600 };
const guest = { audio: true, video: true, screen: false, role: 'guest' as const, hand: null, audioLocked: false };
const jun = { id: 'p_jun', name: 'Jun', ...guest, joined: 1, role: 'host' as const };
const open: MeetingSettings = { listed: false, locked: false, hasPasscode: false, allowUnmute: false };
const KEY = 'k'.repeat(32);

function okJoin(payload: unknown, role: 'host' | 'guest' = 'guest') {
  const history: HistoryPage = { messages: [], more: false };
  const { room, name, audio = true, video = true } = payload as JoinIn;
  const you = { id: 'p_1', name, ...guest, audio, video, joined: 2, role };
  return { ok: { room, you, participants: [jun], seq: 2, iceServers: [], limits, history, mode: 'mesh', meeting: open, lobby: [] } };
}

const refuse = (code: string) => ({ error: { code, message: code } });
const flush = () => new Promise<void>((r) => setTimeout(r, 0));

describe('RoomSession, hosts and guests', () => {
  let socket: FakeSocket;
  let session: RoomSession;

  beforeEach(() => {
    socket = new FakeSocket();
    session = new RoomSession(new SignalClient(socket, { timeoutMs: 1000 }), { key: KEY, invite: 'tok' });
    socket.open();
  });

  async function joinAs(role: 'host' | 'guest' = 'guest') {
    socket.autoReply('join', (p) => okJoin(p, role));
    expect(await session.join('standup', 'Mina')).toBe(true);
  }

  it('sends the browser key and the invitation in every join, and the passcode once given', async () => {
    const first = session.join('standup', 'Mina');
    socket.reply('join', refuse('passcode_required'));
    expect(await first).toBe(false);
    expect(socket.sentOf('join')[0]?.payload).toEqual({ room: 'standup', name: 'Mina', key: KEY, invite: 'tok' });
    expect(session.getSnapshot()).toMatchObject({ phase: 'home', joinError: { code: 'passcode_required' } });

    socket.autoReply('join', (p) => okJoin(p));
    expect(await session.join('standup', 'Mina', undefined, '4821')).toBe(true);
    expect(socket.sentOf('join')[1]?.payload).toEqual({ room: 'standup', name: 'Mina', key: KEY, passcode: '4821', invite: 'tok' });
    expect(session.getSnapshot().room).toMatchObject({ meeting: open, lobby: [] });
  });

  it('knocks on a locked meeting, waits, and joins by itself once admitted', async () => {
    const joined = session.join('standup', 'Eun', { audio: false, video: true });
    socket.reply('join', refuse('locked'));
    await flush();
    expect(socket.sentOf('knock')[0]?.payload).toEqual({ room: 'standup', name: 'Eun', key: KEY });
    socket.reply('knock', { ok: {} });
    expect(await joined).toBe(false);
    expect(session.getSnapshot()).toMatchObject({ phase: 'lobby', room: null, joinError: null, waiting: { room: 'standup', name: 'Eun' } });

    socket.autoReply('join', (p) => okJoin(p));
    socket.push('admitted', { room: 'standup', by: 'Jun' });
    expect(session.getSnapshot().waiting?.admitted).toBe(true);
    await flush();
    expect(socket.sentOf('join')[1]?.payload).toMatchObject({ room: 'standup', name: 'Eun', audio: false, video: true, key: KEY });
    expect(session.getSnapshot()).toMatchObject({ phase: 'room', waiting: null, room: { name: 'standup' } });
  });

  it('says so when the host turns the knock away, and cancelling withdraws it', async () => {
    socket.autoReply('join', () => refuse('locked'));
    socket.autoReply('knock', () => ({ ok: {} }));
    await session.join('standup', 'Eun');
    socket.push('denied', { room: 'standup', by: 'Jun' });
    expect(session.getSnapshot()).toMatchObject({ phase: 'home', waiting: null, notice: { kind: 'denied', room: 'standup', by: 'Jun' } });

    await session.join('standup', 'Eun');
    expect(session.getSnapshot().notice).toBeNull();
    expect(session.getSnapshot().phase).toBe('lobby');
    session.leave();
    expect(session.getSnapshot()).toMatchObject({ phase: 'home', waiting: null });
    expect(socket.sentOf('leave')).toHaveLength(1);
  });

  it('leaves the call when removed, and shows the removal again when refused on rejoining', async () => {
    await joinAs();
    socket.push('removed', { room: 'standup', by: 'Jun' });
    expect(session.getSnapshot()).toMatchObject({ phase: 'home', room: null, notice: { kind: 'removed', by: 'Jun' } });

    socket.autoReply('join', () => refuse('removed'));
    expect(await session.join('standup', 'Mina')).toBe(false);
    expect(session.getSnapshot()).toMatchObject({ phase: 'home', notice: { kind: 'removed', room: 'standup' }, joinError: null });
    // A removed person may ask to be let in.
    socket.autoReply('knock', () => ({ ok: {} }));
    await session.knock('standup', 'Mina');
    expect(session.getSnapshot()).toMatchObject({ phase: 'lobby', notice: null });
  });

  it('rejoins after a reconnect with the same key and passcode, and knocks again if now locked out', async () => {
    socket.autoReply('join', (p) => okJoin(p));
    await session.join('standup', 'Mina', undefined, '4821');
    socket.drop();
    socket.autoReply('join', () => refuse('locked'));
    socket.autoReply('knock', () => ({ ok: {} }));
    socket.open();
    await flush();
    expect(socket.sentOf('join')[1]?.payload).toMatchObject({ room: 'standup', name: 'Mina', key: KEY, passcode: '4821' });
    expect(socket.sentOf('knock')[0]?.payload).toEqual({ room: 'standup', name: 'Mina', key: KEY, passcode: '4821' });
    expect(session.getSnapshot()).toMatchObject({ phase: 'lobby', room: null, waiting: { room: 'standup', name: 'Mina' } });
  });

  it('ends for everyone with the ended notice', async () => {
    await joinAs();
    socket.push('ended', { room: 'other', by: 'Jun' });
    expect(session.getSnapshot().phase).toBe('room');
    socket.push('ended', { room: 'standup', by: 'Jun' });
    expect(session.getSnapshot()).toMatchObject({ phase: 'home', notice: { kind: 'ended', room: 'standup', by: 'Jun' } });
  });

  it('follows the settings, the lobby and roles', async () => {
    await joinAs('host');
    const locked = { ...open, locked: true, listed: true };
    socket.push('meeting-updated', { meeting: locked, by: 'Ara' });
    const eun = { id: 'p_eun', name: 'Eun', since: 5, removed: false };
    socket.push('lobby', { waiting: [eun] });
    expect(session.getSnapshot().room).toMatchObject({ meeting: locked, lobby: [eun] });
    // A malformed push is dropped.
    socket.push('lobby', { waiting: [{ id: 1 }] });
    expect(session.getSnapshot().room?.lobby).toEqual([eun]);
    // Our own update carries our role and hand, not our media.
    const you = session.getSnapshot().room!.you;
    socket.push('participant-updated', { participant: { ...you, role: 'cohost', hand: 7, audio: false } });
    expect(session.getSnapshot().room?.you).toMatchObject({ role: 'cohost', hand: 7, audio: true });
  });

  it('shows a host’s mute at once and tells whoever listens', async () => {
    await joinAs();
    const seen: string[] = [];
    session.on('moderated', (ev) => seen.push(`${ev.action} by ${ev.by}`));
    socket.push('moderated', { action: 'mute', by: 'Jun' });
    expect(seen).toEqual(['mute by Jun']);
    expect(session.getSnapshot().room?.you).toMatchObject({ audio: false, audioLocked: true });
    socket.push('moderated', { action: 'allow-speak', by: 'Jun' });
    expect(session.getSnapshot().room?.you.audioLocked).toBe(false);
    socket.push('moderated', { action: 'make-cohost', by: 'Jun' });
    expect(session.getSnapshot().room?.you.role).toBe('cohost');
  });

  it('sends the hosts’ requests and reports refusals as codes', async () => {
    await joinAs('host');
    const settings = session.actions.settings({ locked: true, passcode: '' });
    const meeting = { ...open, locked: true };
    expect(socket.reply('settings', { ok: { meeting, by: 'Mina' } }).payload).toEqual({ locked: true, passcode: '' });
    expect(await settings).toBeNull();
    expect(session.getSnapshot().room?.meeting).toEqual(meeting);

    const mute = session.actions.moderate('mute', 'p_jun');
    expect(socket.reply('moderate', refuse('hosts_only')).payload).toEqual({ action: 'mute', participant: 'p_jun' });
    expect(await mute).toMatchObject({ code: 'hosts_only' });

    socket.autoReply('moderate', () => ({ ok: {} }));
    expect(await session.actions.moderate('mute-all')).toBeNull();
    expect(socket.sentOf('moderate')[1]?.payload).toEqual({ action: 'mute-all' });

    // Removed: out of our room at once (the server tells only the others).
    expect(await session.actions.moderate('remove', 'p_jun')).toBeNull();
    expect(session.getSnapshot().room).toMatchObject({ participants: [], count: 1 });

    socket.autoReply('admit', () => ({ ok: {} }));
    socket.autoReply('deny', () => ({ ok: {} }));
    await session.actions.admit('all');
    await session.actions.deny('p_eun');
    expect(socket.sentOf('admit')[0]?.payload).toEqual({ all: true });
    expect(socket.sentOf('deny')[0]?.payload).toEqual({ participant: 'p_eun' });

    socket.autoReply('end', () => ({ ok: {} }));
    expect(await session.actions.end()).toBeNull();
  });

  it('raises and lowers the hand, and passes reactions on', async () => {
    await joinAs();
    socket.autoReply('hand', () => ({ ok: {} }));
    expect(await session.actions.hand(true)).toBeNull();
    expect(socket.sentOf('hand')[0]?.payload).toEqual({ raised: true });
    expect(session.getSnapshot().room?.you.hand).toEqual(expect.any(Number));
    await session.actions.hand(false);
    expect(session.getSnapshot().room?.you.hand).toBeNull();
    // An ack that carries us gives the server's time.
    socket.autoReply('hand', () => ({ ok: { participant: { ...session.getSnapshot().room!.you, hand: 777 } } }));
    await session.actions.hand(true);
    expect(session.getSnapshot().room?.you.hand).toBe(777);

    const reactions: string[] = [];
    session.on('reaction', (r) => reactions.push(`${r.participant} ${r.emoji}`));
    socket.autoReply('react', () => ({ ok: {} }));
    expect(await session.actions.react('🎉')).toBeNull();
    socket.push('reaction', { participant: 'p_1', emoji: '🎉' });
    expect(reactions).toEqual(['p_1 🎉']);
  });

  it('refuses meeting requests outside a meeting without sending', async () => {
    expect(await session.actions.hand(true)).toEqual({ code: 'not_in_room' });
    expect(socket.sentOf('hand')).toHaveLength(0);
  });
});
