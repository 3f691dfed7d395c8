import { describe, expect, it } from 'vitest';
import { hueOf, initials } from './placeholder';

describe('placeholders', () => {
  it('takes initials from one or two words, in any script', () => {
    expect(initials('Mina')).toBe('M');
    expect(initials(' jun  park ')).toBe('JP');
    expect(initials('김민아')).toBe('김');
    expect(initials('')).toBe('?');
  });

  it('takes letters and digits only, never punctuation or emoji', () => {
    expect(initials('Eun (no camera/mic)')).toBe('E');
    expect(initials('Eun-ji (guest)')).toBe('E');
    expect(initials('(Eun) Kim')).toBe('K');
    expect(initials('"Jun" Park')).toBe('JP');
    expect(initials('👋 hi')).toBe('H');
    expect(initials('...')).toBe('?');
    expect(initials('(guest)')).toBe('G');
    expect(initials('김 민아 (카메라 없음)')).toBe('김민');
    expect(initials('「민아」')).toBe('민');
    expect(initials('2nd floor')).toBe('2F');
    expect(initials('élodie')).toBe('É');
  });

  it('gives each id a steady hue', () => {
    expect(hueOf('p_1')).toBe(hueOf('p_1'));
    expect(hueOf('p_1')).toBeGreaterThanOrEqual(0);
    expect(hueOf('p_1')).toBeLessThan(360);
  });
});
