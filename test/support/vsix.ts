/**
 * The packaged extension for tests: `node scripts/package.mjs --out <tmp>/dirsync-<version>.vsix`,
 * exactly what `npm run package` runs, built once per test run and shared by every suite that
 * installs it (the promise is memoized). Removed at the end of the run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { atEndOfRun } from './rootHooks';

const execFileAsync = promisify(execFile);

/** Repository root (this file is test/fixtures/vsix.ts). */
export const repoRoot = join(__dirname, '..', '..');

/** The extension's manifest (package.json). */
export const extensionManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  version: string;
  [key: string]: unknown;
};

/** `publisher.name`, the id VS Code knows the extension by. */
export const extensionId = `${extensionManifest.publisher}.${extensionManifest.name}`;

let built: Promise<{ path: string; log: string }> | undefined;

/** Packages the extension (once per run) and resolves with the .vsix path and the packager's output. */
export function packagedVsix(): Promise<{ path: string; log: string }> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dirsync-vsix-'));
    atEndOfRun(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, `${extensionManifest.name}-${extensionManifest.version}.vsix`);
    const { stdout, stderr } = await execFileAsync(process.execPath, [join(repoRoot, 'scripts/package.mjs'), '--out', path], {
      cwd: repoRoot,
      timeout: 300_000,
    });
    return { path, log: `${stdout}${stderr}` };
  })();
  return built;
}
