/**
 * `dirsync check` on 2,000 generated configs (seeded, replayable): deep nesting of JSON, LDAP
 * filters and attribute expressions, huge values, invalid UTF-8, control characters, BOM and
 * CRLF, truncation. The check command runs in-process (its command function, real files). No
 * input may crash it, and none may pass (exit 0) after the analysis failed.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../../server/src/cli/commands/check';
import { mulberry32 } from '../support/random';
import { capturedOutput } from '../support/capture';

const ROOT = join(__dirname, '..', '..');
const BASE = readFileSync(join(ROOT, 'sample-configs', 'demo.dirsync'), 'utf8');
const CONFIGS = 2000;
const SEED = 0x5eed_2026;

type Rng = () => number;
const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
/** A depth around the interesting places: small, near the limits, far past them. */
const depth = (r: Rng) => pick(r, [int(r, 1, 70), int(r, 60, 300), int(r, 2000, 6000)]);

/** Replaces the value of `"key": "…"` (first occurrence) with a JSON string of `value`. */
function setString(text: string, key: string, value: string): string {
  const re = new RegExp(`("${key.replace(/[;=]/g, '.')}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`);
  return re.test(text) ? text.replace(re, (_m, head: string) => head + JSON.stringify(value)) : text;
}

const MUTATIONS: ReadonlyArray<(r: Rng, t: string) => string> = [
  // Deep JSON: arrays, objects or both, closed or not.
  (r, t) => {
    const n = depth(r);
    const open = pick(r, ['[', '{"a":', '[{"a":']);
    const close = open === '[' ? ']' : open === '{"a":' ? '}' : '}]';
    const tail = r() < 0.8 ? close.repeat(n) : '';
    return t.replace('"version": 1,', `"version": 1, "deep": ${open.repeat(n)}1${tail},`);
  },
  // Deep LDAP filter.
  (r, t) => {
    const n = depth(r);
    const op = pick(r, ['(&', '(|', '(!']);
    return setString(t, 'filter', `${op.repeat(n)}(cn=a)${')'.repeat(r() < 0.9 ? n : int(r, 0, n))}`).replace(
      '"users": { "enabled": true }',
      `"users": { "enabled": true, "filter": ${JSON.stringify(`${op.repeat(n)}(cn=a)${')'.repeat(n)}`)} }`,
    );
  },
  // A wide LDAP filter.
  (r, t) =>
    t.replace(
      '"groups": { "enabled": true }',
      `"groups": { "enabled": true, "filter": ${JSON.stringify(`(|${Array.from({ length: int(r, 1, 5000) }, (_, i) => `(cn=g${i})`).join('')})`)} }`,
    ),
  // Deep parentheses in an expression.
  (r, t) => {
    const n = depth(r);
    return setString(t, 'displayName', `${'('.repeat(n)}givenName${')'.repeat(r() < 0.9 ? n : int(r, 0, n))}`);
  },
  // Long operator chains in an expression.
  (r, t) => {
    const n = pick(r, [int(r, 2, 300), int(r, 3000, 6000)]);
    const ops = ['+', '|', '%', '-'];
    const terms = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? "' '" : pick(r, ['givenName', 'sn', 'mail'])));
    return setString(
      t,
      'displayName',
      terms.reduce((a, b) => `${a} ${pick(r, ops)} ${b}`),
    );
  },
  // Huge values: long strings, long keys, big and odd numbers.
  (r, t) => {
    const big = pick(r, ['x', 'é', '😀', '\\u0000', '(', '"']).repeat(int(r, 1_000, 200_000));
    const where = pick(r, ['title', 'uid', 'name', 'url', 'filter', 'displayName']);
    return r() < 0.5 ? setString(t, where, big) : t.replace('"version": 1,', `"version": 1, "${big.slice(0, 50_000)}": 1,`);
  },
  (r, t) =>
    t.replace(
      /("count":\s*)\d+/,
      `$1${pick(r, ['1e309', '-0', '123456789012345678901234567890', '0.5', '-1', 'NaN', '1' + '0'.repeat(400), '0x10'])}`,
    ),
  // Control characters, raw and escaped, inside strings and between tokens.
  (r, t) => {
    const ctl = pick(r, ['\u0000', '\u0007', '\u001b[31m', '\u001b]0;title\u0007', '\u007f', '\u0085', '\u2028', '\u202e', '\b', '\f']);
    const at = int(r, 0, t.length);
    return t.slice(0, at) + ctl + t.slice(at);
  },
  (r, t) => setString(t, pick(r, ['title', 'name', 'uid']), `a\u001b[2Jb\u0000c${'\u0001'.repeat(int(r, 1, 50))}`),
  // BOM, CRLF, lone CR, a BOM in the middle.
  (r, t) => (r() < 0.5 ? `\ufeff${t}` : t.replace(/\n/g, pick(r, ['\r\n', '\r', '\n\r']))),
  (r, t) => {
    const at = int(r, 0, t.length);
    return `${t.slice(0, at)}\ufeff${t.slice(at)}`;
  },
  // Truncation and random garbage.
  (r, t) => t.slice(0, int(r, 0, t.length)),
  (r, t) => {
    const chars = t.split('');
    for (let i = int(r, 1, 20); i > 0; i--) chars[int(r, 0, chars.length - 1)] = String.fromCharCode(int(r, 0, 0x7f));
    return chars.join('');
  },
];

/** Bytes that are not UTF-8: lone continuation bytes, overlong forms, surrogates, 0xFF. */
const BAD_UTF8 = [[0xff], [0xc3], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]];

function generate(r: Rng): Buffer {
  let text = BASE;
  for (let i = int(r, 1, 3); i > 0; i--) text = pick(r, MUTATIONS)(r, text);
  let bytes = Buffer.from(text, 'utf8');
  if (r() < 0.2) {
    // Latin-1 text, or invalid sequences spliced in.
    if (r() < 0.3) bytes = Buffer.from(text, 'latin1');
    else
      for (let i = int(r, 1, 5); i > 0; i--) {
        const at = int(r, 0, bytes.length);
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(pick(r, BAD_UTF8)), bytes.subarray(at)]);
      }
  }
  return bytes;
}

describe('dirsync check: 2,000 generated configs (fuzz, seeded)', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-fuzz-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`no crash and no exit 0 after an internal error (seed ${SEED})`, async () => {
    const r = mulberry32(SEED);
    const problems: string[] = [];
    let failing = 0;
    for (let n = 0; n < CONFIGS; n++) {
      const file = join(dir, `fuzz-${n}.dirsync`);
      writeFileSync(file, generate(r));
      const { stdout, stderr, out: written, err: errors } = capturedOutput();
      let code: number;
      try {
        code = await checkCommand.run(
          { values: { format: 'json' }, positionals: [file] },
          { stdout, stderr, env: {}, cwd: dir, signal: new AbortController().signal },
        );
      } catch (e) {
        problems.push(`config ${n}: check threw ${String(e).slice(0, 200)}`);
        continue;
      }
      const out = written();
      const err = errors();
      if (/internal:/.test(err)) problems.push(`config ${n}: the analysis failed: ${err.slice(0, 300)}`);
      if (/internal:/.test(err) && code === 0) problems.push(`config ${n}: exit 0 after an internal error`);
      let records: Array<{ line: number; column: number; severity: string }> = [];
      try {
        records = JSON.parse(out);
      } catch {
        problems.push(`config ${n}: stdout is not JSON: ${out.slice(0, 100)}`);
      }
      if (code !== (records.some((x) => x.severity === 'error') || err ? 1 : 0))
        problems.push(`config ${n}: exit ${code} does not match its ${records.length} diagnostics`);
      for (const x of records) if (!(x.line >= 1 && x.column >= 1)) problems.push(`config ${n}: diagnostic at ${x.line}:${x.column}`);
      if (code === 1) failing++;
    }
    assert.deepEqual(problems.slice(0, 10), [], `${problems.length} problems (seed ${SEED})`);
    // The corpus is mostly broken configs: most fail the check.
    assert.ok(failing > CONFIGS / 2, `${failing} of ${CONFIGS} failed the check`);
  });
});
