/**
 * The Socket.IO Admin UI protocol on `/admin`, with the real socket.io-client
 * playing the Admin UI exactly as `@socket.io/admin-ui`'s page does: auth
 * payload `{username, password}` (or `{sessionId}`), then `config`,
 * `all_sockets`, live `socket_connected` / `room_joined` / `room_left` /
 * `socket_disconnected`, and the `_disconnect`, `join`, `leave` actions.
 */
import bcrypt from 'bcryptjs';
import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';

import { collect, useHarness } from './harness';
import { connect, next, request } from '../support/sio';

const USER = 'admin';
const PASSWORD = 'correct horse battery staple';
const HASH = bcrypt.hashSync(PASSWORD, 8);

const harness = useHarness(['--admin-user', USER, '--admin-password-hash', HASH]);

interface SerializedSocket {
  id: string;
  nsp: string;
  transport: string;
  rooms: string[];
  handshake: { address: string; headers: Record<string, string>; query: Record<string, string>; issued: number };
}

/** Opens `/admin` with `auth`, recording every event from the first packet on. */
function openAdmin(
  auth: Record<string, unknown>,
  url = harness.server().url,
): { socket: Socket; events: Array<[string, unknown[]]>; connected: Promise<void> } {
  const socket = io(url + '/admin', {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth,
  });
  harness.track(socket);
  const events: Array<[string, unknown[]]> = [];
  socket.onAny((event: string, ...args: unknown[]) => events.push([event, args]));
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return { socket, events, connected };
}

/** Waits until `events` holds an `event` whose arguments pass `accept`. */
async function waitFor(
  events: Array<[string, unknown[]]>,
  event: string,
  accept: (...args: unknown[]) => boolean = () => true,
  ms = 5000,
): Promise<unknown[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = events.find(([name, args]) => name === event && accept(...args));
    if (found) return found[1];
    if (Date.now() > deadline) throw new Error(`no matching "${event}" within ${ms} ms; got ${JSON.stringify(events.map(([e]) => e))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('admin namespace', () => {
  it('refuses a wrong password, a wrong user, no credentials and a made-up session', async () => {
    for (const auth of [
      { username: USER, password: 'wrong' },
      { username: 'root', password: PASSWORD },
      {},
      { sessionId: 'deadbeef' },
    ]) {
      const { connected, events } = openAdmin(auth);
      await expect(connected).rejects.toThrow('invalid credentials');
      expect(events, 'nothing is sent before the refusal').toEqual([]);
    }
  });

  it('slows password guesses from one address: after five failures even the right password waits', async () => {
    // A server of its own: the back-off counts against 127.0.0.1, which every test shares.
    const server = await harness.extraServer(['--admin-user', USER, '--admin-password-hash', HASH]);
    const attempt = (password: string) => openAdmin({ username: USER, password }, server.url).connected;
    for (let i = 0; i < 5; i += 1) await expect(attempt('wrong')).rejects.toThrow('invalid credentials');

    // Refused without a bcrypt check: even the right password, and quickly.
    const started = Date.now();
    const refusal = await attempt(PASSWORD).then(
      () => { throw new Error('let in during the back-off'); },
      (err: Error) => err.message,
    );
    expect(refusal).toMatch(/^too many attempts, retry in \d+ s$/);
    const retryIn = Number(/(\d+) s$/.exec(refusal)![1]);
    expect(retryIn).toBe(1);
    for (let i = 0; i < 10; i += 1) await expect(attempt('wrong')).rejects.toThrow('too many attempts');

    // Once the wait has passed, the right password gets in (the refused
    // attempts meanwhile did not lengthen it).
    const deadline = started + retryIn * 1000 + 3000;
    for (;;) {
      const outcome = await attempt(PASSWORD).then(() => 'in', (err: Error) => err.message);
      if (outcome === 'in') break;
      expect(outcome).toMatch(/^too many attempts/);
      expect(Date.now(), 'still refused long after the announced wait').toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('lists the sockets and rooms of other clients, then their joins and leaves live', async () => {
    const course = await harness.socket('/');
    expect(await request(course, 'enter_room', 'lobby')).toEqual([]);
    const meet = await harness.socket('/moim', 'polling');
    const [joined] = (await request(meet, 'join', { room: 'standup', name: 'Mina' })) as [{ ok: unknown }];
    expect(joined).toHaveProperty('ok');

    const admin = openAdmin({ username: USER, password: PASSWORD });
    await admin.connected;
    const [session] = await waitFor(admin.events, 'session');
    expect(typeof session).toBe('string');
    const [config] = (await waitFor(admin.events, 'config')) as [{ supportedFeatures: string[] }];
    expect(config.supportedFeatures).toEqual(expect.arrayContaining(['DISCONNECT', 'JOIN', 'LEAVE']));
    expect(config.supportedFeatures, 'no copy of every event (chat text)').not.toContain('ALL_EVENTS');
    const [stats] = (await waitFor(admin.events, 'server_stats')) as [{ namespaces: Array<{ name: string; socketsCount: number }> }];
    expect(stats.namespaces).toEqual(expect.arrayContaining([{ name: '/', socketsCount: 1 }, { name: '/moim', socketsCount: 1 }]));

    const [all] = (await waitFor(admin.events, 'all_sockets')) as [SerializedSocket[]];
    const courseEntry = all.find((s) => s.id === course.id);
    const meetEntry = all.find((s) => s.id === meet.id);
    expect(courseEntry).toMatchObject({ nsp: '/', transport: 'websocket', rooms: ['lobby'] });
    expect(courseEntry?.handshake.address).toBe('127.0.0.1');
    expect(courseEntry?.handshake.query.EIO).toBe('4');
    expect(meetEntry).toMatchObject({ nsp: '/moim', transport: 'polling' });
    expect(meetEntry?.rooms).toEqual(expect.arrayContaining(['standup']));
    expect(all.find((s) => s.nsp === '/admin' && s.id === admin.socket.id), 'the admin sees itself').toBeDefined();

    // A third client comes, joins, leaves: each step arrives live.
    const late = await harness.socket('/');
    const [connectedSocket] = (await waitFor(admin.events, 'socket_connected', (s) => (s as SerializedSocket).id === late.id)) as [SerializedSocket, string];
    expect(connectedSocket).toMatchObject({ nsp: '/', rooms: [] });
    await request(late, 'enter_room', 'lobby');
    const joinedRoom = await waitFor(admin.events, 'room_joined', (_nsp, _room, id) => id === late.id);
    expect(joinedRoom.slice(0, 3)).toEqual(['/', 'lobby', late.id]);
    expect(Number.isNaN(Date.parse(joinedRoom[3] as string))).toBe(false);

    const meetLeave = request(meet, 'leave');
    await waitFor(admin.events, 'room_left', (nsp, room, id) => nsp === '/moim' && room === 'standup' && id === meet.id);
    await meetLeave;

    const lateId = late.id;
    late.disconnect();
    await waitFor(admin.events, 'room_left', (nsp, room, id) => nsp === '/' && room === 'lobby' && id === lateId);
    const gone = await waitFor(admin.events, 'socket_disconnected', (_nsp, id) => id === lateId);
    expect(gone.slice(0, 3)).toEqual(['/', lateId, 'client namespace disconnect']);
    // Every change came once, after the snapshot.
    expect(admin.events.filter(([e, args]) => e === 'room_joined' && args[2] === lateId)).toHaveLength(1);
  });

  it("tells the operator each meeting's media mode: through the SFU from four people, peer to peer below", async () => {
    interface OpsRoom { name: string; mode: string; participants: unknown[] }
    interface Ops { namespaces: Array<{ name: string; rooms: OpsRoom[] }> }
    const room = `ops-mode-${Date.now()}`;
    const modeOf = (ops: unknown, size: number) =>
      (ops as Ops).namespaces
        .find((n) => n.name === '/moim')
        ?.rooms.find((r) => r.name === room && r.participants.length === size)?.mode;
    const people = await harness.sockets(4, '/moim');
    for (const [i, s] of people.entries()) await request(s, 'join', { room, name: `p${i}` });
    const admin = openAdmin({ username: USER, password: PASSWORD });
    await admin.connected;
    const [four] = await waitFor(admin.events, 'moim:ops', (ops) => modeOf(ops, 4) !== undefined);
    expect(modeOf(four, 4)).toBe('sfu');
    people[3]!.disconnect();
    const [three] = await waitFor(admin.events, 'moim:ops', (ops) => modeOf(ops, 3) !== undefined);
    expect(modeOf(three, 3)).toBe('mesh');
  });

  it('disconnects a socket, and makes one join and leave a room', async () => {
    const target = await harness.socket('/');
    const other = await harness.socket('/');
    await request(target, 'enter_room', 'ops-room');
    await request(other, 'enter_room', 'ops-room');
    const admin = openAdmin({ username: USER, password: PASSWORD });
    await admin.connected;
    await waitFor(admin.events, 'all_sockets');

    admin.socket.emit('join', '/', 'backstage', target.id);
    await waitFor(admin.events, 'room_joined', (nsp, room, id) => nsp === '/' && room === 'backstage' && id === target.id);

    // A leave of a room the socket is a participant of tells the others.
    const bye = next(other, 'bye');
    admin.socket.emit('leave', '/', 'ops-room', target.id);
    expect(await bye).toEqual(['Anon', 1]);
    await waitFor(admin.events, 'room_left', (_n, room, id) => room === 'ops-room' && id === target.id);

    const targetId = target.id;
    const dropped = next(target, 'disconnect');
    admin.socket.emit('_disconnect', '/', false, targetId);
    expect((await dropped)[0]).toBe('io server disconnect');
    const gone = await waitFor(admin.events, 'socket_disconnected', (_nsp, id) => id === targetId);
    expect(gone[2]).toBe('server namespace disconnect');
    // The other socket is untouched.
    expect(other.connected).toBe(true);
  });

  it('lets the UI back in with its session id, and answers stats every two seconds', async () => {
    const first = openAdmin({ username: USER, password: PASSWORD });
    await first.connected;
    const [session] = await waitFor(first.events, 'session');
    const again = openAdmin({ sessionId: session });
    await again.connected;
    await waitFor(again.events, 'all_sockets');
    expect(again.events.some(([e]) => e === 'session'), 'a session login gets no new session').toBe(false);
    // The immediate stats, then at least one from the timer.
    await collect(again.socket, 'server_stats', 1, 5000);
  });

  it('is off without the admin options', async () => {
    const plain = await harness.extraServer([]);
    const refused = connect(plain.url, '/admin');
    await expect(refused).rejects.toThrow();
    const page = await fetch(`${plain.url}/admin/`);
    expect(page.status).toBe(404);
  });

  it('serves the Admin UI at /admin/, with nothing loaded from elsewhere', async () => {
    const redirect = await fetch(`${harness.server().url}/admin`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/admin/');
    const page = await fetch(`${harness.server().url}/admin/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Socket.IO Admin UI</title>');
    expect(html).not.toContain('https://');
    expect(html).toContain('moim-defaults.js');
    const script = /src="(js\/app\.[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${harness.server().url}/admin/${script}`)).status).toBe(200);
  });
});

describe('meetings made by the admin (/ops)', () => {
  it('creates a meeting with its settings and answers with working links', async () => {
    const admin = openAdmin({ username: USER, password: PASSWORD });
    await admin.connected;
    const room = `ops-${Date.now()}`;
    const [made] = await request(admin.socket, 'moim:create-meeting', { room, passcode: '4821', locked: false });
    const links = (made as { ok: { room: string; hostLink: string; guestLink: string; expires: number } }).ok;
    expect(links.room).toBe(room);
    expect(links.expires).toBeGreaterThan(Date.now() / 1000);
    const token = (link: string) => new URL(link, 'http://x').searchParams.get('invite');
    const host = await connect(harness.server().url, '/moim');
    harness.track(host);
    const [joined] = await request(host, 'join', { room, name: 'Mina', key: 'k'.repeat(20), invite: token(links.hostLink) });
    expect(joined).toMatchObject({ ok: { you: { role: 'host' }, meeting: { hasPasscode: true } } });
    // Twice is refused; bad input is refused with its code.
    const [again] = await request(admin.socket, 'moim:create-meeting', { room });
    expect(again).toMatchObject({ error: { code: 'meeting_exists' } });
    const [bad] = await request(admin.socket, 'moim:create-meeting', { room: '' });
    expect(bad).toMatchObject({ error: { code: 'invalid_room' } });
    const [shape] = await request(admin.socket, 'moim:create-meeting', 'standup');
    expect(shape).toMatchObject({ error: { code: 'invalid_payload' } });
  });
});
