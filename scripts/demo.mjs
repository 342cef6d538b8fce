#!/usr/bin/env node
// `npm run demo`: the whole product on a fresh clone, with no AD and no cloud account.
//
//   1. starts the local cloud (127.0.0.1, a free port, a new SQLite file in a temp folder);
//   2. copies sample-configs/demo.dirsync (cloud.type "webex") and its LDIF export there, pointing
//      cloud.url and avatar.publish.url (the local cloud's /published/) at it;
//   3. `dirsync plan` (dry run): the report summary, the saved plan and a standalone HTML report;
//   4. `dirsync apply plan.json`: applies exactly the reviewed plan;
//   5. `dirsync plan` again: 0 changes (exit 0);
//   6. stops the cloud. The temp folder (report, plan, journal, database) is kept and printed.
//
// Exit 0 when every step did what it should, 1 otherwise.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'dirsync.js');
if (!existsSync(join(root, 'dist', 'cli.js'))) {
  console.error('dist/ is missing: run `npm ci` (or `npm run build`) first.');
  process.exit(1);
}
const token = process.env.DIRSYNC_CLOUD_TOKEN || randomBytes(16).toString('hex');
const env = { ...process.env, DIRSYNC_CLOUD_TOKEN: token };
const work = mkdtempSync(join(tmpdir(), 'dirsync-demo-'));
const say = (s = '') => process.stdout.write(s + '\n');
const step = (s) => say(`\n\x1b[1m== ${s}\x1b[0m`);

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: work, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      process.stdout.write(c);
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}

function startCloud() {
  const child = spawn(process.execPath, [bin, 'cloud', '--port', '0', '--db', join(work, 'cloud.db'), '--org', 'demo-org'], {
    cwd: work,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (line) => {
      const m = /^Local cloud listening on (http:\/\/127\.0\.0\.1:\d+\/identity\/scim\/[^/]+\/v2)$/.exec(line);
      if (m) resolve({ child, baseUrl: m[1], exited });
      else reject(new Error(`unexpected output from dirsync cloud: ${line}`));
    });
    void exited.then((code) => reject(new Error(`dirsync cloud exited with ${code}: ${err}`)));
  });
}

let cloud;
let ok = false;
try {
  step("Starting the local cloud (a double of Webex's SCIM 2.0 and contacts APIs, SQLite)");
  cloud = await startCloud();
  say(`listening on ${cloud.baseUrl}`);

  cpSync(join(root, 'sample-configs', 'data'), join(work, 'data'), { recursive: true });
  const config = join(work, 'demo.dirsync');
  const text = readFileSync(join(root, 'sample-configs', 'demo.dirsync'), 'utf8');
  writeFileSync(config, text.replaceAll('http://127.0.0.1:8787', new URL(cloud.baseUrl).origin));
  say(`config: ${config} (sample-configs/demo.dirsync, an LDIF export of corp.example.com)`);

  step('dirsync plan demo.dirsync -o plan.json --html report.html   (dry run: nothing written)');
  const plan = await run(['plan', 'demo.dirsync', '-o', 'plan.json', '--html', 'report.html']);
  if (plan.code !== 2) throw new Error(`dirsync plan exited ${plan.code}, expected 2 (changes)`);
  say(`\nHTML report: ${join(work, 'report.html')} (open it in a browser)`);
  say(`Saved plan:  ${join(work, 'plan.json')}`);

  step('dirsync apply plan.json   (applies exactly the reviewed plan)');
  const apply = await run(['apply', 'plan.json']);
  if (apply.code !== 2) throw new Error(`dirsync apply exited ${apply.code}, expected 2 (changes applied)`);

  step('dirsync plan demo.dirsync   (again: the cloud now matches the directory)');
  const again = await run(['plan', 'demo.dirsync']);
  if (again.code !== 0) throw new Error(`the second dirsync plan exited ${again.code}, expected 0 (no changes)`);
  ok = true;
} catch (err) {
  console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  if (cloud) {
    step('Stopping the local cloud');
    cloud.child.kill('SIGTERM');
    await cloud.exited;
  }
  say(`Demo files (report, plan, journal under .dirsync/, database): ${work}`);
}
process.exit(ok ? 0 : 1);
