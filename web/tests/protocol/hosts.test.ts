/**
 * Hosts and guests on `/moim` (docs/protocol.md, "Hosts and guests"): who
 * is host and stays host, every control by a host and refused to a guest,
 * passcodes and their slowdown, the lock and the lobby, removal, hands,
 * reactions, the end of a meeting, and the listing on the home page.
 */
import { randomBytes } from 'node:crypto';

import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';

import { next, nextMatching, record, request } from '../support/sio';
import { hasCount, isError, joinMeet, uniqueRoom, useHarness } from './harness';

const h = useHarness();
const NS = '/moim';

/** A browser's key, as the UI keeps one. */
const newKey = () => randomBytes(24).toString('base64url');

interface Person {
  socket: Socket;
  id: string;
  key: string;
}

async function enter(room: string, name: string, key = newKey(), extra: object = {}): Promise<Person & { role: string }> {
  const socket = await h.socket(NS);
  const joined = await joinMeet(socket, room, name, { key, ...extra });
  return { socket, id: joined.you.id, key, role: joined.you.role };
}

async function ask(socket: Socket, event: string, payload: object): Promise<unknown> {
  const [reply] = await request(socket, event, payload);
  return reply;
}

const guestControls: [string, object][] = [
  ['settings', { locked: true }],
  ['moderate', { action: 'mute-all' }],
  ['admit', { all: true }],
  ['deny', { all: true }],
  ['end', {}],
];

describe('hosts and guests', () => {
  it('makes the starter host, keeps the role across a reconnect, and not by name', async () => {
    const room = uniqueRoom();
    const mina = await enter(room, 'Mina');
    expect(mina.role).toBe('host');
    const jun = await enter(room, 'Jun');
    expect(jun.role).toBe('guest');
    // Someone typing the host's name is a guest.
    const fake = await enter(room, 'Mina');
    expect(fake.role).toBe('guest');

    // The host reconnects (a reload): a new connection with the same key is host again.
    mina.socket.disconnect();
    const again = await enter(room, 'Mina', mina.key);
    expect(again.role).toBe('host');
  });

  it('refuses every control to a guest with not_host, and changes nothing', async () => {
    const room = uniqueRoom();
    const host = await enter(room, 'Mina');
    const guest = await enter(room, 'Jun');
    for (const [event, payload] of guestControls) {
      expect(isError(await ask(guest.socket, event, payload), 'not_host'), event).toBe(true);
    }
    const acts = ['mute', 'camera-off', 'stop-screen', 'remove', 'make-cohost', 'lower-hand'];
    for (const action of acts) {
      const reply = await ask(guest.socket, 'moderate', { action, participant: host.id });
      expect(isError(reply, 'not_host'), action).toBe(true);
    }
    // Still unlocked: a newcomer walks in.
    const third = await enter(room, 'Ara');
    expect(third.role).toBe('guest');
  });

  it('mutes one and all: shown to everyone, told to the person, and held without allowUnmute', async () => {
    const room = uniqueRoom();
    const host = await enter(room, 'Mina');
    const jun = await enter(room, 'Jun');
    const ara = await enter(room, 'Ara');

    const told = next(jun.socket, 'moderated');
    const seen = nextMatching(ara.socket, 'participant-updated', (u) => (u as { participant: { id: string; audio: boolean } }).participant.id === jun.id);
    expect(await ask(host.socket, 'moderate', { action: 'mute', participant: jun.id })).toEqual({ ok: {} });
    expect((await told)[0]).toEqual({ action: 'mute', by: 'Mina' });
    expect((await seen)[0]).toMatchObject({ participant: { id: jun.id, audio: false, audioLocked: false } });
    // allowUnmute (the default): Jun may speak again himself.
    expect(await ask(jun.socket, 'state', { audio: true })).toMatchObject({ ok: { participant: { audio: true } } });

    // Without allowUnmute, mute-all holds everyone but the hosts.
    expect(await ask(host.socket, 'settings', { allowUnmute: false })).toMatchObject({ ok: { meeting: { allowUnmute: false }, by: 'Mina' } });
    const mutedAra = next(ara.socket, 'moderated');
    expect(await ask(host.socket, 'moderate', { action: 'mute-all' })).toEqual({ ok: {} });
    expect((await mutedAra)[0]).toEqual({ action: 'mute', by: 'Mina' });
    expect(isError(await ask(jun.socket, 'state', { audio: true }), 'muted_by_host')).toBe(true);
    expect(isError(await ask(ara.socket, 'state', { audio: true }), 'muted_by_host')).toBe(true);
    // Held: a reload (a new connection, the same key) comes back muted and held.
    ara.socket.disconnect();
    const araAgain = await enter(room, 'Ara', ara.key);
    const [rejoined] = await request(araAgain.socket, 'state', {});
    expect(rejoined).toMatchObject({ ok: { participant: { audio: false, audioLocked: true } } });
    // The host is not muted by mute-all.
    expect(await ask(host.socket, 'state', { audio: true })).toMatchObject({ ok: { participant: { audio: true } } });
    // Allowed to speak again: Jun unmutes.
    expect(await ask(host.socket, 'moderate', { action: 'allow-speak', participant: jun.id })).toEqual({ ok: {} });
    expect(await ask(jun.socket, 'state', { audio: true })).toMatchObject({ ok: { participant: { audio: true, audioLocked: false } } });
    expect(h.server().log()).toMatch(/host action.*mute-all/);
  });

  it('turns a camera off and stops a share, and lets a co-host act but not on the host', async () => {
    const room = uniqueRoom();
    const host = await enter(room, 'Mina');
    const jun = await enter(room, 'Jun');
    const ara = await enter(room, 'Ara');
    const camera = next(jun.socket, 'moderated');
    expect(await ask(host.socket, 'moderate', { action: 'camera-off', participant: jun.id })).toEqual({ ok: {} });
    expect((await camera)[0]).toEqual({ action: 'camera-off', by: 'Mina' });

    const promoted = nextMatching(ara.socket, 'participant-updated', (u) => (u as { participant: { role: string } }).participant.role === 'cohost');
    expect(await ask(host.socket, 'moderate', { action: 'make-cohost', participant: jun.id })).toEqual({ ok: {} });
    expect((await promoted)[0]).toMatchObject({ participant: { id: jun.id, role: 'cohost' } });
    // The co-host mutes a guest, but may not touch the host nor make hosts.
    expect(await ask(jun.socket, 'moderate', { action: 'mute', participant: ara.id })).toEqual({ ok: {} });
    expect(isError(await ask(jun.socket, 'moderate', { action: 'mute', participant: host.id }), 'hosts_only')).toBe(true);
    expect(isError(await ask(jun.socket, 'moderate', { action: 'make-host', participant: ara.id }), 'hosts_only')).toBe(true);
    expect(isError(await ask(jun.socket, 'moderate', { action: 'make-host', participant: jun.id }), 'hosts_only')).toBe(true);
    expect(isError(await ask(jun.socket, 'end', {}), 'hosts_only')).toBe(true);
    expect(isError(await ask(host.socket, 'moderate', { action: 'mute', participant: 'nobody-here-1234' }), 'no_such_participant')).toBe(true);

    // The co-host role is kept by key: back after a reconnect.
    jun.socket.disconnect();
    const back = await enter(room, 'Jun', jun.key);
    expect(back.role).toBe('cohost');
  });

  it('passes the host role to the longest-present person when the last host leaves', async () => {
    const room = uniqueRoom();
    const host = await enter(room, 'Mina');
    const jun = await enter(room, 'Jun');
    const ara = await enter(room, 'Ara');
    const promoted = nextMatching(ara.socket, 'participant-updated', (u) => (u as { participant: { role: string } }).participant.role === 'host');
    host.socket.disconnect();
    expect((await promoted)[0]).toMatchObject({ participant: { id: jun.id, role: 'host' } });
    // Jun may now use the controls.
    expect(await ask(jun.socket, 'settings', { locked: false })).toMatchObject({ ok: { meeting: { locked: false } } });
  });

  it('asks for the passcode, refuses a wrong one, and slows down repeated guesses', async () => {
    const room = uniqueRoom();
    const host = await enter(room, 'Mina');
    const set = await ask(host.socket, 'settings', { passcode: '4821' });
    expect(set).toMatchObject({ ok: { meeting: { hasPasscode: true } } });
    expect(JSON.stringify(set)).not.toContain('4821');

    const guest = await h.socket(NS);
    const key = newKey();
    expect(isError(await ask(guest, 'join', { room, name: 'Jun', key }), 'passcode_required')).toBe(true);
    for (let i = 0; i < 3; i += 1) {
      expect(isError(await ask(guest, 'join', { room, name: 'Jun', key, passcode: `wrong${i}` }), 'wrong_passcode')).toBe(true);
    }
    // The fourth comes too soon: refused unchecked, even with the right passcode.
    expect(isError(await ask(guest, 'join', { room, name: 'Jun', key, passcode: '4821' }), 'too_many_attempts')).toBe(true);
    // A new connection from the same address is slowed down all the same.
    const other = await h.socket(NS);
    expect(isError(await ask(other, 'join', { room, name: 'Jun', key, passcode: '4821' }), 'too_many_attempts')).toBe(true);
    // The host is never asked.
    const hostAgain = await enter(room, 'Mina', host.key);
    expect(hostAgain.role).toBe('host');
  });

  it('keeps newcomers in the lobby while locked; hosts admit or turn away', async () => {
    const room = uniqueRoom();
    const host = await enter(room, 'Mina');
    expect(await ask(host.socket, 'settings', { locked: true })).toMatchObject({ ok: { meeting: { locked: true } } });

    const eun = await h.socket(NS);
    const eunKey = newKey();
    expect(isError(await ask(eun, 'join', { room, name: 'Eun', key: eunKey }), 'locked')).toBe(true);
    const lobby = nextMatching(host.socket, 'lobby', (l) => (l as { waiting: unknown[] }).waiting.length === 1);
    expect(await ask(eun, 'knock', { room, name: 'Eun', key: eunKey })).toEqual({ ok: {} });
    const [waiting] = await lobby;
    const knocker = (waiting as { waiting: { id: string; name: string; since: number; removed: boolean }[] }).waiting[0]!;
    expect(knocker).toMatchObject({ name: 'Eun', removed: false });
    expect(knocker.since).toBeGreaterThan(Date.now() - 60_000);

    const jun = await h.socket(NS);
    const admittedEun = next(eun, 'admitted');
    expect(await ask(host.socket, 'admit', { participant: knocker.id })).toEqual({ ok: {} });
    expect((await admittedEun)[0]).toEqual({ room, by: 'Mina' });
    const inside = await ask(eun, 'join', { room, name: 'Eun', key: eunKey });
    expect(inside).toMatchObject({ ok: { room, you: { role: 'guest' }, meeting: { locked: true }, lobby: [] } });
    // A guest cannot let anyone in.
    expect(isError(await ask(eun, 'admit', { all: true }), 'not_host')).toBe(true);

    // Turned away.
    const juns = nextMatching(host.socket, 'lobby', (l) => (l as { waiting: unknown[] }).waiting.length === 1);
    expect(await ask(jun, 'knock', { room, name: 'Jun', key: newKey() })).toEqual({ ok: {} });
    const [list] = await juns;
    const junId = (list as { waiting: { id: string }[] }).waiting[0]!.id;
    const denied = next(jun, 'denied');
    expect(await ask(host.socket, 'deny', { participant: junId })).toEqual({ ok: {} });
    expect((await denied)[0]).toEqual({ room, by: 'Mina' });
    // A denied person's join is still held at the lock.
    expect(isError(await ask(jun, 'join', { room, name: 'Jun' }), 'locked')).toBe(true);
    expect(isError(await ask(host.socket, 'admit', { participant: junId }), 'not_waiting')).toBe(true);

    // Closing the tab withdraws a knock.
    const ara = await h.socket(NS);
    const waitingAra = nextMatching(host.socket, 'lobby', (l) => (l as { waiting: unknown[] }).waiting.length === 1);
    await ask(ara, 'knock', { room, name: 'Ara' });
    await waitingAra;
    const empty = nextMatching(host.socket, 'lobby', (l) => (l as { waiting: unknown[] }).waiting.length === 0);
    ara.disconnect();
    await empty;
  });

  it('removes someone: they leave, and their key is refused until a host admits them', async () => {
    const room = uniqueRoom();
    const host = await enter(room, 'Mina');
    const jun = await enter(room, 'Jun');
    const removed = next(jun.socket, 'removed');
    const left = next(host.socket, 'participant-left');
    expect(await ask(host.socket, 'moderate', { action: 'remove', participant: jun.id })).toEqual({ ok: {} });
    expect((await removed)[0]).toEqual({ room, by: 'Mina' });
    expect((await left)[0]).toMatchObject({ participant: { id: jun.id }, count: 1 });
    // Gone from the meeting: its chat is refused.
    expect(isError(await ask(jun.socket, 'chat', { text: 'hi' }), 'not_in_room')).toBe(true);
    // Another tab, another name, same browser: refused.
    const tab = await h.socket(NS);
    expect(isError(await ask(tab, 'join', { room, name: 'Someone else', key: jun.key }), 'removed')).toBe(true);
    // They may knock; the host sees they were removed and may let them back.
    const lobby = nextMatching(host.socket, 'lobby', (l) => (l as { waiting: unknown[] }).waiting.length === 1);
    expect(await ask(tab, 'knock', { room, name: 'Jun', key: jun.key })).toEqual({ ok: {} });
    const [list] = await lobby;
    const entry = (list as { waiting: { id: string; removed: boolean }[] }).waiting[0]!;
    expect(entry.removed).toBe(true);
    await ask(host.socket, 'admit', { participant: entry.id });
    expect(await ask(tab, 'join', { room, name: 'Jun', key: jun.key })).toMatchObject({ ok: { room } });
    expect(h.server().log()).toMatch(/host action.*Remove/);
  });

  it('raises hands in order, sends reactions to everyone, and refuses unknown reactions', async () => {
    const room = uniqueRoom();
    const host = await enter(room, 'Mina');
    const jun = await enter(room, 'Jun');
    const raised = nextMatching(host.socket, 'participant-updated', (u) => (u as { participant: { hand: number | null } }).participant.hand !== null);
    expect(await ask(jun.socket, 'hand', { raised: true })).toMatchObject({ ok: { participant: { id: jun.id } } });
    const [update] = await raised;
    expect((update as { participant: { hand: number } }).participant.hand).toBeGreaterThan(Date.now() - 60_000);
    const lowered = nextMatching(jun.socket, 'participant-updated', (u) => (u as { participant: { hand: number | null } }).participant.hand === null);
    expect(await ask(host.socket, 'moderate', { action: 'lower-hand', participant: jun.id })).toEqual({ ok: {} });
    await lowered;

    const atHost = next(host.socket, 'reaction');
    const atJun = next(jun.socket, 'reaction');
    expect(await ask(jun.socket, 'react', { emoji: '👏' })).toEqual({ ok: {} });
    for (const got of [await atHost, await atJun]) expect(got[0]).toEqual({ participant: jun.id, emoji: '👏' });
    expect(isError(await ask(jun.socket, 'react', { emoji: '<img src=x>' }), 'invalid_reaction')).toBe(true);
  });

  it('lists a meeting on the home page only when its host lists it, marked when locked', async () => {
    const room = uniqueRoom();
    const watcher = await h.socket(NS);
    const lists = record(watcher, 'rooms');
    const host = await enter(room, 'Mina');
    const listed = nextMatching(watcher, 'rooms', hasCount(room, 1));
    expect(await ask(host.socket, 'settings', { listed: true })).toMatchObject({ ok: { meeting: { listed: true } } });
    expect((await listed)[0]).toEqual(expect.arrayContaining([{ name: room, count: 1, full: false, locked: false }]));
    // Before it was listed, no list named it.
    const before = lists.events.slice(0, -1);
    expect(before.every(([l]) => hasCount(room, 0)(l))).toBe(true);
    lists.stop();
    const locked = nextMatching(watcher, 'rooms', (l) => Array.isArray(l) && l.some((r: { name: string; locked: boolean }) => r.name === room && r.locked));
    await ask(host.socket, 'settings', { locked: true });
    await locked;
    const unlisted = nextMatching(watcher, 'rooms', hasCount(room, 0));
    await ask(host.socket, 'settings', { listed: false });
    await unlisted;
  });

  it('ends the meeting for everyone', async () => {
    const room = uniqueRoom();
    const host = await enter(room, 'Mina');
    const jun = await enter(room, 'Jun');
    const ended = next(jun.socket, 'ended');
    expect(isError(await ask(jun.socket, 'end', {}), 'not_host')).toBe(true);
    expect(await ask(host.socket, 'end', {})).toEqual({ ok: {} });
    expect((await ended)[0]).toEqual({ room, by: 'Mina' });
    expect(isError(await ask(jun.socket, 'chat', { text: 'still here?' }), 'not_in_room')).toBe(true);
    expect(isError(await ask(host.socket, 'chat', { text: 'still here?' }), 'not_in_room')).toBe(true);
  });

  it('keeps the host and the lock across a restart of the server', async () => {
    const server = await h.extraServer([]);
    const room = uniqueRoom();
    const { connect } = await import('../support/sio');
    const hostSocket = h.track(await connect(server.url, NS));
    const hostKey = newKey();
    await joinMeet(hostSocket, room, 'Mina', { key: hostKey });
    await ask(hostSocket, 'settings', { locked: true, passcode: 'secret' });
    const dataDir = server.dataDir;
    await server.kill();
    const { startServer } = await import('../support/server');
    const again = await startServer({ dataDir });
    try {
      const guest = h.track(await connect(again.url, NS));
      expect(isError(await ask(guest, 'join', { room, name: 'Jun', passcode: 'secret' }), 'locked')).toBe(true);
      const host = h.track(await connect(again.url, NS));
      const back = await joinMeet(host, room, 'Mina', { key: hostKey });
      expect(back.you.role).toBe('host');
      expect(back.meeting).toEqual({ listed: false, locked: true, hasPasscode: true, allowUnmute: true });
    } finally {
      await again.stop();
    }
  });
});
