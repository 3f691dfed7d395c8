/**
 * TileSizes: tells moim's SFU how tall this browser draws each remote camera
 * (`sfu-tile`), so it forwards the smallest simulcast layer that still looks
 * sharp: a thumbnail gets 180p, a speaker filling the screen 720p, a tile
 * scrolled away or covered by the camera-off placeholder (height 0) the
 * lowest layer.
 *
 * The UI reports every size it measures; a resize sends a burst of them, so
 * they are debounced, and only a height that differs from the one the server
 * last accepted is sent. Reports wait while the meeting is peer to peer or
 * the SFU connection is not up; when it comes (back) up, every height is told
 * again, because a new connection starts from the SFU's default.
 */
import { MAX_TILE_HEIGHT } from '../protocol';

export interface TileSizesOptions {
  /** Sends one `sfu-tile`; resolves false when it was refused. */
  send(participant: string, height: number): Promise<boolean>;
  /** How long sizes must be still before they are sent, in ms. */
  debounceMs?: number;
}

export class TileSizes {
  private readonly wanted = new Map<string, number>();
  /** What the server accepted (or is being told now). */
  private readonly told = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private enabled = false;

  constructor(private readonly options: TileSizesOptions) {}

  /** `participant`'s camera is drawn `height` device pixels tall (0: not seen). */
  set(participant: string, height: number): void {
    const h = Number.isFinite(height) ? Math.min(MAX_TILE_HEIGHT, Math.max(0, Math.round(height))) : 0;
    if (this.wanted.get(participant) === h) return;
    this.wanted.set(participant, h);
    this.schedule();
  }

  /** Keeps only these participants (the others left). */
  retain(present: ReadonlySet<string>): void {
    for (const id of [...this.wanted.keys()]) {
      if (present.has(id)) continue;
      this.wanted.delete(id);
      this.told.delete(id);
    }
  }

  /** Sending is on while the meeting goes through a connected SFU link. */
  setEnabled(on: boolean): void {
    if (on === this.enabled) return;
    this.enabled = on;
    this.told.clear();
    if (on) this.schedule();
    else this.cancel();
  }

  /** The call ended: nothing is drawn any more. */
  clear(): void {
    this.wanted.clear();
    this.told.clear();
    this.enabled = false;
    this.cancel();
  }

  private schedule(): void {
    if (!this.enabled) return;
    this.cancel();
    this.timer = setTimeout(() => this.flush(), this.options.debounceMs ?? 250);
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    if (!this.enabled) return;
    for (const [id, height] of this.wanted) {
      if (this.told.get(id) === height) continue;
      this.told.set(id, height);
      void this.options.send(id, height).then(
        (ok) => this.settled(id, height, ok),
        () => this.settled(id, height, false),
      );
    }
  }

  /** A refused height is not the server's: the next flush tells it again. */
  private settled(id: string, height: number, ok: boolean): void {
    if (!ok && this.told.get(id) === height) this.told.delete(id);
  }
}
