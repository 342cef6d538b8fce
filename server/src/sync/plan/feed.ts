/**
 * A bounded hand-over from the planner's directory loop to a consumer running at the same time
 * (the avatar planner): the loop `push`es and, when `full`, awaits `room()` — backpressure, so at
 * most `capacity` items (each holding a directory entry with its picture) wait at once, however
 * large the directory. The consumer reads it as an async iterable; when it stops early (it failed),
 * `room()` no longer waits.
 */
export class BoundedFeed<T> implements AsyncIterable<T> {
  private buffer: T[] = [];
  private head = 0;
  private closed = false;
  private consumerGone = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducers: Array<() => void> = [];

  constructor(private readonly capacity: number) {}

  /** Items waiting for the consumer. */
  get size(): number {
    return this.buffer.length - this.head;
  }

  /** True once the consumer has stopped reading (or will not read). */
  get abandoned(): boolean {
    return this.consumerGone;
  }

  /** True when the producer should await `room()` before pushing more. */
  get full(): boolean {
    return !this.consumerGone && this.size >= this.capacity;
  }

  push(item: T): void {
    if (this.closed) throw new Error('push after close');
    if (this.consumerGone) return;
    this.buffer.push(item);
    this.wake();
  }

  /** Resolves once there is room (or the consumer has stopped reading). */
  async room(): Promise<void> {
    while (this.full) await new Promise<void>((resolve) => this.wakeProducers.push(resolve));
  }

  /** The consumer will not read (it failed before starting): pushes are dropped, nobody waits. */
  abandon(): void {
    this.consumerGone = true;
    this.buffer = [];
    this.head = 0;
    this.release();
  }

  /** No more items: the consumer's iteration ends once it has read what is buffered. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const c = this.wakeConsumer;
    this.wakeConsumer = undefined;
    c?.();
  }

  private release(): void {
    const waiting = this.wakeProducers;
    this.wakeProducers = [];
    for (const w of waiting) w();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for (;;) {
        if (this.head < this.buffer.length) {
          const item = this.buffer[this.head] as T;
          this.buffer[this.head++] = undefined as T;
          if (this.head > 1024 && this.head * 2 > this.buffer.length) {
            this.buffer = this.buffer.slice(this.head);
            this.head = 0;
          }
          if (this.size < this.capacity) this.release();
          yield item;
          continue;
        }
        if (this.closed) return;
        await new Promise<void>((resolve) => {
          this.wakeConsumer = resolve;
        });
      }
    } finally {
      // The consumer stopped (done, or it failed): never keep the producer waiting, drop what is left.
      this.consumerGone = true;
      this.buffer = [];
      this.head = 0;
      this.release();
    }
  }
}

/**
 * Starts reading `source` at once into a bounded buffer of `capacity` items, and yields them when
 * iterated: a read with a slow start (a directory server building its result set before the first
 * page) overlaps with whatever the caller does first (the cloud listing). A failure of the read is
 * thrown when the caller reaches it; a caller that stops early (or never iterates and calls
 * `stop()`) stops the read.
 */
export function prefetched<T>(source: AsyncIterable<T>, capacity: number): AsyncIterable<T> & { stop(): void } {
  const feed = new BoundedFeed<T>(capacity);
  let failure: { error: unknown } | undefined;
  let stopped = false;
  const pump = (async () => {
    try {
      for await (const item of source) {
        if (stopped || feed.abandoned) break;
        feed.push(item);
        await feed.room();
      }
    } catch (error) {
      failure = { error };
    } finally {
      feed.close();
    }
  })();
  return {
    stop() {
      stopped = true;
      feed.abandon();
    },
    async *[Symbol.asyncIterator]() {
      try {
        yield* feed;
      } finally {
        stopped = true;
      }
      await pump;
      if (failure) throw failure.error;
    },
  };
}
