/**
 * Full and incremental sync against the real Samba AD DC fixture (read-only: the shared DC is
 * never modified) and the local cloud: the state file keeps the DC's highestCommittedUSN, the
 * incremental filter selects by uSNChanged on the real server, and an incremental sync right
 * after a full one has nothing to do.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FILTERS } from '../../../server/src/language/config/defaults';
import { runSync } from '../../../server/src/sync/engine/sync';
import { incrementalFilter, readSyncState } from '../../../server/src/sync/engine/syncState';
import type { SambaFixture } from '../../fixtures/samba';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';
import { connect, testDc } from '../../support/directory';
import { cloudUsers } from '../../support/syncApply';

describe('sync apply: full then incremental against the Samba AD fixture', function () {
  this.timeout(300_000);
  let dc: SambaFixture;
  let cloud: CloudFixture;
  let dir: string;
  let config: string;
  const secrets = (ref: { kind: string; name?: string }) =>
    ref.kind === 'env' && ref.name === 'AD_PASSWORD'
      ? dc.password
      : ref.kind === 'env' && ref.name === 'DIRSYNC_CLOUD_TOKEN'
        ? TOKEN
        : undefined;
  before(async () => {
    dc = await testDc();
    cloud = await startCloudFixture();
    dir = mkdtempSync(join(tmpdir(), 'dirsync-samba-apply-'));
    config = join(dir, 'corp.dirsync');
    writeFileSync(
      config,
      JSON.stringify({
        version: 1,
        directory: { type: 'adds', url: dc.ldapUrl, bindDn: dc.adminDn, password: '${env:AD_PASSWORD}', baseDns: [dc.baseDn] },
        cloud: { type: 'scim', url: cloud.cloud.baseUrl, token: '${env:DIRSYNC_CLOUD_TOKEN}', concurrency: 8 },
        objects: { users: { enabled: true }, groups: { enabled: false }, contacts: { enabled: false }, rooms: { enabled: false } },
        attributes: {
          uid: 'mail',
          displayName: 'displayName',
          givenName: 'givenName',
          sn: 'sn',
          title: 'title',
          'ds-pwp-account-disabled': 'userAccountControl',
          externalId: 'objectGUID',
        },
        policy: { deleteThreshold: { count: 50, percent: 20 }, mismatched: 'retain' },
      }),
    );
  });
  after(async () => {
    await cloud?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the DC's USN mark, selects by uSNChanged on the server, and the next incremental has nothing to do", async () => {
    const full = await runSync({ configFile: config, secrets, mode: 'incremental' }); // no state yet: runs full
    assert.equal(full.failed, 0, JSON.stringify(full.failures.slice(0, 3)));
    assert.equal(full.report.mode, 'full');
    assert.ok(full.applied > 1000, `applied ${full.applied}`);
    assert.equal((await cloudUsers(cloud.client())).size, full.report.summary.added);

    const state = await readSyncState(join(dir, '.dirsync'), config);
    const marks = Object.entries(state?.highWaterMarks ?? {});
    assert.equal(marks.length, 1, JSON.stringify(state));
    const [dcName, mark] = marks[0]!;
    assert.match(mark, /^\d+$/);
    const source = await connect(dc);
    try {
      const dse = await source.rootDse();
      assert.equal(dcName, dse.dnsHostName);
      assert.ok(BigInt(mark) <= BigInt(dse.highestCommittedUSN!), 'the mark was read before the sync');
      const count = (filter: string) => source.count({ baseDns: [dc.baseDn], filter });
      const all = await count(DEFAULT_FILTERS.users);
      assert.equal(await count(incrementalFilter(DEFAULT_FILTERS.users, '0')), all, 'every entry has a uSNChanged');
      assert.ok((await count(incrementalFilter(DEFAULT_FILTERS.users, mark))) < all, 'entries unchanged since the mark are left out');
    } finally {
      await source.close();
    }

    const inc = await runSync({ configFile: config, secrets, mode: 'incremental' });
    assert.equal(inc.report.mode, 'incremental');
    assert.equal(inc.applied + inc.failed, 0);
  });
});
