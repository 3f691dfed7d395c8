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

  getSettings(): MediaTrackSettings {
    return { deviceId: this.deviceId };
  }

  /** Every `applyConstraints` call, in order. */
  readonly applied: MediaTrackConstraints[] = [];
  async applyConstraints(constraints: MediaTrackConstraints): Promise<void> {
    this.applied.push(constraints);
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
      tracks.push(new FakeTrack(kind, device.deviceId, device.label));
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
