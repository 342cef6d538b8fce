/**
 * AD contacts as Webex org contacts, end to end through the built CLI on the demo (its LDIF export,
 * cloud.type "webex") against the local cloud's contacts API: an apply whose contact creates fail
 * is resumed by applying the same plan again, `dirsync explain` of a contact shows its org contact
 * and the decision, and a contact removed from AD is deleted — only because dirsync made it.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SavedPlan } from '../../../server/src/sync/contract';
import { CONTACT_BASE } from '../../../server/src/cloud/index';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';
import { dirsync, ROOT } from '../../support/syncEnv';

const SIGRID = 'sigrid.lindqvist@fjord-logistics.example.net';

describe('dirsync apply / explain: AD contacts as Webex org contacts, on the demo', function () {
  this.timeout(180_000);
  let cloud: CloudFixture;
  let dir: string;
  let file: string;
  let ldif: string;
  const env = { DIRSYNC_CLOUD_TOKEN: TOKEN };

  before(async () => {
    cloud = await startCloudFixture({ dialect: 'webex', orgId: 'demo-org' });
    dir = mkdtempSync(join(tmpdir(), 'dirsync-contacts-'));
    ldif = join(dir, 'corp.ldif');
    writeFileSync(ldif, readFileSync(join(ROOT, 'sample-configs/data/corp.example.com.ldif')));
    const c = JSON.parse(readFileSync(join(ROOT, 'sample-configs/demo.dirsync'), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
    delete c.$schema;
    c.cloud.url = cloud.cloud.baseUrl;
    c.cloud.maxRetries = 0;
    c.avatar.enabled = false;
    delete c.avatar.publish;
    c.directory.url = `ldif:${ldif}`;
    file = join(dir, 'demo.dirsync');
    writeFileSync(file, JSON.stringify(c, null, 2));
  });
  after(async () => cloud?.close());

  it('a failed apply of contacts resumes: the same plan applied again creates the rest, then nothing to do', async () => {
    const planFile = join(dir, 'plan.json');
    const first = await dirsync(['plan', file, '-o', planFile], env);
    assert.equal(first.code, 2, first.stderr);
    const saved = JSON.parse(readFileSync(planFile, 'utf8')) as SavedPlan;
    const creates = saved.plan.operations.filter((o) => o.kind === 'createContact').length;
    assert.equal(creates, 12);
    // The bulk create fails, and so do three of the creates then done one by one (no retries in this config).
    cloud.cloud.faults.add({ kind: 'status', status: 503, next: 4, methods: ['POST'], pathPattern: '^/contacts(/bulk)?$' });
    const failed = await dirsync(['apply', planFile, '--json'], env);
    const r1 = JSON.parse(failed.stdout) as { failed: number; failures: Array<{ label: string; message: string }> };
    assert.equal(r1.failed, 3, failed.stdout.slice(0, 2000));
    assert.match(r1.failures[0]!.message, /HTTP 503/);
    assert.equal(cloud.cloud.admin.stats().contacts, creates - 3);
    const posts = cloud.cloud.requests().filter((r) => r.method === 'POST' && r.path.includes('/contacts'));
    assert.equal(posts.filter((r) => r.path.endsWith('/contacts/bulk')).length, 1, 'one bulk request for the twelve');
    cloud.cloud.faults.clear();

    const resumed = await dirsync(['apply', planFile, '--json'], env);
    assert.equal(resumed.code, 2, resumed.stderr + resumed.stdout.slice(0, 2000));
    const r2 = JSON.parse(resumed.stdout) as { failed: number; applied: number; resumed: number };
    assert.equal(r2.failed, 0);
    assert.equal(r2.applied, 3, 'only the three failed creates run again');
    assert.equal(cloud.cloud.admin.stats().contacts, creates);

    const again = await dirsync(['plan', file], env);
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /^ {2}contacts +0 +0 +0 +0 +12 +0$/m);
  });

  it('explain of a contact: its org contact, the mapped fields old → new, and the decision', async () => {
    const r = await dirsync(['explain', file, SIGRID, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const e = JSON.parse(r.stdout);
    assert.equal(e.objectType, 'contact');
    assert.match(e.cloudId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(e.decision, { ...e.decision, category: 'contacts', action: 'none' });
    const company = e.attributes.find((a: { attribute: string }) => a.attribute === 'o');
    assert.deepEqual(
      { value: company.value, cloudValue: company.cloudValue, changes: company.changes },
      { value: 'Fjord Logistics AS', cloudValue: 'Fjord Logistics AS', changes: false },
    );
  });

  it('a contact removed from AD is deleted; a contact made in Control Hub is left alone', async () => {
    const manual = await cloud
      .client()
      .contacts!.create({ ...CONTACT_BASE, displayName: 'Made by hand', emails: [{ type: 'work', value: 'hand@example.net' }] });
    const blocks = readFileSync(ldif, 'utf8').split('\n\n');
    writeFileSync(ldif, blocks.filter((b) => !b.includes(`mail: ${SIGRID}`)).join('\n\n'));
    const plan = await dirsync(['plan', file, '--json'], env);
    assert.equal(plan.code, 2, plan.stderr);
    const report = JSON.parse(plan.stdout) as SavedPlan;
    const deletes = report.items.filter((i) => i.objectType === 'contact' && i.action === 'delete');
    assert.deepEqual(
      deletes.map((i) => i.userName),
      [SIGRID],
    );
    assert.equal(report.threshold.deletions, 1);
    const sync = await dirsync(['sync', file], env);
    assert.equal(sync.code, 2, sync.stderr + sync.stdout);
    const left = [];
    for await (const c of cloud.client().contacts!.search({ source: 'CH' })) left.push(c.contactId);
    assert.equal(left.length, 12, '11 from AD and the one made by hand');
    assert.ok(left.includes(manual.contactId));
  });
});
