#!/usr/bin/env node
// The README's test command. Runs every suite through mocha (TypeScript via tsx) and ends with
// the line CI reads: `N passed, N failed[, N skipped]`.
//
//   npm test                                  all suites
//   npm test -- unit grammar                  only those suites (unit, grammar, integration, vscode)
//   npm test -- test/unit/domain/dn.test.ts   only that file (or folder); several may be named
//   npm test -- --grep ldap                   mocha options pass through
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
/** Each suite's spec: the VS Code suite is only its top level (test/vscode/extensionHost/ runs inside VS Code). */
const SUITES = {
  unit: 'test/unit/**/*.test.ts',
  grammar: 'test/grammar/**/*.test.ts',
  integration: 'test/integration/**/*.test.ts',
  vscode: 'test/vscode/*.test.ts',
};
/** A file or folder path: a spec of its own, run instead of the suites. */
const isPath = (a) => !a.startsWith('-') && (a.includes('/') || a.endsWith('.ts')) && existsSync(join(root, a));
const picked = args.filter((a) => a in SUITES);
const paths = args.filter(isPath).map((a) => (statSync(join(root, a)).isDirectory() ? `${a.replace(/\/$/, '')}/**/*.test.ts` : a));
const passthrough = args.filter((a) => !(a in SUITES) && !isPath(a));
const specs = paths.length || picked.length ? [...picked.map((s) => SUITES[s]), ...paths] : Object.values(SUITES);
// Build once up front: integration suites drive the built server, CLI and webviews.
if (!existsSync(join(root, 'dist'))) {
  console.error('dist/ is missing: run `npm run build` (npm ci does it) before the tests.');
  process.exit(1);
}
const mochaBin = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    mochaBin,
    '--reporter',
    join(root, 'test/support/summaryReporter.cjs'),
    '--require',
    join(root, 'test/support/rootHooks.ts'),
    '--timeout',
    '60000',
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
