import { describe, expect, it } from 'vitest';
import { Mesh } from './mesh';
import { FakeTrack, asTrack, createStream } from './testing/fakeMedia';
import { FakeRtc, type FakePeerConnection } from './testing/fakeRtc';

const turn = (tag: string) => [{ urls: ['turn:moim.lan:3478?transport=udp'], username: `1700000000:${tag}`, credential: tag }];

describe('Mesh', () => {
  it('gives fresh TURN credentials to the peers it has, without new connections', () => {
    const rtc = new FakeRtc();
    const tracks = { audio: asTrack(new FakeTrack('audio')), camera: asTrack(new FakeTrack('video')), screen: null };
    const mesh = new Mesh({ env: { createPeerConnection: rtc.create, createStream }, send: () => undefined, tracks: () => tracks });
    const me = { id: 'p_me', joined: 2 };
    const jun = { id: 'p_jun', joined: 1 };
    const first = turn('first');
    mesh.sync(me, [jun], first);
    expect(rtc.pcs).toHaveLength(1);
    const pc = rtc.pcs[0] as FakePeerConnection;
    expect(pc.getConfiguration().iceServers).toEqual(first);

    const fresh = turn('fresh');
    mesh.sync(me, [jun], fresh);
    expect(rtc.pcs).toHaveLength(1);
    expect(pc.getConfiguration().iceServers).toEqual(fresh);
    // The rest of the configuration stays as it was.
    expect(pc.getConfiguration().bundlePolicy).toBe('max-bundle');

    // A newcomer starts with the fresh ones too.
    mesh.sync(me, [jun, { id: 'p_ara', joined: 3 }], fresh);
    expect((rtc.pcs[1] as FakePeerConnection).getConfiguration().iceServers).toEqual(fresh);
    mesh.close();
  });
});
