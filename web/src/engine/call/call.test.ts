import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { JoinIn, Participant, SignalIn, StateIn } from '../protocol';
import { RoomSession } from '../session';
import { SignalClient } from '../signal';
import { FakeSocket } from '../testing/fakeSocket';
import { Call } from './call';
import type { CallEnv } from './env';
import { FileChannel } from './files';
import { Peer } from './peer';
import { FakeMediaDevices, FakeTrack, asFake, asTrack, createStream } from './testing/fakeMedia';
import { FakeRtc, type FakePeerConnection } from './testing/fakeRtc';

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
async function settle(n = 40): Promise<void> {
  for (let i = 0; i < n; i++) await tick();
}

const limits = { name: 32, room: 64, message: 4000, roomSize: 50, meshSize: 6, sdp: 65536, file: 1000 };
const person = (id: string, name: string, joined: number): Participant => ({
  id,
  name,
  audio: true,
  video: true,
  screen: false,
  joined,
  role: 'guest',
  hand: null,
  audioLocked: false,
});
/** Jun was in the room before us (we join at seq 2), Ara comes after. */
const jun = person('p_jun', 'Jun', 1);
const ara = person('p_ara', 'Ara', 3);

describe('Call', () => {
  let rtc: FakeRtc;
  let devices: FakeMediaDevices;
  let socket: FakeSocket;
  let session: RoomSession;
  let call: Call;
  let level: number;
  /** The other browsers, played by bare Peers: participant id → their Peer. */
  let remotes: Map<string, Peer>;
  let myN: number;

  beforeEach(() => {
    rtc = new FakeRtc();
    devices = new FakeMediaDevices();
    level = 0;
    const env: CallEnv = {
      media: devices,
      createPeerConnection: rtc.create,
      createStream,
      createMeter: () => ({ level: () => level, close: () => undefined }),
      speakerSelectable: true,
    };
    socket = new FakeSocket();
    const signal = new SignalClient(socket, { timeoutMs: 1000 });
    session = new RoomSession(signal);
    call = new Call(session, signal, env, { speakingIntervalMs: 5 });
    remotes = new Map();
    myN = 1;
    socket.autoReply('join', (p) => {
      const { room, name, audio = true, video = true } = p as JoinIn;
      const you = { id: `p_${myN}`, name, audio, video, screen: false, joined: 2, role: 'guest' as const, hand: null, audioLocked: false };
      return { ok: { room, you, participants: [jun], seq: 2, iceServers: [], limits, history: { messages: [], more: false }, mode: 'mesh', meeting: { listed: false, locked: false, hasPasscode: false, allowUnmute: true }, lobby: [] } };
    });
    socket.autoReply('signal', (p) => {
      const { to, ...s } = p as SignalIn;
      setTimeout(() => void remotes.get(to)?.receive(s), 0);
      return { ok: {} };
    });
    // The server's view of us: each state ack carries all changes so far.
    let serverYou: Participant | null = null;
    socket.autoReply('state', (p) => {
      const you = session.getSnapshot().room?.you;
      if (you && serverYou?.id !== you.id) serverYou = you;
      serverYou = { ...(serverYou as Participant), ...(p as StateIn) };
      return { ok: { participant: serverYou } };
    });
    socket.open();
  });

  /** Someone else's browser: a Peer toward us that speaks through the socket. */
  function remote(p: Participant): Peer {
    const me = `p_${myN}`;
    const tracks = { audio: asTrack(new FakeTrack('audio')), camera: asTrack(new FakeTrack('video')), screen: null };
    // The later of the two to join is polite; we joined at 2.
    const peer = new Peer({ remoteId: me, polite: p.joined > 2, pc: rtc.create({}), tracks, createStream });
    peer.on('signal', (s) => setTimeout(() => socket.push('signal', { from: p.id, ...s }), 0));
    remotes.set(p.id, peer);
    return peer;
  }

  /** My connection to participant `id`. */
  const pcByPeer = new Map<string, FakePeerConnection>();
  function pcOf(id: string): FakePeerConnection | undefined {
    return pcByPeer.get(id);
  }

  async function joinWithJun() {
    await call.preview();
    const before = rtc.pcs.length;
    expect(await call.join('standup', 'Mina')).toBe(true);
    pcByPeer.set('p_jun', rtc.pcs[before] as FakePeerConnection);
    remote(jun);
    await settle();
  }

  it('joins with the state chosen on the pre-join screen and connects to everyone', async () => {
    await call.preview();
    await call.setAudio(false);
    expect(await call.join('standup', 'Mina')).toBe(true);
    expect(socket.sentOf('join')[0]?.payload).toEqual({ room: 'standup', name: 'Mina', audio: false, video: true });
    const pc = rtc.pcs[0] as FakePeerConnection;
    remote(jun);
    await settle();
    expect(pc.connectionState).toBe('connected');
    const tiles = call.getSnapshot().tiles;
    expect(tiles.map((t) => t.key)).toEqual(['self', 'p_jun']);
    expect(tiles[0]).toMatchObject({ self: true, audio: false, video: true });
    expect(tiles[1]?.stream?.getTracks().map((t) => t.kind)).toEqual(['audio', 'video']);
    // Our camera and (muted) microphone go out on the fixed transceivers.
    expect(pc.transceivers[1]?.sender.track).toBe(call.local.snapshot.tracks.camera);
    expect(asFake(pc.transceivers[0]?.sender.track).enabled).toBe(false);
  });

  it('turns the microphone, camera and share off when a host says so, and keeps a locked mic off', async () => {
    await joinWithJun();
    await call.startScreenShare();
    await settle();
    socket.push('moderated', { action: 'mute', by: 'Jun' });
    socket.push('moderated', { action: 'camera-off', by: 'Jun' });
    socket.push('moderated', { action: 'stop-screen', by: 'Jun' });
    await settle();
    expect(call.getSnapshot().local).toMatchObject({ audio: false, video: false, screen: false });
    // The meeting does not allow unmuting oneself: the server says so, and the mic stays off.
    const you = session.getSnapshot().room!.you;
    socket.push('participant-updated', { participant: { ...you, audio: false, audioLocked: true } });
    expect(session.getSnapshot().room?.you.audioLocked).toBe(true);
    await call.setAudio(true);
    expect(call.getSnapshot().local.audio).toBe(false);
    socket.push('moderated', { action: 'allow-speak', by: 'Jun' });
    await call.setAudio(true);
    expect(call.getSnapshot().local.audio).toBe(true);
  });

  it('announces a camera and microphone that open while the join is on its way', async () => {
    const preview = call.preview(); // the permission prompt is still up
    expect(await call.join('standup', 'Mina')).toBe(true);
    expect(socket.sentOf('join')[0]?.payload).toMatchObject({ audio: false, video: false });
    await preview;
    await settle(5);
    expect(socket.sentOf('state').map((s) => s.payload)).toEqual([{ audio: true }, { video: true }]);
    expect(session.getSnapshot().room?.you).toMatchObject({ audio: true, video: true });
  });

  it('publishes mute, camera and screen as state, and camera off stops the camera', async () => {
    await joinWithJun();
    const pc = pcOf('p_jun') as FakePeerConnection;
    const camera = asFake(call.local.snapshot.tracks.camera);
    await call.setAudio(false);
    await call.setVideo(false);
    await call.startScreenShare();
    await settle(5);
    expect(socket.sentOf('state').map((s) => s.payload)).toEqual([{ audio: false }, { video: false }, { screen: true }]);
    expect(camera.readyState).toBe('ended');
    expect(pc.transceivers[1]?.sender.track).toBeNull();
    expect(pc.transceivers[2]?.sender.track).toBe(call.local.snapshot.tracks.screen);
    expect(call.getSnapshot().tiles.map((t) => t.key)).toEqual(['self', 'self:screen', 'p_jun']);
  });

  it('switches camera and microphone on every peer without renegotiating', async () => {
    await joinWithJun();
    const pc = pcOf('p_jun') as FakePeerConnection;
    const offers = rtc.pcs.map((p) => p.log.length);
    await call.switchCamera('cam-2');
    await call.switchMic('mic-2');
    await settle();
    expect(asFake(pc.transceivers[1]?.sender.track).deviceId).toBe('cam-2');
    expect(asFake(pc.transceivers[0]?.sender.track).deviceId).toBe('mic-2');
    expect(rtc.pcs.map((p) => p.log.length)).toEqual(offers);
    expect(devices.live('video').map((t) => t.deviceId)).toEqual(['cam-2']);
  });

  it('shows a screen tile while someone shares, and drops a tile at once when they leave', async () => {
    const events: string[] = [];
    call.on('streams', (s) => events.push(`${s.participantId}:${s.camera ? 'camera' : '-'}:${s.screen ? 'screen' : '-'}`));
    await joinWithJun();
    expect(events).toEqual(['p_jun:camera:screen']);
    socket.push('participant-updated', { participant: { ...jun, screen: true, audio: false } });
    let tiles = call.getSnapshot().tiles;
    expect(tiles.map((t) => [t.key, t.kind])).toEqual([
      ['self', 'camera'],
      ['p_jun', 'camera'],
      ['p_jun:screen', 'screen'],
    ]);
    expect(tiles[1]?.audio).toBe(false);
    socket.push('participant-left', { participant: jun, count: 1, seq: 3, mode: 'mesh' });
    tiles = call.getSnapshot().tiles;
    expect(tiles.map((t) => t.key)).toEqual(['self']);
    expect(pcOf('p_jun')?.closed).toBe(true);
    expect(events[events.length - 1]).toBe('p_jun:-:-');
  });

  it('offers to a newcomer as soon as it hears of her', async () => {
    await joinWithJun();
    const before = rtc.pcs.length;
    remote(ara); // her browser, waiting for our offer
    socket.push('participant-joined', { participant: ara, count: 3, seq: 3, mode: 'mesh' });
    await settle(5);
    const mine = rtc.pcs[before + 1] as FakePeerConnection;
    // We were first: our side lays out the call and sends the offer.
    expect(mine.transceivers.map((t) => t.receiver.track.kind)).toEqual(['audio', 'video', 'video']);
    const offers = socket.sentOf('signal').filter((s) => (s.payload as SignalIn).to === 'p_ara');
    expect((offers[0]?.payload as SignalIn).description?.type).toBe('offer');
    await settle();
    expect(mine.connectionState).toBe('connected');
  });

  it('keeps a signal from someone it does not know yet, then answers it', async () => {
    await joinWithJun();
    const before = rtc.pcs.length;
    // Kim was in the room before us, but her offer overtakes our view of her
    // (possible when events come through different cluster nodes).
    const kim = person('p_kim', 'Kim', 0);
    remote(kim);
    await settle(5);
    expect(rtc.pcs.length).toBe(before + 1);
    socket.push('participant-joined', { participant: kim, count: 3, seq: 3, mode: 'mesh' });
    await settle();
    const mine = rtc.pcs[before + 1] as FakePeerConnection;
    expect(mine.connectionState).toBe('connected');
    expect(call.getSnapshot().tiles.map((t) => t.key)).toEqual(['self', 'p_jun', 'p_kim']);
  });

  it('makes fresh peers after a reconnect gives everyone new ids', async () => {
    await joinWithJun();
    await call.startScreenShare();
    const old = pcOf('p_jun') as FakePeerConnection;
    socket.drop();
    myN = 2;
    const before = rtc.pcs.length;
    socket.open();
    await settle(5);
    expect(old.closed).toBe(true);
    expect(rtc.pcs.length).toBe(before + 1);
    // The rejoin carries the media state, and the screen share follows.
    const joins = socket.sentOf('join');
    expect(joins[joins.length - 1]?.payload).toMatchObject({ audio: true, video: true });
    expect(socket.sentOf('state').map((s) => s.payload)).toContainEqual({ screen: true });
  });

  it('marks who is speaking from audio levels', async () => {
    await joinWithJun();
    const pc = pcOf('p_jun') as FakePeerConnection;
    const audio = pc.transceivers[0];
    if (audio) audio.audioLevel = 0.2;
    await settle(10);
    expect(call.getSnapshot().tiles.map((t) => t.speaking)).toEqual([false, true]);
    // In a mesh the active speaker is the last one heard start: Jun, then us.
    expect(call.getSnapshot().activeSpeaker).toBe('p_jun');
    expect(call.getSnapshot().tiles.map((t) => t.activeSpeaker)).toEqual([false, true]);
    level = 0.3;
    await settle(10);
    expect(call.getSnapshot().tiles[0]?.speaking).toBe(true);
    expect(call.getSnapshot().tiles.map((t) => t.activeSpeaker)).toEqual([true, false]);
    // Tile sizes are for the SFU only: nothing is sent in a mesh.
    call.setTileHeight('p_jun', 720);
    await new Promise((r) => setTimeout(r, 300));
    expect(socket.sentOf('sfu-tile')).toEqual([]);
  });

  it('in an SFU room: a 720p camera, tile heights sent once the link is up, and the server names the active speaker', async () => {
    const eun = { ...person('p_eun', 'Eun', 0), screen: true };
    socket.autoReply('join', (p) => {
      const { room, name } = p as JoinIn;
      const you = { id: 'p_1', name, audio: true, video: true, screen: false, joined: 2, role: 'guest' as const, hand: null, audioLocked: false };
      const participants = [eun, jun, ara];
      return { ok: { room, you, participants, seq: 4, iceServers: [], limits, history: { messages: [], more: false }, mode: 'sfu', meeting: { listed: false, locked: false, hasPasscode: false, allowUnmute: true }, lobby: [] } };
    });
    await call.preview();
    expect(await call.join('town-hall', 'Mina')).toBe(true);
    await settle();
    expect(call.getSnapshot().mode).toBe('sfu');
    const camera = asFake(call.local.snapshot.tracks.camera);
    expect(camera.applied).toContainEqual(expect.objectContaining({ width: { ideal: 1280 }, height: { ideal: 720 } }));

    // Heights measured before the SFU link is up wait for it.
    call.setTileHeight('p_jun', 400);
    call.setTileHeight('p_ara', 0);
    call.setTileHeight('p_nobody', 400);
    await new Promise((r) => setTimeout(r, 300));
    expect(socket.sentOf('sfu-tile')).toEqual([]);

    // The server answers the link's offer; its (ICE-lite) candidate connects it.
    const link = rtc.pcs.find((pc) => pc.config.rtcpMuxPolicy === 'require') as FakePeerConnection;
    // Joining a meeting already on the SFU, the first offer receives what the
    // others publish: three microphones, three cameras and Eun's screen.
    const receiving = link.transceivers.filter((t) => t.direction === 'recvonly').map((t) => t.receiver.track.kind);
    expect(receiving.sort()).toEqual(['audio', 'audio', 'audio', 'video', 'video', 'video', 'video']);
    const server = rtc.create({}) as unknown as FakePeerConnection;
    const offer = socket.sentOf('sfu-offer')[0]?.payload as { sdp: string };
    await server.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    await server.setLocalDescription(await server.createAnswer());
    socket.autoReply('sfu-tile', () => ({ ok: {} }));
    socket.reply('sfu-offer', { ok: { sdp: server.localDescription!.sdp } });
    await settle();
    const ufrag = (JSON.parse(server.localDescription!.sdp) as { ufrag: string }).ufrag;
    await link.addIceCandidate({ candidate: 'candidate:server', usernameFragment: ufrag });
    expect(link.connectionState).toBe('connected');
    await vi.waitFor(() => expect(socket.sentOf('sfu-tile')).toHaveLength(2));
    expect(socket.sentOf('sfu-tile').map((s) => s.payload)).toEqual([
      { participant: 'p_jun', height: 400 },
      { participant: 'p_ara', height: 0 },
    ]);

    socket.push('active-speaker', { participant: 'p_ara' });
    expect(call.getSnapshot().activeSpeaker).toBe('p_ara');
    const marked = call.getSnapshot().tiles.filter((t) => t.activeSpeaker).map((t) => t.key);
    expect(marked).toEqual(['p_ara']);

    // The server's media path breaks: the snapshot says so for the stage.
    expect(call.getSnapshot().mediaInterrupted).toBe(false);
    link.fail();
    expect(call.getSnapshot().mediaInterrupted).toBe(true);
    call.leave();
    expect(call.getSnapshot().mediaInterrupted).toBe(false);
  });

  it('sends a file to the peers and refuses one over limits.file', async () => {
    await joinWithJun();
    const got: Blob[] = [];
    const channel = remotes.get('p_jun')?.channel as RTCDataChannel;
    new FileChannel(channel, 1000).on('received', ({ blob }) => got.push(blob));
    expect(call.sendFile(new File([new Uint8Array(1001)], 'big.bin'))).toEqual({ error: 'too_large' });
    expect(call.sendFile(new File([new Uint8Array(500)], 'hi.txt'))).toEqual({ ok: true, count: 1 });
    await settle();
    expect(got.map((b) => b.size)).toEqual([500]);
    expect(call.getSnapshot().transfers).toMatchObject([{ name: 'hi.txt', status: 'done', peerId: 'p_jun' }]);
  });

  /**
   * Plays moim's SFU for our link: answers its offer (ICE and DTLS not up
   * yet); the returned function lets the connectivity checks succeed.
   */
  async function answerSfu(link: FakePeerConnection): Promise<() => Promise<void>> {
    const server = rtc.create({}) as unknown as FakePeerConnection;
    const offer = socket.sentOf('sfu-offer')[0]?.payload as { sdp: string };
    await server.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    await server.setLocalDescription();
    const answer = server.localDescription?.sdp ?? '';
    socket.reply('sfu-offer', { ok: { sdp: answer } });
    await settle();
    return async () => {
      await link.addIceCandidate({ candidate: 'sfu', usernameFragment: (JSON.parse(answer) as { ufrag: string }).ufrag });
      await settle();
    };
  }

  it('moves into an SFU room without going dark: the mesh carries the media until the SFU link is ready', async () => {
    await joinWithJun();
    const toJun = pcOf('p_jun') as FakePeerConnection;
    const { audio, camera } = call.local.snapshot.tracks;
    const junStream = call.getSnapshot().tiles.find((t) => t.key === 'p_jun')?.stream;
    expect(junStream?.getTracks()).toHaveLength(2);
    socket.push('participant-joined', { participant: ara, count: 3, seq: 3, mode: 'sfu' });
    await settle();
    expect(call.getSnapshot().mode).toBe('sfu');
    const link = rtc.pcs.find((pc) => pc.config.rtcpMuxPolicy === 'require') as FakePeerConnection;
    expect(link).toBeDefined();
    // Nobody publishes on the SFU yet at the switch: no receive lines.
    expect(link.transceivers.map((t) => t.direction)).toEqual(['sendonly', 'sendonly', 'sendonly']);
    // Until the link is up, Jun still gets us and we still see him, peer to peer.
    expect(toJun.transceivers.map((t) => t.sender.track)).toEqual([audio, camera, null]);
    expect(call.getSnapshot().tiles.find((t) => t.key === 'p_jun')?.stream).toBe(junStream);
    const connect = await answerSfu(link);
    expect(toJun.transceivers.map((t) => t.sender.track)).toEqual([audio, camera, null]);
    await connect();
    // The SFU carries our media now: the mesh peer only keeps the files channel.
    expect(toJun.transceivers.map((t) => t.sender.track)).toEqual([null, null, null]);
    expect(toJun.closed).toBe(false);
  });

  it('reaches the SFU through the TURN relay the join brings, as the mesh peers do', async () => {
    const turn = { urls: ['turn:moim.example:3478'], username: '1700000000:p_1', credential: 'c2VjcmV0' };
    socket.autoReply('join', (p) => {
      const { room, name } = p as JoinIn;
      const you = { id: `p_${myN}`, name, audio: true, video: true, screen: false, joined: 2, role: 'guest' as const, hand: null, audioLocked: false };
      return { ok: { room, you, participants: [jun], seq: 2, iceServers: [turn], limits, history: { messages: [], more: false }, mode: 'sfu', meeting: { listed: false, locked: false, hasPasscode: false, allowUnmute: true }, lobby: [] } };
    });
    await call.preview();
    const before = rtc.pcs.length;
    expect(await call.join('standup', 'Mina')).toBe(true);
    const link = rtc.pcs[before] as FakePeerConnection;
    expect(link.config.rtcpMuxPolicy).toBe('require');
    expect(link.config.iceServers).toEqual([turn]);
    expect(link.config.bundlePolicy).toBe('max-bundle');
  });

  it('in an SFU room makes the file peers only once the media through the SFU is up', async () => {
    socket.autoReply('join', (p) => {
      const { room, name } = p as JoinIn;
      const you = { id: `p_${myN}`, name, audio: true, video: true, screen: false, joined: 2, role: 'guest' as const, hand: null, audioLocked: false };
      return { ok: { room, you, participants: [jun], seq: 2, iceServers: [], limits, history: { messages: [], more: false }, mode: 'sfu', meeting: { listed: false, locked: false, hasPasscode: false, allowUnmute: true }, lobby: [] } };
    });
    await call.preview();
    const before = rtc.pcs.length;
    expect(await call.join('standup', 'Mina')).toBe(true);
    const link = rtc.pcs[before] as FakePeerConnection;
    expect(link.config.rtcpMuxPolicy).toBe('require');
    // Our file peers: made by the mesh (remote() and the server's fake have bare configs).
    const filePeers = () => rtc.pcs.filter((pc) => pc !== link && pc.config.bundlePolicy === 'max-bundle');
    // Jun, in the room before us, offers his file connection at once.
    remote(jun);
    await settle();
    expect(filePeers()).toHaveLength(0);

    const connect = await answerSfu(link);
    expect(filePeers()).toHaveLength(0);
    expect(call.sendFile(new File([new Uint8Array(10)], 'early.txt'))).toEqual({ error: 'no_peers' });
    await connect();
    expect(link.connectionState).toBe('connected');
    expect(filePeers()).toHaveLength(1);
    expect(filePeers()[0]?.connectionState).toBe('connected');
    const got: Blob[] = [];
    new FileChannel(remotes.get('p_jun')?.channel as RTCDataChannel, 1000).on('received', ({ blob }) => got.push(blob));
    expect(call.sendFile(new File([new Uint8Array(300)], 'late.txt'))).toEqual({ ok: true, count: 1 });
    await settle();
    expect(got.map((b) => b.size)).toEqual([300]);
  });

  it('leaving closes every peer and every device', async () => {
    await joinWithJun();
    call.leave();
    expect(pcOf('p_jun')?.closed).toBe(true);
    expect(devices.live('audio')).toEqual([]);
    expect(devices.live('video')).toEqual([]);
    expect(call.getSnapshot()).toMatchObject({ active: false, tiles: [] });
  });

  it('closes the preview when the pre-join screen goes away', async () => {
    await call.preview();
    expect(devices.live('video')).toHaveLength(1);
    call.stopPreview();
    expect(devices.live('video')).toEqual([]);
  });
});
