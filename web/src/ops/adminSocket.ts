/**
 * The operator page's connection: the `/admin` namespace of this origin, the
 * same one the Socket.IO Admin UI uses, logged in with the admin's user and
 * password once, then with the session id the server hands back (kept in
 * sessionStorage, so a reload stays logged in and a closed tab does not).
 */
import { io, type Socket } from 'socket.io-client';
import { isOpsSnapshot, OPS_EVENT, type OpsSnapshot } from './snapshot';

const SESSION_KEY = 'moim.ops.session';

export interface AdminLogin {
  username: string;
  password: string;
}

export interface AdminHandlers {
  onSnapshot: (snapshot: OpsSnapshot) => void;
  /** The server refused (`invalid credentials`) or could not be reached. */
  onRefused: (message: string) => void;
}

export function savedSession(): string | null {
  try {
    return sessionStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
}

function saveSession(id: string | null): void {
  try {
    if (id === null) sessionStorage.removeItem(SESSION_KEY);
    else sessionStorage.setItem(SESSION_KEY, id);
  } catch {
    // Private mode: the login just does not survive a reload.
  }
}

/** What an operator asks for when creating a meeting (docs/protocol.md, "Who may start meetings"). */
export interface NewMeeting {
  room: string;
  passcode?: string;
  listed?: boolean;
  locked?: boolean;
}

/** A new meeting's links (relative to this origin), or why there is none. */
export type CreatedMeeting =
  | { ok: { room: string; hostLink: string; guestLink: string; expires: number } }
  | { error: { code: string; message: string } };

/** An open `/admin` connection. */
export interface AdminConnection {
  close(): void;
  /** Creates a meeting with its settings and answers with its links. */
  createMeeting(meeting: NewMeeting): Promise<CreatedMeeting>;
}

/** Opens `/admin` with a login, or with the saved session when `login` is null. */
export function openAdmin(login: AdminLogin | null, handlers: AdminHandlers): AdminConnection {
  let auth: Record<string, string> = login ? { ...login } : { sessionId: savedSession() ?? '' };
  const socket: Socket = io('/admin', {
    forceNew: true,
    // Reconnections present the session id, never the password again.
    auth: (cb) => cb(auth),
  });
  socket.on('session', (id: unknown) => {
    if (typeof id !== 'string') return;
    saveSession(id);
    auth = { sessionId: id };
  });
  socket.on(OPS_EVENT, (snapshot: unknown) => {
    if (isOpsSnapshot(snapshot)) handlers.onSnapshot(snapshot);
  });
  socket.on('connect_error', (err: Error) => {
    if (err.message === 'invalid credentials') {
      saveSession(null);
      socket.disconnect();
    }
    handlers.onRefused(err.message);
  });
  return {
    close: () => socket.disconnect(),
    createMeeting: (meeting) =>
      new Promise((resolve) => {
        socket.timeout(5000).emit('moim:create-meeting', meeting, (err: Error | null, reply: CreatedMeeting) => {
          resolve(err ? { error: { code: 'timeout', message: err.message } } : reply);
        });
      }),
  };
}

export function forgetSession(): void {
  saveSession(null);
}
