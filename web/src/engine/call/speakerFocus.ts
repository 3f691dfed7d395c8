/**
 * Who is shown large in the speaker view. The call already says who the
 * active speaker is (the SFU's loudest person, or in a mesh the last one
 * heard start); followed as is, a short "mm-hm" from someone else would
 * throw the big tile back and forth. So:
 *
 * - a new speaker takes the big tile only after speaking for `switchAfterMs`
 *   without interruption (someone else taking the word resets the wait);
 * - the person shown stays at least `minShowMs`, even if another starts;
 * - with nobody speaking, whoever is shown stays (silence is not a reason
 *   to move the picture);
 * - whoever is shown leaves: the current speaker, else the first other
 *   person, takes the tile at once.
 *
 * Only other people's cameras are candidates: seeing oneself large is of
 * no use (one's own tile is in the strip). A tile pinned by hand, and a
 * screen someone shares, win over all of this (`speakerStage`).
 */

export interface FocusOptions {
  switchAfterMs?: number;
  minShowMs?: number;
}

export class SpeakerFocus {
  private shown: string | null = null;
  private shownSince = 0;
  private pending: string | null = null;
  private pendingSince = 0;
  private readonly switchAfterMs: number;
  private readonly minShowMs: number;

  constructor(options: FocusOptions = {}) {
    this.switchAfterMs = options.switchAfterMs ?? 1000;
    this.minShowMs = options.minShowMs ?? 2500;
  }

  /**
   * `candidates`: the keys of other people's camera tiles, in grid order;
   * `speaker`: the active speaker's key if it is one of them. Returns the key
   * to show large (null with no one else in the call).
   */
  update(candidates: readonly string[], speaker: string | null, now: number): string | null {
    const present = (key: string | null): key is string => key !== null && candidates.includes(key);
    if (!present(this.shown)) {
      this.shown = present(speaker) ? speaker : (candidates[0] ?? null);
      this.shownSince = now;
      this.pending = null;
      return this.shown;
    }
    if (!present(speaker) || speaker === this.shown) {
      this.pending = null;
      return this.shown;
    }
    if (this.pending !== speaker) {
      this.pending = speaker;
      this.pendingSince = now;
    }
    if (now - this.pendingSince >= this.switchAfterMs && now - this.shownSince >= this.minShowMs) {
      this.shown = speaker;
      this.shownSince = now;
      this.pending = null;
    }
    return this.shown;
  }

  /** When the result may change without new input (for a timer), or null. */
  nextChangeAt(): number | null {
    if (this.pending === null) return null;
    return Math.max(this.pendingSince + this.switchAfterMs, this.shownSince + this.minShowMs);
  }
}

/** What `speakerStage` needs of a tile. */
export interface StageTile {
  key: string;
  kind: 'camera' | 'screen';
  self: boolean;
}

/**
 * The tile to put on the stage: a pinned tile wins; in the grid view nothing
 * else (the layout spotlights shared screens by itself); in the speaker view
 * someone's shared screen goes on the stage by itself too, else the focus.
 */
export function speakerStage(view: 'grid' | 'speaker', tiles: readonly StageTile[], pinned: string | null, focus: string | null): string | null {
  if (pinned !== null && tiles.some((t) => t.key === pinned)) return pinned;
  if (view === 'grid') return null;
  if (tiles.some((t) => t.kind === 'screen' && !t.self)) return null;
  return focus !== null && tiles.some((t) => t.key === focus) ? focus : null;
}
