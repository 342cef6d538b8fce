/**
 * Counts that mean work, end to end on the demo (sample-configs/demo.dirsync, its LDIF export)
 * against a real local cloud, through the built CLI: `dirsync plan` says what it will create,
 * `dirsync apply` says what it did (counted from the operations that completed), the second plan
 * says "No changes" with no work count above zero, and a fresh copy of the synced folder (no
 * `.dirsync/state`) plans no picture work: the cloud's picture URLs name their content.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANGE_ACTIONS, WORK_KINDS, totalWork, type WorkSummary } from '../../../common/work';
import { REPORT_VERSION } from '../../../common/report';
import type { SavedPlan } from '../../../server/src/sync/contract';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';
import { dirsync, ROOT } from '../../support/syncEnv';

const LDIF = join(ROOT, 'sample-configs/data/corp.example.com.ldif');

/** The rows of the work table whose create/update/deactivate/delete columns are not all zero. */
function rowsWithWork(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => /^ {2}(users|rooms|groups|contacts|pictures) /.test(l))
    .filter((l) =>
      l
        .trim()
        .split(/\s+/)
        .slice(1, 5)
        .some((n) => n !== '0'),
    );
}

describe('dirsync plan / apply: counts that mean work, on the demo', function () {
  this.timeout(180_000);
  let cloud: CloudFixture;
  let dir: string;
  const env = { DIRSYNC_CLOUD_TOKEN: TOKEN };

  /** The demo config, pointed at this test's cloud, in `folder`. */
  function demo(folder: string): string {
    const text = readFileSync(join(ROOT, 'sample-configs/demo.dirsync'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const c = JSON.parse(text);
    delete c.$schema;
    c.cloud.url = cloud.cloud.baseUrl;
    c.avatar.publish.url = `${cloud.cloud.url}/published`;
    c.directory.url = `ldif:${LDIF}`;
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'demo.dirsync');
    writeFileSync(file, JSON.stringify(c, null, 2));
    return file;
  }

  before(async () => {
    cloud = await startCloudFixture({ dialect: 'webex' });
    dir = mkdtempSync(join(tmpdir(), 'dirsync-cli-work-'));
  });
  after(async () => cloud?.close());

  it('plan, apply, plan again, and plan from a fresh copy of the folder', async () => {
    const file = demo(join(dir, 'synced'));
    const planFile = join(dir, 'synced', 'plan.json');

    // 1. The plan: work per kind, the objects listed, the verdict in work.
    const first = await dirsync(['plan', file, '-o', planFile], env);
    assert.equal(first.code, 2, first.stderr);
    const saved = JSON.parse(readFileSync(planFile, 'utf8')) as SavedPlan;
    assert.equal(saved.version, REPORT_VERSION);
    const work = saved.work;
    const uploads = saved.plan.operations.filter((o) => o.kind === 'uploadAvatar').length;
    assert.ok(uploads > 0);
    assert.equal(work.pictures.create, uploads, 'pictures to upload = upload operations');
    assert.equal(work.users.create, saved.summary.added);
    assert.equal(work.rooms.create, saved.summary.rooms);
    assert.ok(work.contacts.create > 0);
    assert.equal(work.contacts.create, saved.summary.contacts, 'AD contacts become Webex org contacts');
    assert.equal(saved.plan.operations.filter((o) => o.kind === 'createContact').length, work.contacts.create);
    assert.ok(
      first.stdout.includes(
        `Plan: create ${work.users.create} users, ${work.rooms.create} rooms, ${work.groups.create} groups and ${work.contacts.create} contacts; upload ${uploads} pictures.`,
      ),
      first.stdout,
    );
    assert.match(first.stdout, /^Users to create \(\d+\):$/m);
    assert.match(first.stdout, /^ {2}\+ CN=.*,DC=corp,DC=example,DC=com \(.+@corp\.example\.com\)$/m);
    assert.match(first.stdout, /^ {2}… and \d+ more/m, 'bounded by the default limit');
    assert.doesNotMatch(first.stdout, /\x1b\[/, 'no colour when stdout is not a terminal');
    const all = await dirsync(['plan', file, '--all'], env);
    assert.equal((all.stdout.match(/^ {2}\+ /gm) ?? []).length, totalWork(work));
    const none = await dirsync(['plan', file, '--limit', '0'], env);
    assert.doesNotMatch(none.stdout, /^ {2}\+ /m);

    // 2. The apply says what it did, counted from what ran.
    const apply = await dirsync(['apply', planFile], env);
    assert.equal(apply.code, 2, apply.stderr + apply.stdout);
    assert.match(
      apply.stdout,
      new RegExp(
        `^Applied: created ${work.users.create} users, ${work.rooms.create} rooms, ${work.groups.create} groups and ${work.contacts.create} contacts; uploaded ${uploads} pictures \\(`,
      ),
    );

    // 3. The second plan: "No changes", and no work count above zero.
    const again = await dirsync(['plan', file], env);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /^No changes: the cloud matches the directory\.$/m);
    assert.deepEqual(rowsWithWork(again.stdout), []);
    assert.doesNotMatch(again.stdout, /^Plan:/m);
    const json = JSON.parse((await dirsync(['plan', file, '--json'], env)).stdout) as { work: WorkSummary };
    assert.equal(totalWork(json.work), 0);
    assert.equal(json.work.pictures.unchanged + json.work.pictures.skipped, saved.summary.avatars);

    assert.equal(cloud.cloud.admin.stats().contacts, work.contacts.create);

    // 4. A fresh copy of the synced folder (no .dirsync/state): the cloud's picture URLs decide,
    // and the org contacts are matched by email.
    const fresh = demo(join(dir, 'fresh'));
    const copy = await dirsync(['plan', fresh, '--json'], env);
    assert.equal(copy.code, 0, copy.stdout.slice(0, 2000) + copy.stderr);
    const copyReport = JSON.parse(copy.stdout) as { work: WorkSummary; items: Array<{ action: string }> };
    for (const k of WORK_KINDS) for (const a of CHANGE_ACTIONS) assert.equal(copyReport.work[k][a], 0, `${k} ${a}`);
    assert.ok(!copyReport.items.some((i) => i.action === 'avatarUpload'), 'no picture to upload');
  });
});
