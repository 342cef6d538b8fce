/**
 * Avatar uploads run beside the other phases of an apply against the real local cloud: each one
 * waits for its own user's create only, the deletes wait for all of them, and a cancelled apply
 * stops them too and resumes.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { applyPlan } from '../../../server/src/sync/engine/sync';
import { ApplyCancelledError } from '../../../server/src/sync/apply/errors';
import type { AvatarApplyHook } from '../../../server/src/sync/apply/execute';
import type { PlanOperation, SyncProgress } from '../../../server/src/sync/contract';
import { tinyPng } from '../../support/tinyPng';
import {
  cloudUsers,
  configText,
  createUser,
  deleteUser,
  guid,
  makePlan,
  startApplyFixture,
  type ApplyFixture,
} from '../../support/syncApply';

const upload = (n: number): PlanOperation => ({
  opId: `av-${n}`,
  itemId: `u${n}`,
  label: `CN=User ${n},OU=People,DC=corp,DC=example,DC=com`,
  kind: 'uploadAvatar',
  target: { externalId: guid(n) },
  sha256: 'ab',
  dn: `CN=User ${n},OU=People,DC=corp,DC=example,DC=com`,
});

const PNG = Buffer.from(tinyPng(10).split(',')[1]!, 'base64');

describe('sync apply: avatar uploads beside the other phases', function () {
  this.timeout(120_000);
  let f: ApplyFixture;
  beforeEach(async () => {
    // One request at a time: the cloud sees the requests in the order the apply sends them.
    f = await startApplyFixture();
    writeFileSync(
      f.configFile,
      configText(f.cloud.baseUrl, { cloud: { type: 'scim', url: f.cloud.baseUrl, token: '${env:DIRSYNC_CLOUD_TOKEN}', concurrency: 1 } }),
    );
  });
  afterEach(async () => {
    await f.close();
  });
  const opts = (extra: Record<string, unknown> = {}) => ({ configFile: f.configFile, secrets: f.secrets, mode: 'full' as const, ...extra });
  const posts = () => f.cloud.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/Users')).length;
  const hook =
    (seen: Map<string, number[]>): AvatarApplyHook =>
    async (op, ctx) => {
      seen.set(op.opId, [...(seen.get(op.opId) ?? []), posts()]);
      await ctx.client.users.putAvatar(ctx.cloudId, PNG, 'image/png', ctx.signal ? { signal: ctx.signal } : {});
    };

  it('uploads a picture once its own user exists, while the other users are still being created; deletes come after', async () => {
    const old = await f.admin.users.create({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'leaver@corp.example.com',
    } as never);
    const ops = [deleteUser('leaver@corp.example.com', { cloudId: old.id! }), ...Array.from({ length: 60 }, (_, i) => createUser(i + 1))];
    ops.push(upload(1), upload(60));
    const seen = new Map<string, number[]>();
    const before = posts();
    const result = await applyPlan(makePlan(ops), opts({ avatarHook: hook(seen) }));
    assert.equal(result.failed, 0, JSON.stringify(result.failures));
    assert.equal(result.applied, 63);
    const first = seen.get('av-1')![0]! - before;
    assert.ok(first >= 1 && first < 60, `user 1's picture went out after ${first} of 60 creates`);
    assert.equal(seen.get('av-60')![0]! - before, 60, "user 60's picture waited for user 60's create");
    const users = await cloudUsers(f.admin);
    for (const n of [1, 60]) assert.ok(await f.admin.users.getAvatar(users.get(`user${n}@corp.example.com`)!.id));
    const writes = f.cloud.requests().filter((r) => r.method !== 'GET');
    assert.equal(writes.at(-1)!.method, 'DELETE', 'the delete waited for the uploads');
  });

  it('an upload whose user could not be created fails naming that user; the others go on', async () => {
    // The userName is taken by another object: the create gets a 409 and fails.
    await f.admin.users.create({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'user2@corp.example.com',
      externalId: 'someone-else',
    } as never);
    const seen = new Map<string, number[]>();
    const result = await applyPlan(makePlan([createUser(1), createUser(2), upload(2), upload(1)]), opts({ avatarHook: hook(seen) }));
    assert.equal(result.failures.length, 2, JSON.stringify(result.failures));
    assert.ok(result.failures.every((x) => x.label === 'CN=User 2,OU=People,DC=corp,DC=example,DC=com'));
    assert.match(result.failures.find((x) => x.opId === 'av-2')!.message, /does not exist in the cloud/);
    assert.deepEqual([...seen.keys()], ['av-1']);
  });

  it('a cancel during the creates stops the uploads waiting for them; the re-run uploads the rest (again only one cut short)', async () => {
    const ops = [...Array.from({ length: 60 }, (_, i) => createUser(100 + i)), ...Array.from({ length: 60 }, (_, i) => upload(100 + i))];
    const plan = makePlan(ops);
    const seen = new Map<string, number[]>();
    const ac = new AbortController();
    const err = await applyPlan(
      plan,
      opts({ avatarHook: hook(seen), signal: ac.signal, onProgress: (p: SyncProgress) => (p.done ?? 0) >= 25 && ac.abort() }),
    ).then(
      () => assert.fail('expected a cancellation'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApplyCancelledError, String(err));
    assert.ok(seen.size < 60, `uploads before the cancel: ${seen.size}`);
    const second = await applyPlan(plan, opts({ avatarHook: hook(seen) }));
    assert.equal(second.failed, 0, JSON.stringify(second.failures));
    assert.equal(second.resumed + second.applied, 120);
    assert.equal(seen.size, 60);
    for (const [op, calls] of seen) assert.ok(calls.length <= 2, `${op} ran ${calls.length} times`);
    assert.equal((await cloudUsers(f.admin)).size, 60);
  });
});
