import { strict as assert } from 'node:assert';
import { analyze } from '../../../server/src/language/analysis';
import { documentSymbols, foldingRanges } from '../../../server/src/language/outline';

const TEXT = `// header comment
// second line
{
  "directory": {
    "url": "ldaps://dc1.example.com",
    "baseDns": ["DC=a,DC=b"]
  },
  /* a block
     comment */
  "attributes": {
    "uid": "mail",
    "nope": "x"
  }
}`;

describe('language/outline: symbols and folding', () => {
  it('lists sections, keys and mappings with details', () => {
    const symbols = documentSymbols(analyze(TEXT));
    assert.deepEqual(
      symbols.map((s) => [s.name, s.kind]),
      [
        ['directory', 'section'],
        ['attributes', 'section'],
      ],
    );
    const dir = symbols[0]!;
    assert.deepEqual(
      dir.children.map((c) => [c.name, c.kind, c.detail]),
      [
        ['url', 'string', 'ldaps://dc1.example.com'],
        ['baseDns', 'array', '1 item'],
      ],
    );
    const attrs = symbols[1]!.children;
    assert.deepEqual(
      attrs.map((c) => [c.name, c.kind, c.detail]),
      [
        ['uid', 'mapping', '← mail'],
        ['nope', 'mapping', '← x (unknown cloud attribute)'],
      ],
    );
    assert.equal(TEXT.slice(dir.selectionRange.start, dir.selectionRange.end), '"directory"');
    assert.ok(TEXT.slice(dir.range.start, dir.range.end).endsWith('}'));
  });

  it('folds objects, arrays and comments', () => {
    const ranges = foldingRanges(analyze(TEXT));
    assert.deepEqual(ranges, [
      { startLine: 0, endLine: 1, kind: 'comment' },
      { startLine: 2, endLine: 12 },
      { startLine: 3, endLine: 5 },
      { startLine: 7, endLine: 8, kind: 'comment' },
      { startLine: 9, endLine: 11 },
    ]);
  });

  it('is empty for a broken document, without throwing', () => {
    assert.deepEqual(documentSymbols(analyze('[')), []);
    assert.ok(Array.isArray(foldingRanges(analyze('{ "a": [ '))));
  });
});
