/**
 * Helpers for protocol tests with the real npm socket.io-client.
 */
import { io, type Socket } from 'socket.io-client';

export type Transport = 'polling' | 'websocket';

/** Connects to `namespace` of `url` over one transport only, and waits for the connection. */
export async function connect(url: string, namespace = '/', transport: Transport = 'websocket'): Promise<Socket> {
  const socket = io(url + namespace, {
    transports: [transport],
    forceNew: true,
    reconnection: false,
    timeout: 5000,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** The next `event` on `socket` (all its arguments), or a rejection after `ms`. */
export function next(socket: Socket, event: string, ms = 3000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    const handler = (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    };
    socket.once(event, handler);
  });
}

/** Waits for the first `event` whose arguments satisfy `accept`. */
export function nextMatching(
  socket: Socket,
  event: string,
  accept: (...args: unknown[]) => boolean,
  ms = 3000,
): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no matching "${event}" within ${ms} ms`));
    }, ms);
    const handler = (...args: unknown[]) => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(args);
    };
    socket.on(event, handler);
  });
}

/** Emits with an ack and resolves with the ack's arguments. */
export function request(socket: Socket, event: string, ...args: unknown[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for "${event}" within 3000 ms`)), 3000);
    socket.emit(event, ...args, (...reply: unknown[]) => {
      clearTimeout(timer);
      resolve(reply);
    });
  });
}

/**
 * Collects every `event` on `socket` until `stop` resolves; the way to prove
 * something was NOT delivered: send a later marker through the same path and
 * check what arrived before it.
 */
export function record(socket: Socket, event: string): { events: unknown[][]; stop: () => void } {
  const events: unknown[][] = [];
  const handler = (...args: unknown[]) => events.push(args);
  socket.on(event, handler);
  return { events, stop: () => socket.off(event, handler) };
}
