import { describe, expect, it } from 'vitest';
import { chooseLang, errorText, MESSAGES } from './index';

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
