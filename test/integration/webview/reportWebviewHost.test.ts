/**
 * The report UI as the VS Code webview runs it: the page `panelHost.ts` builds (same CSP, nonce,
 * stylesheet and script tags, resources served from a webview origin), `acquireVsCodeApi` present,
 * the report arriving in pieces by `postMessage`, and the UI's requests going back to the host.
 * The host side is played by the test; the real VS Code run is the extension's own suite.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { ReportItem, SyncReport } from '../../../common/report';
import { selectItems } from '../../../common/reportQuery';
import {
  isReportToHostMessage,
  REPORT_PROTOCOL_VERSION,
  type HostToReportMessage,
  type ReportToHostMessage,
} from '../../../common/webviewMessages';
import { buildWebviewHtml } from '../../../client/src/webviews/webviewHtml';
import { FIXTURE_THUMBNAILS, makeReport } from '../../support/reports';
import { launchChromium, type ChromiumSession } from '../../support/chromium';
import { count, openTab, screenshot, search, tabCount, waitForRows, watchPage } from '../../support/reportPage';

const ORIGIN = 'https://webview.test';
const DIST = resolve(__dirname, '../../../dist/webview');

/** Plays VS Code: the webview API (state kept across reloads like VS Code's getState) and the message log. */
async function installFakeVsCode(page: Page): Promise<void> {
  // A string, not a function: tsx's transpiled functions reference helpers that do not exist in the page.
  await page.addInitScript(`
    window.__posted = [];
    let acquired = false;
    window.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi may be called once');
      acquired = true;
      return {
        postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
        getState: () => JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null') ?? undefined,
        setState: (s) => sessionStorage.setItem('vscode-state', JSON.stringify(s)),
      };
    };
  `);
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') {
      const html = buildWebviewHtml({
        cspSource: ORIGIN,
        nonce: Buffer.from(`nonce-${Date.now()}-${Math.random()}`).toString('base64'),
        scriptUri: `${ORIGIN}/report.js`,
        styleUris: [`${ORIGIN}/report.css`],
        title: 'Dry run',
      });
      return route.fulfill({ contentType: 'text/html', body: html });
    }
    const file = join(DIST, basename(url.pathname));
    const type = file.endsWith('.js')
      ? 'text/javascript'
      : file.endsWith('.css')
        ? 'text/css'
        : file.endsWith('.ttf')
          ? 'font/ttf'
          : 'application/octet-stream';
    return route.fulfill({ contentType: type, body: readFileSync(file) });
  });
}

async function posted(page: Page): Promise<ReportToHostMessage[]> {
  return page.evaluate(() => (window as unknown as { __posted: ReportToHostMessage[] }).__posted);
}

async function waitPosted(page: Page, type: ReportToHostMessage['type'], after = 0): Promise<ReportToHostMessage> {
  await page.waitForFunction(
    ([t, n]) => (window as unknown as { __posted: Array<{ type: string }> }).__posted.slice(n).some((m) => m.type === t),
    [type, after] as const,
  );
  return (await posted(page)).slice(after).find((m) => m.type === type)!;
}

async function post(page: Page, message: HostToReportMessage): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

/** Sends the report the way reportPanel.ts does: the header, then pieces. */
async function sendInPieces(page: Page, report: SyncReport, first = 1000, piece = 2000): Promise<void> {
  const { items, ...meta } = report;
  await post(page, { type: 'reportBegin', report: meta, itemCount: items.length });
  for (let offset = 0; offset < items.length; ) {
    const size = offset === 0 ? first : piece;
    const part = items.slice(offset, offset + size);
    await post(page, { type: 'reportItems', offset, items: part, done: offset + part.length >= items.length });
    offset += part.length;
  }
}

describe('report UI in the VS Code webview shell (Chromium, host played by the test)', function () {
  this.timeout(60_000);
  const report = makeReport({ total: 5000, seed: 7 });
  let session: ChromiumSession;
  let page: Page;
  let watch: Awaited<ReturnType<typeof watchPage>>;

  async function openWebview(r: SyncReport = report): Promise<void> {
    await page.goto(`${ORIGIN}/index.html`);
    const ready = await waitPosted(page, 'ready');
    assert.deepEqual(ready, { type: 'ready', protocol: REPORT_PROTOCOL_VERSION });
    await sendInPieces(page, r);
    await page.waitForSelector('body[data-loaded="true"]');
  }

  before(async () => {
    session = await launchChromium();
    page = session.page;
    watch = await watchPage(page);
    await installFakeVsCode(page);
  });

  after(async () => {
    await session?.close();
  });

  it('posts ready, renders a report sent in pieces, with the right counts', async () => {
    await openWebview();
    await waitForRows(page, report.items.length, 'all');
    for (const c of ['added', 'modified', 'groups', 'avatars'] as const) assert.equal(await tabCount(page, c), count(report.summary[c]));
    await screenshot(page, 'webview-light');
  });

  it('config links post openConfig with the file, line and column of the mapping', async () => {
    await openTab(page, 'modified', report.summary.modified);
    const item = report.items.find((i) => i.category === 'modified')!;
    await page.locator('#vrow-0').click();
    await page.locator('aside.detail .change .config-ref').first().click();
    const m = await waitPosted(page, 'openConfig');
    const ref = item.changes![0]!.configRef!;
    assert.deepEqual(m, { type: 'openConfig', file: ref.file, line: ref.line, column: ref.column });
  });

  it('Explain posts the object id', async () => {
    const n = (await posted(page)).length;
    await page.locator('aside.detail vscode-button', { hasText: 'Explain' }).click();
    const m = await waitPosted(page, 'explain', n);
    assert.deepEqual(m, { type: 'explain', id: report.items.find((i) => i.category === 'modified')!.id });
  });

  it('Export asks the host for the current tab and filter, and shows the outcome', async () => {
    await openTab(page, 'mismatched', report.summary.mismatched);
    await search(page, 'retained', selectItems(report, 'mismatched', { query: 'retained', hideUnchanged: false }).length);
    const n = (await posted(page)).length;
    await page.locator('vscode-button.export-csv').click();
    const m = await waitPosted(page, 'export', n);
    assert.deepEqual(m, { type: 'export', format: 'csv', category: 'mismatched', filter: { query: 'retained', hideUnchanged: false } });
    assert.equal(await page.locator('.toolbar .status').textContent(), 'Exporting…');
    await post(page, { type: 'exportResult', ok: true, detail: '20 objects to /tmp/x.csv' });
    await page.waitForFunction(() => document.querySelector('.toolbar .status')?.textContent === 'Saved 20 objects to /tmp/x.csv');
  });

  it('keeps tab, search, selection, details and scroll across hide/show (setState/getState)', async () => {
    const query = 'Sales';
    const rows = selectItems(report, 'groups', { query, hideUnchanged: false });
    assert.ok(rows.length > 35, `${rows.length} groups match`);
    await openTab(page, 'groups', selectItems(report, 'groups', { query: 'retained', hideUnchanged: false }).length);
    await search(page, query, rows.length);
    await page.locator('.vlist').focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const selected = rows[30]!;
    await page.waitForFunction((t) => document.querySelector('aside.detail .detail-title')?.textContent === t, selected.displayName!);
    const scrollTop = await page.locator('.vlist').evaluate((el) => el.scrollTop);
    assert.ok(scrollTop > 0);
    // VS Code saves the state the UI gave it; the host hears about it too.
    await page.waitForFunction((top) => {
      const s = JSON.parse(sessionStorage.getItem('vscode-state') ?? '{}');
      return s.tab === 'groups' && s.detailOpen === true && s.scrollTop?.groups === top;
    }, scrollTop);
    const change = (await posted(page)).filter((m) => m.type === 'stateChanged').pop();
    assert.equal(change?.type === 'stateChanged' && change.state.tab, 'groups');

    // Hidden then shown: VS Code throws the page away and loads it again.
    await openWebview();
    await waitForRows(page, rows.length, 'groups');
    assert.equal(await page.locator('vscode-textfield.search').evaluate((el) => (el as HTMLInputElement).value), query);
    assert.equal(await page.locator('.vrow.active .col-name .text').textContent(), selected.displayName);
    assert.equal(await page.locator('aside.detail .detail-title').textContent(), selected.displayName);
    assert.equal(await page.locator('.vlist').evaluate((el) => el.scrollTop), scrollTop);
    await screenshot(page, 'webview-state-restored');
  });

  it('focusItem shows the object even when the current tab or search hides it', async () => {
    const contact = report.items.filter((i) => i.category === 'contacts')[17]!;
    await post(page, { type: 'focusItem', id: contact.id });
    await page.waitForFunction((t) => document.querySelector('aside.detail .detail-title')?.textContent === t, contact.displayName!);
    assert.equal(await page.locator('vscode-textfield.search').evaluate((el) => (el as HTMLInputElement).value), '');
    assert.equal(await page.locator('.vrow.active .col-user').textContent(), contact.userName);
  });

  it('a focusItem that arrives before the object (report still coming in pieces) waits for it', async () => {
    await page.goto(`${ORIGIN}/index.html`);
    await waitPosted(page, 'ready');
    const { items, ...meta } = report;
    const late = items[items.length - 3]!;
    await post(page, { type: 'reportBegin', report: meta, itemCount: items.length });
    await post(page, { type: 'focusItem', id: late.id });
    await post(page, { type: 'reportItems', offset: 0, items: items.slice(0, 1000), done: false });
    await post(page, { type: 'reportItems', offset: 1000, items: items.slice(1000), done: true });
    await page.waitForFunction(
      (t) => document.querySelector('aside.detail .detail-title')?.textContent === t,
      late.displayName ?? late.userName!,
    );
    assert.equal(await page.locator('.vrow.active .col-user').textContent(), late.userName ?? '');
  });

  it('a report of another session starts from a fresh view', async () => {
    const other = makeReport({ total: 800, seed: 8 });
    await openWebview(other);
    await waitForRows(page, other.items.length, 'all');
    assert.equal(await page.locator('vscode-textfield.search').evaluate((el) => (el as HTMLInputElement).value), '');
    assert.equal(await page.locator('aside.detail').isVisible(), false);
  });

  it('a new report posted into the open panel replaces the old one, and its search index is built', async () => {
    const next = makeReport({ total: 1200, seed: 9 });
    await sendInPieces(page, next, 500, 500);
    await waitForRows(page, next.items.length, 'all');
    await page.waitForSelector('body[data-indexed="true"]');
    const target = next.items.filter((i) => i.userName && i.category !== 'added')[900]!;
    await search(page, target.userName!, selectItems(next, 'all', { query: target.userName!, hideUnchanged: false }).length);
    assert.equal(await page.locator('#vrow-0 .col-user').textContent(), target.userName);
  });

  it('an information note shows in the details without a warning flag on the row', async () => {
    const base = makeReport({ total: 50, seed: 10 });
    const items = base.items.filter((i) => i.category === 'added').slice(0, 1);
    const note = 'manager CN=Boss,DC=corp is created by this sync: the link is set right after it is created';
    const noted = { ...base, items: [{ ...items[0]!, warnings: undefined, errors: undefined, notes: [note] }] };
    await openWebview(noted);
    await waitForRows(page, 1, 'all');
    assert.doesNotMatch((await page.locator('#vrow-0 .row-flag').getAttribute('class')) ?? '', /flag-warning/);
    await page.locator('#vrow-0').click();
    const notes = page.locator('aside.detail .message.information', { hasText: note });
    await notes.waitFor();
    assert.equal(await page.locator('aside.detail .message.warning').count(), 0);
  });

  it('asks for the thumbnails of the rows on screen only, in one message per render, and shows the answers', async () => {
    // 3,000 avatars, each with a thumbnail of its own (hashes made up; the test answers as the host does).
    const base = makeReport({ total: 50, seed: 11 });
    const sha = (i: number) => createHash('sha256').update(`picture ${i}`).digest('hex');
    const items: ReportItem[] = Array.from({ length: 3000 }, (_, i) => ({
      id: `avatar-${i}`,
      category: 'avatars',
      objectType: 'user',
      action: 'avatarUpload',
      dn: `CN=User ${i},OU=Staff,DC=corp,DC=example,DC=com`,
      userName: `user${i}@corp.example.com`,
      displayName: `User ${i}`,
      avatar: { status: 'upload', contentType: 'image/png', sha256: sha(i), thumbnail: { sha256: sha(i), contentType: 'image/png' } },
    }));
    const pictures: SyncReport = { ...base, sessionId: 'thumbs', items };
    await openWebview(pictures);
    await waitForRows(page, items.length, 'all');
    const asked = async () => (await posted(page)).flatMap((m) => (m.type === 'thumbnails' ? [m] : [])).map((m) => m.sha256);
    await page.waitForFunction(() =>
      (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'thumbnails'),
    );
    const messages = await asked();
    // One message per render (the rows of a render are asked for together); the report arrived in two pieces.
    assert.ok(messages.length <= 2, `${messages.length} messages for the first screen`);
    const first = [messages.flat()];
    const rendered = await page.locator('.vrow .col-user').allTextContents();
    const onScreen = new Set(rendered.map((u) => sha(Number(/^user(\d+)@/.exec(u)![1]))));
    assert.ok(first[0]!.length > 0 && first[0]!.length <= onScreen.size, `${first[0]!.length} asked, ${onScreen.size} rows in the DOM`);
    for (const h of first[0]!) assert.ok(onScreen.has(h), 'only rows that are rendered');
    assert.ok(rendered.length < 100, `${rendered.length} rows rendered of 3,000`);

    // The host answers: the rows show the pictures instead of their icons.
    const png = FIXTURE_THUMBNAILS[0]!.dataUri;
    await post(page, { type: 'thumbnailData', thumbnails: first[0]!.map((h) => ({ sha256: h, dataUri: png })) });
    await page.waitForFunction(() => document.querySelector('#vrow-0 img.row-thumb:not([hidden])') !== null);
    assert.equal(await page.locator('#vrow-0 img.row-thumb').getAttribute('src'), png);
    assert.equal(await page.locator('#vrow-0 .row-icon').isVisible(), false);

    // To the end: the last rows are asked for, the thousands in between never.
    const n = (await posted(page)).length;
    await page.locator('.vlist').focus();
    await page.keyboard.press('End');
    await waitPosted(page, 'thumbnails', n);
    const all = (await asked()).flat();
    assert.ok(all.includes(sha(2999)), 'the last row, now on screen');
    assert.ok(!all.includes(sha(1500)), 'a row in the middle never shown');
    assert.ok(all.length < 200, `${all.length} thumbnails asked for, of 3,000`);
    assert.equal(new Set(all).size, all.length, 'each asked for once');
    // Scrolling back to rows already answered asks for nothing more.
    const m = (await posted(page)).length;
    await page.keyboard.press('Home');
    await waitForRows(page, items.length, 'all');
    assert.equal(await page.locator('#vrow-0 img.row-thumb').getAttribute('src'), png);
    assert.equal((await posted(page)).slice(m).filter((x) => x.type === 'thumbnails').length, 0);
    await screenshot(page, 'webview-lazy-thumbnails');
  });

  it('follows the theme message; normal use needed nothing the webview CSP forbids; every message passed the host guard', async () => {
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await post(page, { type: 'theme', kind: 'dark' });
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(light, 'rgb(255, 255, 255)');
    assert.equal(dark, 'rgb(31, 31, 31)');
    await screenshot(page, 'webview-dark');
    assert.deepEqual(await watch.violations(), []);
    assert.deepEqual(watch.errors, []);
    for (const m of await posted(page)) assert.ok(isReportToHostMessage(m), JSON.stringify(m).slice(0, 200));
  });
});
