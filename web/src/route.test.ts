import { describe, expect, it } from 'vitest';
import { parseRoute, roomPath } from './route';

describe('routes', () => {
  it('parses home and room paths', () => {
    expect(parseRoute('/')).toEqual({ kind: 'home' });
    expect(parseRoute('/index.html')).toEqual({ kind: 'home' });
    expect(parseRoute('/r/')).toEqual({ kind: 'home' });
    expect(parseRoute('/r/standup')).toEqual({ kind: 'room', room: 'standup' });
    expect(parseRoute('/r/standup/')).toEqual({ kind: 'room', room: 'standup' });
  });

  it('has no page for other addresses', () => {
    for (const path of ['/other', '/nonexistent/page', '/rooms/x', '/ops2', '/R/standup']) {
      expect(parseRoute(path)).toEqual({ kind: 'not-found' });
    }
  });

  it('round-trips any room name', () => {
    for (const room of ['standup', '주간 회의', 'a/b?c#d', '100%', '👋 hi']) {
      expect(parseRoute(roomPath(room))).toEqual({ kind: 'room', room });
    }
  });

  it('keeps a malformed escape as typed', () => {
    expect(parseRoute('/r/%E0%A4%A')).toEqual({ kind: 'room', room: '%E0%A4%A' });
  });
});
