/**
 * The embedded languages inside the config: grammar problems (DS2xx/3xx/4xx) mapped to exact
 * document ranges through JSON escapes, checks that read the grammar's syntax trees, matching-rule
 * completion, and hovers that evaluate on the example entry.
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../server/src/language/analysis';
import { complete } from '../../../server/src/language/completion';
import { hover } from '../../../server/src/language/hover';
import { clearEmbeddedCache, decodeEmbedded, parseEmbedded } from '../../../server/src/language/embedded';
import { decodeJsonString } from '../../../server/src/language/config/jsonString';
import { analyzed, codes, configText, cursor, ranged } from '../../support/languageCases';

/** A valid config around one raw JSON fragment (object members) at the top level. */
function withRaw(fragment: string): string {
  return `{\n  "directory": { "url": "ldaps://dc1.example.com", "password": "\${env:P}", "baseDns": ["DC=example,DC=com"] },\n  "cloud": { "orgId": "o", "token": "\${env:T}" },\n  "policy": { "deleteThreshold": { "count": 5 } },\n  ${fragment}\n}`;
}

const RANGE_CASES: Array<{ name: string; fragment: string; code: string }> = [
  {
    name: "the seed's filter with a stray trailing *",
    fragment: '"objects": { "groups": { "enabled": true, "filter": "(&(cn=Example)(objectclass=Group))«*»" } }',
    code: 'DS202',
  },
  {
    name: 'an extra ) after an escaped value (\\\\2a in JSON is \\2a in the filter)',
    fragment: '"objects": { "users": { "filter": "(cn=a\\\\2a*)«)»" } }',
    code: 'DS202',
  },
  {
    name: 'a bad filter escape, after a \\u escape',
    fragment: '"objects": { "users": { "filter": "\\u0028cn=«\\\\zz»)" } }',
    code: 'DS203',
  },
  {
    name: 'a bad filter escape with JSON escapes before it',
    fragment: '"objects": { "users": { "filter": "(&(cn=\\\\28x)(sn=«\\\\g1»))" } }',
    code: 'DS203',
  },
  {
    name: 'an unknown matching rule',
    fragment: '"objects": { "users": { "filter": "(userAccountControl:«1.2.3.4»:=2)" } }',
    code: 'DS204',
  },
];

describe('language/embedded: grammar problems at document ranges', () => {
  for (const c of RANGE_CASES) {
    it(`${c.code} ${c.name}`, () => {
      const { text, ranges } = ranged(withRaw(c.fragment));
      const all = analyze(text).diagnostics;
      const hit = all.find((d) => d.code === c.code);
      assert.ok(hit, `no ${c.code}: ${all.map((d) => d.code).join(',')}`);
      assert.deepEqual(hit.range, ranges[0], `covers ${JSON.stringify(text.slice(hit.range.start, hit.range.end))}`);
    });
  }

  it('DS3xx: an expression problem maps into the attributes value', () => {
    const text = withRaw(
      '"attributes": { "uid": "mail", "ds-pwp-account-disabled": "userAccountControl", "displayName": "givenName + \\" \\" +" }',
    );
    const d = analyze(text).diagnostics.find((x) => x.code.startsWith('DS3'));
    assert.ok(d, JSON.stringify(analyze(text).diagnostics));
    const covered = text.slice(d.range.start, d.range.end);
    assert.ok(
      d.range.start > text.indexOf('"displayName"') && d.range.end <= text.indexOf('" }', text.indexOf('"displayName"')) + 1,
      covered,
    );
  });

  it('DS4xx: a .NET-only regex construct in an avatar pattern points into the placeholder', () => {
    const text = withRaw(
      '"avatar": { "enabled": true, "source": "resourceServer", "uriPattern": "http://x.example.com/{mail: a(?i)b}.jpg" }',
    );
    const d = analyze(text).diagnostics.find((x) => x.code.startsWith('DS4'));
    assert.ok(d);
    assert.ok(text.slice(d.range.start, d.range.end).includes('(?i)'), text.slice(d.range.start, d.range.end));
  });

  it("the seed's expressions and avatar pattern are valid", () => {
    const a = analyzed({
      attributes: {
        displayName: 'givenName + " " + sn',
        extensionAttribute1: '"abc@example.com" % "@"',
        extensionAttribute2: '"abc@example.com" - "@"',
        extensionAttribute3: '"" | "abc"',
      },
      // Published for Webex: without `publish`, Webex would read the http URL itself (DS530).
      avatar: {
        enabled: true,
        source: 'resourceServer',
        uriPattern: 'http://www.example.com/dir/photo/zoom/{mail: .*?(?=@.*)}.jpg',
        publish: { url: 'https://avatars.example.com/' },
      },
    });
    assert.deepEqual(codes(a), []);
    assert.deepEqual(a.internalErrors, []);
  });
});

describe('language/embedded: checks that read the syntax trees', () => {
  it('DS504 ignores negated user tests in the groups filter', () => {
    assert.ok(
      !codes(analyzed({ objects: { groups: { enabled: true, filter: '(&(objectClass=group)(!(objectClass=user)))' } } })).includes('DS504'),
    );
    assert.ok(
      codes(analyzed({ objects: { groups: { enabled: true, filter: '(|(objectClass=group)(sAMAccountType=805306368))' } } })).includes(
        'DS504',
      ),
    );
  });

  it('DS502: an expression that appends @domain is fine; one without an @ is not', () => {
    assert.ok(!codes(analyzed({ attributes: { uid: 'sAMAccountName + "@example.com"' } })).includes('DS502'));
    assert.ok(!codes(analyzed({ attributes: { uid: 'mail | userPrincipalName' } })).includes('DS502'));
    assert.ok(codes(analyzed({ attributes: { uid: 'givenName + sn' } })).includes('DS502'));
  });

  it('DS511 and DS519 on references inside expressions, at the reference', () => {
    const text = configText({ attributes: { displayName: '"x" + givenName-sn', title: 'title | jobTitel' } });
    const a = analyze(text);
    const d511 = a.diagnostics.find((d) => d.code === 'DS511')!;
    assert.equal(text.slice(d511.range.start, d511.range.end), 'givenName-sn');
    const d519 = a.diagnostics.find((d) => d.code === 'DS519')!;
    assert.equal(text.slice(d519.range.start, d519.range.end), 'jobTitel');
  });

  it('DS519 on an unknown attribute in a filter and in an avatar placeholder', () => {
    const text = configText({
      objects: { users: { filter: '(&(objectClass=user)(departmnt=IT))' } },
      avatar: { enabled: true, source: 'resourceServer', uriPattern: 'https://p.example.com/{emial}.jpg' },
    });
    const a = analyze(text);
    const spans = a.diagnostics.filter((d) => d.code === 'DS519').map((d) => text.slice(d.range.start, d.range.end));
    assert.deepEqual(spans.sort(), ['departmnt', 'emial']);
  });

  it('DS529 for a constant preferred language in the wrong format', () => {
    const text = configText({ attributes: { preferredLanguage: 'preferredLanguage | "english"' } });
    assert.ok(!codes(analyze(text)).includes('DS529'), 'only a constant expression is checked');
    const t2 = configText({ attributes: { preferredLanguage: '"english"' } });
    const d = analyze(t2).diagnostics.find((x) => x.code === 'DS529')!;
    assert.equal(t2.slice(d.range.start, d.range.end), '"\\"english\\""');
    assert.ok(!codes(analyzed({ attributes: { preferredLanguage: '"fr-CA"' } })).includes('DS529'));
  });
});

describe('language/embedded: completion and hover inside embedded values', () => {
  it('completes AD matching rules by name after `:` and inserts the OID', () => {
    const { text, offset } = cursor('{ "objects": { "users": { "filter": "(userAccountControl:|" } } }');
    const items = complete(analyze(text), offset);
    const bitAnd = items.find((i) => i.label === 'LDAP_MATCHING_RULE_BIT_AND')!;
    assert.ok(bitAnd, items.map((i) => i.label).join(','));
    assert.equal(bitAnd.insertText, '1.2.840.113556.1.4.803');
    assert.equal(bitAnd.kind, 'matchingRule');
    assert.ok(items.find((i) => i.detail === '1.2.840.113556.1.4.1941')?.filterText?.includes('TRANSITIVE_EVAL'));
  });

  it('completes matching rules after `:dn:` and replaces a partly typed OID', () => {
    const { text, offset } = cursor('{ "objects": { "users": { "filter": "(memberOf:dn:1.2.840|" } } }');
    const items = complete(analyze(text), offset);
    const inChain = items.find((i) => i.detail === '1.2.840.113556.1.4.1941')!;
    assert.equal(text.slice(inChain.replace.start, inChain.replace.end), '1.2.840');
  });

  const HOVERS: Array<{ name: string; src: string; contains: string[]; covers?: string; marker?: string }> = [
    {
      name: 'an expression shows its value on the example entry',
      src: '{ "attributes": { "displayName": "givenName + \\" \\" + |sn" } }',
      contains: ['**sn**', '`Alice Example`'],
      covers: 'sn',
    },
    { name: "the seed's % operator", src: '{ "attributes": { "extensionAttribute1": "mail |% \\"@\\"" } }', contains: ['`example.com`'] },
    { name: "the seed's - operator", src: '{ "attributes": { "extensionAttribute2": "mail |- \\"@\\"" } }', contains: ['`alice.example`'] },
    { name: 'the | operator (cursor ⌶)', src: '{ "attributes": { "title": "\\"\\" ⌶| department" } }', contains: ['`IT`'], marker: '⌶' },
    {
      name: 'a filter attribute',
      src: '{ "objects": { "users": { "filter": "(&(objectClass=user)(mem|berOf=CN=x,DC=y))" } } }',
      contains: ['memberOf', 'dn'],
      covers: 'memberOf',
    },
    {
      name: 'a matching rule OID',
      src: '{ "objects": { "users": { "filter": "(userAccountControl:1.2.840.113556.1.4.8|03:=2)" } } }',
      contains: ['LDAP_MATCHING_RULE_BIT_AND'],
      covers: '1.2.840.113556.1.4.803',
    },
    {
      name: 'a filter as a whole says whether the example entry matches',
      src: '{ "objects": { "users": { "filter": "(&(objectClass=user)|(mail=*))" } } }',
      contains: ['matches'],
    },
    {
      name: 'an avatar pattern resolves on the example entry',
      src: '{ "avatar": { "uriPattern": "http://www.example.com/dir/photo/zoom/{mail: .*?(?=@.*)}.j|pg" } }',
      contains: ['`http://www.example.com/dir/photo/zoom/alice.example.jpg`'],
    },
    {
      name: 'an avatar placeholder attribute',
      src: '{ "avatar": { "uriPattern": "http://p.example.com/{ma|il}.jpg" } }',
      contains: ['**mail**', 'alice.example%40example.com'],
    },
  ];

  for (const c of HOVERS) {
    it(`hover: ${c.name}`, () => {
      const { text, offset } = cursor(c.src, c.marker);
      const errors: string[] = [];
      const h = hover(analyze(text), offset, { internalErrors: errors });
      assert.ok(h, 'no hover');
      for (const s of c.contains) assert.ok(h.contents.includes(s), `${s} not in ${h.contents}`);
      if (c.covers) assert.equal(text.slice(h.range.start, h.range.end), c.covers);
      assert.deepEqual(errors, []);
    });
  }
});

describe('embedded parse memo', () => {
  it('reuses the result for the same text and format, and parses a changed text anew', () => {
    clearEmbeddedCache();
    const first = parseEmbedded('ldapFilter', '(cn=a)').result;
    assert.ok(first?.ok);
    assert.equal(parseEmbedded('ldapFilter', '(cn=a)').result, first, 'same text: the memoized result');
    const changed = parseEmbedded('ldapFilter', '(cn=a').result;
    assert.ok(changed && !changed.ok, 'a changed text is parsed, not served from the memo');
    assert.equal(changed.problems.length, 1);
    // The same text in another language is another entry.
    assert.equal(parseEmbedded('attrExpr', '(cn=a)').result?.ok, false);
    clearEmbeddedCache();
    const again = parseEmbedded('ldapFilter', '(cn=a)').result;
    assert.notEqual(again, first, 'emptied memo: parsed again');
    assert.deepEqual(again, first);
  });

  it('follows an edit of a document: the diagnostics are those of the new text', () => {
    const good = withRaw('"objects": { "users": { "filter": "(cn=a)" } }');
    const bad = withRaw('"objects": { "users": { "filter": "(cn=a" } }');
    assert.ok(!codes(analyze(good)).some((c) => c.startsWith('DS2')));
    assert.ok(codes(analyze(bad)).some((c) => c.startsWith('DS2')));
    assert.ok(!codes(analyze(good)).some((c) => c.startsWith('DS2')));
  });
});

describe('decoded embedded strings, memoized by their source', () => {
  it('are the strings decoded in place, wherever the same source moves', () => {
    const sources = ['"(cn=a\\\\2a*)"', '"\\u0041\\/\\n\\t x"', '"//"', '"\\//"', '"/\\/"', '"\\u12"', '""', '"unterminated'];
    for (const source of sources) {
      for (const pad of ['', ' ', '{"k": ', 'x'.repeat(40)]) {
        const text = `${pad}${source} , "tail"`;
        const start = pad.length;
        const expected = decodeJsonString(text, start, source.length);
        // Twice: the first decodes, the second comes from the memo.
        assert.deepEqual(decodeEmbedded(text, start, source.length), expected, `${JSON.stringify(text)}`);
        assert.deepEqual(decodeEmbedded(text, start, source.length), expected, `${JSON.stringify(text)} again`);
      }
    }
  });
});
