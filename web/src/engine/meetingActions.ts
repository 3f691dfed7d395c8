/**
 * The requests about the meeting itself: its settings, moderation, the
 * lobby, ending it, hands and reactions. Each resolves to null when the
 * server agreed, or to the refusal (a code the UI puts into words). The
 * room's state changes by the events the server sends everyone; where we
 * are the only one told (our settings ack, our hand), the ack is applied.
 */
import { isParticipantUpdate } from './guards';
import type { ModerateAction, RequestError, Requests, SettingsIn } from './protocol';
import type { RoomState } from './sessionTypes';
import { toClientError, type SignalClient } from './signal';

export interface MeetingActionsHost {
  /** The room we are in, or null. */
  room(): RoomState | null;
  patchRoom(patch: Partial<RoomState>): void;
}

export class MeetingActions {
  constructor(
    private readonly signal: Pick<SignalClient, 'request'>,
    private readonly host: MeetingActionsHost,
  ) {}

  /** Hosts and co-hosts: list, lock, set or remove (`''`) the passcode, allow unmuting. */
  async settings(patch: SettingsIn): Promise<RequestError | null> {
    const result = await this.send('settings', patch);
    if ('ok' in result) this.host.patchRoom({ meeting: result.ok.meeting });
    return 'error' in result ? result.error : null;
  }

  /** Hosts and co-hosts: `participant` for everything but `mute-all` and `step-down`. */
  async moderate(action: ModerateAction, participant?: string): Promise<RequestError | null> {
    const result = await this.send('moderate', participant === undefined ? { action } : { action, participant });
    const room = this.host.room();
    // The server takes the removed person out at once, but tells the rest of
    // the room (not the one who removed them) with `participant-left`.
    if ('ok' in result && action === 'remove' && room?.participants.some((p) => p.id === participant)) {
      this.host.patchRoom({ participants: room.participants.filter((p) => p.id !== participant), count: room.count - 1 });
    }
    return this.done(result);
  }

  /** Lets one knocker in (`'all'`: everyone waiting). */
  async admit(participant: string | 'all'): Promise<RequestError | null> {
    return this.done(await this.send('admit', participant === 'all' ? { all: true } : { participant }));
  }

  /** Turns one knocker away (`'all'`: everyone waiting). */
  async deny(participant: string | 'all'): Promise<RequestError | null> {
    return this.done(await this.send('deny', participant === 'all' ? { all: true } : { participant }));
  }

  /** Hosts: ends the meeting for everyone (we get `ended` like the others). */
  async end(): Promise<RequestError | null> {
    return this.done(await this.send('end', {}));
  }

  /** Raises or lowers our hand. */
  async hand(raised: boolean): Promise<RequestError | null> {
    const result = await this.send('hand', { raised });
    const room = this.host.room();
    if ('ok' in result && room) {
      // The server's time when its ack says it; else ours until `participant-updated`.
      const told = isParticipantUpdate(result.ok) && result.ok.participant.id === room.you.id ? result.ok.participant.hand : undefined;
      const hand = told !== undefined ? told : raised ? (room.you.hand ?? Date.now()) : null;
      this.host.patchRoom({ you: { ...room.you, hand } });
    }
    return this.done(result);
  }

  /** Sends a reaction (one of `REACTIONS`) to everyone, us included. */
  async react(emoji: string): Promise<RequestError | null> {
    return this.done(await this.send('react', { emoji }));
  }

  private done(result: { ok: unknown } | { error: RequestError }): RequestError | null {
    return 'error' in result ? result.error : null;
  }

  private async send<K extends keyof Requests>(event: K, payload: Requests[K]['in']): Promise<{ ok: Requests[K]['ok'] } | { error: RequestError }> {
    if (!this.host.room()) return { error: { code: 'not_in_room' } };
    try {
      return await this.signal.request(event, payload);
    } catch (err) {
      return { error: toClientError(err) };
    }
  }
}
