import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperationKind, PlanOperation } from '../../../../server/src/sync/contract';
import { planIdOf } from '../../../../server/src/sync/apply/journal';
import { PlanSpools } from '../../../../server/src/sync/engine/itemSpool';
import { OperationSpool } from '../../../../server/src/sync/engine/opSpool';
import {
  closeOperations,
  OperationList,
  operationCount,
  operationCountOfKinds,
  operationLines,
  operationSourceOf,
  operationsOfKinds,
  planOperations,
} from '../../../../server/src/sync/plan/operations';
import type { AvatarPlanner, OperationDraft } from '../../../../server/src/sync/plan/types';
import { BASE, cloudUser, config, groupEntry, guid, items, person, plan } from '../../../support/planBuilders';

const tmp = () => mkdtempSync(join(tmpdir(), 'dirsync-opspool-'));

const KINDS: OperationKind[][] = [
  ['createUser'],
  ['patchUser'],
  ['createGroup'],
  ['groupMembers'],
  ['uploadAvatar', 'removeAvatar'],
  ['deleteUser'],
  ['deleteUser', 'patchUser'],
];

/** Users whose manager is read after them (a create and a manager-link PATCH each), every third with a picture. */
function directory(n: number) {
  const users = Array.from({ length: n }, (_, i) =>
    person(i + 1, `User ${i + 1}`, {
      manager: `CN=User ${i + 2},OU=People,${BASE}`,
      title: i % 5 ? `T “ü” 🙂 "${'é'.repeat(i % 7)}"\n` : '',
    }),
  );
  const groups = [
    groupEntry(
      n + 1,
      'Everyone',
      users.map((u) => u.dn),
    ),
  ];
  return [...items('users', users), ...items('groups', groups)];
}

/** An avatar planner (the planner's hook, a pure function here): an upload for every third user, a removal for one. */
const avatars: AvatarPlanner = async (users) => {
  const operations: OperationDraft[] = [];
  let i = 0;
  for await (const u of users) {
    if (i % 3 === 0)
      operations.push({
        kind: 'uploadAvatar',
        itemId: u.item.id,
        label: u.entry.dn,
        target: u.target,
        sha256: `${i}`.padStart(64, '0'),
        dn: u.entry.dn,
      });
    else if (i === 4)
      operations.push({ kind: 'removeAvatar', itemId: u.item.id, label: u.entry.dn, target: u.target, reason: 'no picture' });
    i++;
  }
  return { items: [], operations };
};

describe('sync engine: planned operations in spool files', () => {
  it('a plan whose operations are spooled has the same operations, order, ids, JSON text and plan id as one in memory', async () => {
    const cfg = config({
      attributes: { manager: 'manager', title: 'title' },
      avatar: { enabled: true, source: 'attribute', attribute: 'thumbnailPhoto' },
      policy: { deleteThreshold: { count: 100, percent: 100 } },
    });
    const entries = directory(1200);
    // One matched user with another title (a PATCH), one cloud-only user (a delete).
    const cloud = [
      cloudUser('c1', 'user.3@corp.example.com', { externalId: guid(3), title: 'Old' } as never),
      cloudUser('c2', 'leaver@corp.example.com', { externalId: guid(9999) }),
    ];
    const inMemory = await plan(cfg, entries, cloud, { avatars });
    const dir = tmp();
    const spool = await OperationSpool.open(join(dir, 'reports'));
    const spooled = await plan(cfg, entries, cloud, { avatars, operationSink: spool });
    try {
      const ops = inMemory.payload.operations;
      assert.ok(operationSourceOf(spooled.payload), 'the operations are kept outside the payload');
      assert.equal(operationSourceOf(inMemory.payload), undefined);
      const kinds = new Set(ops.map((o) => o.kind));
      for (const k of ['createUser', 'patchUser', 'createGroup', 'uploadAvatar', 'removeAvatar', 'deleteUser'] as const)
        assert.ok(kinds.has(k), `the plan has ${k}`);
      assert.ok(ops.length > 2500, `${ops.length} operations`);
      assert.equal(operationCount(spooled.payload), ops.length);
      // The same operations in the same order, numbered the same.
      assert.deepEqual([...planOperations(spooled.payload)], ops);
      assert.deepEqual(
        ops.map((o) => o.opId),
        ops.map((_, i) => `op-${String(i + 1).padStart(6, '0')}`),
      );
      // The same JSON text byte for byte: the plan id (the journal's) and a saved plan are the same.
      assert.deepEqual(
        [...operationLines(spooled.payload)],
        ops.map((o) => JSON.stringify(o)),
      );
      assert.equal(planIdOf(spooled.payload), planIdOf(inMemory.payload));
      for (const k of KINDS) {
        assert.deepEqual(
          [...operationsOfKinds(spooled.payload, k)],
          ops.filter((o) => k.includes(o.kind)),
          k.join(),
        );
        assert.equal(operationCountOfKinds(spooled.payload, k), ops.filter((o) => k.includes(o.kind)).length, k.join());
      }
      assert.equal(spooled.payload.version, inMemory.payload.version);
      assert.deepEqual(spooled.payload.basis, inMemory.payload.basis);
      assert.deepEqual(spooled.report.summary, inMemory.report.summary);
      // `operations` still works (read on first use), and the payload's JSON is the same text.
      assert.equal(JSON.stringify(spooled.payload), JSON.stringify(inMemory.payload));
      assert.ok(readdirSync(join(dir, 'reports')).some((f) => f.startsWith(`.ops-${process.pid}-`)));
    } finally {
      closeOperations(spooled.payload);
    }
    assert.deepEqual(readdirSync(join(dir, 'reports')), [], 'closed: the files are removed');
    assert.throws(() => [...operationLines(spooled.payload)], /removed/);
  });

  it('in memory the drafts are numbered in place: no second copy of every operation', () => {
    const list = new OperationList();
    const a: OperationDraft = { kind: 'patchUser', itemId: 'u:1', label: 'a', target: { externalId: 'e1' }, ops: [] };
    const b: OperationDraft = { kind: 'createUser', itemId: 'u:2', label: 'b', body: { userName: 'b@x', name: { givenName: 'B' } } };
    const c: OperationDraft = { kind: 'deleteUser', itemId: 'u:3', label: 'c', target: { cloudId: 'c3' } };
    const expected = [b, a, c].map((d, i) => JSON.stringify({ ...d, opId: `op-00000${i + 1}` }));
    list.add('delete', c);
    list.add('patch', a);
    list.add('create', b);
    assert.equal(list.phaseCount('patch'), 1);
    const payload = list.payload({ version: 1, basis: { configSha256: 'x', directoryFingerprint: 'd', cloudFingerprint: 'c' } });
    assert.deepEqual(
      payload.operations.map((o) => JSON.stringify(o)),
      expected,
    );
    assert.equal(payload.operations[0], b, 'the draft itself, numbered');
    assert.equal(payload.operations[1], a);
  });

  it('the spool numbers its phases in apply order, whatever order the drafts came in', async () => {
    const dir = tmp();
    const spool = await OperationSpool.open(dir);
    const drafts: Array<[Parameters<OperationSpool['add']>[0], OperationDraft]> = [
      ['delete', { kind: 'deleteUser', itemId: 'u:9', label: 'z', target: { cloudId: 'c9', externalId: undefined } }],
      ['avatar', { kind: 'uploadAvatar', itemId: 'u:1', label: 'a', target: { externalId: 'e1' }, sha256: 'f'.repeat(64), dn: 'CN=A' }],
      ['create', { kind: 'createUser', itemId: 'u:1', label: 'a', body: { userName: 'a@x', title: '“ü” 🙂\n"q"' } }],
      [
        'patch',
        {
          kind: 'patchUser',
          itemId: 'u:1',
          label: 'a',
          target: { externalId: 'e1' },
          ops: [{ op: 'add', path: 'manager', value: { $objectRef: { externalId: 'e2' } } }],
        },
      ],
      ['create', { kind: 'createUser', itemId: 'u:2', label: 'b', body: { userName: 'b@x' } }],
    ];
    const list = new OperationList();
    for (const [phase, d] of drafts) {
      spool.add(phase, d);
      list.add(phase, structuredClone(d));
    }
    const basis = { configSha256: 'x', directoryFingerprint: 'd', cloudFingerprint: 'c' };
    const fromSpool = spool.payload({ version: 1, basis });
    const fromList = list.payload({ version: 1, basis });
    assert.deepEqual(
      [...planOperations(fromSpool)].map((o) => `${o.opId} ${o.kind} ${o.itemId}`),
      [
        'op-000001 createUser u:1',
        'op-000002 createUser u:2',
        'op-000003 patchUser u:1',
        'op-000004 uploadAvatar u:1',
        'op-000005 deleteUser u:9',
      ],
    );
    assert.deepEqual([...operationLines(fromSpool)], [...operationLines(fromList)]);
    assert.equal(planIdOf(fromSpool), planIdOf(fromList));
    assert.deepEqual(
      [...operationsOfKinds(fromSpool, ['uploadAvatar'])].map((o: PlanOperation) => o.opId),
      ['op-000004'],
    );
    closeOperations(fromSpool);
  });

  it('a dry run that plans with the operations spooled removes their files when it fails, keeps them for the caller when not', async () => {
    const dir = tmp();
    const reports = join(dir, 'reports');
    const failing = await PlanSpools.open(reports, true);
    async function* cloudUsers() {
      yield cloudUser('c1', 'a@corp.example.com');
      throw new Error('the cloud answered 500');
    }
    await assert.rejects(plan(config(), directory(10), [], { ...failing.sinks(), cloudUsers: cloudUsers() }), /500/);
    failing.close();
    assert.deepEqual(readdirSync(reports), []);
    const spools = await PlanSpools.open(reports, true);
    const p = await plan(config(), directory(10), [], spools.sinks());
    spools.handOver();
    spools.close();
    assert.ok(
      readdirSync(reports).some((f) => f.startsWith('.ops-')),
      'the plan is handed over with its operations',
    );
    assert.equal([...planOperations(p.payload)].length, operationCount(p.payload));
    closeOperations(p.payload);
    assert.deepEqual(readdirSync(reports), []);
  });
});
