import assert from 'node:assert/strict';
import { BLOCK_CHARS, PREVIEW_CHARS, previewEnd, splitBlocks } from '../../../client/src/webviews/ui/report/longText';

describe('report detail pane: long values cut for display', () => {
  it('previewEnd keeps short values whole and never cuts a surrogate pair', () => {
    const cases: Array<[string, number, number]> = [
      ['', 10, 0],
      ['abc', 10, 3],
      ['a'.repeat(10), 10, 10],
      ['a'.repeat(11), 10, 10],
      // 😀 is two UTF-16 units: a cut at 10 would fall between them.
      [`${'a'.repeat(9)}😀bc`, 10, 9],
      [`${'a'.repeat(8)}😀bc`, 10, 10],
    ];
    for (const [text, limit, end] of cases) assert.equal(previewEnd(text, limit), end, JSON.stringify(text));
    assert.equal(previewEnd('x'.repeat(PREVIEW_CHARS + 1)), PREVIEW_CHARS);
  });

  it('splitBlocks gives pieces that join back to the value, cut after line breaks, each at most the block size', () => {
    const cases: Array<[string, number, string[]]> = [
      ['', 4, []],
      ['abc', 4, ['abc']],
      ['abcdefghij', 4, ['abcd', 'efgh', 'ij']],
      ['ab\ncdefg\nhi', 4, ['ab\n', 'cdef', 'g\nhi']],
      ['a\nb\nc\nd', 4, ['a\nb\n', 'c\nd']],
      [`abc😀de`, 4, ['abc', '😀de']],
      ['😀😀', 1, ['😀', '😀']],
    ];
    for (const [text, size, pieces] of cases) assert.deepEqual(splitBlocks(text, size), pieces, JSON.stringify(text));
  });

  it('splitBlocks on 200k characters of tab-separated lines: whole, bounded pieces', () => {
    const line = `${'x\t'.repeat(30)}end\n`;
    const text = line.repeat(Math.ceil(200_000 / line.length));
    const pieces = splitBlocks(text);
    assert.equal(pieces.join(''), text);
    assert.ok(pieces.every((p) => p.length <= BLOCK_CHARS && p.endsWith('\n')));
  });
});
