/**
 * Report UI detail pane with long values (prints; never fails): in headless Chromium, the standalone
 * report of a small report whose first object carries attribute values of N characters in all (old
 * and new values of four attributes) of three kinds: one unbroken run (a blob), words, and
 * tab-separated lines (a pasted table). Measured: a click on the object's row → the frame after the
 * detail pane was built (style, layout and paint included), for N = 5k, 20k, 50k, 200k (target at
 * 200k ≤ 100 ms); each click on a freshly loaded page. `BENCH_DETAIL_SIZES=5000,200000` and
 * `BENCH_DETAIL_KINDS=words,unbroken` pick sizes and kinds. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { AttributeChange, ReportItem, SyncReport } from '../../common/report';
import { standaloneReportHtml } from '../../server/src/sync/report/htmlAssets';
import { launchChromium } from '../support/chromium';
import { makeReport } from '../support/reports';

const SIZES = (process.env.BENCH_DETAIL_SIZES ?? '5000,20000,50000,200000').split(',').map(Number);
const ONLY = process.env.BENCH_DETAIL_KINDS?.split(',');
const CLICKS = 3;
const ATTRIBUTES = 4;

/** Kinds of long values: one unbroken run (a blob, a certificate), words, tab-separated lines (a pasted table). */
const KINDS = ['unbroken', 'words', 'tabs and lines'] as const;
type Kind = (typeof KINDS)[number];

/** `length` characters of text of a kind, deterministic. */
function longText(length: number, seed: number, kind: Kind): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/';
  const out: string[] = [];
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    if (kind === 'words' && i % 9 === 8) out.push(' ');
    else if (kind === 'tabs and lines' && i % 80 === 79) out.push('\n');
    else if (kind === 'tabs and lines' && i % 10 === 9) out.push('\t');
    else out.push(alphabet[x % alphabet.length]!);
  }
  return out.join('');
}

/** A report whose first item has ATTRIBUTES changes, old and new values totalling `total` characters. */
function reportWithLongValues(total: number, kind: Kind): SyncReport {
  const report = makeReport({ total: 50 });
  const first = report.items[0]!;
  const each = Math.floor(total / (ATTRIBUTES * 2));
  const changes: AttributeChange[] = Array.from({ length: ATTRIBUTES }, (_, i) => ({
    attribute: `extensionAttribute${i + 1}`,
    scimPath: `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:extensionAttribute${i + 1}`,
    old: longText(each, i * 2 + 1, kind),
    new: longText(each, i * 2 + 2, kind),
  }));
  const item: ReportItem = { ...first, changes };
  return { ...report, items: [item, ...report.items.slice(1)] };
}

/** ms from a click on row 0 to the frame after the detail pane shows the object. */
async function timeOpenDetail(p: Page): Promise<number> {
  return p.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const row = document.querySelector<HTMLElement>('.vrow[data-index="0"]')!;
        const t0 = performance.now();
        row.click();
        // The pane is filled synchronously in the click handler; the task queued from the next
        // animation frame runs after that frame's style, layout and paint.
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      }),
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dirsync-bench-detail-'));
  const session = await launchChromium({ viewport: { width: 1400, height: 900 } });
  const p = session.page;
  try {
    for (const kind of KINDS.filter((k) => !ONLY || ONLY.includes(k))) {
      for (const size of SIZES) {
        const file = join(dir, `detail-${size}-${kind.replace(/ /g, '-')}.html`);
        writeFileSync(file, standaloneReportHtml(reportWithLongValues(size, kind)));
        const samples: number[] = [];
        let chars = 0;
        for (let i = 0; i < CLICKS; i++) {
          await p.goto(pathToFileURL(file).href);
          await p.waitForSelector('.vrow[data-index="0"]:not([hidden])');
          samples.push(await timeOpenDetail(p));
          chars = await p.evaluate(() =>
            [...document.querySelectorAll('.detail .change-values .value')].reduce((n, e) => n + (e.textContent?.length ?? 0), 0),
          );
        }
        const sorted = [...samples].sort((a, b) => a - b);
        console.log(
          `${kind}, values totalling ${size.toLocaleString('en-US')} chars (${chars.toLocaleString('en-US')} in the pane): ` +
            `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms (runs: ${samples.map((s) => s.toFixed(1)).join(', ')})`,
        );
      }
    }
  } finally {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
