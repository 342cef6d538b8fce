/**
 * Diagnostics: codes and exact ranges, table-driven. Each case patches the valid BASE config and
 * names the text the diagnostic must cover (`at`, the first occurrence after `after` if given), or
 * marks it with «…» in a raw document.
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../server/src/language/analysis';
import { CODES } from '../../../server/src/language/codes';
import { analyzed, BASE, codes, configText, ranged } from '../../support/languageCases';

interface Case {
  readonly name: string;
  readonly patch: Record<string, unknown>;
  readonly code: string;
  readonly at: string;
  readonly after?: string;
}

const CASES: Case[] = [
  { name: 'unknown top-level key, did-you-mean', patch: { shedule: {} }, code: 'DS101', at: '"shedule"' },
  { name: 'unknown nested key', patch: { directory: { bindDN: 'CN=x,DC=y' } }, code: 'DS101', at: '"bindDN"' },
  { name: 'wrong type: string for object', patch: { cloud: 'webex' }, code: 'DS102', at: '"webex"' },
  { name: 'wrong type: string for boolean', patch: { avatar: { enabled: 'yes' } }, code: 'DS102', at: '"yes"' },
  { name: 'wrong type: number for array', patch: { directory: { baseDns: 5 } }, code: 'DS102', at: '5', after: 'baseDns' },
  { name: 'missing required directory.url', patch: { directory: { url: undefined } }, code: 'DS103', at: '"directory"' },
  { name: 'bad enum', patch: { cloud: { type: 'webx' } }, code: 'DS104', at: '"webx"' },
  { name: 'bad enum in policy', patch: { policy: { mismatched: 'keep' } }, code: 'DS104', at: '"keep"' },
  { name: 'integer out of range', patch: { cloud: { concurrency: 0 } }, code: 'DS106', at: '0', after: 'concurrency' },
  { name: 'not an integer', patch: { directory: { pageSize: 10.5 } }, code: 'DS106', at: '10.5' },
  { name: 'bad directory url', patch: { directory: { url: 'https://dc1' } }, code: 'DS107', at: '"https://dc1"' },
  { name: 'bad duration', patch: { schedule: { incrementalInterval: '4 hours' } }, code: 'DS107', at: '"4 hours"' },
  { name: 'bad domain', patch: { policy: { ownedDomains: ['example'] } }, code: 'DS107', at: '"example"' },
  { name: 'unknown cloud attribute', patch: { attributes: { titel: 'title' } }, code: 'DS108', at: '"titel"' },
  { name: 'uid not mapped', patch: { attributes: { uid: undefined } }, code: 'DS501', at: '"attributes"' },
  { name: 'uid from sAMAccountName', patch: { attributes: { uid: 'sAMAccountName' } }, code: 'DS502', at: '"sAMAccountName"' },
  { name: 'account state not mapped', patch: { attributes: { 'ds-pwp-account-disabled': undefined } }, code: 'DS503', at: '"attributes"' },
  {
    name: 'account state from the wrong attribute',
    patch: { attributes: { 'ds-pwp-account-disabled': 'description' } },
    code: 'DS503',
    at: '"description"',
  },
  {
    name: 'user filter in the groups filter',
    patch: { objects: { groups: { enabled: true, filter: '(&(objectClass=group)(objectClass=person))' } } },
    code: 'DS504',
    at: '(objectClass=person)',
  },
  {
    name: 'duplicate cloud target through an alias',
    patch: { attributes: { given: 'givenName', givenName: 'givenName' } },
    code: 'DS505',
    at: '"givenName"',
    after: '"given": "givenName"',
  },
  {
    name: 'invalid notification address',
    patch: { notification: { enabled: true, recipients: ['ops@example.com', 'not-an-address'] } },
    code: 'DS506',
    at: '"not-an-address"',
  },
  { name: 'literal password', patch: { directory: { password: 'hunter2' } }, code: 'DS507', at: '"hunter2"' },
  { name: 'literal token', patch: { cloud: { token: 'abc123' } }, code: 'DS507', at: '"abc123"' },
  {
    name: 'literal avatar credential',
    patch: { avatar: { credentials: { type: 'basic', username: 'u', password: 'pw' } } },
    code: 'DS507',
    at: '"pw"',
  },
  { name: 'threshold missing', patch: { policy: { deleteThreshold: undefined } }, code: 'DS508', at: '"policy"' },
  { name: 'threshold disabled', patch: { policy: { deleteThreshold: 'disabled' } }, code: 'DS509', at: '"disabled"' },
  { name: 'ldaps without verification', patch: { directory: { tls: { verify: false } } }, code: 'DS510', at: 'false' },
  {
    name: 'hyphenated reference that means a - b',
    patch: { attributes: { displayName: 'givenName-sn' } },
    code: 'DS511',
    at: 'givenName-sn',
  },
  { name: 'rooms without a SIP mapping', patch: { objects: { rooms: { enabled: true } } }, code: 'DS512', at: '"enabled"', after: 'rooms' },
  {
    name: 'avatar attribute missing',
    patch: { cloud: { type: 'scim', url: 'https://x.example.com/scim' }, avatar: { enabled: true, source: 'attribute' } },
    code: 'DS513',
    at: '"source"',
  },
  {
    name: 'resource server without pattern',
    patch: { avatar: { enabled: true, source: 'resourceServer' } },
    code: 'DS514',
    at: '"avatar"',
  },
  { name: 'webex without orgId', patch: { cloud: { orgId: undefined } }, code: 'DS515', at: '"cloud"' },
  { name: 'scim without url', patch: { cloud: { type: 'scim', orgId: undefined } }, code: 'DS515', at: '"cloud"' },
  {
    name: 'both cloud.token and cloud.auth',
    patch: { cloud: { auth: { clientId: '${env:C}', clientSecret: '${env:S}', refreshToken: '${env:R}' } } },
    code: 'DS539',
    at: '"auth"',
  },
  { name: 'neither cloud.token nor cloud.auth', patch: { cloud: { token: undefined } }, code: 'DS539', at: '"cloud"' },
  {
    name: 'token endpoint over plain http to another host',
    patch: {
      cloud: {
        token: undefined,
        auth: { clientId: '${env:C}', clientSecret: '${env:S}', refreshToken: '${env:R}', tokenUrl: 'http://login.example.com/token' },
      },
    },
    code: 'DS540',
    at: '"http://login.example.com/token"',
  },
  {
    name: 'a literal client secret in cloud.auth',
    patch: { cloud: { token: undefined, auth: { clientId: '${env:C}', clientSecret: 'hunter2', refreshToken: '${env:R}' } } },
    code: 'DS507',
    at: '"hunter2"',
  },
  { name: 'page size above MaxPageSize', patch: { directory: { pageSize: 5000 } }, code: 'DS516', at: '5000' },
  { name: 'bindDn ignored by ldif', patch: { directory: { url: 'ldif:./x.ldif' } }, code: 'DS517', at: '"bindDn"' },
  {
    name: 'photo attribute that is text',
    patch: { cloud: { type: 'scim', url: 'https://x.example.com/scim' }, avatar: { enabled: true, attribute: 'mail' } },
    code: 'DS518',
    at: '"mail"',
    after: 'avatar',
  },
  { name: 'unknown AD attribute in a mapping', patch: { attributes: { title: 'jobTitel' } }, code: 'DS519', at: 'jobTitel' },
  { name: 'binary into a text attribute', patch: { attributes: { displayName: 'thumbnailPhoto' } }, code: 'DS520', at: '"thumbnailPhoto"' },
  { name: 'manager from a non-DN attribute', patch: { attributes: { manager: 'mail' } }, code: 'DS520', at: '"mail"', after: 'manager' },
  { name: 'no base DNs', patch: { directory: { baseDns: undefined } }, code: 'DS521', at: '"directory"' },
  { name: 'bad DN', patch: { directory: { baseDns: ['example.com'] } }, code: 'DS522', at: '"example.com"' },
  {
    name: 'a bind name that is no DN, UPN or DOMAIN\\user',
    patch: { directory: { bindDn: 'svc-dirsync' } },
    code: 'DS522',
    at: '"svc-dirsync"',
  },
  {
    name: 'webex avatars without publish',
    patch: { avatar: { enabled: true, attribute: 'thumbnailPhoto' } },
    code: 'DS523',
    at: '"enabled"',
    after: 'avatar',
  },
  { name: 'notifications without recipients', patch: { notification: { enabled: true } }, code: 'DS524', at: '"notification"' },
  {
    name: 'notifications without a mail server',
    patch: { notification: { enabled: true, recipients: ['ops@example.com'] } },
    code: 'DS535',
    at: '"enabled"',
    after: 'notification',
  },
  {
    name: 'notifications in clear text to another host',
    patch: { notification: { smtp: { host: 'smtp.example.com', from: 'd@example.com', security: 'none' } } },
    code: 'DS536',
    at: '"none"',
  },
  { name: 'full interval shorter than incremental', patch: { schedule: { fullInterval: '1h' } }, code: 'DS525', at: '"1h"' },
  {
    name: 'selection base DN outside the directory',
    patch: { objects: { users: { baseDns: ['OU=x,DC=other,DC=com'] } } },
    code: 'DS526',
    at: '"OU=x,DC=other,DC=com"',
  },
  { name: 'duplicate list entry', patch: { policy: { ownedDomains: ['example.com', 'Example.com'] } }, code: 'DS527', at: '"Example.com"' },
  { name: 'clear-text ldap bind', patch: { directory: { url: 'ldap://dc1.example.com' } }, code: 'DS528', at: '"ldap://dc1.example.com"' },
  {
    name: 'webex reads published avatars over http',
    patch: {
      avatar: {
        enabled: true,
        attribute: 'thumbnailPhoto',
        publish: { url: 'https://up.example.com/a/', publicUrl: 'http://cdn.example.com/a/' },
      },
    },
    code: 'DS530',
    at: '"http://cdn.example.com/a/"',
  },
  {
    name: 'webex reads an http resource server',
    patch: { avatar: { enabled: true, source: 'resourceServer', uriPattern: 'http://photos.example.com/{mail}.jpg' } },
    code: 'DS530',
    at: '"http://photos.example.com/{mail}.jpg"',
  },
  {
    name: 'resource server credentials over http',
    patch: {
      cloud: { type: 'scim', url: 'https://scim.example.com/v2', orgId: undefined },
      avatar: {
        enabled: true,
        source: 'resourceServer',
        uriPattern: 'http://photos.example.com/{mail}.jpg',
        credentials: { type: 'bearer', token: '${env:P}' },
      },
    },
    code: 'DS531',
    at: '"http://photos.example.com/{mail}.jpg"',
  },
  {
    name: 'publish credentials over http',
    patch: {
      avatar: {
        enabled: true,
        publish: {
          url: 'http://up.example.com/a/',
          publicUrl: 'https://cdn.example.com/a/',
          credentials: { type: 'bearer', token: '${env:P}' },
        },
      },
    },
    code: 'DS531',
    at: '"http://up.example.com/a/"',
  },
  {
    name: 'pictures to a generic SCIM target without publish',
    patch: { cloud: { type: 'scim', url: 'https://scim.example.com/v2', orgId: undefined }, avatar: { enabled: true } },
    code: 'DS541',
    at: '"enabled"',
  },
  {
    name: 'webex reads the resource server itself',
    patch: { avatar: { enabled: true, source: 'resourceServer', uriPattern: 'https://photos.example.com/{mail}.jpg' } },
    code: 'DS532',
    at: '"https://photos.example.com/{mail}.jpg"',
  },
  { name: 'maxBytes above what the Webex app takes', patch: { avatar: { maxBytes: 20000000 } }, code: 'DS533', at: '20000000' },
  {
    name: 'publish URL with a query',
    patch: { avatar: { enabled: true, publish: { url: 'https://up.example.com/a?sig=1' } } },
    code: 'DS534',
    at: '"https://up.example.com/a?sig=1"',
  },
  {
    name: "Cisco's Webex extension on a generic SCIM target",
    patch: {
      cloud: { type: 'scim', url: 'https://x.example.com/scim', orgId: undefined },
      attributes: { ...BASE.attributes, 'sipAddresses;type=enterprise': 'msRTCSIP-PrimaryUserAddress' },
    },
    code: 'DS537',
    at: '"sipAddresses;type=enterprise"',
  },
  {
    name: 'rooms on a generic target chosen for a Webex cloud',
    patch: { objects: { rooms: { enabled: true, genericTarget: 'skip' } } },
    code: 'DS538',
    at: '"genericTarget"',
  },
];

function expected(text: string, at: string, after?: string): { start: number; end: number } {
  const found = after ? text.indexOf(after) : 0;
  assert.ok(found >= 0, `${after} not in document`);
  const from = after ? found + after.length : 0;
  const start = text.indexOf(at, from);
  assert.ok(start >= 0, `${at} not in document`);
  return { start, end: start + at.length };
}

describe('language/diagnostics: codes and ranges', () => {
  it('the base config is clean', () => {
    assert.deepEqual(analyzed().diagnostics, []);
  });

  for (const c of CASES) {
    it(`${c.code} ${c.name}`, () => {
      const text = configText(c.patch);
      const a = analyze(text);
      const range = expected(text, c.at, c.after);
      const all = a.diagnostics.filter((d) => d.code === c.code);
      const got = a.diagnostics.map((d) => `${d.code}@${JSON.stringify(text.slice(d.range.start, d.range.end))}`).join(', ');
      assert.ok(all.length, `no ${c.code}; got ${got}`);
      const hit = all.find((d) => d.range.start === range.start && d.range.end === range.end);
      assert.ok(hit, `${c.code} not at ${JSON.stringify(c.at)}; got ${got}`);
      assert.equal(hit.severity, CODES[c.code]!.severity);
    });
  }

  it('every DS1xx and DS5xx code in the table is exercised by a case or a sample', () => {
    const covered = new Set([...CASES.map((c) => c.code), 'DS100', 'DS105', 'DS109', 'DS110']);
    // DS110 (nesting) is covered in nesting.test.ts. DS529 needs an expression tree: it is covered in embedded.test.ts.
    const missing = Object.keys(CODES).filter((c) => !covered.has(c) && c !== 'DS529');
    assert.deepEqual(missing, []);
  });

  it('a bind DN may be a DN, a user principal name or DOMAIN\\user, as AD takes for a simple bind', () => {
    for (const bindDn of ['CN=svc-dirsync,OU=Service Accounts,DC=example,DC=com', 'svc-dirsync@example.com', 'EXAMPLE\\svc-dirsync']) {
      const a = analyze(configText({ directory: { bindDn } }));
      assert.deepEqual(
        a.diagnostics.filter((d) => d.code === 'DS522'),
        [],
        bindDn,
      );
    }
  });

  it('on a generic SCIM target rooms need no SIP mapping (DS512) and may say what they become (no DS538)', () => {
    const generic = { type: 'scim', url: 'https://x.example.com/scim', orgId: undefined };
    for (const genericTarget of [undefined, 'users', 'skip']) {
      const a = analyze(configText({ cloud: generic, objects: { rooms: { enabled: true, genericTarget } } }));
      assert.deepEqual(codes(a), [], String(genericTarget));
    }
    assert.ok(codes(analyze(configText({ objects: { rooms: { genericTarget: 'plain' } } }))).includes('DS104'));
  });

  it('DS100 for JSONC syntax errors; comments and trailing commas are fine', () => {
    assert.ok(codes(analyze('{ "directory": { "url" "ldaps://a.example.com" } }')).includes('DS100'));
    const clean = analyze(
      '{\n // c\n "directory": {"url": "ldaps://a.example.com", "baseDns": ["DC=a,DC=b"],},\n /* block */ "cloud": {"type": "scim", "url": "https://x.example.com/v2", "token": "${env:T}"},\n "policy": {"deleteThreshold": {"count": 1}},\n}',
    );
    assert.deepEqual(codes(clean), []);
  });

  it('DS100 points at the missing comma', () => {
    const { text, ranges } = ranged('{\n  "directory": {}\n  «"cloud"»: {}\n}');
    const d = analyze(text).diagnostics.find((x) => x.code === 'DS100');
    assert.deepEqual(d?.range, ranges[0]);
  });

  it('DS105 duplicate key on the later key', () => {
    const { text, ranges } = ranged('{ "directory": {"url": "ldaps://a.example.com", «"url"»: "ldaps://b.example.com"} }');
    const d = analyze(text).diagnostics.find((x) => x.code === 'DS105');
    assert.deepEqual(d?.range, ranges[0]);
  });

  it('DS105 names the line of the key it replaces, for every duplicate', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `  "x": ${i}`);
    const text = `{\r\n  "directory": {"url": "ldaps://a.example.com"},\n  "notification": {\n${keys.join(',\n')}\n  }\n}`;
    const messages = analyze(text)
      .diagnostics.filter((x) => x.code === 'DS105')
      .map((d) => d.message);
    assert.equal(messages.length, 39);
    // Key i (1-based line 4 + i) replaces key i - 1, on line 3 + i.
    messages.forEach((m, i) => assert.match(m, new RegExp(`on line ${4 + i},`), m));
  });

  it('DS109 for a document that is not an object, and for an empty one', () => {
    assert.deepEqual(codes(analyze('[1, 2]')), ['DS109']);
    assert.deepEqual(codes(analyze('  // only a comment\n')), ['DS109']);
  });

  it('ranges inside escaped strings: the DS504 range covers the escaped source text', () => {
    const { text, ranges } = ranged(
      '{ "directory": {"url": "ldaps://a.example.com", "baseDns": ["DC=a,DC=b"]}, "cloud": {"orgId": "o", "token": "${env:T}"}, "policy": {"deleteThreshold": {"count": 1}},\n "objects": {"groups": {"filter": "(&(cn=a\\\\2a)«(objectClass=\\u0075ser)»)"}} }',
    );
    const d = analyze(text).diagnostics.find((x) => x.code === 'DS504');
    assert.ok(d, JSON.stringify(analyze(text).diagnostics));
    assert.deepEqual(d.range, ranges[0]);
  });

  it('quick fixes come with did-you-mean and missing-key diagnostics', () => {
    const a = analyzed({ shedule: {}, policy: { deleteThreshold: undefined } });
    assert.equal(a.diagnostics.find((d) => d.code === 'DS101')?.fixes?.[0]?.title, 'Change to `schedule`');
    assert.ok(a.diagnostics.find((d) => d.code === 'DS508')?.fixes?.length);
  });

  it('a throwing grammar costs only the checks of that string (internalErrors, no crash)', () => {
    const a = analyzed({ objects: { users: { filter: '(cn=*)' } } });
    assert.ok(Array.isArray(a.internalErrors));
  });
});
