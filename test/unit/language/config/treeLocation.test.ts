/**
 * The location at an offset read from a clean parse tree (config/treeLocation.ts) is jsonc-parser's
 * `getLocation` at every offset: sample configs, a config with long lists, and the corners
 * (comments between tokens, trailing commas, empty objects and arrays, nested values).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { getLocation } from 'jsonc-parser';
import { parseCleanTree } from '../../../../server/src/language/config/fastTree';
import { locationInTree } from '../../../../server/src/language/config/treeLocation';
import { bigConfig } from '../../../bench/support/bigConfig';
import { sampleFiles } from '../../../support/languageCases';

function assertEveryOffset(text: string, what: string): number {
  const root = parseCleanTree(text);
  assert.ok(root, `${what} is a clean document`);
  let fromTree = 0;
  for (let offset = 0; offset <= text.length; offset++) {
    const mine = locationInTree(text, root, offset);
    if (!mine) continue;
    fromTree++;
    const theirs = getLocation(text, offset);
    assert.deepEqual(
      { path: mine.path, isAtPropertyKey: mine.isAtPropertyKey },
      { path: theirs.path, isAtPropertyKey: theirs.isAtPropertyKey },
      `${what} at offset ${offset}: ${JSON.stringify(text.slice(Math.max(0, offset - 20), offset))}|`,
    );
  }
  return fromTree;
}

describe('location from the parse tree', () => {
  it('is getLocation at every offset of the sample configs', () => {
    for (const f of sampleFiles()) {
      const text = readFileSync(f, 'utf8');
      if (!parseCleanTree(text)) continue;
      assert.ok(assertEveryOffset(text, f) > text.length / 2);
    }
  });

  it('is getLocation at every offset of a config with long lists', () => {
    assertEveryOffset(bigConfig(60), 'big config');
  });

  const corners: Array<[string, string]> = [
    ['comments between tokens', '{ // a, b\n "a" /* x, y */ : /* : */ 1 /* , */ , // c\n "b": [1 /* , */, 2, /* z */ 3] }'],
    ['trailing commas', '{"a": [1, 2, ], "b": {"c": 1, }, }'],
    ['empty objects and arrays', '{"a": {}, "b": [], "c": [{}, [], {"d": []}], "e": {"f": {}}}'],
    ['nested values before the offset', '{"a": {"b": {"c": 1}}, "x": [[1, [2]], {"y": 2}],\n  "z": "w"  }'],
    ['an array root', '[ {"a": 1}, "b", [ ], 3 , ]'],
    ['block comments at the ends', '/* head */ {"a": 1 /* tail */ } // end'],
    ['line breaks and tabs', '{\r\n\t"a":\t[\r\n\t\t"x",\r\n\t\t"y"\r\n\t],\r\n\t"b": true\r\n}\r\n'],
  ];
  for (const [name, text] of corners) {
    it(`is getLocation at every offset: ${name}`, () => {
      assertEveryOffset(text, name);
    });
  }

  it('leaves offsets outside the root to getLocation', () => {
    const text = ' {"a": 1} ';
    const root = parseCleanTree(text)!;
    assert.equal(locationInTree(text, root, 0), undefined);
    assert.equal(locationInTree(text, root, 1), undefined);
    assert.equal(locationInTree(text, root, 9), undefined);
    assert.ok(locationInTree(text, root, 2));
  });
});
