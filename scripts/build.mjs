#!/usr/bin/env node
// Bundles the extension, the language server, the CLI and the webview UI with esbuild.
// Type checking is separate (`npm run typecheck`), as in rust-analyzer's and Terraform's extensions.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// `--outdir=<dir>` builds elsewhere than dist/ (scripts/package.mjs stages the .vsix contents there).
const outdirArg = process.argv.find((a) => a.startsWith('--outdir='));
const outdir = outdirArg ? resolve(outdirArg.slice('--outdir='.length)) : join(root, 'dist');

/** Node-side bundles: native modules stay outside the bundle and load from node_modules. */
const nodeEntries = [
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
  { in: 'server/src/main.ts', out: 'server' },
  { in: 'server/src/cli.ts', out: 'cli' },
].filter((e) => existsSync(join(root, e.in)));

/** Browser-side bundles for webviews and the standalone HTML report. */
const browserEntries = [{ in: 'client/src/webviews/ui/report/main.ts', out: 'webview/report' }].filter((e) => existsSync(join(root, e.in)));

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const contexts = [];
for (const e of nodeEntries) {
  contexts.push(
    await esbuild.context({
      ...common,
      entryPoints: [{ in: e.in, out: e.out }],
      outdir,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['better-sqlite3', ...(e.external ?? [])],
      // ohm-js and ldapts probe optional modules; keep the bundle self-contained.
      mainFields: ['module', 'main'],
    }),
  );
}
for (const e of browserEntries) {
  contexts.push(
    await esbuild.context({
      ...common,
      entryPoints: [{ in: e.in, out: e.out }],
      outdir,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      loader: { '.css': 'css', '.ttf': 'file' },
      // Fonts referenced by the CSS (codicons) land next to the bundle, inside the webview's resource root.
      assetNames: 'webview/[name]-[hash]',
    }),
  );
}

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching…');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  // Codicons reach the webviews through the report bundle's CSS import (the font lands beside it as
  // an esbuild asset), so nothing is copied here.
  console.log(`built ${nodeEntries.length + browserEntries.length} bundles into ${outdir}`);
}
