/**
 * Transfers: every file going out to or coming in from the peers of a call,
 * as one list for the UI.
 *
 * A file sent to the call goes to each peer separately (a mesh has no
 * server in the middle), so an outgoing file is one entry per recipient.
 * A finished incoming file gets an object URL for its "save" link; URLs are
 * revoked when the entry is dismissed or the call ends.
 */
import { Emitter } from '../emitter';
import { FileChannel, type FileLike } from './files';

export type TransferStatus = 'active' | 'done' | 'failed';

export interface Transfer {
  /** Unique in the list: direction, peer and file id. */
  key: string;
  fileId: string;
  direction: 'in' | 'out';
  /** The participant it comes from or goes to. */
  peerId: string;
  /** Their name when the transfer started (they may have left since). */
  peerName: string;
  name: string;
  size: number;
  mime: string;
  bytes: number;
  status: TransferStatus;
  /** Why it failed: `too_large`, `closed`, `cancelled`, … */
  reason: string | null;
  /** For a finished incoming file: where to save it from. */
  url: string | null;
}

/** Why `send` refused a file before anything went out. */
export type SendRefusal = 'too_large' | 'empty' | 'no_peers';

export interface TransferOptions {
  maxSize: number;
  createUrl?: (blob: Blob) => string;
  revokeUrl?: (url: string) => void;
}

export class Transfers {
  private readonly events = new Emitter<{ change: readonly Transfer[] }>();
  private readonly channels = new Map<string, { files: FileChannel; name: string }>();
  private list: readonly Transfer[] = [];
  private nextId = 1;
  private readonly idPrefix = Math.random().toString(36).slice(2, 8);
  private readonly createUrl: (blob: Blob) => string;
  private readonly revokeUrl: (url: string) => void;

  constructor(private options: TransferOptions) {
    this.createUrl = options.createUrl ?? ((b) => URL.createObjectURL(b));
    this.revokeUrl = options.revokeUrl ?? ((u) => URL.revokeObjectURL(u));
  }

  get snapshot(): readonly Transfer[] {
    return this.list;
  }

  on(listener: (list: readonly Transfer[]) => void): () => void {
    return this.events.on('change', listener);
  }

  /** The size limit can change with each join's `limits.file`. */
  setMaxSize(maxSize: number): void {
    this.options = { ...this.options, maxSize };
  }

  /** Starts using `channel` for files to and from `peerId`, called `peerName`. */
  attach(peerId: string, channel: RTCDataChannel, peerName = ''): void {
    this.detach(peerId);
    const files = new FileChannel(channel, this.options.maxSize);
    this.channels.set(peerId, { files, name: peerName });
    const peer = { peerId, peerName };
    const key = (direction: 'in' | 'out', id: string) => `${direction}:${peerId}:${id}`;
    files.on('incoming', (h) =>
      this.add({ key: key('in', h.id), fileId: h.id, direction: 'in', ...peer, name: h.name, size: h.size, mime: h.mime }),
    );
    files.on('progress', ({ id, direction, bytes }) => this.progress(key(direction, id), bytes));
    files.on('received', ({ id, blob }) =>
      this.patch(key('in', id), { status: 'done', bytes: blob.size, url: this.createUrl(blob) }),
    );
    files.on('sent', ({ id }) => {
      const k = key('out', id);
      this.patch(k, { status: 'done', bytes: this.list.find((t) => t.key === k)?.size ?? 0 });
    });
    files.on('failed', ({ id, direction, reason }) => this.patch(key(direction, id), { status: 'failed', reason }));
  }

  /** The peer is gone: its unfinished transfers fail, finished ones stay listed. */
  detach(peerId: string): void {
    const entry = this.channels.get(peerId);
    if (!entry) return;
    this.channels.delete(peerId);
    entry.files.close();
  }

  /** Sends `file` to every attached peer; refuses at once what cannot go. */
  send(file: FileLike): { ok: true; count: number } | { error: SendRefusal } {
    if (file.size > this.options.maxSize) return { error: 'too_large' };
    if (file.size === 0) return { error: 'empty' };
    if (this.channels.size === 0) return { error: 'no_peers' };
    const fileId = `${this.idPrefix}${this.nextId++}`;
    for (const [peerId, { files, name: peerName }] of this.channels) {
      const k = `out:${peerId}:${fileId}`;
      this.add({ key: k, fileId, direction: 'out', peerId, peerName, name: file.name, size: file.size, mime: file.type });
      void files.send(fileId, file);
    }
    return { ok: true, count: this.channels.size };
  }

  /** Removes an entry from the list (and frees its file). */
  dismiss(key: string): void {
    const t = this.list.find((x) => x.key === key);
    if (!t) return;
    if (t.url) this.revokeUrl(t.url);
    this.set(this.list.filter((x) => x.key !== key));
  }

  /** The call ended: close every channel, free every file, empty the list. */
  clear(): void {
    for (const peerId of [...this.channels.keys()]) this.detach(peerId);
    for (const t of this.list) if (t.url) this.revokeUrl(t.url);
    if (this.list.length > 0) this.set([]);
  }

  private add(t: Omit<Transfer, 'bytes' | 'status' | 'reason' | 'url'>): void {
    const entry: Transfer = { ...t, bytes: 0, status: 'active', reason: null, url: null };
    this.set([...this.list.filter((x) => x.key !== t.key), entry]);
  }

  /**
   * Progress comes per 16 KiB chunk; the list changes only when the whole
   * percentage moves, so a large file costs the UI ~100 renders, not 6000.
   */
  private progress(key: string, bytes: number): void {
    const t = this.list.find((x) => x.key === key);
    if (!t || t.status !== 'active') return;
    const pct = (n: number) => (t.size === 0 ? 100 : Math.floor((n * 100) / t.size));
    if (pct(bytes) !== pct(t.bytes)) this.patch(key, { bytes });
  }

  private patch(key: string, p: Partial<Transfer>): void {
    let found = false;
    const list = this.list.map((t) => {
      if (t.key !== key || t.status !== 'active') return t;
      found = true;
      return { ...t, ...p };
    });
    if (found) this.set(list);
  }

  private set(list: readonly Transfer[]): void {
    this.list = list;
    this.events.emit('change', list);
  }
}
