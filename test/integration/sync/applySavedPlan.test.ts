/**
 * `dirsync apply plan.json` treats the file as a claim: a fresh plan is made and only the
 * operations it also contains run. Tampered plans (a changed value, an added delete, an added
 * admin role, 46 added deletes, a patch pointed at another user, the threshold flag switched
 * off), a plan already applied and a plan made against another cloud state are refused with
 * nothing written. LDIF source, the local cloud over HTTP, the engine and the CLI in-process.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capturedOutput } from '../../support/capture';
import { runCli } from '../../../server/src/cli/main';
import { dryRun } from '../../../server/src/sync/engine/dryRun';
import { applySavedPlan, runSync } from '../../../server/src/sync/engine/sync';
import { ApplyRefusedError } from '../../../server/src/sync/apply/errors';
import type { PlanOperation, SavedPlan } from '../../../server/src/sync/contract';
import { cloudUsers, TOKEN, writes } from '../../support/syncApply';
import { e2eConfig, writeLdif } from '../../support/syncCli';
import { startCloudFixture, type CloudFixture } from '../../support/cloud';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type Op = Mutable<PlanOperation> & Record<string, unknown>;

describe('sync apply: a saved plan is checked against a fresh plan', function () {
  this.timeout(180_000);
  let f: CloudFixture;
  let config: string;
  let planFile: string;
  const secrets = () => TOKEN;

  /** Cloud synced from 60 people; then one changes title and one leaves: a plan with a patch and a delete. */
  async function setUp(policy?: Record<string, unknown>): Promise<SavedPlan> {
    f = await startCloudFixture();
    const ldif = join(f.dir, 'corp.ldif');
    await writeLdif(ldif, 60);
    config = join(f.dir, 'corp.dirsync');
    writeFileSync(config, e2eConfig(f.cloud.baseUrl, ldif, policy ? { policy } : {}));
    const first = await runSync({ configFile: config, secrets, mode: 'full' });
    assert.equal(first.failed, 0);
    const records = readFileSync(ldif, 'utf8').split(/\n\n+/);
    const people = records.map((r, i) => [r, i] as const).filter(([r]) => /^title: /m.test(r) && /^mail: /m.test(r));
    records[people[0]![1]] = people[0]![0].replace(/^title: .*$/m, 'title: Chief Changer');
    records.splice(people.at(-1)![1], 1);
    writeFileSync(ldif, records.join('\n\n'));
    const plan = await dryRun({ configFile: config, secrets });
    planFile = join(f.dir, 'plan.json');
    const saved: SavedPlan = { ...plan.report, plan: plan.payload };
    writeFileSync(planFile, JSON.stringify(saved));
    return saved;
  }
  afterEach(async () => {
    await f?.close();
  });

  function tamper(edit: (ops: Op[], saved: Mutable<SavedPlan>) => void): void {
    const saved = JSON.parse(readFileSync(planFile, 'utf8')) as Mutable<SavedPlan>;
    edit(saved.plan.operations as Op[], saved);
    writeFileSync(planFile, JSON.stringify(saved));
  }

  async function refused(reason: string, message: RegExp): Promise<void> {
    const before = f.cloud.requests().at(-1)?.n ?? 0;
    await assert.rejects(applySavedPlan(planFile, { secrets }), (err: unknown) => {
      assert.ok(err instanceof ApplyRefusedError, String(err));
      assert.equal(err.reason, reason, err.message);
      assert.match(err.message, message);
      assert.match(err.message, /nothing written|writes nothing/);
      return true;
    });
    assert.equal(writes(f, before), 0, 'nothing written');
  }

  const patchOf = (ops: Op[]) => ops.find((o) => o.kind === 'patchUser') as Extract<Op, { kind: 'patchUser' }>;

  it('the reviewed plan applies; its summary is computed from what ran, not read from the file', async () => {
    const saved = await setUp();
    assert.deepEqual(
      saved.plan.operations.map((o) => o.kind),
      ['patchUser', 'deleteUser'],
    );
    tamper((_ops, s) => {
      s.summary.deleted = 0;
      s.summary.modified = 0;
    });
    const result = await applySavedPlan(planFile, { secrets });
    assert.equal(result.applied, 2);
    assert.equal(result.report.summary.deleted, 1);
    assert.equal(result.report.summary.modified, 1);
  });

  it('refuses a changed title value, naming the operation and the value', async () => {
    await setUp();
    tamper((ops) => {
      const p = patchOf(ops);
      p.ops = p.ops.map((o) => (o.path === 'title' ? { ...o, value: 'Chief Tamperer' } : o));
    });
    await refused(
      'operations',
      /op-000001 \(patchUser .*\) differs from a fresh plan's: ops\[\d\]\.value: "Chief Tamperer" where a fresh plan has "Chief Changer"/,
    );
  });

  it('refuses an added delete of a user the plan did not delete', async () => {
    await setUp();
    const users = [...(await cloudUsers(f.client())).entries()];
    tamper((ops) => {
      const [userName, u] = users[0]!;
      ops.push({ opId: 'op-000099', itemId: `cloud-user:${u.id}`, label: userName, kind: 'deleteUser', target: { cloudId: u.id } });
    });
    await refused('operations', /op-000099 \(deleteUser .*\) is not in a fresh plan/);
  });

  it('refuses roles: id_full_admin added to a patch', async () => {
    await setUp();
    tamper((ops) => {
      const p = patchOf(ops);
      p.ops = [...p.ops, { op: 'add', path: 'roles', value: [{ value: 'id_full_admin' }] }];
    });
    await refused('operations', /op-000001 \(patchUser .*\) differs from a fresh plan's: ops\[\d\]: \{"op":"add","path":"roles"/);
  });

  it('refuses 46 added deletes', async () => {
    await setUp();
    const users = [...(await cloudUsers(f.client())).entries()].slice(0, 46);
    tamper((ops) => {
      users.forEach(([userName, u], i) =>
        ops.push({
          opId: `op-${String(100 + i).padStart(6, '0')}`,
          itemId: `cloud-user:${u.id}`,
          label: userName,
          kind: 'deleteUser',
          target: { cloudId: u.id, userName },
        }),
      );
    });
    await refused('operations', /op-000100 \(deleteUser .*\) is not in a fresh plan/);
  });

  it('refuses a patch pointed at another user', async () => {
    await setUp();
    const users = [...(await cloudUsers(f.client())).entries()];
    tamper((ops) => {
      const p = patchOf(ops);
      const [userName, other] = users.find(([, u]) => u.id !== p.target.cloudId)!;
      p.target = { cloudId: other.id, userName, ...(other.externalId ? { externalId: other.externalId } : {}) };
    });
    await refused('operations', /op-000001 \(patchUser .*\) differs from a fresh plan's: target\./);
  });

  it('recomputes the deletion threshold: the file saying exceeded: false does not switch it off', async () => {
    const saved = await setUp({ deleteThreshold: { count: 0 }, mismatched: 'delete' });
    assert.equal(saved.threshold.exceeded, true);
    tamper((_ops, s) => {
      s.threshold = { ...s.threshold, exceeded: false };
      delete (s.threshold as { refusal?: string }).refusal;
      s.threshold.deletions = 0;
    });
    await refused('threshold', /policy\.deleteThreshold\.count \(0\)/);
  });

  it('a plan already applied is refused; so is a plan made against another cloud state', async () => {
    await setUp();
    assert.equal((await applySavedPlan(planFile, { secrets })).applied, 2);
    await refused('applied', /already applied/);

    await f.close();
    await setUp();
    const admin = f.client();
    const [, someone] = [...(await cloudUsers(admin)).entries()].find(([n]) => n.includes('@'))!;
    await admin.users.patch(someone.id, [{ op: 'replace', path: 'displayName', value: 'Changed In The Cloud' }] as never);
    await refused('basis', /the cloud changed since the plan was made/);
  });

  it('an interrupted apply of the saved plan resumes: journaled operations count, the rest run', async () => {
    await setUp();
    const controller = new AbortController();
    await assert.rejects(
      applySavedPlan(planFile, {
        secrets,
        signal: controller.signal,
        onProgress: (p) => p.phase === 'apply' && p.done && controller.abort(),
      }),
      /apply cancelled after 1 operation/,
    );
    const result = await applySavedPlan(planFile, { secrets });
    assert.equal(result.resumed, 1);
    assert.equal(result.applied, 1);
    assert.equal(result.failed, 0);
  });

  it('the CLI exits 1 on a tampered plan and names the difference on stderr', async () => {
    await setUp();
    tamper((ops) => {
      const p = patchOf(ops);
      p.ops = p.ops.map((o) => (o.path === 'title' ? { ...o, value: 'Chief Tamperer' } : o));
    });
    const io = capturedOutput();
    const code = await runCli(['apply', planFile, '--json'], {
      stdout: io.stdout,
      stderr: io.stderr,
      env: { ...process.env, DIRSYNC_CLOUD_TOKEN: TOKEN },
      cwd: f.dir,
      signal: new AbortController().signal,
    });
    assert.equal(code, 1, io.err());
    assert.equal(JSON.parse(io.out()).refused, 'operations');
    assert.match(io.err(), /Chief Tamperer/);
  });
});
