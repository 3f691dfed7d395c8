// The soak's short-lived clients, one async function per kind: a meeting
// participant on `/moim`, a course client on `/`, a raw `/ws` chatter. Each
// connects, joins, chats a few messages and ends in one of four ways, and
// every step has a deadline, so a session always finishes (within about a
// minute even if the server stops answering). What happened goes into a
// `Tally`; anything the protocol did not promise is an error there.
import { webRequire } from './moim.mjs';

const { io } = webRequire('socket.io-client');
const WebSocket = webRequire('ws');

/** How long any single answer (connect, ack, echo) may take before it counts as failed. */
export const ANSWER_MS = 10_000;
/** A "silent" client (a closed laptop) stays open this long without a byte; the server should drop it after ~10 s. */
const SILENT_MS = 15_000;

/**
 * How sessions end, chosen by their number so the mix is fixed:
 * `leave` (ack) then disconnect, a plain disconnect, an abrupt TCP close
 * (no close frame, no Socket.IO packet), and silence until the server's
 * ping timeout drops the client.
 */
export const ENDINGS = ['leave', 'leave', 'leave', 'leave', 'disconnect', 'disconnect', 'disconnect', 'abrupt', 'abrupt', 'silent'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Counters of one run, shared by every session. */
export class Tally {
  constructor() {
    this.count = {
      connects: 0, joins: 0, courseJoins: 0, chats: 0, courseChats: 0, wsChats: 0,
      deliveries: 0, ended: { leave: 0, disconnect: 0, abrupt: 0, silent: 0 },
    };
    /** Error kind → count. */
    this.errors = new Map();
    /** The first few errors, with detail, for the report. */
    this.examples = [];
    /** Open client connections right now (TCP connections to the server). */
    this.open = 0;
  }

  error(kind, detail = '') {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    if (this.examples.length < 20) this.examples.push(`${kind} ${detail}`.trim());
  }

  get errorCount() {
    let n = 0;
    for (const v of this.errors.values()) n += v;
    return n;
  }
}

/** A socket.io connection over websocket, or null (the failure is tallied). */
async function connect(tally, url) {
  const s = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: ANSWER_MS });
  tally.open++;
  let counted = true;
  const uncount = () => {
    if (counted) tally.open--;
    counted = false;
  };
  s.io.on('close', uncount);
  const ok = await new Promise((resolve) => {
    s.once('connect', () => resolve(true));
    s.once('connect_error', (e) => {
      tally.error('connect', `${url}: ${e.message}`);
      resolve(false);
    });
  });
  if (!ok) {
    s.close();
    uncount();
    return null;
  }
  tally.count.connects++;
  return { s, uncount };
}

/** Emits `event` with an ack and a deadline: `{ reply }`, or `{ timeout: true }`. */
function ack(s, event, ...args) {
  return new Promise((resolve) => {
    s.timeout(ANSWER_MS).emit(event, ...args, (err, reply) => resolve(err ? { timeout: true } : { reply }));
  });
}

/** Ends a socket.io session the way `ending` says; resolves once it is over on this side. */
async function endSio(tally, { s, uncount }, ending, leave) {
  if (ending === 'leave' && leave) {
    const r = await ack(s, 'leave', {});
    if (r.timeout) tally.error('leave timeout');
    else if (!r.reply?.ok) tally.error(`leave ${r.reply?.error?.code}`);
  }
  const tcp = s.io.engine?.transport?.ws?._socket;
  if ((ending === 'abrupt' || ending === 'silent') && !tcp) {
    tally.error('no tcp socket to close');
  } else if (ending === 'abrupt') {
    tcp.destroy();
  } else if (ending === 'silent') {
    // Read nothing and send nothing (cork holds even the client's own close
    // frame), as a laptop whose lid closed; then go away for good.
    tcp.pause();
    tcp.cork();
    await sleep(SILENT_MS);
    tcp.destroy();
  }
  s.disconnect();
  uncount();
  tally.count.ended[ending === 'leave' && !leave ? 'disconnect' : ending]++;
}

/** Any `disconnect` before the session chose to end is an error (the server dropped it). */
function watchDrops(tally, s, what) {
  const state = { ending: false };
  s.on('disconnect', (reason) => {
    if (!state.ending) tally.error(`${what} dropped`, reason);
  });
  return state;
}

/**
 * A meeting participant on `/moim`: join `rooms[0]`, chat `chats` messages
 * `gapMs` apart, optionally move to `rooms[1]` (a join there leaves the
 * first) and chat once more, then end.
 */
export async function moimSession(tally, url, { n, rooms, chats, gapMs, ending }) {
  const c = await connect(tally, `${url}/moim`);
  if (!c) return;
  const { s } = c;
  const state = watchDrops(tally, s, '/moim');
  s.on('chat', () => tally.count.deliveries++);
  try {
    for (const [i, room] of rooms.entries()) {
      const j = await ack(s, 'join', { room, name: `soak ${n}`, audio: false, video: false });
      if (j.timeout) return tally.error('join timeout', room);
      if (!j.reply?.ok) return tally.error(`join ${j.reply?.error?.code}`, room);
      tally.count.joins++;
      const count = i === 0 ? chats : 1;
      for (let k = 0; k < count; k++) {
        await sleep(gapMs);
        const m = await ack(s, 'chat', { text: `message ${k} from soak ${n}` });
        if (m.timeout) tally.error('chat timeout');
        else if (!m.reply?.ok) tally.error(`chat ${m.reply?.error?.code}`);
        else tally.count.chats++;
      }
    }
    await sleep(gapMs);
  } finally {
    state.ending = true;
    await endSio(tally, c, ending, true);
  }
}

/** A course client on `/`: nickname, `enter_room`, `new_message` × `chats`, then end (no leave in the course). */
export async function courseSession(tally, url, { n, room, chats, gapMs, ending }) {
  const c = await connect(tally, `${url}/`);
  if (!c) return;
  const { s } = c;
  const state = watchDrops(tally, s, '/');
  s.on('new_message', () => tally.count.deliveries++);
  try {
    s.emit('nickname', `course ${n}`);
    const j = await ack(s, 'enter_room', room);
    if (j.timeout) return tally.error('enter_room timeout', room);
    if (j.reply?.error) return tally.error(`enter_room ${j.reply.error.code}`, room);
    tally.count.courseJoins++;
    for (let k = 0; k < chats; k++) {
      await sleep(gapMs);
      const m = await ack(s, 'new_message', `message ${k} from course ${n}`, room);
      if (m.timeout) tally.error('new_message timeout');
      else if (m.reply?.error) tally.error(`new_message ${m.reply.error.code}`);
      else tally.count.courseChats++;
    }
    await sleep(gapMs);
  } finally {
    state.ending = true;
    await endSio(tally, c, ending, false);
  }
}

/**
 * A raw `/ws` chatter: nickname, then `chats` messages, each acknowledged by
 * its own echo (every `/ws` client gets every message, the sender included);
 * then a close, or an abrupt TCP close.
 */
export async function wsSession(tally, url, { n, chats, gapMs, ending: how }) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
  tally.open++;
  const closed = new Promise((resolve) => ws.once('close', resolve));
  closed.then(() => tally.open--);
  const opened = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ANSWER_MS);
    ws.once('open', () => (clearTimeout(timer), resolve(true)));
    ws.once('error', (e) => (clearTimeout(timer), tally.error('connect', `/ws: ${e.message}`), resolve(false)));
  });
  if (!opened) {
    ws.terminate();
    return;
  }
  tally.count.connects++;
  let ending = false;
  ws.on('close', () => !ending && tally.error('/ws dropped'));
  const nick = `ws ${n}`;
  const waiting = new Map();
  ws.on('message', (data) => {
    const text = data.toString();
    if (text.startsWith('{')) {
      tally.error('/ws refused', text.slice(0, 120));
      return;
    }
    tally.count.deliveries++;
    waiting.get(text)?.();
  });
  try {
    ws.send(JSON.stringify({ type: 'nickname', payload: nick }));
    for (let k = 0; k < chats; k++) {
      await sleep(gapMs);
      const text = `message ${k} from ${nick}`;
      const echoed = new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ANSWER_MS);
        waiting.set(`${nick}: ${text}`, () => (clearTimeout(timer), resolve(true)));
      });
      ws.send(JSON.stringify({ type: 'new_message', payload: text }));
      if (await echoed) tally.count.wsChats++;
      else tally.error('/ws echo timeout');
    }
    await sleep(gapMs);
  } finally {
    ending = true;
    if (how === 'abrupt' || ws._socket == null) ws.terminate();
    else ws.close();
    // `close` waits for the server's close frame; terminate after the deadline.
    const timer = setTimeout(() => ws.terminate(), ANSWER_MS);
    await closed;
    clearTimeout(timer);
  }
  tally.count.ended[how === 'abrupt' ? 'abrupt' : 'disconnect']++;
}
