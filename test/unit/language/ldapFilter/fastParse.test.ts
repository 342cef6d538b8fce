/**
 * The direct reader of LDAP filters (ldapFilter/fastParse.ts, used by parseFilterText) against the
 * Ohm grammar: for every text, parseFilterText gives exactly what the grammar gives (tree, ranges,
 * decoded values, problems), and the reader declines every text the grammar rejects. RFC 4515 and
 * AD examples plus seeded generated filters, well formed and mutated.
 */
import { strict as assert } from 'node:assert';
import grammar from '../../../../grammars/ldapFilter.ohm-bundle';
import { readFilter } from '../../../../server/src/language/ldapFilter/fastParse';
import { parseFilterText, parseFilterWithGrammar } from '../../../../server/src/language/ldapFilter/parse';
import { mulberry32 as prng } from '../../../support/random';

const EXAMPLES = [
  '(cn=Babs Jensen)',
  '(!(cn=Tim Howes))',
  '(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))',
  '(o=univ*of*mich*)',
  '(seeAlso=)',
  '(cn:caseExactMatch:=Fred Flintstone)',
  '(cn:=Betty Rubble)',
  '(sn:dn:2.4.6.8.10:=Barney Rubble)',
  '(o:dn:=Ace Industry)',
  '(:1.2.3:=Wilma Flintstone)',
  '(:DN:2.4.6.8.10:=Dino)',
  '(o=Parens R Us \\28for all your parenthetical needs\\29)',
  '(cn=*\\2A*)',
  '(filename=C:\\5cMyFile)',
  '(bin=\\00\\00\\00\\04)',
  '(sn=Lu\\c4\\8di\\c4\\87)',
  '(1.3.6.1.4.1.1466.0=\\04\\02\\48\\69)',
  '(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2))(memberOf=CN=Webex,OU=Groups,DC=bench,DC=example,DC=com))',
  '(&(objectClass=group)(cn=Webex-*))',
  '(&(objectClass=contact)(mail=*))',
  '(&)',
  '(|)',
  '(cn;lang-en=x)',
  '(cn;lang-en;binary=*)',
  '(cn~=smith)',
  '(uSNChanged>=1000)',
  '(uSNChanged<=1000)',
  '(memberOf:1.2.840.113556.1.4.1941:=CN=G,DC=x)',
  '(cn=**)',
  '(cn=a**b)',
  '(cn=*a*)',
  '(cn=a*)',
  '(cn=\\zz)',
  '(cn:dnx:=v)',
  '(cn:dn=x)',
  '(cn=a(b)',
  ' (cn=a)',
  '(cn=a) ',
  '(cn=a)(sn=b)',
  '(cn=a',
  'cn=a',
  '',
  '()',
  '(1.05=x)',
  '(05=x)',
  '(=x)',
  '(cn~x)',
  '(cn=é ☃ \u{1F600})',
  '(cn=a\u0000b)',
  '(cn=x\\5)',
  '(:=x)',
  '(:dn:=x)',
  '(a-b=1)',
  '(cn;=x)',
  '(cn;-=x)',
  '(!(cn=a)(sn=b))',
  '(cn=“x”)',
];

const ATTRS = ['cn', 'sn', 'objectClass', 'memberOf', 'userAccountControl', '2.5.4.3', 'cn;lang-en', 'msDS-x', 'a1', '1.2', '01', 'é'];
const VALUES = ['', 'x', 'Babs Jensen', 'CN=Webex,OU=Groups,DC=bench,DC=example,DC=com', '\\2a', '\\5c\\00', 'a:b', 'a=b', ' ', '\\z', 'é'];
const RULES = [':1.2.840.113556.1.4.803', ':1.2.840.113556.1.4.1941', ':caseExactMatch', ':dn', ':DN', ':dn:1.2.3', ':0.1', ''];
const JUNK = ['(', ')', '*', '\\', '=', '~=', '>=', ':', ':=', ';', '&', '|', '!', ' ', '\u0000', '1', '.', 'dn', 'é'];

function generate(rnd: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const r = rnd();
  if (depth < 3 && r < 0.3) {
    const n = Math.floor(rnd() * 4);
    let inner = '';
    for (let i = 0; i < n; i++) inner += generate(rnd, depth + 1);
    return `(${pick(['&', '|'])}${inner})`;
  }
  if (depth < 3 && r < 0.4) return `(!${generate(rnd, depth + 1)})`;
  const attr = pick(ATTRS);
  const k = rnd();
  if (k < 0.2) return `(${attr}=*)`;
  if (k < 0.4) return `(${attr}=${pick(VALUES)}*${rnd() < 0.5 ? `${pick(VALUES)}*` : ''}${pick(VALUES)})`;
  if (k < 0.7) return `(${attr}${pick(['=', '~=', '>=', '<='])}${pick(VALUES)})`;
  return `(${rnd() < 0.8 ? attr : ''}${pick(RULES)}:=${pick(VALUES)})`;
}

function mutate(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  if (rnd() < 0.4) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + JUNK[Math.floor(rnd() * JUNK.length)] + text.slice(at);
}

function same(text: string): void {
  assert.deepEqual(parseFilterText(text), parseFilterWithGrammar(text), JSON.stringify(text));
  // The reader accepts exactly what the grammar matches.
  assert.equal(readFilter(text) !== undefined, grammar.match(text).succeeded(), JSON.stringify(text));
}

describe('LDAP filter direct reader', () => {
  it('gives the grammar’s result for the RFC 4515 and AD examples and near-misses', () => {
    for (const text of EXAMPLES) same(text);
  });

  it('reads the usual filters itself', () => {
    for (const text of EXAMPLES.slice(0, 20)) assert.ok(readFilter(text), text);
  });

  it('gives the grammar’s result on 3,000 generated and mutated filters', () => {
    const rnd = prng(20261123);
    let accepted = 0;
    let declined = 0;
    for (let i = 0; i < 3000; i++) {
      let text = generate(rnd);
      if (rnd() < 0.4) text = mutate(text, rnd);
      same(text);
      if (readFilter(text)) accepted++;
      else declined++;
    }
    assert.ok(accepted > 800 && declined > 300, `accepted ${accepted}, declined ${declined}`);
  });
});
