/**
 * `dirsync preview` as a user runs it (`node bin/dirsync.js preview …`): on the demo config (the
 * LDIF export) and on a config pointing at the Samba fixture, text and JSON, with the documented
 * exit codes. Expected counts come from the raw LDIF text and from `ldapsearch`, not from dirsync.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FILTERS } from '../../../server/src/language/config/defaults';
import type { PreviewResult } from '../../../common/preview';
import type { SambaFixture } from '../../fixtures/samba';
import { OU, ldapsearch, testDc } from '../../support/directory';
import { ROOT } from '../../support/lspClient';

function dirsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/dirsync.js'), ...args],
      { cwd: ROOT, env: { PATH: process.env['PATH'], ...env } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Counts in the demo export, read from its raw text (records are blank-line separated). */
function ldifCounts(): Record<'users' | 'groups' | 'contacts' | 'rooms', number> {
  const records = readFileSync(join(ROOT, 'sample-configs/data/corp.example.com.ldif'), 'utf8')
    .replace(/\r?\n /g, '')
    .split(/\n\s*\n/);
  const has = (r: string, line: string) => r.split('\n').some((l) => l.toLowerCase() === line.toLowerCase());
  const person = (r: string) => /^objectCategory: CN=Person,/im.test(r);
  return {
    users: records.filter((r) => person(r) && has(r, 'objectClass: user') && !has(r, 'objectClass: computer')).length,
    groups: records.filter((r) => has(r, 'objectClass: group') && !has(r, 'isCriticalSystemObject: TRUE')).length,
    contacts: records.filter((r) => person(r) && has(r, 'objectClass: contact')).length,
    rooms: records.filter((r) => has(r, 'msExchResourceMetaData: ResourceType:Room')).length,
  };
}

describe('dirsync preview (bin/dirsync.js)', () => {
  it('demo config (LDIF export), text: every selection with its count and sample values', async () => {
    const r = await dirsync(['preview', 'sample-configs/demo.dirsync', '--sample', '2']);
    assert.equal(r.code, 0, r.stderr);
    const n = ldifCounts();
    assert.ok(n.users > 40 && n.groups > 5 && n.contacts > 5 && n.rooms > 3, JSON.stringify(n));
    assert.match(r.stdout, /^corp\.example\.com \(demo\) — ldif:\.\/data\/corp\.example\.com\.ldif$/m);
    assert.ok(r.stdout.includes(`users: ${n.users} users match (&(objectCategory=person)`), r.stdout);
    assert.ok(r.stdout.includes(`groups: ${n.groups} groups match`), r.stdout);
    assert.ok(r.stdout.includes(`contacts: ${n.contacts} contacts match`), r.stdout);
    assert.ok(r.stdout.includes(`rooms: ${n.rooms} rooms match`), r.stdout);
    assert.match(r.stdout, /^ {7}externalId +"[0-9a-f]{8}-[0-9a-f]{4}-/m, 'objectGUID as AD shows it');
    assert.match(r.stdout, /^ {7}avatar +thumbnailPhoto/m);
  });

  it('demo config, --json: the documented shape; values match the export', async () => {
    const r = await dirsync(['preview', 'sample-configs/demo.dirsync', '--json', '--sample', '40']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as PreviewResult;
    assert.equal(out.format, 'dirsync-preview');
    assert.equal(out.version, 1);
    assert.deepEqual(out.directory, { url: 'ldif:./data/corp.example.com.ldif', kind: 'ldif' });
    assert.deepEqual(
      out.selections.map((s) => s.kind),
      ['users', 'groups', 'contacts', 'rooms'],
    );
    const n = ldifCounts();
    for (const s of out.selections) {
      assert.equal(s.count, n[s.kind], s.kind);
      assert.equal(s.complete, true);
      assert.equal(s.sample!.length, Math.min(40, n[s.kind]));
    }
    const users = out.selections[0]!;
    const ldif = readFileSync(join(ROOT, 'sample-configs/data/corp.example.com.ldif'), 'utf8');
    const withMail = users.sample!.find((e) => e.attributes.find((a) => a.cloud === 'uid')!.value)!;
    const uid = withMail.attributes.find((a) => a.cloud === 'uid')!;
    assert.equal(uid.scimPath, 'userName');
    assert.equal(uid.expression, 'mail');
    assert.ok(ldif.includes(`mail: ${uid.value}`), uid.value);
    const active = withMail.attributes.find((a) => a.cloud === 'ds-pwp-account-disabled')!;
    assert.equal(typeof active.active, 'boolean');
    const photo = users.sample!.flatMap((e) => (e.avatar?.source === 'attribute' && e.avatar.ok ? [e.avatar] : []))[0];
    assert.ok(photo, 'some sampled user has a thumbnailPhoto');
    assert.deepEqual([photo.format, photo.width, photo.height], ['jpeg', 96, 96]);
    const group = out.selections[1]!.sample!.find((e) => e.name === 'Engineering')!;
    assert.ok(group.members! > 0);
    assert.deepEqual(group.attributes, []);
  });

  describe('against the Samba fixture', () => {
    let f: SambaFixture;
    let dir: string;
    let config: string;
    before(async function () {
      this.timeout(180_000);
      f = await testDc();
      dir = mkdtempSync(join(tmpdir(), 'dirsync-preview-'));
      config = join(dir, 'corp.dirsync');
      writeFileSync(
        config,
        JSON.stringify({
          name: 'corp (fixture)',
          directory: { url: f.ldapUrl, bindDn: f.adminDn, password: '${env:PREVIEW_BIND_PASSWORD}', baseDns: [f.baseDn] },
          objects: {
            users: { enabled: true, baseDns: [OU.people] },
            groups: { enabled: true, baseDns: [OU.groups] },
            rooms: { enabled: true, baseDns: [OU.rooms] },
          },
          attributes: {
            uid: 'mail',
            displayName: 'displayName',
            'ds-pwp-account-disabled': 'userAccountControl',
            externalId: 'objectGUID',
          },
          avatar: { enabled: true, source: 'resourceServer', uriPattern: 'https://photos.corp.example.com/{mail: .*?(?=@.*)}.jpg' },
        }),
      );
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const count = async (base: string, filter: string) =>
      (await ldapsearch(f, ['-b', base, filter, '1.1'])).split('\n').filter((l) => l.startsWith('dn:')).length;

    it("text and JSON: counts equal ldapsearch, sample values are the entries' own", async () => {
      const env = { PREVIEW_BIND_PASSWORD: f.password };
      const text = await dirsync(['preview', config, '--sample', '1'], env);
      assert.equal(text.code, 0, text.stderr);
      const users = await count(OU.people, DEFAULT_FILTERS.users);
      const groups = await count(OU.groups, DEFAULT_FILTERS.groups);
      const rooms = await count(OU.rooms, DEFAULT_FILTERS.rooms);
      assert.ok(text.stdout.includes(`users: ${users.toLocaleString('en-US')} users match`), text.stdout);
      assert.ok(text.stdout.includes(`groups: ${groups} groups match`), text.stdout);
      assert.ok(text.stdout.includes(`rooms: ${rooms} rooms match`), text.stdout);
      assert.match(text.stdout, /^contacts: off \(objects\.contacts\.enabled is false\)$/m);

      const json = await dirsync(['preview', config, '--sample', '3', '--json'], env);
      assert.equal(json.code, 0, json.stderr);
      const out = JSON.parse(json.stdout) as PreviewResult;
      assert.deepEqual(
        out.selections.map((s) => [s.kind, s.count]),
        [
          ['users', users],
          ['groups', groups],
          ['contacts', undefined],
          ['rooms', rooms],
        ],
      );
      for (const e of out.selections[0]!.sample!) {
        const mail = (await ldapsearch(f, ['-b', e.dn, '-s', 'base', '(objectClass=*)', 'mail'])).match(/^mail: (.*)$/m)?.[1] ?? '';
        assert.equal(e.attributes.find((a) => a.cloud === 'uid')!.value, mail);
        if (mail)
          assert.deepEqual(e.avatar, {
            source: 'resourceServer',
            ok: true,
            url: `https://photos.corp.example.com/${encodeURIComponent(mail.split('@')[0]!)}.jpg`,
          });
      }
      assert.ok(!json.stdout.includes(f.password) && !text.stdout.includes(f.password));
    });

    it('exit 1 with a clear message: password not set, wrong password, a base DN that does not exist', async () => {
      const unset = await dirsync(['preview', config]);
      assert.equal(unset.code, 1);
      assert.match(unset.stderr, /\$\{env:PREVIEW_BIND_PASSWORD\} resolves to nothing/);
      const wrong = await dirsync(['preview', config], { PREVIEW_BIND_PASSWORD: 'Wrong-Pa55-§' });
      assert.equal(wrong.code, 1);
      assert.ok(wrong.stderr.includes(f.ldapUrl) && wrong.stderr.includes(f.adminDn), wrong.stderr);
      assert.match(wrong.stderr, /invalid credentials/);
      assert.ok(!wrong.stderr.includes('Wrong-Pa55-§'));
      const missing = join(dir, 'missing.dirsync');
      writeFileSync(missing, readFileSync(config, 'utf8').replace(OU.groups, `OU=Nowhere,${f.baseDn}`));
      const r = await dirsync(['preview', missing, '--sample', '0'], { PREVIEW_BIND_PASSWORD: f.password });
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^groups: ERROR .*OU=Nowhere/m);
      assert.match(r.stdout, /^users: [\d,]+ users match/m, 'the other selections are still previewed');
    });
  });

  it('usage errors and configs with errors exit 1', async () => {
    assert.equal((await dirsync(['preview'])).code, 1);
    assert.match((await dirsync(['preview', 'sample-configs/demo.dirsync', '--sample', 'x'])).stderr, /--sample must be a whole number/);
    const r = await dirsync(['preview', 'sample-configs/invalid/structure.dirsync']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error DS1\d\d/);
  });
});
