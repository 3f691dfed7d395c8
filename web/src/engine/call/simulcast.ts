/**
 * What the camera sends to moim's SFU: three simulcast layers (rids `q`, `h`,
 * `f`), each a scaled-down copy of the camera with its own bitrate cap. The
 * SFU forwards each receiver the smallest layer at least as tall as the tile
 * it draws (`sfu-tile`), so a thumbnail costs 150 kbps instead of 1.5 Mbps.
 *
 * The table is `SIMULCAST_LAYERS` from `moim-proto` (generated into
 * `protocol.gen.ts`), the same one the SFU chooses from: a Rust test in
 * `crates/moim/src/media/bridge.rs` fails if the two differ.
 */
import { SIMULCAST_LAYERS } from '../protocol';

/** The full layer: the camera size to open in an SFU meeting. */
const FULL = SIMULCAST_LAYERS[SIMULCAST_LAYERS.length - 1]!;

/**
 * The camera's `sendEncodings`, lowest first. Each layer is scaled from the
 * camera's own size (the full layer's height), so a 720p camera gives
 * 180p / 360p / 720p. Chromium drops the top layers of a camera too small for
 * them (a 640x360 one sends at most two), hence `SFU_CAMERA`.
 */
export function cameraEncodings(): RTCRtpEncodingParameters[] {
  return SIMULCAST_LAYERS.map((layer) => ({
    rid: layer.rid,
    scaleResolutionDownBy: FULL.height / layer.height,
    maxBitrate: layer.maxBitrate,
  }));
}

/**
 * The camera size asked for in an SFU meeting: the full layer, 16:9. The mesh
 * keeps its smaller camera (see `media.ts`); one camera serves both, resized
 * with `applyConstraints` when the meeting changes mode.
 */
export const SFU_CAMERA = { width: Math.round((FULL.height * 16) / 9), height: FULL.height } as const;
