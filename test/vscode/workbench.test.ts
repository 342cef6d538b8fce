import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findCodeServer, startCodeServer, type CodeServer, type CodeServerInstall } from '../support/codeServer';
import { scratchWorkspace } from '../support/scratchWorkspace';
import { openWorkbench, type VsCodePage } from '../support/vscodePage';
import { extensionId, extensionManifest, packagedVsix, repoRoot } from '../support/vsix';

/** One diagnostic as `dirsync check --format json` prints it. */
interface CheckRecord {
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

/** The same engine headless: what the Problems panel must show for `file`. */
async function check(file: string): Promise<CheckRecord[]> {
  const run = promisify(execFile)(process.execPath, [join(repoRoot, 'dist/cli.js'), 'check', '--format', 'json', file]);
  // Exit code 1 means "errors found", which is the point of an invalid sample.
  const { stdout } = await run.catch((err: { stdout?: string; code?: number }) => {
    if (err.code === 1 && err.stdout) return { stdout: err.stdout };
    throw err;
  });
  return JSON.parse(stdout) as CheckRecord[];
}

/** A config a user would start from (the README's tour shape); validity is not what this suite checks. */
const sampleConfig = `{
  // Read people from the domain controller, write them to Webex.
  "directory": {
    "type": "adds",
    "url": "ldaps://dc1.example.com",
    "bindDn": "CN=svc-dirsync,OU=Service Accounts,DC=example,DC=com",
    "password": "\${env:DIRSYNC_BIND_PASSWORD}",
    "baseDns": ["OU=Staff,DC=example,DC=com"]
  },
  "cloud": { "type": "webex", "orgId": "example-org", "token": "\${env:WEBEX_TOKEN}" }
}
`;

describe('the extension in a real VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  let install: CodeServerInstall;
  let server: CodeServer;
  let vscode: VsCodePage | undefined;

  before(async function () {
    const found = findCodeServer();
    if ('missing' in found) {
      if (process.env.CI) throw new Error(found.missing);
      console.warn(`    skipped: ${found.missing}`);
      this.skip();
    }
    install = found;
    server = await startCodeServer(install, { label: 'workbench' });
    const vsix = await packagedVsix();
    const installed = await server.installExtension(vsix.path);
    assert.match(installed, new RegExp(`${extensionManifest.name}-${extensionManifest.version}\\.vsix' was successfully installed`));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && vscode) {
      console.log(`    screenshot: ${await vscode.screenshot(`workbench-failed-${this.currentTest.title}`)}`);
      console.log(vscode.console().split('\n').slice(-30).join('\n'));
    }
  });

  after(async () => {
    await vscode?.close();
    await server?.stop();
  });

  it('installs the .vsix as publisher.name', async () => {
    // code-server lays an installed extension out as <id>-<version> in the extensions dir.
    const { readdirSync } = await import('node:fs');
    assert.ok(
      readdirSync(server.extensionsDir).includes(`${extensionId}-${extensionManifest.version}`),
      `no ${extensionId}-${extensionManifest.version} in ${readdirSync(server.extensionsDir).join(', ')}`,
    );
  });

  it('opens a .dirsync file of a workspace in language mode "Dirsync"', async () => {
    const folder = scratchWorkspace({ 'people.dirsync': sampleConfig }, 'vscode-ws');
    vscode = await openWorkbench(server, folder);
    await vscode.openFile('people.dirsync');
    assert.equal(await vscode.waitForLanguageMode('Dirsync'), 'Dirsync');
    await vscode.screenshot('workbench-dirsync-language-mode');
  });

  it("shows an invalid sample config's diagnostics, with their codes, in the Problems panel", async () => {
    const sample = 'sample-configs/invalid/structure.dirsync';
    const text = readFileSync(join(repoRoot, sample), 'utf8');
    // The sample names the codes it must produce in its first line: `// expect: DS101 DS102 …`.
    const expectedCodes = /^\/\/ expect: (.*)$/m.exec(text)![1]!.trim().split(/\s+/).sort();
    const folder = scratchWorkspace({ 'structure.dirsync': text }, 'vscode-invalid');
    const fromCli = await check(join(folder, 'structure.dirsync'));
    assert.deepEqual([...new Set(fromCli.map((r) => r.code))].sort(), expectedCodes, 'dirsync check disagrees with the sample');

    if (vscode) await vscode.openFolder(folder);
    else vscode = await openWorkbench(server, folder);
    await vscode.openFile('structure.dirsync');
    await vscode.waitForLanguageMode('Dirsync');
    const problems = await vscode.readProblems(fromCli.length);
    await vscode.screenshot('workbench-problems-invalid-structure');

    const shown = problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.code} ${p.file}`).sort();
    const wanted = fromCli
      .map((r) => `${r.line}:${r.column} ${r.severity === 'information' ? 'info' : r.severity} ${r.code} structure.dirsync`)
      .sort();
    assert.deepEqual(shown, wanted);
    for (const p of problems) {
      assert.equal(p.source, 'dirsync', `source of ${p.code}`);
      assert.equal(p.message, fromCli.find((r) => r.code === p.code && r.line === p.line)?.message);
    }
  });

  // The helpers later suites build on (run a contributed command, read a webview), checked against
  // VS Code's built-in Markdown preview, a webview like the report's.
  it('runs a contributed command from the palette and reads the webview it opens', async () => {
    const folder = scratchWorkspace({ 'notes.md': '# Dry run checklist\n\nReview *mismatched* objects first.\n' }, 'vscode-md');
    if (vscode) await vscode.openFolder(folder);
    else vscode = await openWorkbench(server, folder);
    await vscode.openFile('notes.md');
    await vscode.waitForLanguageMode('Markdown');
    await vscode.runCommand('Markdown: Open Preview');
    const preview = vscode.webviewFrame();
    await preview.locator('h1', { hasText: 'Dry run checklist' }).waitFor();
    assert.equal(await preview.locator('em').innerText(), 'mismatched');
    await vscode.screenshot('workbench-webview-markdown-preview');
  });
});
