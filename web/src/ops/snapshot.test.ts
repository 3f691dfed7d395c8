import { describe, expect, it } from 'vitest';
import { formatUptime, isOpsSnapshot } from './snapshot';

describe('ops snapshot', () => {
  it('accepts the server shape and refuses anything else', () => {
    const good = {
      node: 'box',
      version: '0.1.0',
      uptimeSeconds: 12,
      relay: false,
      namespaces: [{ name: '/moim', rooms: [{ name: 'standup', mode: 'mesh', participants: [{ id: 'a', name: 'Mina' }] }] }],
    };
    expect(isOpsSnapshot(good)).toBe(true);
    const hosted = { ...good, namespaces: [{ name: '/moim', rooms: [{ name: 'r', mode: 'sfu', mediaNode: 'box-1a2b', participants: [] }] }] };
    expect(isOpsSnapshot(hosted)).toBe(true);
    expect(isOpsSnapshot({ ...good, namespaces: [{ name: '/moim', rooms: [{ name: 'r', mode: 'sfu', mediaNode: 7, participants: [] }] }] })).toBe(false);
    expect(isOpsSnapshot({ ...good, uptimeSeconds: '12' })).toBe(false);
    expect(isOpsSnapshot({ ...good, relay: 'no' })).toBe(false);
    expect(isOpsSnapshot({ ...good, namespaces: [{ name: '/', rooms: [{ name: 'r', mode: 'mesh', participants: [{ id: 1 }] }] }] })).toBe(false);
    expect(isOpsSnapshot(null)).toBe(false);
  });

  it('formats uptime for people', () => {
    expect(formatUptime(5)).toBe('5 s');
    expect(formatUptime(3725)).toBe('1 h 2 min 5 s');
    expect(formatUptime(90_061)).toBe('1 d 1 h 1 min 1 s');
  });
});
