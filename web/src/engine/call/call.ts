/**
 * Call: a video call in the session's current room, composed of the local
 * media, the device list, a mesh of peers, the file transfers and the
 * speaking detector. It follows the session: when the session is in a room,
 * the call is on (peers for everyone listed, rebuilt after a rejoin); when
 * it is not, the call is over and every camera and microphone is closed.
 *
 * Media travels the way the room's `mode` says: in a mesh every peer
 * carries camera and microphone; in an SFU room the `SfuLink` carries them
 * (one upload, everyone's tracks down) and the mesh peers, kept while the
 * room fits a mesh, carry only the file-transfer data channel. A change of
 * mode (the room grew or shrank past the server's threshold) moves the media
 * with no one clicking anything.
 *
 * Make before break: when a mesh becomes an SFU room, the mesh peers keep
 * sending until our SFU link is `ready`, and a tile keeps its mesh streams
 * until that person's streams come through the SFU, so the video does not
 * go dark while the link is set up.
 *
 * Media first: in an SFU room new file peers are made only once the SFU link
 * is `ready`. Setting up five peer connections for files while the link
 * negotiates and the first keyframes arrive delays everyone's video on the
 * joiner's one WebRTC thread (`bench/sfu-join.mjs`); their offers wait in
 * the mesh until then.
 *
 * In an SFU room the camera is sent as simulcast layers, and the UI reports
 * how tall it draws each remote camera (`setTileHeight`, `TileSizes`) so the
 * SFU forwards the layer that fits. The active speaker's tile is marked: the
 * server says who it is in an SFU room; in a mesh it is the last person the
 * local speaking detection heard start.
 *
 * The UI reads one immutable `CallSnapshot` (`getSnapshot` / `subscribe`,
 * for `useSyncExternalStore`) and calls the methods; the microphone level is
 * read on demand (`micLevel`) because it changes every frame.
 */
import { Emitter } from '../emitter';
import { mark } from '../marks';
import type { RoomMode } from '../protocol';
import type { RoomSession } from '../session';
import type { SignalClient } from '../signal';
import { DeviceList, type DeviceSnapshot } from './devices';
import type { CallEnv } from './env';
import type { FileLike } from './files';
import type { LevelMeter } from './level';
import { LocalMedia, type LocalSnapshot, type LocalTracks } from './local';
import { Mesh } from './mesh';
import type { Peer } from './peer';
import { readCallQuality } from './callQuality';
import { QualityMonitor } from './quality';
import { SfuLink } from './sfu';
import { CallSpeakers } from './speakers';
import { CallPrewarm } from './spare';
import { NO_STREAMS, type RemoteStreams } from './streams';
import { buildTiles, reuseTiles, type Tile } from './tiles';
import { TileSizes } from './tileSizes';
import { Transfers, type SendRefusal, type Transfer } from './transfers';

export interface CallSnapshot {
  /** The session is in a room: the call is on. */
  active: boolean;
  local: LocalSnapshot;
  devices: DeviceSnapshot;
  /** The chosen audio output, for `HTMLMediaElement.setSinkId`. */
  speakerId: string | null;
  speakerSelectable: boolean;
  tiles: readonly Tile[];
  transfers: readonly Transfer[];
  /** How media travels now (null outside a room). */
  mode: RoomMode | null;
  /**
   * Who is speaking for the room: in an SFU room the loudest person as the
   * server last said (`active-speaker`); in a mesh the last one heard start.
   */
  activeSpeaker: string | null;
  /** In an SFU room: the media path to the server is lost and being restored (`SfuLink.interrupted`). */
  mediaInterrupted: boolean;
}

export interface CallEvents {
  /** The snapshot was replaced. */
  change: CallSnapshot;
  /**
   * A participant's remote streams appeared, changed or went (both null when
   * their peer closed). The tiles carry the same; this is for other uses.
   */
  streams: { participantId: string } & RemoteStreams;
}

export interface CallOptions {
  micId?: string | null;
  cameraId?: string | null;
  speakerId?: string | null;
  /** Noise suppression on the microphone (default on). */
  noiseSuppression?: boolean;
  /** How often levels are read for "who is speaking", in ms. */
  speakingIntervalMs?: number;
}

export class Call {
  readonly local: LocalMedia;
  readonly devices: DeviceList;
  /** Connection quality per person and of our own link; polled while the UI shows it. */
  readonly quality = new QualityMonitor(() => readCallQuality({ mode: this.mode, mesh: this.mesh, sfu: this.sfu }));
  private readonly events = new Emitter<CallEvents>();
  private readonly mesh: Mesh;
  private readonly sfu: SfuLink;
  private readonly transfers: Transfers;
  private readonly speakers = new CallSpeakers();
  private readonly tileSizes: TileSizes;
  /** Remote streams by participant, from the mesh peers and from the SFU. */
  private readonly meshStreams = new Map<string, RemoteStreams>();
  private readonly sfuStreams = new Map<string, RemoteStreams>();
  private mode: RoomMode | null = null;
  /** In an SFU room: our media goes through the SFU now, not the mesh. */
  private sfuCarries = false;
  /** The others publish on the SFU already (see `sfuReceiving`). */
  private othersOnSfu = false;
  private meter: LevelMeter | null = null;
  /** The certificate and a spare connection, readied on the pre-join screen (`spare.ts`). */
  private readonly prewarm: CallPrewarm;
  private timer: ReturnType<typeof setInterval> | null = null;
  private active = false;
  private published: Pick<LocalSnapshot, 'audio' | 'video' | 'screen'>;
  private snap: CallSnapshot;
  private readonly speakingIntervalMs: number;

  constructor(
    private readonly session: RoomSession,
    signal: SignalClient,
    private readonly env: CallEnv,
    options: CallOptions = {},
  ) {
    this.speakingIntervalMs = options.speakingIntervalMs ?? 200;
    this.local = new LocalMedia(env, options);
    this.devices = new DeviceList(env.media);
    this.transfers = new Transfers({ maxSize: 0 });
    this.prewarm = new CallPrewarm({
      env,
      iceServers: async () => {
        const answer = await session.iceServers();
        return answer && !answer.relayOnJoin ? answer.iceServers : null;
      },
      mayPrepare: () => !this.active && !['joining', 'room'].includes(session.getSnapshot().phase),
    });
    const createPeerConnection = (config: RTCConfiguration) => this.prewarm.createPeerConnection(config);
    this.mesh = new Mesh({
      env: { createPeerConnection, createStream: env.createStream },
      send: (to, s) => void signal.request('signal', { to, ...s }).catch(() => undefined),
      tracks: () => this.meshTracks(),
      certificate: () => this.prewarm.certificate,
    });
    this.sfu = new SfuLink({
      createPeerConnection,
      createStream: (tracks) => env.createStream(tracks),
      tracks: () => this.local.snapshot.tracks,
      receiving: () => this.sfuReceiving(),
      certificate: () => this.prewarm.certificate,
      iceServers: () => session.getSnapshot().room?.iceServers ?? [],
      signaling: {
        offer: async (sdp) => {
          const ack = await signal.request('sfu-offer', { sdp });
          if ('error' in ack) throw new Error(`sfu-offer: ${ack.error.code}`);
          return ack.ok.sdp;
        },
        answer: async (sdp) => {
          const ack = await signal.request('sfu-answer', { sdp });
          if ('error' in ack) throw new Error(`sfu-answer: ${ack.error.code}`);
        },
      },
    });
    this.tileSizes = new TileSizes({
      send: async (participant, height) => {
        const ack = await signal.request('sfu-tile', { participant, height });
        return 'ok' in ack;
      },
    });
    this.published = pickMedia(this.local.snapshot);
    this.snap = {
      active: false,
      local: this.local.snapshot,
      devices: this.devices.snapshot,
      speakerId: options.speakerId ?? null,
      speakerSelectable: env.speakerSelectable,
      tiles: [],
      transfers: [],
      mode: null,
      activeSpeaker: null,
      mediaInterrupted: false,
    };

    this.local.on('track', ({ role, track }) => {
      this.mesh.setTrack(role, this.meshTracks()[role]);
      this.sfu.setTrack(role, track);
      if (role === 'audio') this.remeter(track);
      // Labels become readable once a device was allowed.
      if (track) void this.devices.refresh();
    });
    this.local.on('change', () => this.onLocal());
    this.devices.on(() => this.refresh());
    this.transfers.on(() => this.refresh());
    this.mesh.on('added', (peer) => this.onPeer(peer));
    this.mesh.on('removed', (id) => {
      this.transfers.detach(id);
      this.meshStreams.delete(id);
      if (this.mode !== 'sfu') this.speakers.forget(id);
      this.refresh();
    });
    this.mesh.on('streams', ({ id, streams }) => this.onStreams(this.meshStreams, 'mesh', id, streams));
    this.sfu.on('streams', ({ id, streams }) => this.onStreams(this.sfuStreams, 'sfu', id, streams));
    this.sfu.on('ready', () => {
      if (this.mode !== 'sfu') return;
      this.othersOnSfu = true;
      this.sfuCarries = true;
      this.publishToMesh();
      this.onSession();
    });
    this.sfu.on('state', () => this.syncTileSizes());
    this.sfu.on('interrupted', () => this.refresh());
    signal.on('signal', ({ from, description, candidate }) => this.mesh.deliver(from, { description, candidate }));
    signal.on('sfu-offer', ({ sdp }) => this.sfu.deliver(sdp));
    signal.on('sfu-reconnect', () => this.sfu.reconnect());
    signal.on('active-speaker', ({ participant }) => {
      this.speakers.setServerSpeaker(participant);
      this.refresh();
    });
    session.subscribe(() => this.onSession());
    // A host muted us, turned our camera off or stopped our share: we stop
    // sending it for real, not only in what the room is told.
    session.on('moderated', ({ action }) => {
      if (action === 'mute' || action === 'mute-all') void this.local.setAudio(false);
      else if (action === 'camera-off') void this.local.setVideo(false);
      else if (action === 'stop-screen') void this.local.stopScreen();
    });
  }

  getSnapshot = (): CallSnapshot => this.snap;

  subscribe = (listener: () => void): (() => void) => this.events.on('change', () => listener());

  on<K extends keyof CallEvents>(event: K, listener: (value: CallEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** For the pre-join screen: open camera and microphone, follow the devices. */
  async preview(): Promise<void> {
    mark('preview-start');
    this.devices.watch();
    this.prewarm.start();
    await this.local.start();
    mark('preview-media');
  }

  /** WebRTC started and the certificate made ahead (no camera): the home page, when idle. */
  warmUp(): Promise<void> {
    return this.prewarm.warm();
  }

  /** Leaving the pre-join screen without joining: close everything. */
  stopPreview(): void {
    const { phase } = this.session.getSnapshot();
    // Waiting in the lobby keeps the camera ready for the call.
    if (this.active || phase === 'joining' || phase === 'lobby') return;
    this.prewarm.stop();
    this.local.stop();
    this.devices.unwatch();
  }

  /** The microphone's level now, 0..1 (0 when muted). */
  micLevel(): number {
    return this.local.snapshot.audio ? (this.meter?.level() ?? 0) : 0;
  }

  /** Joins `room` as `name`, muted or with the camera off as set before. */
  join(room: string, name: string, passcode?: string): Promise<boolean> {
    this.published = pickMedia(this.local.snapshot);
    const { audio, video } = this.published;
    return this.session.join(room, name, { audio, video }, passcode);
  }

  /** Unmuting is refused (nothing happens) while a host holds us muted (`audioLocked`). */
  setAudio(on: boolean): Promise<void> {
    if (on && this.session.getSnapshot().room?.you.audioLocked) return Promise.resolve();
    return this.local.setAudio(on);
  }

  setVideo(on: boolean): Promise<void> {
    return this.local.setVideo(on);
  }

  switchCamera(deviceId: string): Promise<void> {
    return this.local.switchCamera(deviceId);
  }

  switchMic(deviceId: string): Promise<void> {
    return this.local.switchMic(deviceId);
  }

  setNoiseSuppression(on: boolean): Promise<void> {
    return this.local.setNoiseSuppression(on);
  }

  /** Chooses the audio output; the UI applies it to every media element. */
  setSpeaker(deviceId: string): void {
    this.update({ speakerId: deviceId });
  }

  startScreenShare(): Promise<boolean> {
    return this.local.startScreen();
  }

  stopScreenShare(): Promise<void> {
    return this.local.stopScreen();
  }

  /** Sends `file` to everyone in the call; refuses at once what cannot go. */
  sendFile(file: FileLike): { ok: true; count: number } | { error: SendRefusal } {
    return this.transfers.send(file);
  }

  dismissTransfer(key: string): void {
    this.transfers.dismiss(key);
  }

  leave(): void {
    this.session.leave();
  }

  /**
   * The UI draws `participantId`'s camera `height` device pixels tall (CSS
   * height × devicePixelRatio; 0 when hidden or off screen). Told to the SFU,
   * debounced, when the room goes through it.
   */
  setTileHeight(participantId: string, height: number): void {
    const room = this.session.getSnapshot().room;
    if (!this.active || !room?.participants.some((p) => p.id === participantId)) return;
    this.tileSizes.set(participantId, height);
  }

  // ---- internals ----

  private onSession(): void {
    const s = this.session.getSnapshot();
    const room = s.phase === 'room' ? s.room : null;
    if (!room) {
      if (this.active) this.end();
      return;
    }
    if (!this.active) {
      this.begin(room.limits.file);
      this.othersOnSfu = room.mode === 'sfu';
    }
    // While rejoining, the peers stay: media may well still flow between us.
    if (!room.rejoining) {
      this.setMode(room.mode);
      this.tileSizes.retain(new Set(room.participants.map((p) => p.id)));
      if (room.mode === 'sfu') this.sfu.open(room.you.id);
      // In an SFU room the mesh only carries files, only while it fits, and
      // takes newcomers only once the SFU's media is up (see above).
      if (room.mode === 'mesh') {
        this.mesh.sync(room.you, room.participants, room.iceServers);
      } else if (room.participants.length >= room.limits.meshSize) {
        this.mesh.close();
      } else {
        const others = this.sfu.ready ? room.participants : room.participants.filter((p) => this.mesh.get(p.id));
        this.mesh.sync(room.you, others, room.iceServers);
      }
    }
    this.refresh();
  }

  /**
   * Moves the media to where the room's mode says: into the SFU (the mesh
   * peers stop sending media) or back into the mesh (the SFU link closes).
   */
  private setMode(mode: RoomMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.sfuCarries = false;
    this.speakers.setServerSpeaker(null);
    if (mode === 'mesh') this.sfu.close();
    this.syncTileSizes();
    void this.local.setCameraSize(mode);
    this.publishToMesh();
    for (const [id, streams] of this.currentStreams()) this.events.emit('streams', { participantId: id, ...streams });
  }

  /**
   * The tracks the others publish on the SFU, for the receive lines of our
   * first offer there (`SfuLink`): everyone's microphone line, and a camera
   * or a screen where they say it is on. Only where they publish there
   * already — we joined an SFU room, or our link reconnects. At the switch
   * from the mesh nobody does yet: each line would find no track and still
   * weigh on every later negotiation.
   */
  private sfuReceiving(): { audio: number; video: number } {
    const room = this.session.getSnapshot().room;
    if (!this.othersOnSfu || !room) return { audio: 0, video: 0 };
    let video = 0;
    for (const p of room.participants) video += Number(p.video) + Number(p.screen);
    return { audio: room.participants.length, video };
  }

  /** Tile heights go to the SFU while the link's session is up there. */
  private syncTileSizes(): void {
    this.tileSizes.setEnabled(this.mode === 'sfu' && this.sfu.connectionState === 'connected');
  }

  private publishToMesh(): void {
    const tracks = this.meshTracks();
    for (const role of ['audio', 'camera', 'screen'] as const) this.mesh.setTrack(role, tracks[role]);
  }

  /** What the mesh peers send: everything, until the SFU carries our media. */
  private meshTracks(): LocalTracks {
    return this.sfuCarries ? { audio: null, camera: null, screen: null } : this.local.snapshot.tracks;
  }

  /** Whose streams the tiles show: through the SFU where they are there, else from the mesh. */
  private currentStreams(): Map<string, RemoteStreams> {
    if (this.mode !== 'sfu') return this.meshStreams;
    if (this.meshStreams.size === 0) return this.sfuStreams;
    return new Map([...this.meshStreams, ...this.sfuStreams]);
  }

  private onStreams(map: Map<string, RemoteStreams>, from: RoomMode, id: string, streams: RemoteStreams): void {
    if (streams === NO_STREAMS) map.delete(id);
    else map.set(id, streams);
    const mode = this.mode ?? 'mesh';
    if (from === 'sfu' && mode !== 'sfu') return;
    if (from === 'mesh' && mode === 'sfu' && this.sfuStreams.has(id)) return;
    const shown = this.currentStreams().get(id) ?? NO_STREAMS;
    this.events.emit('streams', { participantId: id, ...shown });
    this.refresh();
  }

  private begin(maxFile: number): void {
    this.active = true;
    this.transfers.setMaxSize(maxFile);
    this.timer = setInterval(() => this.measure(), this.speakingIntervalMs);
  }

  private end(): void {
    this.active = false;
    this.quality.stop(true);
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.mesh.close();
    this.sfu.close();
    this.mode = null;
    this.sfuCarries = false;
    this.othersOnSfu = false;
    this.tileSizes.clear();
    this.speakers.clear();
    void this.local.setCameraSize('mesh');
    this.transfers.clear();
    this.meshStreams.clear();
    this.sfuStreams.clear();
    this.prewarm.stop();
    this.local.stop();
    this.devices.unwatch();
    this.refresh();
  }

  private onPeer(peer: Peer): void {
    const name = this.session.getSnapshot().room?.participants.find((p) => p.id === peer.remoteId)?.name ?? '';
    const attach = (channel: RTCDataChannel) => this.transfers.attach(peer.remoteId, channel, name);
    if (peer.channel) attach(peer.channel);
    peer.on('channel', attach);
  }

  /**
   * Tells the room about mute / camera / screen changes. Also while the join
   * is on its way (a camera that opens late, say): the session keeps the
   * wish and sends it once the join is answered.
   */
  private onLocal(): void {
    const now = pickMedia(this.local.snapshot);
    const diff: Partial<typeof now> = {};
    for (const k of ['audio', 'video', 'screen'] as const) if (now[k] !== this.published[k]) diff[k] = now[k];
    this.published = now;
    if (this.session.getSnapshot().phase !== 'home' && Object.keys(diff).length > 0) void this.session.setMedia(diff);
    this.refresh();
  }

  private remeter(track: MediaStreamTrack | null): void {
    this.meter?.close();
    this.meter = track ? this.env.createMeter(this.env.createStream([track])) : null;
  }

  /** Reads every level once; the tiles change only when someone starts or stops. */
  private measure(): void {
    const room = this.session.getSnapshot().room;
    if (!room) return;
    const levels: Array<readonly [string, number]> = [[room.you.id, this.micLevel()]];
    if (this.mode === 'sfu') for (const id of this.sfu.ids()) levels.push([id, this.sfu.audioLevel(id)]);
    else for (const id of this.mesh.ids()) levels.push([id, this.mesh.get(id)?.audioLevel() ?? 0]);
    if (this.speakers.update(levels, Date.now())) this.refresh();
  }

  private refresh(): void {
    const s = this.session.getSnapshot();
    const room = this.active && s.phase === 'room' ? s.room : null;
    const local = this.local.snapshot;
    const tiles = room
      ? buildTiles({
          you: room.you,
          local,
          others: room.participants,
          streams: this.currentStreams(),
          speaking: this.speakers.speaking,
          activeSpeaker: this.speakers.active(this.mode),
        })
      : [];
    this.update({
      active: this.active,
      local,
      devices: this.devices.snapshot,
      tiles: reuseTiles(this.snap.tiles, tiles),
      transfers: this.transfers.snapshot,
      mode: room ? this.mode : null,
      activeSpeaker: room ? this.speakers.active(this.mode) : null,
      mediaInterrupted: room !== null && this.mode === 'sfu' && this.sfu.interrupted,
    });
  }

  private update(patch: Partial<CallSnapshot>): void {
    const next = { ...this.snap, ...patch };
    const keys = Object.keys(next) as Array<keyof CallSnapshot>;
    if (keys.every((k) => next[k] === this.snap[k])) return;
    this.snap = next;
    this.events.emit('change', next);
  }
}

function pickMedia(l: LocalSnapshot): Pick<LocalSnapshot, 'audio' | 'video' | 'screen'> {
  return { audio: l.audio, video: l.video, screen: l.screen };
}
