/**
 * RoomSession: the client model of moim's home page and of one room, as the
 * UI uses it. `SessionCore` (`sessionCore.ts`) keeps the snapshot, the room,
 * the chat and the media state; this adds what hosts and guests do (see
 * "Hosts and guests" in `docs/protocol.md`): the meeting's settings and
 * lobby, a host's actions on us, knocking on a locked meeting and being let
 * in (or not), and the notices when a host removed us or ended the meeting.
 * The requests about the meeting are `actions` (`meetingActions.ts`).
 */
import { MeetingActions } from './meetingActions';
import { moderatedPatch } from './moderation';
import type { MeetingNotice, Moderated, RequestError } from './protocol';
import { SessionCore, type SessionOptions } from './sessionCore';
import type { MeetingOver, RoomState } from './sessionTypes';
import { toClientError, type SignalClient } from './signal';

export type { SessionOptions } from './sessionCore';
export type { ChatEntry, MediaState, MeetingOver, Phase, RoomState, SessionEvents, SessionSnapshot, Waiting } from './sessionTypes';

export class RoomSession extends SessionCore {
  /** Hosts' and everyone's requests about the meeting (settings, moderation, hands…). */
  readonly actions: MeetingActions;

  constructor(signal: SignalClient, options: SessionOptions = {}) {
    super(signal, options);
    this.actions = new MeetingActions(signal, {
      room: () => (this.snap.phase === 'room' ? this.snap.room : null),
      patchRoom: (patch) => this.patchRoom(patch),
    });
    signal.on('meeting-updated', ({ meeting }) => this.patchRoom({ meeting }));
    signal.on('lobby', ({ waiting }) => this.patchRoom({ lobby: waiting }));
    signal.on('moderated', (ev) => this.onModerated(ev));
    signal.on('admitted', (ev) => this.onAdmitted(ev));
    signal.on('denied', (ev) => {
      if (this.snap.phase === 'lobby' && this.snap.waiting?.room === ev.room) this.over('denied', ev);
    });
    signal.on('removed', (ev) => this.onOver('removed', ev));
    signal.on('ended', (ev) => this.onOver('ended', ev));
    signal.on('reaction', (ev) => {
      if (this.snap.phase === 'room') this.events.emit('reaction', ev);
    });
  }

  /**
   * Asks a host to let us into `room` (a removed person may, and a locked
   * meeting's join does it by itself). Resolves true once waiting.
   */
  async knock(room: string, name: string): Promise<boolean> {
    if (this.snap.phase === 'joining' || this.snap.phase === 'room') return false;
    const epoch = ++this.epoch;
    this.update({ phase: 'joining', joinError: null, notice: null });
    return this.sendKnock(epoch, room.trim(), name.trim());
  }

  /** Forgets the last meeting-over notice (back to the home or pre-join screen). */
  dismissNotice(): void {
    if (this.snap.notice) this.update({ notice: null });
  }

  protected async sendKnock(epoch: number, room: string, name: string): Promise<boolean> {
    let error: RequestError;
    try {
      // `KnockIn` has no invitation field.
      const { key, passcode } = this.credentials();
      const ack = await this.signal.request('knock', { room, name, ...(key && { key }), ...(passcode && { passcode }) });
      if (epoch !== this.epoch) return false;
      if ('ok' in ack) {
        const since = this.snap.waiting?.room === room ? this.snap.waiting.since : Date.now();
        this.update({ phase: 'lobby', room: null, waiting: { room, name, since, admitted: false } });
        return false;
      }
      error = ack.error;
    } catch (err) {
      if (epoch !== this.epoch) return false;
      error = toClientError(err);
    }
    this.update({ phase: 'home', room: null, waiting: null, joinError: error });
    return false;
  }

  /** A host removed us or ended the meeting: out of it, with the reason shown. */
  private onOver(kind: 'removed' | 'ended', ev: MeetingNotice): void {
    const inIt = this.snap.phase === 'room' ? this.snap.room?.name : this.snap.waiting?.room;
    if (inIt === ev.room) this.over(kind, ev);
  }

  /** Out of the meeting (or its lobby) by a host's decision; the server already let us go. */
  protected over(kind: MeetingOver['kind'], { room, by }: MeetingNotice): void {
    this.epoch++;
    this.media = null;
    this.stopIceRefresh();
    this.chat.clear();
    this.update({ phase: 'home', room: null, log: this.chat.lines, waiting: null, notice: { kind, room, by } });
  }

  /** A host let us in: join again, with the same name, media and passcode. */
  private onAdmitted(ev: MeetingNotice): void {
    const waiting = this.snap.waiting;
    if (this.snap.phase !== 'lobby' || waiting?.room !== ev.room) return;
    this.update({ waiting: { ...waiting, admitted: true } });
    const media = this.media ? { audio: this.media.audio, video: this.media.video } : undefined;
    void this.join(waiting.room, waiting.name, media, this.passcode);
  }

  /** A host acted on us: our own state shows it at once; the call turns media off. */
  private onModerated(ev: Moderated): void {
    const room = this.snap.room;
    if (this.snap.phase !== 'room' || !room) return;
    const patch = moderatedPatch(ev.action, room.meeting);
    if (this.media) {
      for (const k of ['audio', 'video', 'screen'] as const) {
        const value = patch[k];
        if (value !== undefined) this.media[k] = value;
      }
    }
    this.patchRoom({ you: { ...room.you, ...patch } });
    this.events.emit('moderated', ev);
  }

  /** Replaces fields of the current room; nothing when not in one. */
  private patchRoom(patch: Partial<RoomState>): void {
    const room = this.snap.room;
    if (this.snap.phase !== 'room' || !room) return;
    this.update({ room: { ...room, ...patch } });
  }
}
