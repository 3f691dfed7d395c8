/**
 * Who is speaking in a call, and who the room's active speaker is. In a mesh
 * both come from the levels this page reads (the active speaker is the one
 * who started speaking last); through the SFU the server names the active
 * speaker (`active-speaker`), the loudest person as it hears them.
 */
import type { RoomMode } from '../protocol';
import { SpeakingDetector } from './level';

export class CallSpeakers {
  private readonly detector = new SpeakingDetector();
  private fromServer: string | null = null;
  private heardLast: string | null = null;
  /** Who speaks now (steady: see `SpeakingDetector`). */
  speaking: ReadonlySet<string> = new Set();

  /** One round of levels by participant id; true when who speaks changed. */
  update(levels: Iterable<readonly [string, number]>, now: number): boolean {
    const next = new Set<string>();
    for (const [id, level] of levels) if (this.detector.update(id, level, now)) next.add(id);
    const started = [...next].filter((id) => !this.speaking.has(id));
    if (started.length > 0) this.heardLast = started[started.length - 1]!;
    if (next.size === this.speaking.size && started.length === 0) return false;
    this.speaking = next;
    return true;
  }

  /** The SFU's choice (`active-speaker`). */
  setServerSpeaker(id: string | null): void {
    this.fromServer = id;
  }

  /** Someone's levels are gone (they left the mesh). */
  forget(id: string): void {
    this.detector.forget(id);
  }

  active(mode: RoomMode | null): string | null {
    return mode === 'sfu' ? this.fromServer : this.heardLast;
  }

  /** The call ended: nobody speaks. */
  clear(): void {
    this.fromServer = this.heardLast = null;
    this.speaking = new Set();
  }
}
