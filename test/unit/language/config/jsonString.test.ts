import { strict as assert } from 'node:assert';
import { decodeJsonString, toDecoded, toDocument } from '../../../../server/src/language/config/jsonString';

describe('language/config/jsonString: escape-aware offset maps', () => {
  const doc = '{"f": "(cn=a\\\\2a*)"}';
  const start = doc.indexOf('"(');
  const node = decodeJsonString(doc, start, doc.length - 1 - start);

  it('decodes the value the grammar sees', () => {
    assert.equal(node.value, '(cn=a\\2a*)');
  });

  it('maps grammar offsets back through escapes', () => {
    // `\2a` in the filter starts at decoded 5; in the document it is `\\2a`, at start+6.
    assert.deepEqual(toDocument(node, { start: 5, end: 8 }), { start: start + 6, end: start + 10 });
    // The trailing `*` and `)` after the escape.
    assert.equal(doc.slice(toDocument(node, { start: 8, end: 10 }).start, toDocument(node, { start: 8, end: 10 }).end), '*)');
  });

  it('maps \\uXXXX, \\" and \\n as one decoded character each', () => {
    const text = '"a\\u0041\\"b\\nc"';
    const d = decodeJsonString(text, 0, text.length);
    assert.equal(d.value, 'aA"b\nc');
    const at = (i: number) => text.slice(toDocument(d, { start: i, end: i + 1 }).start, toDocument(d, { start: i, end: i + 1 }).end);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map(at), ['a', '\\u0041', '\\"', 'b', '\\n', 'c']);
  });

  it('maps document offsets to decoded offsets (for completion inside strings)', () => {
    const text = '"x\\\\y"';
    const d = decodeJsonString(text, 0, text.length);
    assert.equal(d.value, 'x\\y');
    assert.equal(toDecoded(d, 1), 0);
    assert.equal(toDecoded(d, 2), 1);
    assert.equal(toDecoded(d, 4), 2);
    assert.equal(toDecoded(d, 5), 3);
  });

  it('clamps out-of-range grammar offsets into the string', () => {
    assert.deepEqual(toDocument(node, { start: -5, end: 999 }), { start: start + 1, end: doc.length - 2 });
  });

  it('handles an unterminated string', () => {
    const text = '"abc';
    const d = decodeJsonString(text, 0, text.length);
    assert.equal(d.value, 'abc');
    assert.deepEqual(toDocument(d, { start: 0, end: 3 }), { start: 1, end: 4 });
  });
});
