/**
 * The operations of a sync kept in spool files (engine/opSpool.ts) against the real local cloud: the
 * apply reads them a phase at a time and does exactly what it does with the same operations in memory.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, runSync } from '../../../server/src/sync/engine/sync';
import { dryRun } from '../../../server/src/sync/engine/dryRun';
import { OperationSpool } from '../../../server/src/sync/engine/opSpool';
import { journalDir, planIdOf } from '../../../server/src/sync/apply/journal';
import type { AvatarApplyHook } from '../../../server/src/sync/apply/execute';
import type { PlanOperation, SyncPlan } from '../../../server/src/sync/contract';
import { closeOperations, operationSourceOf, type Phase } from '../../../server/src/sync/plan/operations';
import type { OperationDraft } from '../../../server/src/sync/plan/types';
import {
  cloudUsers,
  createGroup,
  createUser,
  guid,
  makePlan,
  members,
  patchUser,
  startApplyFixture,
  type ApplyFixture,
} from '../../support/syncApply';

const PHASE_OF: Record<PlanOperation['kind'], Phase> = {
  createUser: 'create',
  patchUser: 'patch',
  createGroup: 'createGroup',
  patchGroup: 'patchGroup',
  groupMembers: 'members',
  uploadAvatar: 'avatar',
  removeAvatar: 'avatar',
  createContact: 'contact',
  updateContact: 'contact',
  deleteGroup: 'deleteGroup',
  deleteContact: 'deleteContact',
  deleteUser: 'delete',
};

/** The journal's records of one apply, without times and cloud ids: what was started, done and failed, by operation. */
function journalOf(stateDir: string): { plan: unknown; start: string[]; done: string[]; fail: string[]; end: unknown } {
  const dir = journalDir(stateDir);
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  assert.equal(files.length, 1, files.join());
  const records = readFileSync(join(dir, files[0]!), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const of = (t: string, f: (r: Record<string, unknown>) => string) =>
    records
      .filter((r) => r['t'] === t)
      .map(f)
      .sort();
  const plan = records.find((r) => r['t'] === 'plan')!;
  return {
    plan: { planId: plan['planId'], ops: plan['ops'], mode: plan['mode'], basis: plan['basis'] },
    start: of('start', (r) => `${r['op']} ${r['kind']} ${r['key'] ?? ''}`),
    done: of('done', (r) => `${r['op']} ${r['key'] ?? ''}`),
    fail: of('fail', (r) => `${r['op']} ${r['message']}`),
    end: records.find((r) => r['t'] === 'end')?.['status'],
  };
}

/** The cloud's users with their manager's userName (ids differ from one cloud to another). */
async function usersOf(f: ApplyFixture): Promise<string[]> {
  const byId = new Map<string, string>();
  const out: Array<[string, string | undefined]> = [];
  for await (const u of f.admin.users.list({ pageSize: 1000 })) {
    byId.set(u.id!, String(u.userName));
    const ext = u['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] as { manager?: string | { value?: string } } | undefined;
    const m = ext?.manager;
    out.push([String(u.userName), typeof m === 'string' ? m : m?.value]);
  }
  return out.map(([name, m]) => `${name} ${u(m)} `).sort();
  function u(id?: string): string {
    return id ? (byId.get(id) ?? `? ${id}`) : '-';
  }
}

describe('sync apply: operations read from spool files, a phase at a time', function () {
  this.timeout(180_000);
  const fixtures: ApplyFixture[] = [];
  const start = async () => {
    const f = await startApplyFixture({ policy: { deleteThreshold: { count: 50, percent: 100 }, mismatched: 'delete' } });
    fixtures.push(f);
    return f;
  };
  afterEach(async () => {
    for (const f of fixtures.splice(0)) await f.close();
  });

  it('an apply of spooled operations journals and writes what the same operations in memory do, without reading them all', async () => {
    const n = 300;
    const ops: PlanOperation[] = [];
    for (let i = 1; i <= n; i++) ops.push(createUser(i));
    // Manager links to users created in the same apply (ObjectRefs resolved through the journal).
    for (let i = 1; i < n; i++)
      ops.push(
        patchUser(i, [
          {
            op: 'add',
            path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
            value: { $objectRef: { externalId: guid(i + 1) } },
          },
        ]),
      );
    ops.push(createGroup('Everyone', 'g-all'), members('Everyone', 'g-all', [1, 2, 3, 250, 300]));
    const uploads: PlanOperation[] = [];
    for (let i = 1; i <= n; i += 7)
      uploads.push({
        opId: '',
        itemId: `u${i}`,
        label: `CN=User ${i}`,
        kind: 'uploadAvatar',
        target: { externalId: guid(i) },
        sha256: 'a'.repeat(64),
        dn: `CN=User ${i}`,
      });
    ops.push(...uploads);
    // Numbered in apply order, the id last (as the planner numbers its drafts).
    const inMemory = makePlan(
      ops.map(({ opId: _opId, ...o }, i) => ({ ...o, opId: `op-${String(i + 1).padStart(6, '0')}` }) as PlanOperation),
    );

    const spool = await OperationSpool.open(mkdtempSync(join(tmpdir(), 'dirsync-opspool-')));
    for (const { opId: _opId, ...draft } of inMemory.payload.operations) spool.add(PHASE_OF[draft.kind], draft as OperationDraft);
    const payload = spool.payload({ version: inMemory.payload.version, basis: inMemory.payload.basis });
    // Reading every operation into memory is what the spooled apply must not do.
    Object.defineProperty(payload, 'operations', {
      get: () => {
        throw new Error('the apply read every operation into memory');
      },
    });
    const spooled: SyncPlan = { report: inMemory.report, payload };
    assert.equal(planIdOf(payload), planIdOf(inMemory.payload));

    const seen =
      (log: string[]): AvatarApplyHook =>
      async (op, ctx) =>
        void log.push(`${op.opId} ${ctx.cloudId ? 'resolved' : '-'}`);
    const [a, b] = [await start(), await start()];
    const logA: string[] = [];
    const logB: string[] = [];
    const opts = (f: ApplyFixture, log: string[]) => ({
      configFile: f.configFile,
      secrets: f.secrets,
      mode: 'full' as const,
      avatarHook: seen(log),
    });
    const fromMemory = await applyPlan(inMemory, opts(a, logA));
    let fromSpool: Awaited<ReturnType<typeof applyPlan>>;
    try {
      fromSpool = await applyPlan(spooled, opts(b, logB));
    } finally {
      closeOperations(payload);
    }
    assert.equal(fromMemory.failed, 0, JSON.stringify(fromMemory.failures));
    for (const k of ['applied', 'resumed', 'failed', 'skipped'] as const) assert.equal(fromSpool[k], fromMemory[k], k);
    assert.equal(fromSpool.applied, ops.length);
    assert.deepEqual(fromSpool.work, fromMemory.work);
    assert.deepEqual(journalOf(b.stateDir), journalOf(a.stateDir));
    assert.deepEqual(logB.sort(), logA.sort());
    const users = await usersOf(b);
    assert.deepEqual(users, await usersOf(a));
    assert.ok(users.includes('user1@corp.example.com user2@corp.example.com '), users.slice(0, 3).join('; '));
  });

  it('runSync (operations spooled) and applyPlan of the same dry run in memory: the same plan id, journal, cloud and summary; no file left', async () => {
    const [a, b] = [await start(), await start()];
    const stale = await b.admin.users.create({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'leaver@corp.example.com',
    } as never);
    await a.admin.users.create({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'leaver@corp.example.com' } as never);
    assert.ok(stale.id);
    const plan = await dryRun({ configFile: a.configFile, secrets: a.secrets, stateDir: a.stateDir });
    assert.equal(operationSourceOf(plan.payload), undefined, 'a dry run keeps its operations in memory');
    assert.ok(plan.payload.operations.length > 50, `${plan.payload.operations.length} operations`);
    assert.ok(plan.payload.operations.some((o) => o.kind === 'deleteUser'));
    // The same dry run on b's cloud, not applied: runSync's plan there must be the same, byte for byte.
    const planB = await dryRun({ configFile: b.configFile, secrets: b.secrets, stateDir: b.stateDir });
    const fromMemory = await applyPlan(plan, { configFile: a.configFile, secrets: a.secrets, mode: 'full' });
    const fromSpool = await runSync({ configFile: b.configFile, secrets: b.secrets, mode: 'full' });
    assert.equal(fromMemory.failed, 0, JSON.stringify(fromMemory.failures));
    for (const k of ['applied', 'resumed', 'failed', 'skipped'] as const) assert.equal(fromSpool[k], fromMemory[k], k);
    assert.deepEqual(fromSpool.report.summary, fromMemory.report.summary);
    assert.deepEqual(fromSpool.work, fromMemory.work);
    // The plan id hashes the basis and every operation's JSON text: the same id is the same operations, byte for byte.
    const ja = journalOf(a.stateDir);
    const jb = journalOf(b.stateDir);
    assert.equal((jb.plan as { planId: string }).planId, planIdOf(planB.payload));
    assert.equal((ja.plan as { planId: string }).planId, planIdOf(plan.payload));
    // The clouds' URLs differ (in the config, hence the basis): the rest of the journal is the same.
    const rest = (j: typeof ja) => ({ ...j, plan: { ...(j.plan as object), planId: undefined, basis: undefined } });
    assert.deepEqual(rest(jb), rest(ja));
    assert.deepEqual([...(await cloudUsers(b.admin)).keys()].sort(), [...(await cloudUsers(a.admin)).keys()].sort());
    assert.deepEqual(await usersOf(b), await usersOf(a));
    assert.deepEqual(
      readdirSync(join(b.stateDir, 'reports')).filter((f) => f.startsWith('.')),
      [],
      'the operations’ files are removed once the sync is done',
    );
  });
});
