/** A saved plan's operations against a fresh plan's: what holds, and the first difference named. */
import { strict as assert } from 'node:assert';
import { compareOperations, firstDifference, summaryOfRun } from '../../../../server/src/sync/apply/planCheck';
import type { PlanOperation } from '../../../../server/src/sync/contract';
import type { SyncReport } from '../../../../common/report';

const patch = (opId: string, title: string, cloudId = 'u1'): PlanOperation => ({
  opId,
  itemId: `user:${cloudId}`,
  label: `CN=${cloudId},DC=corp,DC=example,DC=com`,
  kind: 'patchUser',
  target: { cloudId },
  ops: [{ op: 'replace', path: 'title', value: title }],
});
const del = (opId: string, cloudId: string): PlanOperation => ({
  opId,
  itemId: `cloud-user:${cloudId}`,
  label: `${cloudId}@corp.example.com`,
  kind: 'deleteUser',
  target: { cloudId },
});
const none = new Set<string>();

describe('sync apply: a saved plan checked against a fresh plan', () => {
  it('the same operations hold, whatever their key order or numbers', () => {
    const fresh = [patch('op-000001', 'A'), del('op-000002', 'u9')];
    const saved = [JSON.parse(JSON.stringify(fresh[1]).replace('op-000002', 'op-000007')), { ...fresh[0]!, kind: 'patchUser' }];
    assert.equal(compareOperations(saved, fresh, none, false), undefined);
  });

  const cases: Array<[string, PlanOperation[], RegExp]> = [
    ['a changed value', [patch('op-000001', 'B'), del('op-000002', 'u9')], /op-000001 .*ops\[0\]\.value: "B" where a fresh plan has "A"/],
    [
      'an added delete',
      [patch('op-000001', 'A'), del('op-000002', 'u9'), del('op-000003', 'u5')],
      /op-000003 \(deleteUser u5@.*\) is not in a fresh plan/,
    ],
    [
      'a retargeted patch',
      [patch('op-000001', 'A', 'u2'), del('op-000002', 'u9')],
      /op-000001 .* differs from a fresh plan's: itemId: "user:u2"/,
    ],
    [
      'a removed operation',
      [patch('op-000001', 'A')],
      /a fresh plan has operation op-000002 \(deleteUser u9@.*\) that the plan file lacks/,
    ],
    [
      'a duplicated operation',
      [patch('op-000001', 'A'), del('op-000002', 'u9'), del('op-000002', 'u9')],
      /has operation op-000002 .* twice/,
    ],
    [
      'the same operation twice',
      [patch('op-000001', 'A'), del('op-000002', 'u9'), del('op-000003', 'u9')],
      /op-000003 .* not in a fresh plan/,
    ],
  ];
  for (const [name, saved, message] of cases) {
    it(`refuses ${name}`, () => {
      const d = compareOperations(saved, [patch('op-000001', 'A'), del('op-000002', 'u9')], none, false);
      assert.match(d ?? 'held', message);
    });
  }

  it('an interrupted apply of the plan: journaled operations need not be in the fresh plan', () => {
    const saved = [patch('op-000001', 'A'), del('op-000002', 'u9')];
    assert.equal(compareOperations(saved, [del('op-000001', 'u9')], new Set(['op-000001']), true), undefined);
    assert.match(compareOperations(saved, [], new Set(['op-000001']), true) ?? 'held', /op-000002 .* not in a fresh plan/);
  });

  it('names the first differing path, values cut short', () => {
    assert.equal(firstDifference({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] }), 'a[1].b: "x" where a fresh plan has "y"');
    assert.match(firstDifference({ a: 'z'.repeat(500) }, { a: 'q' })!, /^a: "z{79}… where/);
  });

  it('the summary leaves out objects whose operations all failed', () => {
    const report = {
      summary: { added: 2, modified: 1, deleted: 0 },
      items: [
        { id: 'i1', category: 'added' },
        { id: 'i2', category: 'added' },
        { id: 'i3', category: 'modified' },
      ],
    } as unknown as SyncReport;
    const ops = ['i1', 'i2', 'i3'].map((itemId, n) => ({ ...patch(`op-${n}`, 'A'), itemId }));
    assert.deepEqual(summaryOfRun(report, ops, [{ opId: 'op-1' }]), { added: 1, modified: 1, deleted: 0 });
  });
});
