/**
 * A hard mute through the SFU, judged where it matters: at another person's
 * side. Mina (the host) switches "people may unmute themselves" off and mutes
 * Jun; Jun's browser then ignores it and sends its microphone anyway (a
 * client that does not play along). Ara receives none of Jun's audio from
 * then on, while Mina's keeps coming; once Mina lets Jun speak, it flows again.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { keepPeerConnections, waitForLiveRemotes } from '../support/media';
import { useStage } from '../support/stage';

const stage = useStage();

/** Audio packets `page` has received from `name` (inbound-rtp of the audio track their tile plays). */
function audioPacketsFrom(page: Page, name: string): Promise<number> {
  return page.evaluate(async (name) => {
    const video = document.querySelector(`[data-testid="remote-video"][data-name="${name}"]`) as HTMLVideoElement | null;
    const track = (video?.srcObject as MediaStream | null)?.getAudioTracks()[0];
    if (!track) return -1;
    let packets = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' && s.trackIdentifier === track.id) packets += Number(s.packetsReceived ?? 0);
      });
    }
    return packets;
  }, name);
}

/** Resolves once `page` has received `more` audio packets from `name` than now. */
async function heard(page: Page, name: string, more: number): Promise<void> {
  const start = await audioPacketsFrom(page, name);
  await expect.poll(() => audioPacketsFrom(page, name), { timeout: 15_000 }).toBeGreaterThan(start + more);
}

/** Audio packets `page` has sent. */
function audioPacketsSent(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let packets = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'outbound-rtp' && s.kind === 'audio') packets += Number(s.packetsSent ?? 0);
      });
    }
    return packets;
  });
}

/** What a browser that ignores the host does: turn its microphone back on by itself. */
function ignoreTheMute(page: Page): Promise<void> {
  return page.evaluate(async () => {
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const sender of pc.getSenders()) {
        if (sender.track?.kind === 'audio' && sender.track.readyState === 'live') {
          sender.track.enabled = true;
        } else if (sender.track?.kind === 'audio') {
          const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
          await sender.replaceTrack(mic.getAudioTracks()[0] ?? null);
        } else if (!sender.track && pc.getTransceivers().some((t) => t.sender === sender && t.receiver.track.kind === 'audio')) {
          const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
          await sender.replaceTrack(mic.getAudioTracks()[0] ?? null);
        }
      }
    }
  });
}

describe('a hard mute through the SFU', () => {
  it('keeps a held person silent for everyone even when their browser ignores the mute', async () => {
    const server = await stage.server({ args: ['--sfu', 'always'] });
    const options = { prepare: keepPeerConnections };
    const mina = (await stage.enter(server.url, 'hard mute', 'Mina', options)).page;
    const jun = (await stage.enter(server.url, 'hard mute', 'Jun', options)).page;
    const ara = (await stage.enter(server.url, 'hard mute', 'Ara', options)).page;
    for (const page of [mina, jun, ara]) await waitForLiveRemotes(page, 2);
    await heard(ara, 'Jun', 50);

    // Mina: people may not unmute themselves; mute Jun.
    await mina.getByTestId('people-button').click();
    await mina.getByTestId('allow-unmute-switch').click();
    await expect.poll(() => mina.getByTestId('allow-unmute-switch').getAttribute('aria-checked')).toBe('false');
    await mina.locator('[data-testid="person-item"][data-name="Jun"]').getByTestId('person-menu-button').click();
    await mina.getByTestId('person-mute').click();
    await ara.locator('[data-testid="tile"][data-name="Jun"]').getByTestId('muted-indicator').waitFor();

    // Jun's browser sends its microphone anyway; Ara gets none of it, but Mina's.
    await ignoreTheMute(jun);
    const before = await audioPacketsFrom(ara, 'Jun');
    const sentBefore = await audioPacketsSent(jun);
    await heard(ara, 'Mina', 150);
    // Jun's browser did send all along (the server is what stopped it)…
    expect(await audioPacketsSent(jun)).toBeGreaterThan(sentBefore + 100);
    // …and none of it reached Ara.
    expect(await audioPacketsFrom(ara, 'Jun')).toBeLessThanOrEqual(before + 2);

    // Let speak again: Jun is heard once more.
    await mina.locator('[data-testid="person-item"][data-name="Jun"]').getByTestId('person-menu-button').click();
    await mina.getByTestId('person-allow-speak').click();
    await ignoreTheMute(jun);
    await heard(ara, 'Jun', 50);
  });
});
