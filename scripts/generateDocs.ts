// Regenerates the documentation blocks written from code (`npm run docs`): the config reference
// (from the format's spec) in docs/config-reference.md, and the diagnostic codes tables (from
// codes.ts) in docs/languages.md. Each block sits between `<!-- generated:NAME -->` and
// `<!-- /generated:NAME -->`; unit tests (test/unit/language/docs.test.ts) fail when a block and
// the code drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCodesTable, renderConfigReference } from '../server/src/language/docs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Which page holds which generated block. The tests read the same pages. */
const pages: ReadonlyArray<{ file: string; blocks: ReadonlyArray<[name: string, render: () => string]> }> = [
  { file: 'docs/config-reference.md', blocks: [['config-reference', () => renderConfigReference()]] },
  {
    file: 'docs/languages.md',
    blocks: [
      ['codes', () => renderCodesTable()],
      ['live-codes', () => renderCodesTable(true)],
    ],
  },
];

function replaceGenerated(text: string, file: string, name: string, body: string): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file} has no ${start} … ${end} block`);
  if (text.indexOf(start, a + 1) >= 0) throw new Error(`${file} has more than one ${start} block`);
  return text.slice(0, a + start.length) + '\n' + body.trimEnd() + '\n' + text.slice(b);
}

for (const { file, blocks } of pages) {
  const path = join(root, file);
  let text = readFileSync(path, 'utf8');
  for (const [name, render] of blocks) text = replaceGenerated(text, file, name, render());
  writeFileSync(path, text);
  console.log(`${file}: ${blocks.map(([name]) => name).join(', ')} regenerated`);
}
