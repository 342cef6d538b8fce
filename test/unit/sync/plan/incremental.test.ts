/**
 * The planner's identity-only path (incremental sync): entries unchanged since the USN mark carry
 * only their identity; they are matched without a diff, still count as present (so deletions are
 * found by comparison), and those the cloud does not confirm are read again in full.
 */
import assert from 'node:assert/strict';
import { identityAttributes, compileMapping } from '../../../../server/src/sync/plan/mapping';
import type { DirectoryItem } from '../../../../server/src/sync/plan/build';
import { byDn, byUser, cloudUser, config, groupEntry, guid, person, plan } from '../../../support/planBuilders';

/** What an identity read returns: objectGUID and the uid source (mail) only. */
function identity(e: ReturnType<typeof person>): ReturnType<typeof person> {
  const keep = new Set(['objectguid', 'mail', 'cn', 'displayname', 'msexchresourcemetadata']);
  return {
    dn: e.dn,
    attributes: Object.fromEntries(
      Object.entries(e.attributes).filter(([k]) => keep.has(k) && (k !== 'displayname' || !e.attributes['mail'])),
    ),
  };
}
const idItem = (selection: DirectoryItem['selection'], entry: DirectoryItem['entry']): DirectoryItem => ({
  selection,
  entry,
  identityOnly: true,
});
const inc = { sinceUsn: '100', toUsn: '120' };

describe('sync plan: incremental identity-only entries', () => {
  it('identityAttributes asks for objectGUID, the uid and externalId sources and the room identity; groups their name, no member', () => {
    const cfg = config();
    const m = compileMapping(cfg);
    assert.deepEqual(identityAttributes(cfg, m, 'users').sort(), ['mail', 'msExchResourceMetaData', 'objectGUID'].sort());
    assert.deepEqual(identityAttributes(cfg, m, 'groups').sort(), ['cn', 'displayName', 'objectGUID']);
  });

  it('an identity-only user matched by externalId is matched with no diff and no operation, even when the cloud values differ', async () => {
    const cloud = [cloudUser('c1', 'ada@corp.example.com', { externalId: guid(1), displayName: 'Something else' })];
    const p = await plan(config(), [idItem('users', identity(person(1, 'Ada', { displayName: 'Ada L.' })))], cloud, { incremental: inc });
    const it = byDn(p, 'Ada')!;
    assert.equal(it.category, 'matched');
    assert.equal(it.action, 'none');
    assert.equal(it.cloudId, 'c1');
    assert.match(it.reason ?? '', /unchanged since the last sync/);
    assert.equal(p.payload.operations.length, 0);
    assert.equal(p.report.mode, 'incremental');
    assert.ok(
      p.report.messages.some(
        (msg) =>
          msg.message ===
          'incremental sync: 0 entries changed (uSNChanged above 100, up to 120) read in full, 1 unchanged read identity-only',
      ),
      JSON.stringify(p.report.messages),
    );
  });

  it('changed entries are planned in full beside identity-only ones; a cloud user neither read is deleted', async () => {
    const cloud = [
      cloudUser('c1', 'ada@corp.example.com', { externalId: guid(1), displayName: 'Ada' }),
      cloudUser('c2', 'bo@corp.example.com', { externalId: guid(2), displayName: 'Bo' }),
      cloudUser('c3', 'cy@corp.example.com', { externalId: guid(3), displayName: 'Cy' }),
    ];
    const directory = [
      { selection: 'users' as const, entry: person(1, 'Ada', { displayName: 'Ada L.' }) },
      idItem('users', identity(person(2, 'Bo'))),
    ];
    const p = await plan(config(), directory, cloud, { incremental: inc });
    assert.equal(byDn(p, 'Ada')!.category, 'modified');
    assert.equal(byDn(p, 'Bo')!.category, 'matched');
    const cy = byUser(p, 'cy@corp.example.com')!;
    assert.equal(cy.category, 'deleted');
    assert.deepEqual(
      p.payload.operations.map((o) => o.kind),
      ['patchUser', 'deleteUser'],
    );
    assert.ok(p.report.messages.some((m) => /1 entry changed .* 1 unchanged read identity-only$/.test(m.message)));
  });

  it('a manager that is identity-only still resolves: the changed report points at its cloud id', async () => {
    const cloud = [
      cloudUser('c1', 'ada@corp.example.com', { externalId: guid(1), displayName: 'Ada' }),
      cloudUser('c2', 'bo@corp.example.com', { externalId: guid(2), displayName: 'Bo' }),
    ];
    const ada = person(1, 'Ada');
    const directory = [{ selection: 'users' as const, entry: person(2, 'Bo', { manager: ada.dn }) }, idItem('users', identity(ada))];
    const p = await plan(config(), directory, cloud, { incremental: inc });
    const bo = byDn(p, 'Bo')!;
    assert.deepEqual(
      bo.changes?.map((c) => [c.scimPath, c.new]),
      [['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value', 'c1']],
    );
  });

  it('an identity-only user the cloud does not have is read again in full and planned like a full sync', async () => {
    const full = [person(1, 'Ada'), person(2, 'Bo')];
    const cloud = [cloudUser('c2', 'bo@corp.example.com', { externalId: guid(2), displayName: 'Bo' })];
    const asked: string[] = [];
    const readInFull = async function* (items: readonly DirectoryItem[]) {
      for (const i of items) {
        asked.push(i.entry.dn);
        yield { selection: i.selection, entry: full.find((e) => e.dn === i.entry.dn)! };
      }
    };
    const p = await plan(
      config(),
      full.map((e) => idItem('users', identity(e))),
      cloud,
      { incremental: { ...inc, readInFull } },
    );
    assert.deepEqual(asked, [full[0]!.dn]);
    assert.equal(byDn(p, 'Ada')!.category, 'added');
    assert.equal(byDn(p, 'Bo')!.category, 'matched');
    const create = p.payload.operations.find((o) => o.kind === 'createUser');
    assert.equal(create?.kind === 'createUser' && create.body['displayName'], 'Ada', 'created from the full read');
    assert.ok(p.report.messages.some((m) => /1 unchanged read again in full \(not in the cloud/.test(m.message)));
  });

  it('without readInFull an unsettled identity-only entry is a warning, never a create or a delete', async () => {
    const p = await plan(config(), [idItem('users', identity(person(1, 'Ada')))], [], { incremental: inc });
    assert.equal(p.payload.operations.length, 0);
    assert.ok(
      p.report.messages.some((m) => m.severity === 'warning' && /unchanged since the last sync but not in the cloud/.test(m.message)),
    );
  });

  it('an identity-only group keeps its cloud members (no membership diff); a changed group gets one', async () => {
    const ada = person(1, 'Ada');
    const bo = person(2, 'Bo');
    const cloud = [
      cloudUser('c1', 'ada@corp.example.com', { externalId: guid(1), displayName: 'Ada' }),
      cloudUser('c2', 'bo@corp.example.com', { externalId: guid(2), displayName: 'Bo' }),
    ];
    const cloudGroups = [
      { id: 'g1', displayName: 'Staff', externalId: guid(10), members: ['c1'] },
      { id: 'g2', displayName: 'Ops', externalId: guid(11), members: ['c1'] },
    ];
    const directory: DirectoryItem[] = [
      idItem('users', identity(ada)),
      idItem('users', identity(bo)),
      idItem('groups', {
        dn: groupEntry(10, 'Staff', []).dn,
        attributes: { objectguid: groupEntry(10, 'Staff', []).attributes['objectguid']!, cn: ['Staff'] },
      }),
      { selection: 'groups', entry: groupEntry(11, 'Ops', [ada.dn, bo.dn]) },
    ];
    const p = await plan(config(), directory, cloud, { cloudGroups, incremental: inc });
    const staff = p.report.items.find((i) => i.displayName === 'Staff')!;
    assert.equal(staff.action, 'none');
    assert.equal(staff.members, undefined);
    const ops = p.payload.operations;
    assert.equal(ops.length, 1);
    assert.ok(
      ops[0]!.kind === 'groupMembers' &&
        ops[0]!.target.cloudId === 'g2' &&
        ops[0]!.add.map((r) => r.cloudId).join() === 'c2' &&
        ops[0]!.remove.length === 0,
    );
    assert.equal(p.report.items.filter((i) => i.action === 'delete').length, 0, 'an identity-only group is present');
  });

  it("an identity-only group read before the cloud's groups are listed is settled against them, not read again", async () => {
    const staff = groupEntry(10, 'Staff', []);
    const cloud = [cloudUser('c1', 'ada@corp.example.com', { externalId: guid(1), displayName: 'Ada' })];
    const cloudGroups = [{ id: 'g1', displayName: 'Staff', externalId: guid(10), members: ['c1'] }];
    // The cloud's groups come many turns after the directory's first (identity-only) group.
    async function* lateGroups() {
      for (let i = 0; i < 50; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      yield* cloudGroups;
    }
    const reread: DirectoryItem[] = [];
    const p = await plan(
      config(),
      [
        idItem('groups', { dn: staff.dn, attributes: { objectguid: staff.attributes['objectguid']!, cn: ['Staff'] } }),
        idItem('users', identity(person(1, 'Ada'))),
      ],
      cloud,
      {
        cloudGroups: lateGroups(),
        incremental: {
          ...inc,
          readInFull: async function* (items) {
            reread.push(...items);
            yield* [];
          },
        },
      },
    );
    assert.deepEqual(reread, [], 'nothing read again in full');
    assert.equal(p.report.items.find((i) => i.displayName === 'Staff')?.action, 'none');
    assert.equal(p.payload.operations.length, 0);
  });

  it('avatars: identity-only users get no avatar work with an AD attribute source, and are still checked with a resource server', async () => {
    const cloud = [cloudUser('c1', 'ada@corp.example.com', { externalId: guid(1), displayName: 'Ada' })];
    const seen = async (avatar: Record<string, unknown>) => {
      const got: string[] = [];
      const avatars = async (users: AsyncIterable<{ entry: { dn: string } }> | Iterable<{ entry: { dn: string } }>) => {
        for await (const u of users) got.push(u.entry.dn);
        return { items: [], operations: [] };
      };
      await plan(config({ avatar }), [idItem('users', identity(person(1, 'Ada')))], cloud, { incremental: inc, avatars });
      return got;
    };
    assert.deepEqual(await seen({ enabled: true, source: 'attribute', attribute: 'thumbnailPhoto' }), []);
    assert.deepEqual(await seen({ enabled: true, source: 'resourceServer', uriPattern: 'https://photos.example.com/{mail}.jpg' }), [
      person(1, 'Ada').dn,
    ]);
  });

  it('a user created by an incremental sync has its groups (memberOf) read in full, the others stay identity-only', async () => {
    const ada = person(1, 'Ada');
    const cy = person(3, 'Cy');
    const staff = groupEntry(10, 'Staff', [ada.dn, cy.dn]);
    const ops = groupEntry(11, 'Ops', [ada.dn]);
    const ident = (g: typeof staff) => ({ dn: g.dn, attributes: { objectguid: g.attributes['objectguid']!, cn: g.attributes['cn']! } });
    const cloud = [cloudUser('c1', 'ada@corp.example.com', { externalId: guid(1), displayName: 'Ada' })];
    const cloudGroups = [
      { id: 'g1', displayName: 'Staff', externalId: guid(10), members: ['c1'] },
      { id: 'g2', displayName: 'Ops', externalId: guid(11), members: ['c1'] },
    ];
    const asked: string[] = [];
    const readInFull = async function* (list: readonly DirectoryItem[]) {
      for (const i of list) {
        asked.push(i.entry.dn);
        yield { selection: i.selection, entry: [staff, ops].find((g) => g.dn === i.entry.dn)! };
      }
    };
    const directory: DirectoryItem[] = [
      { selection: 'users', entry: { ...cy, attributes: { ...cy.attributes, memberof: [staff.dn] } } },
      idItem('users', identity(ada)),
      idItem('groups', ident(staff)),
      idItem('groups', ident(ops)),
    ];
    const p = await plan(config(), directory, cloud, { cloudGroups, incremental: { ...inc, readInFull } });
    assert.deepEqual(asked, [staff.dn]);
    assert.equal(byDn(p, 'Cy')!.category, 'added');
    const members = p.payload.operations.filter((o) => o.kind === 'groupMembers');
    assert.deepEqual(
      members.map((o) => o.kind === 'groupMembers' && [o.target.cloudId, o.add.map((r) => r.externalId)]),
      [['g1', [guid(3)]]],
    );
    assert.equal(p.report.items.find((i) => i.displayName === 'Ops')!.action, 'none');
  });
});
