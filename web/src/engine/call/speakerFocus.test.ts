import { describe, expect, it } from 'vitest';
import { SpeakerFocus, speakerStage, type StageTile } from './speakerFocus';

describe('SpeakerFocus', () => {
  it('starts on the speaker, else on the first other person', () => {
    expect(new SpeakerFocus().update(['a', 'b'], 'b', 0)).toBe('b');
    expect(new SpeakerFocus().update(['a', 'b'], null, 0)).toBe('a');
    expect(new SpeakerFocus().update([], null, 0)).toBeNull();
  });

  it('switches to a new speaker only after they spoke for a while, and not before the shown one had their time', () => {
    const f = new SpeakerFocus({ switchAfterMs: 1000, minShowMs: 2500 });
    expect(f.update(['a', 'b'], 'a', 0)).toBe('a');
    // b speaks up at 3 s: still a until b has spoken 1 s.
    expect(f.update(['a', 'b'], 'b', 3000)).toBe('a');
    expect(f.nextChangeAt()).toBe(4000);
    expect(f.update(['a', 'b'], 'b', 3900)).toBe('a');
    expect(f.update(['a', 'b'], 'b', 4000)).toBe('b');
    expect(f.nextChangeAt()).toBeNull();
  });

  it('does not flicker on a short interjection', () => {
    const f = new SpeakerFocus({ switchAfterMs: 1000, minShowMs: 2500 });
    f.update(['a', 'b', 'c'], 'a', 0);
    // b says "mm-hm" for 400 ms, then a again.
    expect(f.update(['a', 'b', 'c'], 'b', 5000)).toBe('a');
    expect(f.update(['a', 'b', 'c'], 'a', 5400)).toBe('a');
    // c, then b, each under a second: the wait restarts with each.
    expect(f.update(['a', 'b', 'c'], 'c', 6000)).toBe('a');
    expect(f.update(['a', 'b', 'c'], 'b', 6800)).toBe('a');
    expect(f.update(['a', 'b', 'c'], 'b', 7700)).toBe('a');
    expect(f.update(['a', 'b', 'c'], 'b', 7800)).toBe('b');
  });

  it('keeps the shown person for the minimum time even when another speaks long', () => {
    const f = new SpeakerFocus({ switchAfterMs: 500, minShowMs: 3000 });
    f.update(['a', 'b'], 'a', 0);
    f.update(['a', 'b'], 'b', 100);
    expect(f.update(['a', 'b'], 'b', 2000)).toBe('a');
    expect(f.update(['a', 'b'], 'b', 3000)).toBe('b');
  });

  it('stays on the shown person through silence, and moves at once when they leave', () => {
    const f = new SpeakerFocus();
    f.update(['a', 'b'], 'b', 0);
    expect(f.update(['a', 'b'], null, 60_000)).toBe('b');
    expect(f.update(['a'], null, 60_001)).toBe('a');
  });
});

describe('speakerStage', () => {
  const tiles: StageTile[] = [
    { key: 'self', kind: 'camera', self: true },
    { key: 'a', kind: 'camera', self: false },
    { key: 'b', kind: 'camera', self: false },
  ];

  it('puts the focus on the stage in the speaker view only', () => {
    expect(speakerStage('speaker', tiles, null, 'b')).toBe('b');
    expect(speakerStage('grid', tiles, null, 'b')).toBeNull();
  });

  it('lets a pinned tile win, in either view', () => {
    expect(speakerStage('speaker', tiles, 'a', 'b')).toBe('a');
    expect(speakerStage('grid', tiles, 'self', 'b')).toBe('self');
    // A pin of someone who left counts for nothing.
    expect(speakerStage('speaker', tiles, 'gone', 'b')).toBe('b');
  });

  it("leaves the stage to someone's shared screen", () => {
    expect(speakerStage('speaker', [...tiles, { key: 'a:screen', kind: 'screen', self: false }], null, 'b')).toBeNull();
    expect(speakerStage('speaker', [...tiles, { key: 'self:screen', kind: 'screen', self: true }], null, 'b')).toBe('b');
  });
});
