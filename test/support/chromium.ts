/**
 * Headless Chromium for the webview tests and benchmarks: Debian's `chromium` driven by
 * playwright-core (no browser download). Each launch gets a fresh profile directory, removed on close.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where Debian's `apt-get install chromium` puts the browser; override with DIRSYNC_CHROMIUM. */
export const CHROMIUM_PATH = process.env.DIRSYNC_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumSession {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile; `close()` stops it and deletes the profile. */
export async function launchChromium(
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<ChromiumSession> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (or set DIRSYNC_CHROMIUM).`);
  const profile = mkdtempSync(join(tmpdir(), 'dirsync-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: options.viewport ?? { width: 1400, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
