/**
 * TileSizes: what the SFU is told about the tiles (`sfu-tile`), with fake
 * timers: debounced, only changes, nothing while the SFU link is down, all
 * of it again when it comes (back) up, a refused height told again.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TileSizes } from './tileSizes';

describe('TileSizes', () => {
  let sent: Array<[string, number]>;
  let accept: boolean;
  let sizes: TileSizes;

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    accept = true;
    sizes = new TileSizes({
      send: async (id, h) => {
        sent.push([id, h]);
        return accept;
      },
      debounceMs: 250,
    });
  });
  afterEach(() => vi.useRealTimers());

  it('sends the last of a burst of sizes once they are still, and only what changed', async () => {
    sizes.setEnabled(true);
    for (const h of [300, 320, 340, 361]) {
      sizes.set('ara', h);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(250);
    expect(sent).toEqual([['ara', 361]]);

    // The same height again, or another person's unchanged one: nothing new.
    sizes.set('ara', 361);
    sizes.set('jun', 180);
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toEqual([
      ['ara', 361],
      ['jun', 180],
    ]);
    sizes.set('jun', 179.6); // device pixels are whole
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toHaveLength(2);
  });

  it('waits while the SFU link is down and tells every height again when it comes back', async () => {
    sizes.set('ara', 720);
    sizes.set('jun', 0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([]);
    sizes.setEnabled(true);
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toEqual([
      ['ara', 720],
      ['jun', 0],
    ]);
    // A new connection starts from the SFU's default: all of it again.
    sizes.setEnabled(false);
    sizes.setEnabled(true);
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toHaveLength(4);
    expect(sent.slice(2)).toEqual([
      ['ara', 720],
      ['jun', 0],
    ]);
  });

  it('tells a refused height again at the next flush, forgets who left, and keeps heights in range', async () => {
    sizes.setEnabled(true);
    accept = false;
    sizes.set('ara', 200);
    await vi.advanceTimersByTimeAsync(300);
    accept = true;
    sizes.set('jun', 100);
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toEqual([
      ['ara', 200],
      ['ara', 200],
      ['jun', 100],
    ]);

    sizes.retain(new Set(['jun']));
    sizes.set('jun', 50_000);
    sizes.set('eun', -3);
    await vi.advanceTimersByTimeAsync(300);
    expect(sent.slice(3)).toEqual([
      ['jun', 4320],
      ['eun', 0],
    ]);

    sizes.clear();
    sizes.set('jun', 10);
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toHaveLength(5);
  });
});
