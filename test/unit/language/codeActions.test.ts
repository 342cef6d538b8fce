/** Quick fixes: applying one makes its diagnostic go away and leaves valid JSONC. */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../server/src/language/analysis';
import { codeActions } from '../../../server/src/language/service';
import { applyEdits, codes, configText } from '../../support/languageCases';

function fix(text: string, code: string, title?: RegExp): string {
  const a = analyze(text);
  const d = a.diagnostics.find((x) => x.code === code);
  assert.ok(d, `no ${code} in ${codes(a).join(',')}`);
  const actions = codeActions(a, d.range, [code]).filter((x) => !title || title.test(x.title));
  assert.ok(actions.length, `no quick fix for ${code}`);
  return applyEdits(text, actions[0]!.edits);
}

const CASES: Array<{ code: string; patch: Record<string, unknown>; title?: RegExp }> = [
  { code: 'DS101', patch: { shedule: { enabled: true } } },
  { code: 'DS104', patch: { cloud: { type: 'webx' } } },
  { code: 'DS108', patch: { attributes: { titel: 'title' } } },
  { code: 'DS102', patch: { avatar: { enabled: 'true' } } },
  { code: 'DS103', patch: { directory: { url: undefined } } },
  { code: 'DS501', patch: { attributes: { uid: undefined } } },
  { code: 'DS502', patch: { attributes: { uid: 'sAMAccountName' } } },
  { code: 'DS503', patch: { attributes: { 'ds-pwp-account-disabled': undefined } } },
  { code: 'DS508', patch: { policy: { deleteThreshold: undefined } } },
  { code: 'DS508', patch: { policy: undefined } },
  { code: 'DS511', patch: { attributes: { displayName: 'givenName-sn' } } },
  { code: 'DS512', patch: { objects: { rooms: { enabled: true } } } },
  { code: 'DS515', patch: { cloud: { orgId: undefined } } },
  { code: 'DS516', patch: { directory: { pageSize: 2000 } } },
  { code: 'DS527', patch: { policy: { ownedDomains: ['a.example.com', 'b.example.com', 'A.example.com'] } } },
  { code: 'DS528', patch: { directory: { url: 'ldap://dc1.example.com:389' } } },
];

describe('language/codeActions: quick fixes', () => {
  for (const c of CASES) {
    it(`fixes ${c.code} (${Object.keys(c.patch).join(', ')})`, () => {
      const fixed = fix(configText(c.patch), c.code, c.title);
      const after = analyze(fixed);
      assert.ok(!codes(after).includes(c.code), `${c.code} still there:\n${fixed}`);
      assert.ok(!codes(after).includes('DS100'), `fix broke the syntax:\n${fixed}`);
    });
  }

  it('the did-you-mean fix renames the key', () => {
    const fixed = fix(configText({ shedule: { enabled: true } }), 'DS101');
    assert.match(fixed, /"schedule": \{/);
  });

  it("the missing-key fix inserts with the file's indentation", () => {
    const text =
      '{\n    "directory": {\n        "baseDns": ["DC=a,DC=b"]\n    },\n    "cloud": { "type": "scim", "url": "https://x.example.com/v2", "token": "${env:T}" }\n}';
    const fixed = fix(text, 'DS103');
    assert.match(fixed, /\n {8}"url": "ldaps:\/\/dc1\.example\.com"/);
  });

  it('the hyphen fix keeps JSON escapes valid', () => {
    const fixed = fix(configText({ attributes: { displayName: 'givenName-sn' } }), 'DS511');
    assert.match(fixed, /"displayName": "givenName - sn"/);
  });

  it('only fixes of the requested codes are returned', () => {
    const a = analyze(configText({ shedule: {}, cloud: { type: 'webx' } }));
    assert.ok(codeActions(a, { start: 0, end: a.text.length }, ['DS104']).every((x) => x.diagnostic.code === 'DS104'));
  });
});
