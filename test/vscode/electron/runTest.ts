/**
 * `npm run test:electron`: the same extension-host suite (test/vscode/extensionHost/) in a desktop
 * VS Code that `@vscode/test-electron` downloads (into .vscode-test/). For machines that can reach
 * the VS Code download service; it is not part of `npm test`, whose code-server runner
 * (test/vscode/extensionHost.test.ts) needs only the npm registry. On a Linux machine
 * without a display, run it under `xvfb-run -a`.
 *
 *   npm run build && npm run test:electron              # VS Code stable
 *   VSCODE_VERSION=1.91.0 npm run test:electron          # the oldest version package.json allows
 */
import { runTests } from '@vscode/test-electron';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExtensionHostTests, repoRoot } from '../buildExtensionHostTests';

async function main(): Promise<void> {
  const extensionTestsPath = await buildExtensionHostTests();
  const scratch = mkdtempSync(join(tmpdir(), 'dirsync-electron-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  // No .dirsync file: the tests create the first one (see extensionHost/helpers.ts).
  writeFileSync(join(workspace, 'notes.txt'), 'extension-host test workspace\n');
  try {
    const exitCode = await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      extensionTestsEnv: { DIRSYNC_EXTHOST_RESULT: join(scratch, 'result.json') },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--user-data-dir',
        join(scratch, 'user-data'),
        '--extensions-dir',
        join(scratch, 'extensions'),
      ],
    });
    process.exitCode = exitCode;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
  console.error('(this suite downloads VS Code; where that is impossible, `npm test -- integration` runs the same tests in code-server)');
  process.exitCode = 1;
});
