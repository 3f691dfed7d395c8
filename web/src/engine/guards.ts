/**
 * Shape checks for what arrives from the network.
 *
 * The server is trusted but not infallible (and may be newer than this
 * client): a malformed push is dropped instead of breaking the UI.
 */
import type {
  AckError,
  ActiveSpeaker,
  RoomMode,
  SfuDescription,
  Author,
  HistoryMessage,
  HistoryPage,
  ChatAck,
  ChatOut,
  IceServer,
  IceServersResult,
  JoinResult,
  Limits,
  Participant,
  ParticipantEvent,
  ParticipantUpdate,
  RoomSummary,
  SignalOut,
  StateResult,
} from './protocol';
import { isHand, isKnockers, isMeetingSettings, isRole } from './hostGuards';

type Guard<T> = (v: unknown) => v is T;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isOptional = <T>(v: unknown, guard: Guard<T>): v is T | undefined => v === undefined || guard(v);
const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;

export const isParticipant: Guard<Participant> = (v): v is Participant =>
  isObject(v) &&
  isString(v.id) &&
  isString(v.name) &&
  isBoolean(v.audio) &&
  isBoolean(v.video) &&
  isBoolean(v.screen) &&
  isCount(v.joined) &&
  isRole(v.role) &&
  isHand(v.hand) &&
  isBoolean(v.audioLocked);

export const isRoomSummary: Guard<RoomSummary> = (v): v is RoomSummary =>
  isObject(v) && isString(v.name) && isCount(v.count) && isOptional(v.full, isBoolean) && isOptional(v.locked, isBoolean);

export const isRoomList: Guard<RoomSummary[]> = (v): v is RoomSummary[] =>
  Array.isArray(v) && v.every(isRoomSummary);

const isRoomMode = (v: unknown): v is RoomMode => v === 'mesh' || v === 'sfu';

export const isParticipantEvent: Guard<ParticipantEvent> = (v): v is ParticipantEvent =>
  isObject(v) && isParticipant(v.participant) && isCount(v.count) && isCount(v.seq) && isRoomMode(v.mode);

export const isSfuDescription: Guard<SfuDescription> = (v): v is SfuDescription => isObject(v) && isString(v.sdp);

export const isActiveSpeaker: Guard<ActiveSpeaker> = (v): v is ActiveSpeaker =>
  isObject(v) && isString(v.participant);

export const isParticipantUpdate: Guard<ParticipantUpdate> = (v): v is ParticipantUpdate =>
  isObject(v) && isParticipant(v.participant);

/** `state`'s ack has the same shape as `participant-updated`. */
export const isStateResult: Guard<StateResult> = isParticipantUpdate;

const DESCRIPTION_TYPES: ReadonlySet<unknown> = new Set(['offer', 'answer', 'pranswer', 'rollback']);

const isDescription: Guard<RTCSessionDescriptionInit> = (v): v is RTCSessionDescriptionInit =>
  isObject(v) && DESCRIPTION_TYPES.has(v.type) && isOptional(v.sdp, isString);

/** A candidate is an object (its fields are the browser's business) or null. */
const isCandidate = (v: unknown): v is RTCIceCandidateInit | null => v === null || isObject(v);

/** Exactly one of `description` and `candidate`, as the protocol says. */
export const isSignalOut: Guard<SignalOut> = (v): v is SignalOut =>
  isObject(v) &&
  isString(v.from) &&
  isOptional(v.description, isDescription) &&
  (v.candidate === undefined || isCandidate(v.candidate)) &&
  (v.description === undefined) !== (v.candidate === undefined);

export const isChatOut: Guard<ChatOut> = (v): v is ChatOut =>
  isObject(v) && isParticipant(v.from) && isString(v.text) && typeof v.ts === 'number' && isOptional(v.id, isCount);

export const isChatAck: Guard<ChatAck> = (v): v is ChatAck =>
  isObject(v) && typeof v.ts === 'number' && isOptional(v.id, isCount);

const isAuthor: Guard<Author> = (v): v is Author => isObject(v) && isString(v.id) && isString(v.name);

const isHistoryMessage: Guard<HistoryMessage> = (v): v is HistoryMessage =>
  isObject(v) && isCount(v.id) && isAuthor(v.from) && isString(v.text) && typeof v.ts === 'number';

export const isHistoryPage: Guard<HistoryPage> = (v): v is HistoryPage =>
  isObject(v) && Array.isArray(v.messages) && v.messages.every(isHistoryMessage) && isBoolean(v.more);

const isLimits: Guard<Limits> = (v): v is Limits =>
  isObject(v) &&
  isCount(v.name) &&
  isCount(v.room) &&
  isCount(v.message) &&
  isCount(v.roomSize) &&
  isCount(v.meshSize) &&
  isCount(v.sdp) &&
  isCount(v.file);

const isIceServer: Guard<IceServer> = (v): v is IceServer =>
  isObject(v) &&
  Array.isArray(v.urls) &&
  v.urls.every(isString) &&
  isOptional(v.username, isString) &&
  isOptional(v.credential, isString);

export const isJoinResult: Guard<JoinResult> = (v): v is JoinResult =>
  isObject(v) &&
  isString(v.room) &&
  isParticipant(v.you) &&
  Array.isArray(v.participants) &&
  v.participants.every(isParticipant) &&
  isCount(v.seq) &&
  Array.isArray(v.iceServers) &&
  v.iceServers.every(isIceServer) &&
  isLimits(v.limits) &&
  isHistoryPage(v.history) &&
  isRoomMode(v.mode) &&
  isMeetingSettings(v.meeting) &&
  isKnockers(v.lobby);

export const isIceServersResult: Guard<IceServersResult> = (v): v is IceServersResult =>
  isObject(v) && Array.isArray(v.iceServers) && v.iceServers.every(isIceServer) && typeof v.relayOnJoin === 'boolean';

export const isEmpty = (v: unknown): v is Record<string, never> => isObject(v);

export const isAckError: Guard<AckError> = (v): v is AckError =>
  isObject(v) && isString(v.code) && isString(v.message);
