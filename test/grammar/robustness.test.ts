/**
 * Bounded fuzzing of the three parsers: thousands of mutated inputs, seeded so a failure
 * reproduces. No parser may throw, every problem range lies inside the text, and a text without
 * errors always yields a value (and vice versa).
 */
import { strict as assert } from 'node:assert';
import { parseAttributeExpression } from '../../server/src/language/attrExpr';
import { parseAvatarUriPattern, resolveAvatarUri } from '../../server/src/language/avatarUri';
import { filterContextAt, formatLdapFilter, matchesFilter, parseLdapFilter } from '../../server/src/language/ldapFilter';
import type { ParseResult } from '../../server/src/language/problems';
import { mulberry32 as rng } from '../support/random';

function mutations(seeds: string[], alphabet: string, count: number, seed: number): string[] {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let s = pick(seeds);
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) {
      const i = Math.floor(rand() * (s.length + 1));
      const r = rand();
      if (r < 0.4) s = s.slice(0, i) + pick([...alphabet]) + s.slice(i);
      else if (r < 0.7) s = s.slice(0, i) + s.slice(i + 1);
      else if (r < 0.85) s = s.slice(0, i) + pick(seeds).slice(0, 8) + s.slice(i);
      else
        s =
          s.slice(0, i) +
          s
            .slice(i, i + 3)
            .split('')
            .reverse()
            .join('') +
          s.slice(i + 3);
    }
    out.push(s);
  }
  return out;
}

function checkResult<T>(text: string, r: ParseResult<T>): void {
  for (const p of r.problems) {
    assert.ok(0 <= p.start && p.start <= p.end && p.end <= text.length, `${JSON.stringify(text)}: ${JSON.stringify(p)}`);
    assert.match(p.code, /^DS[234]\d\d$/);
    assert.ok(p.message.length > 0);
  }
  const hasError = r.problems.some((p) => p.severity === 'error');
  assert.equal(r.ok, !hasError, JSON.stringify(text));
  if (!r.ok) assert.ok(hasError, `failed without an error: ${JSON.stringify(text)}`);
}

const entry = {
  dn: 'CN=Ada Lovelace,OU=People,DC=corp,DC=example,DC=com',
  attributes: { cn: ['Ada Lovelace'], mail: ['ada@example.com'], useraccountcontrol: ['514'], memberof: ['CN=Sales,DC=corp'] },
};

describe('parser robustness (seeded fuzzing)', () => {
  it('LDAP filters: 3000 mutations', () => {
    const seeds = [
      '(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
      '(&(sAMAccountName=*)(memberOf=cn=Example-manager,ou=Example,ou=Security Group,dc=COMPANY))',
      '(|(cn=Ab*c*d)(sn:dn:2.4.6.8.10:=Barney)(o=Parens \\28x\\29)(cn;lang-en~=x))',
      '(&(cn=Example)(objectclass=Group))*',
    ];
    for (const text of mutations(seeds, '()&|!=~<>:*\\;.-aZ0 9\u00e9\u0000', 3000, 4515)) {
      const r = parseLdapFilter(text);
      checkResult(text, r);
      if (r.ok) {
        // Canonical text round-trips, and evaluation never throws.
        const again = parseLdapFilter(formatLdapFilter(r.value));
        assert.ok(again.ok, `${text} → ${formatLdapFilter(r.value)}`);
        if (again.ok) assert.equal(formatLdapFilter(again.value), formatLdapFilter(r.value));
        matchesFilter(r.value, entry);
      }
      for (let o = 0; o <= text.length; o += 7) filterContextAt(text, o);
    }
  });

  it('attribute expressions: 3000 mutations', () => {
    const seeds = [`givenName + ' ' + sn`, `mail - "@" | sAMAccountName`, `("a\\'b" % 'x') - "\\u0041"`, `ds-pwp-account-disabled`];
    for (const text of mutations(seeds, `'"\\()|+%-&* aZ09.\u201c`, 3000, 3011)) {
      checkResult(text, parseAttributeExpression(text));
    }
  });

  it('avatar URI patterns: 3000 mutations', () => {
    const seeds = [
      'http://www.example.com/dir/photo/zoom/{mail: .*?(?=@.*)}.jpg',
      "https://p.example.com/{sAMAccountName: (?i)\\A[a-z]{2,8}\\z}/{employeeID: (?'n'\\d+)}.png",
      'https://p.example.com/{mail: [a-z-[aeiou]](?>x)\\p{IsGreek}}',
    ];
    for (const text of mutations(seeds, "{}[]()\\:?*+.<>'-^$|# aZ09/", 3000, 7)) {
      const r = parseAvatarUriPattern(text);
      checkResult(text, r);
      if (r.ok) resolveAvatarUri(r.value, entry);
    }
  });
});
