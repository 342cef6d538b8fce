/**
 * Helpers for driving the report UI in Chromium: open a standalone report file, wait for the rows
 * the UI says it rendered (the `dirsync-report:rendered` event / `body[data-rows]`), read rows and
 * tabs, and save screenshots under test-results/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { SyncReport } from '../../common/report';
import { standaloneReportHtml } from '../../server/src/sync/report/htmlAssets';
import { writeFixtureThumbnails } from './reports';

export const RESULTS_DIR = resolve(__dirname, '../../test-results/webview');

/** Saves a full-page screenshot as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`) });
}

/**
 * Writes the standalone HTML of `report` to a temp file; `cleanup` removes it. The fixture
 * thumbnails are saved beside it as the engine saves them, and embedded from there.
 */
export function writeStandalone(report: SyncReport): { file: string; url: string; html: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dirsync-report-'));
  const file = join(dir, 'report.html');
  writeFixtureThumbnails(dir);
  const html = standaloneReportHtml(report, { reportsDir: dir });
  writeFileSync(file, html);
  return { file, url: pathToFileURL(file).href, html, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Records dialogs, page errors and CSP violations for the page's whole life. */
export async function watchPage(page: Page): Promise<{ dialogs: string[]; errors: string[]; violations(): Promise<string[]> }> {
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // Init scripts are injected by the browser itself, before the page's own scripts and outside its CSP.
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`));
  });
  return { dialogs, errors, violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations) };
}

/** Waits until the UI reports `n` rows in the current view (and, optionally, this tab). */
export async function waitForRows(page: Page, n: number, tab?: string, query?: string): Promise<void> {
  await page.waitForFunction(
    ([rows, t, q]) =>
      document.body.dataset.rows === String(rows) &&
      (t === undefined || document.body.dataset.tab === t) &&
      (q === undefined || document.body.dataset.query === q),
    [n, tab, query] as const,
  );
}

/** Texts of the name cells of the rows in the DOM, top to bottom. */
export async function visibleNames(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.vrow:not([hidden])')]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
      .map((r) => r.querySelector('.col-name .text')!.textContent ?? ''),
  );
}

/** The count shown on a tab's badge. */
export async function tabCount(page: Page, tab: string): Promise<string> {
  return (await page.locator(`vscode-tab-header[data-tab="${tab}"] vscode-badge`).textContent()) ?? '';
}

/** Clicks a tab and waits for its rows. */
export async function openTab(page: Page, tab: string, rows: number): Promise<void> {
  await page.locator(`vscode-tab-header[data-tab="${tab}"]`).click();
  await waitForRows(page, rows, tab);
}

/** Replaces the search text (focus with `/`, select all, type) and waits for `rows`. */
export async function search(page: Page, text: string, rows: number): Promise<void> {
  await page.locator('.vlist').focus();
  await page.keyboard.press('/');
  await page.keyboard.press('Control+A');
  if (text) await page.keyboard.insertText(text);
  else await page.keyboard.press('Backspace');
  // Wait for the rows of this query: the previous query may have had the same count.
  await waitForRows(page, rows, undefined, text);
}

/** en-US grouping, as the UI shows counts. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
