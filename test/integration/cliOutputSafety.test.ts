/**
 * What the CLI prints is safe for a terminal whatever the directory holds: a displayName and a DN
 * with escape sequences, a C1 control, a bidi override and a line break reach `preview`, `plan`
 * and `explain` as visible escapes (and JSON keeps the exact values). In-process CLI, an LDIF
 * export, the local cloud over HTTP.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../server/src/cli/main';
import { e2eConfig, writeLdif } from '../support/syncCli';
import { startCloudFixture, TOKEN, type CloudFixture } from '../support/cloud';

const EVIL = 'Ada\u001b]0;pwned\u0007\u001b[2J\u001b[31m\u009b1m\u202eLovelace\nFAKE: all good';
/** Any character that steers a terminal, but tab and newline. */
const STEERING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('CLI output: directory values cannot steer the terminal', function () {
  this.timeout(120_000);
  let f: CloudFixture;
  let config: string;
  let dn: string;
  before(async () => {
    f = await startCloudFixture();
    const ldif = join(f.dir, 'corp.ldif');
    await writeLdif(ldif, 3);
    const records = readFileSync(ldif, 'utf8').split('\n\n');
    const i = records.findIndex((r) => /^mail: /m.test(r));
    const cn = 'Evil\u001b[2J One';
    dn = `CN=${cn},OU=People,DC=corp,DC=example,DC=com`;
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    records[i] = records[i]!.replace(/^dn::? .*(\n .*)*$/m, `dn:: ${b64(dn)}`)
      .replace(/^distinguishedName::? .*(\n .*)*$/m, `distinguishedName:: ${b64(dn)}`)
      .replace(/^displayName::? .*$/m, `displayName:: ${b64(EVIL)}`)
      .replace(/^mail: .*$/m, 'mail: evil.one@corp.example.com');
    writeFileSync(ldif, records.join('\n\n'));
    config = join(f.dir, 'corp.dirsync');
    writeFileSync(config, e2eConfig(f.cloud.baseUrl, ldif));
  });
  after(async () => f?.close());

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (b: Buffer) => (out += b.toString()));
    stderr.on('data', (b: Buffer) => (err += b.toString()));
    const env = { DIRSYNC_CLOUD_TOKEN: TOKEN };
    const code = await runCli(args, { stdout, stderr, env, cwd: f.dir, signal: new AbortController().signal });
    return { code, stdout: out, stderr: err };
  }

  it('preview: the values shown as escapes, on their own line; --json keeps them exactly', async () => {
    const text = await cli(['preview', config, '--sample', '5']);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, STEERING);
    assert.match(text.stdout, /Evil\\u001b\[2J One/);
    assert.ok(!text.stdout.split('\n').some((l) => l.startsWith('FAKE')), 'a value cannot start a line of its own');
    const json = await cli(['preview', config, '--sample', '5', '--json']);
    assert.doesNotMatch(json.stdout, STEERING);
    const sample = JSON.parse(json.stdout).selections.find((s: { kind: string }) => s.kind === 'users').sample;
    const evil = sample.find((e: { dn: string }) => e.dn === dn);
    assert.equal(evil.attributes.find((a: { cloud: string }) => a.cloud === 'displayName').value, EVIL);
  });

  it('plan and explain: no steering character reaches stdout or stderr', async () => {
    const plan = await cli(['plan', config]);
    assert.equal(plan.code, 2, plan.stderr);
    const explain = await cli(['explain', config, 'evil.one@corp.example.com']);
    assert.equal(explain.code, 0, explain.stderr);
    // The DN shown escaped; the displayName refused (a mapped value with a control character is invalid).
    assert.match(explain.stdout, /CN=Evil\\u001b\[2J One/);
    assert.match(explain.stdout, /displayName contains the control character U\+001B/);
    for (const out of [plan.stdout, plan.stderr, explain.stdout, explain.stderr]) assert.doesNotMatch(out, STEERING);
    assert.ok(!explain.stdout.split('\n').some((l) => l.startsWith('FAKE')));
  });
});
