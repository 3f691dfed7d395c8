/**
 * Structured logs: one JSON line per join and leave with the room and the
 * participant id, and never a message's text, even at RUST_LOG=debug (where
 * the Socket.IO library would print whole packets if moim let it).
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startServer, type MoimServer } from '../support/server';
import { connect, next, request } from '../support/sio';

let server: MoimServer;

beforeAll(async () => {
  server = await startServer({ args: ['--log-format', 'json'], env: { RUST_LOG: 'debug' } });
});
afterAll(async () => {
  await server?.stop();
});

interface LogLine {
  level: string;
  fields: Record<string, unknown> & { message: string };
}

function lines(): LogLine[] {
  return server
    .log()
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as LogLine);
}

describe('logs', () => {
  it('tells the operator at start-up that there is no TURN relay, and what that costs', () => {
    const warning = lines().find((l) => l.fields?.message?.startsWith('no TURN relay'));
    expect(warning, server.log()).toBeDefined();
    expect(warning?.fields.message).toContain('block direct calls');
  });

  it('has one line per join and leave with room and participant, and no message text', async () => {
    const secret = `secret-${Math.random().toString(36).slice(2)}`;
    const room = `logs-${Date.now()}`;
    const [mina, jun] = await Promise.all([connect(server.url, '/moim'), connect(server.url, '/moim')]);
    const course = await connect(server.url, '/');
    const [minaJoined] = await request(mina, 'join', { room, name: 'Mina' });
    const [junJoined] = await request(jun, 'join', { room, name: 'Jun' });
    const idOf = (ack: unknown) => (ack as { ok: { you: { id: string } } }).ok.you.id;
    await request(course, 'enter_room', room);

    const heard = next(jun, 'chat');
    await request(mina, 'chat', { text: `${secret} moim` });
    await heard;
    await request(course, 'new_message', `${secret} course`, room);
    const ws = new WebSocket(server.url.replace('http', 'ws') + '/ws');
    await new Promise((resolve) => ws.once('open', resolve));
    const echoed = new Promise((resolve) => ws.once('message', resolve));
    ws.send(JSON.stringify({ type: 'new_message', payload: `${secret} ws` }));
    await echoed;
    ws.close();

    await request(jun, 'leave');
    // Lines name the participant id and the socket id (`sid`); a course
    // client never learns its participant id, so its lines are found by `sid`.
    const [courseSid, minaId, junId] = [course.id, idOf(minaJoined), idOf(junJoined)];
    course.disconnect();
    mina.disconnect();

    const about = (message: string, ns: string) =>
      lines().filter((l) => l.fields.message === message && l.fields.ns === ns && l.fields.room === room);
    const wanted = (message: string, ns: string, id: string | undefined) => about(message, ns).filter((l) => l.fields.participant === id);
    const bySid = (message: string, sid: string | undefined) => about(message, '/').filter((l) => l.fields.sid === sid);
    await expect.poll(() => bySid('participant left', courseSid).length).toBe(1);
    await expect.poll(() => wanted('participant left', '/moim', minaId).length).toBe(1);
    expect(wanted('participant joined', '/moim', minaId)).toHaveLength(1);
    expect(wanted('participant joined', '/moim', junId)).toHaveLength(1);
    expect(bySid('participant joined', courseSid)).toHaveLength(1);
    const courseId = bySid('participant joined', courseSid)[0]?.fields.participant as string | undefined;
    expect(courseId, 'a course participant has an id of its own').not.toBe(courseSid);
    expect(wanted('participant left', '/', courseId)).toHaveLength(1);
    expect(wanted('participant left', '/moim', junId)).toHaveLength(1);
    for (const line of lines().filter((l) => /participant (joined|left)/.test(l.fields.message))) {
      expect(line.level).toBe('INFO');
      expect(typeof line.fields.count).toBe('number');
    }

    expect(server.log()).not.toContain(secret);
    jun.disconnect();
  });
});
