/**
 * The standalone HTML report of a 100k-object dry run, in headless Chromium: what an identity
 * engineer sees and does — first rows, counts, tabs, search, hide unchanged, details with
 * old → new, keyboard navigation, and CSV/JSON exports of the current view.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { REPORT_CATEGORIES, type ReportItem, type SyncReport } from '../../../common/report';
import { CSV_COLUMNS } from '../../../common/reportExport';
import { itemTitle, selectItems } from '../../../common/reportQuery';
import { fixtureThumbnailMap, makeReport } from '../../support/reports';
import { launchChromium, type ChromiumSession } from '../../support/chromium';
import {
  count,
  openTab,
  screenshot,
  search,
  tabCount,
  visibleNames,
  waitForRows,
  watchPage,
  writeStandalone,
} from '../../support/reportPage';

const TOTAL = 100_000;

describe('report UI: standalone HTML of a 100k-object report (Chromium)', function () {
  this.timeout(120_000);
  let report: SyncReport;
  let session: ChromiumSession;
  let page: Page;
  let file: ReturnType<typeof writeStandalone>;
  let watch: Awaited<ReturnType<typeof watchPage>>;

  const byCategory = (c: string) => report.items.filter((i) => i.category === c);

  before(async () => {
    report = makeReport({ total: TOTAL });
    file = writeStandalone(report);
    session = await launchChromium();
    page = session.page;
    watch = await watchPage(page);
    await page.goto(file.url);
    await waitForRows(page, TOTAL, 'all');
  });

  after(async () => {
    await session?.close();
    file?.cleanup();
  });

  /** Back to the All tab, no search, nothing hidden, details closed — through the UI, as a user would. */
  beforeEach(async () => {
    if (await page.locator('aside.detail').isVisible()) await page.locator('aside.detail .icon-button').click();
    const hide = page.locator('vscode-checkbox.hide-unchanged');
    if (await hide.evaluate((el) => (el as HTMLInputElement).checked)) await hide.click();
    if (await page.locator('vscode-textfield.search').evaluate((el) => (el as HTMLInputElement).value)) {
      await page.keyboard.press('/');
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Backspace');
    }
    await openTab(page, 'all', TOTAL);
  });

  it('paints the first rows, and only a screenful of rows is in the DOM', async () => {
    const names = await visibleNames(page);
    assert.equal(names[0], itemTitle(report.items[0]!));
    assert.equal(names[1], itemTitle(report.items[1]!));
    const inDom = await page.locator('.vrow').count();
    assert.ok(inDom > 20 && inDom < 120, `rows in the DOM: ${inDom}`);
    assert.equal(await page.locator('.row-count').textContent(), `${count(TOTAL)} objects`);
    assert.equal(await page.locator('.vlist').getAttribute('aria-rowcount'), String(TOTAL + 1));
    await screenshot(page, 'standalone-100k-first-rows');
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(await watch.violations(), [], 'normal rendering violates no CSP directive');
  });

  it('shows a count per category on the summary cards and the tabs, equal to the report', async () => {
    assert.equal(await tabCount(page, 'all'), count(TOTAL));
    for (const c of REPORT_CATEGORIES) {
      assert.equal(await tabCount(page, c), count(report.summary[c]), `tab ${c}`);
      assert.equal(await page.locator(`.card[data-category="${c}"] .card-count`).textContent(), count(report.summary[c]), `card ${c}`);
      assert.equal(report.summary[c], byCategory(c).length);
    }
  });

  it('says in plain words that a sync would be refused when the deletion threshold is exceeded', async () => {
    assert.ok(report.threshold.exceeded);
    const banner = page.locator('.banner-error[role="alert"]');
    assert.match((await banner.textContent()) ?? '', /will be refused\. Nothing will be written/);
    assert.match((await banner.textContent()) ?? '', /more than the limit of 500/);
    await banner.locator('vscode-button').click();
    await waitForRows(page, report.summary.deleted, 'deleted');
  });

  it('switches tabs: each shows its category, first rows first', async () => {
    for (const c of ['modified', 'groups', 'avatars', 'invalid'] as const) {
      await openTab(page, c, report.summary[c]);
      const names = await visibleNames(page);
      assert.equal(names[0], itemTitle(byCategory(c)[0]!), `first row of ${c}`);
    }
    await screenshot(page, 'standalone-100k-tab-invalid');
  });

  it('search narrows the rows (case- and accent-insensitive, any field), clearing restores them', async () => {
    const target = byCategory('modified')[4321]!;
    await search(page, target.userName!.toUpperCase(), 1);
    assert.deepEqual(await visibleNames(page), [itemTitle(target)]);

    // An attribute's new value finds the objects it changes.
    const value = String(target.changes![0]!.new);
    const expected = selectItems(report, 'all', { query: value, hideUnchanged: false }).length;
    assert.ok(expected >= 1 && expected < TOTAL);
    await search(page, value, expected);
    assert.equal(await tabCount(page, 'all'), count(expected));

    // "muller" finds "Müller"; tab counts follow the search.
    const mullers = selectItems(report, 'all', { query: 'Müller', hideUnchanged: false });
    assert.ok(mullers.length > 100);
    await search(page, 'MULLER', mullers.length);
    assert.equal(await tabCount(page, 'modified'), count(mullers.filter((i) => i.category === 'modified').length));
    await screenshot(page, 'standalone-100k-search');

    await search(page, '', TOTAL);
    assert.equal(await tabCount(page, 'modified'), count(report.summary.modified));
  });

  it('hide unchanged leaves only objects the plan changes', async () => {
    const changing = selectItems(report, 'all', { query: '', hideUnchanged: true }).length;
    assert.ok(changing < TOTAL - report.summary.matched + 1);
    await page.locator('vscode-checkbox.hide-unchanged').click();
    await waitForRows(page, changing, 'all');
    assert.equal(await tabCount(page, 'matched'), '0');
    assert.equal(await tabCount(page, 'modified'), count(report.summary.modified));
  });

  it('the detail pane shows the attribute diff old → new with SCIM paths, memberships and avatars', async () => {
    const modified = byCategory('modified').find((i) => (i.changes?.length ?? 0) >= 2)!;
    await search(page, modified.userName!, 1);
    await page.locator('#vrow-0').click();
    const detail = page.locator('aside.detail');
    await detail.waitFor();
    assert.equal(await detail.locator('.detail-title').textContent(), itemTitle(modified));
    for (const change of modified.changes!) {
      const row = detail.locator(`.change[data-attribute="${change.attribute}"]`);
      assert.equal(await row.locator('.value.old').textContent(), String(change.old));
      assert.equal(await row.locator('.value.new').textContent(), String(change.new));
      assert.equal(await row.locator('.scim-path').textContent(), change.scimPath);
      assert.match((await row.locator('.config-ref').textContent()) ?? '', new RegExp(`corp\\.dirsync:${change.configRef!.line}:`));
    }
    await screenshot(page, 'standalone-100k-detail-modified');

    const group = byCategory('groups').find((g) => g.members!.added.length >= 2 && g.members!.removed.length >= 1)!;
    await search(page, group.dn!, selectItems(report, 'all', { query: group.dn!, hideUnchanged: false }).length);
    await page.locator('#vrow-0').click();
    await detail.locator('.member.added').first().waitFor();
    assert.deepEqual(await detail.locator('.member.added').allTextContents(), group.members!.added);
    assert.deepEqual(await detail.locator('.member.removed').allTextContents(), group.members!.removed);

    const avatar = byCategory('avatars').find((a) => a.avatar?.thumbnail)!;
    await search(page, avatar.userName!, 1);
    await page.locator('#vrow-0').click();
    const img = detail.locator('img.avatar-thumb');
    await img.waitFor();
    // Embedded once per distinct thumbnail, found by the hash the item holds.
    assert.equal(await img.getAttribute('src'), fixtureThumbnailMap()[avatar.avatar!.thumbnail!.sha256]);
    assert.ok(
      await img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 8),
      'the thumbnail decodes',
    );
    await screenshot(page, 'standalone-100k-detail-avatar');
  });

  it('keyboard: arrows, PageDown, End, Home move the selection; Enter opens details; Escape closes; / focuses search', async () => {
    const grid = page.locator('.vlist');
    await grid.focus();
    const active = () => grid.getAttribute('aria-activedescendant');
    await page.keyboard.press('Home');
    assert.equal(await active(), 'vrow-0');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    assert.equal(await active(), 'vrow-1');
    await page.keyboard.press('PageDown');
    const afterPage = Number((await active())!.slice(5));
    assert.ok(afterPage > 10, `PageDown moved to ${afterPage}`);
    await page.keyboard.press('PageDown');
    assert.equal(await active(), `vrow-${2 * afterPage - 1}`, 'a page is the same size every time');
    await page.keyboard.press('PageUp');
    assert.equal(await active(), `vrow-${afterPage}`);
    await page.keyboard.press('End');
    assert.equal(await active(), `vrow-${TOTAL - 1}`);
    await page.locator(`#vrow-${TOTAL - 1}`).waitFor();
    assert.ok(await page.locator(`#vrow-${TOTAL - 1}`).isVisible());
    await page.keyboard.press('Enter');
    await page.locator('aside.detail .detail-title').waitFor();
    assert.equal(await page.locator('aside.detail .detail-title').textContent(), itemTitle(report.items[TOTAL - 1]!));
    // The pane follows the selection.
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction(
      (t) => document.querySelector('aside.detail .detail-title')?.textContent === t,
      itemTitle(report.items[TOTAL - 2]!),
    );
    await page.keyboard.press('Escape');
    await page.locator('aside.detail').waitFor({ state: 'hidden' });
    await page.keyboard.press('Home');
    assert.equal(await active(), 'vrow-0');
    assert.deepEqual((await visibleNames(page)).slice(0, 1), [itemTitle(report.items[0]!)]);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'VSCODE-TEXTFIELD');
  });

  it('exports the current view as CSV and as JSON (a report of the same format)', async () => {
    await openTab(page, 'mismatched', report.summary.mismatched);
    const view = selectItems(report, 'mismatched', { query: 'retained', hideUnchanged: false });
    assert.ok(view.length > 0 && view.length < report.summary.mismatched);
    await search(page, 'retained', view.length);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('vscode-button.export-csv').click()]);
    const csv = readFileSync((await csvDownload.path())!, 'utf8');
    assert.ok(csv.startsWith('\ufeff'), 'a UTF-8 BOM for spreadsheets');
    const lines = csv.slice(1).trimEnd().split('\r\n');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    assert.equal(lines.length, view.length + 1);
    const first = view[0]!;
    assert.ok(lines[1]!.startsWith(`mismatched,user,retain,${first.displayName},${first.userName},`), lines[1]);

    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.locator('vscode-button.export-json').click()]);
    const doc = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8')) as SyncReport & {
      view: { category: string; filter: { query: string } };
    };
    assert.equal(doc.format, 'dirsync-report');
    assert.equal(doc.items.length, view.length);
    assert.deepEqual(
      doc.items.map((i: ReportItem) => i.id),
      view.map((i) => i.id),
    );
    assert.equal(doc.summary.mismatched, view.length);
    assert.equal(doc.summary.added, 0);
    assert.equal(doc.view.category, 'mismatched');
    assert.equal(doc.view.filter.query, 'retained');
    assert.match(csvDownload.suggestedFilename(), /^dirsync-.*-mismatched\.csv$/);
  });
});
