/**
 * What a user reads speaks the product's language: no references to internal notes ("seed 001"),
 * issue numbers or developer-only pages in diagnostics, hovers, CLI help, the shipped JSON schema,
 * the sample configs, the extension's README and package.json's contributions.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze } from '../../server/src/language/analysis';
import { ALL_CODES } from '../../server/src/language/codes';
import { toJsonSchema } from '../../server/src/language/config/jsonSchema';
import { renderCodesTable, renderConfigReference } from '../../server/src/language/docs';
import { hover } from '../../server/src/language/hover';
import { commands } from '../../server/src/cli/commands/index';
import { SAMPLES_ROOT, sampleFiles } from '../support/languageCases';

const ROOT = join(__dirname, '..', '..');
/** Internal references a user cannot follow. */
const INTERNAL = /seed \d{3}|issue #?\d+|README §/i;

function offenders(surface: string, text: string): string[] {
  return text
    .split('\n')
    .filter((line) => INTERNAL.test(line))
    .map((line) => `${surface}: ${line.trim()}`);
}

describe('user-visible words', () => {
  it('the diagnostic codes table says no internal references', () => {
    const bad = Object.values(ALL_CODES).flatMap((c) => offenders(c.code, c.description));
    assert.deepEqual(bad, []);
  });

  it('the config spec, the generated schema and the shipped schema file say none', () => {
    const bad = [
      ...offenders('spec → schema', JSON.stringify(toJsonSchema(), null, 1)),
      ...offenders('server/schemas/dirsync.schema.json', readFileSync(join(ROOT, 'server/schemas/dirsync.schema.json'), 'utf8')),
      ...offenders('config reference', renderConfigReference()),
      ...offenders('codes table', renderCodesTable(false) + renderCodesTable(true)),
    ];
    assert.deepEqual(bad, []);
  });

  it('the CLI help says none', () => {
    const bad = commands.flatMap((c) => offenders(`dirsync ${c.name}`, `${c.summary}\n${c.usage}`));
    assert.deepEqual(bad, []);
  });

  it('the sample configs, their diagnostics and hovers say none', () => {
    const bad: string[] = [];
    for (const f of sampleFiles()) {
      const name = relative(SAMPLES_ROOT, f);
      const text = readFileSync(f, 'utf8');
      bad.push(...offenders(name, text));
      const a = analyze(text);
      for (const d of a.diagnostics) bad.push(...offenders(`${name} ${d.code}`, d.message));
      const seen = new Set<string>();
      // A hover at the start of every token (the character after a quote or a separator).
      for (let i = 1; i < text.length; i++) {
        if (!/["\s,:[{(|&=]/.test(text[i - 1]!)) continue;
        const h = hover(a, i);
        if (!h || seen.has(h.contents)) continue;
        seen.add(h.contents);
        bad.push(...offenders(`${name} hover at ${i}`, h.contents));
      }
    }
    assert.deepEqual(bad, []);
  });

  it("the extension's README and package.json contributions say none", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    const bad = [
      ...offenders('client/README.md', readFileSync(join(ROOT, 'client/README.md'), 'utf8')),
      ...offenders('package.json', JSON.stringify({ d: pkg['description'], c: pkg['contributes'] }, null, 1)),
    ];
    assert.deepEqual(bad, []);
  });
});
