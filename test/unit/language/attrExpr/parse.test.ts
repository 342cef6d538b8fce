/**
 * The bare-name shortcut of parseExpressionText (attrExpr/parse.ts) gives exactly what the Ohm
 * grammar gives, with and without schema knowledge, and leaves every other text to the grammar.
 */
import { strict as assert } from 'node:assert';
import { findAdAttribute, AD_ATTRIBUTES } from '../../../../server/src/language/adSchema';
import { parseExpressionText, parseWithGrammar } from '../../../../server/src/language/attrExpr/parse';

const isKnownAttribute = (name: string) => findAdAttribute(name) !== undefined;

/** Seeded texts over the characters a name is made of, plus the ones that end or break one. */
function generated(count: number): string[] {
  let a = 20261123;
  const rnd = () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a / 4294967296;
  };
  const alphabet = 'aZm09--- .é_';
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    const n = 1 + Math.floor(rnd() * 8);
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    out.push(s);
  }
  return out;
}

describe('attribute expression bare-name shortcut', () => {
  const texts = [
    ...AD_ATTRIBUTES.map((a) => a.name),
    'mail', 'ds-pwp-account-disabled', 'msRTCSIP-PrimaryUserAddress', 'a-b', 'x1-2y', 'notInSchema-x',
    'a--b', 'a-', '-a', '1abc', '1.2.840', ' mail', 'mail ', 'mail-', 'é', '', 'mail - sn', 'a_b',
    ...generated(1500),
  ];

  it('gives the grammar’s result for names and near-names', () => {
    for (const text of texts) {
      assert.deepEqual(parseExpressionText(text), parseWithGrammar(text), JSON.stringify(text));
      assert.deepEqual(parseExpressionText(text, { isKnownAttribute }), parseWithGrammar(text, { isKnownAttribute }), JSON.stringify(text));
    }
  });

  it('still warns about a hyphenated name the schema does not know (DS309)', () => {
    const r = parseExpressionText('givenName-sn', { isKnownAttribute });
    assert.deepEqual(r.problems.map((p) => [p.code, p.start, p.end]), [['DS309', 0, 12]]);
    assert.equal(r.ok, true);
  });
});
