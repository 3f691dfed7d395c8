/**
 * Shape checks for the "Hosts and guests" part of the protocol: roles,
 * settings, the lobby, moderation, notices and reactions. Apart from
 * `guards.ts` so each file stays about one thing.
 */
import type { Knocker, Lobby, MeetingNotice, MeetingSettings, MeetingUpdate, ModerateAction, Moderated, Reaction, Role } from './protocol';

type Guard<T> = (v: unknown) => v is T;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const ROLES: ReadonlySet<unknown> = new Set(['host', 'cohost', 'guest']);
export const isRole = (v: unknown): v is Role => ROLES.has(v);

/** A raised hand's time, or null. */
export const isHand = (v: unknown): v is number | null => v === null || isTime(v);

const ACTIONS: ReadonlySet<unknown> = new Set<ModerateAction>([
  'mute',
  'mute-all',
  'allow-speak',
  'camera-off',
  'stop-screen',
  'lower-hand',
  'remove',
  'make-cohost',
  'make-host',
  'make-guest',
  'step-down',
]);

export const isMeetingSettings: Guard<MeetingSettings> = (v): v is MeetingSettings =>
  isObject(v) && isBoolean(v.listed) && isBoolean(v.locked) && isBoolean(v.hasPasscode) && isBoolean(v.allowUnmute);

export const isMeetingUpdate: Guard<MeetingUpdate> = (v): v is MeetingUpdate =>
  isObject(v) && isMeetingSettings(v.meeting) && isString(v.by);

export const isModerated: Guard<Moderated> = (v): v is Moderated =>
  isObject(v) && ACTIONS.has(v.action) && isString(v.by);

export const isKnocker: Guard<Knocker> = (v): v is Knocker =>
  isObject(v) && isString(v.id) && isString(v.name) && isTime(v.since) && isBoolean(v.removed);

export const isKnockers: Guard<Knocker[]> = (v): v is Knocker[] => Array.isArray(v) && v.every(isKnocker);

export const isLobby: Guard<Lobby> = (v): v is Lobby => isObject(v) && isKnockers(v.waiting);

export const isMeetingNotice: Guard<MeetingNotice> = (v): v is MeetingNotice =>
  isObject(v) && isString(v.room) && isString(v.by);

export const isReaction: Guard<Reaction> = (v): v is Reaction =>
  isObject(v) && isString(v.participant) && isString(v.emoji);
