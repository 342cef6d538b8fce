/**
 * The run commands in a real VS Code (code-server + Chromium) with the packaged extension, on
 * sample-configs/demo.dirsync (its LDIF export) and the local cloud started in-process: "Dirsync:
 * Dry Run" from the palette opens the report webview, whose summary cards show the counts of the
 * report the engine saved, and the status bar shows the drift; "Dirsync: Full Sync" asks in a
 * modal with the plan's counts and, on "Sync", writes exactly that plan to the cloud.
 */
import { strict as assert } from 'node:assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCodeServer, startCodeServer, type CodeServer } from '../support/codeServer';
import { scratchWorkspace } from '../support/scratchWorkspace';
import { openWorkbench, type VsCodePage } from '../support/vscodePage';
import { packagedVsix, repoRoot } from '../support/vsix';
import { newestSavedReport } from '../../server/src/runs/lastReport';
import type { SyncReport } from '../../common/report';
import { driftCounts, driftText } from '../../client/src/runs/format';
import { startCloudFixture, TOKEN, type CloudFixture } from '../support/cloud';

async function cloudUsers(cloud: CloudFixture): Promise<number> {
  const res = await fetch(`${cloud.cloud.baseUrl}/Users?count=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await res.json()) as { totalResults: number }).totalResults;
}

/**
 * Keyboard focus back in the workbench: after a webview had it, F1 and Ctrl+P go to the webview's
 * frame and the palette may not open. A click on the config in the explorer takes it back.
 */
async function focusWorkbench(vscode: VsCodePage): Promise<void> {
  await vscode.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'demo.dirsync' }).click();
}

/** The h1 of the Markdown preview an explanation opened beside the report (two webviews, either order). */
async function explanationTitle(vscode: VsCodePage): Promise<string> {
  await vscode.page.locator('iframe.webview.ready').nth(1).waitFor();
  const headings = [0, 1].map((i) => vscode.webviewFrame(i).locator('h1', { hasText: /^Explain / }));
  const found = await Promise.any(headings.map(async (h) => (await h.waitFor(), h)));
  return (await found.innerText()).trim();
}

describe('run commands in a real VS Code (code-server + Chromium, demo.dirsync → local cloud)', function () {
  this.timeout(240_000);
  let cloud: CloudFixture;
  let server: CodeServer;
  let vscode: VsCodePage | undefined;
  let folder: string;

  before(async function () {
    const found = findCodeServer();
    if ('missing' in found) {
      if (process.env.CI) throw new Error(found.missing);
      console.warn(`    skipped: ${found.missing}`);
      this.skip();
    }
    cloud = await startCloudFixture({ orgId: 'demo-org', dialect: 'webex' });
    // The extension host inherits it: the demo's `${env:DIRSYNC_CLOUD_TOKEN}`.
    server = await startCodeServer(found, { label: 'run', env: { DIRSYNC_CLOUD_TOKEN: TOKEN } });
    await server.installExtension((await packagedVsix()).path);
    const text = readFileSync(join(repoRoot, 'sample-configs/demo.dirsync'), 'utf8').replaceAll('http://127.0.0.1:8787', cloud.cloud.url);
    folder = scratchWorkspace({ 'demo.dirsync': text }, 'vscode-run');
    cpSync(join(repoRoot, 'sample-configs/data'), join(folder, 'data'), { recursive: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && vscode) {
      console.log(`    screenshot: ${await vscode.screenshot(`run-failed-${this.currentTest.title}`)}`);
      console.log(vscode.console().split('\n').slice(-30).join('\n'));
    }
  });

  after(async () => {
    await vscode?.close();
    await server?.stop();
    await cloud?.close();
  });

  it('"Dirsync: Dry Run" from the palette opens the report webview with the saved report\'s counts, and the drift in the status bar', async () => {
    vscode = await openWorkbench(server, folder);
    await vscode.openFile('demo.dirsync');
    await vscode.waitForLanguageMode('Dirsync');
    await vscode.runCommand('Dirsync: Dry Run');
    const report = vscode.webviewFrame();
    await report.locator('body[data-loaded="true"]').waitFor({ timeout: 90_000 });
    const saved = await newestSavedReport(join(folder, 'demo.dirsync'), [join(folder, '.dirsync', 'reports')]);
    assert.ok(saved, 'the engine saved no report');
    const summary: SyncReport['summary'] = saved.report.summary;
    assert.equal(saved.report.mode, 'dryRun');
    assert.ok(summary.added > 0);
    for (const category of ['added', 'modified', 'deleted', 'groups', 'contacts', 'rooms'] as const) {
      const shown = (await report.locator(`.card[data-category="${category}"] .card-count`).innerText()).trim();
      assert.equal(shown, summary[category].toLocaleString('en-US'), `${category} card`);
    }
    await vscode.screenshot('run-dry-run-report');
    // The pictures' tab: the extension reads the thumbnails of the rows on screen from the folder
    // beside the saved report and the rows show them.
    await report.locator('vscode-tab-header[data-tab="avatars"]').click();
    await report.locator('.vrow img.row-thumb[src^="data:image/"]').first().waitFor({ timeout: 30_000 });
    await vscode.screenshot('run-dry-run-report-avatars');
    // Back in the editor, the status bar shows the drift of that dry run.
    await focusWorkbench(vscode);
    await vscode.openFile('demo.dirsync');
    const d = driftCounts(saved.report.work);
    assert.ok(d.create > 0);
    const drift = vscode.page.locator('.statusbar-item', { hasText: driftText(d) });
    await drift.waitFor();
    assert.equal(await cloudUsers(cloud), 0, 'a dry run writes nothing');
  });

  it('"Dirsync: Full Sync" shows the plan\'s counts in a modal and, on "Sync", applies it', async () => {
    assert.ok(vscode);
    await focusWorkbench(vscode);
    await vscode.openFile('demo.dirsync');
    await vscode.runCommand('Dirsync: Full Sync');
    const dialog = vscode.page.locator('.monaco-dialog-box', { hasText: 'Apply this plan to the cloud?' });
    await dialog.waitFor({ timeout: 90_000 });
    const detail = await dialog.innerText();
    const saved = (await newestSavedReport(join(folder, 'demo.dirsync'), [join(folder, '.dirsync', 'reports')]))!;
    assert.match(detail, new RegExp(`Users: ${saved.report.work.users.create} to create\\b`));
    assert.ok(detail.includes(saved.report.sessionId), "the dialog names the plan's session");
    const creates = saved.report.items.filter((i) => (i.objectType === 'user' || i.objectType === 'room') && i.action === 'create').length;
    await vscode.screenshot('run-full-sync-confirmation');
    await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
    await vscode.page.locator('.notifications-toasts', { hasText: 'Dirsync: full sync done' }).waitFor({ timeout: 90_000 });
    assert.equal(await cloudUsers(cloud), creates);
  });

  it('"Dirsync: Show Last Report" reopens the newest report (the sync\'s); its Explain button explains the object', async () => {
    assert.ok(vscode);
    await focusWorkbench(vscode);
    await vscode.runCommand('View: Close All Editors');
    await vscode.openFile('demo.dirsync');
    await vscode.runCommand('Dirsync: Show Last Report');
    await vscode.page.locator('.tabs-container .tab.active[aria-label^="Sync: corp.example.com (demo)"]').waitFor();
    const report = vscode.webviewFrame();
    await report.locator('body[data-loaded="true"]').waitFor({ timeout: 60_000 });
    assert.ok(Number((await report.locator('body').getAttribute('data-rows')) ?? '0') > 0);

    // The report's "Explain" on an object runs Explain Object for it.
    const saved = (await newestSavedReport(join(folder, 'demo.dirsync'), [join(folder, '.dirsync', 'reports')]))!;
    const user = saved.report.items.find((i) => i.objectType === 'user' && i.category === 'added' && i.displayName)!;
    // Its row (by DN: display names repeat), clicked on the name, which is always in view.
    await report
      .locator('[role="row"]', { has: report.locator('.cell.col-dn', { hasText: user.dn! }) })
      .locator('.cell.col-name')
      .click();
    await report.locator('aside.detail .detail-title', { hasText: user.displayName! }).waitFor();
    await report.locator('aside.detail vscode-button', { hasText: 'Explain' }).click();
    const title = await explanationTitle(vscode);
    assert.equal(title, `Explain ${user.dn}`);
  });

  it('"Dirsync: Explain Object" takes a typed DN and shows the explanation in the Markdown preview', async () => {
    assert.ok(vscode);
    const saved = (await newestSavedReport(join(folder, 'demo.dirsync'), [join(folder, '.dirsync', 'reports')]))!;
    const user = saved.report.items.find((i) => i.objectType === 'user' && i.dn && i.action !== 'skip')!;
    await focusWorkbench(vscode);
    await vscode.runCommand('View: Close All Editors');
    await vscode.openFile('demo.dirsync');
    await vscode.runCommand('Dirsync: Explain Object');
    const input = vscode.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(user.dn!);
    await vscode.page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'explain this DN or userName' })
      .waitFor();
    await vscode.page.keyboard.press('Enter');
    const preview = vscode.webviewFrame();
    const title = preview.locator('h1');
    await title.waitFor({ timeout: 60_000 });
    assert.equal((await title.innerText()).trim(), `Explain ${user.dn}`);
    const selections = preview.locator('table').first();
    assert.match(await selections.innerText(), /users\s+yes\s+yes\s+yes/);
    await vscode.screenshot('run-explain-object');
  });

  it('over the deletion threshold "Dirsync: Full Sync" is refused: a modal lists what would go, the report opens on it', async () => {
    assert.ok(vscode);
    const before = await cloudUsers(cloud);
    const file = join(folder, 'demo.dirsync');
    // A users filter nobody matches: every synchronized user would be deleted.
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"users": { "enabled": true }', '"users": { "enabled": true, "filter": "(cn=nobody-at-all)" }'));
    await focusWorkbench(vscode);
    await vscode.runCommand('View: Close All Editors');
    await vscode.openFile('demo.dirsync');
    await vscode.page.locator('.view-lines', { hasText: 'nobody-at-all' }).waitFor();
    await vscode.runCommand('Dirsync: Full Sync');
    const dialog = vscode.page.locator('.monaco-dialog-box', { hasText: 'Sync refused' });
    await dialog.waitFor({ timeout: 90_000 });
    const saved = (await newestSavedReport(file, [join(folder, '.dirsync', 'reports')]))!;
    assert.ok(saved.report.threshold.exceeded);
    const going = saved.report.items.filter((i) => i.category === 'deleted');
    assert.ok(going.length > 0);
    assert.ok((await dialog.innerText()).includes(`• ${going[0]!.dn ?? going[0]!.userName}`), await dialog.innerText());
    await vscode.screenshot('run-full-sync-refused');
    await vscode.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    const report = vscode.webviewFrame();
    await report.locator('body[data-tab="deleted"]').waitFor();
    await report.locator('aside.detail .detail-title', { hasText: going[0]!.displayName ?? going[0]!.userName ?? '' }).waitFor();
    assert.equal(await cloudUsers(cloud), before, 'nothing was deleted');
    writeFileSync(file, text);
  });
});
