import assert from 'node:assert/strict';
import { BoundedFeed, prefetched } from '../../../../server/src/sync/plan/feed';

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('sync plan: bounded feed and read-ahead', () => {
  it('a feed is full at its capacity, and room() waits until the consumer takes an item', async () => {
    const feed = new BoundedFeed<number>(2);
    feed.push(1);
    assert.equal(feed.full, false);
    feed.push(2);
    assert.equal(feed.full, true);
    let roomy = false;
    const waiting = feed.room().then(() => {
      roomy = true;
    });
    await turns(3);
    assert.equal(roomy, false);
    const it = feed[Symbol.asyncIterator]();
    assert.deepEqual(await it.next(), { value: 1, done: false });
    await waiting;
    assert.equal(roomy, true);
    feed.close();
    assert.deepEqual(await it.next(), { value: 2, done: false });
    assert.equal((await it.next()).done, true);
  });

  it('prefetched starts reading before it is iterated, up to its capacity, and yields everything in order', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 50; i++) {
        pulled++;
        yield i;
      }
    }
    const ahead = prefetched(source(), 10);
    await turns(20);
    assert.ok(pulled > 0, 'nothing was read ahead');
    assert.ok(pulled <= 11, `${pulled} read ahead with a capacity of 10`);
    const got: number[] = [];
    for await (const n of ahead) got.push(n);
    assert.deepEqual(
      got,
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('a failed read is thrown where the caller reaches it, after the items read before it', async () => {
    async function* source() {
      yield 1;
      yield 2;
      throw new Error('directory down');
    }
    const ahead = prefetched(source(), 10);
    await turns(5);
    const got: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const n of ahead) got.push(n);
      })(),
      /directory down/,
    );
    assert.deepEqual(got, [1, 2]);
  });

  it('stop() (a caller that never iterates) and an early break both end the read', async () => {
    const ended: string[] = [];
    const source = (name: string) =>
      (async function* () {
        try {
          for (let i = 0; ; i++) yield i;
        } finally {
          ended.push(name);
        }
      })();
    const never = prefetched(source('stopped'), 4);
    await turns(5);
    never.stop();
    const early = prefetched(source('broken'), 4);
    for await (const n of early) if (n === 2) break;
    await turns(10);
    assert.deepEqual(ended.sort(), ['broken', 'stopped']);
  });
});
