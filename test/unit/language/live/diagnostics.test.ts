/** DS6xx live diagnostics: pure functions of the document and the facts the directory gave. */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../../server/src/language/analysis';
import { LIVE_CODES } from '../../../../server/src/language/codes';
import { liveDiagnostics, mergeLiveDiagnostics, type LiveFacts } from '../../../../server/src/language/live/index';
import { canonicalDnKey as dnKey } from '../../../../server/src/domain/dn';
import { ranged } from '../../../support/languageCases';

const HEAD = `{ "directory": { "url": «"ldap://dc1.example.com"», "baseDns": ["DC=example,DC=com"] },\n  "cloud": { "type": "scim", "url": "https://x.example.com/v2", "token": "\${env:T}" },\n  "policy": { "deleteThreshold": { "count": 1 } },\n`;

const facts = (over: Partial<LiveFacts> = {}): LiveFacts => ({ location: 'ldap://dc1.example.com', kind: 'ldap', ...over });
const schema = new Set([
  'mail',
  'sn',
  'givenname',
  'displayname',
  'objectclass',
  'objectcategory',
  'memberof',
  'samaccountname',
  'useraccountcontrol',
  'objectguid',
  'thumbnailphoto',
  'title',
]);

interface Case {
  readonly name: string;
  /** The document; «…» marks where each expected diagnostic is (after the directory.url mark). */
  readonly src: string;
  readonly facts: LiveFacts;
  readonly expect: readonly string[];
}

const CASES: Case[] = [
  {
    name: 'DS601 on directory.url when the directory is unavailable, and nothing else',
    src: `${HEAD}"attributes": { "uid": "mial" } }`,
    facts: facts({ unavailable: { message: 'Nothing accepts connections at ldap://dc1.example.com', code: 'unreachable' }, schema }),
    expect: ['DS601@0'],
  },
  {
    name: 'DS602 for expression, filter, avatar placeholder and attribute settings not in the schema',
    src: `${HEAD}"objects": { "users": { "filter": "(&(objectClass=user)(«extAttr9»=1)(anr=x))" } },\n "attributes": { "uid": "mail", "title": "«titel» + sn" },\n "avatar": { "enabled": true, "source": "attribute", "attribute": "«thumbnailFoto»" } }`,
    facts: facts({ schema }),
    expect: ['DS602@1', 'DS602@2', 'DS602@3'],
  },
  {
    name: 'no DS602 while the schema is unknown',
    src: `${HEAD}"attributes": { "uid": "mial" } }`,
    facts: facts(),
    expect: [],
  },
  {
    name: 'DS603 on every base DN the directory says does not exist',
    src: `${HEAD.replace('["DC=example,DC=com"]', '[«"OU=Gone,DC=example,DC=com"»]')}"objects": { "groups": { "enabled": true, "baseDns": ["OU=Groups,DC=example,DC=com", «"ou=gone, dc=example, dc=com"»] } } }`,
    facts: facts({
      baseDns: new Map([
        [dnKey('OU=Gone,DC=example,DC=com'), false],
        [dnKey('OU=Groups,DC=example,DC=com'), true],
      ]),
    }),
    expect: ['DS603@1', 'DS603@2'],
  },
  {
    name: 'no DS603 on a base DN a selection counts entries under (an export without the domain root)',
    src: `${HEAD}"objects": { "users": { "filter": "(sn=Somebody)" } } }`,
    facts: facts({
      kind: 'ldif',
      baseDns: new Map([[dnKey('DC=example,DC=com'), false]]),
      counts: { users: { state: 'counted', count: 50, complete: true } },
    }),
    expect: [],
  },
  {
    name: 'DS604 on the filter of an enabled selection that matches nothing; DS605 when the search failed',
    src: `${HEAD}"objects": { "users": { "filter": «"(sn=Nobody)"» }, «"groups"»: { "enabled": true } } }`,
    facts: facts({
      counts: {
        users: { state: 'counted', count: 0, complete: true },
        groups: { state: 'failed', message: 'insufficient access', code: 'insufficientAccess' },
      },
    }),
    expect: ['DS604@1', 'DS605@2'],
  },
  {
    name: 'no DS604 for a disabled selection or a count above zero; DS603 covers a missing base',
    src: `${HEAD}"objects": { "users": { "filter": "(sn=Somebody)" }, "contacts": { "enabled": false } } }`,
    facts: facts({
      counts: {
        users: { state: 'counted', count: 3, complete: true },
        contacts: { state: 'counted', count: 0, complete: true },
        groups: { state: 'failed', message: 'x', code: 'noSuchBase' },
      },
    }),
    expect: [],
  },
];

describe('language/live: DS6xx diagnostics', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { text, ranges } = ranged(c.src);
      const got = liveDiagnostics(analyze(text), c.facts);
      const where = got.map((d) => {
        const i = ranges.findIndex((r) => r.start === d.range.start && r.end === d.range.end);
        return `${d.code}@${i < 0 ? JSON.stringify(text.slice(d.range.start, d.range.end)) : i}`;
      });
      assert.deepEqual(where.sort(), [...c.expect].sort());
      for (const d of got) assert.equal(d.severity, LIVE_CODES[d.code]!.severity);
    });
  }

  it('messages name the directory, and the export for LDIF', () => {
    const { text } = ranged(`${HEAD}"attributes": { "uid": "mial" } }`);
    const [ldap] = liveDiagnostics(analyze(text), facts({ schema }));
    assert.match(ldap!.message, /`mial` is not in the schema of ldap:\/\/dc1\.example\.com/);
    const [ldif] = liveDiagnostics(analyze(text), facts({ kind: 'ldif', location: 'ldif:./x.ldif', schema }));
    assert.match(ldif!.message, /`mial` is not an attribute of any entry in the export ldif:\.\/x\.ldif/);
  });

  it('merging drops DS519 for attributes the live schema has, keeps the rest, sorted', () => {
    const { text } = ranged(`${HEAD}"attributes": { "uid": "mail", "title": "msDS-PhoneticDisplayName", "sn": "nonsenseAttr" } }`);
    const a = analyze(text);
    const ds519 = a.diagnostics.filter((d) => d.code === 'DS519').map((d) => text.slice(d.range.start, d.range.end));
    assert.deepEqual(ds519, ['msDS-PhoneticDisplayName', 'nonsenseAttr']);
    const f = facts({ schema: new Set([...schema, 'msds-phoneticdisplayname']) });
    const merged = mergeLiveDiagnostics(a.diagnostics, liveDiagnostics(a, f), f);
    assert.deepEqual(
      merged.filter((d) => d.code === 'DS519' || d.code === 'DS602').map((d) => `${d.code} ${text.slice(d.range.start, d.range.end)}`),
      ['DS519 nonsenseAttr', 'DS602 nonsenseAttr'],
    );
    for (let i = 1; i < merged.length; i++) assert.ok(merged[i - 1]!.range.start <= merged[i]!.range.start);
  });
});
