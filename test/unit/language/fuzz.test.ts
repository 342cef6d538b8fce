/**
 * Bounded fuzz: thousands of mutated configs (seeded PRNG, so a failure reproduces). The service
 * never throws, and every range it returns lies inside its document.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../server/src/language/analysis';
import { complete } from '../../../server/src/language/completion';
import { hover } from '../../../server/src/language/hover';
import { codeActions } from '../../../server/src/language/service';
import { documentSymbols, foldingRanges } from '../../../server/src/language/outline';
import type { TextRange } from '../../../common/config';
import { sampleFiles } from '../../support/languageCases';
import { mulberry32 as prng } from '../../support/random';

const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  '\\\\',
  '\\u00',
  '\\"',
  '//',
  '/*',
  '*/',
  '\n',
  'null',
  'true',
  '-1',
  '1e999',
  '(',
  ')',
  '(&',
  '|',
  '%',
  '-',
  '+',
  '{mail:',
  '.*?(?=@.*)}',
  '${env:',
  '${secret:',
  '"uid"',
  '"filter"',
  '"attributes"',
  'é',
  '\u{1F600}',
  '\r\n',
  '\t',
];

function mutate(text: string, rnd: () => number): string {
  let t = text;
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * (t.length + 1));
    const op = rnd();
    if (op < 0.35) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rnd() * 8));
    else if (op < 0.75) t = t.slice(0, at) + TOKENS[Math.floor(rnd() * TOKENS.length)] + t.slice(at);
    else if (op < 0.9) {
      const from = Math.floor(rnd() * t.length);
      t = t.slice(0, at) + t.slice(from, from + Math.floor(rnd() * 40)) + t.slice(at);
    } else t = t.slice(0, at);
  }
  return t;
}

function inside(r: TextRange, length: number, what: string): void {
  assert.ok(
    Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.start <= r.end && r.end <= length,
    `${what} range ${JSON.stringify(r)} outside 0..${length}`,
  );
}

describe('language service fuzz (seeded, bounded)', function () {
  this.timeout(120_000);
  const seeds = sampleFiles().map((f) => readFileSync(f, 'utf8'));
  const seedText = readFileSync(join(__dirname, '../../../sample-configs/demo.dirsync'), 'utf8');

  it('never throws and keeps every range inside the document (3,000 mutants)', () => {
    const rnd = prng(20260401);
    const deadline = Date.now() + 20_000;
    let runs = 0;
    for (; runs < 3000 && Date.now() < deadline; runs++) {
      const base = seeds[Math.floor(rnd() * seeds.length)] ?? seedText;
      const text = mutate(base, rnd);
      const context = `mutant ${runs}:\n${text}`;
      try {
        const a = analyze(text);
        for (const d of a.diagnostics) {
          inside(d.range, text.length, d.code);
          for (const f of d.fixes ?? []) for (const e of f.edits) inside(e.range, text.length, `${d.code} fix`);
        }
        const offset = Math.floor(rnd() * (text.length + 1));
        for (const c of complete(a, offset)) inside(c.replace, text.length, `completion ${c.label}`);
        const h = hover(a, offset);
        if (h) inside(h.range, text.length, 'hover');
        const visit = (s: ReturnType<typeof documentSymbols>[number]): void => {
          inside(s.range, text.length, 'symbol');
          inside(s.selectionRange, text.length, 'symbol selection');
          s.children.forEach(visit);
        };
        documentSymbols(a).forEach(visit);
        for (const f of foldingRanges(a)) assert.ok(f.startLine <= f.endLine && f.endLine < a.lines.lineCount);
        for (const action of codeActions(a, { start: 0, end: text.length }))
          for (const e of action.edits) inside(e.range, text.length, 'code action');
        assert.deepEqual(
          a.internalErrors.filter((e) => !/parser failed|not implemented/.test(e)),
          [],
          'no internal failures besides grammar stubs',
        );
      } catch (err) {
        (err as Error).message += `\n${context}`;
        throw err;
      }
    }
    assert.ok(runs >= 500, `only ${runs} mutants in the time budget`);
  });
});
