import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BASE, byDn, byUser, cloudUser, config, groupEntry, guid, items, person, plan } from '../../../support/planBuilders';
import type { PlanOperation } from '../../../../server/src/sync/contract';
import type { AvatarCandidate, DirectoryItem, PlanInput } from '../../../../server/src/sync/plan/types';
import { AVATAR_FEED_CAPACITY, WAITING_CAPACITY, WaitingList } from '../../../../server/src/sync/plan/build';
import type { ScimUser } from '../../../../server/src/cloud/schemas';
import type { CloudGroupView } from '../../../../server/src/sync/plan/match';
import type { ReportItem } from '../../../../common/report';

const kinds = (ops: readonly PlanOperation[]) => ops.map((o) => o.kind);

describe('sync plan (pure)', () => {
  it('a new AD user is added with a createUser operation', async () => {
    const p = await plan(config(), items('users', [person(1, 'Ada')]), []);
    const it = byDn(p, 'Ada')!;
    assert.equal(it.category, 'added');
    assert.equal(it.action, 'create');
    assert.equal(p.report.summary.added, 1);
    assert.deepEqual(kinds(p.payload.operations), ['createUser']);
    assert.equal(p.payload.operations[0]!.opId, 'op-000001');
    assert.equal(p.payload.operations[0]!.itemId, it.id);
  });

  it('an attribute change is modified: old → new with the SCIM path and the config line', async () => {
    const p = await plan(config(), items('users', [person(1, 'Ada', { displayName: 'Ada L.' })]), [
      cloudUser('c1', 'ada@corp.example.com', { externalId: guid(1), displayName: 'Ada' }),
    ]);
    const it = byDn(p, 'Ada')!;
    assert.equal(it.category, 'modified');
    assert.deepEqual(
      it.changes!.map((c) => [c.scimPath, c.old, c.new]),
      [['displayName', 'Ada', 'Ada L.']],
    );
    assert.equal(it.changes![0]!.configRef, undefined, 'no configSource given');
    const op = p.payload.operations[0]!;
    assert.equal(op.kind, 'patchUser');
    assert.deepEqual(op.kind === 'patchUser' && op.ops, [{ op: 'replace', path: 'displayName', value: 'Ada L.' }]);
    assert.deepEqual(op.kind === 'patchUser' && op.target, { cloudId: 'c1', externalId: guid(1), userName: 'ada@corp.example.com' });
  });

  it('an unchanged user is matched with no operation; a value emptied in AD is removed', async () => {
    const cloud = [
      cloudUser('c1', 'ada@corp.example.com', { externalId: guid(1), displayName: 'Ada' }),
      cloudUser('c2', 'bo@corp.example.com', { externalId: guid(2), displayName: 'Bo', title: 'x' }),
    ];
    const cfg = config({ attributes: { title: 'title' } });
    const p = await plan(cfg, items('users', [person(1, 'Ada'), person(2, 'Bo')]), cloud);
    assert.equal(byDn(p, 'Ada')!.category, 'matched');
    const bo = byDn(p, 'Bo')!;
    assert.equal(bo.category, 'modified');
    assert.deepEqual(bo.changes, [{ attribute: 'title', scimPath: 'title', old: 'x', new: null }]);
    assert.deepEqual(
      p.payload.operations.map((o) => o.kind === 'patchUser' && o.ops),
      [[{ op: 'remove', path: 'title' }]],
    );
  });

  it('a disabled AD user active in the cloud is deactivated; a protected admin is not', async () => {
    const cloud = [
      cloudUser('c1', 'ada@corp.example.com', { externalId: guid(1), displayName: 'Ada' }),
      cloudUser('c2', 'root@corp.example.com', {
        externalId: guid(2),
        displayName: 'Root',
        roles: [{ value: 'id_full_admin', type: 'cirole' }],
      }),
    ];
    const p = await plan(
      config(),
      items('users', [person(1, 'Ada', { userAccountControl: '514' }), person(2, 'Root', { userAccountControl: '514' })]),
      cloud,
    );
    const ada = byDn(p, 'Ada')!;
    assert.equal(ada.category, 'deactivated');
    assert.equal(ada.action, 'deactivate');
    const op = p.payload.operations.find((o) => o.itemId === ada.id)!;
    assert.deepEqual(op.kind === 'patchUser' && op.ops, [{ op: 'replace', path: 'active', value: false }]);
    const root = byDn(p, 'Root')!;
    assert.equal(root.action, 'skip');
    assert.match(root.reason!, /full administrator/);
    assert.equal(p.payload.operations.length, 1);
  });

  it('a case-only userName difference is a warning and an update, never a delete', async () => {
    const p = await plan(config(), items('users', [person(1, 'Ada', { mail: 'Ada@Corp.example.com' })]), [
      cloudUser('c1', 'ada@corp.example.com', { displayName: 'Ada' }),
    ]);
    const it = byDn(p, 'Ada')!;
    assert.equal(it.category, 'modified');
    assert.match(it.warnings!.join(), /differs only in case/);
    assert.deepEqual(
      it.changes!.map((c) => c.scimPath),
      ['userName', 'externalId'],
    );
    assert.deepEqual(kinds(p.payload.operations), ['patchUser']);
    assert.equal(p.report.summary.deleted + p.report.summary.mismatched, 0);
  });

  const mismatched: Array<[string, 'retain' | 'delete', string, string, string[]]> = [
    ['retain keeps a cloud-only test account', 'retain', 'mismatched', 'retain', []],
    ['delete removes it, last', 'delete', 'mismatched', 'delete', ['deleteUser']],
  ];
  for (const [what, policy, category, action, ops] of mismatched) {
    it(`mismatched, policy ${what}`, async () => {
      const p = await plan(config({ policy: { mismatched: policy } }), [], [cloudUser('t1', 'test1@corp.example.com')]);
      const it = byUser(p, 'test1@corp.example.com')!;
      assert.equal(it.category, category);
      assert.equal(it.action, action);
      assert.deepEqual(kinds(p.payload.operations), ops);
    });
  }

  it('a user removed from AD (it has an externalId) is deleted; protected names and admins never are', async () => {
    const p = await plan(
      config({ policy: { mismatched: 'delete', protected: { userNames: ['keep@corp.example.com'] } } }),
      [],
      [
        cloudUser('g1', 'gone@corp.example.com', { externalId: guid(9) }),
        cloudUser('k1', 'keep@corp.example.com'),
        cloudUser('a1', 'boss@corp.example.com', { roles: [{ value: 'id_user_admin' }] }),
      ],
    );
    assert.equal(byUser(p, 'gone@corp.example.com')!.category, 'deleted');
    assert.match(byUser(p, 'keep@corp.example.com')!.reason!, /policy.protected.userNames: never deleted/);
    assert.match(byUser(p, 'boss@corp.example.com')!.reason!, /administrator.*never deleted/);
    assert.deepEqual(kinds(p.payload.operations), ['deleteUser']);
  });

  it('over the deletion threshold: exceeded with a refusal sentence', async () => {
    const cloud = [1, 2, 3, 4].map((i) => cloudUser(`u${i}`, `u${i}@corp.example.com`, { externalId: guid(100 + i) }));
    const p = await plan(
      config({ policy: { deleteThreshold: { count: 10, percent: 50 } } }),
      items('users', [person(101, 'U1', { mail: 'u1@corp.example.com' })]),
      cloud,
    );
    const t = p.report.threshold;
    assert.deepEqual([t.deletions, t.owned, t.exceeded], [3, 4, true]);
    assert.match(t.refusal!, /deletes 3 of 4 owned cloud objects \(75 %\), more than policy.deleteThreshold.percent \(50 %\)/);
    assert.ok(p.report.messages.some((m) => m.severity === 'error'));
    const three = [1, 2, 3].map((i) => person(100 + i, `U${i}`, { mail: `u${i}@corp.example.com` }));
    const under = await plan(config({ policy: { deleteThreshold: { count: 10, percent: 50 } } }), items('users', three), cloud);
    assert.deepEqual(
      [under.report.threshold.deletions, under.report.threshold.exceeded, under.report.threshold.refusal],
      [1, false, undefined],
    );
    const byCount = await plan(config({ policy: { deleteThreshold: { count: 2, percent: 100 } } }), [], cloud);
    assert.match(byCount.report.threshold.refusal!, /more than policy.deleteThreshold.count \(2\)/);
  });

  it('"would delete all full admins" is flagged when admins are not protected', async () => {
    const p = await plan(
      config({ policy: { mismatched: 'delete', protected: { admins: false }, deleteThreshold: 'disabled' } }),
      [],
      [cloudUser('a1', 'root@corp.example.com', { roles: [{ value: 'id_full_admin' }] })],
    );
    assert.equal(p.report.threshold.exceeded, true);
    assert.match(p.report.threshold.refusal!, /delete all 1 full administrator/);
  });

  it("owns only its own domain: other domains' cloud users are never mismatched", async () => {
    const cloud = [cloudUser('x1', 'someone@emea.example.com', { externalId: guid(50) }), cloudUser('x2', 'local@corp.example.com')];
    const p = await plan(config({ policy: { mismatched: 'delete' } }), items('users', [person(1, 'Ada')]), cloud);
    assert.equal(byUser(p, 'someone@emea.example.com'), undefined);
    assert.equal(byUser(p, 'local@corp.example.com')!.action, 'delete');
    const explicit = await plan(config({ policy: { mismatched: 'delete', ownedDomains: ['emea.example.com'] } }), [], cloud);
    assert.equal(byUser(explicit, 'someone@emea.example.com')!.category, 'deleted');
    assert.equal(byUser(explicit, 'local@corp.example.com'), undefined);
  });

  it("the same person in two domains' scope is reported and left alone", async () => {
    const p = await plan(config(), items('users', [person(1, 'Ada')]), [cloudUser('c1', 'ada@corp.example.com', { externalId: guid(77) })]);
    const it = byDn(p, 'Ada')!;
    assert.equal(it.action, 'skip');
    assert.match(it.reason!, /same person is in the scope of two directories/);
    assert.ok(p.report.messages.some((m) => /two directories/.test(m.message) && m.dn === it.dn));
    assert.equal(p.payload.operations.length, 0);
  });

  it('groups: created, members as refs; safe order creates → members → deletes', async () => {
    const ada = person(1, 'Ada');
    const bo = person(2, 'Bo');
    const p = await plan(
      config({ policy: { mismatched: 'delete' } }),
      [...items('users', [ada, bo]), ...items('groups', [groupEntry(10, 'Staff', [ada.dn, bo.dn, `CN=Out,OU=Else,${BASE}`])])],
      [cloudUser('c2', 'bo@corp.example.com', { externalId: guid(2), displayName: 'Bo' }), cloudUser('t1', 'test@corp.example.com')],
    );
    assert.deepEqual(kinds(p.payload.operations), ['createUser', 'createGroup', 'groupMembers', 'deleteUser']);
    const members = p.payload.operations[2]!;
    assert.deepEqual(members.kind === 'groupMembers' && members.add, [
      { externalId: guid(1) },
      { cloudId: 'c2', externalId: guid(2), userName: 'bo@corp.example.com' },
    ]);
    const g = byDn(p, 'Staff')!;
    assert.equal(g.category, 'groups');
    assert.deepEqual(g.members!.added, [ada.dn, bo.dn]);
    assert.deepEqual(
      p.payload.operations.map((o) => o.opId),
      ['op-000001', 'op-000002', 'op-000003', 'op-000004'],
    );
  });

  it('groups: an existing group loses a member AD removed', async () => {
    const ada = person(1, 'Ada');
    const cloud = [
      cloudUser('c1', 'ada@corp.example.com', { externalId: guid(1), displayName: 'Ada' }),
      cloudUser('c2', 'bo@corp.example.com', { externalId: guid(2) }),
    ];
    const p = await plan(config(), [...items('users', [ada]), ...items('groups', [groupEntry(10, 'Staff', [ada.dn])])], cloud, {
      cloudGroups: [{ id: 'g1', displayName: 'Staff', externalId: guid(10), members: ['c1', 'c2'] }],
    });
    const g = byDn(p, 'Staff')!;
    assert.equal(g.action, 'update');
    assert.deepEqual(g.members, { added: [], removed: ['bo@corp.example.com'] });
    const op = p.payload.operations.find((o) => o.kind === 'groupMembers')!;
    assert.deepEqual(op.kind === 'groupMembers' && [op.add, op.remove], [[], [{ cloudId: 'c2' }]]);
  });

  it('invalid objects are reported, never sent', async () => {
    const p = await plan(config(), items('users', [person(1, 'Ada', { telephoneNumber: 'none' }), person(2, 'Bo', { mail: 'bo' })]), []);
    assert.equal(p.report.summary.invalid, 2);
    assert.equal(p.payload.operations.length, 0);
    assert.match(byDn(p, 'Ada')!.errors![0]!, /^CN=Ada,OU=People,DC=corp,DC=example,DC=com: telephoneNumber "none"/);
  });

  it('rooms: a room mailbox read by both selections is one room item', async () => {
    const room = person(5, 'Room 1', {
      msExchResourceMetaData: 'ResourceType:Room',
      userAccountControl: '514',
      'msRTCSIP-PrimaryUserAddress': 'sip:room1@corp.example.com',
    });
    const p = await plan(config(), [...items('users', [room]), ...items('rooms', [room])], []);
    assert.equal(p.report.items.length, 1);
    assert.equal(p.report.items[0]!.category, 'rooms');
    const op = p.payload.operations[0]!;
    assert.equal(op.kind === 'createUser' && op.body['userType'], undefined, 'a plain user on a generic target');
    assert.equal(op.kind === 'createUser' && op.body['active'], true);
  });

  describe('rooms on a generic SCIM target (objects.rooms.genericTarget)', () => {
    const room = person(5, 'Room 1', { msExchResourceMetaData: 'ResourceType:Room', userAccountControl: '514' });
    const generic = (genericTarget?: string) =>
      config({ cloud: { type: 'scim' }, objects: { rooms: { enabled: true, ...(genericTarget ? { genericTarget } : {}) } } });

    it('"users" (the default): a plain core-schema user, active, with no userType; a cloud userType is left alone', async () => {
      for (const cfg of [generic(), generic('users')]) {
        const p = await plan(cfg, items('rooms', [room]), []);
        const it = byDn(p, 'Room 1')!;
        assert.equal(it.category, 'rooms');
        assert.equal(it.action, 'create');
        assert.ok(!it.changes!.some((c) => c.scimPath === 'userType'));
        const op = p.payload.operations[0]!;
        assert.equal(op.kind, 'createUser');
        assert.equal(op.kind === 'createUser' && 'userType' in op.body, false);
        assert.equal(op.kind === 'createUser' && op.body['active'], true);
        assert.ok(op.kind === 'createUser' && !Object.keys(op.body).some((k) => k.includes('cisco')));
      }
      const existing = cloudUser('r1', 'room.1@corp.example.com', { externalId: guid(5), displayName: 'Room 1', userType: 'room' });
      const again = await plan(generic('users'), items('rooms', [room]), [existing]);
      assert.equal(again.payload.operations.length, 0);
      const plain = { ...existing, userType: undefined };
      assert.equal((await plan(generic('users'), items('rooms', [room]), [plain])).payload.operations.length, 0);
    });

    it('"skip": each room is reported as skipped with the reason; a room already in the cloud is kept', async () => {
      const existing = cloudUser('r1', 'room.1@corp.example.com', { externalId: guid(5), displayName: 'Old name' });
      const p = await plan(
        generic('skip'),
        [...items('rooms', [room]), ...items('groups', [groupEntry(8, 'Everyone', [room.dn])])],
        [existing],
      );
      const it = byDn(p, 'Room 1')!;
      assert.equal(it.category, 'rooms');
      assert.equal(it.action, 'skip');
      assert.match(it.reason!, /objects\.rooms\.genericTarget is "skip"/);
      assert.equal(it.cloudId, 'r1');
      assert.deepEqual(kinds(p.payload.operations), ['createGroup'], 'no write to the room, never a delete; not a group member');
      const group = p.payload.operations[0]!;
      assert.deepEqual(group.kind === 'createGroup' && group.body['members'], undefined);
    });

    it('a room gone from AD is a deleted user: the target keeps no room type (unless the cloud user says userType room)', async () => {
      // What the first sync made of the room on this target: a plain user with the room's externalId.
      const made = await plan(generic(), items('rooms', [room]), []);
      const op = made.payload.operations[0]!;
      assert.ok(op.kind === 'createUser' && !('userType' in op.body));
      const synced = cloudUser('r1', 'room.1@corp.example.com', { externalId: guid(5), displayName: 'Room 1' });
      const gone = await plan(generic(), [], [synced]);
      const it = byUser(gone, 'room.1@corp.example.com')!;
      assert.deepEqual([it.objectType, it.category, it.action], ['user', 'deleted', 'delete']);
      assert.equal(gone.report.work.users.delete, 1);
      assert.equal(gone.report.work.rooms.delete, 0);
      assert.deepEqual(kinds(gone.payload.operations), ['deleteUser']);
      // A cloud user whose userType is room (a target that keeps it, or one a Webex sync made) is a deleted room.
      const typed = await plan(generic(), [], [{ ...synced, userType: 'room' }]);
      const room1 = byUser(typed, 'room.1@corp.example.com')!;
      assert.deepEqual([room1.objectType, room1.category, room1.action], ['room', 'deleted', 'delete']);
      assert.equal(typed.report.work.rooms.delete, 1);
    });

    it('has no effect on Webex: rooms are Webex rooms there', async () => {
      const cfg = config({ cloud: { type: 'webex', orgId: 'o' }, objects: { rooms: { enabled: true, genericTarget: 'skip' } } });
      const p = await plan(cfg, items('rooms', [room]), []);
      const op = p.payload.operations[0]!;
      assert.equal(op.kind === 'createUser' && op.body['userType'], 'room');
    });
  });

  describe('PATCH of a value the cloud user lacks (RFC 7644 §3.5.2)', () => {
    const MANAGER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager';
    const ada = (extra: Record<string, string> = {}) => person(2, 'Ada', { mobile: '+1 555 0100', ...extra });
    const cfg = (type: 'scim' | 'webex') =>
      config({ cloud: type === 'webex' ? { type, orgId: 'o' } : { type }, attributes: { mobile: 'mobile' } });

    for (const type of ['scim', 'webex'] as const) {
      it(`${type}: a first mobile number is added as a whole element, not replaced through a filter that matches nothing`, async () => {
        const p = await plan(cfg(type), items('users', [ada()]), [
          cloudUser('c2', 'ada@corp.example.com', { externalId: guid(2), displayName: 'Ada', userType: 'user' }),
        ]);
        const op = p.payload.operations[0]!;
        assert.deepEqual(op.kind === 'patchUser' && op.ops, [
          { op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+1 555 0100' }] },
        ]);
      });
    }

    it('generic: a first manager is added with its parent (`manager: { value }`); one already set is replaced by path', async () => {
      const boss = person(1, 'Boss');
      const cloud = [
        cloudUser('b1', 'boss@corp.example.com', {
          externalId: guid(1),
          displayName: 'Boss',
          phoneNumbers: [{ type: 'mobile', value: '+1' }],
        }),
        cloudUser('c2', 'ada@corp.example.com', {
          externalId: guid(2),
          displayName: 'Ada',
          phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
        }),
      ];
      const p = await plan(cfg('scim'), items('users', [ada({ manager: boss.dn }), boss]), cloud);
      const op = p.payload.operations.find((o) => o.itemId === byDn(p, 'Ada')!.id)!;
      assert.deepEqual(op.kind === 'patchUser' && op.ops, [{ op: 'add', path: MANAGER, value: { value: 'b1' } }]);
      const set = cloud.map((u) => (u.id === 'c2' ? { ...u, [MANAGER.replace(/:manager$/, '')]: { manager: { value: 'old' } } } : u));
      const q = await plan(cfg('scim'), items('users', [ada({ manager: boss.dn }), boss]), set);
      const op2 = q.payload.operations.find((o) => o.itemId === byDn(q, 'Ada')!.id)!;
      assert.deepEqual(op2.kind === 'patchUser' && op2.ops, [{ op: 'replace', path: `${MANAGER}.value`, value: 'b1' }]);
    });

    it('generic: the link to a manager created by the same sync is added with its parent; Webex keeps the path', async () => {
      const boss = person(1, 'Boss');
      const linkOf = async (type: 'scim' | 'webex') => {
        const p = await plan(cfg(type), items('users', [ada({ manager: boss.dn }), boss]), []);
        const op = p.payload.operations.find((o) => o.kind === 'patchUser')!;
        return op.kind === 'patchUser' && op.ops;
      };
      const ref = { $objectRef: { externalId: guid(1) } };
      assert.deepEqual(await linkOf('scim'), [{ op: 'add', path: MANAGER, value: { value: ref } }]);
      assert.deepEqual(await linkOf('webex'), [{ op: 'replace', path: `${MANAGER}.value`, value: ref }]);
    });
  });

  it('a soft-deleted cloud user matching AD is re-created (softDeleted)', async () => {
    const p = await plan(config(), items('users', [person(1, 'Ada')]), [
      cloudUser('c1', 'ada@corp.example.com', {
        externalId: guid(1),
        active: false,
        'urn:scim:schemas:extension:cisco:webexidentity:2.0:User': { accountStatus: ['deleted'] },
      }),
    ]);
    assert.equal(byDn(p, 'Ada')!.category, 'softDeleted');
    assert.deepEqual(kinds(p.payload.operations), ['createUser']);
  });

  it("manager resolves to the manager's cloud id", async () => {
    const boss = person(1, 'Boss');
    const p = await plan(config(), items('users', [person(2, 'Ada', { manager: boss.dn }), boss]), [
      cloudUser('b1', 'boss@corp.example.com', { externalId: guid(1), displayName: 'Boss' }),
    ]);
    const op = p.payload.operations.find((o) => o.kind === 'createUser')!;
    assert.deepEqual(op.kind === 'createUser' && op.body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'], {
      manager: { value: 'b1' },
    });
  });

  it('a user whose manager is read later is decided as soon as its manager is read; one whose manager never is, at the end', async () => {
    const boss = person(1, 'Boss');
    const entries = [
      person(2, 'Ada', { manager: boss.dn, title: 'New title' }),
      person(3, 'Cy', { manager: boss.dn }),
      person(4, 'Dee'),
      person(5, 'Fay', { manager: `CN=Nobody,OU=People,${BASE}` }),
      boss,
      person(6, 'Eve'),
    ];
    const cloud = [
      cloudUser('b1', 'boss@corp.example.com', { externalId: guid(1), displayName: 'Boss' }),
      cloudUser('a1', 'ada@corp.example.com', { externalId: guid(2), displayName: 'Ada' }),
    ];
    for (const waitingSink of [undefined, new WaitingList()]) {
      const p = await plan(config({ attributes: { manager: 'manager', title: 'title' } }), items('users', entries), cloud, {
        ...(waitingSink ? { waitingSink } : {}),
      });
      const users = p.report.items.filter((i) => i.objectType === 'user').map((i) => i.dn!.replace(/,.*/, ''));
      assert.deepEqual(users, ['CN=Dee', 'CN=Boss', 'CN=Ada', 'CN=Cy', 'CN=Eve', 'CN=Fay']);
      const ada = byDn(p, 'Ada')!;
      assert.equal(ada.action, 'update');
      const patch = p.payload.operations.find((o) => o.kind === 'patchUser' && o.target.cloudId === 'a1');
      assert.ok(patch && JSON.stringify(patch).includes('"b1"'), 'Ada’s manager is set to the manager’s cloud id');
      assert.deepEqual(byDn(p, 'Fay')!.warnings, [`manager CN=Nobody,OU=People,${BASE} is not a synchronized user: left unchanged`]);
      if (waitingSink) assert.equal(waitingSink.size, 0, 'none left waiting');
    }
  });

  it('a manager created by the same sync: an information note, not a warning', async () => {
    const boss = person(1, 'Boss');
    const p = await plan(config(), items('users', [person(2, 'Ada', { manager: boss.dn }), boss]), []);
    const ada = byDn(p, 'Ada')!;
    assert.equal(ada.warnings, undefined, JSON.stringify(ada.warnings));
    assert.deepEqual(ada.notes, [`manager ${boss.dn} is created by this sync: the link is set right after it is created`]);
    assert.ok(
      p.payload.operations.some((o) => o.kind === 'patchUser'),
      'the link is still planned',
    );
  });

  it('is deterministic; fingerprints do not depend on stream order', async () => {
    const es = [person(1, 'Ada'), person(2, 'Bo'), person(3, 'Cy')];
    const a = await plan(config(), items('users', es), []);
    const b = await plan(config(), items('users', [...es].reverse()), []);
    assert.equal(a.payload.basis.directoryFingerprint, b.payload.basis.directoryFingerprint);
    // What every earlier version computed for these users: a plan saved by one is still checked.
    assert.equal(a.payload.basis.directoryFingerprint, '283f077f751223927b0ebc84be913ff6a4f644325f5f86fd12dce980b6b5f3cd');
    assert.equal(JSON.stringify(a), JSON.stringify(await plan(config(), items('users', es), [])));
    const c = await plan(config(), items('users', [person(1, 'Ada', { displayName: 'Other' }), es[1]!, es[2]!]), []);
    assert.notEqual(a.payload.basis.directoryFingerprint, c.payload.basis.directoryFingerprint);
  });

  it('calls the avatar planner with valid users; its operations run before deletes', async () => {
    const seen: string[] = [];
    const p = await plan(
      config({ avatar: { enabled: true, source: 'attribute' }, policy: { mismatched: 'delete' } }),
      items('users', [person(1, 'Ada')]),
      [cloudUser('t', 't@corp.example.com')],
      {
        avatars: async (stream) => {
          const users: AvatarCandidate[] = [];
          for await (const u of stream) users.push(u);
          for (const u of users) seen.push(u.item.id);
          return {
            items: [{ id: 'avatar:1', category: 'avatars', objectType: 'user', action: 'avatarUpload' }],
            operations: users.map((u) => ({
              kind: 'uploadAvatar' as const,
              itemId: 'avatar:1',
              label: u.entry.dn,
              target: u.target,
              sha256: 'ab',
              dn: u.entry.dn,
            })),
          };
        },
      },
    );
    assert.deepEqual(seen, [`user:${guid(1)}`]);
    assert.deepEqual(kinds(p.payload.operations), ['createUser', 'uploadAvatar', 'deleteUser']);
    assert.equal(p.report.summary.avatars, 1);
  });

  it('streams users to the avatar planner while the directory is read, and the read waits while the planner is behind', async () => {
    const total = AVATAR_FEED_CAPACITY * 3;
    let pulled = 0;
    async function* directory() {
      for (let i = 1; i <= total; i++) {
        pulled++;
        yield { selection: 'users' as const, entry: person(i, `User ${i}`) };
      }
    }
    let pulledAtFirst = -1;
    let pulledWhileBehind = -1;
    let received = 0;
    const p = await plan(config({ avatar: { enabled: true, source: 'attribute' } }), [], [], {
      directory: directory(),
      avatars: async (stream) => {
        for await (const _ of stream) {
          if (++received === 1) {
            pulledAtFirst = pulled;
            // Behind: the directory loop gets many turns of the event loop and must stop at a full feed.
            for (let i = 0; i < 50; i++) await new Promise<void>((resolve) => setImmediate(resolve));
            pulledWhileBehind = pulled;
          }
        }
        return { items: [], operations: [] };
      },
    });
    assert.equal(received, total);
    assert.equal(p.report.summary.added, total);
    assert.ok(pulledAtFirst < AVATAR_FEED_CAPACITY, `the first user reached the planner after ${pulledAtFirst} entries were read`);
    assert.ok(
      pulledWhileBehind <= AVATAR_FEED_CAPACITY + 2,
      `${pulledWhileBehind} entries read while the planner held its first user (feed capacity ${AVATAR_FEED_CAPACITY})`,
    );
  });

  it('a failing avatar planner fails the plan without leaving the directory read waiting', async () => {
    const es = Array.from({ length: AVATAR_FEED_CAPACITY * 2 }, (_, i) => person(i + 1, `User ${i + 1}`));
    await assert.rejects(
      plan(config({ avatar: { enabled: true, source: 'attribute' } }), items('users', es), [], {
        avatars: async () => {
          throw new Error('no avatar source');
        },
      }),
      /no avatar source/,
    );
  });

  /** A directory with what keeps a place in the report: invalid objects, a duplicate userName, a manager read later, a contact, a group. */
  function mixedDirectory(n: number) {
    const entries = Array.from({ length: n }, (_, i) => {
      const k = i + 1;
      if (k % 97 === 0) return person(k, `Bad ${k}`, { mail: 'not-an-address' });
      if (k % 89 === 0) return person(k, `Twin ${k}`, { mail: 'twin@corp.example.com' });
      if (k % 53 === 0) return person(k, `Report ${k}`, { manager: `CN=User ${n},OU=People,${BASE}` });
      return person(k, `User ${k}`, k % 7 === 0 ? { displayName: `Renamed ${k}` } : {});
    });
    const directory: DirectoryItem[] = [
      ...items('users', entries),
      ...items('contacts', [person(n + 1, 'Contact A', {}, 'OU=Contacts')]),
      ...items('groups', [groupEntry(n + 2, 'Staff', [entries[0]!.dn, entries[1]!.dn])]),
    ];
    const cloud = Array.from({ length: n / 2 }, (_, i) =>
      cloudUser(`c${i + 1}`, `user.${i + 1}@corp.example.com`, { externalId: guid(i + 1), displayName: `User ${i + 1}` }),
    );
    cloud.push(cloudUser('gone', 'gone@corp.example.com', { externalId: guid(n + 50) }));
    const cloudGroups = [{ id: 'g1', displayName: 'Staff', externalId: guid(n + 2), members: ['c1'] }];
    return { directory, cloud, cloudGroups };
  }
  const mixedConfig = () => config({ objects: { contacts: { enabled: true } }, avatar: { enabled: true, source: 'attribute' } });
  const echoAvatars: PlanInput['avatars'] = async (stream) => {
    const out: ReportItem[] = [];
    for await (const c of stream) out.push({ ...c.item, id: `${c.item.id}/avatar`, category: 'avatars', action: 'none' });
    return { items: out, operations: [] };
  };
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('the plan is the same when the cloud listing ends after the directory read as when it ends before', async () => {
    const { directory, cloud, cloudGroups } = mixedDirectory(600);
    const first = await plan(mixedConfig(), directory, cloud, { cloudGroups, avatars: echoAvatars });
    let read = 0;
    let directoryDone!: () => void;
    const ended = new Promise<void>((resolve) => (directoryDone = resolve));
    async function* slowDirectory() {
      for (const d of directory) {
        read++;
        yield d;
        await turn();
      }
      directoryDone();
    }
    // The cloud's first users only after half the directory, the rest after all of it.
    async function* slowCloud() {
      while (read < directory.length / 2) await turn();
      yield* cloud.slice(0, 10);
      await ended;
      yield* cloud.slice(10);
    }
    let readWhenCloudDone = -1;
    async function* groups() {
      yield* cloudGroups;
      readWhenCloudDone = read;
    }
    const second = await plan(mixedConfig(), [], [], {
      directory: slowDirectory(),
      cloudUsers: slowCloud(),
      cloudGroups: groups(),
      avatars: echoAvatars,
    });
    assert.equal(readWhenCloudDone, directory.length, 'the directory was read to its end before the cloud listing ended');
    assert.deepEqual(second, first);
    const s = first.report.summary;
    assert.ok(s.invalid > 0 && s.modified > 0 && s.added > 0 && s.matched > 0 && s.avatars > 0 && s.contacts === 1);
    assert.ok(first.payload.operations.some((o) => o.kind === 'deleteUser'));
  });

  it('the directory read waits for the cloud listing once the mapped objects waiting for it are many; the plan is the same', async () => {
    const { directory, cloud, cloudGroups } = mixedDirectory(WAITING_CAPACITY + 400);
    const first = await plan(mixedConfig(), directory, cloud, { cloudGroups, avatars: echoAvatars });
    let read = 0;
    async function* fastDirectory() {
      for (const d of directory) {
        read++;
        yield d;
      }
    }
    let readBeforeCloudEnd = -1;
    async function* slowCloud() {
      while (read < 10) await turn();
      yield* cloud.slice(0, 10);
      for (let i = 0; i < 20; i++) await turn();
      readBeforeCloudEnd = read;
      yield* cloud.slice(10);
    }
    const second = await plan(mixedConfig(), [], [], {
      directory: fastDirectory(),
      cloudUsers: slowCloud(),
      cloudGroups,
      avatars: echoAvatars,
    });
    assert.ok(
      readBeforeCloudEnd > WAITING_CAPACITY && readBeforeCloudEnd < directory.length - 100,
      `${readBeforeCloudEnd} of ${directory.length} entries read before the cloud listing ended (at most ${WAITING_CAPACITY} mapped objects wait)`,
    );
    assert.deepEqual(second, first);
  });

  it("the decisions do not wait for the cloud's groups: they are listed after the users, and the plan is the same", async () => {
    const { directory, cloud, cloudGroups } = mixedDirectory(WAITING_CAPACITY + 400);
    const first = await plan(mixedConfig(), directory, cloud, { cloudGroups, avatars: echoAvatars });
    let read = 0;
    let directoryDone!: () => void;
    const ended = new Promise<void>((resolve) => (directoryDone = resolve));
    async function* wholeDirectory() {
      for (const d of directory) {
        read++;
        yield d;
      }
      directoryDone();
    }
    let usersListed = false;
    async function* cloudUsers() {
      yield* cloud;
      usersListed = true;
    }
    let usersListedWhenGroupsAsked: boolean | undefined;
    // More entries than may wait for the cloud: had the decisions waited for the groups too, the
    // directory read would never end.
    async function* groupsAfterTheDirectory() {
      usersListedWhenGroupsAsked = usersListed;
      await ended;
      yield* cloudGroups;
    }
    const second = await plan(mixedConfig(), [], [], {
      directory: wholeDirectory(),
      cloudUsers: cloudUsers(),
      cloudGroups: groupsAfterTheDirectory(),
      avatars: echoAvatars,
    });
    assert.equal(usersListedWhenGroupsAsked, true, 'the groups were asked for after the users were listed');
    assert.equal(read, directory.length);
    assert.deepEqual(second, first);
  });

  // The users' listing, or the groups' listing after it.
  for (const [what, failing, error] of [
    [
      'cloud listing',
      async function* cloudUsers(): AsyncGenerator<ScimUser> {
        yield cloudUser('c1', 'user.1@corp.example.com');
        throw new Error('the cloud answered 401');
      },
      /401/,
    ],
    [
      "listing of the cloud's groups",
      async function* cloudGroups(): AsyncGenerator<CloudGroupView> {
        yield* [];
        throw new Error('the cloud answered 503 for the groups');
      },
      /503 for the groups/,
    ],
  ] as const)
    it(`a failed ${what} fails the plan while the directory is still read`, async () => {
      let read = 0;
      async function* directory() {
        for (let i = 1; i <= 50; i++) {
          read++;
          yield { selection: 'users' as const, entry: person(i, `User ${i}`) };
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      const listing =
        what === 'cloud listing'
          ? { cloudUsers: failing() as AsyncGenerator<ScimUser> }
          : { cloudGroups: failing() as AsyncGenerator<CloudGroupView> };
      await assert.rejects(plan(config(), [], [], { directory: directory(), ...listing }), error);
      assert.ok(read < 50, `${read} entries read after the listing failed`);
    });

  it('entries read while the cloud is still listed are not held by the planner (only what it mapped)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let releaseCloud!: () => void;
    const cloudListed = new Promise<void>((resolve) => (releaseCloud = resolve));
    const refs: Array<WeakRef<object>> = [];
    async function* directory() {
      for (let i = 1; i <= 300; i++) {
        const item: DirectoryItem = { selection: 'users', entry: person(i, `User ${i}`) };
        refs.push(new WeakRef(item.entry));
        yield item;
      }
    }
    async function* cloudUsers(): AsyncGenerator<ScimUser> {
      await cloudListed; // a large org's listing: the directory is read meanwhile
      yield* [];
    }
    const planned = plan(config(), [], [], { directory: directory(), cloudUsers: cloudUsers() });
    for (let i = 0; i < 2000 && refs.length < 300; i++) await turn();
    for (let i = 0; i < 10; i++) await turn();
    gc();
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc();
    const held = refs.filter((r) => r.deref()).length;
    releaseCloud();
    const p = await planned;
    assert.equal(refs.length, 300);
    assert.equal(p.report.summary.added, 300);
    assert.ok(held <= 5, `${held} of 300 entries were still held while the cloud was listed`);
  });

  it('a failed cloud listing fails the plan at once while the directory has not sent its first entry', async () => {
    let release!: () => void;
    const firstPage = new Promise<void>((resolve) => (release = resolve));
    let stopped = false;
    async function* directory() {
      try {
        await firstPage; // a directory server still building its result set
        yield { selection: 'users' as const, entry: person(1, 'User 1') };
      } finally {
        stopped = true;
      }
    }
    async function* cloudUsers(): AsyncGenerator<ScimUser> {
      yield cloudUser('c1', 'user.1@corp.example.com');
      throw new Error('the cloud answered 401');
    }
    await assert.rejects(plan(config(), [], [], { directory: directory(), cloudUsers: cloudUsers() }), /401/);
    release();
    for (let i = 0; i < 10 && !stopped; i++) await turn();
    assert.ok(stopped, 'the directory read was stopped');
  });
});
