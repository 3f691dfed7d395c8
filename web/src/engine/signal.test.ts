import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignalClient, SignalError, toClientError } from './signal';
import { FakeSocket } from './testing/fakeSocket';

const joinResult = {
  room: 'standup',
  you: { id: 'p_1', name: 'Mina', audio: true, video: true, screen: false, joined: 1, role: 'guest' as const, hand: null, audioLocked: false },
  participants: [],
  seq: 1,
  iceServers: [{ urls: ['stun:stun.example.org:3478'] }],
  limits: { name: 32, room: 64, message: 4000, roomSize: 50, meshSize: 6, sdp: 65536, file: 104857600 },
  history: { messages: [{ id: 3, from: { id: 'p_0', name: 'Jun' }, text: 'hi', ts: 9 }], more: true },
  mode: 'mesh',
  meeting: { listed: false, locked: false, hasPasscode: false, allowUnmute: true },
  lobby: [],
};

describe('SignalClient', () => {
  let socket: FakeSocket;
  let client: SignalClient;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    client = new SignalClient(socket, { timeoutMs: 1000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports connecting, connected, reconnecting', () => {
    const states: string[] = [];
    client.on('state', (s) => states.push(s));
    expect(client.state).toBe('connecting');
    socket.open();
    socket.drop();
    socket.open();
    expect(states).toEqual(['connected', 'reconnecting', 'connected']);
  });

  it('tells a first connect from a reconnect', () => {
    const seen: boolean[] = [];
    client.on('connect', ({ reconnect }) => seen.push(reconnect));
    socket.open();
    socket.drop();
    socket.open();
    expect(seen).toEqual([false, true]);
  });

  it('resolves a request with the ok ack', async () => {
    socket.open();
    const p = client.request('join', { room: 'standup', name: 'Mina' });
    expect(socket.sentOf('join')[0]?.payload).toEqual({ room: 'standup', name: 'Mina' });
    socket.reply('join', { ok: joinResult });
    await expect(p).resolves.toEqual({ ok: joinResult });
  });

  it('resolves a request with the error ack', async () => {
    socket.open();
    const p = client.request('join', { room: '', name: 'Mina' });
    socket.reply('join', { error: { code: 'invalid_room', message: 'bad room' } });
    await expect(p).resolves.toEqual({ error: { code: 'invalid_room', message: 'bad room' } });
  });

  it('turns a malformed ack into a bad_response error', async () => {
    socket.open();
    const p = client.request('chat', { text: 'hi' });
    socket.reply('chat', { ok: { ts: 'yesterday' } });
    const ack = await p;
    expect('error' in ack && ack.error.code).toBe('bad_response');
    // A code only: the UI says it in the reader's language.
    expect(ack).toEqual({ error: { code: 'bad_response' } });
  });

  it('rejects with a timeout SignalError when no ack comes', async () => {
    socket.open();
    const p = client.request('chat', { text: 'hi' });
    const check = expect(p).rejects.toMatchObject({ name: 'SignalError', code: 'timeout', event: 'chat', afterMs: 1000 });
    vi.advanceTimersByTime(1000);
    await check;
    // A late answer is ignored.
    expect(() => socket.reply('chat', { ok: { ts: 1 } })).not.toThrow();
  });

  it('rejects at once when not connected, and sends nothing', async () => {
    await expect(client.request('leave', {})).rejects.toBeInstanceOf(SignalError);
    expect(socket.sent).toHaveLength(0);
  });

  it('rejects pending requests when the connection drops', async () => {
    socket.open();
    const p = client.request('chat', { text: 'hi' });
    socket.drop();
    await expect(p).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('reconnects by itself after a server-side disconnect', () => {
    socket.open();
    socket.drop('io server disconnect');
    expect(socket.connectCalls).toBe(1);
    socket.drop('transport close');
    expect(socket.connectCalls).toBe(1);
  });

  it('waits for the first connection', async () => {
    const p = client.waitConnected();
    socket.open();
    await expect(p).resolves.toBeUndefined();
    const late = new SignalClient(new FakeSocket(), { timeoutMs: 50 }).waitConnected();
    const check = expect(late).rejects.toMatchObject({ code: 'timeout' });
    vi.advanceTimersByTime(50);
    await check;
  });

  it('passes on well-formed pushes and drops malformed ones', () => {
    const rooms: unknown[] = [];
    client.on('rooms', (r) => rooms.push(r));
    socket.push('rooms', [{ name: 'standup', count: 3 }]);
    socket.push('rooms', [{ name: 'standup', count: -1 }]);
    socket.push('rooms', 'nope');
    expect(rooms).toEqual([[{ name: 'standup', count: 3 }]]);
  });

  it('rejects a join ack from a server without call support', async () => {
    socket.open();
    const p = client.request('join', { room: 'standup', name: 'Mina' });
    const { iceServers: _, ...old } = joinResult;
    socket.reply('join', { ok: old });
    const ack = await p;
    expect('error' in ack && ack.error.code).toBe('bad_response');
    // A code only: the UI says it in the reader's language.
    expect(ack).toEqual({ error: { code: 'bad_response' } });
  });

  it('passes on signals with exactly one of description and candidate', () => {
    const got: unknown[] = [];
    client.on('signal', (s) => got.push(s));
    const offer = { from: 'p_2', description: { type: 'offer', sdp: 'v=0' } };
    socket.push('signal', offer);
    socket.push('signal', { from: 'p_2', candidate: null });
    socket.push('signal', { from: 'p_2', candidate: { candidate: 'candidate:1', sdpMid: '0' } });
    socket.push('signal', { from: 'p_2' });
    socket.push('signal', { from: 'p_2', description: { type: 'offer' }, candidate: null });
    socket.push('signal', { from: 'p_2', description: { type: 'nope' } });
    socket.push('signal', { description: { type: 'answer' } });
    expect(got).toEqual([offer, { from: 'p_2', candidate: null }, { from: 'p_2', candidate: { candidate: 'candidate:1', sdpMid: '0' } }]);
  });

  it('requires the media state of participants', () => {
    const got: unknown[] = [];
    client.on('participant-updated', (u) => got.push(u));
    const full = { participant: { id: 'p_2', name: 'Jun', audio: false, video: true, screen: false, joined: 2, role: 'guest' as const, hand: null, audioLocked: false } };
    socket.push('participant-updated', full);
    socket.push('participant-updated', { participant: { id: 'p_2', name: 'Jun', audio: false } });
    expect(got).toEqual([full]);
  });

  it('close removes its socket listeners and disconnects', () => {
    socket.open();
    client.close();
    expect(socket.listenerCount('connect')).toBe(0);
    expect(socket.listenerCount('rooms')).toBe(0);
    expect(socket.disconnectCalls).toBe(1);
    expect(client.state).toBe('closed');
  });
});

describe('toClientError', () => {
  it('keeps the code of a request without an answer, and nothing else', () => {
    expect(toClientError(new SignalError('timeout', 'join', 1000))).toEqual({ code: 'timeout' });
    expect(toClientError(new SignalError('disconnected'))).toEqual({ code: 'disconnected' });
    expect(toClientError(new Error('boom'))).toEqual({ code: 'internal' });
  });
});
