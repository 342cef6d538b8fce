import { strict as assert } from 'node:assert';
import { Limiter } from '../../../server/src/cloud/limiter';
import type { Clock } from '../../../server/src/cloud/clock';

/** A clock whose sleeps advance virtual time at once and are recorded. */
class FakeClock implements Clock {
  t = 1_000_000;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
  }
}

describe('concurrency limiter', () => {
  it('never lets more than max run at once and serves waiters in order', async () => {
    const limiter = new Limiter(3, new FakeClock());
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates: Array<() => void> = [];
    const task = async (i: number): Promise<void> => {
      await limiter.acquire();
      running++;
      peak = Math.max(peak, running);
      order.push(i);
      await new Promise<void>((r) => gates.push(r));
      running--;
      limiter.release();
    };
    const all = Promise.all(Array.from({ length: 10 }, (_, i) => task(i)));
    // Let the first three start, then release one at a time.
    for (let released = 0; released < 10; released++) {
      while (gates.length === 0) await new Promise((r) => setImmediate(r));
      gates.shift()!();
    }
    await all;
    assert.equal(peak, 3);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(limiter.inFlight, 0);
  });

  it('holds every new request back until a pause ends', async () => {
    const clock = new FakeClock();
    const limiter = new Limiter(2, clock);
    limiter.pauseUntil(clock.now() + 3000);
    limiter.pauseUntil(clock.now() + 1000); // an earlier end does not shorten the pause
    await limiter.acquire();
    assert.deepEqual(clock.sleeps, [3000]);
    limiter.release();
  });

  it('lets an aborted waiter go without losing its place for others', async () => {
    const limiter = new Limiter(1, new FakeClock());
    await limiter.acquire();
    const ac = new AbortController();
    const aborted = limiter.acquire(ac.signal);
    const next = limiter.acquire();
    ac.abort(new Error('stop'));
    await assert.rejects(aborted, /stop/);
    limiter.release();
    await next;
    assert.equal(limiter.inFlight, 1);
    limiter.release();
    assert.equal(limiter.inFlight, 0);
  });
});

export { FakeClock };
