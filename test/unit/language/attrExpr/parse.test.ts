/**
 * The direct reader of attribute expressions (attrExpr/fastParse.ts, used by parseExpressionText)
 * against the Ohm grammar: for every text, parseExpressionText gives exactly what the grammar
 * gives (tree, ranges, problems), with and without schema knowledge; the reader declines every
 * text the grammar rejects. Names, near-names, and seeded generated expressions, well formed and
 * mutated.
 */
import { strict as assert } from 'node:assert';
import grammar from '../../../../grammars/attributeExpression.ohm-bundle';
import { AD_ATTRIBUTES, findAdAttribute } from '../../../../server/src/domain/adSchema';
import { readExpression } from '../../../../server/src/language/attrExpr/fastParse';
import { parseExpressionText, parseWithGrammar } from '../../../../server/src/language/attrExpr/parse';
import { mulberry32 as prng } from '../../../support/random';

const isKnownAttribute = (name: string) => findAdAttribute(name) !== undefined;

const NAMES = [
  'mail',
  'sn',
  'c',
  'givenName',
  'ds-pwp-account-disabled',
  'msRTCSIP-PrimaryUserAddress',
  'a1-2b',
  'x9',
  '1.2.840.113556',
  '0.9',
  'givenName-sn',
];
const STRINGS = [
  "'x'",
  '"@"',
  "''",
  '""',
  '" "',
  "'a\\'b'",
  '"a\\"b"',
  "'\\\\'",
  "'\\n\\t'",
  "'\\u00e9'",
  '"it\'s"',
  "'é ☃'",
  "'a\rb'",
  "'tab\tin'",
];
const SPACES = ['', '', ' ', '  ', '\t', '\u0001', '\r\n'];
const JUNK = [
  '-',
  '--',
  '+',
  '|',
  '||',
  '%',
  '(',
  ')',
  '()',
  "'",
  '"',
  '\\',
  '\\x',
  '\\u12',
  '\n',
  '\u00a0',
  '&',
  '.',
  ',',
  '1',
  '12',
  '1.',
  'é',
  '“',
  'a_b',
  'mail-',
  '-mail',
];

function generate(rnd: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const sp = () => pick(SPACES);
  const r = rnd();
  if (depth > 3 || r < 0.35) return pick(NAMES);
  if (r < 0.55) return pick(STRINGS);
  if (r < 0.65) return `(${sp()}${generate(rnd, depth + 1)}${sp()})`;
  return `${generate(rnd, depth + 1)}${sp()}${pick(['|', '+', '%', '-'])}${sp()}${generate(rnd, depth + 1)}`;
}

function mutate(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const op = rnd();
  if (op < 0.4) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + JUNK[Math.floor(rnd() * JUNK.length)] + text.slice(at);
}

function same(text: string): void {
  assert.deepEqual(parseExpressionText(text), parseWithGrammar(text), JSON.stringify(text));
  assert.deepEqual(parseExpressionText(text, { isKnownAttribute }), parseWithGrammar(text, { isKnownAttribute }), JSON.stringify(text));
  // The reader accepts exactly what the grammar matches.
  assert.equal(readExpression(text) !== undefined, grammar.match(text).succeeded(), JSON.stringify(text));
}

describe('attribute expression direct reader', () => {
  it('gives the grammar’s result for names and near-names', () => {
    const texts = [
      ...AD_ATTRIBUTES.map((a) => a.name),
      ...NAMES,
      'a--b',
      'a-',
      '-a',
      '1abc',
      '123',
      '1.2.',
      '1..2',
      ' mail',
      'mail ',
      'é',
      '',
      '   ',
      'a_b',
      'mail-"x"',
      'mail-(sn)',
      'displayName | givenName + " " + sn',
      'mail % "@"',
      'mail - "@"',
      '((mail))',
      '(mail',
      'mail)',
      "'unterminated",
      'a | | b',
    ];
    for (const text of texts) same(text);
  });

  it('gives the grammar’s result on 3,000 generated and mutated expressions', () => {
    const rnd = prng(20261123);
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      let text = generate(rnd);
      if (rnd() < 0.4) text = mutate(text, rnd);
      if (rnd() < 0.2) text = ` ${text}\t`;
      same(text);
      if (readExpression(text)) accepted++;
      else rejected++;
    }
    assert.ok(accepted > 500 && rejected > 300, `accepted ${accepted}, rejected ${rejected}`);
  });

  it('still warns about a hyphenated name the schema does not know (DS309)', () => {
    const r = parseExpressionText('givenName-sn', { isKnownAttribute });
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.start, p.end]),
      [['DS309', 0, 12]],
    );
    assert.equal(r.ok, true);
  });
});
