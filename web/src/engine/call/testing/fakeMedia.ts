/**
 * In-memory stand-ins for tracks, streams and `navigator.mediaDevices`, for
 * unit tests in Node. Not used by the app. The engine sees them through DOM
 * types, hence the casts in `asTrack` / `asStream`.
 */
import type { MediaDevicesLike } from '../env';

let nextTrackId = 1;

export class FakeTrack {
  readonly id = `track-${nextTrackId++}`;
  enabled = true;
  readyState: MediaStreamTrackState = 'live';
  contentHint = '';
  /** What a video track delivers (`getSettings()`); 0 for one not from a camera. */
  width = 0;
  height = 0;
  /**
   * Whether `applyConstraints` changes the size, as in Chromium. Firefox
   * resolves it and keeps delivering the size the camera was opened with.
   */
  takesConstraints = true;
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(
    readonly kind: 'audio' | 'video',
    readonly deviceId = '',
    readonly label = '',
  ) {}

  /** Like the real one: stopping does not fire `ended`. */
  stop(): void {
    this.readyState = 'ended';
  }

  /** The browser ended the track (the "Stop sharing" bar, an unplugged camera). */
  end(): void {
    this.readyState = 'ended';
    for (const l of [...(this.listeners.get('ended') ?? [])]) l();
  }

  /** An audio track's noise suppression as opened (undefined: not reported). */
  noiseSuppression: boolean | undefined = undefined;
  /** Like Chromium's microphones: `applyConstraints` succeeds and changes no processing. */
  fixedProcessing = false;

  getSettings(): MediaTrackSettings {
    const settings: MediaTrackSettings = { deviceId: this.deviceId };
    if (this.height !== 0) Object.assign(settings, { width: this.width, height: this.height });
    if (this.noiseSuppression !== undefined) settings.noiseSuppression = this.noiseSuppression;
    return settings;
  }

  /** Every `applyConstraints` call, in order. */
  readonly applied: MediaTrackConstraints[] = [];
  async applyConstraints(constraints: MediaTrackConstraints): Promise<void> {
    this.applied.push(constraints);
    if (this.takesConstraints) this.resize(constraints);
    const ns = constraints.noiseSuppression;
    if (!this.fixedProcessing && typeof ns === 'boolean' && this.noiseSuppression !== undefined) this.noiseSuppression = ns;
  }

  /** Takes the size `constraints` ask for (`ideal` or `exact`), like a camera that has every size. */
  resize(constraints: MediaTrackConstraints): void {
    this.width = sizeOf(constraints.width) ?? this.width;
    this.height = sizeOf(constraints.height) ?? this.height;
  }

  addEventListener(type: string, listener: () => void): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: () => void): void {
    this.listeners.get(type)?.delete(listener);
  }
}

/** The number a size constraint asks for, if any. */
function sizeOf(c: ConstrainULong | undefined): number | undefined {
  if (typeof c === 'number') return c;
  return c?.exact ?? c?.ideal;
}

export class FakeStream {
  readonly id = `stream-${nextTrackId++}`;
  constructor(private readonly tracks: MediaStreamTrack[]) {}
  getTracks = () => [...this.tracks];
  getAudioTracks = () => this.tracks.filter((t) => t.kind === 'audio');
  getVideoTracks = () => this.tracks.filter((t) => t.kind === 'video');
}

export const asTrack = (t: FakeTrack) => t as unknown as MediaStreamTrack;
export const asFake = (t: MediaStreamTrack | null | undefined) => t as unknown as FakeTrack;
export const createStream = (tracks: MediaStreamTrack[]) => new FakeStream(tracks) as unknown as MediaStream;

function domError(name: string): Error {
  const e = new Error(name);
  e.name = name;
  return e;
}

interface FakeDevice {
  deviceId: string;
  kind: MediaDeviceKind;
  label: string;
}

/** Two cameras, two microphones, one speaker; every opened track is kept. */
export class FakeMediaDevices implements MediaDevicesLike {
  devices: FakeDevice[] = [
    { deviceId: 'cam-1', kind: 'videoinput', label: 'Front camera' },
    { deviceId: 'cam-2', kind: 'videoinput', label: 'Back camera' },
    { deviceId: 'mic-1', kind: 'audioinput', label: 'Built-in mic' },
    { deviceId: 'mic-2', kind: 'audioinput', label: 'Headset mic' },
    { deviceId: 'spk-1', kind: 'audiooutput', label: 'Speakers' },
  ];
  /** Set to make getUserMedia fail like a denied permission. */
  deny = false;
  /** Set false for cameras that ignore `applyConstraints`, as Firefox's do. */
  takesConstraints = true;
  /** The tallest picture the cameras give (0: any). */
  maxHeight = 0;
  /** Microphones report their noise suppression; `fixedProcessing` as on `FakeTrack`. */
  audioProcessing: { fixedProcessing: boolean; sharedSource?: boolean } | null = null;
  /** Set to make getUserMedia fail with this DOMException name (`NotReadableError`: in use). */
  failWith: string | null = null;
  readonly opened: FakeTrack[] = [];
  readonly requests: MediaStreamConstraints[] = [];
  private readonly listeners = new Set<() => void>();

  async getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    this.requests.push(constraints);
    await Promise.resolve();
    if (this.deny) throw domError('NotAllowedError');
    if (this.failWith) throw domError(this.failWith);
    const tracks: FakeTrack[] = [];
    for (const kind of ['audio', 'video'] as const) {
      const c = constraints[kind];
      if (!c) continue;
      const deviceKind = kind === 'audio' ? 'audioinput' : 'videoinput';
      const wanted = typeof c === 'object' ? c.deviceId : undefined;
      const exact = typeof wanted === 'object' && !Array.isArray(wanted) ? wanted.exact : undefined;
      const ideal = typeof wanted === 'object' && !Array.isArray(wanted) ? wanted.ideal : undefined;
      const all = this.devices.filter((d) => d.kind === deviceKind);
      const device = exact ? all.find((d) => d.deviceId === exact) : (all.find((d) => d.deviceId === ideal) ?? all[0]);
      if (!device) throw domError(exact ? 'OverconstrainedError' : 'NotFoundError');
      const track = new FakeTrack(kind, device.deviceId, device.label);
      if (kind === 'video') {
        // A camera opened without a size gives 640x480, like the browsers' default.
        track.width = 640;
        track.height = 480;
        if (typeof c === 'object') track.resize(c);
        if (this.maxHeight > 0 && track.height > this.maxHeight) {
          track.width = Math.round((track.width * this.maxHeight) / track.height);
          track.height = this.maxHeight;
        }
        track.takesConstraints = this.takesConstraints;
      }
      if (kind === 'audio' && this.audioProcessing) {
        track.noiseSuppression = typeof c === 'object' && typeof c.noiseSuppression === 'boolean' ? c.noiseSuppression : true;
        track.fixedProcessing = this.audioProcessing.fixedProcessing;
        // One source per device: a second track gets the open one's processing.
        const open = this.audioProcessing.sharedSource ? this.live('audio').find((t) => t.deviceId === device.deviceId) : undefined;
        if (open) track.noiseSuppression = open.noiseSuppression;
      }
      tracks.push(track);
    }
    this.opened.push(...tracks);
    return new FakeStream(tracks.map(asTrack)) as unknown as MediaStream;
  }

  async getDisplayMedia(): Promise<MediaStream> {
    await Promise.resolve();
    const track = new FakeTrack('video', 'screen', 'Screen 1');
    this.opened.push(track);
    return new FakeStream([asTrack(track)]) as unknown as MediaStream;
  }

  async enumerateDevices(): Promise<MediaDeviceInfo[]> {
    return this.devices.map((d) => ({ ...d, groupId: '', toJSON: () => d }));
  }

  addEventListener(_type: 'devicechange', listener: () => void): void {
    this.listeners.add(listener);
  }

  removeEventListener(_type: 'devicechange', listener: () => void): void {
    this.listeners.delete(listener);
  }

  /** A device was plugged in or out. */
  change(devices: FakeDevice[]): void {
    this.devices = devices;
    for (const l of [...this.listeners]) l();
  }

  live(kind: 'audio' | 'video'): FakeTrack[] {
    return this.opened.filter((t) => t.kind === kind && t.readyState === 'live' && t.deviceId !== 'screen');
  }
}
