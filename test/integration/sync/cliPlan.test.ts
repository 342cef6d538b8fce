/**
 * `dirsync plan` and `dirsync explain` as a user runs them (`node bin/dirsync.js`), on the shipped
 * LDIF sample (sample-configs/demo.dirsync) against a real local cloud: exit codes 0 / 2 / 1, the
 * `--json` report shape, `-o` saved plan and `--html`.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isThumbnailRef, REPORT_CATEGORIES, REPORT_VERSION, thumbnailFileName } from '../../../common/report';
import type { SavedPlan } from '../../../server/src/sync/contract';
import { startCloudFixture, TOKEN, type CloudFixture } from '../../support/cloud';
import { createUsers, dirsync, plan, ROOT } from '../../support/syncEnv';

const LDIF = join(ROOT, 'sample-configs/data/corp.example.com.ldif');

describe('dirsync plan / explain (bin/dirsync.js) on the LDIF sample', function () {
  this.timeout(120_000);
  let cloud: CloudFixture;
  let dir: string;
  const env = { DIRSYNC_CLOUD_TOKEN: TOKEN };

  /** The demo config pointed at this test's cloud; `edit` changes the parsed JSON. */
  function demo(name: string, edit: (c: Record<string, any>) => void = () => undefined): string {
    const text = readFileSync(join(ROOT, 'sample-configs/demo.dirsync'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const c = JSON.parse(text);
    delete c.$schema;
    c.cloud.url = cloud.cloud.baseUrl;
    c.avatar.publish.url = `${cloud.cloud.url}/published`;
    c.directory.url = `ldif:${LDIF}`;
    edit(c);
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(c, null, 2));
    return file;
  }

  before(async () => {
    cloud = await startCloudFixture({ dialect: 'webex' });
    dir = mkdtempSync(join(tmpdir(), 'dirsync-cli-plan-'));
  });
  after(async () => cloud?.close());

  it('changes: exit 2, --json prints the report with a count per category; -o and --html written', async () => {
    const file = demo('demo.dirsync');
    const out = join(dir, 'plan.json');
    const html = join(dir, 'report.html');
    const r = await dirsync(['plan', file, '--json', '-o', out, '--html', html], env);
    assert.equal(r.code, 2, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.format, 'dirsync-report');
    assert.equal(report.version, REPORT_VERSION);
    assert.equal(report.mode, 'dryRun');
    assert.deepEqual(Object.keys(report.summary).sort(), [...REPORT_CATEGORIES].sort());
    assert.ok(report.summary.added > 0 && report.summary.rooms > 0 && report.summary.groups > 0);
    assert.equal(
      report.items.length,
      Object.values(report.summary as Record<string, number>).reduce((a, b) => a + b, 0),
    );
    assert.ok(!r.stdout.includes(TOKEN), 'no secret in the report');
    // Avatars (avatar.enabled, thumbnailPhoto): every in-scope user gets an avatar item; those with
    // a picture are uploads with a hash and a thumbnail (a file beside the saved reports, named by
    // its hash), the others "empty" (no picture in the cloud yet).
    const avatars = report.items.filter((i: { category: string }) => i.category === 'avatars');
    const uploads = avatars.filter((i: { avatar: { status: string } }) => i.avatar.status === 'upload');
    assert.ok(uploads.length > 0 && uploads.length < avatars.length, `${uploads.length} uploads of ${avatars.length}`);
    for (const u of uploads) {
      assert.match(u.avatar.sha256, /^[0-9a-f]{64}$/);
      assert.ok(isThumbnailRef(u.avatar.thumbnail), JSON.stringify(u.avatar.thumbnail));
      assert.ok(existsSync(join(dir, '.dirsync/reports/thumbnails', thumbnailFileName(u.avatar.thumbnail))));
    }
    const saved = JSON.parse(readFileSync(out, 'utf8')) as SavedPlan;
    assert.equal(saved.format, 'dirsync-report');
    assert.equal(saved.plan.version, 1);
    assert.match(saved.plan.basis.configSha256, /^[0-9a-f]{64}$/);
    assert.equal(saved.plan.operations[0]!.opId, 'op-000001');
    assert.equal(saved.plan.operations.filter((o) => o.kind === 'uploadAvatar').length, uploads.length);
    const page = readFileSync(html, 'utf8');
    assert.ok(page.startsWith('<!DOCTYPE html>'));
    // The standalone page stands alone: each distinct thumbnail embedded once.
    const thumbs = new Set(uploads.map((u: { avatar: { thumbnail: { sha256: string } } }) => u.avatar.thumbnail.sha256));
    const embedded = /<script type="application\/json" id="dirsync-report-thumbnails">(.*?)<\/script>/s.exec(page);
    assert.ok(embedded, 'the thumbnails are embedded');
    assert.deepEqual(new Set(Object.keys(JSON.parse(embedded[1]!) as object)), thumbs);
    assert.ok(existsSync(join(dir, '.dirsync/reports/last-dryRun.json')));
  });

  it('the human summary counts work per kind and names the threshold; no changes after the users exist: exit 0', async () => {
    const file = demo('users.dirsync', (c) => {
      c.objects = { users: { enabled: true }, rooms: { enabled: true }, groups: { enabled: false }, contacts: { enabled: false } };
      delete c.attributes.manager;
      c.avatar.enabled = false;
    });
    const first = await dirsync(['plan', file], env);
    assert.equal(first.code, 2, first.stderr);
    assert.match(first.stdout, /^ {2}users +[1-9]\d* +0 +0 +0 +0 +\d+$/m);
    assert.match(first.stdout, /^Plan: create \d+ users and \d+ rooms\.$/m);
    assert.match(first.stdout, /Deletion threshold: 0 deletions of 0 owned cloud objects \(limit count 50, 20 %\): ok/);
    const p = await plan(file);
    await createUsers(cloud.client(), p);
    const second = await dirsync(['plan', file], env);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /No changes/);
  });

  it('a reader that closes the pipe early (plan --json | head -c 10) ends the CLI quietly', async () => {
    const file = demo('pipe.dirsync');
    const child = spawn(process.execPath, [join(ROOT, 'bin/dirsync.js'), 'plan', file, '--json'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader is gone before the first byte: every write of the report meets a closed pipe.
    child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
    assert.equal(stderr, '');
    assert.equal(signal, null);
    assert.equal(code, 2, 'the plan has changes: its exit code, unchanged');
  });

  it('errors exit 1: a config error names file:line:col; a missing token says which', async () => {
    const bad = join(dir, 'bad.dirsync');
    writeFileSync(bad, readFileSync(demo('ok.dirsync'), 'utf8').replace('"mismatched": "delete"', '"mismatched": "purge"'));
    const r = await dirsync(['plan', bad], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.dirsync:\d+:\d+ error DS\d+/);
    const noToken = await dirsync(['plan', demo('ok2.dirsync')], { DIRSYNC_CLOUD_TOKEN: '' });
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /cloud\.token \$\{env:DIRSYNC_CLOUD_TOKEN\} is not set/);
  });

  it('an output that cannot be written names the file or folder in the way and leaves nothing behind: exit 1', async () => {
    const file = demo('outputs.dirsync');
    const folder = join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const r = await dirsync(['plan', file, '-o', folder], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot write the output: .*a-folder is a folder: name a file to write/);
    assert.deepEqual(readdirSync(folder), []);
    assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')), 'no temporary file left');
    const under = await dirsync(['plan', file, '--html', join(file, 'sub', 'report.html')], env);
    assert.equal(under.code, 1);
    assert.ok(under.stderr.includes(`${file} is a file, not a folder`), under.stderr);
  });

  it('explain: a DN and a userName, with selections, mapped values and the decision; unknown exits 1', async () => {
    const file = demo('explain.dirsync');
    const p = await plan(file);
    const added = p.report.items.find((i) => (i.category === 'added' || i.category === 'matched') && i.objectType === 'user' && i.dn)!;
    const r = await dirsync(['explain', file, added.dn!, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const e = JSON.parse(r.stdout);
    assert.equal(e.found, true);
    assert.equal(e.dn, added.dn);
    assert.deepEqual(
      e.selections.find((s: { kind: string }) => s.kind === 'users'),
      { ...e.selections.find((s: { kind: string }) => s.kind === 'users'), enabled: true, underBaseDn: true, filterMatches: true },
    );
    const dn = e.attributes.find((a: { attribute: string }) => a.attribute === 'displayName');
    assert.equal(dn.scimPath, 'displayName');
    assert.equal(dn.changes, added.category === 'added');
    assert.ok(dn.configRef.line > 1);
    assert.deepEqual(e.decision, { ...e.decision, category: added.category, action: added.action });
    const byName = await dirsync(['explain', file, added.userName!], env);
    assert.equal(byName.code, 0, byName.stderr);
    assert.match(byName.stdout, /users +TAKES IT IN/);
    assert.match(byName.stdout, new RegExp(`Decision: ${added.category} / ${added.action}`));
    const none = await dirsync(['explain', file, 'nobody@nowhere.example'], env);
    assert.equal(none.code, 1);
    assert.match(none.stdout, /not found/);
  });

  it('explain: a disabled user shows its userAccountControl value and the account state, as the preview does', async () => {
    const file = demo('explain-disabled.dirsync');
    const r = await dirsync(['explain', file, 'joao.araujo@corp.example.com', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const state = JSON.parse(r.stdout).attributes.find((a: { attribute: string }) => a.attribute === 'ds-pwp-account-disabled');
    // An earlier test created the demo's users (João inactive): nothing to change.
    assert.deepEqual(
      { value: state.value, active: state.active, cloudActive: state.cloudActive, changes: state.changes },
      { value: '514', active: false, cloudActive: false, changes: false },
    );
    const text = await dirsync(['explain', file, 'joao.araujo@corp.example.com'], env);
    assert.match(text.stdout, /ds-pwp-account-disabled ← userAccountControl: "514" \(inactive\)/);
    assert.doesNotMatch(text.stdout, /ds-pwp-account-disabled[^\n]*→ false/);
  });
});
