/**
 * The operator snapshot moim pushes on the `/admin` namespace (`moim:ops`,
 * every two seconds and right after login), and a shape check for it.
 */

export interface OpsParticipant {
  id: string;
  name: string;
}

export interface OpsRoom {
  name: string;
  /** `mesh` (peer to peer) or `sfu` (through the server). */
  mode: string;
  /** The node whose SFU forwards the meeting's media, when this node knows it. */
  mediaNode?: string;
  participants: OpsParticipant[];
}

export interface OpsNamespace {
  name: string;
  rooms: OpsRoom[];
}

export interface OpsSnapshot {
  node: string;
  version: string;
  uptimeSeconds: number;
  /** Whether people get a TURN relay; without one some networks cannot connect. */
  relay: boolean;
  namespaces: OpsNamespace[];
}

export const OPS_EVENT = 'moim:ops';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isString = (v: unknown): v is string => typeof v === 'string';

function isParticipant(v: unknown): v is OpsParticipant {
  return isObject(v) && isString(v.id) && isString(v.name);
}

function isRoom(v: unknown): v is OpsRoom {
  return (
    isObject(v) &&
    isString(v.name) &&
    isString(v.mode) &&
    (v.mediaNode === undefined || isString(v.mediaNode)) &&
    Array.isArray(v.participants) &&
    v.participants.every(isParticipant)
  );
}

function isNamespace(v: unknown): v is OpsNamespace {
  return isObject(v) && isString(v.name) && Array.isArray(v.rooms) && v.rooms.every(isRoom);
}

export function isOpsSnapshot(v: unknown): v is OpsSnapshot {
  return (
    isObject(v) &&
    isString(v.node) &&
    isString(v.version) &&
    typeof v.uptimeSeconds === 'number' &&
    typeof v.relay === 'boolean' &&
    Array.isArray(v.namespaces) &&
    v.namespaces.every(isNamespace)
  );
}

/** `3725` → `1 h 2 min 5 s`. */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  parts.push(`${s % 60} s`);
  return parts.join(' ');
}
