import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, FileChannel, HIGH_WATER, type FileChannelEvents } from './files';
import { FakeDataChannel } from './testing/fakeRtc';
import { Transfers } from './transfers';

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
async function until(done: () => boolean, max = 2000): Promise<void> {
  for (let i = 0; i < max && !done(); i++) await tick();
}

function bytes(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7) % 251;
  return b;
}

const asChannel = (c: FakeDataChannel) => c as unknown as RTCDataChannel;

function record(fc: FileChannel) {
  const seen: { [K in keyof FileChannelEvents]: Array<FileChannelEvents[K]> } = {
    incoming: [],
    progress: [],
    received: [],
    sent: [],
    failed: [],
  };
  for (const k of Object.keys(seen) as Array<keyof FileChannelEvents>) {
    fc.on(k, (v) => (seen[k] as unknown[]).push(v));
  }
  return seen;
}

describe('FileChannel', () => {
  it('sends a header, 16 KiB chunks and an end; the other side rebuilds the file', async () => {
    const [ca, cb] = FakeDataChannel.pair();
    const sender = new FileChannel(asChannel(ca), 1 << 20);
    const receiver = new FileChannel(asChannel(cb), 1 << 20);
    const out = record(sender);
    const got = record(receiver);
    const data = bytes(CHUNK_SIZE * 2 + 100);
    const ok = await sender.send('f1', new File([data], 'notes.bin', { type: 'application/x-test' }));
    expect(ok).toBe(true);
    await until(() => got.received.length > 0);

    expect(got.incoming).toEqual([
      { kind: 'offer', id: 'f1', name: 'notes.bin', size: data.length, mime: 'application/x-test' },
    ]);
    expect(got.progress.map((p) => p.bytes)).toEqual([CHUNK_SIZE, CHUNK_SIZE * 2, data.length]);
    expect(out.progress.map((p) => p.bytes)).toEqual([CHUNK_SIZE, CHUNK_SIZE * 2, data.length]);
    expect(out.sent).toEqual([{ id: 'f1' }]);
    const blob = got.received[0]?.blob as Blob;
    expect(blob.type).toBe('application/x-test');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(data);
  });

  it('refuses a file over the limit on both sides', async () => {
    const [ca, cb] = FakeDataChannel.pair();
    const sender = new FileChannel(asChannel(ca), 10);
    const out = record(sender);
    expect(await sender.send('big', new File([bytes(11)], 'big.bin'))).toBe(false);
    expect(out.failed).toEqual([{ id: 'big', direction: 'out', reason: 'too_large' }]);

    // A sender that ignores the limit is refused by the receiver.
    const receiver = new FileChannel(asChannel(cb), 10);
    const got = record(receiver);
    const liar = new FileChannel(asChannel(ca), 1000);
    await liar.send('big2', new File([bytes(50)], 'big.bin'));
    await until(() => got.failed.length > 0);
    await until(() => false, 20);
    expect(got.failed).toEqual([{ id: 'big2', direction: 'in', reason: 'too_large' }]);
    expect(got.incoming).toEqual([]);
    expect(got.received).toEqual([]);
  });

  it('waits while the buffer is over the high-water mark', async () => {
    const [ca, cb] = FakeDataChannel.pair();
    await until(() => ca.readyState === 'open');
    const sender = new FileChannel(asChannel(ca), 8 << 20);
    const receiver = new FileChannel(asChannel(cb), 8 << 20);
    const got = record(receiver);
    ca.paused = true;
    const size = 3 * HIGH_WATER;
    const sending = sender.send('f', new File([bytes(size)], 'large.bin'));
    await until(() => false, 50);
    // Stopped near the mark, far from the whole file.
    expect(ca.bufferedAmount).toBeGreaterThan(HIGH_WATER - CHUNK_SIZE);
    expect(ca.bufferedAmount).toBeLessThanOrEqual(HIGH_WATER + CHUNK_SIZE + 200);
    ca.release();
    // Later sends go straight through once released.
    await sending;
    await until(() => got.received.length > 0, 5000);
    expect(ca.maxBuffered).toBeLessThanOrEqual(HIGH_WATER + CHUNK_SIZE + 200);
    expect(got.received[0]?.blob.size).toBe(size);
  });

  it('fails an incoming file cut short or cancelled', async () => {
    const [ca, cb] = FakeDataChannel.pair();
    await until(() => ca.readyState === 'open');
    const got = record(new FileChannel(asChannel(cb), 1000));
    ca.send(JSON.stringify({ kind: 'offer', id: 'x', name: 'a', size: 10, mime: '' }));
    ca.send(new ArrayBuffer(4));
    ca.send(JSON.stringify({ kind: 'end', id: 'x' }));
    ca.send(JSON.stringify({ kind: 'offer', id: 'y', name: 'b', size: 10, mime: '' }));
    ca.send(JSON.stringify({ kind: 'cancel', id: 'y' }));
    ca.send('not json');
    await until(() => got.failed.length >= 2);
    expect(got.failed.map((f) => [f.id, f.reason])).toEqual([
      ['x', 'incomplete'],
      ['y', 'cancelled'],
    ]);
  });

  it('fails what is under way when the channel closes', async () => {
    const [ca, cb] = FakeDataChannel.pair();
    await until(() => ca.readyState === 'open');
    const sender = new FileChannel(asChannel(ca), 1 << 20);
    new FileChannel(asChannel(cb), 1 << 20);
    const out = record(sender);
    ca.paused = true;
    const sending = sender.send('f', new File([bytes(HIGH_WATER * 2)], 'x.bin'));
    await until(() => false, 20);
    ca.close();
    expect(await sending).toBe(false);
    expect(out.failed[0]).toMatchObject({ id: 'f', direction: 'out' });
  });
});

describe('Transfers', () => {
  it('lists outgoing and incoming files with progress and a save URL', async () => {
    const [ca, cb] = FakeDataChannel.pair();
    const urls: string[] = [];
    const alice = new Transfers({ maxSize: 1 << 20 });
    const bob = new Transfers({ maxSize: 1 << 20, createUrl: () => (urls.push('blob:1'), 'blob:1'), revokeUrl: (u) => urls.splice(urls.indexOf(u), 1) });
    alice.attach('bob', asChannel(ca));
    bob.attach('alice', asChannel(cb));
    const progress: number[] = [];
    bob.on((list) => {
      const t = list[0];
      if (t && progress[progress.length - 1] !== t.bytes) progress.push(t.bytes);
    });

    const size = CHUNK_SIZE * 4;
    expect(alice.send(new File([bytes(size)], 'photo.jpg', { type: 'image/jpeg' }))).toEqual({ ok: true, count: 1 });
    await until(() => bob.snapshot[0]?.status === 'done' && alice.snapshot[0]?.status === 'done');

    expect(alice.snapshot).toMatchObject([{ direction: 'out', peerId: 'bob', name: 'photo.jpg', bytes: size, status: 'done' }]);
    expect(bob.snapshot).toMatchObject([
      { direction: 'in', peerId: 'alice', name: 'photo.jpg', size, mime: 'image/jpeg', bytes: size, status: 'done', url: 'blob:1' },
    ]);
    expect(progress).toEqual([0, CHUNK_SIZE, CHUNK_SIZE * 2, CHUNK_SIZE * 3, size]);
    bob.clear();
    expect(bob.snapshot).toEqual([]);
    expect(urls).toEqual([]);
  });

  it('refuses at once a file over limits.file, an empty one, or one with nobody to get it', () => {
    const t = new Transfers({ maxSize: 100 });
    expect(t.send(new File([bytes(10)], 'a'))).toEqual({ error: 'no_peers' });
    t.attach('p', asChannel(FakeDataChannel.pair()[0]));
    expect(t.send(new File([bytes(101)], 'a'))).toEqual({ error: 'too_large' });
    expect(t.send(new File([], 'a'))).toEqual({ error: 'empty' });
    expect(t.snapshot).toEqual([]);
  });

  it('fails the unfinished transfers of a peer that goes away', async () => {
    const [ca, cb] = FakeDataChannel.pair();
    const alice = new Transfers({ maxSize: 8 << 20 });
    alice.attach('bob', asChannel(ca));
    new Transfers({ maxSize: 8 << 20 }).attach('alice', asChannel(cb));
    await until(() => ca.readyState === 'open');
    ca.paused = true;
    alice.send(new File([bytes(HIGH_WATER * 2)], 'big.bin'));
    await until(() => false, 20);
    alice.detach('bob');
    await until(() => alice.snapshot[0]?.status === 'failed');
    expect(alice.snapshot[0]).toMatchObject({ status: 'failed', reason: 'closed' });
  });
});
