/**
 * A server that starts meetings only from invitations (`--meetings invite`),
 * and the operators' API that makes them (`--api-key`): a meeting without a
 * link is refused; the host's and the guests' links work; expired, tampered
 * and foreign links are refused (docs/protocol.md, "The operators' API").
 */
import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { request } from '../support/sio';
import { isError, uniqueRoom, useHarness } from './harness';

const API_KEY = randomBytes(24).toString('base64url');
// `=`: a key may begin with '-', which clap would take for a flag.
const h = useHarness(['--meetings', 'invite', `--api-key=${API_KEY}`]);
const NS = '/moim';
const newKey = () => randomBytes(24).toString('base64url');

interface Created {
  room: string;
  hostLink: string;
  guestLink: string;
  expires: number;
}

async function create(body: object, key = API_KEY): Promise<Response> {
  return fetch(`${h.server().url}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}

/** The token of a link `/r/<room>?invite=<token>`. */
const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('invite') ?? '';

async function ask(event: string, payload: object): Promise<unknown> {
  const socket = await h.socket(NS);
  const [reply] = await request(socket, event, payload);
  return reply;
}

describe('--meetings invite', () => {
  it('refuses to start a meeting without a link', async () => {
    expect(isError(await ask('join', { room: uniqueRoom(), name: 'Mina', key: newKey() }), 'invite_required')).toBe(true);
  });

  it('creates a meeting through the API whose host and guest links work', async () => {
    const room = `${uniqueRoom()} 모임`;
    const res = await create({ room, passcode: '4821', locked: false, validFor: 3600 });
    expect(res.status).toBe(201);
    const made = (await res.json()) as Created;
    expect(made.room).toBe(room);
    expect(made.hostLink).toMatch(/^\/r\/[^?]+\?invite=/);
    expect(decodeURIComponent(made.hostLink.split('?')[0]!.slice(3))).toBe(room);
    expect(made.expires).toBeGreaterThan(Date.now() / 1000 + 3500);

    const hostKey = newKey();
    const host = await ask('join', { room, name: 'Mina', key: hostKey, invite: tokenOf(made.hostLink) });
    expect(host).toMatchObject({ ok: { you: { role: 'host' }, meeting: { hasPasscode: true } } });
    // The guest link stands for the passcode; without it the passcode is asked.
    const guest = await ask('join', { room, name: 'Jun', key: newKey(), invite: tokenOf(made.guestLink) });
    expect(guest).toMatchObject({ ok: { you: { role: 'guest' } } });
    expect(isError(await ask('join', { room, name: 'Ara', key: newKey() }), 'passcode_required')).toBe(true);
    // The host, back later without the link, is still host.
    expect(await ask('join', { room, name: 'Mina', key: hostKey })).toMatchObject({ ok: { you: { role: 'host' } } });
    // The same meeting cannot be created twice.
    expect((await create({ room })).status).toBe(409);
  });

  it('refuses tampered, expired and foreign links, and the API without its key', async () => {
    const room = uniqueRoom();
    const made = (await (await create({ room, validFor: 1 })).json()) as Created;
    const token = tokenOf(made.hostLink);
    const [payload, tag] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ room: uniqueRoom(), role: 'host', exp: 9_999_999_999 })).toString('base64url');
    for (const bad of [`${forged}.${tag}`, `${payload}.${tag!.slice(0, -2)}AA`, 'garbage']) {
      expect(isError(await ask('join', { room, name: 'Mina', key: newKey(), invite: bad }), 'invalid_invite'), bad).toBe(true);
    }
    // A link for another meeting does not open this one.
    const other = (await (await create({ room: uniqueRoom() })).json()) as Created;
    expect(isError(await ask('join', { room, name: 'Mina', key: newKey(), invite: tokenOf(other.hostLink) }), 'invalid_invite')).toBe(true);
    // Expired (it lasted one second).
    await new Promise<void>((resolve) => {
      const wait = () => (Date.now() / 1000 >= made.expires ? resolve() : setTimeout(wait, 100));
      wait();
    });
    expect(isError(await ask('join', { room, name: 'Mina', key: newKey(), invite: token }), 'invalid_invite')).toBe(true);

    expect((await create({ room: uniqueRoom() }, 'wrong key')).status).toBe(401);
    const noAuth = await fetch(`${h.server().url}/api/meetings`, { method: 'POST', body: '{}' });
    expect(noAuth.status).toBe(401);
    const bad = await create({ room: '' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_room' } });
  });
});
