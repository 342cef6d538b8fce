/** Terminal safety of CLI output: control characters shown as escapes, the CLI's own progress sequences kept. */
import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { oneLine, safeStream, terminalSafe } from '../../../server/src/cli/terminal';

describe('cli: terminal-safe output', () => {
  const cases: Array<[string, string, string]> = [
    ['an OSC title and a colour', 'Ada\u001b]0;pwned\u0007 \u001b[31mred', 'Ada\\u001b]0;pwned\\u0007 \\u001b[31mred'],
    ['a C1 CSI', 'a\u009b2Jb', 'a\\u009b2Jb'],
    ['a bidi override', 'evil\u202egpj.exe', 'evil\\u202egpj.exe'],
    ['NUL, backspace, DEL, a lone CR', 'a\u0000b\bc\u007fd\re', 'a\\u0000b\\u0008c\\u007fd\\u000de'],
    ['plain text, tabs and newlines', 'Müller\tok\n', 'Müller\tok\n'],
    ['the progress line', '\r\u001b[2Kapply: 3/9\r\u001b[K', '\r\u001b[2Kapply: 3/9\r\u001b[K'],
  ];
  for (const [what, input, want] of cases) it(what, () => assert.equal(terminalSafe(input), want));

  it('JSON stays JSON with the same values', () => {
    const value = { displayName: 'a\u009b\u2028b\u202e' };
    assert.deepEqual(JSON.parse(terminalSafe(JSON.stringify(value))), value);
  });

  it('a value keeps to its line; the stream filters every string written', () => {
    assert.equal(oneLine('Ada\nFAKE LINE\r\nx'), 'Ada\\nFAKE LINE\\nx');
    const out = new PassThrough();
    let text = '';
    out.on('data', (b: Buffer) => (text += b.toString()));
    const safe = safeStream(out);
    safe.write('x\u001b[2Jy\n');
    assert.equal(text, 'x\\u001b[2Jy\n');
  });
});
