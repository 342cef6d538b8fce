/**
 * The dry run end to end against the real Samba AD DC fixture and a real local cloud: the seed's
 * scenarios (first dry run with mismatched test accounts, disabled → deactivated, attribute change
 * → modified, case-only email difference, rooms, groups, threshold trip), each on a fresh cloud.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { reportFolderDryRuns } from '../../../server/src/live/lastDryRun';
import { normalizeDn } from '../../../server/src/domain/dn';
import type { SyncPlan } from '../../../server/src/sync/contract';
import type { SambaFixture } from '../../fixtures/samba';
import { startCloudFixture, user, type CloudFixture } from '../../support/cloud';
import { baseline, first, kindOf, testDc } from '../../support/directory';
import { createUsers, plan, sambaConfig, writeConfig } from '../../support/syncEnv';

const key = (dn: string) => normalizeDn(dn) ?? dn;
const people = () => baseline().filter((r) => kindOf(r) === 'user' && !r.attributes.msExchResourceMetaData);
const rooms = () => baseline().filter((r) => (r.attributes.msExchResourceMetaData ?? []).includes('ResourceType:Room'));

describe('sync dry run against Samba AD and the local cloud', function () {
  this.timeout(300_000);
  let f: SambaFixture;
  let cloud: CloudFixture | undefined;
  let initial: SyncPlan;

  before(async () => {
    f = await testDc();
    const c = await startCloudFixture();
    try {
      initial = await plan(writeConfig(sambaConfig(f, c)), f);
    } finally {
      await c.close();
    }
  });
  beforeEach(async () => {
    cloud = await startCloudFixture();
  });
  afterEach(async () => {
    await cloud?.close();
    cloud = undefined;
  });

  /** The initial plan's createUser body for the person with this DN. */
  const bodyOf = (pred: (label: string) => boolean) => {
    const op = initial.payload.operations.find((o) => o.kind === 'createUser' && pred(o.label));
    assert.ok(op && op.kind === 'createUser', 'a createUser operation');
    return { ...op.body } as Record<string, unknown>;
  };

  it('first dry run: every person with mail added, rooms, groups with > 1,500 members, test accounts mismatched (retain), report saved', async () => {
    const client = cloud!.client();
    await client.users.create(user('test1@corp.example.com') as never);
    await client.users.create(user('test2@corp.example.com') as never);
    const file = writeConfig(sambaConfig(f, cloud!));
    const p = await plan(file, f);
    const byKey = new Map(p.report.items.filter((i) => i.dn).map((i) => [key(i.dn!), i]));
    for (const r of people()) {
      const it = byKey.get(key(r.dn));
      assert.ok(it, `item for ${r.dn}`);
      if (first(r, 'mail')) assert.equal(it.category, 'added', r.dn);
      else assert.equal(it.category, 'invalid', r.dn);
    }
    const noMail = people().filter((r) => !first(r, 'mail'));
    assert.ok(noMail.length > 0);
    for (const r of noMail) assert.match(byKey.get(key(r.dn))!.errors![0]!, /uid ← mail is empty/);
    assert.equal(p.report.summary.rooms, rooms().length);
    for (const r of rooms()) {
      const it = byKey.get(key(r.dn))!;
      assert.equal(it.category, 'rooms');
      const op = p.payload.operations.find((o) => o.itemId === it.id)!;
      // A generic SCIM target (objects.rooms.genericTarget "users", the default): a plain, active user.
      assert.equal(op.kind === 'createUser' && op.body['userType'], undefined);
      assert.equal(op.kind === 'createUser' && op.body['active'], true);
    }
    const allStaff = p.report.items.find((i) => i.objectType === 'group' && i.displayName === 'All Staff')!;
    assert.equal(allStaff.action, 'create');
    assert.ok(allStaff.members!.added.length > 1500, `All Staff members: ${allStaff.members!.added.length}`);
    const mism = p.report.items.filter((i) => i.category === 'mismatched');
    assert.deepEqual(
      mism.map((i) => [i.userName, i.action]),
      [
        ['test1@corp.example.com', 'retain'],
        ['test2@corp.example.com', 'retain'],
      ],
    );
    assert.ok(!p.payload.operations.some((o) => o.kind === 'deleteUser'));
    // Safe order: every create before any group membership.
    const kinds = p.payload.operations.map((o) => o.kind);
    assert.ok(kinds.lastIndexOf('createUser') < kinds.indexOf('groupMembers'));
    // Saved where the live previews read it.
    const dir = join(dirname(file), '.dirsync', 'reports');
    assert.ok(existsSync(join(dir, 'last-dryRun.json')));
    assert.ok(readdirSync(dir).some((n) => /^\d{4}-\d\d-\d\dT[\d-]+Z-dryRun\.json$/.test(n)));
    assert.equal(JSON.parse(readFileSync(join(dir, 'last-dryRun.json'), 'utf8')).sessionId, p.report.sessionId);
    const counts = await reportFolderDryRuns(() => [dir]).countsFor(file);
    assert.equal(counts?.counts.rooms, rooms().length);
  });

  it('mismatched test accounts with policy delete: deleted last, within the threshold', async () => {
    const client = cloud!.client();
    await createUsers(client, initial);
    await client.users.create(user('test1@corp.example.com') as never);
    const p = await plan(
      writeConfig(
        sambaConfig(f, cloud!, {
          policy: { deleteThreshold: { count: 50, percent: 20 }, mismatched: 'delete', protected: { admins: true } },
        }),
      ),
      f,
    );
    const it = p.report.items.find((i) => i.userName === 'test1@corp.example.com')!;
    assert.deepEqual([it.category, it.action], ['mismatched', 'delete']);
    const ops = p.payload.operations;
    assert.equal(ops[ops.length - 1]!.kind, 'deleteUser');
    assert.equal(p.report.threshold.exceeded, false);
    assert.equal(p.report.summary.added, 0);
  });

  it('disabled user → deactivated; attribute change → modified; case-only email → warning + update', async () => {
    const client = cloud!.client();
    const disabled = people().find((r) => first(r, 'userAccountControl') === '514' && first(r, 'mail'))!;
    const titled = people().find((r) => first(r, 'title') && first(r, 'mail') && first(r, 'userAccountControl') !== '514')!;
    const cased = people().find((r) => first(r, 'mail') && r !== titled && first(r, 'userAccountControl') !== '514')!;
    const same = (r: { dn: string }) => (label: string) => key(label) === key(r.dn);
    await client.users.create({ ...bodyOf(same(disabled)), active: true } as never);
    await client.users.create({ ...bodyOf(same(titled)), title: 'Old Title' } as never);
    const casedBody = bodyOf(same(cased));
    const { externalId: _x, ...noExternal } = casedBody;
    await client.users.create({ ...noExternal, userName: String(casedBody['userName']).toUpperCase() } as never);
    const p = await plan(writeConfig(sambaConfig(f, cloud!)), f);
    const byKey = new Map(p.report.items.filter((i) => i.dn).map((i) => [key(i.dn!), i]));
    const d = byKey.get(key(disabled.dn))!;
    assert.deepEqual([d.category, d.action], ['deactivated', 'deactivate']);
    assert.deepEqual(
      d.changes!.map((c) => [c.scimPath, c.old, c.new]),
      [['active', true, false]],
    );
    const m = byKey.get(key(titled.dn))!;
    assert.equal(m.category, 'modified');
    assert.deepEqual(
      m.changes!.map((c) => [c.scimPath, c.old, c.new]),
      [['title', 'Old Title', first(titled, 'title')]],
    );
    assert.equal(m.changes![0]!.configRef?.path, 'attributes.title');
    assert.ok(m.changes![0]!.configRef!.line > 1);
    const c = byKey.get(key(cased.dn))!;
    assert.equal(c.category, 'modified');
    assert.match(c.warnings!.join(), /differs only in case/);
    assert.equal(p.report.summary.deleted, 0);
    assert.ok(!p.payload.operations.some((o) => o.kind === 'deleteUser'));
  });

  it('threshold trip: 60 users gone from AD exceed count 50 — refusal in the report', async () => {
    const client = cloud!.client();
    for (let i = 0; i < 60; i++) {
      await client.users.create(
        user(`gone${i}@corp.example.com`, { externalId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}` }) as never,
      );
    }
    const p = await plan(writeConfig(sambaConfig(f, cloud!, { objects: { users: { enabled: true } } })), f);
    const t = p.report.threshold;
    assert.deepEqual([t.deletions, t.exceeded, t.limitCount], [60, true, 50]);
    assert.match(t.refusal!, /deletes 60 of 60 owned cloud objects .*more than policy.deleteThreshold.count \(50\)/);
    assert.equal(p.report.summary.deleted, 60);
  });
});
