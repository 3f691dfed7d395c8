import { describe, expect, it } from 'vitest';
import { MIN_REFRESH_MS, refreshDelayMs, turnExpiry } from './iceRefresh';

const stun = { urls: ['stun:stun.example.org:3478'] };
const turn = (expirySeconds: number) => ({
  urls: ['turn:moim.lan:3478?transport=udp'],
  username: `${expirySeconds}:Xk2fA9c0Qe1rT5yU`,
  credential: 'secret',
});

describe('TURN credential refresh', () => {
  it('reads the earliest expiry from REST API user names', () => {
    expect(turnExpiry([stun])).toBeNull();
    expect(turnExpiry([stun, turn(2000), turn(1000)])).toBe(1_000_000);
    expect(turnExpiry([{ urls: ['turn:x'], username: 'alice', credential: 'c' }])).toBeNull();
  });

  it('fetches again halfway through the credentials\' life', () => {
    const now = 1_000_000;
    // Ten minutes left: refresh in five.
    expect(refreshDelayMs([turn(1000 + 600)], now)).toBe(300_000);
    expect(refreshDelayMs([stun], now)).toBeNull();
  });

  it('never loops on credentials that are about to expire or already have', () => {
    const now = 1_000_000;
    expect(refreshDelayMs([turn(1001)], now)).toBe(MIN_REFRESH_MS);
    expect(refreshDelayMs([turn(900)], now)).toBe(MIN_REFRESH_MS);
  });
});
