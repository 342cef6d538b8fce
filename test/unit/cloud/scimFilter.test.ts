import { strict as assert } from 'node:assert';
import {
  formatPatchPath,
  formatScimFilter,
  matchesScimFilter,
  parseScimFilter,
  scimFilter as f,
  scimPath,
  ScimFilterEvalError,
  type ScimFilter,
} from '../../../server/src/cloud/scimFilter/index';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('SCIM filter formatting and builders', () => {
  it('escapes values so any AD string survives (RFC 7644 §3.4.2.2 / RFC 7159)', () => {
    const nasty = 'a"b\\c\nd\u0001é"] or userName pr';
    const text = formatScimFilter(f.eq('userName', nasty));
    assert.equal(text, `userName eq ${JSON.stringify(nasty)}`);
    assert.deepEqual(parseScimFilter(text), f.eq('userName', nasty));
  });
  it('round-trips through parse with the minimum of parentheses', () => {
    const cases: ScimFilter[] = [
      f.and(f.or(f.pr('a'), f.pr('b')), f.pr('c')),
      f.or(f.pr('a'), f.and(f.pr('b'), f.pr('c'))),
      f.and(f.pr('a'), f.and(f.pr('b'), f.pr('c'))),
      f.not(f.or(f.eq('x', 1), f.eq('y', null))),
      f.valuePath('emails', f.and(f.eq('type', 'work'), f.not(f.co('value', 'x')))),
      f.anyOf('userName', ['a@x', 'b@x', 'c@x']),
    ];
    for (const c of cases) assert.deepEqual(parseScimFilter(formatScimFilter(c)), c, formatScimFilter(c));
    assert.equal(formatScimFilter(cases[0]!), '(a pr or b pr) and c pr');
    assert.equal(formatScimFilter(cases[1]!), 'a pr or b pr and c pr');
  });
  it('formats PATCH paths', () => {
    assert.equal(formatPatchPath(scimPath.valuePath('emails', f.eq('type', 'work'), 'value')), 'emails[type eq "work"].value');
    assert.equal(formatPatchPath(scimPath.attr(`${ENT}:department`)), `${ENT}:department`);
  });
  it('refuses attribute names that are not SCIM paths', () => {
    assert.throws(() => f.eq('user name', 'x'), /not a SCIM attribute path/);
    assert.throws(() => f.pr('a]'), /not a SCIM attribute path/);
  });
});

describe('SCIM filter evaluation', () => {
  const user = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
    id: 'AbC-1',
    externalId: 'Ext-9',
    userName: 'Ann.Lee@Example.com',
    name: { givenName: 'Ann', familyName: "O'Lee" },
    title: '',
    active: true,
    emails: [
      { type: 'work', value: 'ann.lee@example.com', primary: true },
      { type: 'home', value: 'ann@home.net' },
    ],
    phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
    meta: { lastModified: '2024-05-13T04:42:34Z', created: '2023-01-01T00:00:00Z' },
    [ENT]: { employeeNumber: '42', manager: { value: 'M-1' } },
    x: 10,
  };
  const table: Array<[string, boolean]> = [
    ['userName eq "ann.lee@example.com"', true], // userName is caseExact false (RFC 7643 §4.1.1)
    ['USERNAME eq "ANN.LEE@EXAMPLE.COM"', true], // attribute names are case-insensitive
    ['id eq "abc-1"', false], // id is caseExact
    ['id eq "AbC-1"', true],
    ['externalId eq "ext-9"', false],
    ['userName sw "ann."', true],
    ['userName ew "@EXAMPLE.COM"', true],
    ['userName co "lee@"', true],
    ['userName ne "x"', true],
    ['userName ne "ann.lee@example.com"', false],
    ['title pr', false], // empty string is not present
    ['nickName pr', false],
    ['nickName ne "x"', true], // absent is "not equal"
    ['name.givenName eq "ann"', true],
    ['name.middleName eq "x"', false], // missing sub-attribute: no match, no error
    ['manager.value eq "x"', false], // missing parent: no match, no error (unlike scimmy)
    ['emails.value eq "ann@home.net"', true], // any value of a multi-valued attribute
    ['emails eq "ann@home.net"', true], // complex without sub-attribute: its value
    ['emails[type eq "work" and value co "ann.lee"]', true],
    ['emails[type eq "home" and value co "ann.lee"]', false], // both on the same element
    ['emails[type eq "work"] and phoneNumbers[type eq "mobile"]', true],
    ['not (emails[type eq "other"])', true],
    [`${ENT}:employeeNumber eq "42"`, true],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ANN"', true], // core URN: top-level attribute
    ['employeeNumber eq "42"', true], // unqualified extension attribute
    [`${ENT}:manager.value eq "M-1"`, true],
    ['meta.lastModified gt "2024-01-01T00:00:00Z"', true],
    ['meta.lastModified gt "2024-05-13T06:42:34+02:00"', false], // same instant: dateTime comparison, not text
    ['meta.created lt "2023-06-01T00:00:00.000Z"', true],
    ['x gt 9 and x le 10', true],
    ['x gt 10', false],
    ['active eq true', true],
    ['active eq "true"', false], // types must agree
    ['x eq null', false],
    ['nickName eq null', true],
    ['userName eq "a" or (active eq true and x ge 10)', true],
  ];
  for (const [text, expected] of table) {
    it(`${text} → ${expected}`, () => {
      assert.equal(matchesScimFilter(parseScimFilter(text), user), expected);
    });
  }
  it('refuses comparisons SCIM does not define', () => {
    assert.throws(() => matchesScimFilter(parseScimFilter('active gt true'), user), ScimFilterEvalError);
    assert.throws(() => matchesScimFilter(parseScimFilter('x co 1'), user), ScimFilterEvalError);
    assert.throws(() => matchesScimFilter(parseScimFilter('x lt null'), user), ScimFilterEvalError);
  });
});
