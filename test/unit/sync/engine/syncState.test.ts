/** The sync state file and the choice between incremental and full. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../../server/src/language/service';
import { decideMode, incrementalFilter, readSyncState, settingsHash, writeSyncState } from '../../../../server/src/sync/engine/syncState';

const base = {
  version: 1,
  directory: {
    type: 'adds',
    url: 'ldaps://dc1.corp.example.com',
    baseDns: ['DC=corp,DC=example,DC=com'],
    bindDn: 'CN=svc,DC=corp,DC=example,DC=com',
    password: '${env:BIND}',
  },
  cloud: { type: 'scim', url: 'http://127.0.0.1:1/identity/scim/o/v2', token: '${env:T}' },
  objects: { users: { enabled: true } },
  attributes: { uid: 'mail', displayName: 'displayName', externalId: 'objectGUID' },
  policy: { deleteThreshold: { count: 10 } },
};
const config = (patch: Record<string, unknown> = {}) => analyze(JSON.stringify({ ...base, ...patch })).config;

describe('sync state', () => {
  it('the settings hash changes with mapping, filter, base DNs and avatar settings, not with cloud or policy', () => {
    const h = settingsHash(config());
    assert.equal(settingsHash(config()), h);
    assert.notEqual(
      settingsHash(config({ attributes: { uid: 'userPrincipalName', displayName: 'displayName', externalId: 'objectGUID' } })),
      h,
    );
    assert.notEqual(settingsHash(config({ objects: { users: { enabled: true, filter: '(objectClass=user)' } } })), h);
    assert.notEqual(settingsHash(config({ directory: { ...base.directory, baseDns: ['OU=People,DC=corp,DC=example,DC=com'] } })), h);
    assert.notEqual(settingsHash(config({ avatar: { enabled: true, source: 'attribute', attribute: 'thumbnailPhoto' } })), h);
    assert.equal(settingsHash(config({ policy: { deleteThreshold: { count: 99 } }, cloud: { ...base.cloud, concurrency: 8 } })), h);
  });

  it('decides: no state → full; changed settings → full; a USN mark → incremental from it; none → full comparison', () => {
    const c = config();
    const state = { version: 1 as const, config: '/c', settingsHash: settingsHash(c), highWaterMarks: { 'dc1.corp.example.com': '12345' } };
    assert.equal(decideMode('full', c, state, 'dc1.corp.example.com').mode, 'full');
    assert.match(decideMode('incremental', c, undefined, 'dc1').reason!, /no earlier successful sync/);
    const changed = decideMode(
      'incremental',
      config({ attributes: { uid: 'upn', externalId: 'objectGUID' } }),
      state,
      'dc1.corp.example.com',
    );
    assert.equal(changed.mode, 'full');
    assert.match(changed.reason!, /mapping, base DNs, filters or avatar settings changed/);
    assert.deepEqual(decideMode('incremental', c, state, 'dc1.corp.example.com'), { mode: 'incremental', sinceUsn: '12345' });
    const ldif = decideMode('incremental', c, state, undefined);
    assert.equal(ldif.mode, 'incremental');
    assert.equal(ldif.sinceUsn, undefined);
    assert.match(ldif.reason!, /full comparison/);
  });

  it('incrementalFilter asks for uSNChanged above the mark (LDAP has only >=)', () => {
    assert.equal(incrementalFilter('(objectClass=user)', '12345'), '(&(objectClass=user)(uSNChanged>=12346))');
    assert.equal(incrementalFilter('objectClass=user', '99999999999999999999'), '(&(objectClass=user)(uSNChanged>=100000000000000000000))');
  });

  it('writes the state file atomically and reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dirsync-state-'));
    try {
      assert.equal(await readSyncState(dir, '/x/corp.dirsync'), undefined);
      const s = {
        version: 1 as const,
        config: '/x/corp.dirsync',
        settingsHash: 'h',
        highWaterMarks: { dc1: '7' },
        lastFullSync: '2026-11-23T00:00:00.000Z',
      };
      await writeSyncState(dir, '/x/corp.dirsync', s);
      assert.deepEqual(await readSyncState(dir, '/x/corp.dirsync'), s);
      assert.equal(await readSyncState(dir, '/y/corp.dirsync'), undefined, 'another config with the same name has its own file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
