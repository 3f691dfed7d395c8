/**
 * Audio levels, for the pre-join microphone meter and "who is speaking".
 *
 * Local audio is measured with Web Audio (an AnalyserNode on the mic stream).
 * Remote audio uses the level the sender's browser already puts in every RTP
 * packet (`getSynchronizationSources().audioLevel`): no audio graph per peer,
 * and it works even where Chrome does not feed remote streams to Web Audio.
 */

/** A live level in 0..1 (RMS of the waveform; speech is roughly 0.02–0.3). */
export interface LevelMeter {
  level(): number;
  close(): void;
}

export class AnalyserMeter implements LevelMeter {
  private readonly source: MediaStreamAudioSourceNode;
  private readonly analyser: AnalyserNode;
  private readonly buffer: Float32Array<ArrayBuffer>;

  constructor(ctx: AudioContext, stream: MediaStream) {
    this.source = ctx.createMediaStreamSource(stream);
    this.analyser = ctx.createAnalyser();
    this.analyser.fftSize = 512;
    this.buffer = new Float32Array(this.analyser.fftSize);
    // Not connected to the destination: measured, never played back (no echo).
    this.source.connect(this.analyser);
  }

  level(): number {
    this.analyser.getFloatTimeDomainData(this.buffer);
    return rms(this.buffer);
  }

  close(): void {
    this.source.disconnect();
  }
}

/** Root mean square of samples in -1..1. */
export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] ?? 0;
    sum += s * s;
  }
  return Math.sqrt(sum / samples.length);
}

/** The latest level of what a receiver hears, 0 when unknown. */
export function receiverLevel(receiver: RTCRtpReceiver): number {
  const sources = receiver.getSynchronizationSources?.() ?? [];
  let level = 0;
  for (const s of sources) level = Math.max(level, s.audioLevel ?? 0);
  return level;
}

/**
 * Turns levels into a steady "speaking" flag: on as soon as the level passes
 * `threshold`, off only after `holdMs` below it, so the highlight does not
 * flicker between words.
 */
export class SpeakingDetector {
  private readonly lastLoud = new Map<string, number>();

  constructor(
    private readonly threshold = 0.02,
    private readonly holdMs = 600,
  ) {}

  /** Feeds one level for `key` at time `now` (ms); returns whether it speaks. */
  update(key: string, level: number, now: number): boolean {
    if (level >= this.threshold) {
      this.lastLoud.set(key, now);
      return true;
    }
    const last = this.lastLoud.get(key);
    return last !== undefined && now - last < this.holdMs;
  }

  forget(key: string): void {
    this.lastLoud.delete(key);
  }
}
