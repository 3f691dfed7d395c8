/**
 * The pre-join connectivity check: gather ICE candidates with the server's
 * ICE configuration and tell which kinds of connection this device can make.
 *
 * - a `host` candidate: the device has a network address, so people on the
 *   same network can connect directly;
 * - a `srflx` candidate: a STUN server saw its public address, so direct
 *   connections across networks may work;
 * - a `relay` candidate: the TURN server gave it a relay, so a call connects
 *   even when direct connections cannot (different networks, strict NATs).
 *
 * No React here; `react/ConnectivityCheck.tsx` turns the result into words.
 */
import type { IceServer } from './protocol';

export interface ConnectivityResult {
  /** A host candidate: direct connections on the same network. */
  direct: boolean;
  /** A server-reflexive candidate: the public address is known. */
  publicAddress: boolean;
  /**
   * `none`: no TURN server is configured; `ok` / `failed`: a relay was / was
   * not given; `later`: there is one, but its credentials come with joining.
   */
  relay: 'ok' | 'failed' | 'none' | 'later';
}

export interface CheckOptions {
  /** Creates the probing connection (a fake in tests). */
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
  /** Gathering gives up after this long, in ms. */
  timeoutMs?: number;
  /** The server has a relay whose credentials only participants get (`relayOnJoin`). */
  relayOnJoin?: boolean;
}

/** The candidate's type, from the object or, for older browsers, its SDP line. */
export function candidateType(candidate: Pick<RTCIceCandidate, 'candidate'> & { type?: string | null }): string | null {
  if (candidate.type) return candidate.type;
  const match = / typ ([a-z]+)/.exec(candidate.candidate);
  return match?.[1] ?? null;
}

/** Whether any of `servers` is a TURN server. */
export function hasTurn(servers: readonly IceServer[]): boolean {
  return servers.some((s) => s.urls.some((url) => /^turns?:/i.test(url)));
}

/** Gathers candidates with `iceServers` and classifies what was found. */
export async function checkConnectivity(
  iceServers: readonly IceServer[],
  options: CheckOptions = {},
): Promise<ConnectivityResult> {
  const create = options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
  const timeoutMs = options.timeoutMs ?? 8000;
  const pc = create({ iceServers: iceServers.map((s) => ({ ...s, urls: [...s.urls] })) });
  const seen = new Set<string>();
  try {
    const gathered = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        resolve();
      };
      pc.addEventListener('icecandidate', (event: RTCPeerConnectionIceEvent) => {
        if (!event.candidate) return finish();
        const type = candidateType(event.candidate);
        if (type) seen.add(type);
      });
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') finish();
      });
    });
    // A data channel gives the offer something to gather candidates for.
    pc.createDataChannel('connectivity-check');
    await pc.setLocalDescription(await pc.createOffer());
    await gathered;
  } catch {
    // No WebRTC at all, or it failed: nothing gathered.
  } finally {
    pc.close();
  }
  return {
    direct: seen.has('host'),
    publicAddress: seen.has('srflx'),
    relay: hasTurn(iceServers) ? (seen.has('relay') ? 'ok' : 'failed') : options.relayOnJoin ? 'later' : 'none',
  };
}

/**
 * What a guest needs to know from a `ConnectivityResult`, in one word:
 * `ready`: calls connect (a relay works, or will be given on joining);
 * `some_networks`: calls work from most networks but may not connect from
 * strict ones (no relay, or it could not be reached);
 * `offline`: this device showed no network for calls at all.
 * The operator's detail (which relay, which port) is the server's log and
 * `/ops`, never the guest's screen: the UI words only this verdict.
 */
export type ConnectivityVerdict = 'ready' | 'some_networks' | 'offline';

export function connectivityVerdict(result: ConnectivityResult): ConnectivityVerdict {
  if (!result.direct && !result.publicAddress && result.relay !== 'ok') return 'offline';
  if (result.relay === 'ok' || result.relay === 'later') return 'ready';
  return 'some_networks';
}
