import { strict as assert } from 'node:assert';
import { LineIndex } from '../../../server/src/language/positions';

describe('language/positions: LineIndex', () => {
  it('converts offsets and positions across \\n and \\r\\n', () => {
    const li = new LineIndex('ab\r\ncd\nef');
    assert.deepEqual(li.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(li.positionAt(4), { line: 1, character: 0 });
    assert.deepEqual(li.positionAt(8), { line: 2, character: 1 });
    assert.equal(li.offsetAt({ line: 1, character: 1 }), 5);
    assert.equal(li.offsetAt({ line: 0, character: 99 }), 2, 'clamped to the line end, before \\r\\n');
    assert.equal(li.offsetAt({ line: 9, character: 0 }), 9);
    assert.equal(li.lineCount, 3);
  });
});
