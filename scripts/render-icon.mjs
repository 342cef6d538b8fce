#!/usr/bin/env node
// Renders client/media/icon.svg to client/media/icon.png (256×256, the Marketplace wants ≥128×128)
// with headless Chromium (Debian `chromium`, driven by playwright-core). Run after editing the SVG
// and commit both files: packaging uses the committed PNG and never needs a browser.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'client/media/icon.svg'), 'utf8');
const size = 256;
const profile = mkdtempSync(join(tmpdir(), 'dirsync-icon-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: size, height: size },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await context.newPage();
  // The SVG as an <img> from a data: URL: no script, no network, transparent corners kept.
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  await page.setContent(
    `<html><body style="margin:0;background:transparent"><img id="i" width="${size}" height="${size}" src="${src}"></body></html>`,
  );
  await page.locator('#i').evaluate((img) => (img.complete ? undefined : new Promise((r) => (img.onload = r))));
  const out = join(root, 'client/media/icon.png');
  await page.locator('#i').screenshot({ path: out, omitBackground: true });
  console.log(`wrote ${out} (${size}×${size})`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
