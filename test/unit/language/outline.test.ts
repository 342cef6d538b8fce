import { strict as assert } from 'node:assert';
import { analyze } from '../../../server/src/language/analysis';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { documentSymbols, foldingByScan, foldingFromTree, foldingRanges } from '../../../server/src/language/outline';
import { parseCleanTree } from '../../../server/src/language/config/fastTree';
import { bigConfig } from '../../bench/support/bigConfig';
import { sampleFiles } from '../../support/languageCases';

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

  const corners: Array<[string, string]> = [
    ['runs of line comments', '// a\n// b\n{\n  // c\n  "a": 1, // d\n  // e\n  // f\n  "b": [\n    1\n  ]\n}\n// g\n// h'],
    ['block comments beside brackets', '{ /* a\n b */\n "a": [ /*\n*/\n 1\n ]\n}'],
    ['comments and slashes in strings', '{\n "u": "ldaps://x//y/*z*/",\n // "a": "//"\n "//k": [\n  "/*"\n ] /* x\n */\n}'],
    ['a token between line comments', '{\n // a\n "a": 1\n // b\n , "b": 2 // c\n // d\n}'],
    ['CR LF line breaks', '{\r\n  // a\r\n  // b\r\n  "a": {\r\n    "b": []\r\n  }\r\n}\r\n'],
  ];
  for (const [name, text] of corners) {
    it(`folds from the parse tree as the scanner does: ${name}`, () => {
      const a = analyze(text);
      assert.ok(parseCleanTree(text), 'a clean document');
      assert.deepEqual(foldingFromTree(a, a.root!), foldingByScan(a));
      const doc = TextDocument.create('file:///x.dirsync', 'dirsync', 1, text);
      assert.deepEqual(
        foldingRanges(a, (o) => doc.positionAt(o).line),
        foldingByScan(a),
      );
    });
  }

  it('folds from the parse tree as the scanner does: sample configs and long lists', () => {
    const texts = [...sampleFiles().map((f) => readFileSync(f, 'utf8')), bigConfig(300)];
    let fromTree = 0;
    for (const text of texts) {
      const a = analyze(text);
      if (!a.root || !parseCleanTree(text)) continue;
      fromTree++;
      assert.deepEqual(foldingFromTree(a, a.root), foldingByScan(a));
      assert.deepEqual(foldingRanges(a), foldingByScan(a));
      // As the server calls it, with its document's lines.
      const doc = TextDocument.create('file:///x.dirsync', 'dirsync', 1, text);
      assert.deepEqual(
        foldingRanges(a, (o) => doc.positionAt(o).line),
        foldingByScan(a),
      );
    }
    assert.ok(fromTree > texts.length / 2, `only ${fromTree} of ${texts.length} were clean`);
  });

  it('is empty for a broken document, without throwing', () => {
    assert.deepEqual(documentSymbols(analyze('[')), []);
    assert.ok(Array.isArray(foldingRanges(analyze('{ "a": [ '))));
  });
});
