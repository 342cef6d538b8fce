/**
 * Bounded concurrency for one SCIM client: at most `max` requests in flight, FIFO for the rest,
 * plus a shared pause (a 429 with Retry-After holds back every request of the client, not just
 * the one that got it — the rate limit is the token's, not the request's).
 */
import type { Clock } from './clock';

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class Limiter {
  private active = 0;
  private readonly queue: Array<Waiter | undefined> = [];
  private head = 0;
  /** Live (not aborted) waiters in the queue. */
  private waiting = 0;
  private pausedUntil = 0;

  constructor(
    readonly max: number,
    private readonly clock: Clock,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a positive integer, got ${max}`);
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.active;
  }

  /** Holds back new requests until `until` (ms since epoch); a later pause extends, an earlier one does not shorten. */
  pauseUntil(until: number): void {
    if (until > this.pausedUntil) this.pausedUntil = until;
  }

  /** Waits for a free slot (and the end of any pause). Call `release()` exactly once afterwards. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.pausedUntil - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait, signal);
      if (this.active < this.max && this.waiting === 0) {
        // A pause may have started while we slept: look again before taking the slot.
        if (this.pausedUntil > this.clock.now()) continue;
        this.active++;
        return;
      }
      await this.enqueue(signal);
      // Woken by release(), which handed its slot over (active unchanged).
      if (this.pausedUntil > this.clock.now()) {
        this.release();
        continue;
      }
      return;
    }
  }

  release(): void {
    while (this.head < this.queue.length) {
      const w = this.queue[this.head];
      this.queue[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      if (!w) continue;
      this.waiting--;
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve();
      return;
    }
    this.active--;
  }

  private enqueue(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { resolve, reject };
      if (signal) {
        w.signal = signal;
        w.onAbort = () => {
          const i = this.queue.indexOf(w, this.head);
          if (i >= 0) {
            this.queue[i] = undefined;
            this.waiting--;
          }
          reject(signal.reason);
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.queue.push(w);
      this.waiting++;
    });
  }
}
