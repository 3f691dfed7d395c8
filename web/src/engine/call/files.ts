/**
 * File transfer over one peer's `files` data channel.
 *
 * On the wire, per file: a JSON text message
 * `{kind: 'offer', id, name, size, mime}`, then the bytes as binary messages
 * of `CHUNK_SIZE`, then `{kind: 'end', id}`. The channel is ordered and files
 * go one at a time, so the chunks need no header. A sender that gives up
 * sends `{kind: 'cancel', id}`.
 *
 * Backpressure: the sender stops while more than `HIGH_WATER` bytes wait in
 * the channel's buffer and goes on at `bufferedamountlow` (threshold
 * `LOW_WATER`), so a large file never fills the browser's memory.
 */
import { Emitter } from '../emitter';

export const CHUNK_SIZE = 16 * 1024;
export const HIGH_WATER = 1024 * 1024;
export const LOW_WATER = 256 * 1024;
/** Longest file name accepted from the other side; longer is cut. */
const MAX_NAME = 255;

export interface FileHeader {
  kind: 'offer';
  id: string;
  name: string;
  size: number;
  mime: string;
}

type Control = FileHeader | { kind: 'end'; id: string } | { kind: 'cancel'; id: string };

/** A file as the engine needs it: a Blob with a name (a DOM `File` is one). */
export type FileLike = Blob & { readonly name: string };

export interface FileChannelEvents {
  /** The other side announced a file. */
  incoming: FileHeader;
  /** `bytes` of file `id` have gone out or come in so far. */
  progress: { id: string; direction: 'in' | 'out'; bytes: number };
  /** A file came in whole. */
  received: { id: string; blob: Blob };
  /** A file went out whole. */
  sent: { id: string };
  failed: { id: string; direction: 'in' | 'out'; reason: string };
}

interface Incoming {
  header: FileHeader;
  chunks: ArrayBuffer[];
  bytes: number;
}

function parseControl(text: string): Control | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.id !== 'string' || o.id.length > 64) return null;
  if (o.kind === 'end' || o.kind === 'cancel') return { kind: o.kind, id: o.id };
  if (o.kind !== 'offer') return null;
  const size = o.size;
  if (typeof o.name !== 'string' || typeof o.mime !== 'string') return null;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return null;
  const name = [...o.name].slice(0, MAX_NAME).join('') || 'file';
  return { kind: 'offer', id: o.id, name, size, mime: o.mime.slice(0, 255) };
}

export class FileChannel {
  private readonly events = new Emitter<FileChannelEvents>();
  private incoming: Incoming | null = null;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly channel: RTCDataChannel,
    /** Files announced as larger than this are refused (`limits.file`). */
    private readonly maxSize: number,
  ) {
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER;
    channel.onmessage = (e: MessageEvent) => this.onMessage(e.data);
    channel.onbufferedamountlow = () => this.resume();
    channel.onopen = () => this.resume();
    channel.onclose = () => this.close();
  }

  on<K extends keyof FileChannelEvents>(event: K, listener: (value: FileChannelEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Queues `file` under `id`; files go one after another. Resolves true once
   * all of it is in the channel (and `sent` was emitted), false if it failed.
   */
  send(id: string, file: FileLike): Promise<boolean> {
    const run = this.queue.then(() => this.transmit(id, file));
    this.queue = run.then(() => undefined);
    return run;
  }

  /** Stops everything; transfers under way fail. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.incoming) this.failIncoming('closed');
    this.resume();
    const c = this.channel;
    c.onmessage = c.onbufferedamountlow = c.onopen = c.onclose = null;
  }

  // ---- sending ----

  private async transmit(id: string, file: FileLike): Promise<boolean> {
    const fail = (reason: string) => {
      this.events.emit('failed', { id, direction: 'out', reason });
      return false;
    };
    if (file.size > this.maxSize) return fail('too_large');
    const header: FileHeader = { kind: 'offer', id, name: file.name, size: file.size, mime: file.type };
    try {
      if (!(await this.ready())) return fail('closed');
      this.channel.send(JSON.stringify(header));
      let sent = 0;
      while (sent < file.size) {
        const chunk = await file.slice(sent, sent + CHUNK_SIZE).arrayBuffer();
        if (!(await this.ready())) return fail('closed');
        this.channel.send(chunk);
        sent += chunk.byteLength;
        this.events.emit('progress', { id, direction: 'out', bytes: sent });
      }
      this.channel.send(JSON.stringify({ kind: 'end', id }));
    } catch (err) {
      if (!this.closed && this.channel.readyState === 'open') {
        this.channel.send(JSON.stringify({ kind: 'cancel', id }));
      }
      return fail(err instanceof Error ? err.message : String(err));
    }
    this.events.emit('sent', { id });
    return true;
  }

  /** Waits until the channel is open and its buffer below the high-water mark. */
  private async ready(): Promise<boolean> {
    for (;;) {
      if (this.closed) return false;
      const state = this.channel.readyState;
      if (state === 'closing' || state === 'closed') return false;
      if (state === 'open' && this.channel.bufferedAmount <= HIGH_WATER) return true;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private resume(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  // ---- receiving ----

  private onMessage(data: unknown): void {
    if (typeof data === 'string') {
      const control = parseControl(data);
      if (control) this.onControl(control);
      return;
    }
    const current = this.incoming;
    if (!current || !(data instanceof ArrayBuffer)) return; // refused or unknown: dropped
    current.chunks.push(data);
    current.bytes += data.byteLength;
    if (current.bytes > current.header.size) return this.failIncoming('too_large');
    this.events.emit('progress', { id: current.header.id, direction: 'in', bytes: current.bytes });
  }

  private onControl(control: Control): void {
    const current = this.incoming;
    if (control.kind === 'offer') {
      if (current) this.failIncoming('interrupted');
      if (control.size > this.maxSize) {
        this.events.emit('failed', { id: control.id, direction: 'in', reason: 'too_large' });
        return;
      }
      this.incoming = { header: control, chunks: [], bytes: 0 };
      this.events.emit('incoming', control);
      return;
    }
    if (!current || current.header.id !== control.id) return;
    if (control.kind === 'cancel') return this.failIncoming('cancelled');
    if (current.bytes !== current.header.size) return this.failIncoming('incomplete');
    this.incoming = null;
    const blob = new Blob(current.chunks, { type: current.header.mime });
    this.events.emit('received', { id: control.id, blob });
  }

  private failIncoming(reason: string): void {
    const current = this.incoming;
    this.incoming = null;
    if (current) this.events.emit('failed', { id: current.header.id, direction: 'in', reason });
  }
}
