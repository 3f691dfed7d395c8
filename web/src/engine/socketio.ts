/**
 * The one place that imports socket.io-client: opens the `/moim` namespace on
 * the page's own origin and hands it out as the small `SocketLike` interface.
 */
import { io, type Socket } from 'socket.io-client';
import { NAMESPACE } from './protocol';
import type { SocketLike } from './signal';

/**
 * Default options on purpose: long-polling first, then the upgrade to a
 * websocket, and socket.io-client's reconnection with backoff.
 */
export function openSocket(namespace: string = NAMESPACE): SocketLike {
  const socket: Socket = io(namespace);
  return {
    get connected() {
      return socket.connected;
    },
    on: (event, listener) => socket.on(event, listener),
    off: (event, listener) => socket.off(event, listener),
    emit: (event, ...args) => socket.emit(event, ...args),
    connect: () => socket.connect(),
    disconnect: () => socket.disconnect(),
  };
}
