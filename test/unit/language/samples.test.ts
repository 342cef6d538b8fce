/**
 * Every sample config: the valid ones check clean (no errors, no warnings), each invalid one
 * reports exactly the codes its first line lists (`// expect: DS101 DS102 …`, information-level
 * DS519 aside).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze } from '../../../server/src/language/analysis';
import { SAMPLES_ROOT as ROOT, sampleFiles } from '../../support/languageCases';

describe('sample-configs', () => {
  const files = sampleFiles();
  const valid = files.filter((f) => !f.includes(`${join('sample-configs', 'invalid')}`));
  const invalid = files.filter((f) => f.includes(`${join('sample-configs', 'invalid')}`));

  it('has the realistic samples the issue asks for', () => {
    const names = valid.map((f) => relative(ROOT, f)).sort();
    for (const n of [
      'demo.dirsync',
      'single-domain-thumbnail.dirsync',
      'resource-server-avatars.dirsync',
      'rooms.dirsync',
      join('two-domains', 'corp.dirsync'),
      join('two-domains', 'emea.dirsync'),
    ]) {
      assert.ok(names.includes(n), `${n} missing`);
    }
    assert.ok(invalid.length >= 8);
  });

  for (const f of valid) {
    it(`${relative(ROOT, f)} checks clean`, () => {
      const a = analyze(readFileSync(f, 'utf8'));
      const problems = a.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
      assert.deepEqual(
        problems.map((d) => `${d.code} ${d.message}`),
        [],
      );
    });
  }

  for (const f of invalid) {
    it(`${relative(ROOT, f)} reports exactly its expected codes`, () => {
      const text = readFileSync(f, 'utf8');
      const m = /^\/\/ expect: (.+)$/m.exec(text);
      assert.ok(m, 'first line must list the expected codes');
      const expected = m[1]!.trim().split(/\s+/).sort();
      const got = [
        ...new Set(
          analyze(text)
            .diagnostics.filter((d) => d.code !== 'DS519')
            .map((d) => d.code),
        ),
      ].sort();
      assert.deepEqual(got, expected);
    });
  }

  it('the demo config is what `npm run demo` needs', () => {
    const c = analyze(readFileSync(join(ROOT, 'demo.dirsync'), 'utf8')).config;
    assert.equal(c.directory.url.value, 'ldif:./data/corp.example.com.ldif');
    assert.deepEqual(c.directory.source, { kind: 'ldif', path: './data/corp.example.com.ldif' });
    assert.equal(c.cloud.type, 'webex');
    assert.equal(c.cloud.url.value, 'http://127.0.0.1:8787/identity/scim/demo-org/v2');
    assert.deepEqual(c.cloud.token?.value, { kind: 'env', name: 'DIRSYNC_CLOUD_TOKEN', text: '${env:DIRSYNC_CLOUD_TOKEN}' });
  });

  it('the two-domain pair owns disjoint domains', () => {
    const a = analyze(readFileSync(join(ROOT, 'two-domains', 'corp.dirsync'), 'utf8')).config.policy.ownedDomains.map((d) => d.value);
    const b = analyze(readFileSync(join(ROOT, 'two-domains', 'emea.dirsync'), 'utf8')).config.policy.ownedDomains.map((d) => d.value);
    assert.ok(a.length && b.length);
    assert.deepEqual(
      a.filter((d) => b.includes(d)),
      [],
    );
  });
});
