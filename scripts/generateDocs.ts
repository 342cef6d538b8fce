// Regenerates the README sections written from code (`npm run docs`): the config reference (from
// the format's spec) and the diagnostic codes tables (from codes.ts). Unit tests fail when the
// README and the code drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCodesTable, renderConfigReference } from '../server/src/language/docs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'README.md');
let readme = readFileSync(file, 'utf8');

function replaceGenerated(name: string, body: string): void {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no ${start} … ${end} block`);
  readme = readme.slice(0, a + start.length) + '\n' + body.trimEnd() + '\n' + readme.slice(b);
}

replaceGenerated('config-reference', renderConfigReference());
replaceGenerated('codes', renderCodesTable());
replaceGenerated('live-codes', renderCodesTable(true));
writeFileSync(file, readme);
console.log('README.md: config reference and diagnostic codes regenerated');
