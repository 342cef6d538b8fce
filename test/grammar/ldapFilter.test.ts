/**
 * Accept/reject corpus for RFC 4515 filters: the RFC's own examples, real Active Directory
 * filters, the seeds' filters, and every error the diagnoser distinguishes (code and offsets).
 */
import { strict as assert } from 'node:assert';
import { DEFAULT_FILTERS } from '../../server/src/language/config/defaults';
import { formatLdapFilter, LDAP_FILTER_CODES, parseLdapFilter, type FilterNode } from '../../server/src/language/ldapFilter';

/** Filters that must parse without errors, with the warnings/hints they must carry (codes). */
const ACCEPT: Array<[filter: string, codes: string[]]> = [
  // RFC 4515 §4
  ['(cn=Babs Jensen)', []],
  ['(!(cn=Tim Howes))', []],
  ['(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))', []],
  ['(o=univ*of*mich*)', []],
  ['(seeAlso=)', []],
  ['(cn:caseExactMatch:=Fred Flintstone)', ['DS204']],
  ['(cn:=Betty Rubble)', []],
  ['(sn:dn:2.4.6.8.10:=Barney Rubble)', ['DS204']],
  ['(o:dn:=Ace Industry)', []],
  ['(:1.2.3:=Wilma Flintstone)', ['DS204']],
  ['(:DN:2.4.6.8.10:=Dino)', ['DS204']],
  ['(o=Parens R Us \\28for all your parenthetical needs\\29)', []],
  ['(cn=*\\2A*)', []],
  ['(filename=C:\\5cMyFile)', []],
  ['(sn=Lu\\c4\\8di\\c4\\87)', []],
  ['(1.3.6.1.4.1.1466.0=\\04\\02\\48\\69)', []],
  // RFC 4526 absolute true/false
  ['(&)', ['DS207']],
  ['(|)', ['DS207']],
  // Real Active Directory filters
  ['(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))', []],
  ['(userAccountControl:1.2.840.113556.1.4.803:=2)', []],
  ['(memberOf:1.2.840.113556.1.4.1941:=CN=Sales,OU=Groups,DC=corp,DC=example,DC=com)', []],
  ['(sAMAccountType=805306368)', []],
  ['(&(objectClass=group)(groupType:1.2.840.113556.1.4.803:=2147483648))', []],
  ['(groupType:1.2.840.113556.1.4.804:=10)', []],
  ['(&(objectClass=user)(msExchResourceMetaData=ResourceType:Room))', []],
  ['(objectGUID=\\4d\\0f\\0e\\83\\2c\\49\\e8\\41\\9e\\96\\03\\70\\da\\aa\\87\\7b)', []],
  ['(objectSid=S-1-5-21-2312088912-2116166553-3064330879-1329)', []],
  ['(&(mail=*)(!(msExchHideFromAddressLists=TRUE)))', []],
  ['(whenChanged>=20240101000000.0Z)', []],
  ['(cn;lang-en=Ada)', []],
  ['(proxyAddresses=smtp:ada@example.com)', []],
  ['(msDS-KeyCredentialLink:1.2.840.113556.1.4.2253:=B:0::CN=Ada,DC=corp,DC=example,DC=com)', []],
  // Seed 001: users in the Example-manager group
  ['(&(sAMAccountName=*)(memberOf=cn=Example-manager,ou=Example,ou=Security Group,dc=COMPANY))', []],
  // Legal but suspicious
  ['(cn=a**b)', ['DS211']],
  ['(memberOf=CN=Sales*)', ['DS215']],
  ['(userAccountControl:1.2.840.113556.1.4.803:=disabled)', ['DS208']],
  ['(memberOf:1.2.840.113556.1.4.1941:=Sales)', ['DS213']],
  ['(objectGUID=830e0f4d-492c-41e8-9e96-0370daaa877b)', ['DS216']],
  ['(cn=Ada )', ['DS217']],
  ...Object.values(DEFAULT_FILTERS).map((f): [string, string[]] => [f, []]),
];

/** Filters that must fail: code, start and end of the one error. */
const REJECT: Array<[filter: string, code: string, start: number, end: number]> = [
  // Seed 001's group filter with a stray trailing `*`: the error is exactly that `*`.
  ['(&(cn=Example)(objectclass=Group))*', 'DS202', 34, 35],
  ['(cn=a)(sn=b)', 'DS202', 6, 12],
  ['(&(cn=a)))', 'DS202', 9, 10],
  ['(cn=a\\zz)', 'DS203', 5, 8],
  ['(cn=a\\2)', 'DS203', 5, 7],
  ['(cn=a\\', 'DS203', 5, 6],
  ['(memberOf=CN=Smith\\, John,DC=corp)', 'DS203', 18, 20],
  ['(cn>=a*)', 'DS205', 6, 7],
  ['(cn:=a*)', 'DS205', 6, 7],
  ['(cn=John (Jr))', 'DS205', 9, 10],
  ['(cn=a', 'DS206', 5, 5],
  ['(&(cn=a)', 'DS206', 8, 8],
  ['(&(cn=a)(|(sn=b)', 'DS206', 16, 16],
  ['( cn=a)', 'DS209', 1, 2],
  ['(cn =a)', 'DS209', 3, 4],
  ['(&(a=b) (c=d))', 'DS209', 7, 8],
  ['(& (a=b))', 'DS209', 2, 3],
  ['cn=a', 'DS210', 0, 4],
  ['(_x=1)', 'DS212', 1, 3],
  ['(cn;=x)', 'DS212', 3, 4],
  ['', 'DS214', 0, 0],
  ['   ', 'DS214', 0, 3],
  ['()', 'DS201', 0, 2],
  ['(!(cn=a)(sn=b))', 'DS201', 8, 9],
  ['(cn~a)', 'DS201', 3, 4],
  ['(cn)', 'DS201', 3, 4],
  ['(:dn:=x)', 'DS201', 4, 5],
  ['((cn=a))', 'DS201', 1, 2],
  ['(&cn=a)', 'DS201', 2, 3],
  ['(!cn=a)', 'DS201', 2, 3],
  ['(&(cn=a)sn=b)', 'DS201', 8, 9],
  ['(=x)', 'DS212', 1, 2],
];

describe('LDAP filter grammar (RFC 4515)', () => {
  describe('accepts', () => {
    for (const [filter, codes] of ACCEPT) {
      it(filter || '(empty)', () => {
        const r = parseLdapFilter(filter);
        assert.equal(r.ok, true, `expected success, got ${JSON.stringify(r.problems)}`);
        assert.deepEqual(
          r.problems.map((p) => p.code),
          codes,
        );
        // Every problem lies inside the text.
        for (const p of r.problems) assert.ok(p.start >= 0 && p.start <= p.end && p.end <= filter.length);
      });
    }
  });

  describe('rejects', () => {
    for (const [filter, code, start, end] of REJECT) {
      it(`${JSON.stringify(filter)} → ${code} at ${start}-${end}`, () => {
        const r = parseLdapFilter(filter);
        assert.equal(r.ok, false);
        const errors = r.problems.filter((p) => p.severity === 'error');
        assert.equal(errors.length, 1, JSON.stringify(r.problems));
        assert.deepEqual({ code: errors[0]!.code, start: errors[0]!.start, end: errors[0]!.end }, { code, start, end });
        assert.ok(errors[0]!.message.length > 10);
      });
    }
  });

  it('explains the seed filter: the filter ended at the ")" before the stray "*"', () => {
    const r = parseLdapFilter('(&(cn=Example)(objectclass=Group))*');
    assert.match(r.problems[0]!.message, /ended at the '\)' at column 34/);
  });

  it('names the "(" a missing ")" would close', () => {
    const r = parseLdapFilter('(&(cn=a)(|(sn=b)');
    assert.equal(r.problems[0]!.message, "expected ')' to close the filter opened at column 9");
  });

  it('uses only codes from the DS2xx table, with the table’s severity', () => {
    for (const [filter] of [...ACCEPT, ...REJECT]) {
      for (const p of parseLdapFilter(filter).problems) {
        const info = LDAP_FILTER_CODES[p.code as keyof typeof LDAP_FILTER_CODES];
        assert.ok(info, `unknown code ${p.code}`);
        assert.equal(p.severity, info.severity);
      }
    }
  });

  describe('builds the AST', () => {
    const parse = (t: string): FilterNode => {
      const r = parseLdapFilter(t);
      if (!r.ok) assert.fail(JSON.stringify(r.problems));
      return r.value;
    };
    it('and/or/not with ranges of the parenthesized filters', () => {
      const f = parse('(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))');
      assert.equal(f.type, 'and');
      if (f.type !== 'and') return;
      assert.deepEqual(f.range, { start: 0, end: 49 });
      assert.deepEqual(
        f.filters.map((x) => x.type),
        ['equality', 'or'],
      );
      assert.deepEqual(f.filters[0]!.range, { start: 2, end: 22 });
      const or = f.filters[1]!;
      if (or.type !== 'or') return assert.fail();
      assert.deepEqual(
        or.filters.map((x) => x.type),
        ['equality', 'substrings'],
      );
    });
    it('substrings: initial, any in order, final', () => {
      const f = parse('(o=univ*of*mich*)');
      if (f.type !== 'substrings') return assert.fail(f.type);
      assert.equal(f.initial?.text, 'univ');
      assert.deepEqual(
        f.any.map((a) => a.text),
        ['of', 'mich'],
      );
      assert.equal(f.final, undefined);
      const g = parse('(cn=*a*b)');
      if (g.type !== 'substrings') return assert.fail(g.type);
      assert.equal(g.initial, undefined);
      assert.deepEqual(
        g.any.map((a) => a.text),
        ['a'],
      );
      assert.equal(g.final?.text, 'b');
    });
    it('presence is not a substring', () => {
      assert.equal(parse('(cn=*)').type, 'present');
      assert.equal(parse('(cn=*x)').type, 'substrings');
    });
    it('decodes escapes to bytes and UTF-8 text', () => {
      const f = parse('(sn=Lu\\c4\\8di\\c4\\87)');
      if (f.type !== 'equality') return assert.fail();
      assert.equal(f.value.text, 'Lučić');
      assert.equal(f.value.raw, 'Lu\\c4\\8di\\c4\\87');
      assert.deepEqual(f.value.range, { start: 4, end: 19 });
      const g = parse('(1.3.6.1.4.1.1466.0=\\04\\02\\48\\69)');
      if (g.type !== 'equality') return assert.fail();
      assert.deepEqual([...g.value.bytes], [4, 2, 0x48, 0x69]);
      assert.equal(g.attribute.name, '1.3.6.1.4.1.1466.0');
    });
    it('attribute options', () => {
      const f = parse('(cn;lang-en;x-y=Ada)');
      if (f.type !== 'equality') return assert.fail();
      assert.equal(f.attribute.name, 'cn');
      assert.deepEqual(f.attribute.options, ['lang-en', 'x-y']);
      assert.equal(f.attribute.text, 'cn;lang-en;x-y');
    });
    it('extensible match parts', () => {
      const f = parse('(sn:dn:2.4.6.8.10:=Barney Rubble)');
      if (f.type !== 'extensible') return assert.fail();
      assert.equal(f.attribute?.name, 'sn');
      assert.equal(f.dnAttributes, true);
      assert.deepEqual(f.matchingRule, { oid: '2.4.6.8.10', range: { start: 7, end: 17 } });
      assert.equal(f.value.text, 'Barney Rubble');
      const g = parse('(:DN:2.4.6.8.10:=Dino)');
      if (g.type !== 'extensible') return assert.fail();
      assert.equal(g.attribute, undefined);
      assert.equal(g.dnAttributes, true);
      const h = parse('(userAccountControl:1.2.840.113556.1.4.803:=2)');
      if (h.type !== 'extensible') return assert.fail();
      assert.equal(h.dnAttributes, false);
      assert.equal(h.matchingRule?.oid, '1.2.840.113556.1.4.803');
    });
  });

  describe('formats canonically', () => {
    const cases: Array<[string, string]> = [
      ['(cn=*\\2A*)', '(cn=*\\2a*)'],
      ['(o=Parens R Us \\28for all\\29)', '(o=Parens R Us \\28for all\\29)'],
      ['(sn=Lu\\c4\\8di\\c4\\87)', '(sn=Lučić)'],
      ['(objectGUID=\\4d\\0F)', '(objectGUID=\\4d\\0f)'],
      ['(filename=C:\\5cMyFile)', '(filename=C:\\5cMyFile)'],
      ['(:DN:2.4.6.8.10:=Dino)', '(:dn:2.4.6.8.10:=Dino)'],
      ['(&(a=b)(!(c>=1))(|(d<=2)(e~=x)(f=*)))', '(&(a=b)(!(c>=1))(|(d<=2)(e~=x)(f=*)))'],
    ];
    for (const [input, output] of cases) {
      it(`${input} → ${output}`, () => {
        const r = parseLdapFilter(input);
        if (!r.ok) return assert.fail(JSON.stringify(r.problems));
        assert.equal(formatLdapFilter(r.value), output);
        // Canonical text parses to the same canonical text.
        const again = parseLdapFilter(output);
        assert.ok(again.ok);
        if (again.ok) assert.equal(formatLdapFilter(again.value), output);
      });
    }
  });
});
