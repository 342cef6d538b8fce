/** Removing secrets from text that came from outside: every occurrence, any length, nothing of one left. */
import { strict as assert } from 'node:assert';
import { REDACTED, redactSecrets } from '../../../common/redact';

describe('redactSecrets', () => {
  const cases: readonly [text: string, secrets: readonly (string | undefined)[], expected: string][] = [
    ['bind failed for hunter2 (hunter2)', ['hunter2'], 'bind failed for [redacted] ([redacted])'],
    // Inside a word too: where a secret stands does not decide whether it is shown.
    ['token abcXYZdef', ['XYZ'], 'token abc[redacted]def'],
    // Any length: a one-character secret goes as well.
    ['a=x;', ['x'], 'a=[redacted];'],
    // One secret inside another: the longer goes whole, in one marker.
    ['pw "hunter2-Secret", user hunter2', ['hunter2', 'hunter2-Secret'], 'pw "[redacted]", user [redacted]'],
    // Overlapping occurrences of two secrets leave no character of either.
    ['xxabcdefyy', ['abcd', 'cdef'], 'xx[redacted]yy'],
    ['aaaa', ['aaa'], '[redacted]'],
    // A secret that is in the marker is not searched for in a marker already put in.
    ['e-mail', ['e'], '[redacted]-mail'],
    // Characters that mean something in a regular expression are plain text here.
    ['a$b.c*d(e) used', ['a$b.c*d(e)'], '[redacted] used'],
    ['nothing secret', [undefined, ''], 'nothing secret'],
    ['', ['x'], ''],
  ];
  for (const [text, secrets, expected] of cases) {
    it(`${JSON.stringify(text)} without ${JSON.stringify(secrets)}`, () => {
      assert.equal(redactSecrets(text, secrets), expected);
      for (const s of secrets) if (s) assert.ok(!redactSecrets(text, secrets).replaceAll(REDACTED, '\u0000').includes(s));
    });
  }
});
