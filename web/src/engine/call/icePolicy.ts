/**
 * A test setting: `iceTransportPolicy: "relay"` forces every call through the
 * TURN server, so a test (or a person debugging a network) can prove the relay
 * works. Set by `?ice=relay` in the address the page was opened with (read
 * once, at load: the app rewrites its address as it goes) or by the
 * localStorage key `moim.iceTransportPolicy` = `relay`; anything else means
 * the default, `all`.
 */
export const ICE_POLICY_KEY = 'moim.iceTransportPolicy';

function queryAtLoad(): string | null {
  try {
    return new URLSearchParams(globalThis.location?.search ?? '').get('ice');
  } catch {
    return null;
  }
}

const openedWith = queryAtLoad();

export function iceTransportPolicy(): RTCIceTransportPolicy {
  if (openedWith === 'relay') return 'relay';
  try {
    if (globalThis.localStorage?.getItem(ICE_POLICY_KEY) === 'relay') return 'relay';
  } catch {
    // No storage (private modes): the default.
  }
  return 'all';
}
