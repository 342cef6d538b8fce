/** Sealed secrets between client and server; the last dry run's counts from report files. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countsFromReport, reportFolderDryRuns } from '../../../server/src/live/lastDryRun';
import { clientSecretResolver } from '../../../server/src/live/secrets';
import { createSecretOpener, sealSecret } from '../../../common/secretBox';
import type { SyncReport } from '../../../common/report';

describe('protocol/secretBox and live/secrets', () => {
  it('round-trips a secret sealed to the server key; the sealed form does not contain it', () => {
    const opener = createSecretOpener();
    const sealed = sealSecret('Pä55-wörd!', opener.publicKey, '${secret:bind}');
    assert.ok(!JSON.stringify(sealed).includes('Pä55'));
    assert.equal(opener.open(sealed, '${secret:bind}'), 'Pä55-wörd!');
  });

  it('refuses an answer for another reference or another key', () => {
    const opener = createSecretOpener();
    const sealed = sealSecret('x', opener.publicKey, '${secret:a}');
    assert.throws(() => opener.open(sealed, '${secret:b}'));
    assert.throws(() => createSecretOpener().open(sealed, '${secret:a}'));
  });

  it('asks the client; an editor without the request falls back to the server environment', async () => {
    const viaClient = clientSecretResolver(async (_m, p) => sealSecret('from-client', p.publicKey, p.ref.text), {});
    assert.equal(await viaClient('file:///a', { kind: 'secret', key: 'k', text: '${secret:k}' }, 'directory.password'), 'from-client');
    const notSet = clientSecretResolver(async () => null, { K: 'env' });
    assert.equal(await notSet('file:///a', { kind: 'env', name: 'K', text: '${env:K}' }, 'x'), undefined, 'the client is authoritative');
    const noClient = clientSecretResolver(
      async () => {
        throw new Error('Unhandled method dirsync/resolveSecret');
      },
      { DIRSYNC_SECRET_BIND_PW: 'env-value' },
    );
    assert.equal(await noClient('file:///a', { kind: 'secret', key: 'bind-pw', text: '${secret:bind-pw}' }, 'x'), 'env-value');
  });
});

describe('live/lastDryRun', () => {
  const report = (file: string, at: string, items: Array<{ objectType: string; dn?: string; category?: string }>) => ({
    format: 'dirsync-report',
    version: 1,
    sessionId: at,
    generatedAt: at,
    mode: 'dryRun',
    config: { file, sha256: '' },
    items: items.map((x, i) => ({ id: String(i), action: 'none', category: x.category ?? 'matched', ...x })),
    summary: {},
    messages: [],
  });

  it('counts directory objects per selection: items with a DN, each once', () => {
    const r = report('c.dirsync', 't', [
      { objectType: 'user', dn: 'CN=a,DC=x' },
      { objectType: 'user', dn: 'cn=A,DC=x', category: 'avatars' },
      { objectType: 'user', category: 'mismatched' },
      { objectType: 'room', dn: 'CN=r,DC=x' },
      { objectType: 'group', dn: 'CN=g,DC=x' },
      { objectType: 'contact', dn: 'CN=c,DC=x' },
    ]) as unknown as SyncReport;
    assert.deepEqual(countsFromReport(r), { users: 1, rooms: 1, groups: 1, contacts: 1 });
  });

  it('reads the newest dry run of that config from the folder, ignoring other files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dirsync-dry-'));
    try {
      const reports = join(dir, 'reports');
      mkdirSync(reports);
      writeFileSync(
        join(reports, 'old.json'),
        JSON.stringify(report('corp.dirsync', '2026-01-01T00:00:00Z', [{ objectType: 'user', dn: 'CN=a' }])),
      );
      writeFileSync(
        join(reports, 'new.json'),
        JSON.stringify(
          report('corp.dirsync', '2026-02-01T00:00:00Z', [
            { objectType: 'user', dn: 'CN=a' },
            { objectType: 'user', dn: 'CN=b' },
          ]),
        ),
      );
      writeFileSync(join(reports, 'other.json'), JSON.stringify(report('other.dirsync', '2026-03-01T00:00:00Z', [])));
      writeFileSync(join(reports, 'broken.json'), '{');
      writeFileSync(join(reports, 'sync.json'), JSON.stringify({ ...report('corp.dirsync', '2026-04-01T00:00:00Z', []), mode: 'full' }));
      const provider = reportFolderDryRuns(() => [reports, join(dir, 'missing')]);
      assert.deepEqual(await provider.countsFor(join(dir, 'corp.dirsync')), { counts: { users: 2 }, at: '2026-02-01T00:00:00Z' });
      assert.equal(await provider.countsFor(join(dir, 'none.dirsync')), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
