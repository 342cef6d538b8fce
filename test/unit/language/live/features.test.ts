/** The pure live features: selections, CodeLens titles, mapping previews, inlay hints, hover, completion. */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../../server/src/language/analysis';
import type { DirectoryEntry } from '../../../../server/src/domain/entry';
import { complete } from '../../../../server/src/language/completion';
import {
  accountActive,
  isSuspiciousCount,
  liveCompletionNeeds,
  liveHover,
  liveInlayHints,
  liveSelections,
  parentDnText,
  previewAvatar,
  previewMappings,
  selectionLensTitle,
  withLiveItems,
} from '../../../../server/src/language/live/index';
import { configText, cursor } from '../../../support/languageCases';

const ADA: DirectoryEntry = {
  dn: 'CN=Lovelace\\, Ada,OU=People,DC=example,DC=com',
  attributes: {
    mail: ['ada@example.com'],
    givenname: ['Ada'],
    sn: ['Lovelace'],
    useraccountcontrol: ['514'],
    thumbnailphoto: [Uint8Array.from([0xff, 0xd8, 0xff])],
  },
};

describe('language/live: selections and CodeLens titles', () => {
  it('lists the four selections with what may be sent and where the lens goes', () => {
    const text = configText({
      objects: { users: { filter: '(&(objectClass=user)(' }, groups: { enabled: true, baseDns: ['OU=G,DC=example,DC=com'] } },
    });
    const [users, groups, contacts] = liveSelections(analyze(text));
    assert.equal(users!.runnable, false, 'a filter with errors is never sent');
    assert.equal(text.slice(users!.anchor.start, users!.anchor.end), '"users"');
    assert.deepEqual([groups!.runnable, groups!.baseDns], [true, ['OU=G,DC=example,DC=com']]);
    assert.equal(groups!.filter, '(&(objectClass=group)(!(isCriticalSystemObject=TRUE)))');
    assert.equal(contacts!.enabled, false);
    const bare = analyze(configText());
    const u = liveSelections(bare)[0]!;
    assert.equal(u.runnable, true, 'users are on by default with the DC filter');
    assert.equal(bare.text.slice(u.anchor.start, u.anchor.end), '"directory"', 'no objects section: the first key');
  });

  const TITLES: Array<[string, Parameters<typeof selectionLensTitle>, string, boolean]> = [
    ['counting', ['users', undefined], '$(sync~spin) counting users…', false],
    ['one', ['users', { state: 'counted', count: 1, complete: true }], '1 user matches', false],
    ['grouping', ['groups', { state: 'counted', count: 1234, complete: true }], '1,234 groups match', false],
    ['size limit', ['users', { state: 'counted', count: 1000, complete: false }, 5], 'at least 1,000 users match (size limit)', false],
    ['close to the dry run', ['users', { state: 'counted', count: 1180, complete: true }, 1204], '1,180 users match', false],
    [
      'far from the dry run',
      ['users', { state: 'counted', count: 12, complete: true }, 1204],
      '⚠ 12 users match — last dry run had 1,204',
      true,
    ],
    ['failed', ['rooms', { state: 'failed', message: 'no such base' }], '$(error) rooms: no such base', false],
  ];
  for (const [name, args, title, flagged] of TITLES) {
    it(`lens title: ${name}`, () => assert.deepEqual(selectionLensTitle(...args), { title, flagged }));
  }

  it('suspicious: more than 20 % and more than 10 entries away', () => {
    assert.equal(isSuspiciousCount(12, 1204), true);
    assert.equal(isSuspiciousCount(1500, 1204), true);
    assert.equal(isSuspiciousCount(1000, 1204), false);
    assert.equal(isSuspiciousCount(20, 5), true);
    assert.equal(isSuspiciousCount(12, 5), false);
  });
});

describe('language/live: what the config does to an entry', () => {
  it('evaluates every mapping step by step, with the account state', () => {
    const text = configText({
      attributes: {
        uid: 'mail',
        displayName: 'displayName | givenName + " " + sn',
        'ds-pwp-account-disabled': 'userAccountControl',
        title: 'title +',
      },
    });
    const a = analyze(text);
    const p = previewMappings(a.config.attributes, ADA);
    const by = (c: string) => p.find((x) => x.cloud === c)!;
    assert.equal(by('uid').value, 'ada@example.com');
    assert.equal(by('uid').scimPath, 'userName');
    assert.equal(by('displayName').value, 'Ada Lovelace');
    assert.deepEqual(
      by('displayName').steps!.map((s) => s.source),
      ['displayName', 'givenName', '" "', 'givenName + " "', 'sn', 'givenName + " " + sn', 'displayName | givenName + " " + sn'].filter(
        (s) => by('displayName').steps!.some((x) => x.source === s),
      ),
    );
    assert.equal(by('ds-pwp-account-disabled').active, false);
    assert.ok(by('title').error);
    assert.equal(text.slice(by('uid').valueRange!.start, by('uid').valueRange!.end), '"mail"');
  });

  it('account state from userAccountControl or a TRUE/FALSE flag', () => {
    assert.deepEqual(['512', '514', '66048', 'TRUE', 'false', 'x'].map(accountActive), [true, false, true, false, true, undefined]);
  });

  it('avatars: the resolved URL, or the photo bytes described through an injected inspector', () => {
    const rs = analyze(
      configText({ avatar: { enabled: true, source: 'resourceServer', uriPattern: 'https://p.example.com/{mail: .*?(?=@.*)}.jpg' } }),
    );
    assert.deepEqual(previewAvatar(rs.config, ADA), { source: 'resourceServer', ok: true, url: 'https://p.example.com/ada.jpg' });
    assert.deepEqual(previewAvatar(rs.config, { dn: 'CN=x', attributes: {} }), {
      source: 'resourceServer',
      ok: false,
      reason: 'mail is empty: no avatar URI',
    });
    const at = analyze(configText({ avatar: { enabled: true, source: 'attribute', attribute: 'thumbnailPhoto' } }));
    assert.deepEqual(
      previewAvatar(at.config, ADA, () => ({ ok: true, format: 'jpeg', width: 96, height: 96 })),
      {
        source: 'attribute',
        attribute: 'thumbnailPhoto',
        ok: true,
        bytes: 3,
        image: { ok: true, format: 'jpeg', width: 96, height: 96 },
      },
    );
    assert.equal(previewAvatar(analyze(configText()).config, ADA), undefined, 'avatars off');
  });

  it('inlay hints sit after each value, with the evaluation in the tooltip', () => {
    const text = configText({
      attributes: { uid: 'mail', displayName: 'givenName + " " + sn', 'ds-pwp-account-disabled': 'userAccountControl' },
    });
    const hints = liveInlayHints(analyze(text), { user: ADA, userLabel: 'the picked entry' });
    assert.deepEqual(
      hints.map((h) => [text.slice(h.offset - 6, h.offset), h.label]),
      [
        ['"mail"', '→ "ada@example.com"'],
        [' + sn"', '→ "Ada Lovelace"'],
        ['ntrol"', '→ "514" (inactive)'],
        ['tGUID"', '→ ""'],
      ],
    );
    assert.match(hints[1]!.tooltip, /^\*\*displayName\*\* on the picked entry `CN=Lovelace\\, Ada,OU=People,DC=example,DC=com`:/);
    assert.match(hints[1]!.tooltip, /1\. `givenName` — givenName = "Ada"/);
    assert.match(hints[2]!.tooltip, /inactive/);
  });

  it("live hover: steps on the entry, a filter's live count, a base DN that does not exist", () => {
    const src = configText({
      objects: { users: { filter: '(sn=L*)', baseDns: ['OU=People,DC=example,DC=com'] } },
      attributes: { uid: 'mail', displayName: 'givenName + " " + sn' },
    });
    const a = analyze(src);
    const facts = {
      location: 'ldap://dc1',
      kind: 'ldap' as const,
      counts: { users: { state: 'counted' as const, count: 2, complete: true } },
      baseDns: new Map([['ou=people,dc=example,dc=com', false]]),
    };
    const at = (needle: string) => liveHover(a, src.indexOf(needle) + 2, { facts, user: ADA });
    assert.match(at('givenName + ')!.contents, /Result: `"Ada Lovelace"` \(live from ldap:\/\/dc1\)/);
    assert.equal(at('(sn=L*)')!.contents, '**2 users** match this filter in ldap://dc1 right now.');
    assert.equal(at('OU=People')!.contents, '**Does not exist** in ldap://dc1.');
  });
});

describe('language/live: completion needs and merged items', () => {
  const needsAt = (src: string) => {
    const { text, offset } = cursor(src);
    const source = { text, root: analyze(text).root };
    return { text, needs: liveCompletionNeeds(source, offset, complete(source, offset)), items: complete(source, offset) };
  };

  it('a base DN being typed: expand it and its parent', () => {
    const { needs, text } = needsAt('{ "directory": { "baseDns": ["OU=Pe|,DC=example,DC=com"] } }');
    const dn = needs.find((n) => n.kind === 'dn')!;
    assert.ok(dn.kind === 'dn');
    assert.deepEqual(dn.expand, ['OU=Pe,DC=example,DC=com', 'DC=example,DC=com']);
    assert.equal(text.slice(dn.replace.start, dn.replace.end), 'OU=Pe,DC=example,DC=com');
  });

  it('children, then the naming contexts, JSON-escaped, replacing the whole value', () => {
    const { needs, items } = needsAt('{ "objects": { "users": { "baseDns": ["DC=example,DC=com|"] } } }');
    const merged = withLiveItems(items, needs, {
      namingContexts: ['DC=example,DC=com'],
      children: new Map([['DC=example,DC=com', ['OU=People,DC=example,DC=com', 'OU=Smith\\, J,DC=example,DC=com']]]),
    });
    assert.deepEqual(
      merged.map((i) => i.insertText),
      ['OU=People,DC=example,DC=com', 'OU=Smith\\\\, J,DC=example,DC=com', 'DC=example,DC=com'],
    );
    assert.deepEqual(
      merged.map((i) => i.sortText!.slice(0, 1)),
      ['0', '0', '4'],
    );
  });

  it('memberOf values: groups by cn prefix, filter-escaped then JSON-escaped', () => {
    const { needs, items } = needsAt('{ "objects": { "users": { "filter": "(memberOf=CN=Hop|)" } } }');
    const g = needs.find((n) => n.kind === 'group')!;
    assert.ok(g.kind === 'group');
    assert.equal(g.prefix, 'Hop');
    const merged = withLiveItems(items, needs, { groups: ['CN=Hopper\\, Grace (R&D*),OU=G,DC=example,DC=com'] });
    assert.equal(merged.at(-1)!.insertText, 'CN=Hopper\\\\5c, Grace \\\\28R&D\\\\2a\\\\29,OU=G,DC=example,DC=com');
  });

  it('schema names join the built-in attribute names, quoted like them', () => {
    const { needs, items } = needsAt('{ "attributes": { "title": "tit|" } }');
    assert.deepEqual(needs, [{ kind: 'schema' }]);
    const merged = withLiveItems(items, needs, { schema: ['title', 'msDS-PhoneticDisplayName'] });
    const added = merged.filter((i) => i.detail === 'from the directory schema');
    assert.deepEqual(
      added.map((i) => i.label),
      ['msDS-PhoneticDisplayName'],
    );
    assert.equal(added[0]!.sortText, '2msds-phoneticdisplayname');
  });

  it('parent of a DN as written, escapes respected', () => {
    assert.equal(parentDnText('CN=Smith\\, J,OU=People,DC=x'), 'OU=People,DC=x');
    assert.equal(parentDnText('DC=x'), undefined);
  });
});
