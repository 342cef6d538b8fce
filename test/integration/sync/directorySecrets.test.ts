/**
 * A wrong directory password, end to end through the CLI against the real Samba AD DC and a real
 * local cloud: every place the failure is told — stderr (with DIRSYNC_DEBUG's stack too), the
 * `--json` output, the event log, the files under `.dirsync/` — names the bind and never the
 * password that `${env:…}` resolved to, nor the cloud token.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SambaFixture } from '../../fixtures/samba';
import { startCloudFixture, type CloudFixture } from '../../support/cloud';
import { testDc } from '../../support/directory';
import { TOKEN } from '../../support/syncApply';
import { dirsync, sambaConfig, writeConfig } from '../../support/syncEnv';

/** Looks like something a user would choose; must never be printed or written. */
const WRONG_PASSWORD = 'Tr0ub4dor-Wrong-§77';

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile())
    .map((path) => ({ path, text: readFileSync(path, 'latin1') + readFileSync(path, 'utf8') }));
}

describe('a wrong directory password is never printed or written (CLI, Samba AD)', function () {
  this.timeout(180_000);
  let f: SambaFixture;
  let cloud: CloudFixture;
  before(async () => {
    f = await testDc();
    cloud = await startCloudFixture();
  });
  after(async () => {
    await cloud?.close();
  });

  it('plan, plan --json, sync --json --log, preview --json: the bind is refused, the password appears nowhere', async () => {
    const file = writeConfig(sambaConfig(f, cloud));
    const dir = dirname(file);
    const log = join(dir, 'events.jsonl');
    const env = { DIRSYNC_TEST_AD_PASSWORD: WRONG_PASSWORD, DIRSYNC_CLOUD_TOKEN: TOKEN, DIRSYNC_DEBUG: '1' };
    const runs = {
      plan: await dirsync(['plan', file], env),
      planJson: await dirsync(['plan', '--json', file], env),
      sync: await dirsync(['sync', '--json', '--log', log, file], env),
      preview: await dirsync(['preview', '--json', file], env),
    };
    for (const [name, r] of Object.entries(runs)) {
      assert.equal(r.code, 1, `${name}: ${r.stderr}`);
      const told = r.stderr + r.stdout;
      assert.match(told, /was refused: invalid credentials/, `${name}: ${told}`);
      assert.ok(told.includes(f.adminDn), `${name} names the bind DN: ${told}`);
      assert.ok(!told.includes(WRONG_PASSWORD), `${name} printed the password: ${told}`);
      assert.ok(!told.includes(TOKEN), `${name} printed the cloud token: ${told}`);
    }
    assert.match(JSON.parse(runs.sync.stdout).error, /invalid credentials/);
    const written = filesUnder(dir);
    // The event log, and whatever a failed run left under .dirsync/ (today: nothing; it fails before the report).
    assert.ok(
      written.some((w) => w.path === log),
      `files: ${written.map((w) => w.path)}`,
    );
    // The event log says why the sync stopped (it stops before the dry run: the USN mark is read first).
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; level: string; message: string });
    const failed = events.find((e) => e.event === 'sync.failed');
    assert.ok(failed, `events: ${events.map((e) => e.event)}`);
    assert.equal(failed.level, 'error');
    assert.match(failed.message, /was refused: invalid credentials/);
    for (const w of written) {
      assert.ok(!w.text.includes(WRONG_PASSWORD), `${w.path} holds the password`);
      assert.ok(!w.text.includes(TOKEN), `${w.path} holds the cloud token`);
    }
  });
});
