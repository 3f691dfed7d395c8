/**
 * An in-memory `RTCDataChannel` for unit tests: ordered delivery one message
 * per task, `bufferedAmount` that grows on send and shrinks on delivery, and
 * `bufferedamountlow` — enough to test chunking and backpressure. `paused`
 * holds deliveries back to fill the buffer on purpose. Not used by the app.
 */

function domError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export class FakeDataChannel {
  readyState: RTCDataChannelState = 'connecting';
  binaryType: BinaryType = 'blob';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  /** The most that was ever waiting in the buffer. */
  maxBuffered = 0;
  /** While true, sent messages wait (to see backpressure); `release()` lets them go. */
  paused = false;
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onbufferedamountlow: (() => void) | null = null;
  remote: FakeDataChannel | null = null;
  private queue: Array<() => void> = [];
  private pumping = false;

  constructor(
    readonly label: string,
    readonly id: number | null,
  ) {}

  /** Two channels wired to each other and opened. */
  static pair(): [FakeDataChannel, FakeDataChannel] {
    const a = new FakeDataChannel('files', 0);
    const b = new FakeDataChannel('files', 0);
    a.link(b);
    return [a, b];
  }

  link(other: FakeDataChannel): void {
    this.remote = other;
    other.remote = this;
    for (const c of [this, other]) {
      setTimeout(() => {
        if (c.readyState !== 'connecting') return;
        c.readyState = 'open';
        c.onopen?.();
      }, 0);
    }
  }

  send(data: string | ArrayBuffer): void {
    if (this.readyState !== 'open') throw domError('InvalidStateError', 'channel not open');
    const size = typeof data === 'string' ? new TextEncoder().encode(data).length : data.byteLength;
    const copy = typeof data === 'string' ? data : data.slice(0);
    this.bufferedAmount += size;
    this.maxBuffered = Math.max(this.maxBuffered, this.bufferedAmount);
    this.queue.push(() => {
      const before = this.bufferedAmount;
      this.bufferedAmount -= size;
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) {
        this.onbufferedamountlow?.();
      }
      if (this.remote?.readyState === 'open') this.remote.onmessage?.({ data: copy });
    });
    this.pump();
  }

  /** Lets what was held while paused go, in order. */
  release(): void {
    this.paused = false;
    this.pump();
  }

  /** One message per task, in order, like a link with some bandwidth. */
  private pump(): void {
    if (this.pumping || this.paused) return;
    this.pumping = true;
    setTimeout(() => {
      this.pumping = false;
      if (this.paused) return;
      this.queue.shift()?.();
      if (this.queue.length > 0) this.pump();
    }, 0);
  }

  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.onclose?.();
    this.remote?.close();
  }
}
