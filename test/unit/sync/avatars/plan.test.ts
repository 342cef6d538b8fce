import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configuredAvatarPlanner } from '../../../../server/src/sync/avatars/planHook';
import { loadEngineConfig } from '../../../../server/src/sync/engine/load';
import { checkImage } from '../../../../server/src/avatars/checks';
import { createAttributeSource, type AvatarSource } from '../../../../server/src/avatars/sources';
import type { AvatarStateRecord } from '../../../../server/src/avatars/changes';
import { parseGuid } from '../../../../server/src/domain/adValues';
import type { DirectoryEntry } from '../../../../server/src/domain/entry';
import { planAvatars, type AvatarPlanUser } from '../../../../server/src/sync/avatars/plan';
import { AvatarStateStore, avatarStatePath } from '../../../../server/src/sync/avatars/stateFile';
import { ThumbnailStore } from '../../../../server/src/avatars/thumbnailStore';
import { isThumbnailRef, thumbnailFileName } from '../../../../common/report';
import { jpegBytes } from '../../../support/avatarImages';

const source = createAttributeSource({ attribute: 'thumbnailPhoto', maxBytes: 10 * 1024 * 1024 - 1 });
const A = jpegBytes(48, 48, { seed: 1 });
const B = jpegBytes(48, 48, { seed: 2 });
const sha = (b: Uint8Array) => {
  const r = checkImage(b, { maxBytes: 1e7 });
  assert.ok(r.ok);
  return r.sha256;
};

function guidOf(n: number): string {
  return `0000000${n}-1111-2222-3333-444444444444`.slice(-36);
}

function entry(n: number, photo?: Uint8Array | string): DirectoryEntry {
  return {
    dn: `CN=User ${n},OU=Staff,DC=example,DC=com`,
    attributes: {
      objectguid: [parseGuid(guidOf(n))!],
      ...(photo !== undefined ? { thumbnailphoto: [photo] } : {}),
    },
  };
}

function user(n: number, photo?: Uint8Array | string, cloudPhoto?: string | null): AvatarPlanUser {
  return {
    entry: entry(n, photo),
    itemId: `user-${n}`,
    userName: `user${n}@example.com`,
    ...(cloudPhoto !== undefined
      ? { cloud: { id: `c${n}`, ...(cloudPhoto ? { photos: [{ value: cloudPhoto, type: 'photo', primary: true }] } : {}) } }
      : {}),
  };
}

const rec = (bytes: Uint8Array, url = 'http://cloud/avatar/x'): AvatarStateRecord => ({
  sha256: sha(bytes),
  url,
  uploadedAt: '2026-01-01T00:00:00.000Z',
});

describe('sync: planAvatars decisions', () => {
  // user, state record, removeWhenSourceEmpty, purge → status, operation kind, reason contains
  const table: Array<[string, AvatarPlanUser, AvatarStateRecord | undefined, boolean, boolean, string, string | undefined, string]> = [
    ['new picture, user in the cloud without one', user(1, A, null), undefined, false, false, 'upload', 'uploadAvatar', 'New picture'],
    ['new picture, user not in the cloud yet', user(2, A), undefined, false, false, 'upload', 'uploadAvatar', 'New picture'],
    [
      'same picture as the state, cloud agrees',
      user(3, A, 'http://cloud/avatar/x'),
      rec(A),
      false,
      false,
      'unchanged',
      undefined,
      'Same picture',
    ],
    [
      'avatar-only change (incremental case)',
      user(4, B, 'http://cloud/avatar/x'),
      rec(A),
      false,
      false,
      'upload',
      'uploadAvatar',
      'changed',
    ],
    ['same picture, cloud lost it', user(5, A, null), rec(A), false, false, 'upload', 'uploadAvatar', 'no picture'],
    [
      'cleared, removeWhenSourceEmpty off',
      user(6, undefined, 'http://cloud/avatar/x'),
      rec(A),
      false,
      false,
      'empty',
      undefined,
      'No image data',
    ],
    [
      'cleared, removeWhenSourceEmpty on',
      user(7, undefined, 'http://cloud/avatar/x'),
      rec(A),
      true,
      false,
      'remove',
      'removeAvatar',
      'No image data',
    ],
    ['cleared, on, but the cloud shows none', user(8, undefined, null), rec(A), true, false, 'empty', undefined, 'No image data'],
    [
      'empty, purge, cloud has a picture (no state)',
      user(9, undefined, 'http://elsewhere/p.jpg'),
      undefined,
      false,
      true,
      'remove',
      'removeAvatar',
      'No image data',
    ],
    ['empty, purge, user has no cloud picture', user(10, undefined, null), undefined, false, true, 'empty', undefined, 'No image data'],
    ['picture, purge: left alone, never uploaded', user(11, A, null), undefined, false, true, 'unchanged', undefined, 'purge leaves it'],
    [
      'not an image: failed, nothing planned',
      user(12, Buffer.from('<html>login</html>'), 'http://cloud/avatar/x'),
      rec(A),
      true,
      false,
      'failed',
      undefined,
      'not an image',
    ],
    ['text attribute: failed', user(13, 'not bytes', null), undefined, true, false, 'failed', undefined, 'text'],
  ];
  for (const [name, u, previous, removeWhenSourceEmpty, purge, status, kind, reason] of table) {
    it(name, async () => {
      const state = previous ? { [guidOf(Number(u.itemId.slice(5)))]: previous } : {};
      const store = new ThumbnailStore(mkdtempSync(join(tmpdir(), 'dirsync-thumbs-')));
      const r = await planAvatars({ users: [u], source, state, removeWhenSourceEmpty, purge }, { thumbnails: store });
      assert.equal(r.items.length, 1);
      const item = r.items[0]!;
      assert.equal(item.category, 'avatars');
      assert.equal(item.id, `${u.itemId}/avatar`);
      assert.equal(item.avatar?.status, status);
      assert.match(item.avatar?.reason ?? '', new RegExp(reason, 'i'));
      assert.equal(r.operations.length, kind ? 1 : 0);
      assert.equal(r.counts[status as 'upload'], 1);
      if (kind) {
        const op = r.operations[0]!;
        assert.equal(op.kind, kind);
        assert.equal(op.itemId, item.id);
        assert.equal(op.dn, u.entry.dn);
        assert.equal(op.target.cloudId, u.cloud?.id);
        assert.equal(op.target.externalId, guidOf(Number(u.itemId.slice(5))));
        assert.equal(op.target.userName, u.userName);
        if (op.kind === 'uploadAvatar') assert.equal(op.sha256, sha(u.entry.attributes['thumbnailphoto']![0] as Uint8Array));
        if (op.kind === 'removeAvatar') assert.equal(op.reason, 'No image data');
      }
      if (status === 'upload' || (status === 'unchanged' && !purge)) {
        const t = item.avatar?.thumbnail;
        assert.ok(isThumbnailRef(t) && t.contentType === 'image/jpeg', JSON.stringify(t));
        const bytes = readFileSync(join(store.dir, thumbnailFileName(t)));
        assert.equal(createHash('sha256').update(bytes).digest('hex'), t.sha256, 'named by the hash of its bytes');
        assert.equal(bytes[0], 0xff, 'a JPEG');
      } else assert.equal(item.avatar?.thumbnail, undefined);
      rmSync(store.dir, { recursive: true, force: true });
      if (status === 'failed') assert.ok(item.warnings?.length);
    });
  }

  it('keeps input order and numbers operations in order, with bounded concurrency', async () => {
    let inFlight = 0;
    let max = 0;
    const gates: Array<() => void> = [];
    const slow: AvatarSource = {
      kind: 'attribute',
      attributes: ['thumbnailphoto'],
      async fetch(e, signal) {
        inFlight++;
        max = Math.max(max, inFlight);
        await new Promise<void>((resolve) => gates.push(resolve));
        inFlight--;
        return source.fetch(e, signal);
      },
      async close() {},
    };
    const users = Array.from({ length: 20 }, (_, i) => user(i + 1, i % 2 ? A : undefined, i % 4 === 0 ? 'http://x/p' : null));
    async function* stream() {
      for (const u of users) yield u;
    }
    const running = planAvatars(
      { users: stream(), source: slow, state: {}, removeWhenSourceEmpty: true },
      { concurrency: 3, thumbnails: false },
    );
    // Release the gates in reverse order of arrival, a batch at a time, until all are done.
    let released = 0;
    while (released < users.length) {
      await new Promise((r) => setImmediate(r));
      const batch = gates.splice(0);
      batch.reverse().forEach((g) => g());
      released += batch.length;
    }
    const r = await running;
    assert.equal(max, 3);
    assert.deepEqual(
      r.items.map((i) => i.id),
      users.map((u) => `${u.itemId}/avatar`),
    );
    assert.deepEqual(
      r.operations.map((o) => o.opId),
      r.operations.map((_, i) => `avatar-${String(i + 1).padStart(6, '0')}`),
    );
    // Odd users have a picture (upload); even users without one are removed only where the cloud shows a picture (i % 4 == 0).
    assert.deepEqual(r.counts, { upload: 10, unchanged: 0, remove: 5, failed: 0, empty: 5 });
    assert.ok(
      r.items.every((i) => i.avatar?.thumbnail === undefined),
      'thumbnails off',
    );
  });

  it('without cloud data (incremental), the state alone decides: unchanged stays unchanged, a cleared picture with a record is removed', async () => {
    const r = await planAvatars(
      {
        users: [user(1, A), user(2, undefined)],
        source,
        state: { [guidOf(1)]: rec(A), [guidOf(2)]: rec(B) },
        removeWhenSourceEmpty: true,
        cloudRead: false,
      },
      { thumbnails: false },
    );
    assert.deepEqual(
      r.items.map((i) => i.avatar?.status),
      ['unchanged', 'remove'],
    );
  });

  it('stops on cancellation', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(
      planAvatars({ users: [user(1, A)], source, state: {}, removeWhenSourceEmpty: false }, { signal: ac.signal }),
      /stop/,
    );
  });
});

describe('sync: the avatar state file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dirsync-avstate-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts empty, saves atomically under state/, and reads back what it saved', async () => {
    const s = await AvatarStateStore.load(dir);
    assert.equal(s.size, 0);
    s.set('k1', rec(A));
    s.set('k2', rec(B, 'http://cloud/b'));
    s.set('k2', undefined);
    await s.save();
    const file = avatarStatePath(dir);
    assert.equal(file, join(dir, 'state', 'avatars.json'));
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(doc.format, 'dirsync-avatar-state');
    assert.deepEqual(Object.keys(doc.users), ['k1']);
    const again = await AvatarStateStore.load(dir);
    assert.deepEqual(again.snapshot(), { k1: rec(A) });
  });

  it('drops invalid records with a warning and names the file when it is not JSON', async () => {
    mkdirSync(join(dir, 'state'));
    writeFileSync(
      avatarStatePath(dir),
      JSON.stringify({ format: 'dirsync-avatar-state', version: 1, users: { good: rec(A), bad: { sha256: 'nope' } } }),
    );
    const s = await AvatarStateStore.load(dir);
    assert.deepEqual(Object.keys(s.snapshot()), ['good']);
    assert.match(s.warnings[0]!, /bad is not valid/);
    writeFileSync(avatarStatePath(dir), '{oops');
    await assert.rejects(
      AvatarStateStore.load(dir),
      (e: Error) => e.message.includes(avatarStatePath(dir)) && /not valid JSON/.test(e.message),
    );
  });
});

describe('sync: the config avatar planner reads its state once prepared', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dirsync-avprep-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prepared: a state file that is not JSON fails the planner with the file named, and nothing is left unhandled', async () => {
    const configFile = join(dir, 'a.dirsync');
    writeFileSync(configFile, readFileSync(join(__dirname, '../../../../sample-configs/single-domain-thumbnail.dirsync'), 'utf8'));
    const loaded = await loadEngineConfig({ configFile, stateDir: dir, secrets: () => 'a-token' });
    mkdirSync(join(dir, 'state'));
    writeFileSync(avatarStatePath(dir), '{oops');
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const configured = configuredAvatarPlanner(loaded)!;
      configured.prepare();
      // The prepared read fails while nothing awaits it yet: a read of the same file queued after it has finished.
      await readFile(avatarStatePath(dir));
      await new Promise((resolve) => setImmediate(resolve));
      await assert.rejects(
        configured.planner([], { config: loaded.config }),
        (e: Error) => e.message.includes(avatarStatePath(dir)) && /not valid JSON/.test(e.message),
      );
      await configured.close();
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
