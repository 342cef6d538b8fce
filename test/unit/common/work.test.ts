import assert from 'node:assert/strict';
import type { ReportItem } from '../../../common/report';
import {
  countWork,
  planLine,
  skippedPhrase,
  totalWork,
  unchangedPhrase,
  workActionOf,
  workKindOf,
  workPhrases,
} from '../../../common/work';

let seq = 0;
const item = (over: Partial<ReportItem>): ReportItem => ({
  id: `i${++seq}`,
  category: 'added',
  objectType: 'user',
  action: 'create',
  ...over,
});

describe('common/work: counts that mean work', () => {
  const table: Array<[string, Partial<ReportItem>, string, string]> = [
    ['added user', { category: 'added', action: 'create' }, 'users', 'create'],
    ['soft-deleted re-created', { category: 'softDeleted', action: 'create' }, 'users', 'create'],
    ['modified user', { category: 'modified', action: 'update' }, 'users', 'update'],
    ['reactivated user', { category: 'modified', action: 'reactivate' }, 'users', 'update'],
    ['deactivated user', { category: 'deactivated', action: 'deactivate' }, 'users', 'deactivate'],
    ['protected, not deactivated', { category: 'deactivated', action: 'skip' }, 'users', 'skipped'],
    ['deleted user', { category: 'deleted', action: 'delete' }, 'users', 'delete'],
    ['mismatched, retained', { category: 'mismatched', action: 'retain' }, 'users', 'unchanged'],
    ['matched user', { category: 'matched', action: 'none' }, 'users', 'unchanged'],
    ['room created', { category: 'rooms', objectType: 'room', action: 'create' }, 'rooms', 'create'],
    ['group, members changed', { category: 'groups', objectType: 'group', action: 'update' }, 'groups', 'update'],
    ['contact', { category: 'contacts', objectType: 'contact', action: 'skip' }, 'contacts', 'skipped'],
    ['invalid room', { category: 'invalid', objectType: 'room', action: 'skip' }, 'rooms', 'skipped'],
    ['picture, cloud has none', { category: 'avatars', action: 'avatarUpload', avatar: { status: 'upload' } }, 'pictures', 'create'],
    [
      'picture replacing the cloud one',
      { category: 'avatars', action: 'avatarUpload', avatar: { status: 'upload', cloudUrl: 'https://x/1.jpg' } },
      'pictures',
      'update',
    ],
    ['picture removed', { category: 'avatars', action: 'avatarRemove', avatar: { status: 'remove' } }, 'pictures', 'delete'],
    ['no picture anywhere', { category: 'avatars', action: 'none', avatar: { status: 'empty' } }, 'pictures', 'unchanged'],
    ['picture unreadable', { category: 'avatars', action: 'skip', avatar: { status: 'failed' } }, 'pictures', 'skipped'],
  ];
  for (const [name, over, kind, action] of table) {
    it(`${name} → ${kind} ${action}`, () => {
      const i = item(over);
      assert.equal(workKindOf(i), kind);
      assert.equal(workActionOf(i), action);
    });
  }

  it('the plan line names work only; no changes prints no count', () => {
    const work = countWork([
      ...Array.from({ length: 3 }, () => item({})),
      item({ category: 'rooms', objectType: 'room' }),
      item({ category: 'groups', objectType: 'group', action: 'update' }),
      item({ category: 'avatars', action: 'avatarUpload', avatar: { status: 'upload' } }),
      item({ category: 'matched', action: 'none' }),
      item({ category: 'contacts', objectType: 'contact', action: 'skip' }),
    ]);
    assert.equal(totalWork(work), 6);
    assert.equal(planLine(work), 'Plan: create 3 users and 1 room; update 1 group; upload 1 picture.');
    assert.equal(unchangedPhrase(work), '1 user unchanged');
    assert.equal(skippedPhrase(work), '1 contact skipped');
    const quiet = countWork([item({ category: 'matched', action: 'none' }), item({ category: 'avatars', action: 'none' })]);
    assert.equal(totalWork(quiet), 0);
    assert.equal(planLine(quiet), 'No changes: the cloud matches the directory.');
    assert.doesNotMatch(planLine(quiet), /\d/);
  });

  it('what an apply did: only items whose operations completed, only work', () => {
    const a = item({});
    const b = item({});
    const c = item({ category: 'avatars', action: 'avatarUpload', avatar: { status: 'upload' } });
    const d = item({ category: 'matched', action: 'none' });
    const done = countWork([a, b, c, d], new Set([a.id, c.id, d.id]));
    assert.deepEqual(workPhrases(done, 'done'), ['created 1 user', 'uploaded 1 picture']);
    assert.equal(done.users.unchanged, 0);
  });
});
