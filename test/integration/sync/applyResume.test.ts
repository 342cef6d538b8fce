/** A cancelled or crashed apply resumes: the same plan again converges with no lost and no doubled object. */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../../server/src/sync/engine/sync';
import { ApplyCancelledError } from '../../../server/src/sync/apply/errors';
import { planIdOf } from '../../../server/src/sync/apply/journal';
import type { SyncProgress } from '../../../server/src/sync/contract';
import { cloudUsers, createGroup, createUser, makePlan, members, startApplyFixture, type ApplyFixture } from '../../support/syncApply';

describe('sync apply: resume', function () {
  this.timeout(120_000);
  let f: ApplyFixture;
  beforeEach(async () => {
    f = await startApplyFixture();
  });
  afterEach(async () => {
    await f.close();
  });
  const opts = (extra: Record<string, unknown> = {}) => ({ configFile: f.configFile, secrets: f.secrets, mode: 'full' as const, ...extra });

  it('a cancelled apply stops cleanly and the re-run finishes the rest', async () => {
    const ops = Array.from({ length: 60 }, (_, i) => createUser(2000 + i));
    ops.push(
      createGroup('Everyone', 'g-every'),
      members(
        'Everyone',
        'g-every',
        Array.from({ length: 60 }, (_, i) => 2000 + i),
      ),
    );
    const plan = makePlan(ops);
    const ac = new AbortController();
    const first = applyPlan(plan, opts({ signal: ac.signal, onProgress: (p: SyncProgress) => (p.done ?? 0) >= 25 && ac.abort() }));
    const err = await first.then(
      () => assert.fail('expected a cancellation'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApplyCancelledError, String(err));
    assert.match(err.message, /re-run to resume/);
    const partial = (await cloudUsers(f.admin)).size;
    assert.ok(partial >= 25 && partial < 60, `created before the cancel: ${partial}`);

    const second = await applyPlan(plan, opts());
    assert.equal(second.sessionId, err.partial.sessionId, 'the same plan resumes its session');
    assert.equal(second.failed, 0, JSON.stringify(second.failures));
    assert.ok(second.resumed >= 25, `resumed ${second.resumed}`);
    assert.equal(second.resumed + second.applied, 62);
    const users = await cloudUsers(f.admin); // throws on a duplicate userName
    assert.equal(users.size, 60);
    const g = await f.admin.groups.find('displayName eq "Everyone"');
    let n = 0;
    for await (const _ of f.admin.groups.members(g!.id!)) n++;
    assert.equal(n, 60);
  });

  it('a create whose answer was lost is found by externalId, not created again', async () => {
    const op = createUser(3000);
    const plan = makePlan([op, createUser(3001)]);
    // The crash: the POST reached the cloud, the process died before journaling `done`.
    const made = await f.admin.users.create({ ...(op as unknown as { body: Record<string, unknown> }).body } as never);
    mkdirSync(join(f.stateDir, 'journal'), { recursive: true });
    const session = 'crashed-session';
    writeFileSync(
      join(f.stateDir, 'journal', `${session}.jsonl`),
      [
        {
          t: 'plan',
          time: new Date(Date.now() - 1000).toISOString(),
          sessionId: session,
          planId: planIdOf(plan.payload),
          config: f.configFile,
          mode: 'full',
          basis: plan.payload.basis,
          ops: 2,
        },
        {
          t: 'start',
          time: new Date().toISOString(),
          op: op.opId,
          kind: 'createUser',
          key: `ext:${(op as unknown as { body: { externalId: string } }).body.externalId}`,
        },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n{"t":"done","op":"op-0', // a torn last line
    );
    const before = f.cloud.requests().length;
    const result = await applyPlan(plan, opts());
    assert.equal(result.sessionId, session);
    assert.equal(result.failed, 0, JSON.stringify(result.failures));
    assert.equal(result.applied, 2);
    const posts = f.cloud.requests(before).filter((r) => r.method === 'POST');
    assert.equal(posts.length, 1, 'only user 3001 is POSTed');
    const users = await cloudUsers(f.admin);
    assert.equal(users.get('user3000@corp.example.com')!.id, made.id);
    assert.equal(users.size, 2);
  });

  it('a connection dropped after the cloud committed a create does not double it', async () => {
    f.cloud.faults.set([{ kind: 'drop', phase: 'after', methods: ['POST'], next: 3 }]);
    const result = await applyPlan(makePlan(Array.from({ length: 10 }, (_, i) => createUser(4000 + i))), opts());
    assert.equal(result.failed, 0, JSON.stringify(result.failures));
    assert.equal((await cloudUsers(f.admin)).size, 10);
  });
});
