import { beforeEach, describe, expect, it } from 'vitest';
import { controlProblems } from './availability';
import { LocalMedia, type LocalEvents } from './local';
import { FakeMediaDevices, asFake, asTrack, createStream } from './testing/fakeMedia';

describe('LocalMedia', () => {
  let devices: FakeMediaDevices;
  let local: LocalMedia;
  let sent: Array<LocalEvents['track']>;

  beforeEach(() => {
    devices = new FakeMediaDevices();
    local = new LocalMedia({ media: devices, createStream });
    sent = [];
    local.on('track', (t) => sent.push(t));
  });

  it('opens microphone and camera with one request (one prompt)', async () => {
    await local.start();
    expect(devices.requests).toHaveLength(1);
    const s = local.snapshot;
    expect(s).toMatchObject({ audio: true, video: true, micId: 'mic-1', cameraId: 'cam-1', starting: false });
    expect(s.preview?.getTracks()).toEqual([s.tracks.camera]);
    expect(sent.map((t) => t.role)).toEqual(['audio', 'camera']);
  });

  it('prefers remembered devices, falling back when they are gone', async () => {
    local = new LocalMedia({ media: devices, createStream }, { cameraId: 'cam-2', micId: 'gone' });
    await local.start();
    expect(local.snapshot).toMatchObject({ cameraId: 'cam-2', micId: 'mic-1' });
  });

  it('camera off stops the camera track (the light goes out); on opens a new one', async () => {
    await local.start();
    const first = asFake(local.snapshot.tracks.camera);
    await local.setVideo(false);
    expect(first.readyState).toBe('ended');
    expect(local.snapshot).toMatchObject({ video: false, preview: null });
    expect(local.snapshot.tracks.camera).toBeNull();
    expect(sent[sent.length - 1]).toEqual({ role: 'camera', track: null });
    await local.setVideo(true);
    const second = asFake(local.snapshot.tracks.camera);
    expect(second.readyState).toBe('live');
    expect(second).not.toBe(first);
    expect(devices.live('video')).toEqual([second]);
  });

  it('mutes by disabling the microphone track, keeping it open', async () => {
    await local.start();
    const mic = asFake(local.snapshot.tracks.audio);
    const before = sent.length;
    await local.setAudio(false);
    expect(mic.enabled).toBe(false);
    expect(mic.readyState).toBe('live');
    expect(local.snapshot.audio).toBe(false);
    await local.setAudio(true);
    expect(mic.enabled).toBe(true);
    expect(sent).toHaveLength(before); // the same track all along
  });

  it('joins muted: the microphone opens disabled', async () => {
    await local.setAudio(false);
    await local.setVideo(false);
    await local.start();
    expect(asFake(local.snapshot.tracks.audio).enabled).toBe(false);
    expect(local.snapshot).toMatchObject({ audio: false, video: false });
    expect(devices.live('video')).toEqual([]);
  });

  it('switches camera: the old one stops, the new one is sent', async () => {
    await local.start();
    const old = asFake(local.snapshot.tracks.camera);
    await local.switchCamera('cam-2');
    expect(old.readyState).toBe('ended');
    expect(asFake(local.snapshot.tracks.camera).deviceId).toBe('cam-2');
    expect(local.snapshot.cameraId).toBe('cam-2');
    expect(devices.requests[devices.requests.length - 1]?.video).toMatchObject({ deviceId: { exact: 'cam-2' } });
    expect(sent.slice(-1)[0]?.role).toBe('camera');
  });

  it('only remembers the camera while it is off', async () => {
    await local.start();
    await local.setVideo(false);
    const requests = devices.requests.length;
    await local.switchCamera('cam-2');
    expect(devices.requests).toHaveLength(requests);
    await local.setVideo(true);
    expect(asFake(local.snapshot.tracks.camera).deviceId).toBe('cam-2');
  });

  it('switches microphone and keeps it muted if it was', async () => {
    await local.start();
    await local.setAudio(false);
    const old = asFake(local.snapshot.tracks.audio);
    await local.switchMic('mic-2');
    const mic = asFake(local.snapshot.tracks.audio);
    expect(mic.deviceId).toBe('mic-2');
    expect(mic.enabled).toBe(false);
    expect(old.readyState).toBe('ended');
  });

  it('says why when the browser refuses, and works without media', async () => {
    devices.deny = true;
    await local.start();
    expect(local.snapshot).toMatchObject({ audio: false, video: false, problems: { audio: 'denied', video: 'denied' } });
    local = new LocalMedia({ media: null, createStream });
    await local.start();
    expect(local.snapshot.problems).toMatchObject({ audio: 'unsupported', video: 'unsupported' });
  });

  it('in the call, says why "camera on" and "unmute" cannot work, until they do', async () => {
    devices.deny = true;
    await local.start();
    expect(controlProblems(local.snapshot)).toEqual({ mic: 'denied', camera: 'denied' });
    // Clicked again while still blocked: the same reason, nothing opened.
    await local.setVideo(true);
    await local.setAudio(true);
    expect(controlProblems(local.snapshot)).toEqual({ mic: 'denied', camera: 'denied' });
    expect(devices.live('video')).toEqual([]);
    // Another app holds the camera: a different reason.
    devices.deny = false;
    devices.failWith = 'NotReadableError';
    await local.setVideo(true);
    expect(controlProblems(local.snapshot).camera).toBe('in_use');
    // Allowed in the site settings: the next click works and the reason goes.
    devices.failWith = null;
    await local.setVideo(true);
    await local.setAudio(true);
    expect(local.snapshot).toMatchObject({ audio: true, video: true });
    expect(controlProblems(local.snapshot)).toEqual({ mic: null, camera: null });
    // Camera off by choice is not a problem.
    await local.setVideo(false);
    expect(controlProblems(local.snapshot).camera).toBeNull();
  });

  it('says "no microphone" for unmute on a machine without one', async () => {
    devices.devices = devices.devices.filter((d) => d.kind !== 'audioinput');
    await local.start();
    expect(controlProblems(local.snapshot)).toEqual({ mic: 'not_found', camera: null });
    await local.setAudio(true);
    expect(local.snapshot.audio).toBe(false);
    expect(controlProblems(local.snapshot).mic).toBe('not_found');
  });

  it('keeps the microphone when there is no camera', async () => {
    devices.devices = devices.devices.filter((d) => d.kind !== 'videoinput');
    await local.start();
    expect(local.snapshot).toMatchObject({ audio: true, video: false, problems: { audio: null, video: 'not_found' } });
  });

  it('shares a screen until the browser bar stops it', async () => {
    await local.start();
    expect(await local.startScreen()).toBe(true);
    const screen = asFake(local.snapshot.tracks.screen);
    expect(local.snapshot.screen).toBe(true);
    expect(screen.contentHint).toBe('detail');
    screen.end();
    await local.stopScreen(); // queued after the one the 'ended' handler started
    expect(local.snapshot).toMatchObject({ screen: false, screenPreview: null });
    expect(sent[sent.length - 1]).toEqual({ role: 'screen', track: null });
  });

  it('resizes the camera in place for the SFU when the browser takes the constraint', async () => {
    await local.start();
    const camera = asFake(local.snapshot.tracks.camera);
    expect(camera.getSettings()).toMatchObject({ width: 640, height: 360 });
    const before = sent.length;
    await local.setCameraSize('sfu');
    expect(camera.applied).toHaveLength(1);
    expect(camera.getSettings()).toMatchObject({ width: 1280, height: 720 });
    expect(local.snapshot.tracks.camera).toBe(asTrack(camera));
    expect(devices.requests).toHaveLength(1); // not reopened
    expect(sent).toHaveLength(before);
  });

  it('reopens the camera at the SFU size when applyConstraints resolves but does not take (Firefox)', async () => {
    devices.takesConstraints = false;
    await local.start();
    const small = asFake(local.snapshot.tracks.camera);
    await local.setCameraSize('sfu');
    expect(small.applied.length).toBeGreaterThan(0);
    expect(small.getSettings()).toMatchObject({ height: 360 });
    const big = asFake(local.snapshot.tracks.camera);
    expect(big).not.toBe(small);
    expect(big.getSettings()).toMatchObject({ width: 1280, height: 720 });
    // The same camera, asked for by its id; the small one is closed once the big one is sent.
    expect(devices.requests.at(-1)?.video).toMatchObject({ deviceId: { exact: 'cam-1' }, height: { ideal: 720 } });
    expect(small.readyState).toBe('ended');
    expect(devices.live('video')).toEqual([big]);
    expect(sent.at(-1)).toEqual({ role: 'camera', track: asTrack(big) });
    expect(local.snapshot).toMatchObject({ video: true, cameraId: 'cam-1' });
    expect(local.snapshot.preview?.getTracks()).toEqual([asTrack(big)]);

    // Back in a mesh, the same the other way: 360p again.
    await local.setCameraSize('mesh');
    expect(asFake(local.snapshot.tracks.camera).getSettings()).toMatchObject({ width: 640, height: 360 });
    expect(devices.live('video')).toHaveLength(1);
  });

  it('keeps the camera it has when reopening gives nothing better', async () => {
    devices.takesConstraints = false;
    await local.start();
    const camera = asFake(local.snapshot.tracks.camera);
    const before = sent.length;
    // A camera that cannot go above 360p, whatever it is asked.
    devices.maxHeight = 360;
    await local.setCameraSize('sfu');
    expect(local.snapshot.tracks.camera).toBe(asTrack(camera));
    expect(camera.readyState).toBe('live');
    expect(devices.live('video')).toEqual([camera]);
    expect(sent).toHaveLength(before);
  });

  it('a camera turned off meanwhile is not reopened', async () => {
    devices.takesConstraints = false;
    await local.start();
    const resized = local.setCameraSize('sfu');
    const off = local.setVideo(false);
    await Promise.all([resized, off]);
    expect(devices.live('video')).toEqual([]);
    expect(local.snapshot).toMatchObject({ video: false });
    await local.setVideo(true);
    expect(asFake(local.snapshot.tracks.camera).getSettings()).toMatchObject({ height: 720 });
  });

  it('stop() closes everything, also what a pending start opens later', async () => {
    const starting = local.start();
    local.stop();
    await starting;
    expect(devices.live('audio')).toEqual([]);
    expect(devices.live('video')).toEqual([]);
    expect(local.snapshot).toMatchObject({ audio: false, video: false });
  });
});
