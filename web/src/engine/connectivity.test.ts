import { describe, expect, it } from 'vitest';
import { candidateType, checkConnectivity, connectivityVerdict, hasTurn, type ConnectivityResult } from './connectivity';

/** A peer connection that "gathers" the given candidate types. */
function fakePc(types: string[], config: RTCConfiguration[], complete = true) {
  return (c: RTCConfiguration): RTCPeerConnection => {
    config.push(c);
    const listeners = new Map<string, Array<(ev: unknown) => void>>();
    const fire = (name: string, ev: unknown) => listeners.get(name)?.forEach((l) => l(ev));
    const pc = {
      iceGatheringState: 'new',
      closed: false,
      addEventListener: (name: string, l: (ev: unknown) => void) => listeners.set(name, [...(listeners.get(name) ?? []), l]),
      createDataChannel: () => ({}),
      createOffer: async () => ({ type: 'offer', sdp: 'v=0' }),
      setLocalDescription: async () => {
        queueMicrotask(() => {
          for (const [i, type] of types.entries()) {
            fire('icecandidate', { candidate: { candidate: `candidate:${i} 1 udp 1 192.0.2.1 5000${i} typ ${type}` } });
          }
          if (complete) {
            pc.iceGatheringState = 'complete';
            fire('icegatheringstatechange', {});
            fire('icecandidate', { candidate: null });
          }
        });
      },
      close: () => {
        pc.closed = true;
      },
    };
    return pc as unknown as RTCPeerConnection;
  };
}

const turn = [{ urls: ['turn:192.0.2.1:3478?transport=udp'], username: '1:p', credential: 'x' }];

describe('connectivity check', () => {
  it('reports a relay when the TURN server gives one', async () => {
    const configs: RTCConfiguration[] = [];
    const result = await checkConnectivity(turn, { createPeerConnection: fakePc(['host', 'relay'], configs) });
    expect(result).toEqual({ direct: true, publicAddress: false, relay: 'ok' });
    expect(configs[0]?.iceServers).toEqual(turn);
  });

  it('reports a failed relay when TURN is configured but gives nothing', async () => {
    const result = await checkConnectivity(turn, { createPeerConnection: fakePc(['host', 'srflx'], []) });
    expect(result).toEqual({ direct: true, publicAddress: true, relay: 'failed' });
  });

  it('says no relay is set up when there is no TURN server', async () => {
    const result = await checkConnectivity([{ urls: ['stun:192.0.2.1:3478'] }], {
      createPeerConnection: fakePc(['host'], []),
    });
    expect(result.relay).toBe('none');
  });

  it('says the relay comes with joining when the server keeps its credentials for participants', async () => {
    const result = await checkConnectivity([{ urls: ['stun:192.0.2.1:3478'] }], {
      createPeerConnection: fakePc(['host'], []),
      relayOnJoin: true,
    });
    expect(result.relay).toBe('later');
  });

  it('gives up gathering after the timeout', async () => {
    const result = await checkConnectivity(turn, { createPeerConnection: fakePc(['host'], [], false), timeoutMs: 20 });
    expect(result).toEqual({ direct: true, publicAddress: false, relay: 'failed' });
  });

  it('reads candidate types from the object or the SDP line', () => {
    expect(candidateType({ candidate: 'x', type: 'relay' })).toBe('relay');
    expect(candidateType({ candidate: 'candidate:1 1 udp 2 10.0.0.1 5000 typ host generation 0' })).toBe('host');
    expect(candidateType({ candidate: '' })).toBeNull();
    expect(hasTurn([{ urls: ['stun:a'] }, { urls: ['TURNS:b'] }])).toBe(true);
  });
});

describe('connectivityVerdict', () => {
  const r = (direct: boolean, publicAddress: boolean, relay: ConnectivityResult['relay']): ConnectivityResult => ({
    direct,
    publicAddress,
    relay,
  });

  it('is ready when a relay works or comes with joining', () => {
    expect(connectivityVerdict(r(true, true, 'ok'))).toBe('ready');
    expect(connectivityVerdict(r(true, false, 'later'))).toBe('ready');
    // A relay alone is enough, even without a usable local address.
    expect(connectivityVerdict(r(false, false, 'ok'))).toBe('ready');
  });

  it('warns about strict networks when there is no working relay', () => {
    expect(connectivityVerdict(r(true, true, 'none'))).toBe('some_networks');
    expect(connectivityVerdict(r(true, false, 'failed'))).toBe('some_networks');
    expect(connectivityVerdict(r(false, true, 'none'))).toBe('some_networks');
  });

  it('says offline when nothing at all was found', () => {
    expect(connectivityVerdict(r(false, false, 'none'))).toBe('offline');
    expect(connectivityVerdict(r(false, false, 'failed'))).toBe('offline');
    expect(connectivityVerdict(r(false, false, 'later'))).toBe('offline');
  });
});
