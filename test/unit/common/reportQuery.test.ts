import assert from 'node:assert/strict';
import type { ReportItem } from '../../../common/report';
import {
  firstRdnValue,
  foldForSearch,
  formatChange,
  isUnchanged,
  itemInView,
  itemSearchText,
  itemTitle,
  selectItems,
} from '../../../common/reportQuery';

const base = { objectType: 'user', action: 'none' } as const;

describe('reportQuery', () => {
  describe('foldForSearch', () => {
    const cases: Array<[string, string]> = [
      ['Müller', 'muller'],
      ['ZOË', 'zoe'],
      ['Łukasz', 'łukasz'], // ł is a letter of its own, not l + a mark
      ['Nguyễn', 'nguyen'],
      ['Иванов', 'иванов'],
      ['ascii@Example.COM', 'ascii@example.com'],
    ];
    for (const [input, folded] of cases) it(`${input} → ${folded}`, () => assert.equal(foldForSearch(input), folded));
  });

  describe('firstRdnValue (RFC 4514 escapes)', () => {
    const cases: Array<[string, string]> = [
      ['CN=Müller\\, Hans,OU=Sales,DC=corp,DC=com', 'Müller, Hans'],
      ['CN=M\\C3\\BCller\\2C Hans,OU=Sales', 'Müller, Hans'],
      ['cn=\\#hash\\+plus+uid=x,dc=a', '#hash+plus'],
      ['OU=Rooms', 'Rooms'],
      ['no equals sign', 'no equals sign'],
    ];
    for (const [dn, value] of cases) it(dn, () => assert.equal(firstRdnValue(dn), value));
  });

  it('itemTitle prefers displayName, then userName, then the RDN, then the id', () => {
    assert.equal(itemTitle({ ...base, id: 'a', category: 'matched', displayName: 'D', userName: 'u' }), 'D');
    assert.equal(itemTitle({ ...base, id: 'a', category: 'matched', userName: 'u', dn: 'CN=x' }), 'u');
    assert.equal(itemTitle({ ...base, id: 'a', category: 'matched', dn: 'CN=Room 1\\, East,OU=Rooms' }), 'Room 1, East');
    assert.equal(itemTitle({ ...base, id: 'a', category: 'matched' }), 'a');
  });

  const modified: ReportItem = {
    id: 'm1',
    category: 'modified',
    objectType: 'user',
    action: 'update',
    dn: 'CN=Zoë Müller,OU=Users,DC=corp,DC=com',
    userName: 'zoe.muller@example.com',
    displayName: 'Zoë Müller',
    changes: [{ attribute: 'title', scimPath: 'title', old: 'Engineer', new: 'Senior Engineer' }],
  };
  const matched: ReportItem = { ...base, id: 'x1', category: 'matched', userName: 'ann@example.com', displayName: 'Ann' };
  const group: ReportItem = {
    id: 'g1',
    category: 'groups',
    objectType: 'group',
    action: 'none',
    displayName: 'Sales',
    members: { added: ['CN=Zoë Müller,OU=Users,DC=corp,DC=com'], removed: [] },
  };

  it('searches DN, userName, displayName, attribute names and values, member DNs; folded', () => {
    const text = itemSearchText(modified);
    for (const needle of ['zoe muller', 'ou=users', 'zoe.muller@', 'senior engineer', 'title'])
      assert.ok(text.includes(foldForSearch(needle)), needle);
    assert.ok(itemSearchText(group).includes('zoe muller'));
    assert.ok(!text.includes('engineer\nsenior'.slice(0, 0) + 'engineersenior'), 'fields are separated');
  });

  it('unchanged = action none with no attribute or membership change', () => {
    assert.equal(isUnchanged(matched), true);
    assert.equal(isUnchanged(modified), false);
    assert.equal(isUnchanged(group), false, 'a membership change is a change');
    assert.equal(isUnchanged({ ...matched, action: 'retain' }), false);
  });

  it('selectItems applies category, query and hide-unchanged together', () => {
    const report = { items: [modified, matched, group] };
    assert.deepEqual(
      selectItems(report).map((i) => i.id),
      ['m1', 'x1', 'g1'],
    );
    assert.deepEqual(
      selectItems(report, 'all', { query: 'MULLER', hideUnchanged: false }).map((i) => i.id),
      ['m1', 'g1'],
    );
    assert.deepEqual(
      selectItems(report, 'groups', { query: 'müller', hideUnchanged: false }).map((i) => i.id),
      ['g1'],
    );
    assert.deepEqual(
      selectItems(report, 'all', { query: '', hideUnchanged: true }).map((i) => i.id),
      ['m1', 'g1'],
    );
    assert.equal(itemInView(matched, 'modified', { query: '', hideUnchanged: false }), false);
    assert.equal(itemInView(matched, 'all', { query: '  ann  ', hideUnchanged: false }), true, 'the query is trimmed');
  });

  it('formatChange quotes strings and names absent values', () => {
    assert.equal(formatChange(modified.changes![0]!), 'title: "Engineer" → "Senior Engineer"');
    assert.equal(formatChange({ attribute: 'active', scimPath: 'active', old: true, new: false }), 'active: true → false');
    assert.equal(
      formatChange({ attribute: 'mobile', scimPath: 'phoneNumbers[type eq "mobile"].value', new: '+1 5' }),
      'phoneNumbers[type eq "mobile"].value: (none) → "+1 5"',
    );
  });
});
