/**
 * LocalMedia: this browser's microphone, camera and screen share.
 *
 * Mute keeps the microphone open and sets `track.enabled = false`: the peers
 * get silence at once, unmuting is instant and never asks for permission
 * again. Camera off stops the camera track, so its light goes out; camera on
 * opens a new one. Every change of the track to send is announced as a
 * `track` event, and the call swaps it into each peer with `replaceTrack`.
 *
 * Operations run one after another (a toggle clicked twice quickly must not
 * open two cameras). `stop()` is immediate and makes any operation still
 * waiting for the browser throw away what it opens.
 */
import { Emitter } from '../emitter';
import type { CallEnv } from './env';
import {
  audioConstraints,
  openScreen,
  openTracks,
  problemOf,
  videoConstraints,
  type CameraSize,
  type DeviceChoice,
  type MediaProblem,
} from './media';

export type TrackRole = 'audio' | 'camera' | 'screen';
export type LocalTracks = Record<TrackRole, MediaStreamTrack | null>;

export interface MediaProblems {
  audio: MediaProblem | null;
  video: MediaProblem | null;
  screen: MediaProblem | null;
}

export interface LocalSnapshot {
  /** The microphone is open and not muted. */
  audio: boolean;
  /** The camera is open. */
  video: boolean;
  /** A screen is being shared. */
  screen: boolean;
  tracks: LocalTracks;
  /** The camera alone, for the own (mirrored) tile: no audio, so no echo. */
  preview: MediaStream | null;
  /** The shared screen, for the own screen tile. */
  screenPreview: MediaStream | null;
  micId: string | null;
  cameraId: string | null;
  problems: MediaProblems;
  /** `start()` is waiting for the browser (a permission prompt, say). */
  starting: boolean;
  /** Noise suppression is wanted on the microphone. */
  noiseSuppression: boolean;
}

export interface LocalEvents {
  change: LocalSnapshot;
  /** What is sent for `role` changed; null means nothing is sent. */
  track: { role: TrackRole; track: MediaStreamTrack | null };
}

const NO_PROBLEMS: MediaProblems = { audio: null, video: null, screen: null };

/** The height `track` delivers, or null when the browser does not say. */
function heightOf(track: MediaStreamTrack): number | null {
  return track.getSettings?.().height ?? null;
}

/** Whether the camera is at `size` now: at least `height` for the SFU, at most it for the mesh. */
function sizeTook(track: MediaStreamTrack, size: CameraSize, height: number): boolean {
  const h = heightOf(track);
  if (h === null) return true;
  return size === 'sfu' ? h >= height : h <= height;
}

export class LocalMedia {
  private readonly events = new Emitter<LocalEvents>();
  private snap: LocalSnapshot;
  private muted = false;
  private wantVideo = true;
  private cameraSize: CameraSize = 'mesh';
  private chain: Promise<unknown> = Promise.resolve();
  /** Bumped by `stop()`: an operation from before it discards its result. */
  private epoch = 0;

  constructor(
    private readonly env: Pick<CallEnv, 'media' | 'createStream'>,
    preferred: { micId?: string | null; cameraId?: string | null; noiseSuppression?: boolean } = {},
  ) {
    this.snap = {
      audio: false,
      video: false,
      screen: false,
      tracks: { audio: null, camera: null, screen: null },
      preview: null,
      screenPreview: null,
      micId: preferred.micId ?? null,
      cameraId: preferred.cameraId ?? null,
      problems: NO_PROBLEMS,
      starting: false,
      noiseSuppression: preferred.noiseSuppression ?? true,
    };
  }

  get snapshot(): LocalSnapshot {
    return this.snap;
  }

  on<K extends keyof LocalEvents>(event: K, listener: (value: LocalEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Opens the microphone (muted if so chosen) and, unless turned off, the camera. */
  start(): Promise<void> {
    return this.run(undefined, async (epoch) => {
      const { tracks, micId, cameraId } = this.snap;
      const needAudio = tracks.audio === null;
      const needVideo = this.wantVideo && tracks.camera === null;
      if (!needAudio && !needVideo) return;
      this.patch({ starting: true });
      const got = await openTracks(this.env.media, {
        audio: needAudio ? { deviceId: micId, exact: false } : null,
        video: needVideo ? { deviceId: cameraId, exact: false } : null,
        cameraSize: this.cameraSize,
        noiseSuppression: this.snap.noiseSuppression,
      });
      if (this.stale(epoch, got.audio, got.video)) return;
      const problems = { ...this.snap.problems };
      if (needAudio) problems.audio = got.audioProblem;
      if (needVideo) problems.video = got.videoProblem;
      this.patch({ starting: false, problems });
      if (got.audio) this.setMic(got.audio);
      if (got.video) this.setCamera(got.video);
    });
  }

  /** Unmutes (opening the microphone if there is none yet) or mutes. */
  setAudio(on: boolean): Promise<void> {
    this.muted = !on;
    return this.run(undefined, async (epoch) => {
      const mic = this.snap.tracks.audio;
      if (mic) {
        mic.enabled = !this.muted;
        this.patch({ audio: !this.muted });
        return;
      }
      if (!this.muted) await this.openMic({ deviceId: this.snap.micId, exact: false }, epoch);
    });
  }

  /** Camera on opens a new camera track; off stops it (the light goes out). */
  setVideo(on: boolean): Promise<void> {
    this.wantVideo = on;
    return this.run(undefined, async (epoch) => {
      if (!this.wantVideo) return this.setCamera(null);
      if (!this.snap.tracks.camera) await this.openCamera({ deviceId: this.snap.cameraId, exact: false }, epoch);
    });
  }

  /**
   * Uses another camera. The old one is stopped before the new one opens,
   * because phones cannot open their front and back cameras at once.
   */
  switchCamera(deviceId: string): Promise<void> {
    this.patch({ cameraId: deviceId });
    return this.run(undefined, async (epoch) => {
      if (!this.snap.tracks.camera) return;
      this.setCamera(null);
      await this.openCamera({ deviceId, exact: true }, epoch);
    });
  }

  /**
   * Resizes the camera for how the meeting's media travels (`media.ts`):
   * the open camera is changed in place (`applyConstraints`, the same track,
   * no renegotiation), a camera opened later gets the size at once.
   *
   * Whether the size took is read back from the track (`getSettings()`):
   * Firefox resolves `applyConstraints` and goes on delivering the size the
   * camera was opened with, which kept its SFU camera at 360p (layers
   * 90/180/360). Then the same camera is opened again at the size, and sent
   * in place of the old one (`replaceTrack` on every sender, through the
   * `track` event: still no renegotiation).
   */
  setCameraSize(size: CameraSize): Promise<void> {
    if (size === this.cameraSize) return Promise.resolve();
    this.cameraSize = size;
    return this.run(undefined, async (epoch) => {
      const camera = this.snap.tracks.camera;
      if (!camera || size !== this.cameraSize) return;
      // The sizes are `ideal`: a camera that cannot do one keeps what it has.
      // Chromium sometimes only crops or uncrops the running format on the
      // first call, and switches the camera's own format on a second one.
      const wanted = videoConstraints(size);
      const height = (wanted.height as ConstrainULongRange).ideal ?? 0;
      if (camera.applyConstraints) {
        for (let attempt = 0; attempt < 2; attempt++) {
          await camera.applyConstraints(wanted).catch(() => undefined);
          if (sizeTook(camera, size, height)) return;
        }
      }
      if (heightOf(camera) === null) return;
      await this.reopenCamera(camera, size, height, epoch);
    });
  }

  /**
   * Opens `camera`'s device again at `size` (the old one stays live meanwhile,
   * so the picture does not stop) and sends the new track when it comes closer
   * to `height`; otherwise, or when the camera changed meanwhile, the new one
   * is closed and the old one kept.
   */
  private async reopenCamera(camera: MediaStreamTrack, size: CameraSize, height: number, epoch: number): Promise<void> {
    const deviceId = camera.getSettings?.().deviceId ?? this.snap.cameraId;
    const got = await openTracks(this.env.media, { audio: null, video: { deviceId, exact: deviceId !== null }, cameraSize: size });
    if (this.stale(epoch, got.video) || !got.video) return;
    const distance = (t: MediaStreamTrack) => Math.abs((heightOf(t) ?? 0) - height);
    const current = this.snap.tracks.camera === camera && this.wantVideo && size === this.cameraSize;
    if (!current || distance(got.video) >= distance(camera)) {
      got.video.stop();
      return;
    }
    this.setCamera(got.video);
  }

  /**
   * Turns noise suppression on or off (echo cancellation stays on). Tried on
   * the open microphone first (`applyConstraints`, the same track); browsers
   * often take that without an error and change nothing (Chromium's audio
   * processing is fixed when the source opens), so what the track reports
   * (`getSettings()`) decides, and the microphone is opened again when it
   * did not take. A microphone opened later gets the setting at once.
   */
  setNoiseSuppression(on: boolean): Promise<void> {
    this.patch({ noiseSuppression: on });
    return this.run(undefined, async (epoch) => {
      const mic = this.snap.tracks.audio;
      if (!mic || on !== this.snap.noiseSuppression) return;
      await mic.applyConstraints?.(audioConstraints(on)).catch(() => undefined);
      if (took(mic, on)) return;
      const micId = this.snap.micId;
      const request = { audio: micId ? { deviceId: micId, exact: true } : { deviceId: null, exact: false }, video: null, noiseSuppression: on };
      let got = await openTracks(this.env.media, request);
      if (this.stale(epoch, got.audio)) return;
      if (!got.audio || !took(got.audio, on)) {
        // A second track of an open microphone may share its source (and so
        // its processing), or be refused while it is open: free it first.
        got.audio?.stop();
        this.replace('audio', null, { audio: false });
        got = await openTracks(this.env.media, request);
        if (this.stale(epoch, got.audio)) return;
      }
      this.patch({ problems: { ...this.snap.problems, audio: got.audioProblem } });
      if (got.audio) this.setMic(got.audio);
    });
  }

  /** Uses another microphone; the old one stays until the new one is open. */
  switchMic(deviceId: string): Promise<void> {
    this.patch({ micId: deviceId });
    return this.run(undefined, async (epoch) => {
      if (this.snap.tracks.audio) await this.openMic({ deviceId, exact: true }, epoch);
    });
  }

  /** Resolves false when the user cancelled the browser's picker or it failed. */
  startScreen(): Promise<boolean> {
    return this.run(false, async (epoch) => {
      if (this.snap.tracks.screen) return true;
      let track: MediaStreamTrack;
      try {
        track = await openScreen(this.env.media);
      } catch (err) {
        const problem = problemOf(err);
        // Closing the picker is a choice, not a problem to report.
        this.patch({ problems: { ...this.snap.problems, screen: problem === 'denied' ? null : problem } });
        return false;
      }
      if (this.stale(epoch, track)) return false;
      // The browser's own "Stop sharing" button ends the track.
      track.addEventListener('ended', () => {
        if (this.snap.tracks.screen === track) void this.stopScreen();
      });
      this.replace('screen', track, { screenPreview: this.env.createStream([track]), screen: true });
      this.patch({ problems: { ...this.snap.problems, screen: null } });
      return true;
    });
  }

  stopScreen(): Promise<void> {
    return this.run(undefined, async () => {
      this.replace('screen', null, { screenPreview: null, screen: false });
    });
  }

  /** Stops every track now (leaving, or closing the pre-join screen). */
  stop(): void {
    this.epoch++;
    this.replace('audio', null, { audio: false });
    this.replace('camera', null, { video: false, preview: null });
    this.replace('screen', null, { screen: false, screenPreview: null });
    this.patch({ starting: false, problems: NO_PROBLEMS });
  }

  // ---- internals ----

  /**
   * Queues `op`. Wishes (muted, camera off, which device) are recorded at
   * once by the callers; only the work with tracks waits its turn, and is
   * skipped (resolving `skipped`) when `stop()` came in between.
   */
  private run<T>(skipped: T, op: (epoch: number) => Promise<T>): Promise<T> {
    const epoch = this.epoch;
    const next = this.chain.then(() => (epoch === this.epoch ? op(epoch) : skipped));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** After `stop()`, whatever an older operation opened is closed again. */
  private stale(epoch: number, ...tracks: Array<MediaStreamTrack | null>): boolean {
    if (epoch === this.epoch) return false;
    for (const t of tracks) t?.stop();
    return true;
  }

  private async openMic(choice: DeviceChoice, epoch: number): Promise<void> {
    const got = await openTracks(this.env.media, { audio: choice, video: null, noiseSuppression: this.snap.noiseSuppression });
    if (this.stale(epoch, got.audio)) return;
    this.patch({ problems: { ...this.snap.problems, audio: got.audioProblem } });
    if (got.audio) this.setMic(got.audio);
  }

  private async openCamera(choice: DeviceChoice, epoch: number): Promise<void> {
    const got = await openTracks(this.env.media, { audio: null, video: choice, cameraSize: this.cameraSize });
    if (this.stale(epoch, got.video)) return;
    this.patch({ problems: { ...this.snap.problems, video: got.videoProblem } });
    if (got.video && this.wantVideo) this.setCamera(got.video);
    else got.video?.stop();
  }

  private setMic(track: MediaStreamTrack): void {
    track.enabled = !this.muted;
    const micId = track.getSettings?.().deviceId ?? this.snap.micId;
    this.replace('audio', track, { audio: !this.muted, micId });
  }

  private setCamera(track: MediaStreamTrack | null): void {
    const cameraId = track?.getSettings?.().deviceId ?? this.snap.cameraId;
    const preview = track ? this.env.createStream([track]) : null;
    this.replace('camera', track, { video: track !== null, preview, cameraId });
  }

  /** Swaps the track of `role`, stopping the old one, and tells the call. */
  private replace(role: TrackRole, track: MediaStreamTrack | null, rest: Partial<LocalSnapshot>): void {
    const old = this.snap.tracks[role];
    if (old === track) {
      this.patch(rest);
      return;
    }
    this.patch({ ...rest, tracks: { ...this.snap.tracks, [role]: track } });
    this.events.emit('track', { role, track });
    old?.stop();
  }

  private patch(p: Partial<LocalSnapshot>): void {
    this.snap = { ...this.snap, ...p };
    this.events.emit('change', this.snap);
  }
}

/** The track does what was asked, or cannot say (then reopening would not help either). */
function took(track: MediaStreamTrack, noiseSuppression: boolean): boolean {
  const reported = track.getSettings?.().noiseSuppression;
  return typeof reported !== 'boolean' || reported === noiseSuppression;
}
