/** README.md's generated sections match the code (`npm run docs` regenerates them). */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODES, LIVE_CODES } from '../../../server/src/language/codes';
import { CONFIG_SPEC } from '../../../server/src/language/config/spec';
import { allKeyPaths } from '../../../server/src/language/config/specTypes';
import { renderCodesTable, renderConfigReference } from '../../../server/src/language/docs';

const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

function generated(name: string): string {
  const start = `<!-- generated:${name} -->`;
  const a = readme.indexOf(start);
  const b = readme.indexOf(`<!-- /generated:${name} -->`);
  assert.ok(a >= 0 && b > a, `README has no generated:${name} block`);
  return readme.slice(a + start.length, b).trim();
}

describe('README.md generated sections', () => {
  it('the config reference is current and lists every key', () => {
    const section = generated('config-reference');
    assert.equal(section, renderConfigReference().trim(), 'run `npm run docs`');
    for (const path of allKeyPaths(CONFIG_SPEC)) assert.ok(section.includes(`\`${path}\``), path);
  });

  it('the live-directory codes table (§ Directory side) is current', () => {
    assert.equal(generated('live-codes'), renderCodesTable(true).trim(), 'run `npm run docs`');
    for (const code of Object.keys(LIVE_CODES)) assert.ok(generated('live-codes').includes(`| ${code} |`), code);
  });

  it('the codes table is current and lists every code', () => {
    const section = generated('codes');
    assert.equal(section, renderCodesTable().trim(), 'run `npm run docs`');
    for (const code of Object.keys(CODES)) assert.ok(section.includes(`| ${code} |`), code);
  });
});
