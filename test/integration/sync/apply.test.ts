/** applyPlan against the real local cloud: phases, references, safety checks, failures, faults. */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../../server/src/sync/engine/sync';
import { dryRun } from '../../../server/src/sync/engine/dryRun';
import { ApplyRefusedError } from '../../../server/src/sync/apply/errors';
import type { EngineEvent } from '../../../server/src/sync/contract';
import type { SyncProgress } from '../../../server/src/sync/contract';
import type { AvatarApplyHook } from '../../../server/src/sync/apply/execute';
import { tinyPng } from '../../support/tinyPng';
import { startProxy } from '../../support/avatarServers';
import {
  cloudUsers,
  configText,
  createGroup,
  createUser,
  deleteUser,
  guid,
  makePlan,
  members,
  patchUser,
  startApplyFixture,
  TOKEN,
  writes,
  type ApplyFixture,
} from '../../support/syncApply';

describe('sync apply: applyPlan against the local cloud', function () {
  this.timeout(120_000);
  let f: ApplyFixture;
  beforeEach(async () => {
    f = await startApplyFixture();
  });
  afterEach(async () => {
    await f.close();
  });
  const opts = (extra: Record<string, unknown> = {}) => ({ configFile: f.configFile, secrets: f.secrets, mode: 'full' as const, ...extra });

  it('creates users and groups, resolves member references to the new ids, patches and deletes', async () => {
    const old = await f.admin.users.create({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'leaver@corp.example.com',
    } as never);
    const plan = makePlan([
      deleteUser('leaver@corp.example.com', { cloudId: old.id! }),
      createUser(1),
      createUser(2),
      createUser(3),
      patchUser(1, [{ op: 'replace', path: 'title', value: 'Engineer' }]),
      createGroup('Engineering', 'g-eng'),
      members('Engineering', 'g-eng', [1, 2]),
    ]);
    const events: EngineEvent[] = [];
    const progress: SyncProgress[] = [];
    const result = await applyPlan(
      plan,
      opts({ onEvent: (e: EngineEvent) => events.push(e), onProgress: (p: SyncProgress) => progress.push(p) }),
    );
    assert.equal(result.failed, 0, JSON.stringify(result.failures));
    assert.equal(result.applied, 7);
    const users = await cloudUsers(f.admin);
    assert.deepEqual([...users.keys()].sort(), ['user1@corp.example.com', 'user2@corp.example.com', 'user3@corp.example.com']);
    const u1 = await f.admin.users.get(users.get('user1@corp.example.com')!.id);
    assert.equal(u1.title, 'Engineer');
    const g = await f.admin.groups.find('displayName eq "Engineering"');
    const memberIds = [];
    for await (const m of f.admin.groups.members(g!.id!)) memberIds.push(m.value);
    assert.deepEqual(memberIds.sort(), [users.get('user1@corp.example.com')!.id, users.get('user2@corp.example.com')!.id].sort());
    // Deletes come last, after every create.
    const order = f.cloud
      .requests()
      .filter((r) => r.method !== 'GET')
      .map((r) => r.method);
    assert.equal(order.at(-1), 'DELETE');
    // Events: JSON-able lines with the session id, no token.
    assert.ok(events.some((e) => e.event === 'user.create' && e.dn === 'CN=User 1,OU=People,DC=corp,DC=example,DC=com'));
    assert.ok(events.every((e) => e.sessionId === result.sessionId));
    assert.ok(!JSON.stringify(events).includes(TOKEN));
    assert.deepEqual(progress.at(-1), { phase: 'apply', message: 'deleting users', done: 7, total: 7 });
    // The journal says it all: a header, start/done per operation, a complete end.
    const journalFiles = readdirSync(join(f.stateDir, 'journal'));
    assert.equal(journalFiles.length, 1);
    const records = readFileSync(join(f.stateDir, 'journal', journalFiles[0]!), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(records[0].t, 'plan');
    assert.equal(records.filter((r) => r.t === 'done').length, 7);
    assert.deepEqual(records.at(-1).status, 'complete');
    assert.ok(!readFileSync(join(f.stateDir, 'journal', journalFiles[0]!), 'utf8').includes(TOKEN));
  });

  it('resolves a PATCH value given as {$objectRef} (a manager created in the same apply)', async () => {
    const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const plan = makePlan([
      createUser(30),
      createUser(31),
      patchUser(31, [{ op: 'replace', path: `${ENT}:manager.value`, value: { $objectRef: { externalId: guid(30) } } }]),
    ]);
    const result = await applyPlan(plan, opts());
    assert.equal(result.failed, 0, JSON.stringify(result.failures));
    const users = await cloudUsers(f.admin);
    const u31 = (await f.admin.users.get(users.get('user31@corp.example.com')!.id)) as Record<string, unknown>;
    assert.equal((u31[ENT] as { manager: { value: string } }).manager.value, users.get('user30@corp.example.com')!.id);
  });

  it('runs avatar operations through the hook with the resolved cloud id; with avatars off in the config they are skipped', async () => {
    const upload = (n: number) => ({
      opId: `av-${n}`,
      itemId: `u${n}`,
      label: `CN=User ${n},OU=People,DC=corp,DC=example,DC=com`,
      kind: 'uploadAvatar' as const,
      target: { externalId: guid(n) },
      sha256: 'ab',
      dn: `CN=User ${n},OU=People,DC=corp,DC=example,DC=com`,
    });
    const seen: Array<{ op: string; cloudId: string; hasConfig: boolean }> = [];
    const hook: AvatarApplyHook = async (op, ctx) => {
      seen.push({ op: op.opId, cloudId: ctx.cloudId, hasConfig: !!ctx.config });
      await ctx.client.users.putAvatar(
        ctx.cloudId,
        Buffer.from(tinyPng(10).split(',')[1]!, 'base64'),
        'image/png',
        ctx.signal ? { signal: ctx.signal } : {},
      );
    };
    const result = await applyPlan(makePlan([createUser(40), upload(40)]), opts({ avatarHook: hook }));
    assert.equal(result.failed, 0, JSON.stringify(result.failures));
    const id = (await cloudUsers(f.admin)).get('user40@corp.example.com')!.id;
    assert.deepEqual(seen, [{ op: 'av-40', cloudId: id, hasConfig: true }]);
    assert.ok(await f.admin.users.getAvatar(id));
    const skipped = await applyPlan(makePlan([upload(40)]), opts());
    assert.equal(skipped.skipped, 1);
    assert.equal(skipped.applied, 0);
  });

  it('goes through cloud.proxy when the config sets one', async () => {
    const proxy = await startProxy();
    try {
      writeFileSync(
        f.configFile,
        configText(f.cloud.baseUrl, {
          cloud: { type: 'scim', url: f.cloud.baseUrl, token: '${env:DIRSYNC_CLOUD_TOKEN}', proxy: { url: proxy.url } },
        }),
      );
      const result = await applyPlan(makePlan([createUser(50)]), opts());
      assert.equal(result.applied, 1, JSON.stringify(result.failures));
      assert.ok(proxy.seen.length > 0, 'the request went through the proxy');
      // The dry run and explain read the cloud through the same proxy (one client builder).
      const before = proxy.seen.length;
      const plan = await dryRun({ configFile: f.configFile, secrets: f.secrets, stateDir: f.stateDir });
      assert.equal(plan.report.format, 'dirsync-report');
      assert.ok(proxy.seen.length > before, 'the dry run went through the proxy');
    } finally {
      await proxy.close();
    }
  });

  it('refuses a plan over the deletion threshold before any write, listing the objects', async () => {
    const plan = makePlan(
      [createUser(10), deleteUser('a@corp.example.com', { cloudId: 'x1' }), deleteUser('b@corp.example.com', { cloudId: 'x2' })],
      {
        exceeded: true,
        limitCount: 1,
        deletions: 2,
        refusal: 'the sync would delete 2 users, over policy.deleteThreshold.count (1)',
      },
    );
    const before = f.cloud.requests().length;
    await assert.rejects(applyPlan(plan, opts()), (err: unknown) => {
      assert.ok(err instanceof ApplyRefusedError);
      assert.equal(err.reason, 'threshold');
      assert.match(
        err.message,
        /the sync would delete 2 users, over policy\.deleteThreshold\.count \(1\): refused, nothing written\. Objects to delete: /,
      );
      assert.match(err.message, /a@corp\.example\.com; b@corp\.example\.com/);
      return true;
    });
    assert.equal(writes(f, before), 0);
    assert.equal(f.cloud.requests(before).length, 0, 'not even a read');
  });

  it('refuses a plan that deletes or deactivates every full admin', async () => {
    const a1 = await f.admin.users.create({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'admin1@corp.example.com',
    } as never);
    const a2 = await f.admin.users.create({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'admin2@corp.example.com',
      externalId: guid(2),
    } as never);
    f.cloud.admin.setRoles(a1.id!, ['id_full_admin']);
    f.cloud.admin.setRoles(a2.id!, ['id_full_admin']);
    const plan = makePlan([
      createUser(5),
      deleteUser('admin1@corp.example.com', { cloudId: a1.id! }),
      patchUser(2, [{ op: 'replace', path: 'active', value: false }]),
    ]);
    const before = f.cloud.requests().length;
    await assert.rejects(
      applyPlan(plan, opts()),
      (err: unknown) => err instanceof ApplyRefusedError && err.reason === 'admins' && /all 2 full administrators/.test(err.message),
    );
    assert.equal(writes(f, before), 0);
    // Keeping one admin is fine.
    const ok = makePlan([deleteUser('admin1@corp.example.com', { cloudId: a1.id! })]);
    const result = await applyPlan(ok, opts());
    assert.equal(result.applied, 1);
  });

  it('reports a failing operation by its object and goes on with the others', async () => {
    const plan = makePlan([
      createUser(20),
      createUser(21, { userName: 'not valid', emails: 'x' }),
      patchUser(99, [{ op: 'replace', path: 'title', value: 'x' }]),
      members('Sales', 'g-sales', [20]),
    ]);
    const result = await applyPlan(plan, opts());
    assert.equal(result.applied, 1);
    assert.equal(result.failed, 3);
    const byOp = new Map(result.failures.map((x) => [x.label, x.message]));
    assert.match(byOp.get('CN=User 21,OU=People,DC=corp,DC=example,DC=com')!, /user "CN=User 21/);
    assert.match(byOp.get('user99@corp.example.com')!, /user "user99@corp\.example\.com" does not exist in the cloud/);
    assert.match(byOp.get('CN=Sales,OU=Groups,DC=corp,DC=example,DC=com')!, /group "Sales" does not exist/);
    assert.ok((await cloudUsers(f.admin)).has('user20@corp.example.com'));
  });

  it('completes with 20 % of cloud calls answered 429/503', async () => {
    f.cloud.faults.set([
      { kind: 'status', status: 429, retryAfter: 0, rate: 0.1 },
      { kind: 'status', status: 503, rate: 0.1 },
    ]);
    const ops = Array.from({ length: 150 }, (_, i) => createUser(1000 + i));
    ops.push(
      createGroup('All', 'g-all'),
      members(
        'All',
        'g-all',
        Array.from({ length: 150 }, (_, i) => 1000 + i),
      ),
    );
    const result = await applyPlan(makePlan(ops), opts());
    assert.equal(result.failed, 0, JSON.stringify(result.failures.slice(0, 3)));
    const faulted = f.cloud.requests().filter((r) => r.fault).length;
    assert.ok(faulted > 10, `faults fired: ${faulted}`);
    f.cloud.faults.clear();
    const users = await cloudUsers(f.admin);
    assert.equal(users.size, 150);
    const g = await f.admin.groups.find('displayName eq "All"');
    let n = 0;
    for await (const _ of f.admin.groups.members(g!.id!)) n++;
    assert.equal(n, 150);
  });
});
