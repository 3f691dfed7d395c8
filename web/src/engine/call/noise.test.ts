import { describe, expect, it } from 'vitest';
import { LocalMedia, type LocalEvents } from './local';
import { FakeMediaDevices, asFake, createStream } from './testing/fakeMedia';

function setup(fixedProcessing: boolean, noiseSuppression?: boolean, sharedSource = false) {
  const devices = new FakeMediaDevices();
  devices.audioProcessing = { fixedProcessing, sharedSource };
  const local = new LocalMedia({ media: devices, createStream }, { noiseSuppression });
  const sent: Array<LocalEvents['track']> = [];
  local.on('track', (t) => sent.push(t));
  return { devices, local, sent };
}

const micSettings = (local: LocalMedia) => local.snapshot.tracks.audio?.getSettings();

describe('noise suppression', () => {
  it('opens the microphone with it as remembered, echo cancellation always on', async () => {
    const { devices, local } = setup(false, false);
    await local.start();
    expect(devices.requests[0]?.audio).toMatchObject({ noiseSuppression: false, echoCancellation: true });
    expect(micSettings(local)?.noiseSuppression).toBe(false);
    expect(local.snapshot.noiseSuppression).toBe(false);
  });

  it('changes the open microphone in place where the browser takes the constraint', async () => {
    const { devices, local, sent } = setup(false);
    await local.start();
    const mic = asFake(local.snapshot.tracks.audio);
    await local.setNoiseSuppression(false);
    expect(mic.applied).toEqual([{ echoCancellation: true, noiseSuppression: false, autoGainControl: true }]);
    expect(local.snapshot.tracks.audio).toBe(mic);
    expect(micSettings(local)?.noiseSuppression).toBe(false);
    expect(devices.requests).toHaveLength(1);
    expect(sent.filter((t) => t.role === 'audio')).toHaveLength(1);
  });

  it('reopens the microphone when the constraint did not take, muted as before, on the same device', async () => {
    const { devices, local, sent } = setup(true);
    await local.start();
    await local.switchMic('mic-2');
    await local.setAudio(false);
    const old = asFake(local.snapshot.tracks.audio);
    await local.setNoiseSuppression(false);
    const mic = asFake(local.snapshot.tracks.audio);
    expect(mic).not.toBe(old);
    expect(old.readyState).toBe('ended');
    expect(mic.getSettings()).toMatchObject({ deviceId: 'mic-2', noiseSuppression: false });
    expect(mic.enabled).toBe(false);
    expect(local.snapshot.audio).toBe(false);
    expect(devices.requests.at(-1)?.audio).toMatchObject({ noiseSuppression: false, deviceId: { exact: 'mic-2' } });
    expect(sent.at(-1)).toEqual({ role: 'audio', track: local.snapshot.tracks.audio });
    // And back on.
    await local.setNoiseSuppression(true);
    expect(micSettings(local)?.noiseSuppression).toBe(true);
  });

  it('frees the microphone first when a second track would share the open one\'s processing', async () => {
    const { local, sent } = setup(true, true, true);
    await local.start();
    const old = asFake(local.snapshot.tracks.audio);
    await local.setNoiseSuppression(false);
    expect(old.readyState).toBe('ended');
    expect(micSettings(local)?.noiseSuppression).toBe(false);
    expect(local.snapshot.audio).toBe(true);
    // Without a microphone for a moment, then the new one.
    expect(sent.filter((t) => t.role === 'audio').map((t) => t.track === null)).toEqual([false, true, false]);
  });

  it('only records the wish while no microphone is open', async () => {
    const { devices, local } = setup(true);
    await local.setNoiseSuppression(false);
    expect(devices.requests).toHaveLength(0);
    await local.start();
    expect(micSettings(local)?.noiseSuppression).toBe(false);
  });
});
