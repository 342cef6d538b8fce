import { strict as assert } from 'node:assert';
import { applyPatch } from '../../../server/src/localCloud/patch';
import { ScimHttpError } from '../../../server/src/localCloud/errors';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const rules = { readOnly: new Set(['id', 'meta', 'groups']) };

function base(): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: 'u1',
    userName: 'ann@example.com',
    name: { givenName: 'Ann', familyName: 'Lee' },
    emails: [
      { type: 'work', value: 'ann@example.com', primary: true },
      { type: 'home', value: 'ann@home.net' },
    ],
    members: [{ value: 'a' }, { value: 'b' }],
  };
}

function patch(ops: unknown[], doc = base()): Record<string, unknown> {
  return applyPatch(doc, { schemas: [PATCH], Operations: ops }, rules);
}

describe('PATCH (RFC 7644 §3.5.2)', () => {
  const table: Array<[string, unknown[], (d: Record<string, unknown>) => unknown, unknown]> = [
    ['replace a simple attribute', [{ op: 'replace', path: 'displayName', value: 'Ann L' }], (d) => d['displayName'], 'Ann L'],
    ['op and path are case-insensitive', [{ op: 'Replace', path: 'DISPLAYNAME', value: 'X' }], (d) => d['displayName'], 'X'],
    [
      'replace a sub-attribute',
      [{ op: 'replace', path: 'name.givenName', value: 'Anne' }],
      (d) => d['name'],
      { givenName: 'Anne', familyName: 'Lee' },
    ],
    [
      'replace through a value path',
      [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'a2@example.com' }],
      (d) => (d['emails'] as Array<{ value: string }>).map((e) => e.value),
      ['a2@example.com', 'ann@home.net'],
    ],
    [
      'add through a value path that matches nothing creates the element',
      [{ op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555' }],
      (d) => d['phoneNumbers'],
      [{ type: 'mobile', value: '+1 555' }],
    ],
    [
      'add to a multi-valued attribute appends',
      [{ op: 'add', path: 'members', value: [{ value: 'c' }] }],
      (d) => d['members'],
      [{ value: 'a' }, { value: 'b' }, { value: 'c' }],
    ],
    [
      'add of a value already there changes nothing',
      [{ op: 'add', path: 'members', value: [{ value: 'a' }] }],
      (d) => d['members'],
      [{ value: 'a' }, { value: 'b' }],
    ],
    ['remove through a value filter', [{ op: 'remove', path: 'members[value eq "a"]' }], (d) => d['members'], [{ value: 'b' }]],
    [
      'remove with a value list (Azure AD form)',
      [{ op: 'remove', path: 'members', value: [{ value: 'b' }] }],
      (d) => d['members'],
      [{ value: 'a' }],
    ],
    [
      'remove of the last value drops the attribute',
      [{ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }],
      (d) => 'members' in d,
      false,
    ],
    [
      'remove a sub-attribute of matching values',
      [{ op: 'remove', path: 'emails[type eq "work"].primary' }],
      (d) => (d['emails'] as unknown[])[0],
      { type: 'work', value: 'ann@example.com' },
    ],
    ['remove an attribute', [{ op: 'remove', path: 'name' }], (d) => 'name' in d, false],
    [
      'add without path merges attributes',
      [{ op: 'add', value: { title: 'Boss', emails: [{ type: 'other', value: 'o@x' }] } }],
      (d) => [d['title'], (d['emails'] as unknown[]).length],
      ['Boss', 3],
    ],
    [
      'replace without path replaces multi-valued attributes',
      [{ op: 'replace', value: { emails: [{ type: 'work', value: 'w@x' }] } }],
      (d) => d['emails'],
      [{ type: 'work', value: 'w@x' }],
    ],
    [
      'replace without path takes path keys (Azure AD)',
      [{ op: 'replace', value: { 'name.givenName': 'Zed' } }],
      (d) => (d['name'] as { givenName: string }).givenName,
      'Zed',
    ],
    [
      'core attribute by full path',
      [{ op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName', value: 'Core' }],
      (d) => (d['name'] as { givenName: string }).givenName,
      'Core',
    ],
    [
      'extension attribute by full path',
      [{ op: 'add', path: `${ENT}:department`, value: 'Sales' }],
      (d) => d[ENT],
      { department: 'Sales' },
    ],
    ['extension object as path', [{ op: 'replace', path: ENT, value: { employeeNumber: '7' } }], (d) => d[ENT], { employeeNumber: '7' }],
    [
      'extension object without path',
      [{ op: 'replace', value: { [ENT]: { manager: { value: 'm1' } } } }],
      (d) => d[ENT],
      { manager: { value: 'm1' } },
    ],
    [
      'a new primary value demotes the old one',
      [{ op: 'add', path: 'emails', value: [{ type: 'other', value: 'n@x', primary: true }] }],
      (d) => (d['emails'] as Array<{ primary?: boolean }>).map((e) => e.primary === true),
      [false, false, true],
    ],
    ['replace with null unassigns', [{ op: 'replace', path: 'name', value: null }], (d) => 'name' in d, false],
  ];
  for (const [title, ops, pick, expected] of table) {
    it(title, () => assert.deepEqual(pick(patch(ops)), expected));
  }

  it('applying the same PATCH twice gives the same resource', () => {
    const ops = [
      { op: 'add', path: 'members', value: [{ value: 'z' }] },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'q@x' },
      { op: 'remove', path: 'members[value eq "a"]' },
    ];
    const once = patch(ops);
    assert.deepEqual(patch(ops, once), once);
  });

  it('leaves the input untouched', () => {
    const doc = base();
    const copy = structuredClone(doc);
    patch([{ op: 'remove', path: 'emails' }], doc);
    assert.deepEqual(doc, copy);
  });

  const errors: Array<[string, unknown, number, string]> = [
    ['read-only id', { schemas: [PATCH], Operations: [{ op: 'replace', path: 'id', value: 'x' }] }, 400, 'mutability'],
    ['bad op', { schemas: [PATCH], Operations: [{ op: 'move', path: 'x' }] }, 400, 'invalidSyntax'],
    ['missing PatchOp schema', { Operations: [{ op: 'add', path: 'x', value: 1 }] }, 400, 'invalidSyntax'],
    ['empty Operations', { schemas: [PATCH], Operations: [] }, 400, 'invalidSyntax'],
    ['bad path', { schemas: [PATCH], Operations: [{ op: 'add', path: 'emails[type eq', value: 1 }] }, 400, 'invalidPath'],
    ['remove without path', { schemas: [PATCH], Operations: [{ op: 'remove' }] }, 400, 'noTarget'],
    [
      'replace through a non-matching non-eq filter',
      { schemas: [PATCH], Operations: [{ op: 'replace', path: 'emails[value co "zzz"].type', value: 'x' }] },
      400,
      'noTarget',
    ],
    [
      'sub-attribute of a multi-valued attribute without filter',
      { schemas: [PATCH], Operations: [{ op: 'replace', path: 'emails.value', value: 'x' }] },
      400,
      'invalidPath',
    ],
    ['add without value', { schemas: [PATCH], Operations: [{ op: 'add', path: 'title' }] }, 400, 'invalidValue'],
  ];
  for (const [title, body, status, scimType] of errors) {
    it(`rejects ${title} with ${status} ${scimType}`, () => {
      assert.throws(
        () => applyPatch(base(), body, rules),
        (err: unknown) => err instanceof ScimHttpError && err.status === status && err.scimType === scimType,
      );
    });
  }
});
