/**
 * Whose track is which, read from the SFU's offers.
 *
 * The SFU labels every m-line it forwards with `a=msid:<participant> <origin>-<mid>`
 * (docs/sfu.md): the stream id is the sender's participant id, and the track
 * id ends in the mid the track had at the sender. A browser publishes with a
 * fixed layout (`sfu.ts`: microphone, camera, screen, in that order, so mids
 * 0, 1 and 2), so the sender's mid tells the role. The m-line's own `a=mid`
 * is the receiving transceiver's mid here. `iceUfrag` tells which of the
 * SFU's sessions an offer belongs to.
 */
import type { TrackRole } from './local';

export interface TrackLabel {
  participant: string;
  role: TrackRole;
}

/** The publishing layout's roles by their mid at the sender. */
const ROLE_BY_MID: Record<string, TrackRole> = { '0': 'audio', '1': 'camera', '2': 'screen' };

/** Receiving mid → whose track and which, for every labelled m-line of `sdp` that is not stopped. */
export function trackLabels(sdp: string): Map<string, TrackLabel> {
  const labels = new Map<string, TrackLabel>();
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const lines = section.split(/\r?\n/);
    const [kind, port] = (lines[0] ?? '').split(' ');
    // Port 0: a stopped m-line (its sender left).
    if (port === '0') continue;
    let mid: string | null = null;
    let msid: string[] | null = null;
    let sends = true;
    for (const line of lines) {
      if (line.startsWith('a=mid:')) mid = line.slice(6).trim();
      else if (line.startsWith('a=msid:')) msid = line.slice(7).trim().split(/\s+/);
      // The server receiving: one of our own published lines.
      else if (line === 'a=recvonly' || line === 'a=inactive') sends = false;
    }
    const [participant, track] = msid ?? [];
    if (!sends || mid === null || !participant || participant === '-') continue;
    const senderMid = track?.slice(track.lastIndexOf('-') + 1) ?? '';
    const role = ROLE_BY_MID[senderMid] ?? (kind === 'audio' ? 'audio' : 'camera');
    labels.set(mid, { participant, role });
  }
  return labels;
}

/**
 * The ICE user name fragment of a session description (its first
 * `a=ice-ufrag`), or null. The SFU gives each of its sessions with a browser
 * its own credentials and never restarts ICE within one, so this tells which
 * session an offer belongs to.
 */
export function iceUfrag(sdp: string): string | null {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1] ?? null;
}
