/**
 * Several domains into one org: the Samba fixture (corp.example.com) and an LDIF export of a
 * second domain (emea.example.com) synchronized into the same local cloud by two configs. Each
 * owns only its own users; the same person in both scopes is reported and left alone.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLdifRecord, LDIF_HEADER, type LdifRecord } from '../../../server/src/directory/ldifWriter';
import type { SambaFixture } from '../../fixtures/samba';
import { generateDirectory } from '../../fixtures/samba/seed/generate';
import { startCloudFixture, type CloudFixture } from '../../support/cloud';
import { baseline, first, kindOf, testDc } from '../../support/directory';
import { createUsers, plan, sambaConfig, writeConfig } from '../../support/syncEnv';

const DELETE = { deleteThreshold: { count: 50, percent: 20 }, mismatched: 'delete', protected: { admins: true } };

describe('sync dry run: two domains into one org', function () {
  this.timeout(300_000);
  let f: SambaFixture;
  let cloud: CloudFixture;
  let dir: string;
  let shared: string;

  before(async () => {
    f = await testDc();
    cloud = await startCloudFixture();
    dir = mkdtempSync(join(tmpdir(), 'dirsync-two-'));
    const records: LdifRecord[] = [
      ...generateDirectory({ seed: 7, users: 40, baseDn: 'DC=emea,DC=example,DC=com', mailDomain: 'emea.example.com', exportForm: true }),
    ];
    // One person is in both directories' scope (same mail, different object).
    shared = first(
      baseline().find(
        (r) => kindOf(r) === 'user' && !r.attributes.msExchResourceMetaData && first(r, 'mail') && first(r, 'userAccountControl') !== '514',
      )!,
      'mail',
    ) as string;
    const template = records.find((r) => first(r, 'mail') && String(r.dn).includes('OU=People'))!;
    records.push({
      dn: template.dn.replace(/^CN=[^,]+/, 'CN=Shared Person'),
      attributes: { ...template.attributes, mail: [shared], objectGUID: [randomBytes(16)] },
    });
    writeFileSync(join(dir, 'emea.ldif'), LDIF_HEADER + records.map((r) => formatLdifRecord(r)).join('\n'));
  });
  after(async () => cloud?.close());

  it('each config owns only its domain; the shared person is reported; re-planning the first domain changes nothing', async () => {
    const client = cloud.client();
    const corp = writeConfig(
      sambaConfig(f, cloud, { objects: { users: { enabled: true }, rooms: { enabled: true } }, policy: DELETE }),
      dir,
      'corp.dirsync',
    );
    const emea = writeConfig(
      {
        ...sambaConfig(f, cloud, { objects: { users: { enabled: true } }, policy: DELETE }),
        name: 'emea (ldif)',
        directory: { type: 'adds', url: 'ldif:./emea.ldif', baseDns: ['DC=emea,DC=example,DC=com'] },
      },
      dir,
      'emea.dirsync',
    );
    const corp0 = await plan(corp, f);
    assert.ok(corp0.report.summary.added > 1000);
    await createUsers(client, corp0);

    const e = await plan(emea);
    assert.ok(e.report.summary.added >= 30, `emea added ${e.report.summary.added}`);
    assert.equal(e.report.summary.deleted + e.report.summary.mismatched, 0, "corp users are not emea's to delete");
    assert.ok(!e.payload.operations.some((o) => o.kind === 'deleteUser'));
    const s = e.report.items.find((i) => i.userName?.toLowerCase() === shared.toLowerCase())!;
    assert.equal(s.action, 'skip');
    assert.match(s.reason!, /same person is in the scope of two directories/);
    assert.ok(e.report.messages.some((m) => m.dn === s.dn && /two directories/.test(m.message)));
    for (const i of e.report.items.filter((x) => x.category === 'added')) assert.match(i.userName!, /@emea\.example\.com$/);
    await createUsers(client, e);

    const corp1 = await plan(corp, f);
    assert.equal(corp1.payload.operations.length, 0, JSON.stringify(corp1.payload.operations.slice(0, 3)));
    assert.equal(corp1.report.summary.deleted + corp1.report.summary.mismatched, 0);
    assert.ok(!corp1.report.items.some((i) => /@emea\.example\.com$/.test(i.userName ?? '')));
    assert.ok(corp1.report.threshold.owned > 1000 && corp1.report.threshold.owned < corp0.report.summary.added + 100);
  });
});
