/**
 * Deep nesting is a diagnostic where it goes past the limit, never a stack overflow: JSON nested
 * 5,142 deep, an LDAP filter nested 3,380 deep, an expression with 2,243 parentheses or 3,632 `+`
 * terms. The language service, `dirsync check` (in-process) and `dirsync plan` (in-process).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { analyze } from '../../../server/src/language/analysis';
import { expressionTooDeep, filterTooDeep, jsonTooDeep } from '../../../server/src/language/nesting';
import { runCli } from '../../../server/src/cli/main';

/** A valid config whose filter and uid expression are given; `extra` goes after the policy. */
function config(filter = '(objectClass=user)', uid = 'mail', extra = ''): string {
  return [
    '{',
    '  "version": 1,',
    '  "directory": { "type": "adds", "url": "ldif:x.ldif", "baseDns": ["DC=corp,DC=example,DC=com"] },',
    '  "cloud": { "type": "scim", "url": "https://scim.example.com/v2", "token": "${env:T}" },',
    `  "objects": { "users": { "enabled": true, "filter": ${JSON.stringify(filter)} } },`,
    `  "attributes": { "uid": ${JSON.stringify(uid)}, "ds-pwp-account-disabled": "userAccountControl" },`,
    `  "policy": { "deleteThreshold": { "count": 5 } }${extra}`,
    '}',
  ].join('\n');
}

const CASES: Array<{ name: string; text: string; code: string; at: (text: string) => number }> = [
  {
    name: 'JSON nested 5,142 deep',
    text: config(undefined, undefined, `,\n  "x": ${'['.repeat(5142)}${']'.repeat(5142)}`),
    code: 'DS110',
    at: (t) => t.indexOf('"x": [') + 5 + 63, // the document's own { is level 1
  },
  {
    name: 'an LDAP filter nested 3,380 deep',
    text: config(`${'(&'.repeat(3380)}(cn=a)${')'.repeat(3380)}`),
    code: 'DS218',
    at: (t) => t.indexOf('"filter": "') + 11 + 64 * 2,
  },
  {
    name: 'an expression with 2,243 parentheses',
    text: config(undefined, `${'('.repeat(2243)}mail${')'.repeat(2243)}`),
    code: 'DS315',
    at: (t) => t.indexOf('"uid": "') + 8 + 64,
  },
  {
    name: 'an expression with 3,632 `+` terms',
    text: config(undefined, Array.from({ length: 3632 }, () => 'mail').join(' + ')),
    code: 'DS315',
    at: (t) => t.indexOf('"uid": "') + 8 + 'mail + '.length * 256 + 'mail '.length,
  },
];

describe('language: nesting limits', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.code} where the nesting goes past the limit, no internal error`, () => {
      const a = analyze(c.text);
      assert.deepEqual(a.internalErrors, []);
      const d = a.diagnostics.find((x) => x.code === c.code);
      assert.ok(d, JSON.stringify(a.diagnostics.map((x) => x.code)));
      assert.equal(d.severity, 'error');
      assert.equal(d.range.start, c.at(c.text));
      assert.match(d.message, /nesting deeper than (64|256)/i);
    });
  }

  it('the limits themselves are allowed; strings and comments do not count', () => {
    assert.equal(jsonTooDeep(`${'['.repeat(64)}${']'.repeat(64)}`), undefined);
    assert.equal(jsonTooDeep(`["${'['.repeat(100)}", // ${'{'.repeat(100)}\n /* ${'['.repeat(100)} */ 1]`), undefined);
    assert.equal(jsonTooDeep(`// comment ended by CR\r${'['.repeat(65)}`), 64 + 23);
    assert.equal(filterTooDeep(`${'(!'.repeat(63)}(cn=a)${')'.repeat(63)}`), undefined);
    assert.equal(expressionTooDeep(`'${'('.repeat(100)}' + mail`), undefined);
    assert.deepEqual(expressionTooDeep(Array.from({ length: 258 }, () => 'a').join('|')), { offset: 256 * 2 + 1, kind: 'operators' });
  });

  describe('on the command line (in-process)', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'dirsync-nesting-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (b: Buffer) => (out += b.toString()));
      stderr.on('data', (b: Buffer) => (err += b.toString()));
      const code = await runCli(args, { stdout, stderr, env: { T: 'x' }, cwd: dir, signal: new AbortController().signal });
      return { code, stdout: out, stderr: err };
    }

    for (const [i, c] of CASES.entries()) {
      it(`check exits 1 on ${c.name}, naming the line; plan refuses it naming file:line:col`, async () => {
        const file = join(dir, `deep${i}.dirsync`);
        writeFileSync(file, c.text);
        const line = c.text.slice(0, c.at(c.text)).split('\n').length;
        const check = await cli(['check', file]);
        assert.equal(check.code, 1, check.stdout + check.stderr);
        assert.doesNotMatch(check.stderr, /internal/);
        assert.match(check.stdout, new RegExp(`deep${i}\\.dirsync:${line}:\\d+ error ${c.code} `));
        const plan = await cli(['plan', file]);
        assert.equal(plan.code, 1, plan.stdout + plan.stderr);
        assert.match(plan.stderr, new RegExp(`deep${i}\\.dirsync:${line}:\\d+`));
        assert.match(plan.stderr, /nesting deeper than/i);
      });
    }
  });
});
