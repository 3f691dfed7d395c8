/**
 * The streams a peer's tile plays, assembled from receiver tracks: the camera
 * stream is the microphone and camera tracks together (one element plays
 * both, in sync), the screen stream is the screen track alone. A new stream
 * object is made only when its tracks change, so a video element is not
 * reset for nothing.
 */

/** The other side's camera (with its audio) and its screen, as playable streams. */
export interface RemoteStreams {
  camera: MediaStream | null;
  screen: MediaStream | null;
}

export const NO_STREAMS: RemoteStreams = Object.freeze({ camera: null, screen: null });

export class StreamAssembler {
  private current: RemoteStreams = NO_STREAMS;

  constructor(private readonly createStream: (tracks: MediaStreamTrack[]) => MediaStream) {}

  get streams(): RemoteStreams {
    return this.current;
  }

  /** Takes the receiver tracks there are; returns the new streams if they changed. */
  update(
    audio: MediaStreamTrack | undefined,
    camera: MediaStreamTrack | undefined,
    screen: MediaStreamTrack | undefined,
  ): RemoteStreams | null {
    const cameraTracks = present([audio, camera]);
    const screenTracks = present([screen]);
    const next = {
      camera: sameTracks(this.current.camera, cameraTracks) ? this.current.camera : this.make(cameraTracks),
      screen: sameTracks(this.current.screen, screenTracks) ? this.current.screen : this.make(screenTracks),
    };
    if (next.camera === this.current.camera && next.screen === this.current.screen) return null;
    this.current = next;
    return next;
  }

  private make(tracks: MediaStreamTrack[]): MediaStream | null {
    return tracks.length > 0 ? this.createStream(tracks) : null;
  }
}

function present(tracks: Array<MediaStreamTrack | undefined>): MediaStreamTrack[] {
  return tracks.filter((t): t is MediaStreamTrack => t !== undefined);
}

function sameTracks(stream: MediaStream | null, tracks: MediaStreamTrack[]): boolean {
  if (!stream) return tracks.length === 0;
  const have = stream.getTracks();
  return have.length === tracks.length && tracks.every((t) => have.includes(t));
}
