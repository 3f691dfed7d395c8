import { describe, expect, it } from 'vitest';
import { arrange, fitTiles, GAP, type Box, type Placeable, type Rect } from './layout';

const cams = (n: number): Placeable[] =>
  Array.from({ length: n }, (_, i) => ({ key: i === 0 ? 'self' : `p${i}`, kind: 'camera' as const, self: i === 0 }));

const area = (r: Rect) => r.width * r.height;

/** No two rects overlap, and each lies inside the box. */
function expectTidy(rects: Map<string, Rect>, box: Box) {
  const all = [...rects.values()];
  for (const r of all) {
    expect(r.x).toBeGreaterThanOrEqual(0);
    expect(r.y).toBeGreaterThanOrEqual(0);
    expect(r.x + r.width).toBeLessThanOrEqual(box.width);
    expect(r.y + r.height).toBeLessThanOrEqual(box.height);
    expect(r.width).toBeGreaterThan(0);
    expect(r.height).toBeGreaterThan(0);
  }
  for (const [i, a] of all.entries()) {
    for (const b of all.slice(i + 1)) {
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect(apart, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`).toBe(true);
    }
  }
}

describe('the gallery', () => {
  it('fills a phone held upright with two columns of square tiles', () => {
    const box = { width: 366, height: 620 };
    const { layout, rects } = arrange(cams(5), box);
    expect(layout).toBe('gallery');
    const sizes = [...rects.values()].map((r) => [r.width, r.height]);
    expect(sizes).toEqual(Array(5).fill([179, 179]));
    // Two thirds of the screen is video; 16:9 tiles in the same columns gave 40 %.
    const used = [...rects.values()].reduce((s, r) => s + area(r), 0);
    expect(used / (box.width * box.height)).toBeGreaterThan(0.65);
    expectTidy(rects, box);
  });

  it('gives four people on a phone held upright two columns of squares, not a column of strips', () => {
    // The grid's box in a 390x844 phone (and a taller one): 16:9 strips in
    // one column would cover more of it, but each face would be a sliver.
    for (const box of [
      { width: 366, height: 620 },
      { width: 366, height: 700 },
    ]) {
      const { rects } = arrange(cams(4), box);
      const all = [...rects.values()];
      expect(new Set(all.map((r) => r.x)).size).toBe(2);
      for (const r of all) expect(r.width).toBe(r.height);
      expect(all[0]!.width).toBe(179);
      expectTidy(rects, box);
    }
    // One or two people: one column of squares as wide as the phone allows.
    for (const n of [1, 2]) {
      const rects = [...arrange(cams(n), { width: 366, height: 620 }).rects.values()];
      for (const r of rects) expect(r.width).toBe(r.height);
      expect(new Set(rects.map((r) => r.x)).size).toBe(1);
    }
  });

  it('gives a wide window 4:3 tiles in as many columns as makes them biggest', () => {
    expect(fitTiles(6, { width: 1100, height: 600 }, GAP, { min: 4 / 3, max: 16 / 9 })).toEqual({
      cols: 3,
      rows: 2,
      width: 361,
      height: 270,
    });
    // Two people in a wide window: side by side, not one above the other.
    expect(fitTiles(2, { width: 1100, height: 600 }, GAP, { min: 4 / 3, max: 16 / 9 }).cols).toBe(2);
    // A letterbox-shaped window: one row.
    expect(fitTiles(4, { width: 1600, height: 300 }, GAP, { min: 4 / 3, max: 16 / 9 }).rows).toBe(1);
  });

  it('centres the last row', () => {
    const { rects } = arrange(cams(5), { width: 1100, height: 600 });
    const rows = new Map<number, Rect[]>();
    for (const r of rects.values()) rows.set(r.y, [...(rows.get(r.y) ?? []), r]);
    const [first, last] = [...rows.values()] as [Rect[], Rect[]];
    expect(first).toHaveLength(3);
    expect(last).toHaveLength(2);
    const middle = (rs: Rect[]) => (Math.min(...rs.map((r) => r.x)) + Math.max(...rs.map((r) => r.x + r.width))) / 2;
    expect(Math.abs(middle(first) - middle(last))).toBeLessThanOrEqual(1);
  });

  it('never overlaps tiles or leaves the box, for any count and shape', () => {
    for (const box of [
      { width: 366, height: 620 },
      { width: 1100, height: 600 },
      { width: 320, height: 180 },
      { width: 1920, height: 900 },
    ]) {
      for (let n = 1; n <= 16; n++) {
        const { rects } = arrange(cams(n), box);
        expect(rects.size).toBe(n);
        expectTidy(rects, box);
      }
    }
  });

  it('places nothing visible in a box not measured yet', () => {
    const { rects } = arrange(cams(3), { width: 0, height: 0 });
    expect([...rects.values()].every((r) => r.width === 0 && r.height === 0)).toBe(true);
  });
});

describe('the spotlight on a shared screen', () => {
  const sharing: Placeable[] = [...cams(4), { key: 'p2:screen', kind: 'screen', self: false }];

  it('gives someone else’s screen the stage and puts the cameras in a strip at the side', () => {
    const box = { width: 1100, height: 600 };
    const { layout, rects } = arrange(sharing, box);
    expect(layout).toBe('spotlight');
    const screen = rects.get('p2:screen')!;
    const cameras = ['self', 'p1', 'p2', 'p3'].map((k) => rects.get(k)!);
    expect(screen.height).toBe(600);
    expect(area(screen)).toBeGreaterThan(3 * cameras.reduce((s, r) => s + area(r), 0));
    for (const c of cameras) expect(c.x).toBeGreaterThanOrEqual(screen.x + screen.width + GAP);
    expectTidy(rects, box);
  });

  it('puts the strip below the screen on a phone held upright', () => {
    const box = { width: 366, height: 620 };
    const { rects } = arrange(sharing, box);
    const screen = rects.get('p2:screen')!;
    expect(screen.width).toBe(366);
    for (const k of ['self', 'p1', 'p2', 'p3']) expect(rects.get(k)!.y).toBeGreaterThanOrEqual(screen.y + screen.height + GAP);
    expectTidy(rects, box);
  });

  it('leaves your own screen a tile among the others', () => {
    const own: Placeable[] = [...cams(3), { key: 'self:screen', kind: 'screen', self: true }];
    const { layout, rects } = arrange(own, { width: 1100, height: 600 });
    expect(layout).toBe('gallery');
    expect(new Set([...rects.values()].map((r) => area(r))).size).toBe(1);
  });

  it('gives the stage to a pinned camera, even over a shared screen', () => {
    const box = { width: 1100, height: 600 };
    const { layout, rects } = arrange(sharing, box, 'p1');
    expect(layout).toBe('spotlight');
    const pinned = rects.get('p1')!;
    expect(pinned.width / pinned.height).toBeGreaterThanOrEqual(4 / 3 - 0.01);
    // The screen joins the cameras in the strip.
    const screen = rects.get('p2:screen')!;
    expect(screen.x).toBeGreaterThanOrEqual(pinned.x + pinned.width + GAP);
    expect(area(pinned)).toBeGreaterThan(4 * area(screen));
    expectTidy(rects, box);
  });

  it('keeps a pinned camera at least 4:3 on a stage taller than wide', () => {
    const { rects } = arrange(cams(3), { width: 760, height: 600 }, 'p1');
    const pinned = rects.get('p1')!;
    expect(pinned.width / pinned.height).toBeGreaterThanOrEqual(4 / 3 - 0.01);
  });

  it('gives the whole box to a pinned tile that is alone', () => {
    const { rects } = arrange(cams(1), { width: 800, height: 450 }, 'self');
    expect(rects.get('self')).toEqual({ x: 0, y: 0, width: 800, height: 450 });
  });

  it('forgets a pin whose tile is gone', () => {
    expect(arrange(cams(3), { width: 1100, height: 600 }, 'someone-who-left').layout).toBe('gallery');
  });
});

