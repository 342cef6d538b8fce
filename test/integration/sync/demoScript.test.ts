/**
 * `npm run demo` as a user runs it on a fresh clone (scripts/demo.mjs: the local cloud, plan →
 * apply → plan of sample-configs/demo.dirsync): exit 0, every kind created, the second plan with
 * nothing to do, and nothing on stderr — no Node warning, no stack — since users read all of it.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../support/syncEnv';

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run demo (scripts/demo.mjs)', function () {
  this.timeout(180_000);

  it('plans, applies and plans again with nothing to do, exit 0, and writes nothing to stderr', async () => {
    const { code, stdout, stderr } = await runDemo();
    const work = /Demo files \(.*\): (\S+)/.exec(stdout)?.[1];
    if (work) rmSync(work, { recursive: true, force: true });
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /Plan: create 41 users, 6 rooms, 18 groups and 12 contacts; upload 13 pictures\./);
    assert.match(stdout, /Applied: created 41 users, 6 rooms, 18 groups and 12 contacts; uploaded 13 pictures/);
    assert.match(stdout, /No changes: the cloud matches the directory\./);
    assert.equal(stderr, '', 'stderr');
  });
});
