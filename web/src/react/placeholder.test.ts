import { describe, expect, it } from 'vitest';
import { hueOf, initials } from './placeholder';

describe('placeholders', () => {
  it('takes initials from one or two words, in any script', () => {
    expect(initials('Mina')).toBe('M');
    expect(initials(' jun  park ')).toBe('JP');
    expect(initials('김민아')).toBe('김');
    expect(initials('👋 hi')).toBe('👋H');
    expect(initials('')).toBe('?');
  });

  it('gives each id a steady hue', () => {
    expect(hueOf('p_1')).toBe(hueOf('p_1'));
    expect(hueOf('p_1')).toBeGreaterThanOrEqual(0);
    expect(hueOf('p_1')).toBeLessThan(360);
  });
});
