/**
 * The demo on a generic SCIM target: `sample-configs/demo.dirsync` with `cloud.type: "scim"` (no
 * publishing: the generic target takes the pictures' bytes) against the local cloud in its scim
 * dialect, plan → apply → plan with the built CLI, once for each `objects.rooms.genericTarget`.
 * The Webex path is webexContract.test.ts; an independent server, demoScimmy.test.ts.
 */
import { strict as assert } from 'node:assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA } from '../../../server/src/cloud/schemas';
import { startCloudFixture, type CloudFixture } from '../../support/cloud';
import { runCli, ROOT } from '../../support/syncCli';

for (const genericTarget of ['users', 'skip'] as const) {
  describe(`the demo on a generic SCIM target (cloud.type "scim", rooms.genericTarget "${genericTarget}")`, function () {
    this.timeout(180_000);
    let f: CloudFixture;
    before(async () => {
      f = await startCloudFixture({ orgId: 'demo-org', dialect: 'scim' });
      cpSync(join(ROOT, 'sample-configs', 'data'), join(f.dir, 'data'), { recursive: true });
      const c = JSON.parse(readFileSync(join(ROOT, 'sample-configs', 'demo.dirsync'), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
      delete c.$schema;
      c.cloud.type = 'scim';
      c.cloud.url = f.cloud.baseUrl;
      c.objects.rooms.genericTarget = genericTarget;
      delete c.avatar.publish;
      writeFileSync(join(f.dir, 'demo.dirsync'), JSON.stringify(c, null, 2));
    });
    after(async () => f?.close());

    it('plan → apply → plan: converges; rooms are plain users or not sent; nothing of Cisco’s extension is sent', async () => {
      const plan = await runCli(['plan', 'demo.dirsync', '-o', 'plan.json'], f.dir);
      assert.equal(plan.code, 2, plan.stderr + plan.stdout);
      const apply = await runCli(['apply', 'plan.json', '--json'], f.dir);
      assert.equal(apply.code, 2, apply.stderr + apply.stdout);
      assert.equal((JSON.parse(apply.stdout) as { failed: number }).failed, 0, apply.stdout);
      const users = [];
      for await (const u of f.client().users.list()) users.push(u);
      assert.equal(users.filter((u) => u.userName.startsWith('room-')).length, genericTarget === 'users' ? 6 : 0);
      assert.equal(users.filter((u) => u.userType !== undefined).length, 0);
      assert.equal(users.filter((u) => u[SCHEMA.webexUser] !== undefined).length, 0);
      const again = await runCli(['plan', 'demo.dirsync'], f.dir);
      assert.equal(again.code, 0, again.stderr + again.stdout);
    });
  });
}
