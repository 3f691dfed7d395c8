import { describe, expect, it } from 'vitest';
import { SIMULCAST_LAYERS } from '../protocol';
import { videoConstraints } from './media';
import { SFU_CAMERA, cameraEncodings } from './simulcast';

describe('simulcast', () => {
  it('publishes the camera as 180p, 360p and 720p layers capped at the SFU table bitrates', () => {
    expect(cameraEncodings()).toEqual([
      { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
      { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
      { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
    ]);
    // Scaled from the full layer, each comes out at the height the SFU assumes.
    for (const [i, e] of cameraEncodings().entries()) {
      expect(SFU_CAMERA.height / e.scaleResolutionDownBy!).toBe(SIMULCAST_LAYERS[i]!.height);
    }
  });

  it('opens a 720p camera in an SFU meeting and keeps the mesh one smaller', () => {
    expect(SFU_CAMERA).toEqual({ width: 1280, height: 720 });
    expect(videoConstraints('sfu')).toMatchObject({ width: { ideal: 1280 }, height: { ideal: 720 } });
    expect(videoConstraints('mesh')).toMatchObject({ width: { ideal: 640 }, height: { ideal: 360 } });
  });
});
