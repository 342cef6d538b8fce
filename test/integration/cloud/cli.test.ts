/** `dirsync cloud` from the built CLI (dist/), as a user or a script starts it. */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createScimClient, scimFilter as f } from '../../../server/src/cloud/index';
import { TOKEN, user } from '../../support/cloud';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'dirsync.js');

interface Running {
  child: ChildProcess;
  baseUrl: string;
  lines: string[];
  /** Resolves once stdout has produced `n` lines (event-driven, no polling). */
  lineCount(n: number): Promise<void>;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Starts the CLI and resolves with the URL it prints on its first stdout line. */
function startCli(args: string[], env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'cloud', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines: string[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const lineCount = (n: number): Promise<void> =>
    lines.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }));
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (lines.length >= w.n) w.resolve();
        else waiters.push(w);
      }
      const m = /^Local cloud listening on (http:\/\/127\.0\.0\.1:\d+\/identity\/scim\/[^/]+\/v2)$/.exec(line);
      if (lines.length === 1) {
        if (m) resolve({ child, baseUrl: m[1]!, lines, lineCount, stderr: () => err, exit });
        else reject(new Error(`unexpected first line: ${line}`));
      }
    });
    void exit.then((code) => reject(new Error(`dirsync cloud exited with ${code} before listening: ${err}`)));
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'cloud', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('dirsync cloud (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
    if (!('DIRSYNC_CLOUD_TOKEN' in extra)) e['DIRSYNC_CLOUD_TOKEN'] = TOKEN;
    return e;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-cloud-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start without DIRSYNC_CLOUD_TOKEN, saying why', async () => {
    const e = env({ DIRSYNC_CLOUD_TOKEN: '' });
    const r = await run(['--port', '0', '--db', join(dir, 'x.db')], e);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /DIRSYNC_CLOUD_TOKEN is not set/);
    assert.equal(r.stdout, '');
  });

  it('refuses a bad port and a missing --db with usage', async () => {
    const bad = await run(['--port', 'eighty', '--db', join(dir, 'x.db')], env());
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--port must be a port number/);
    const noDb = await run(['--port', '0'], env());
    assert.equal(noDb.code, 1);
    assert.match(noDb.stderr, /--db <file> is required[\s\S]*Usage: dirsync cloud/);
    const dialect = await run(['--port', '0', '--db', join(dir, 'x.db'), '--dialect', 'azure'], env());
    assert.equal(dialect.code, 1);
    assert.match(dialect.stderr, /--dialect must be webex or scim/);
    const retire = await run(['--port', '0', '--db', join(dir, 'x.db'), '--retire-starting-refresh-token'], env());
    assert.equal(retire.code, 1);
    assert.match(retire.stderr, /--retire-starting-refresh-token needs the token endpoint: set DIRSYNC_CLOUD_CLIENT_ID/);
  });

  it('serves SCIM on the printed URL, logs requests, keeps data in the database, and stops on SIGTERM', async () => {
    const db = join(dir, 'cloud.db');
    const first = await startCli(['--port', '0', '--db', db, '--org', 'org-cli', '--log', '--dialect', 'scim'], env());
    assert.match(first.baseUrl, /\/identity\/scim\/org-cli\/v2$/);
    const client = createScimClient({ baseUrl: first.baseUrl, token: TOKEN, sessionId: 'cli' });
    const created = await client.users.create(user('cli@example.com', { externalId: 'guid-cli' }));
    await client.close();
    // --log: one JSON line per request after the URL line.
    await first.lineCount(2);
    const logged = JSON.parse(first.lines[1]!) as { method: string; status: number; trackingId: string };
    assert.deepEqual([logged.method, logged.status], ['POST', 201]);
    assert.match(logged.trackingId, /^DIRSYNC_cli_1$/);

    assert.ok(first.child.kill('SIGTERM'));
    assert.equal(await first.exit, 0);
    assert.match(first.stderr(), /local cloud stopped/);

    // Same database again: the user is still there, under the same org.
    const second = await startCli(['--port', '0', '--db', db, '--dialect', 'scim'], env());
    assert.match(second.baseUrl, /\/identity\/scim\/org-cli\/v2$/);
    const again = createScimClient({ baseUrl: second.baseUrl, token: TOKEN });
    const found = await again.users.find(f.eq('externalId', 'guid-cli'));
    assert.equal(found?.id, created.id);
    await again.close();
    second.child.kill('SIGTERM');
    assert.equal(await second.exit, 0);
  });

  it('says so when the port is taken', async () => {
    const db = join(dir, 'busy.db');
    const holder = await startCli(['--port', '0', '--db', db, '--dialect', 'scim'], env());
    const port = new URL(holder.baseUrl).port;
    const r = await run(['--port', port, '--db', join(dir, 'other.db')], env());
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    holder.child.kill('SIGTERM');
    assert.equal(await holder.exit, 0);
  });

  it('refuses to serve a database under another org', async () => {
    const r = await run(['--port', '0', '--db', join(dir, 'cloud.db'), '--org', 'someone-else'], env());
    assert.equal(r.code, 1);
    assert.match(r.stderr, /holds org org-cli, not someone-else/);
  });
});
