/** The apply journal: group-committed appends, read back with torn lines skipped. */
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createKey,
  Journal,
  journalDir,
  planIdOf,
  pruneJournals,
  readJournal,
  unfinishedJournals,
} from '../../../../server/src/sync/apply/journal';
import type { PlanOperation, PlanPayload } from '../../../../server/src/sync/contract';

const basis = { configSha256: 'a', directoryFingerprint: 'b', cloudFingerprint: 'c' };
const create = (n: number, ext?: string): PlanOperation => ({
  opId: `op-${n}`,
  itemId: `i${n}`,
  label: `u${n}`,
  kind: 'createUser',
  body: { userName: `U${n}@X.COM`, ...(ext ? { externalId: ext } : {}) },
});

describe('sync journal', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dirsync-journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const now = () => new Date().toISOString();

  it('writes concurrent appends as whole lines, in order per caller, and reads them back', async () => {
    const j = await Journal.open(journalDir(dir), 's1');
    await j.append({ t: 'plan', time: now(), sessionId: 's1', planId: 'p', config: '/c.dirsync', mode: 'full', basis, ops: 100 });
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        await j.append({ t: 'start', time: now(), op: `op-${i}`, kind: 'createUser', key: `ext:${i}` });
        if (i % 2 === 0) await j.append({ t: 'done', time: now(), op: `op-${i}`, cloudId: `id${i}`, key: `ext:${i}` });
        else if (i % 3 === 0) await j.append({ t: 'fail', time: now(), op: `op-${i}`, message: 'HTTP 400' });
      }),
    );
    await j.close();
    const lines = readFileSync(join(dir, 'journal', 's1.jsonl'), 'utf8')
      .trim()
      .split('\n');
    assert.ok(lines.every((l) => JSON.parse(l)));
    const state = (await readJournal(join(dir, 'journal', 's1.jsonl')))!;
    assert.equal(state.done.size, 50);
    assert.equal(state.done.get('op-4'), 'id4');
    assert.equal(state.createdByKey.get('ext:4'), 'id4');
    // Odd ops: those divisible by 3 failed; the rest are unconfirmed.
    assert.equal(state.unconfirmed.size, 50 - 17);
    assert.equal(state.unconfirmed.get('op-1')?.key, 'ext:1');
    assert.equal(state.end, undefined);
  });

  it('skips a torn last line and lists only unfinished journals of the same config', async () => {
    for (const [id, cfg, end] of [
      ['a', '/c.dirsync', undefined],
      ['b', '/c.dirsync', 'complete'],
      ['c', '/other.dirsync', undefined],
      ['d', '/c.dirsync', 'cancelled'],
    ] as const) {
      const j = await Journal.open(journalDir(dir), id);
      await j.append({
        t: 'plan',
        time: `2026-01-0${id.charCodeAt(0) - 96}T00:00:00Z`,
        sessionId: id,
        planId: 'p',
        config: cfg,
        mode: 'full',
        basis,
        ops: 1,
      });
      if (end) await j.append({ t: 'end', time: now(), status: end });
      await j.close();
    }
    appendFileSync(join(dir, 'journal', 'a.jsonl'), '{"t":"done","op":"op-1","cloud');
    const list = await unfinishedJournals(dir, '/c.dirsync');
    assert.deepEqual(
      list.map((j) => j.sessionId),
      ['a', 'd'],
    );
    assert.equal(list[0]!.done.size, 0);
  });

  it('plan ids are stable for the same payload and differ for another', () => {
    const p = (ops: PlanOperation[]): PlanPayload => ({ version: 1, basis, operations: ops });
    assert.equal(planIdOf(p([create(1)])), planIdOf(p([create(1)])));
    assert.notEqual(planIdOf(p([create(1)])), planIdOf(p([create(2)])));
  });

  it('keys a create by externalId, else by lower-cased userName', () => {
    assert.equal(createKey(create(1, 'g-1')), 'ext:g-1');
    assert.equal(createKey(create(2)), 'user:u2@x.com');
    assert.equal(createKey({ opId: 'x', itemId: 'x', label: 'x', kind: 'deleteUser', target: {} }), undefined);
  });

  it('prunes the oldest finished journals of a config beyond the kept number, never an unfinished one', async () => {
    for (let i = 0; i < 6; i++) {
      const j = await Journal.open(journalDir(dir), `s${i}`);
      await j.append({
        t: 'plan',
        time: `2026-01-0${i + 1}T00:00:00Z`,
        sessionId: `s${i}`,
        planId: 'p',
        config: '/c.dirsync',
        mode: 'full',
        basis,
        ops: 1,
      });
      if (i !== 0) await j.append({ t: 'end', time: now(), status: 'complete' });
      await j.close();
    }
    assert.equal(await pruneJournals(dir, '/c.dirsync', 2), 3);
    const left = (await Promise.all(['s0', 's1', 's2', 's3', 's4', 's5'].map((s) => readJournal(join(dir, 'journal', `${s}.jsonl`))))).map(
      (j) => j?.sessionId,
    );
    assert.deepEqual(left, ['s0', undefined, undefined, undefined, 's4', 's5']);
  });
});
