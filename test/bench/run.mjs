#!/usr/bin/env node
// `npm run bench`: runs every test/bench/*.bench.ts with tsx, one after the other, and prints what
// they print. Benchmarks report numbers (and ratios against a baseline measured in the same run);
// they never fail the build, so this exits 0 unless a benchmark crashes.
//   npm run bench                 all benchmarks
//   npm run bench -- scimClient   only files whose name contains "scimClient"
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let crashed = 0;
for (const f of files) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, f)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    crashed++;
    console.log(`!! ${f} exited with ${r.status ?? r.signal}`);
  }
}
console.log(`\n${files.length} benchmark file(s) run${crashed ? `, ${crashed} crashed` : ''}`);
process.exit(crashed ? 1 : 0);
