/**
 * Bookkeeping shared by the protocol tests: every socket and server a test opens
 * is remembered here and closed in afterEach / afterAll, plus a few small
 * predicates for the shapes the server sends.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

import { startServer, type MoimServer } from '../support/server';
import type { JoinResult } from '../../src/engine/protocol';
import { connect, record, request, type Transport } from '../support/sio';

export const TRANSPORTS: Transport[] = ['polling', 'websocket'];

export interface Harness {
  /** The file's server (started in beforeAll). */
  server(): MoimServer;
  /** Connects to the file's server; closed after the test. */
  socket(namespace?: string, transport?: Transport): Promise<Socket>;
  /** Connects several sockets at once. */
  sockets(n: number, namespace?: string, transport?: Transport): Promise<Socket[]>;
  /**
   * Connects while already listening to `event`: the only way to see what the
   * server sends right after the connection (support/sio's connect() resolves
   * one tick too late for that).
   */
  socketRecording(event: string, namespace?: string, transport?: Transport): Promise<{ socket: Socket; events: unknown[][] }>;
  /** Starts an extra server with `args`; stopped after the test. */
  extraServer(args: string[]): Promise<MoimServer>;
  /** Closes a socket now (it is also forgotten by the cleanup). */
  track(socket: Socket): Socket;
}

/** Installs the hooks: one server per file (`args` for extra flags), sockets per test. */
export function useHarness(args: string[] = []): Harness {
  let main: MoimServer | undefined;
  const open: Socket[] = [];
  const extra: MoimServer[] = [];
  const serverOf = (): MoimServer => {
    if (!main) throw new Error('server not started');
    return main;
  };

  beforeAll(async () => {
    main = await startServer({ args });
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && main) {
      // What the server said is the first thing to read when a test fails.
      console.error(`moim log (last 4000 chars):\n${main.log().slice(-4000)}`);
    }
    for (const socket of open.splice(0)) socket.disconnect();
    await Promise.all(extra.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await main?.stop();
  });

  const harness: Harness = {
    server: serverOf,
    track(socket) {
      open.push(socket);
      return socket;
    },
    async socket(namespace = '/', transport = 'websocket') {
      return harness.track(await connect(serverOf().url, namespace, transport));
    },
    async sockets(n, namespace = '/', transport = 'websocket') {
      return Promise.all(Array.from({ length: n }, () => harness.socket(namespace, transport)));
    },
    async socketRecording(event, namespace = '/', transport = 'websocket') {
      // Same options as support/sio's connect(), with the listener attached first.
      const socket = io(serverOf().url + namespace, {
        transports: [transport],
        forceNew: true,
        reconnection: false,
        timeout: 5000,
        autoConnect: false,
      });
      harness.track(socket);
      const { events } = record(socket, event);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (err) => reject(err));
        socket.connect();
      });
      return { socket, events };
    },
    async extraServer(flags) {
      const server = await startServer({ args: flags });
      extra.push(server);
      return server;
    },
  };
  return harness;
}

let counter = 0;
/** A room name no other test of the file uses. */
export function uniqueRoom(prefix = 'room'): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** `{ error: { code } }` with that code, as the server's refusal acks are. */
export function isError(value: unknown, code: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    'error' in value &&
    typeof value.error === 'object' &&
    value.error !== null &&
    'code' in value.error &&
    value.error.code === code
  );
}

/** A room_change list (array of names) that includes every one of `rooms`. */
export function listsRooms(...rooms: string[]): (list: unknown) => boolean {
  return (list) => Array.isArray(list) && rooms.every((r) => list.includes(r));
}

/** A room_change list that includes none of `rooms`. */
export function listsNone(...rooms: string[]): (list: unknown) => boolean {
  return (list) => Array.isArray(list) && rooms.every((r) => !list.includes(r));
}

/** A `rooms` list on /moim with `room` at `count` (0: absent). */
export function hasCount(room: string, count: number): (list: unknown) => boolean {
  return (list) => {
    if (!Array.isArray(list)) return false;
    const entry: unknown = list.find((r: unknown) => typeof r === 'object' && r !== null && 'name' in r && r.name === room);
    if (count === 0) return entry === undefined;
    return typeof entry === 'object' && entry !== null && 'count' in entry && entry.count === count;
  };
}

/**
 * A course `done()` call: no arguments, exactly as Node's socket.io sends it.
 */
export function isDone(ack: unknown[]): boolean {
  // Node's socket.io calls `done()` with no arguments; so does moim.
  return ack.length === 0;
}

/** The first `n` `event`s on `socket` (each as its argument list), or a rejection after `ms`. */
export function collect(socket: Socket, event: string, n: number, ms = 5000): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    const events: unknown[][] = [];
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`only ${events.length} of ${n} "${event}" within ${ms} ms: ${JSON.stringify(events)}`));
    }, ms);
    const handler = (...args: unknown[]) => {
      events.push(args);
      if (events.length < n) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(events);
    };
    socket.on(event, handler);
  });
}

/** Lists the meeting `socket` hosts on the home page (meetings are unlisted until their host lists them). */
export async function listMeeting(socket: Socket): Promise<void> {
  const [reply] = await request(socket, 'settings', { listed: true });
  expect(reply).toMatchObject({ ok: { meeting: { listed: true } } });
}

/** Joins a meeting on `/moim` and expects to be let in; resolves with the ack. */
export async function joinMeet(socket: Socket, room: string, name: string, extra: object = {}): Promise<JoinResult> {
  const [reply] = await request(socket, 'join', { room, name, ...extra });
  expect(reply).toMatchObject({ ok: { room } });
  return (reply as { ok: JoinResult }).ok;
}
