/**
 * What a person would check on a video: is it moving, and is it not black?
 */
import type { Locator } from 'playwright-core';

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
