/**
 * A small cache for live directory questions, keyed by the question (e.g. count + base DNs +
 * filter): answers live for a short TTL; concurrent askers share one query in flight; each asker
 * can give up (AbortSignal) without cancelling the others, and the query itself is aborted once
 * nobody waits for it any more. Failures that are answers (the base DN does not exist) are cached
 * like values; transport failures are not (`cacheError` decides).
 */

export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

interface Slot<T> {
  settled?: Settled<T>;
  expires: number;
  pending?: { readonly promise: Promise<T>; readonly controller: AbortController; waiters: number };
}

export interface QueryCacheOptions {
  /** Milliseconds since some epoch; injected for tests. */
  readonly now?: () => number;
  /** Whether a failure is an answer worth caching (default: no failure is). */
  readonly cacheError?: (error: unknown) => boolean;
  /** Most answers kept (oldest dropped first). Default 500. */
  readonly limit?: number;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error('aborted'), { name: 'AbortError' });
}

export class QueryCache {
  private readonly slots = new Map<string, Slot<unknown>>();
  private readonly now: () => number;
  private readonly cacheError: (error: unknown) => boolean;
  private readonly limit: number;
  private generation = 0;

  constructor(options: QueryCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.cacheError = options.cacheError ?? (() => false);
    this.limit = options.limit ?? 500;
  }

  /** The last answer for `key`, even past its TTL (`stale` then), without asking anything. */
  peek<T>(key: string): (Settled<T> & { readonly stale: boolean }) | undefined {
    const slot = this.slots.get(key) as Slot<T> | undefined;
    if (!slot?.settled) return undefined;
    return { ...slot.settled, stale: slot.expires <= this.now() };
  }

  /** True when `key` has a fresh answer. */
  fresh(key: string): boolean {
    const slot = this.slots.get(key);
    return !!slot?.settled && slot.expires > this.now();
  }

  /**
   * The answer for `key`: fresh from the cache, from a query already in flight, or from `fetch`
   * (which gets a signal that aborts when every asker has given up).
   */
  get<T>(key: string, ttlMs: number, fetch: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    let slot = this.slots.get(key) as Slot<T> | undefined;
    if (slot?.settled && slot.expires > this.now()) {
      return slot.settled.ok ? Promise.resolve(slot.settled.value) : Promise.reject(slot.settled.error);
    }
    if (!slot) {
      slot = { expires: 0 };
      this.slots.set(key, slot as Slot<unknown>);
      this.trim();
    }
    if (!slot.pending) {
      const controller = new AbortController();
      const generation = this.generation;
      const s = slot;
      const promise = fetch(controller.signal).then(
        (value) => {
          if (generation === this.generation && s.pending?.promise === promise) {
            s.settled = { ok: true, value };
            s.expires = this.now() + ttlMs;
          }
          return value;
        },
        (error: unknown) => {
          if (generation === this.generation && s.pending?.promise === promise && this.cacheError(error)) {
            s.settled = { ok: false, error };
            s.expires = this.now() + ttlMs;
          }
          throw error;
        },
      );
      promise
        .finally(() => {
          if (s.pending?.promise === promise) delete s.pending;
        })
        .catch(() => undefined);
      slot.pending = { promise, controller, waiters: 0 };
    }
    const pending = slot.pending;
    pending.waiters++;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = () => {
        done = true;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (done) return;
        finish();
        if (--pending.waiters === 0) pending.controller.abort(abortError(signal!));
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.promise.then(
        (v) => {
          if (done) return;
          finish();
          pending.waiters--;
          resolve(v);
        },
        (e: unknown) => {
          if (done) return;
          finish();
          pending.waiters--;
          reject(e);
        },
      );
    });
  }

  /** Forgets every answer; queries in flight finish but their answers are not kept. */
  clear(): void {
    this.generation++;
    for (const slot of this.slots.values())
      slot.pending?.controller.abort(Object.assign(new Error('cache cleared'), { name: 'AbortError' }));
    this.slots.clear();
  }

  private trim(): void {
    while (this.slots.size > this.limit) {
      const oldest = this.slots.keys().next().value!;
      this.slots.delete(oldest);
    }
  }
}
