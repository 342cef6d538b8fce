/**
 * Builds the extension-host test suite (test/vscode/extensionHost/) into out/test/extensionHost/:
 * the index and each `*.test.ts` as its own CommonJS bundle, `vscode` and `mocha` external (the host
 * provides `vscode`; mocha resolves from the repository's node_modules, so every file shares one).
 */
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Repository root (this file is test/vscode/buildExtensionHostTests.ts). */
export const repoRoot = join(__dirname, '..', '..');

/** Builds the suite; resolves with the absolute path of the built index.js. */
export async function buildExtensionHostTests(): Promise<string> {
  const src = join(repoRoot, 'test/vscode/extensionHost');
  const outdir = join(repoRoot, 'out/test/extensionHost');
  // Start clean: the index runs every *.test.js it finds, so a deleted test must not linger.
  rmSync(outdir, { recursive: true, force: true });
  const entries = readdirSync(src).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
  await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: entries.map((f) => join(src, f)),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(outdir, 'index.js');
}
