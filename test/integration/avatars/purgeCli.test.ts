/**
 * `dirsync purge-avatars` as a user runs it (`node bin/dirsync.js`), on the sample LDIF export and
 * the local cloud: the plan (exit 2, who and why), `--json`, `--apply` with the seed's event lines,
 * an idempotent re-run (exit 0), and errors (exit 1).
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { avatarStateKey } from '../../../server/src/avatars/changes';
import { LdifSource } from '../../../server/src/directory/ldifSource';
import { toHex } from '../../../server/src/domain/adValues';
import { firstText, type DirectoryEntry } from '../../../server/src/domain/entry';
import type { SyncReport } from '../../../common/report';
import { avatarStatePath } from '../../../server/src/sync/avatars/stateFile';
import { jpegBytes } from '../../support/avatarImages';
import { all } from '../../support/directory';
import { startCloudFixture, TOKEN, user, type CloudFixture } from '../../support/cloud';

const ROOT = join(__dirname, '../../..');
const LDIF = join(ROOT, 'sample-configs/data/corp.example.com.ldif');
const BASE = 'OU=Corp,DC=corp,DC=example,DC=com';

function dirsync(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/dirsync.js'), ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

function configText(cloudUrl: string): string {
  return `// purge-avatars test
{
  "name": "purge test",
  "directory": { "url": "ldif:./data/corp.ldif", "baseDns": ["${BASE}"] },
  "cloud": { "type": "scim", "url": "${cloudUrl}", "token": "\${env:DIRSYNC_CLOUD_TOKEN}" },
  "attributes": { "uid": "mail", "displayName": "displayName", "externalId": "objectGUID" },
  "avatar": { "enabled": true, "source": "attribute", "attribute": "thumbnailPhoto" },
  "policy": { "deleteThreshold": { "count": 50, "percent": 10 } }
}
`;
}

describe('dirsync purge-avatars (bin/dirsync.js) on the sample export and the local cloud', function () {
  this.timeout(120_000);
  let cloud: CloudFixture;
  let dir: string;
  let configFile: string;
  let withPhoto: DirectoryEntry[];
  let withoutPhoto: DirectoryEntry[];
  const cloudIds = new Map<string, string>();
  const env = { DIRSYNC_CLOUD_TOKEN: TOKEN };

  before(async () => {
    assert.ok(existsSync(join(ROOT, 'dist/cli.js')), 'npm run build first');
    cloud = await startCloudFixture();
    dir = mkdtempSync(join(tmpdir(), 'dirsync-purge-'));
    mkdirSync(join(dir, 'data'));
    copyFileSync(LDIF, join(dir, 'data/corp.ldif'));
    configFile = join(dir, 'purge.dirsync');
    writeFileSync(configFile, configText(cloud.cloud.baseUrl));
    const ldif = await LdifSource.open({ path: LDIF });
    const users = (
      await all(
        ldif.search({ baseDns: [BASE], filter: '(&(objectCategory=person)(objectClass=user)(!(objectClass=computer)))', attributes: [] }),
      )
    ).filter((u) => firstText(u, 'mail'));
    await ldif.close();
    withPhoto = users.filter((u) => u.attributes['thumbnailphoto']).slice(0, 2);
    withoutPhoto = users.filter((u) => !u.attributes['thumbnailphoto']).slice(0, 4);
    assert.equal(withPhoto.length, 2);
    assert.equal(withoutPhoto.length, 4);
    // In the cloud: every one of them, with a picture — except the last user without a photo in AD,
    // whom the purge has nothing to do for. Half are matched by externalId, half only by userName.
    const client = cloud.client();
    for (const [i, u] of [...withPhoto, ...withoutPhoto].entries()) {
      const mail = firstText(u, 'mail')!;
      const created = await client.users.create(user(mail, i % 2 ? {} : { externalId: avatarStateKey(u) }));
      cloudIds.set(u.dn, created.id!);
      if (u !== withoutPhoto[3]) await client.users.putAvatar(created.id!, jpegBytes(32, 32, { seed: i }), 'image/jpeg');
    }
  });
  after(async () => {
    await cloud?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const hasAvatar = async (u: DirectoryEntry) => (await cloud.client().users.getAvatar(cloudIds.get(u.dn)!)) !== undefined;
  const toPurge = () => withoutPhoto.slice(0, 3);

  it('prints the plan (who, why) and exits 2; nothing is written', async () => {
    const r = await dirsync(['purge-avatars', configFile], env);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /3 pictures to remove:/);
    for (const u of toPurge())
      assert.match(
        r.stdout,
        new RegExp(
          `remove avatar  ${firstText(u, 'mail')!.replace(/\./g, '\\.')}  ${u.dn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  Reason: No image data`,
        ),
      );
    for (const u of [...withPhoto, withoutPhoto[3]!]) assert.ok(!r.stdout.includes(u.dn), `${u.dn} is not in the plan`);
    for (const u of [...withPhoto, ...toPurge()]) assert.equal(await hasAvatar(u), true);
  });

  it('--json prints the report: mode purgeAvatars, category avatars, "No image data"', async () => {
    const r = await dirsync(['purge-avatars', '--json', configFile], env);
    assert.equal(r.code, 2, r.stderr);
    const report = JSON.parse(r.stdout) as SyncReport;
    assert.equal(report.mode, 'purgeAvatars');
    assert.equal(report.summary.avatars, 3);
    assert.deepEqual(
      report.items.map((i) => i.dn).sort(),
      toPurge()
        .map((u) => u.dn)
        .sort(),
    );
    for (const i of report.items) {
      assert.equal(i.category, 'avatars');
      assert.equal(i.action, 'avatarRemove');
      assert.equal(i.avatar?.status, 'remove');
      assert.match(i.avatar?.reason ?? '', /^No image data/);
      assert.equal(i.cloudId, cloudIds.get(i.dn!));
    }
    assert.ok(!r.stdout.includes(TOKEN));
  });

  it('--apply removes the pictures, prints the two event lines per user, and a re-run finds nothing (exit 0)', async () => {
    const r = await dirsync(['purge-avatars', '--apply', configFile], env);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /Applied: 3 removed, 0 failed, 0 skipped/);
    for (const u of toPurge()) {
      const guid = toHex(u.attributes['objectguid']![0] as Uint8Array);
      const sid = toHex(u.attributes['objectsid']![0] as Uint8Array);
      const ext = `<GUID=${guid}>;<SID=${sid}>;${u.dn}`;
      assert.ok(
        r.stdout.includes(`] Avatar Plugin: detected deleteAvatar flag, will delete avatar in cloud. DN:${ext} Reason:No Image Data\n`),
        r.stdout,
      );
      assert.ok(r.stdout.includes(`] Avatar Plugin: No image data for AD entry '${ext}'\n`), r.stdout);
      assert.equal(await hasAvatar(u), false, u.dn);
    }
    for (const u of withPhoto) assert.equal(await hasAvatar(u), true, `${u.dn} keeps its picture`);
    // The state file exists only if something was recorded; a purge only drops records.
    assert.equal(existsSync(avatarStatePath(join(dir, '.dirsync'))), false);

    const again = await dirsync(['purge-avatars', '--apply', configFile], env);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /Nothing to purge/);
    assert.doesNotMatch(again.stdout, /Avatar Plugin/);
  });

  it('exits 1 with a clear message: token not set, config error (file:line:col), usage', async () => {
    const noToken = await dirsync(['purge-avatars', configFile], { DIRSYNC_CLOUD_TOKEN: undefined });
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /cloud\.token: \$\{env:DIRSYNC_CLOUD_TOKEN\} is not set/);
    const bad = join(dir, 'bad.dirsync');
    writeFileSync(bad, readFileSync(configFile, 'utf8').replace('"source": "attribute"', '"source": "camera"'));
    const r = await dirsync(['purge-avatars', bad], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.dirsync:\d+:\d+ error DS\d+/);
    const usage = await dirsync(['purge-avatars'], env);
    assert.equal(usage.code, 1);
    assert.match(usage.stderr, /Usage: dirsync purge-avatars/);
  });
});
