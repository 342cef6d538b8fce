/** The avatar state file: records group-committed to its log during an apply, replayed on load, folded in by save. */
import { strict as assert } from 'node:assert';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AvatarStateStore, avatarStateLogPath, avatarStatePath } from '../../../../server/src/sync/avatars/stateFile';

const record = (n: number) => ({ sha256: String(n).repeat(64).slice(0, 64), uploadedAt: `2026-12-05T00:00:0${n}.000Z` });

describe('sync avatars: the state file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dirsync-avatar-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('joins the records committed while a write runs into the next single write + fsync', async () => {
    const store = await AvatarStateStore.load(dir);
    store.set('a', record(1));
    const first = store.commit();
    store.set('b', record(2));
    const second = store.commit();
    store.set('c', record(3));
    const third = store.commit();
    await Promise.all([first, second, third]);
    assert.equal(store.commits, 2, 'a alone, then b and c together');
    await store.commit(); // nothing new: no write
    assert.equal(store.commits, 2);
    assert.equal(readFileSync(avatarStateLogPath(dir), 'utf8').trim().split('\n').length, 3);
    assert.equal(existsSync(avatarStatePath(dir)), false, 'committing never rewrites the file');
    await store.abandon();
  });

  it('a run killed before it saved: the next load has every committed record, a torn last line skipped', async () => {
    const store = await AvatarStateStore.load(dir);
    store.set('a', record(1));
    store.set('b', record(2));
    await store.commit();
    store.set('a', undefined); // a removal is a record too
    await store.commit();
    store.set('c', record(3)); // set but never committed: lost, and re-uploaded by the next run
    await store.abandon();
    appendFileSync(avatarStateLogPath(dir), '{"key":"d","rec');
    const again = await AvatarStateStore.load(dir);
    assert.equal(again.get('a'), undefined);
    assert.deepEqual(again.get('b'), record(2));
    assert.equal(again.get('c'), undefined);
    assert.equal(again.get('d'), undefined);
    assert.equal(again.size, 1);
  });

  it('save writes the file with the log folded in and deletes the log', async () => {
    const store = await AvatarStateStore.load(dir);
    store.set('a', record(1));
    await store.commit();
    await store.abandon();
    const next = await AvatarStateStore.load(dir);
    next.set('b', record(2));
    await next.commit();
    await next.save();
    assert.equal(existsSync(avatarStateLogPath(dir)), false);
    const doc = JSON.parse(readFileSync(avatarStatePath(dir), 'utf8')) as { users: Record<string, unknown> };
    assert.deepEqual(Object.keys(doc.users), ['a', 'b']);
    const last = await AvatarStateStore.load(dir);
    assert.deepEqual(last.get('a'), record(1));
    assert.deepEqual(last.get('b'), record(2));
  });

  it('a memory store commits nothing to disk', async () => {
    const store = AvatarStateStore.memory();
    store.set('a', record(1));
    await store.commit();
    assert.equal(store.commits, 0);
  });
});
