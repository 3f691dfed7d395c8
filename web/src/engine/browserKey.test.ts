import { describe, expect, it } from 'vitest';
import { base64url, browserKey, inviteFrom, isValidKey, KEY_STORAGE } from './browserKey';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

describe('browserKey', () => {
  it('makes a 32-character base64url key once and keeps it', () => {
    const storage = memoryStorage();
    const key = browserKey(storage);
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(storage.items.get(KEY_STORAGE)).toBe(key);
    expect(browserKey(storage)).toBe(key);
  });

  it('replaces a stored key the server would refuse', () => {
    const storage = memoryStorage({ [KEY_STORAGE]: 'short' });
    const key = browserKey(storage);
    expect(isValidKey(key)).toBe(true);
    expect(key).not.toBe('short');
  });

  it('still gives a key when storage throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(isValidKey(browserKey(broken))).toBe(true);
    expect(isValidKey(browserKey(null))).toBe(true);
  });

  it('encodes bytes as base64url', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe('-__-');
  });

  it('reads the invitation from the query', () => {
    expect(inviteFrom('?invite=abc.def')).toBe('abc.def');
    expect(inviteFrom('?x=1')).toBeUndefined();
    expect(inviteFrom('')).toBeUndefined();
  });
});
