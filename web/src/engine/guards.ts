/**
 * Shape checks for what arrives from the network.
 *
 * The server is trusted but not infallible (and may be newer than this
 * client): a malformed push is dropped instead of breaking the UI.
 */
import type {
  AckError,
  ChatAck,
  ChatOut,
  JoinResult,
  Limits,
  Participant,
  ParticipantEvent,
  RoomSummary,
} from './protocol';

type Guard<T> = (v: unknown) => v is T;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;

export const isParticipant: Guard<Participant> = (v): v is Participant =>
  isObject(v) && isString(v.id) && isString(v.name);

export const isRoomSummary: Guard<RoomSummary> = (v): v is RoomSummary =>
  isObject(v) && isString(v.name) && isCount(v.count);

export const isRoomList: Guard<RoomSummary[]> = (v): v is RoomSummary[] =>
  Array.isArray(v) && v.every(isRoomSummary);

export const isParticipantEvent: Guard<ParticipantEvent> = (v): v is ParticipantEvent =>
  isObject(v) && isParticipant(v.participant) && isCount(v.count) && isCount(v.seq);

export const isChatOut: Guard<ChatOut> = (v): v is ChatOut =>
  isObject(v) && isParticipant(v.from) && isString(v.text) && typeof v.ts === 'number';

export const isChatAck: Guard<ChatAck> = (v): v is ChatAck =>
  isObject(v) && typeof v.ts === 'number';

const isLimits: Guard<Limits> = (v): v is Limits =>
  isObject(v) && isCount(v.name) && isCount(v.room) && isCount(v.message) && isCount(v.roomSize);

export const isJoinResult: Guard<JoinResult> = (v): v is JoinResult =>
  isObject(v) &&
  isString(v.room) &&
  isParticipant(v.you) &&
  Array.isArray(v.participants) &&
  v.participants.every(isParticipant) &&
  isCount(v.seq) &&
  isLimits(v.limits);

export const isEmpty = (v: unknown): v is Record<string, never> => isObject(v);

export const isAckError: Guard<AckError> = (v): v is AckError =>
  isObject(v) && isString(v.code) && isString(v.message);
