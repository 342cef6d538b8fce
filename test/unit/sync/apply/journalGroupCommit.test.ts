/** The journal's group commit: shared write + fdatasync, ordering, durability promises, failures. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal, journalDir, type JournalSink } from '../../../../server/src/sync/apply/journal';

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The real file handle, with each fdatasync held until the test releases it, and the calls recorded. */
class GatedSink implements JournalSink {
  readonly calls: string[] = [];
  private gates: Deferred[] = [];
  private arrived: Deferred[] = [];
  constructor(readonly real: FileHandle) {}
  async write(data: string): Promise<unknown> {
    this.calls.push(`write ${data.split('\n').filter(Boolean).length}`);
    return this.real.write(data);
  }
  async datasync(): Promise<void> {
    this.calls.push('datasync');
    const gate = deferred();
    this.gates.push(gate);
    (this.arrived.shift() ?? deferred()).resolve();
    await gate.promise;
    await this.real.datasync();
    this.calls.push('synced');
  }
  /** Resolves when the next fdatasync is waiting at its gate. */
  nextSync(): Promise<void> {
    if (this.gates.length > 0) return Promise.resolve();
    const d = deferred();
    this.arrived.push(d);
    return d.promise;
  }
  release(): void {
    this.gates.shift()!.resolve();
  }
  close(): Promise<void> {
    return this.real.close();
  }
}

const start = (n: number) => ({
  t: 'start' as const,
  time: '2026-01-01T00:00:00Z',
  op: `op-${n}`,
  kind: 'createUser' as const,
  key: `ext:${n}`,
});
const done = (n: number) => ({ t: 'done' as const, time: '2026-01-01T00:00:00Z', op: `op-${n}`, cloudId: `id${n}`, key: `ext:${n}` });

/** Whether a promise has settled, after letting pending callbacks run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let s = false;
  p.then(
    () => (s = true),
    () => (s = true),
  );
  await new Promise((r) => setImmediate(r));
  return s;
}

describe('sync journal group commit', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dirsync-journal-gc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const lines = (): Array<{ op: string; t: string }> =>
    readFileSync(join(dir, 'journal', 's.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

  it('resolves an append only after its fdatasync, and joins the appends made meanwhile into one write + fsync', async () => {
    let sink!: GatedSink;
    const j = await Journal.open(journalDir(dir), 's', (h) => (sink = new GatedSink(h)));
    const first = j.append(start(1));
    await sink.nextSync();
    // Written, not yet fsync'd: the record is in the file but its promise is still pending.
    assert.equal(lines().length, 1);
    assert.equal(await settled(first), false);
    const more = [2, 3, 4, 5].map((n) => j.append(start(n)));
    j.appendLater(done(1));
    sink.release();
    await first;
    await sink.nextSync();
    assert.deepEqual(await Promise.all(more.map(settled)), [false, false, false, false]);
    sink.release();
    await Promise.all(more);
    assert.deepEqual(sink.calls, ['write 1', 'datasync', 'synced', 'write 5', 'datasync', 'synced']);
    assert.equal(j.fsyncs, 2);
    await j.close();
  });

  it('keeps append order in the file across durable and lazy appends from concurrent callers', async () => {
    const j = await Journal.open(journalDir(dir), 's');
    const order: string[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        order.push(`start op-${i}`);
        await j.append(start(i));
        order.push(`done op-${i}`);
        j.appendLater(done(i));
      }),
    );
    await j.close();
    assert.deepEqual(
      lines().map((r) => `${r.t} ${r.op}`),
      order,
    );
    assert.ok(j.fsyncs < 200, `appends shared fsyncs (${j.fsyncs} for 200 starts)`);
  });

  it('lazy records ask for no write: they go out with the next durable append, sync() or close()', async () => {
    let sink!: GatedSink;
    const j = await Journal.open(journalDir(dir), 's', (h) => (sink = new GatedSink(h)));
    j.appendLater(done(1));
    j.appendLater(done(2));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(sink.calls, []);
    const synced = j.sync();
    await sink.nextSync();
    assert.equal(await settled(synced), false);
    sink.release();
    await synced;
    assert.deepEqual(sink.calls, ['write 2', 'datasync', 'synced']);
    j.appendLater(done(3));
    const closing = j.close();
    await sink.nextSync();
    sink.release();
    await closing;
    assert.deepEqual(
      lines().map((r) => r.op),
      ['op-1', 'op-2', 'op-3'],
    );
  });

  it('a failed write fails every operation waiting on it and every later append', async () => {
    let sink!: GatedSink;
    const j = await Journal.open(journalDir(dir), 's', (h) => (sink = new GatedSink(h)));
    await Promise.all([j.append(start(1)), sink.nextSync().then(() => sink.release())]);
    // The descriptor goes away under the journal: the next write fails for real (EBADF).
    await sink.real.close();
    const waiting = [2, 3, 4].map((n) => j.append(start(n)));
    const results = await Promise.allSettled(waiting);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'rejected'],
    );
    assert.match(String((results[0] as PromiseRejectedResult).reason), /EBADF|closed/i);
    await assert.rejects(j.append(start(5)), /failed earlier/);
    assert.throws(() => j.appendLater(done(5)), /failed earlier/);
    await assert.rejects(j.sync(), /failed earlier/);
    assert.equal(lines().length, 1);
  });
});
