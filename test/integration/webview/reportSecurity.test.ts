/**
 * AD and cloud values are untrusted: in the standalone report (and the same UI in VS Code) a
 * displayName of `<img src=x onerror=alert(1)>` shows as text, nothing executes, and the CSP
 * blocks what an injection would need.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { SyncReport } from '../../../common/report';
import { selectItems } from '../../../common/reportQuery';
import { makeReport, XSS_PAYLOADS, xssItems, xssMessages } from '../../support/reports';
import { launchChromium, type ChromiumSession } from '../../support/chromium';
import { screenshot, search, visibleNames, waitForRows, watchPage, writeStandalone } from '../../support/reportPage';

describe('report UI: untrusted values and the CSP (Chromium)', function () {
  this.timeout(60_000);
  let report: SyncReport;
  let session: ChromiumSession;
  let page: Page;
  let file: ReturnType<typeof writeStandalone>;
  let watch: Awaited<ReturnType<typeof watchPage>>;

  before(async () => {
    report = makeReport({ total: 300, extraItems: xssItems(), extraMessages: xssMessages() });
    file = writeStandalone(report);
    session = await launchChromium();
    page = session.page;
    watch = await watchPage(page);
    await page.goto(file.url);
    await waitForRows(page, report.items.length, 'all');
  });

  after(async () => {
    await session?.close();
    file?.cleanup();
  });

  it('embeds the report as inert, escaped JSON: no payload appears as markup in the file', () => {
    for (const payload of XSS_PAYLOADS) {
      const markup = payload.replace(/\u2028/g, '');
      if (/[<>]/.test(markup)) assert.ok(!file.html.includes(markup), `the file contains ${JSON.stringify(markup)} literally`);
    }
    assert.ok(!file.html.includes('\u2028'), 'U+2028 is escaped');
    assert.equal(file.html.match(/<script/g)?.length, 3, "two data elements (the report, its thumbnails) and one nonce'd script");
    assert.match(
      file.html,
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-[A-Za-z0-9+/=]{22,}&#39;/,
    );
  });

  it('shows every payload as literal text in rows, details and messages, and runs none of them', async () => {
    const detail = page.locator('aside.detail');
    for (const item of report.items.filter((i) => i.id.startsWith('xss-'))) {
      const payload = item.displayName!;
      // `focusItem` is the host's message; standalone, the page may post it to itself.
      await page.evaluate((id) => window.postMessage({ type: 'focusItem', id }, '*'), item.id);
      await page.waitForFunction((p) => document.querySelector('aside.detail .detail-title')?.textContent === p, payload);
      assert.equal(await page.locator('.vrow.active .col-name .text').textContent(), payload);
      assert.equal(await page.locator('.vrow.active .col-dn').textContent(), item.dn);
      assert.equal(await detail.locator('.change .value.old').first().textContent(), payload);
      assert.equal(await detail.locator('.change .value.new').first().textContent(), `${payload} (new)`);
      assert.equal(await detail.locator('.member.added').first().textContent(), payload);
      assert.equal(await detail.locator('.reason').textContent(), payload);
      // A `javascript:` or SVG thumbnail is not used at all; the avatar URL is plain text.
      assert.equal(await detail.locator('img[src]').count(), 0);
      assert.equal(await detail.locator('.avatar dd.mono').first().textContent(), 'javascript:alert(1)');
    }
    const needle = '<img src=x onerror=alert(1)>';
    await search(page, needle, selectItems(report, 'all', { query: needle, hideUnchanged: false }).length);
    assert.ok((await visibleNames(page)).includes(needle));
    await screenshot(page, 'xss-payloads-as-text');
    const messages = await page.locator('.report-messages .message-text').allTextContents();
    for (const payload of XSS_PAYLOADS) assert.ok(messages.includes(payload), `message ${JSON.stringify(payload)} shown as text`);

    assert.deepEqual(watch.dialogs, [], 'no alert() ran');
    assert.deepEqual(watch.errors, []);
    const dom = await page.evaluate(() => ({
      scripts: [...document.querySelectorAll('script')].map((s) => (s.hasAttribute('nonce') ? 'nonce' : s.type || 'inline')),
      iframes: document.querySelectorAll('iframe').length,
      svgs: document.querySelectorAll('svg').length,
      badImages: [...document.querySelectorAll('img[src]')].filter((i) => !(i as HTMLImageElement).src.startsWith('data:image/png;base64,'))
        .length,
      anchors: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
      handlers: [...document.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`),
      ),
    }));
    assert.deepEqual(dom, { scripts: ['nonce'], iframes: 0, svgs: 0, badImages: 0, anchors: [], handlers: [] });
    assert.deepEqual(await watch.violations(), [], 'rendering hostile values needed nothing the CSP forbids');
  });

  it('the CSP blocks an injected inline script, inline handler and remote image, and reports each', async () => {
    const before = (await watch.violations()).length;
    const result = await page.evaluate(async () => {
      const seen: string[] = [];
      const reported = new Promise<void>((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => {
          seen.push(e.effectiveDirective);
          if (seen.length === 3) resolve();
        });
      });
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = 1';
      document.body.appendChild(s);
      const img = document.createElement('img');
      img.setAttribute('onerror', 'window.__pwned = 2');
      img.src = 'data:,not-an-image';
      document.body.appendChild(img);
      const remote = document.createElement('img');
      remote.src = 'https://example.invalid/x.png';
      document.body.appendChild(remote);
      await reported;
      return { seen: seen.sort(), pwned: (window as unknown as { __pwned?: number }).__pwned ?? null };
    });
    assert.deepEqual(result, { seen: ['img-src', 'script-src-attr', 'script-src-elem'], pwned: null });
    assert.equal((await watch.violations()).length, before + 3);
    assert.deepEqual(watch.dialogs, []);
  });
});
