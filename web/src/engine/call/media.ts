/**
 * Opening cameras and microphones, and saying in one word why it failed.
 *
 * Camera and microphone are asked for together first (one permission prompt
 * instead of two); if that fails, each is tried alone, so a machine without a
 * camera still gets its microphone and the other way round.
 */
import type { MediaDevicesLike } from './env';
import { SFU_CAMERA } from './simulcast';

/**
 * Why a device could not be opened, for the UI to explain:
 * `unsupported`: no media in this browser or on this (non-https) address;
 * `denied`: the user or a policy said no; `not_found`: no such device;
 * `in_use`: another program holds it; `failed`: anything else.
 */
export type MediaProblem = 'unsupported' | 'denied' | 'not_found' | 'in_use' | 'failed';

/**
 * `problem` is what the UI explains (`mediaProblem`, `screenProblem` in the
 * i18n tables); `detail` is the browser's own message when it gave one,
 * kept for a developer's console. The engine writes no sentence here.
 */
export class MediaOpenError extends Error {
  constructor(
    readonly problem: MediaProblem,
    detail?: string,
  ) {
    super(detail ?? problem);
    this.name = 'MediaOpenError';
  }
}

/** Maps a `getUserMedia` / `getDisplayMedia` rejection to a `MediaProblem`. */
export function problemOf(err: unknown): MediaProblem {
  if (err instanceof MediaOpenError) return err.problem;
  const name = (err as { name?: unknown } | null)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'not_found';
    case 'NotReadableError':
    case 'AbortError':
      return 'in_use';
    case 'TypeError':
      return 'unsupported';
    default:
      return 'failed';
  }
}

/**
 * A preferred device is `ideal` (a remembered camera that is gone falls back
 * to another); a device the user just picked is `exact`.
 */
export interface DeviceChoice {
  deviceId: string | null;
  exact: boolean;
}

/**
 * Sized for a mesh of up to six: sharp enough, light enough to send five
 * times. It also fits the bitrate a new connection starts with, so the
 * encoder sends the very first frames instead of dropping them while it
 * scales down (a larger camera made the first remote frame ~150 ms later).
 */
const VIDEO: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 30, max: 30 },
};

/**
 * Which camera size to open: `mesh` (above), or `sfu`, the SFU's full
 * simulcast layer (720p): it is sent once, and each receiver gets the layer
 * its tile needs.
 */
export type CameraSize = 'mesh' | 'sfu';

/** The camera's constraints for `size`, without a device. */
export function videoConstraints(size: CameraSize): MediaTrackConstraints {
  if (size === 'mesh') return VIDEO;
  return { ...VIDEO, width: { ideal: SFU_CAMERA.width }, height: { ideal: SFU_CAMERA.height } };
}

/**
 * The microphone's processing: echo cancellation always (without it the
 * others hear themselves), noise suppression as the user chose (on unless
 * turned off: some prefer their music or instrument unfiltered).
 */
export function audioConstraints(noiseSuppression = true): MediaTrackConstraints {
  return { echoCancellation: true, noiseSuppression, autoGainControl: true };
}

function constraints(base: MediaTrackConstraints, choice: DeviceChoice): MediaTrackConstraints {
  if (!choice.deviceId) return base;
  return { ...base, deviceId: choice.exact ? { exact: choice.deviceId } : { ideal: choice.deviceId } };
}

export interface OpenRequest {
  audio: DeviceChoice | null;
  video: DeviceChoice | null;
  /** Default `mesh`. */
  cameraSize?: CameraSize;
  /** Default on. */
  noiseSuppression?: boolean;
}

export interface OpenResult {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  audioProblem: MediaProblem | null;
  videoProblem: MediaProblem | null;
}

async function openOne(media: MediaDevicesLike, kind: 'audio' | 'video', choice: DeviceChoice, req: OpenRequest) {
  const base = kind === 'audio' ? audioConstraints(req.noiseSuppression) : videoConstraints(req.cameraSize ?? 'mesh');
  const stream = await media.getUserMedia({ [kind]: constraints(base, choice) });
  const track = (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0];
  if (!track) throw new MediaOpenError('not_found');
  return track;
}

/** Opens what `req` asks for; never rejects, problems are in the result. */
export async function openTracks(media: MediaDevicesLike | null, req: OpenRequest): Promise<OpenResult> {
  const result: OpenResult = { audio: null, video: null, audioProblem: null, videoProblem: null };
  if (!req.audio && !req.video) return result;
  if (!media) {
    if (req.audio) result.audioProblem = 'unsupported';
    if (req.video) result.videoProblem = 'unsupported';
    return result;
  }
  if (req.audio && req.video) {
    try {
      const stream = await media.getUserMedia({
        audio: constraints(audioConstraints(req.noiseSuppression), req.audio),
        video: constraints(videoConstraints(req.cameraSize ?? 'mesh'), req.video),
      });
      result.audio = stream.getAudioTracks()[0] ?? null;
      result.video = stream.getVideoTracks()[0] ?? null;
      if (result.audio && result.video) return result;
      // A stream with one kind missing: keep what came, try the other alone.
    } catch (err) {
      // A refused permission will be refused again: do not ask twice more.
      if (problemOf(err) === 'denied') return { ...result, audioProblem: 'denied', videoProblem: 'denied' };
    }
  }
  for (const kind of ['audio', 'video'] as const) {
    const choice = req[kind];
    if (!choice || result[kind]) continue;
    try {
      result[kind] = await openOne(media, kind, choice, req);
    } catch (err) {
      result[kind === 'audio' ? 'audioProblem' : 'videoProblem'] = problemOf(err);
    }
  }
  return result;
}

/** Asks the user for a screen, window or tab; rejects with a `MediaOpenError`. */
export async function openScreen(media: MediaDevicesLike | null): Promise<MediaStreamTrack> {
  if (!media?.getDisplayMedia) throw new MediaOpenError('unsupported');
  let stream: MediaStream;
  try {
    stream = await media.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
  } catch (err) {
    throw new MediaOpenError(problemOf(err), err instanceof Error ? err.message : String(err));
  }
  const track = stream.getVideoTracks()[0];
  if (!track) throw new MediaOpenError('not_found');
  // Text and lines stay sharp at the cost of frame rate.
  if ('contentHint' in track) track.contentHint = 'detail';
  return track;
}
