/**
 * The standard extension-test entry (`extensionTestsPath`): VS Code loads this module inside a real
 * extension host and awaits `run()`; a rejection makes the host exit with code 1. Both runners use
 * it: code-server through the smoke-test driver (test/fixtures/extensionHostRunner.ts, part of
 * `npm test`) and `@vscode/test-electron` (test/vscode/electron/runTest.ts, `npm run test:electron`).
 *
 * Built by esbuild (test/vscode/buildExtensionHostTests.ts) into out/test/extensionHost/, one file
 * per `*.test.ts` beside this index; mocha stays external and loads from the repository's node_modules.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/** What `run()` writes to `$DIRSYNC_EXTHOST_RESULT` for the outer test to report. */
export interface ExtensionHostResult {
  passed: string[];
  failed: Array<{ title: string; error: string }>;
  pending: string[];
}

/** Runs every `*.test.js` beside this file; `DIRSYNC_EXTHOST_GREP` narrows by title. */
export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    ...(process.env.DIRSYNC_EXTHOST_GREP ? { grep: process.env.DIRSYNC_EXTHOST_GREP } : {}),
  });
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(join(__dirname, file));
  }
  const result: ExtensionHostResult = { passed: [], failed: [], pending: [] };
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => result.passed.push(t.fullTitle()));
    runner.on('fail', (t, err: Error) => result.failed.push({ title: t.fullTitle(), error: err.stack ?? String(err) }));
    runner.on('pending', (t) => result.pending.push(t.fullTitle()));
  });
  if (process.env.DIRSYNC_EXTHOST_RESULT) {
    writeFileSync(process.env.DIRSYNC_EXTHOST_RESULT, JSON.stringify(result, null, 2));
  }
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
  if (result.passed.length === 0) throw new Error('no extension-host tests ran');
}
