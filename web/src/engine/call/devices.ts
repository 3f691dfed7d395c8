/**
 * The cameras, microphones and speakers of this machine, kept current.
 *
 * Labels are empty until the page has been allowed a device, so the list is
 * read again after each successful `getUserMedia` (`refresh`) and whenever the
 * browser reports a plugged or unplugged device (`devicechange`).
 */
import { Emitter } from '../emitter';
import type { MediaDevicesLike } from './env';

export interface DeviceOption {
  deviceId: string;
  /** The browser's label; empty before permission (the UI numbers them). */
  label: string;
}

export interface DeviceSnapshot {
  cameras: readonly DeviceOption[];
  mics: readonly DeviceOption[];
  speakers: readonly DeviceOption[];
}

const EMPTY: DeviceSnapshot = { cameras: [], mics: [], speakers: [] };

export class DeviceList {
  private readonly events = new Emitter<{ change: DeviceSnapshot }>();
  private snap: DeviceSnapshot = EMPTY;
  private readonly onDeviceChange = () => void this.refresh();
  private watching = false;
  private generation = 0;

  constructor(private readonly media: MediaDevicesLike | null) {}

  get snapshot(): DeviceSnapshot {
    return this.snap;
  }

  on(listener: (snap: DeviceSnapshot) => void): () => void {
    return this.events.on('change', listener);
  }

  /** Starts following `devicechange`, and reads the list once. */
  watch(): void {
    if (this.watching || !this.media) return;
    this.watching = true;
    this.media.addEventListener('devicechange', this.onDeviceChange);
    void this.refresh();
  }

  unwatch(): void {
    if (!this.watching || !this.media) return;
    this.watching = false;
    this.media.removeEventListener('devicechange', this.onDeviceChange);
  }

  /** Reads the list again; a slower earlier read never overwrites a newer one. */
  async refresh(): Promise<void> {
    if (!this.media) return;
    const generation = ++this.generation;
    let infos: MediaDeviceInfo[];
    try {
      infos = await this.media.enumerateDevices();
    } catch {
      return; // keep the last list
    }
    if (generation !== this.generation) return;
    const pick = (kind: MediaDeviceKind) =>
      infos
        .filter((d) => d.kind === kind && d.deviceId !== '')
        .map((d) => ({ deviceId: d.deviceId, label: d.label }));
    const next = { cameras: pick('videoinput'), mics: pick('audioinput'), speakers: pick('audiooutput') };
    if (sameDevices(next, this.snap)) return;
    this.snap = next;
    this.events.emit('change', next);
  }
}

function sameDevices(a: DeviceSnapshot, b: DeviceSnapshot): boolean {
  const same = (x: readonly DeviceOption[], y: readonly DeviceOption[]) =>
    x.length === y.length && x.every((d, i) => d.deviceId === y[i]?.deviceId && d.label === y[i]?.label);
  return same(a.cameras, b.cameras) && same(a.mics, b.mics) && same(a.speakers, b.speakers);
}
