/**
 * The location at an offset read from a clean parse tree (config/treeLocation.ts) is jsonc-parser's
 * `getLocation` at every offset: sample configs, a config with long lists, and the corners
 * (comments between tokens, trailing commas, empty objects and arrays, nested values).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { getLocation } from 'jsonc-parser';
import type { Node } from 'jsonc-parser';
import { firstEndingAfter } from '../../../../server/src/language/config/children';
import { parseCleanTree } from '../../../../server/src/language/config/fastTree';
import { applyChange, verifyEdits } from '../../../../server/src/language/config/treeEdit';
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

  /** A long array (past the length where the item is found by binary search) of mixed values, from a seed. */
  function longArray(seed: number, items: number, depth = 0): string {
    let x = seed;
    const rnd = (n: number) => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      return x % n;
    };
    const parts: string[] = [];
    for (let i = 0; i < items; i++) {
      const k = rnd(depth > 0 ? 8 : 10);
      const sep = ['', ' ', '\n  ', ' /* , */ ', ' // x, y\n'][rnd(5)]!;
      if (k < 5) parts.push(`${sep}"item ${i}, [x]: {y}"`);
      else if (k === 5) parts.push(`${sep}${i}`);
      else if (k === 6) parts.push(`${sep}true`);
      else if (k === 7) parts.push(`${sep}null`);
      else if (k === 8) parts.push(`${sep}{"k${i}": [${i}, "v"], "m": {}${rnd(2) ? ',' : ''}}`);
      else parts.push(`${sep}${longArray(seed + i, 3 + rnd(40), depth + 1)}`);
    }
    return `[${parts.join(',')}${rnd(3) === 0 ? ', ' : ''}]`;
  }

  it('finds the item in long lists as the walk from the start does (generated lists)', () => {
    for (const seed of [1, 7, 42, 1234, 99991]) {
      const text = `{"a": {"b": 1}, "list": ${longArray(seed, 80 + (seed % 50))}, "after": {"c": [1, 2]}, "strings": [${Array.from({ length: 40 }, (_, i) => `"s${i}"`).join(', ')}]}`;
      assertEveryOffset(text, `generated lists, seed ${seed}`);
    }
    // An array root, a list of objects only, a list of strings only.
    assertEveryOffset(longArray(5, 60), 'an array root');
    assertEveryOffset(`{"o": [${Array.from({ length: 50 }, (_, i) => `{"k": ${i}}`).join(', ')}]}`, 'a list of objects');
    assertEveryOffset(`{"s": [${Array.from({ length: 50 }, (_, i) => `"v${i}"`).join(',\n ')}]}`, 'a list of strings');
  });

  it('finds the item in a long list of a tree edited in place', () => {
    let text = `{"x": {"y": [1]}, "list": [${Array.from({ length: 60 }, (_, i) => (i % 9 === 4 ? `{"p": "q${i}"}` : `"user${i}"`)).join(', ')}], "z": true}`;
    const root = parseCleanTree(text)!;
    locationInTree(text, root, text.indexOf('user50')); // keeps the long list's containers before the edits
    for (const [needle, after] of [
      ['user3', 4],
      ['"q22"', 2],
      ['user59', 1],
    ] as const) {
      const at = text.indexOf(needle) + after;
      const change = { start: at, end: at, text: 'abc', removed: '' };
      const touched = applyChange(root, change);
      assert.ok(touched);
      text = text.slice(0, at) + change.text + text.slice(at);
      assert.ok(verifyEdits(text, [touched]));
      for (let offset = 0; offset <= text.length; offset++) {
        const mine = locationInTree(text, root, offset);
        if (!mine) continue;
        const theirs = getLocation(text, offset);
        assert.deepEqual(
          { path: mine.path, isAtPropertyKey: mine.isAtPropertyKey },
          { path: theirs.path, isAtPropertyKey: theirs.isAtPropertyKey },
        );
      }
    }
  });

  it('binary search: the first child whose end is past an offset, as a scan finds it', () => {
    for (const seed of [3, 11, 2026]) {
      let x = seed;
      const children: Node[] = [];
      let at = 1;
      for (let i = 0; i < 200; i++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        at += x % 4; // gaps of 0 to 3 between children
        const length = 1 + (x % 7);
        children.push({ type: 'string', offset: at, length } as Node);
        at += length;
      }
      for (let offset = 0; offset <= at + 2; offset++) {
        let scan = 0;
        while (scan < children.length && children[scan]!.offset + children[scan]!.length <= offset) scan++;
        assert.equal(firstEndingAfter(children, offset), scan, `seed ${seed}, offset ${offset}`);
      }
    }
    assert.equal(firstEndingAfter([], 5), 0);
  });

  it('leaves offsets outside the root to getLocation', () => {
    const text = ' {"a": 1} ';
    const root = parseCleanTree(text)!;
    assert.equal(locationInTree(text, root, 0), undefined);
    assert.equal(locationInTree(text, root, 1), undefined);
    assert.equal(locationInTree(text, root, 9), undefined);
    assert.ok(locationInTree(text, root, 2));
  });
});
