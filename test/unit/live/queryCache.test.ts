/** The live query cache: shared queries in flight, per-asker cancellation, TTL, which errors are answers. */
import { strict as assert } from 'node:assert';
import { QueryCache } from '../../../server/src/live/queryCache';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

describe('live/queryCache', () => {
  it('askers of the same key share one query; a fresh answer is served from the cache', async () => {
    let now = 0;
    const cache = new QueryCache({ now: () => now });
    const d = deferred<number>();
    let calls = 0;
    const fetch = () => (calls++, d.promise);
    const a = cache.get('k', 1000, fetch);
    const b = cache.get('k', 1000, fetch);
    d.resolve(42);
    assert.deepEqual(await Promise.all([a, b]), [42, 42]);
    assert.equal(calls, 1);
    assert.equal(await cache.get('k', 1000, () => Promise.resolve(7)), 42);
    assert.deepEqual(cache.peek('k'), { ok: true, value: 42, stale: false });
    now = 1000;
    assert.deepEqual(cache.peek('k'), { ok: true, value: 42, stale: true }, 'peek keeps the stale answer');
    assert.equal(await cache.get('k', 1000, () => Promise.resolve(7)), 7, 'past the TTL it asks again');
  });

  it('one asker giving up does not cancel the others; the query is aborted when nobody waits', async () => {
    const cache = new QueryCache();
    const d = deferred<string>();
    let signal!: AbortSignal;
    const fetch = (s: AbortSignal) => ((signal = s), d.promise);
    const c1 = new AbortController();
    const c2 = new AbortController();
    const a = cache.get('k', 1000, fetch, c1.signal);
    const b = cache.get('k', 1000, fetch, c2.signal);
    c1.abort();
    await assert.rejects(a, { name: 'AbortError' });
    assert.equal(signal.aborted, false);
    c2.abort();
    await assert.rejects(b, { name: 'AbortError' });
    assert.equal(signal.aborted, true);
    d.resolve('late');
  });

  it('caches failures that are answers, not the others', async () => {
    const answer = Object.assign(new Error('no such base'), { answer: true });
    const cache = new QueryCache({ cacheError: (e) => (e as { answer?: boolean }).answer === true });
    await assert.rejects(
      cache.get('a', 1000, () => Promise.reject(answer)),
      /no such base/,
    );
    await assert.rejects(
      cache.get('a', 1000, () => Promise.resolve(1)),
      /no such base/,
      'served from the cache',
    );
    await assert.rejects(
      cache.get('b', 1000, () => Promise.reject(new Error('connection lost'))),
      /connection lost/,
    );
    assert.equal(await cache.get('b', 1000, () => Promise.resolve(2)), 2, 'asked again');
    assert.equal(cache.peek('b')!.ok, true);
  });

  it('clear() forgets answers; a query in flight does not write into the cleared cache', async () => {
    const cache = new QueryCache();
    const d = deferred<number>();
    const p = cache.get('k', 1000, () => d.promise);
    cache.clear();
    d.resolve(1);
    await p.catch(() => undefined);
    assert.equal(cache.peek('k'), undefined);
  });
});
