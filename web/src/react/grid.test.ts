import { describe, expect, it } from 'vitest';
import { gridShape, hueOf, initials } from './grid';

describe('gridShape', () => {
  it('re-flows with the number of tiles', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 9, 10].map((n) => [gridShape(n).cols, gridShape(n).rows])).toEqual([
      [1, 1],
      [2, 1],
      [2, 2],
      [2, 2],
      [3, 2],
      [3, 2],
      [3, 3],
      [3, 3],
      [4, 3],
    ]);
  });

  it('keeps phones to one or two columns', () => {
    expect([1, 2, 3, 6].map((n) => gridShape(n).narrowCols)).toEqual([1, 1, 2, 2]);
    expect(gridShape(6).narrowRows).toBe(3);
  });
});

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
