/**
 * What a reviewer sees of a first sync, in headless Chromium: a real dry run of the demo (its LDIF
 * export against a real, empty local cloud) rendered as the standalone report. The overview says
 * the work per kind, and a created user's detail pane lists the values the create will send.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { SyncReport } from '../../../common/report';
import { planLine } from '../../../common/work';
import { dryRun } from '../../../server/src/sync/engine/dryRun';
import { launchChromium, type ChromiumSession } from '../../support/chromium';
import { startCloudFixture, type CloudFixture } from '../../support/cloud';
import { screenshot, search, waitForRows, watchPage, writeStandalone } from '../../support/reportPage';
import { ROOT, secretsFor } from '../../support/syncEnv';

describe('report UI: a first sync of the demo shows its work and the values of each create (Chromium)', function () {
  this.timeout(120_000);
  let cloud: CloudFixture;
  let report: SyncReport;
  let session: ChromiumSession;
  let page: Page;
  let file: ReturnType<typeof writeStandalone>;

  before(async () => {
    cloud = await startCloudFixture();
    const dir = mkdtempSync(join(tmpdir(), 'dirsync-report-creates-'));
    const c = JSON.parse(readFileSync(join(ROOT, 'sample-configs/demo.dirsync'), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
    delete c.$schema;
    c.cloud.url = cloud.cloud.baseUrl;
    c.directory.url = `ldif:${join(ROOT, 'sample-configs/data/corp.example.com.ldif')}`;
    const configFile = join(dir, 'demo.dirsync');
    writeFileSync(configFile, JSON.stringify(c, null, 2));
    report = (await dryRun({ configFile, secrets: secretsFor() })).report;
    file = writeStandalone(report);
    session = await launchChromium();
    page = session.page;
    await watchPage(page);
    await page.goto(file.url);
    await waitForRows(page, report.items.length, 'all');
  });

  after(async () => {
    await session?.close();
    file?.cleanup();
    await cloud?.close();
  });

  it('the overview says the work per kind; a created user lists the values it will send', async () => {
    assert.equal(await page.locator('.work-line').textContent(), planLine(report.work));
    assert.equal(await page.locator('.work-table tr[data-kind="users"] td.work-create').textContent(), String(report.work.users.create));
    const created = report.items.find(
      (i) => i.category === 'added' && i.action === 'create' && i.changes?.some((c) => c.attribute === 'title'),
    )!;
    assert.ok(created, 'the demo creates a user with a title');
    await search(page, created.userName!, report.items.filter((i) => i.userName === created.userName).length);
    await page.locator('.vrow:not([hidden])[data-action="create"]').first().click();
    const detail = page.locator('aside.detail');
    await detail.locator('.change').first().waitFor();
    assert.equal(await detail.locator('h3', { hasText: 'Values to send' }).count(), 1);
    for (const change of created.changes!) {
      const row = detail.locator(`.change[data-attribute="${change.attribute}"]`);
      assert.equal(await row.locator('.value.new').textContent(), String(change.new), change.attribute);
      assert.equal(await row.locator('.value.old').count(), 0, 'a create has no old value');
      assert.equal(await row.locator('.scim-path').textContent(), change.scimPath);
    }
    const values = (await detail.locator('.value.new').allTextContents()).join(' | ');
    assert.ok(values.includes(created.userName!), values);
    await screenshot(page, 'report-created-user-values');
  });
});
