/** The generated blocks of docs/ match the code (`npm run docs` regenerates them). */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODES, LIVE_CODES } from '../../../server/src/language/codes';
import { CONFIG_SPEC } from '../../../server/src/language/config/spec';
import { allKeyPaths } from '../../../server/src/language/config/specTypes';
import { renderCodesTable, renderConfigReference } from '../../../server/src/language/docs';

const root = join(__dirname, '../../..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

/** The text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`, which must occur once. */
function generated(file: string, name: string): string {
  const text = read(file);
  const start = `<!-- generated:${name} -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(`<!-- /generated:${name} -->`);
  assert.ok(a >= 0 && b > a, `${file} has no generated:${name} block`);
  assert.equal(text.indexOf(start, a + 1), -1, `${file} has two generated:${name} blocks`);
  return text.slice(a + start.length, b).trim();
}

describe('generated documentation (docs/)', () => {
  it('docs/config-reference.md: the config reference is current and lists every key', () => {
    const section = generated('docs/config-reference.md', 'config-reference');
    assert.equal(section, renderConfigReference().trim(), 'run `npm run docs`');
    for (const path of allKeyPaths(CONFIG_SPEC)) assert.ok(section.includes(`\`${path}\``), path);
  });

  it('docs/languages.md: the codes table is current and lists every code', () => {
    const section = generated('docs/languages.md', 'codes');
    assert.equal(section, renderCodesTable().trim(), 'run `npm run docs`');
    for (const code of Object.keys(CODES)) assert.ok(section.includes(`| ${code} |`), code);
  });

  it('docs/languages.md: the live-directory codes table is current and lists every code', () => {
    const section = generated('docs/languages.md', 'live-codes');
    assert.equal(section, renderCodesTable(true).trim(), 'run `npm run docs`');
    for (const code of Object.keys(LIVE_CODES)) assert.ok(section.includes(`| ${code} |`), code);
  });

  it('README.md carries no generated block (the reference lives in docs/ only)', () => {
    assert.doesNotMatch(read('README.md'), /<!-- \/?generated:/);
  });
});
