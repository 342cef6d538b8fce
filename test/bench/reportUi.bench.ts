/**
 * Report UI benchmark (issue 8): in headless Chromium, on a 100k-object report,
 *   1. open → first rows painted: from the moment the report is posted to the page (as the VS Code
 *      host does) to the first frame with rows on screen;
 *   2. search keystroke → updated rows painted (first keystroke after a pause, and Backspace);
 * each as a ratio to the same work on a plain, non-virtualized HTML table of the same rows built in
 * the same run (target ≤ 0.1 for both). Also prints, without a target, the wall time of opening the
 * standalone HTML file. Prints; never asserts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { SyncReport } from '../../common/report';
import { jsonForHtml, renderStandaloneReport } from '../../server/src/sync/report/html';
import { loadReportUiAssets } from '../../server/src/sync/report/htmlAssets';
import { itemSearchText } from '../../common/reportQuery';
import { makeReport } from '../support/reports';
import { launchChromium } from '../support/chromium';
import { BASELINE_SCRIPT, baselineRowCells } from './reportUiBaseline';

const TOTAL = Number(process.env.BENCH_REPORT_ITEMS ?? 100_000);
const REPEAT = 3;
const BASELINE_REPEAT = 2;
const KEYS = ['k', 'Backspace', 'w', 'Backspace', 'j', 'Backspace', 'q', 'Backspace'];
const NONCE = 'YmVuY2htYXJrLW5vbmNlLTEyMzQ=';
const CSP = `default-src 'none'; script-src 'nonce-${NONCE}'; style-src 'nonce-${NONCE}'; img-src data:; font-src data:`;

function page(body: string, css = ''): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><style nonce="${NONCE}">${css}</style></head><body>${body}</body></html>`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * In-page: posts the report the way `mode` says and resolves with the ms from just before the post
 * to the frame after `eventName` fired (rows painted: a task queued from requestAnimationFrame runs
 * after that frame).
 */
async function timeOpen(p: Page, eventName: string, mode: 'whole' | 'pieces'): Promise<number> {
  return p.evaluate(
    ([ev, how]) =>
      new Promise<number>((resolve) => {
        const report = (window as unknown as { __r: SyncReport }).__r;
        const t0 = performance.now();
        document.addEventListener(ev, () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0)), {
          once: true,
        });
        if (how === 'whole') {
          window.postMessage({ type: 'report', report }, '*');
        } else {
          const { items, ...meta } = report;
          window.postMessage({ type: 'reportBegin', report: meta, itemCount: items.length }, '*');
          window.postMessage({ type: 'reportItems', offset: 0, items: items.slice(0, 1000), done: false }, '*');
        }
      }),
    [eventName, mode] as const,
  );
}

/** ms from keydown of `key` to the frame after the list/table was updated. */
async function timeKey(p: Page, key: string, eventName: string): Promise<number> {
  await p.evaluate((ev) => {
    const w = window as unknown as { __lat: Promise<number> };
    w.__lat = new Promise((resolve) => {
      document.addEventListener(
        'keydown',
        () => {
          const t0 = performance.now();
          document.addEventListener(ev, () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0)), {
            once: true,
          });
        },
        { once: true, capture: true },
      );
    });
  }, eventName);
  await p.keyboard.press(key);
  const ms = await p.evaluate(() => (window as unknown as { __lat: Promise<number> }).__lat);
  // A user's pause between keystrokes: longer than the UI's search debounce, so each keystroke is
  // the first of a burst (answered at once) rather than coalesced with the next.
  await p.waitForTimeout(200);
  return ms;
}

async function main(): Promise<void> {
  const t = Date.now();
  const report: SyncReport = makeReport({ total: TOTAL });
  const assets = loadReportUiAssets();
  const haystacks = report.items.map(itemSearchText);
  const rows = report.items.map(baselineRowCells);
  const dir = mkdtempSync(join(tmpdir(), 'dirsync-bench-'));
  const data = `<script type="application/json" id="bench-data">${jsonForHtml(report)}</script>`;
  const uiFile = join(dir, 'ui.html');
  writeFileSync(uiFile, page(`<main id="app"></main>${data}<script nonce="${NONCE}">${assets.js}</script>`, assets.css));
  const baseFile = join(dir, 'baseline.html');
  writeFileSync(
    baseFile,
    page(
      `<input id="q" aria-label="search"><div id="out"></div><script type="application/json" id="bench-rows">${jsonForHtml(rows)}</script>` +
        `<script type="application/json" id="bench-hay">${jsonForHtml(haystacks)}</script>${data}<script nonce="${NONCE}">${BASELINE_SCRIPT}</script>`,
      'table{border-collapse:collapse;font:13px sans-serif}td{padding:0 6px;white-space:nowrap}',
    ),
  );
  const standaloneFile = join(dir, 'standalone.html');
  writeFileSync(standaloneFile, renderStandaloneReport(report, assets.js, assets.css));
  console.log(
    `report: ${TOTAL.toLocaleString('en-US')} items, ${(JSON.stringify(report).length / 1e6).toFixed(1)} MB of JSON; setup ${((Date.now() - t) / 1000).toFixed(1)}s`,
  );

  const session = await launchChromium({ viewport: { width: 1400, height: 900 } });
  const p = session.page;
  const results: Record<string, number[]> = {};
  const add = (k: string, v: number) => (results[k] ??= []).push(v);
  const load = async (file: string) => {
    await p.goto(pathToFileURL(file).href);
    await p.evaluate(() => {
      (window as unknown as { __r: unknown }).__r = JSON.parse(document.getElementById('bench-data')!.textContent!);
    });
  };
  const label = (key: string) => (key === 'Backspace' ? 'Backspace (back to all rows)' : 'letter');
  try {
    for (let r = 0; r < REPEAT; r++) {
      // Ours, the whole report in one message, then keystrokes in the search box.
      await load(uiFile);
      add('open: virtualized, one message', await timeOpen(p, 'dirsync-report:rendered', 'whole'));
      await p.waitForSelector('body[data-indexed]');
      await p.locator('vscode-textfield input').focus();
      for (const key of KEYS) add(`search: virtualized, ${label(key)}`, await timeKey(p, key, 'dirsync-report:rendered'));

      // Ours, the report in pieces as reportPanel.ts sends it (first piece: 1,000 items).
      await load(uiFile);
      add('open: virtualized, in pieces', await timeOpen(p, 'dirsync-report:rendered', 'pieces'));

      // The standalone HTML file: navigation start → first rows (no baseline; informational).
      await p.goto('about:blank');
      const started = Date.now();
      await p.goto(pathToFileURL(standaloneFile).href);
      await p.waitForSelector('.vrow:not([hidden])');
      add('standalone file: navigation → first rows (wall)', Date.now() - started);
    }
    // The baseline is slow (seconds per action): fewer rounds.
    for (let r = 0; r < BASELINE_REPEAT; r++) {
      await load(baseFile);
      add('open: plain table', await timeOpen(p, 'baseline:rendered', 'whole'));
      if (r > 0) continue;
      await p.locator('#q').focus();
      for (const key of KEYS.slice(0, 4)) add(`search: plain table, ${label(key)}`, await timeKey(p, key, 'baseline:rendered'));
    }
  } finally {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const m = (k: string) => median(results[k] ?? [NaN]);
  const fmt = (ms: number) => `${ms.toFixed(1).padStart(8)} ms`;
  for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(50)} ${fmt(median(v))}  (median of ${v.length})`);
  const ratio = (a: string, b: string) => (m(a) / m(b)).toFixed(3);
  console.log(`ratio open, one message / plain table:    ${ratio('open: virtualized, one message', 'open: plain table')}  (target ≤ 0.1)`);
  console.log(`ratio open, in pieces / plain table:      ${ratio('open: virtualized, in pieces', 'open: plain table')}  (target ≤ 0.1)`);
  console.log(
    `ratio search letter / plain table:        ${ratio('search: virtualized, letter', 'search: plain table, letter')}  (target ≤ 0.1)`,
  );
  console.log(
    `ratio search Backspace / plain table:     ${ratio('search: virtualized, Backspace (back to all rows)', 'search: plain table, Backspace (back to all rows)')}  (target ≤ 0.1)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
