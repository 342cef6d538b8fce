/**
 * The report's detail pane with very long values, in headless Chromium: a value over the preview
 * length shows its beginning and "Show all N characters"; the button shows all of it, exactly,
 * and the pane stays open; short values are shown whole.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { AttributeChange, ReportItem, SyncReport } from '../../../common/report';
import { PREVIEW_CHARS } from '../../../client/src/webviews/ui/report/longText';
import { makeReport } from '../../support/reports';
import { launchChromium, type ChromiumSession } from '../../support/chromium';
import { count, waitForRows, watchPage, writeStandalone } from '../../support/reportPage';

/** Tab-separated lines (a pasted table), with a surrogate pair across the preview's end. */
function pastedTable(length: number): string {
  const line = `${'cell\t'.repeat(12)}end\n`;
  const text = line.repeat(Math.ceil(length / line.length)).slice(0, length);
  return `${text.slice(0, PREVIEW_CHARS - 1)}😀${text.slice(PREVIEW_CHARS + 1)}`;
}

describe('report UI: long values in the detail pane (Chromium)', function () {
  this.timeout(60_000);
  let session: ChromiumSession;
  let page: Page;
  let file: ReturnType<typeof writeStandalone>;
  let watch: Awaited<ReturnType<typeof watchPage>>;
  const long = pastedTable(30_000);
  const reason = 'r'.repeat(5_000);

  before(async () => {
    const base = makeReport({ total: 20 });
    const changes: AttributeChange[] = [
      { attribute: 'extensionAttribute1', scimPath: 'extensionAttribute1', old: 'short old value', new: long },
    ];
    // An update (old → new), whatever the report's first item is: a create lists only the values it sends.
    const first: ReportItem = { ...base.items[0]!, category: 'modified', action: 'update', changes, reason };
    const report: SyncReport = { ...base, items: [first, ...base.items.slice(1)] };
    file = writeStandalone(report);
    session = await launchChromium();
    page = session.page;
    watch = await watchPage(page);
    await page.goto(file.url);
    await waitForRows(page, 20, 'all');
  });

  after(async () => {
    await session?.close();
    file?.cleanup();
  });

  it('shows the beginning of a long value and how many characters it has; short values whole', async () => {
    await page.locator('.vrow[data-index="0"]').click();
    const value = page.locator('aside.detail .change-values .value.new');
    await value.waitFor();
    const button = value.locator('button.show-all');
    assert.equal(await button.textContent(), `Show all ${count(long.length)} characters`);
    const shown = await value.evaluate((el) => el.querySelector('.long-text')?.firstChild?.textContent ?? '');
    // The cut falls inside the surrogate pair: it ends before it.
    assert.equal(shown, long.slice(0, PREVIEW_CHARS - 1));
    assert.equal(await page.locator('aside.detail .change-values .value.old').textContent(), 'short old value');
    assert.equal(
      await page.locator('aside.detail .reason').evaluate((el) => el.firstChild?.firstChild?.textContent),
      reason.slice(0, PREVIEW_CHARS),
    );
  });

  it('"Show all" shows the whole value, exactly, and the pane stays open', async () => {
    const value = page.locator('aside.detail .change-values .value.new');
    await value.locator('button.show-all').click();
    await value.locator('.long-text.expanded').waitFor();
    assert.equal(await value.textContent(), long);
    assert.ok((await value.locator('.long-text-block').count()) > 1);
    assert.ok(await page.locator('aside.detail').isVisible());
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(await watch.violations(), []);
  });
});
