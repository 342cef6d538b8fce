/**
 * Driving a real VS Code workbench (code-server, see ./codeServer.ts) in headless Chromium with
 * playwright-core: open a folder and a file, wait for the language mode, run a command from the
 * palette, read the Problems panel, reach into a webview, save screenshots to test-results/.
 *
 *   const vscode = await openWorkbench(server, folder);
 *   await vscode.openFile('sample.dirsync');
 *   await vscode.waitForLanguageMode('Dirsync');
 *   await vscode.runCommand('Dirsync: Dry Run');
 *   const report = vscode.webviewFrame();          // a FrameLocator inside the webview's content
 *
 * Every wait is on something in the DOM; the only retry is the palette's (see {@link VsCodePage.runCommand}).
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, type ChromiumSession } from './chromium';
import { atEndOfRun } from './rootHooks';
import type { CodeServer } from './codeServer';

/** Where screenshots go (gitignored). */
export const resultsDir = join(__dirname, '..', '..', 'test-results');

/** A Chromium with its own fresh profile (test/support/chromium.ts); `close()` also removes the profile. */
export type Browser = ChromiumSession;

/**
 * Launches headless Chromium (test/support/chromium.ts: Debian's `chromium`, fresh profile) and
 * registers its close with `atEndOfRun`, so a failing test still closes it.
 */
export async function launchBrowser(): Promise<Browser> {
  const session = await launchChromium();
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => (closed ??= session.close());
  atEndOfRun(close);
  return { context: session.context, page: session.page, close };
}

/** One row of the Problems panel as the user sees it. */
export interface Problem {
  /** File name as the panel shows it. */
  file: string;
  severity: 'error' | 'warning' | 'info' | 'unknown';
  message: string;
  /** The diagnostic's code as shown (e.g. `DS201`), or '' when it has none. */
  code: string;
  /** The diagnostic's source (e.g. `dirsync`), or ''. */
  source: string;
  line: number;
  column: number;
}

/** Options for {@link openWorkbench}. */
export interface OpenOptions {
  /** Extra query parameters for the workbench URL (e.g. the smoke-test driver's `payload`). */
  query?: Record<string, string>;
  /** Called before the page navigates (e.g. to `exposeFunction`). */
  beforeNavigate?: (page: Page) => Promise<void>;
  /** An existing browser to use; by default a new one that {@link VsCodePage.close} closes. */
  browser?: Browser;
}

/** Opens `folder` in the code-server workbench in Chromium and waits for the workbench to be ready. */
export async function openWorkbench(server: CodeServer, folder: string, options: OpenOptions = {}): Promise<VsCodePage> {
  const browser = options.browser ?? (await launchBrowser());
  const vscode = new VsCodePage(browser, server, !options.browser);
  await options.beforeNavigate?.(browser.page);
  await browser.page.goto(server.workbenchUrl(folder, options.query));
  await vscode.waitForWorkbench();
  return vscode;
}

/** A code-server workbench page with the actions tests need. */
export class VsCodePage {
  readonly page: Page;
  private readonly consoleLines: string[] = [];

  constructor(
    readonly browser: Browser,
    readonly server: CodeServer,
    private readonly ownsBrowser: boolean,
  ) {
    this.page = browser.page;
    this.page.on('console', (m) => this.consoleLines.push(`${m.type()}: ${m.text()}`));
    this.page.on('pageerror', (e) => this.consoleLines.push(`pageerror: ${e.message}`));
  }

  /** The page's console so far (for failure messages). */
  console(): string {
    return this.consoleLines.join('\n');
  }

  /** Waits for the workbench shell and its explorer (the folder is open and listed). */
  async waitForWorkbench(timeout = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout });
  }

  /** Navigates this page to another folder (a fresh workbench window) and waits for it. */
  async openFolder(folder: string, query?: Record<string, string>): Promise<void> {
    await this.page.goto(this.server.workbenchUrl(folder, query));
    await this.waitForWorkbench();
  }

  /**
   * Opens a file of the workspace through Quick Open (Ctrl+P) and waits until its tab is active.
   * `relativePath` is matched the way a user types it.
   */
  async openFile(relativePath: string): Promise<void> {
    const name = relativePath.split('/').pop()!;
    await this.withQuickInput('Control+P', relativePath, (row) => row.filter({ hasText: name }));
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${cssString(name)}"]`).waitFor();
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  }

  /** Waits until the status bar's language mode shows `language` (e.g. "Dirsync") and returns its text. */
  async waitForLanguageMode(language: string, timeout = 30_000): Promise<string> {
    const mode = this.page.locator('[id="status.editor.mode"]');
    await mode.filter({ hasText: language }).waitFor({ timeout });
    return (await mode.innerText()).trim();
  }

  /**
   * Runs a command by its palette title (F1, the title, then the row whose label is exactly the
   * title). The first palette search on a fresh page sometimes does not list a contributed command
   * yet (real-vscode notes: 3 times in 8): then Escape and try again, at most `attempts` times.
   */
  async runCommand(title: string, attempts = 4): Promise<void> {
    await this.withQuickInput(
      'F1',
      `>${title}`,
      (rows) => rows.filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }) }),
      attempts,
    );
  }

  /**
   * Opens the Problems panel and waits until it lists at least `atLeast` problems, then returns
   * every listed problem. With `atLeast = 0` it returns what is there once the panel is shown.
   * The panel's list is virtualized (only rows in view exist in the DOM), so it is maximized while
   * reading, then restored.
   */
  async readProblems(atLeast = 1, timeout = 30_000): Promise<Problem[]> {
    await this.runCommand('Problems: Focus on Problems View');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ timeout });
    // `nomaineditorarea` is the workbench's class while the panel is maximized.
    const maximized = this.page.locator('.monaco-workbench.nomaineditorarea');
    const restore = (await maximized.count()) === 0;
    if (restore) {
      await this.runCommand('View: Toggle Maximized Panel');
      await maximized.waitFor();
    }
    try {
      if (atLeast > 0) {
        await panel
          .locator('.monaco-list-row .marker-message')
          .nth(atLeast - 1)
          .waitFor({ timeout });
      }
      return await panel.locator('.monaco-list-row').evaluateAll(readMarkerRows);
    } finally {
      if (restore) {
        await this.runCommand('View: Toggle Maximized Panel');
        await maximized.waitFor({ state: 'detached' });
      }
    }
  }

  /**
   * The content document of a webview (VS Code nests it: `iframe.webview.ready` → `#active-frame`).
   * `index` picks among several open webviews, in DOM order.
   */
  webviewFrame(index = 0): FrameLocator {
    return this.page.locator('iframe.webview.ready').nth(index).contentFrame().locator('#active-frame').contentFrame();
  }

  /** Saves a screenshot of the whole page as test-results/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(resultsDir, { recursive: true });
    const path = join(resultsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Closes the browser if this page launched it. */
  async close(): Promise<void> {
    if (this.ownsBrowser) await this.browser.close();
  }

  /**
   * Opens a quick input with `key`, types `text`, waits for the row `pick` selects and clicks it.
   * When the row does not show within 5 s: Escape, a short pause for the workbench to finish
   * registering contributions, and again — a bounded number of times.
   */
  private async withQuickInput(key: string, text: string, pick: (rows: Locator) => Locator, attempts = 4): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press(key);
      await input.waitFor();
      await input.fill(text);
      const row = pick(widget.locator('.quick-input-list .monaco-list-row')).first();
      try {
        await row.waitFor({ timeout: 5_000 });
        await row.click();
        // Done when the quick input closes, or when the command opened a quick input of its own
        // (the same widget, without the text typed here).
        await this.page.waitForFunction((typed) => {
          const w = document.querySelector('.quick-input-widget');
          const box = w?.querySelector<HTMLInputElement>('.quick-input-box input');
          return !w?.checkVisibility() || (w.classList.contains('quick-input-widget-closing') === false && box?.value !== typed);
        }, text);
        return;
      } catch (err) {
        if (attempt >= attempts) {
          const shown = await widget
            .locator('.quick-input-list .monaco-list-row')
            .allInnerTexts()
            .catch(() => []);
          throw new Error(`"${text}" is not offered after ${attempts} tries (rows: ${JSON.stringify(shown)})`, { cause: err });
        }
        await this.page.keyboard.press('Escape');
        await widget.waitFor({ state: 'hidden' });
        await this.page.waitForTimeout(1_000 * attempt);
      }
    }
  }
}

/**
 * Runs in the page: the Problems panel's rows. A file row (its label is the file name) is followed by
 * its marker rows: severity icon, message, source, code (a link when the code has a target) and
 * `[Ln N, Col M]`. Markup as of VS Code 1.139 (markersTreeViewer).
 */
function readMarkerRows(rows: Element[]): Problem[] {
  const problems: Problem[] = [];
  let file = '';
  for (const row of rows) {
    const message = row.querySelector('.marker-message');
    if (!message) {
      file = (row.querySelector('.label-name')?.textContent ?? '').trim();
      continue;
    }
    // No local helper functions here: tsx would wrap them in `__name(…)`, which the page lacks.
    const [source, code, line] = ['.marker-source', '.marker-code', '.marker-line'].map((s) =>
      (row.querySelector(s)?.textContent ?? '').trim(),
    );
    const icon = row.querySelector('.marker-icon')?.className ?? '';
    const severity = /\berror\b/.test(icon) ? 'error' : /\bwarning\b/.test(icon) ? 'warning' : /\binfo\b/.test(icon) ? 'info' : 'unknown';
    const position = /\[Ln (\d+), Col (\d+)\]/.exec(line!);
    problems.push({
      file,
      severity,
      message: (message.textContent ?? '').trim(),
      code: code!,
      source: source!,
      line: position ? Number(position[1]) : 0,
      column: position ? Number(position[2]) : 0,
    });
  }
  return problems;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Escapes a value for a double-quoted CSS attribute selector. */
function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
