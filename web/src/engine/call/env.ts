/**
 * Everything the call engine takes from the browser, in one place. The rest
 * of the engine only uses DOM *types*; the objects come through a `CallEnv`,
 * so unit tests run the same code in Node against fakes, and this is the one
 * file that reads browser globals.
 */
import type { LevelMeter } from './level';
import { AnalyserMeter } from './level';

/** The part of `navigator.mediaDevices` the engine uses. */
export interface MediaDevicesLike {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  getDisplayMedia?(options?: DisplayMediaStreamOptions): Promise<MediaStream>;
  enumerateDevices(): Promise<MediaDeviceInfo[]>;
  addEventListener(type: 'devicechange', listener: () => void): void;
  removeEventListener(type: 'devicechange', listener: () => void): void;
}

export interface CallEnv {
  /**
   * Null where the browser offers no media at all: an old browser, or a page
   * served over plain http to another machine (browsers only give cameras to
   * secure origins).
   */
  media: MediaDevicesLike | null;
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  /** Remote streams are assembled per peer from receiver tracks. */
  createStream(tracks: MediaStreamTrack[]): MediaStream;
  /** A level meter on a stream's audio, or null without Web Audio. */
  createMeter(stream: MediaStream): LevelMeter | null;
  /** `HTMLMediaElement.setSinkId` exists: the speaker can be chosen. */
  speakerSelectable: boolean;
  /**
   * Gets WebRTC ready before the first call (see `browserEnv`); resolves
   * with a certificate for every peer connection, or null.
   */
  warmUp?(): Promise<RTCCertificate | null>;
}

let audioContext: AudioContext | null = null;

/**
 * One AudioContext for the page: browsers limit how many may exist. It may
 * start suspended until the user clicks something (autoplay rules), so
 * `resumeAudio` is called from the UI's click handlers.
 */
function sharedAudioContext(): AudioContext | null {
  if (audioContext) return audioContext;
  if (typeof AudioContext === 'undefined') return null;
  audioContext = new AudioContext();
  return audioContext;
}

/** Lets a suspended AudioContext run; call from a user gesture. */
export function resumeAudio(): void {
  void audioContext?.resume().catch(() => undefined);
}

/** The real thing, for the app. */
export function browserEnv(): CallEnv {
  const media = typeof navigator !== 'undefined' ? (navigator.mediaDevices ?? null) : null;
  return {
    media,
    createPeerConnection: (config) => new RTCPeerConnection(config),
    createStream: (tracks) => new MediaStream(tracks),
    createMeter: (stream) => {
      const ctx = sharedAudioContext();
      if (!ctx) return null;
      resumeAudio();
      return new AnalyserMeter(ctx, stream);
    },
    speakerSelectable: typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype,
    warmUp,
  };
}

/**
 * The first RTCPeerConnection of a page pays for starting WebRTC (threads,
 * codecs, network interfaces) and for its DTLS certificate; done while the
 * pre-join screen shows, that time is not spent after "join". A throwaway
 * connection makes one offer and is closed; the certificate is kept for all
 * peers (one per page is allowed and saves generating one per peer).
 */
async function warmUp(): Promise<RTCCertificate | null> {
  if (typeof RTCPeerConnection === 'undefined') return null;
  let certificate: RTCCertificate | null = null;
  try {
    certificate = await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams);
  } catch {
    // Each connection makes its own, as usual.
  }
  const pc = new RTCPeerConnection(certificate ? { certificates: [certificate] } : {});
  try {
    pc.addTransceiver('audio');
    pc.addTransceiver('video');
    pc.createDataChannel('warm-up');
    await pc.setLocalDescription();
  } catch {
    // Only a warm-up.
  } finally {
    pc.close();
  }
  return certificate;
}
