import { describe, expect, it } from 'vitest';
import type { ChatEntry } from '../../engine/chatLog';
import { MESSAGES } from '../../i18n';
import { announcementOf, newAnnouncements, newestId } from './announce';
import { needsConfirm } from './leave';
import { SHORTCUT_KEYS, shortcutFor } from './shortcuts';

/** A stand-in for an element: only what `isTypingTarget` reads. */
function el(tagName: string, extra: { type?: string; isContentEditable?: boolean; inDialog?: boolean } = {}) {
  return {
    tagName: tagName.toUpperCase(),
    type: extra.type,
    isContentEditable: extra.isContentEditable ?? false,
    closest: (sel: string) => (extra.inDialog && sel.includes('dialog') ? {} : null),
  } as unknown as EventTarget;
}

describe('shortcutFor', () => {
  it('maps the single keys, either case', () => {
    expect(shortcutFor({ key: 'm' })).toBe('mute');
    expect(shortcutFor({ key: 'M' })).toBe('mute');
    expect(shortcutFor({ key: 'v' })).toBe('camera');
    expect(shortcutFor({ key: 'c' })).toBe('chat');
    expect(shortcutFor({ key: 'h' })).toBe('hand');
    expect(shortcutFor({ key: 'l' })).toBe('leave');
    expect(shortcutFor({ key: '?' })).toBe('help');
    expect(shortcutFor({ key: 'x' })).toBeNull();
    expect(shortcutFor({ key: 'Enter' })).toBeNull();
  });

  it('follows the physical key when a Korean input method gives a Hangul letter', () => {
    expect(shortcutFor({ key: 'ㅡ', code: 'KeyM' })).toBe('mute');
    expect(shortcutFor({ key: 'ㅍ', code: 'KeyV' })).toBe('camera');
    expect(shortcutFor({ key: 'ㅂ', code: 'KeyQ' })).toBeNull();
  });

  it('leaves typing, the browser and dialogs alone', () => {
    expect(shortcutFor({ key: 'm', target: el('input') })).toBeNull();
    expect(shortcutFor({ key: 'm', target: el('input', { type: 'search' }) })).toBeNull();
    expect(shortcutFor({ key: '?', target: el('textarea') })).toBeNull();
    expect(shortcutFor({ key: 'v', target: el('select') })).toBeNull();
    expect(shortcutFor({ key: 'c', target: el('div', { isContentEditable: true }) })).toBeNull();
    expect(shortcutFor({ key: 'l', target: el('button', { inDialog: true }) })).toBeNull();
    expect(shortcutFor({ key: 'm', ctrlKey: true })).toBeNull();
    expect(shortcutFor({ key: 'c', metaKey: true })).toBeNull();
    expect(shortcutFor({ key: 'h', altKey: true })).toBeNull();
    expect(shortcutFor({ key: 'm', repeat: true })).toBeNull();
    // A focused button or checkbox is not typing: the shortcut works there.
    expect(shortcutFor({ key: 'm', target: el('button') })).toBe('mute');
    expect(shortcutFor({ key: 'm', target: el('input', { type: 'checkbox' }) })).toBe('mute');
  });

  it('shows a key for every action in the help, each described in both languages', () => {
    for (const m of Object.values(MESSAGES)) {
      expect(Object.keys(m.flow.shortcut).sort()).toEqual(Object.keys(SHORTCUT_KEYS).sort());
    }
  });
});

describe('announcements', () => {
  const mina = { id: 'p_1', name: 'Mina', audio: true, video: true, screen: false, joined: 1, role: 'guest' as const, hand: null, audioLocked: false };
  const log: ChatEntry[] = [
    { id: 1, kind: 'other', from: { id: 'p_1', name: 'Mina' }, text: 'old', ts: 1, history: true },
    { id: 2, kind: 'joined', participant: mina, count: 2 },
    { id: 3, kind: 'other', from: { id: 'p_1', name: 'Mina' }, text: 'hello', ts: 2 },
    { id: 4, kind: 'self', text: 'hi', ts: 3 },
    { id: 5, kind: 'error', error: { code: 'disconnected' } },
    { id: 6, kind: 'left', participant: mina, count: 1 },
  ];

  it('says joins, leaves and new messages, in the UI language; not history, own lines or errors', () => {
    expect(newAnnouncements(log, 0, MESSAGES.en.flow)).toEqual(['Mina joined', 'Message from Mina: hello', 'Mina left']);
    expect(newAnnouncements(log, 0, MESSAGES.ko.flow)).toEqual(['Mina님이 들어왔습니다', 'Mina님의 메시지: hello', 'Mina님이 나갔습니다']);
    expect(announcementOf(log[0]!, MESSAGES.en.flow)).toBeNull();
  });

  it('says only what came after the last line seen', () => {
    expect(newestId(log)).toBe(6);
    expect(newestId([])).toBe(0);
    expect(newAnnouncements(log, 3, MESSAGES.en.flow)).toEqual(['Mina left']);
    expect(newAnnouncements(log, 6, MESSAGES.en.flow)).toEqual([]);
  });
});

describe('needsConfirm', () => {
  it('asks with others in the call, not alone, and always when asked to', () => {
    expect(needsConfirm(2)).toBe(true);
    expect(needsConfirm(1)).toBe(false);
    expect(needsConfirm(1, true)).toBe(true);
  });
});
