import { strict as assert } from 'node:assert';
import {
  parseScimFilter,
  parseScimPatchPath,
  scimFilter as f,
  scimPath,
  ScimFilterSyntaxError,
  type ScimFilter,
} from '../../server/src/cloud/scimFilter/index';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('SCIM filter parser (grammars/scimFilter.ohm)', () => {
  const accepted: Array<[string, ScimFilter]> = [
    ['userName eq "bjensen"', f.eq('userName', 'bjensen')],
    ['userName Eq "x"', f.eq('userName', 'x')],
    ['USERNAME EQ "x"', f.eq('USERNAME', 'x')],
    ['name.familyName co "O\'Malley"', f.co('name.familyName', "O'Malley")],
    ['title pr', f.pr('title')],
    ['title PR', f.pr('title')],
    ['userType ne "Employee"', f.ne('userType', 'Employee')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', f.gt('meta.lastModified', '2011-05-13T04:42:34Z')],
    ['x ge 1.5e3', f.ge('x', 1500)],
    ['x lt -2', f.lt('x', -2)],
    ['x le 0', f.le('x', 0)],
    ['active eq TRUE', f.eq('active', true)],
    ['active eq false', f.eq('active', false)],
    ['manager eq null', f.eq('manager', null)],
    ['a sw "x" and b ew "y"', f.and(f.sw('a', 'x'), f.ew('b', 'y'))],
    ['a pr or b pr and c pr', f.or(f.pr('a'), f.and(f.pr('b'), f.pr('c')))],
    ['(a pr or b pr) and c pr', f.and(f.or(f.pr('a'), f.pr('b')), f.pr('c'))],
    ['a pr and not (b pr)', f.and(f.pr('a'), f.not(f.pr('b')))],
    ['not(b pr)', f.not(f.pr('b'))],
    [
      'emails[type eq "work" and value co "@example.com"]',
      f.valuePath('emails', f.and(f.eq('type', 'work'), f.co('value', '@example.com'))),
    ],
    [`${ENT}:employeeNumber eq "701984"`, f.eq(`${ENT}:employeeNumber`, '701984')],
    [`${ENT}:manager.value eq "26118915"`, f.eq(`${ENT}:manager.value`, '26118915')],
    ['displayName eq "a \\"quoted\\" \\\\ name\\u00e9"', f.eq('displayName', 'a "quoted" \\ nameé')],
    ['members.$ref pr', f.pr('members.$ref')],
    ['notes pr', f.pr('notes')],
    ['android eq "x"', f.eq('android', 'x')],
  ];
  for (const [text, ast] of accepted) {
    it(`parses ${text}`, () => assert.deepEqual(parseScimFilter(text), ast));
  }

  const rejected: Array<[string, number, RegExp]> = [
    ['userName eq', 12, /a value/],
    ['userName eq "x" and', 20, /attribute path/],
    ['(a pr', 6, /"\)"/],
    ['a xx "y"', 3, /comparison operator/],
    ['userName eq "unterminated', 13, /value/],
    ["userName eq 'single'", 13, /value/],
    ['1abc pr', 1, /attribute path/],
    ['userName eq "x" andy pr', 17, /end of input|or|and/],
    // In a filter a value path takes no sub-attribute (only PATCH paths do, RFC 7644 §3.5.2).
    ['emails[primary eq true].value ew "x"', 24, /end of input|or|and/],
  ];
  for (const [text, column, expected] of rejected) {
    it(`rejects ${text} at column ${column}`, () => {
      assert.throws(
        () => parseScimFilter(text),
        (err: unknown) => err instanceof ScimFilterSyntaxError && err.offset + 1 === column && expected.test(err.message),
      );
    });
  }

  it('rejects a value filter on a sub-attribute and nested value filters', () => {
    assert.throws(() => parseScimFilter('emails.value[type eq "work"]'), /sub-attribute/);
    assert.throws(() => parseScimFilter('emails[x[y pr]]'), /cannot be nested/);
  });

  it('parses PATCH paths (RFC 7644 §3.5.2)', () => {
    assert.deepEqual(parseScimPatchPath('members'), { attr: { name: 'members' } });
    assert.deepEqual(parseScimPatchPath('name.givenName'), { attr: { name: 'name', sub: 'givenName' } });
    assert.deepEqual(parseScimPatchPath('emails[type eq "work"].value'), scimPath.valuePath('emails', f.eq('type', 'work'), 'value'));
    assert.deepEqual(parseScimPatchPath('members[value eq "2819c223"]'), scimPath.valuePath('members', f.eq('value', '2819c223')));
    assert.deepEqual(parseScimPatchPath(`${ENT}:department`), { attr: { uri: ENT, name: 'department' } });
  });
});
