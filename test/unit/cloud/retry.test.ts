import { strict as assert } from 'node:assert';
import { backoffDelay, parseRetryAfter, DEFAULT_BACKOFF } from '../../../server/src/cloud/retry';
import { isNotSentError, isTransientNetworkError } from '../../../server/src/cloud/retry';

describe('Retry-After parsing (RFC 9110 §10.2.3)', () => {
  const now = Date.UTC(2015, 9, 21, 7, 28, 0); // Wed, 21 Oct 2015 07:28:00 GMT
  const table: Array<[string | string[] | undefined, number | undefined]> = [
    ['120', 120_000],
    ['0', 0],
    [' 3 ', 3000],
    [['5', '9'], 5000],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000], // IMF-fixdate
    ['Wednesday, 21-Oct-15 07:28:30 GMT', 30_000], // obsolete RFC 850
    ['Wed Oct 21 07:29:00 2015', 60_000], // asctime, GMT by definition
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0], // in the past
    ['-1', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} → ${expected}`, () => {
      assert.equal(parseRetryAfter(value, now), expected);
    });
  }
});

describe('capped exponential backoff with full jitter', () => {
  it('grows ×2 per attempt up to the cap, scaled by random in [0, 1)', () => {
    const top = (attempt: number): number => backoffDelay(attempt, { baseMs: 100, capMs: 1000 }, () => 0.999999);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(top), [99, 199, 399, 799, 999, 999]);
    assert.equal(
      backoffDelay(3, { baseMs: 100, capMs: 1000 }, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(3, { baseMs: 100, capMs: 1000 }, () => 0.5),
      200,
    );
  });
  it('stays within [0, cap) for huge attempt numbers', () => {
    for (const attempt of [31, 100, 10_000]) {
      const d = backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.999);
      assert.ok(d >= 0 && d < DEFAULT_BACKOFF.capMs, String(d));
    }
  });
  it('spreads retries: full jitter covers the whole window', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const delays = Array.from({ length: 2000 }, () => backoffDelay(4, { baseMs: 100, capMs: 10_000 }, random));
    assert.ok(Math.min(...delays) < 40 && Math.max(...delays) > 760, `${Math.min(...delays)}..${Math.max(...delays)}`);
  });
});

describe('network error classification', () => {
  it('treats resets and timeouts as transient, following causes', () => {
    assert.ok(isTransientNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' })));
    assert.ok(
      isTransientNetworkError(new Error('fetch failed', { cause: Object.assign(new Error('closed'), { code: 'UND_ERR_SOCKET' }) })),
    );
    assert.ok(isTransientNetworkError(Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' })));
    assert.ok(!isTransientNetworkError(Object.assign(new Error('bad'), { code: 'ERR_INVALID_URL' })));
    assert.ok(!isTransientNetworkError(new Error('plain')));
  });
  it('knows which failures mean the request was never sent', () => {
    assert.ok(isNotSentError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })));
    assert.ok(!isNotSentError(Object.assign(new Error('x'), { code: 'ECONNRESET' })));
  });
});
