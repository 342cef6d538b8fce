/**
 * The filter knowledge completion and hover use: the matching-rule catalog, flag names, and what
 * is under the cursor (marked `|` in each case).
 */
import { strict as assert } from 'node:assert';
import {
  describeFlags,
  filterContextAt,
  findMatchingRule,
  MATCHING_RULES,
  parseLdapFilter,
} from '../../../../server/src/language/ldapFilter';

describe('AD matching rule catalog', () => {
  it('knows the four AD rules by OID and by name', () => {
    assert.deepEqual(
      MATCHING_RULES.map((r) => r.oid),
      ['1.2.840.113556.1.4.803', '1.2.840.113556.1.4.804', '1.2.840.113556.1.4.1941', '1.2.840.113556.1.4.2253'],
    );
    assert.equal(findMatchingRule('1.2.840.113556.1.4.1941')?.name, 'LDAP_MATCHING_RULE_IN_CHAIN');
    assert.equal(findMatchingRule('ldap_matching_rule_transitive_eval')?.oid, '1.2.840.113556.1.4.1941');
    assert.equal(findMatchingRule('1.2.840.113556.1.4.805'), undefined);
  });
  it('every example in the catalog is a clean filter that uses its rule', () => {
    for (const rule of MATCHING_RULES) {
      assert.ok(rule.examples.length > 0, rule.name);
      for (const ex of rule.examples) {
        const r = parseLdapFilter(ex.filter);
        assert.equal(r.ok, true, ex.filter);
        assert.deepEqual(r.problems, [], ex.filter);
        assert.ok(ex.filter.includes(rule.oid));
      }
    }
  });
  it('names userAccountControl and groupType flags for hover', () => {
    assert.deepEqual(
      describeFlags('userAccountControl', '514')?.flags.map((f) => f.name),
      ['ACCOUNTDISABLE', 'NORMAL_ACCOUNT'],
    );
    assert.deepEqual(
      describeFlags('userAccountControl', '66050')?.flags.map((f) => f.name),
      ['ACCOUNTDISABLE', 'NORMAL_ACCOUNT', 'DONT_EXPIRE_PASSWORD'],
    );
    assert.deepEqual(
      describeFlags('groupType', '-2147483646')?.flags.map((f) => f.name),
      ['ACCOUNT_GROUP', 'SECURITY_ENABLED'],
    );
    assert.deepEqual(
      describeFlags('sAMAccountType', '805306368')?.flags.map((f) => f.name),
      ['SAM_USER_OBJECT'],
    );
    assert.equal(describeFlags('userAccountControl', '0x200'), undefined);
    assert.equal(describeFlags('cn', '512'), undefined);
    assert.equal(describeFlags('userAccountControl', String(0x200 | 0x8000000))?.unknownBits, 0x8000000);
  });
});

/** Splits `text|more` into the text and the cursor offset. */
const at = (marked: string) => ({ text: marked.replace('|', ''), offset: marked.indexOf('|') });

describe('filterContextAt', () => {
  const cases: Array<[marked: string, kind: string, text: string, extra?: Record<string, unknown>]> = [
    ['(|', 'attribute', ''],
    ['(&(|', 'attribute', ''],
    ['(mai|', 'attribute', 'mai'],
    ['(ma|il=x)', 'attribute', 'mail'],
    ['(mail|=x)', 'attribute', 'mail'],
    ['(mail=|', 'value', '', { attribute: 'mail', operator: '=' }],
    ['(mail=ad|a@x)', 'value', 'ada@x', { attribute: 'mail', operator: '=' }],
    ['(uSNChanged>=1|0)', 'value', '10', { attribute: 'uSNChanged', operator: '>=' }],
    ['(userAccountControl:1.2.840.113556.1.4.8|03:=2)', 'matchingRule', '1.2.840.113556.1.4.803', { attribute: 'userAccountControl' }],
    ['(userAccountControl:|', 'matchingRule', ''],
    ['(userAccountControl:1.2.840.113556.1.4.803:=|2)', 'value', '2', { operator: ':=' }],
    ['(&(cn=a)(!(memberOf:1.2.840.113556.1.4.1941:=CN=S|ales,DC=x)))', 'value', 'CN=Sales,DC=x'],
    ['(|&(cn=a))', 'operator', '&'],
    ['(cn:d|n:=x)', 'operator', ':dn'],
  ];
  for (const [marked, kind, text, extra] of cases) {
    it(`${marked} → ${kind} ${JSON.stringify(text)}`, () => {
      const { text: t, offset } = at(marked);
      const ctx = filterContextAt(t, offset);
      assert.equal(ctx.kind, kind);
      if (ctx.kind === 'none') return;
      assert.equal(ctx.text, text);
      assert.equal(t.slice(ctx.range.start, ctx.range.end), text);
      for (const [k, v] of Object.entries(extra ?? {})) assert.equal((ctx as unknown as Record<string, unknown>)[k], v, k);
    });
  }
  it('knows the rule of a value, for hover and value completion', () => {
    const { text, offset } = at('(memberOf:1.2.840.113556.1.4.1941:=|)');
    const ctx = filterContextAt(text, offset);
    assert.equal(ctx.kind === 'value' && ctx.rule?.kind, 'inChain');
  });
  it('is none outside any filter', () => {
    assert.equal(filterContextAt('(cn=a)', 6).kind, 'none');
    assert.equal(filterContextAt('cn=a', 2).kind, 'none');
  });
});
