/**
 * The browser's own secret key (see "The browser's key" in
 * `docs/protocol.md`): made once, kept in `localStorage` as `moim.key`, and
 * sent in every `join` and `knock`. A meeting knows its hosts, co-hosts and
 * removed people by it, so a reload or a new tab brings the host back as host.
 * Also the page's invitation token (`?invite=`), passed into `join`.
 */

export const KEY_STORAGE = 'moim.key';

const KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** 24 random bytes: 32 characters of base64url. */
const KEY_BYTES = 24;

export function isValidKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Bytes as base64url without padding (`A–Z a–z 0–9 - _`). */
export function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

type KeyStorage = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * The stored key, or a new one stored for next time. Without storage (a
 * private window that refuses it) the key lasts as long as the page.
 */
export function browserKey(
  storage: KeyStorage | null,
  random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
): string {
  try {
    const stored = storage?.getItem(KEY_STORAGE);
    if (stored && isValidKey(stored)) return stored;
  } catch {
    // Storage refused: a key for this page alone.
  }
  const key = base64url(random(KEY_BYTES));
  try {
    storage?.setItem(KEY_STORAGE, key);
  } catch {
    // As above.
  }
  return key;
}

/** The invitation token in a page address's query (`?invite=…`), if any. */
export function inviteFrom(search: string): string | undefined {
  const invite = new URLSearchParams(search).get('invite');
  return invite ? invite : undefined;
}
