/**
 * What a person would check on a video: is it moving, and is it not black?
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** True when the video has frames, advances over 400 ms, and is not black. */
export function isLive(video: Locator): Promise<boolean> {
  return video.evaluate(async (el) => {
    const v = el as HTMLVideoElement;
    if (v.readyState < 2 || v.videoWidth === 0) return false;
    const before = v.getVideoPlaybackQuality().totalVideoFrames;
    await new Promise((r) => setTimeout(r, 400));
    const after = v.getVideoPlaybackQuality().totalVideoFrames;
    const canvas = document.createElement('canvas');
    canvas.width = 32;
    canvas.height = 32;
    const ctx = canvas.getContext('2d');
    if (!ctx) return false;
    ctx.drawImage(v, 0, 0, 32, 32);
    const { data } = ctx.getImageData(0, 0, 32, 32);
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
    const brightness = sum / (data.length / 4);
    return after > before && brightness > 8;
  });
}

/** How many of `videos` are live right now. */
export async function liveCount(videos: Locator): Promise<number> {
  const all = await videos.all();
  const live = await Promise.all(all.map((v) => isLive(v).catch(() => false)));
  return live.filter(Boolean).length;
}

/** Waits until `page` shows `n` remote camera videos, all moving and not black. */
export async function waitForLiveRemotes(page: Page, n: number, timeout = 30_000): Promise<void> {
  const videos = page.getByTestId('remote-video');
  await expect
    .poll(async () => ((await videos.count()) === n ? liveCount(videos) : -1), { timeout, interval: 250 })
    .toBe(n);
}

/** The call's mode as the page shows it: `mesh` or `sfu`. */
export const modeOf = (page: Page) => page.getByTestId('call-mode').getAttribute('data-mode');

/**
 * Keeps every RTCPeerConnection the page makes in `window.__pcs`, so a test
 * can read their `getStats()`. Call before the page loads.
 */
export async function keepPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const pcs: RTCPeerConnection[] = [];
    (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = pcs;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        pcs.push(this);
      }
    };
  });
}

/** The candidate types of a connected peer connection's selected pair. */
export interface SelectedPair {
  local: string;
  remote: string;
  /** The connection's `iceTransportPolicy`. */
  policy: string;
}

/**
 * The selected candidate pair of each connected peer connection of the page
 * (kept by {@link keepPeerConnections}).
 */
export function selectedPairs(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const out: SelectedPair[] = [];
    for (const pc of pcs) {
      if (pc.connectionState !== 'connected') continue;
      const stats = await pc.getStats();
      const byId = new Map<string, Record<string, unknown>>();
      stats.forEach((s: Record<string, unknown>) => byId.set(s.id as string, s));
      for (const s of byId.values()) {
        if (s.type !== 'transport' || !s.selectedCandidatePairId) continue;
        const pair = byId.get(s.selectedCandidatePairId as string);
        const local = pair && byId.get(pair.localCandidateId as string);
        const remote = pair && byId.get(pair.remoteCandidateId as string);
        out.push({
          local: String(local?.candidateType),
          remote: String(remote?.candidateType),
          policy: String(pc.getConfiguration().iceTransportPolicy),
        });
      }
    }
    return out;
  });
}

/** One simulcast layer the page's camera sends, from `outbound-rtp`. */
export interface SentLayer {
  rid: string;
  frameHeight: number;
  framesEncoded: number;
}

/** The video layers the page sends with a rid (simulcast), sorted by height. */
export function sentLayers(page: Page): Promise<SentLayer[]> {
  return page.evaluate(async () => {
    const layers: SentLayer[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type !== 'outbound-rtp' || s.kind !== 'video' || typeof s.rid !== 'string') return;
        layers.push({ rid: s.rid, frameHeight: Number(s.frameHeight ?? 0), framesEncoded: Number(s.framesEncoded ?? 0) });
      });
    }
    return layers.sort((a, b) => a.frameHeight - b.frameHeight);
  });
}

/**
 * The frame height `page` receives `name`'s camera at (`inbound-rtp` of the
 * track their tile plays), or 0 when there is none.
 */
export function receivedHeight(page: Page, name: string): Promise<number> {
  return page.evaluate(async (name) => {
    const video = document.querySelector(`[data-testid="remote-video"][data-name="${name}"]`) as HTMLVideoElement | null;
    const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
    if (!track) return 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      let height = 0;
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' && s.trackIdentifier === track.id) height = Number(s.frameHeight ?? 0);
      });
      if (height > 0) return height;
    }
    return 0;
  }, name);
}

/**
 * A second of "syllables" as a WAV file, for Chromium's
 * `--use-file-for-fake-audio-capture` (played in a loop): a microphone that
 * keeps talking, where the default fake one beeps once a second and a sampled
 * level can miss the beep. Four 210 ms tones of changing pitch with short
 * gaps, like speech: a constant 440 Hz tone arrived ~20 dB quieter than it
 * was written, at the edge of the "speaking" threshold (most likely Chromium's
 * noise suppression, which learns a steady tone as noise).
 */
export function toneWav(): string {
  const rate = 48_000;
  const samples = rate;
  const syllable = rate / 4;
  const voiced = Math.round(rate * 0.21);
  const pitches = [220, 277, 330, 247];
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const k = Math.floor(i / syllable);
    const t = i % syllable;
    const value = t < voiced ? Math.sin((2 * Math.PI * pitches[k % pitches.length]! * t) / rate) * 12_000 : 0;
    data.writeInt16LE(Math.round(value), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  const path = join(mkdtempSync(join(tmpdir(), 'moim-tone-')), 'tone.wav');
  writeFileSync(path, Buffer.concat([header, data]));
  return path;
}

/** What limits the page's video sending, for a failure message: camera size, layers, bandwidth estimate. */
export function senderReport(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const out: string[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const t of pc.getSenders()) {
        const s = t.track?.kind === 'video' ? t.track.getSettings() : null;
        if (s) out.push(`camera ${s.width}x${s.height}`);
      }
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video' && s.rid) {
          out.push(`${String(s.rid)}: ${String(s.frameHeight)}p, ${String(s.framesEncoded)} frames, limited by ${String(s.qualityLimitationReason)}`);
        }
        if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate) {
          out.push(`estimate ${String(s.availableOutgoingBitrate)} bps`);
        }
      });
    }
    return out.join('; ');
  });
}
