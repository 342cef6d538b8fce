/**
 * Reliability: `kill -9` the CLI at random points of a 2,000-user full sync, ten times, then
 * re-run: the cloud holds exactly the planned users — none lost, none doubled.
 */
import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dryRun } from '../../../server/src/sync/engine/dryRun';
import { cloudUsers, TOKEN } from '../../support/syncApply';
import { e2eConfig, runCli, writeLdif } from '../../support/syncCli';
import { startCloudFixture, type CloudFixture } from '../../support/cloud';
import { mulberry32 as prng } from '../../support/random';

describe('sync apply: kill -9 at random points of a 2,000-user sync', function () {
  this.timeout(600_000);
  let f: CloudFixture;
  let config: string;
  let requests = 0;
  let onRequest: (() => void) | undefined;
  before(async () => {
    f = await startCloudFixture({
      onRequest: () => {
        requests++;
        onRequest?.();
      },
    });
    const ldif = join(f.dir, 'corp.ldif');
    await writeLdif(ldif, 2000, 11);
    config = join(f.dir, 'corp.dirsync');
    writeFileSync(
      config,
      e2eConfig(f.cloud.baseUrl, ldif, { policy: { deleteThreshold: { count: 100, percent: 50 }, mismatched: 'retain' } }),
    );
  });
  after(async () => {
    await f?.close();
  });

  it('ten kills, one re-run: cloud equals the plan, 0 lost, 0 duplicated', async () => {
    const plan = await dryRun({ configFile: config, secrets: () => TOKEN });
    const planned = new Map<string, string>();
    for (const op of plan.payload.operations)
      if (op.kind === 'createUser') planned.set(String(op.body['externalId']), String(op.body['userName']).toLowerCase());
    assert.ok(planned.size >= 1900, `planned creates: ${planned.size}`);
    const rnd = prng(20261123);
    const kills: number[] = [];
    let killed = 0;
    for (let trial = 0; trial < 10; trial++) {
      const done = (await cloudUsers(f.client())).size;
      // Somewhere in what is left: the dry run's reads (≈ 1 + users/100 pages) and the creates.
      const expected = 1 + Math.ceil(done / 100) + (planned.size - done);
      const at = 1 + Math.floor(rnd() * Math.max(1, expected * 0.6));
      let child: ChildProcess | undefined;
      const start = requests;
      onRequest = () => {
        if (requests - start >= at && child && child.exitCode === null) child.kill('SIGKILL');
      };
      const run = await runCli(['apply', config], f.dir, (c) => (child = c));
      onRequest = undefined;
      kills.push(at);
      if (run.signal === 'SIGKILL') killed++;
      // Killed (the usual case) or finished before the kill point: never an error exit.
      assert.ok(run.signal === 'SIGKILL' || run.code === 2 || run.code === 0, `trial ${trial}: ${run.code} ${run.signal} ${run.stderr}`);
    }
    assert.ok(killed >= 8, `only ${killed} of 10 runs were killed mid-sync`);
    const final = await runCli(['apply', config, '--json'], f.dir);
    assert.ok(final.code === 2 || final.code === 0, final.stderr + final.stdout);
    const users = await cloudUsers(f.client()); // throws on a duplicated userName
    const byExt = new Map<string, string>();
    for (const [userName, u] of users) {
      assert.ok(u.externalId, `${userName} has no externalId`);
      assert.ok(!byExt.has(u.externalId!), `externalId ${u.externalId} twice`);
      byExt.set(u.externalId!, userName);
    }
    const lost = [...planned.keys()].filter((ext) => !byExt.has(ext));
    const extra = [...byExt.keys()].filter((ext) => !planned.has(ext));
    assert.deepEqual({ lost: lost.length, extra: extra.length }, { lost: 0, extra: 0 }, `kill points ${kills.join(',')}`);
    for (const [ext, userName] of planned) assert.equal(byExt.get(ext), userName);
    const again = await dryRun({ configFile: config, secrets: () => TOKEN });
    assert.equal(again.payload.operations.length, 0);
  });
});
