/**
 * The camera of a call that goes through the SFU is asked for 1280x720. A
 * browser that ignores `applyConstraints` (Firefox) gets its camera opened
 * again at that size, and the SFU link sends the new track in place of the
 * old one (`replaceTrack`, no second offer). `local.test.ts` has the same
 * at the level of `LocalMedia`.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { JoinIn, Participant } from '../protocol';
import { RoomSession } from '../session';
import { SignalClient } from '../signal';
import { FakeSocket } from '../testing/fakeSocket';
import { Call } from './call';
import { FakeMediaDevices, asFake, createStream } from './testing/fakeMedia';
import { FakeRtc, type FakePeerConnection } from './testing/fakeRtc';

const limits = { name: 32, room: 64, message: 4000, roomSize: 50, meshSize: 6, sdp: 65536, file: 1000 };
const person = (id: string, name: string, joined: number): Participant => ({
  id,
  name,
  audio: true,
  video: true,
  screen: false,
  joined,
  role: 'guest',
  hand: null,
  audioLocked: false,
});

describe('the camera of an SFU call', () => {
  let rtc: FakeRtc;
  let devices: FakeMediaDevices;
  let socket: FakeSocket;
  let call: Call;

  beforeEach(() => {
    rtc = new FakeRtc();
    devices = new FakeMediaDevices();
    socket = new FakeSocket();
    const signal = new SignalClient(socket, { timeoutMs: 1000 });
    const env = {
      media: devices,
      createPeerConnection: rtc.create,
      createStream,
      createMeter: () => ({ level: () => 0, close: () => undefined }),
      speakerSelectable: true,
    };
    call = new Call(new RoomSession(signal), signal, env, { speakingIntervalMs: 5 });
    socket.autoReply('join', (p) => {
      const { room, name } = p as JoinIn;
      const you = { ...person('p_1', name, 4) };
      const participants = [person('p_eun', 'Eun', 1), person('p_jun', 'Jun', 2), person('p_ara', 'Ara', 3)];
      const meeting = { listed: false, locked: false, hasPasscode: false, allowUnmute: true };
      return { ok: { room, you, participants, seq: 4, iceServers: [], limits, history: { messages: [], more: false }, mode: 'sfu', meeting, lobby: [] } };
    });
    socket.open();
  });

  /** Joins an SFU meeting from the pre-join screen; the SFU link's camera sender. */
  async function joinSfu() {
    await call.preview();
    const previewCamera = call.local.snapshot.tracks.camera;
    expect(asFake(previewCamera).getSettings()).toMatchObject({ width: 640, height: 360 });
    expect(await call.join('town-hall', 'Mina')).toBe(true);
    const link = rtc.pcs.find((pc) => pc.config.rtcpMuxPolicy === 'require') as FakePeerConnection;
    // Audio, camera, screen, in that order (`sfu.ts`).
    const sender = link.transceivers[1]!.sender;
    return { previewCamera, sender };
  }

  it('reopens a camera that ignored applyConstraints at 1280x720 and sends it without renegotiating', async () => {
    devices.takesConstraints = false;
    const { previewCamera, sender } = await joinSfu();
    await vi.waitFor(() => expect(call.local.snapshot.tracks.camera).not.toBe(previewCamera));
    const camera = call.local.snapshot.tracks.camera;
    expect(asFake(camera).getSettings()).toMatchObject({ width: 1280, height: 720 });
    expect(asFake(previewCamera).readyState).toBe('ended');
    await vi.waitFor(() => expect(sender.track).toBe(camera));
    expect(sender.replaced).toContain(camera);
    expect(socket.sentOf('sfu-offer')).toHaveLength(1);
    expect(devices.live('video')).toEqual([asFake(camera)]);
  });

  it('keeps the camera it resized in place (Chromium): no second camera, the same track sent', async () => {
    const { previewCamera, sender } = await joinSfu();
    await vi.waitFor(() => expect(asFake(previewCamera).getSettings()).toMatchObject({ width: 1280, height: 720 }));
    // Let any reopen that would follow run.
    await new Promise((r) => setTimeout(r, 50));
    expect(call.local.snapshot.tracks.camera).toBe(previewCamera);
    expect(sender.track).toBe(previewCamera);
    expect(sender.replaced).toEqual([]);
    expect(devices.requests.filter((r) => r.video)).toHaveLength(1);
  });
});
