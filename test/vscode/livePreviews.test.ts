/**
 * Live previews in a real VS Code (code-server + Chromium), with the packaged extension: a config
 * pointing at the Samba fixture opens unbound (one message says why), "Dirsync: Bind Directory…"
 * binds it with the password from the environment (`${secret:corp-bind}` → DIRSYNC_SECRET_CORP_BIND,
 * read by the extension host), and the editor shows the live count as a CodeLens and the bound
 * directory in the status bar.
 */
import { strict as assert } from 'node:assert';
import { findCodeServer, startCodeServer, type CodeServer } from '../support/codeServer';
import type { SambaFixture } from '../fixtures/samba/index';
import { scratchWorkspace } from '../support/scratchWorkspace';
import { openWorkbench, type VsCodePage } from '../support/vscodePage';
import { packagedVsix } from '../support/vsix';
import { DEFAULT_FILTERS } from '../../server/src/language/config/defaults';
import { OU, ldapsearch, testDc } from '../support/directory';
import { configText } from '../support/liveConfig';

describe('live previews in a real VS Code (code-server + Chromium, Samba fixture)', function () {
  this.timeout(240_000);
  let f: SambaFixture;
  let server: CodeServer;
  let vscode: VsCodePage | undefined;

  before(async function () {
    const found = findCodeServer();
    if ('missing' in found) {
      if (process.env.CI) throw new Error(found.missing);
      console.warn(`    skipped: ${found.missing}`);
      this.skip();
    }
    f = await testDc();
    // The extension host inherits this: the CLI's name for ${secret:corp-bind}.
    server = await startCodeServer(found, { label: 'live', env: { DIRSYNC_SECRET_CORP_BIND: f.password } });
    await server.installExtension((await packagedVsix()).path);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && vscode) {
      console.log(`    screenshot: ${await vscode.screenshot(`live-failed-${this.currentTest.title}`)}`);
      console.log(vscode.console().split('\n').slice(-30).join('\n'));
    }
  });

  after(async () => {
    await vscode?.close();
    await server?.stop();
  });

  it('binds to the fixture and shows the live count as a CodeLens and the directory in the status bar', async () => {
    const users = (await ldapsearch(f, ['-b', OU.people, DEFAULT_FILTERS.users, '1.1']))
      .split('\n')
      .filter((l) => l.startsWith('dn:')).length;
    const folder = scratchWorkspace({ 'corp.dirsync': configText(f, f.ldapUrl) }, 'vscode-live');
    vscode = await openWorkbench(server, folder);
    await vscode.openFile('corp.dirsync');
    await vscode.waitForLanguageMode('Dirsync');
    const page = vscode.page;
    // Unbound: the status bar and one message say why the live parts are off.
    await page.locator('.statusbar-item', { hasText: 'Directory: not bound' }).waitFor();
    await page.locator('.notifications-toasts', { hasText: 'Live previews for corp.dirsync are off: no directory is bound' }).waitFor();

    await vscode.runCommand('Dirsync: Bind Directory…');
    const lens = page.locator('.codelens-decoration', { hasText: `${users.toLocaleString('en-US')} users match` });
    await lens.waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: f.ldapUrl }).filter({ hasText: 'entries' }).waitFor();
    const status = (await page.locator('.statusbar-item', { hasText: f.ldapUrl }).first().innerText()).trim();
    assert.match(status, new RegExp(`${f.ldapUrl.replace(/[./]/g, '\\$&')} · [\\d,]+ entries`));
    await vscode.screenshot('live-bound-codelens');
  });
});
