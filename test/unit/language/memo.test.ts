import assert from 'node:assert/strict';
import { TextMemo } from '../../../server/src/language/memo';

describe('TextMemo (per-value results kept across keystrokes)', () => {
  it('computes once per distinct text, undefined results included', () => {
    const calls: string[] = [];
    const memo = new TextMemo((t: string) => {
      calls.push(t);
      return t.startsWith('CN=') ? undefined : `not a DN: ${t}`;
    });
    assert.equal(memo.get('CN=a'), undefined);
    assert.equal(memo.get('x'), 'not a DN: x');
    assert.equal(memo.get('CN=a'), undefined);
    assert.equal(memo.get('x'), 'not a DN: x');
    assert.deepEqual(calls, ['CN=a', 'x']);
  });

  it('forgets the oldest text past its limit', () => {
    const calls: string[] = [];
    const memo = new TextMemo((t: string) => (calls.push(t), t.length), 2);
    for (const t of ['a', 'bb', 'ccc', 'bb', 'a']) memo.get(t);
    assert.deepEqual(calls, ['a', 'bb', 'ccc', 'a']);
  });
});
