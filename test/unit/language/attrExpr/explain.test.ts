import { strict as assert } from 'node:assert';
import type { DirectoryEntry } from '../../../../server/src/domain/entry';
import {
  evaluateExpression,
  explainExpression,
  expressionReferences,
  parseAttributeExpression,
} from '../../../../server/src/language/attrExpr';

const guid = Uint8Array.from(Buffer.from('4d0f0e832c49e8419e960370daaa877b', 'hex'));
const entry: DirectoryEntry = {
  dn: 'CN=Ada,DC=corp',
  attributes: { mail: ['ada@example.com', 'ada.l@example.com'], objectguid: [guid], sn: ['Lovelace'] },
};
const parse = (t: string) => {
  const r = parseAttributeExpression(t);
  if (!r.ok) assert.fail(JSON.stringify(r.problems));
  return r.value;
};

describe('attribute expression helpers', () => {
  it('explains step by step for hover', () => {
    const text = 'mail - "@"';
    const steps = explainExpression(parse(text), entry, text);
    assert.deepEqual(
      steps.map((s) => [s.source, s.value]),
      [
        ['mail', 'ada@example.com'],
        ['mail - "@"', 'ada'],
      ],
    );
    assert.match(steps[0]!.note, /first of 2 values/);
    assert.match(steps[1]!.note, /cuts from the first "@"/);
  });
  it('explains fallbacks and misses', () => {
    const text = 'telephoneNumber | sn % "x"';
    const steps = explainExpression(parse(text), entry, text);
    assert.equal(steps[steps.length - 1]!.value, 'Lovelace');
    assert.match(steps[0]!.note, /telephoneNumber is not set/);
    assert.ok(steps.some((s) => /"x" not found in "Lovelace": unchanged/.test(s.note)));
    assert.match(steps[steps.length - 1]!.note, /left side is empty/);
  });
  it('lists attribute references in order with ranges', () => {
    const text = "givenName + ' ' + (sn | mail)";
    assert.deepEqual(expressionReferences(parse(text)), [
      { name: 'givenName', range: { start: 0, end: 9 } },
      { name: 'sn', range: { start: 19, end: 21 } },
      { name: 'mail', range: { start: 24, end: 28 } },
    ]);
  });
  it('reads binary attributes in their AD text form', () => {
    assert.equal(evaluateExpression(parse('objectGUID'), entry), '830e0f4d-492c-41e8-9e96-0370daaa877b');
    assert.equal(evaluateExpression(parse('objectGUID - "-"'), entry), '830e0f4d');
  });
});
