import type { IceServer } from '../protocol';
import { iceTransportPolicy } from './icePolicy';

/**
 * How every connection of a call is made — each mesh peer, the SFU link and
 * the pre-join's spare (`spare.ts`) alike: the participant's ICE servers
 * (TURN with their own credentials, so a network that lets nothing through
 * but a relay reaches the peers and the SFU through it; in a cluster, through
 * this node's TURN to the node hosting the meeting), the transport policy
 * (`?ice=relay`), one bundled transport, and the page's certificate.
 */
export function callPeerConfig(iceServers: readonly IceServer[], certificate: RTCCertificate | null): RTCConfiguration {
  return {
    iceServers: iceServers.map((s) => ({ ...s })),
    iceTransportPolicy: iceTransportPolicy(),
    // One transport for all media and data: fewer candidates, faster setup.
    bundlePolicy: 'max-bundle',
    ...(certificate ? { certificates: [certificate] } : {}),
  };
}
