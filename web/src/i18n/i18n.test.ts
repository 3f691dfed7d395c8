import { describe, expect, it } from 'vitest';
import { chooseLang, errorText, formatBytes, MESSAGES } from './index';

/** Every key path of a table ("errors.timeout", "modeLabel.mesh", …), sorted. */
function keyPaths(value: object, prefix = ''): string[] {
  return Object.entries(value)
    .flatMap(([key, v]) => (typeof v === 'object' && v !== null ? keyPaths(v as object, `${prefix}${key}.`) : [`${prefix}${key}`]))
    .sort();
}

describe('tables', () => {
  it('has every English key in every language, and no other', () => {
    for (const messages of Object.values(MESSAGES)) expect(keyPaths(messages)).toEqual(keyPaths(MESSAGES.en));
  });
});

describe('chooseLang', () => {
  it('follows the browser: ko* is Korean, the rest English', () => {
    expect(chooseLang(null, 'ko')).toBe('ko');
    expect(chooseLang(null, 'ko-KR')).toBe('ko');
    expect(chooseLang(null, 'en-US')).toBe('en');
    expect(chooseLang(null, 'de')).toBe('en');
    expect(chooseLang(null, undefined)).toBe('en');
  });

  it('prefers a saved choice, ignoring junk', () => {
    expect(chooseLang('en', 'ko-KR')).toBe('en');
    expect(chooseLang('ko', 'en')).toBe('ko');
    expect(chooseLang('xx', 'ko')).toBe('ko');
  });
});

describe('errorText', () => {
  it('explains known codes in each language, with limits', () => {
    const err = { code: 'invalid_message', message: 'server words' };
    expect(errorText(MESSAGES.en, err)).toBe('Message too long (max 4000 characters).');
    expect(errorText(MESSAGES.ko, err)).toBe('메시지가 너무 깁니다 (최대 4000자).');
  });

  it("words the engine's own errors, which carry only a code, as the engine used to", () => {
    expect(errorText(MESSAGES.en, { code: 'invalid_name' })).toBe('Nickname must be 1–32 characters.');
    expect(errorText(MESSAGES.en, { code: 'invalid_room' })).toBe('Room name must be 1–64 characters.');
    expect(errorText(MESSAGES.en, { code: 'bad_response' })).toBe('The server sent an answer this page does not understand.');
    expect(errorText(MESSAGES.ko, { code: 'timeout' })).toBe('서버가 제때 응답하지 않았습니다.');
  });

  it("falls back to the server's sentence for an unknown code", () => {
    expect(errorText(MESSAGES.en, { code: 'new_thing', message: 'Something new.' })).toBe('Something new.');
    expect(errorText(MESSAGES.en, { code: 'toString', message: 'Not a method.' })).toBe('Not a method.');
  });

  it('has notices in natural word order', () => {
    expect(MESSAGES.en.joined('Mina', 3)).toBe('Mina joined (3)');
    expect(MESSAGES.ko.joined('Mina', 3)).toBe('Mina님이 입장했습니다 (3)');
    expect(MESSAGES.ko.left('Jun', 2)).toBe('Jun님이 나갔습니다 (2)');
  });
});

describe('call strings', () => {
  it('formats sizes', () => {
    const units = ['B', 'KB', 'MB', 'GB'] as const;
    expect(formatBytes(512, units)).toBe('512 B');
    expect(formatBytes(1536, units)).toBe('1.5 KB');
    expect(formatBytes(100 * 1024 * 1024, units)).toBe('100 MB');
  });

  it('explains media problems and file refusals in both languages', () => {
    expect(MESSAGES.en.mediaProblem('denied', 'both')).toMatch(/blocked.*still join/);
    expect(MESSAGES.ko.mediaProblem('not_found', 'camera')).toMatch(/카메라/);
    expect(MESSAGES.en.fileRefused('too_large', 104857600)).toBe('Files can be at most 100 MB.');
    expect(MESSAGES.ko.fileRefused('no_peers', 1)).toMatch(/받을 사람/);
    expect(MESSAGES.en.unread(1)).toBe('1 unread message');
    expect(MESSAGES.ko.screenOf('Jun', false)).toBe('Jun님의 화면');
  });
});
