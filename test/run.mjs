#!/usr/bin/env node
// The README's test command. Runs every suite through mocha (TypeScript via tsx) and ends with
// the line CI reads: `N passed, N failed[, N skipped]`.
//
//   npm test                      all suites
//   npm test -- unit grammar      only those folders under test/
//   npm test -- --grep ldap       mocha options pass through
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const known = ['unit', 'grammar', 'integration'];
const picked = args.filter((a) => known.includes(a));
const passthrough = args.filter((a) => !known.includes(a));
const suites = picked.length ? picked : known;

const specs = suites.map((s) => `test/${s}/**/*.test.ts`);
// Build once up front: integration suites drive the built server, CLI and webviews.
if (!existsSync(join(root, 'dist'))) {
  console.error('dist/ is missing: run `npm run build` (npm ci does it) before the tests.');
  process.exit(1);
}
const mochaBin = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const child = spawn(
  process.execPath,
  [
    '--import', 'tsx',
    mochaBin,
    '--reporter', join(root, 'test/support/summaryReporter.cjs'),
    '--require', join(root, 'test/support/rootHooks.ts'),
    '--timeout', '60000',
    '--exit',
    ...specs,
    ...passthrough,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, DIRSYNC_TEST: '1' } },
);
child.on('exit', (code, signal) => {
  if (signal) {
    console.log(`0 passed, 1 failed`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
