/**
 * The demo against an independent SCIM 2.0 server: `sample-configs/demo.dirsync` (users, rooms,
 * nested groups, contacts, avatars) with `cloud.type: "scim"`, synchronized by the built CLI into
 * scimmy on express 4 (test/support/scimmyServer.ts: a store that filters, pages 20 at a time,
 * versions and PATCHes group members), plan → apply → plan, once for each
 * `objects.rooms.genericTarget`. Pictures are published to a PUT folder beside it, as the demo
 * publishes them to the local cloud: a generic target reads pictures from a URL.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA } from '../../../server/src/cloud/schemas';
import { startScimmyServer, type ScimmyServer } from '../../support/scimmyServer';
import { TOKEN } from '../../support/cloud';
import { runCli, ROOT } from '../../support/syncCli';

interface SavedReport {
  readonly items: ReadonlyArray<{ category: string; action: string; objectType: string; reason?: string; userName?: string }>;
}

for (const genericTarget of ['users', 'skip'] as const) {
  describe(`the demo on scimmy, an independent SCIM server (rooms.genericTarget "${genericTarget}")`, function () {
    this.timeout(180_000);
    let server: ScimmyServer;
    let dir: string;
    before(async () => {
      server = await startScimmyServer(TOKEN);
      dir = mkdtempSync(join(tmpdir(), 'dirsync-scimmy-'));
      cpSync(join(ROOT, 'sample-configs', 'data'), join(dir, 'data'), { recursive: true });
      const c = JSON.parse(readFileSync(join(ROOT, 'sample-configs', 'demo.dirsync'), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
      delete c.$schema;
      c.cloud.type = 'scim';
      c.cloud.url = server.baseUrl;
      c.avatar.publish.url = server.publishUrl;
      c.objects.rooms.genericTarget = genericTarget;
      for (const kind of ['users', 'rooms', 'groups', 'contacts']) assert.equal(c.objects[kind].enabled, true, kind);
      writeFileSync(join(dir, 'demo.dirsync'), JSON.stringify(c, null, 2));
    });
    after(async () => {
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('plan → apply → plan converges: the second plan has no changes (exit 0)', async () => {
      const plan = await runCli(['plan', 'demo.dirsync', '-o', 'plan.json'], dir);
      assert.equal(plan.code, 2, plan.stderr + plan.stdout);
      const apply = await runCli(['apply', 'plan.json', '--json'], dir);
      assert.equal(apply.code, 2, apply.stderr + apply.stdout);
      assert.equal((JSON.parse(apply.stdout) as { failed: number }).failed, 0, apply.stdout);
      const again = await runCli(['plan', 'demo.dirsync', '-o', 'again.json'], dir);
      assert.equal(again.code, 0, again.stderr + again.stdout);
      assert.match(again.stdout, /No changes: the cloud matches the directory/);
    });

    it('what scimmy holds: plain core-schema users, nested groups, linked managers and pictures', () => {
      const users = [...server.users.values()];
      const rooms = users.filter((u) => String(u['userName']).startsWith('room-'));
      assert.equal(rooms.length, genericTarget === 'users' ? 6 : 0);
      assert.ok(users.length > 40 + rooms.length, `${users.length} users`);
      assert.deepEqual(
        users.filter((u) => u['userType'] !== undefined || u[SCHEMA.webexUser] !== undefined),
        [],
        'no userType, nothing of Cisco’s extension',
      );
      for (const r of rooms) assert.equal(r['active'], true);
      const ids = new Set(users.map((u) => u['id']));
      const managed = users.filter((u) => (u[SCHEMA.enterpriseUser] as { manager?: { value: string } } | undefined)?.manager);
      assert.ok(managed.length > 0);
      for (const u of managed) assert.ok(ids.has((u[SCHEMA.enterpriseUser] as { manager: { value: string } }).manager.value));
      const groups = [...server.groups.values()];
      assert.equal(groups.length, 18);
      const members = groups.flatMap((g) => (g['members'] as { value: string }[] | undefined) ?? []);
      assert.ok(
        members.some((m) => server.groups.has(m.value)),
        'a group inside a group',
      );
      assert.ok(members.every((m) => ids.has(m.value) || server.groups.has(m.value)));
      const roomIds = new Set(rooms.map((r) => r['id']));
      assert.equal(
        members.filter((m) => roomIds.has(m.value)).length > 0,
        genericTarget === 'users',
        'rooms are group members only when sent',
      );
      const photos = users.flatMap((u) => (u['photos'] as { value: string }[] | undefined) ?? []);
      assert.ok(photos.length > 0);
      for (const p of photos) assert.ok(server.published.has(p.value.slice(server.publishUrl.length + 1)), p.value);
    });

    it('the report (and explain) say what happened to rooms and contacts, each with its reason', async () => {
      const report = JSON.parse(readFileSync(join(dir, 'again.json'), 'utf8')) as SavedReport;
      const rooms = report.items.filter((i) => i.category === 'rooms');
      assert.equal(rooms.length, 6);
      for (const r of rooms) {
        if (genericTarget === 'users') assert.equal(r.action, 'none');
        else {
          assert.equal(r.action, 'skip');
          assert.match(r.reason ?? '', /not sent to a generic SCIM target \(objects\.rooms\.genericTarget is "skip"\)/);
        }
      }
      if (genericTarget === 'skip') {
        const room = rooms[0]!;
        const e = await runCli(['explain', 'demo.dirsync', room.userName!, '--json'], dir);
        assert.equal(e.code, 0, e.stderr);
        const explained = JSON.parse(e.stdout) as { decision: { action: string }; messages: string[] };
        assert.equal(explained.decision.action, 'skip');
        assert.ok(
          explained.messages.some((m) => /objects\.rooms\.genericTarget is "skip"/.test(m)),
          e.stdout,
        );
      }
      const contacts = report.items.filter((i) => i.category === 'contacts');
      assert.ok(contacts.length > 0);
      for (const c of contacts) assert.equal(c.action, 'skip');
    });
  });
}
