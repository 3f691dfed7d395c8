import { describe, expect, it } from 'vitest';
import { DeviceList } from './devices';
import { FakeMediaDevices } from './testing/fakeMedia';

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

describe('DeviceList', () => {
  it('lists cameras, microphones and speakers, and follows devicechange', async () => {
    const media = new FakeMediaDevices();
    const list = new DeviceList(media);
    const seen: number[] = [];
    list.on((s) => seen.push(s.cameras.length));
    list.watch();
    await flush();
    expect(list.snapshot.cameras.map((d) => d.deviceId)).toEqual(['cam-1', 'cam-2']);
    expect(list.snapshot.mics.map((d) => d.label)).toEqual(['Built-in mic', 'Headset mic']);
    expect(list.snapshot.speakers).toEqual([{ deviceId: 'spk-1', label: 'Speakers' }]);
    media.change(media.devices.filter((d) => d.deviceId !== 'cam-2'));
    await flush();
    expect(list.snapshot.cameras.map((d) => d.deviceId)).toEqual(['cam-1']);
    // A read that finds nothing new does not announce a change.
    await list.refresh();
    expect(seen).toEqual([2, 1]);
    list.unwatch();
    media.change([]);
    await flush();
    expect(list.snapshot.cameras).toHaveLength(1);
  });
});
