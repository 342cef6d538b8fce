/**
 * The thumbnails folder beside the saved reports: each distinct thumbnail written once, named by
 * the hash of its bytes, as the plan makes it; a later run reuses the file; files no report left
 * in the folder can refer to are swept when a report is saved.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isThumbnailRef, thumbnailFileName } from '../../../common/report';
import { createAttributeSource } from '../../../server/src/avatars/sources';
import { sweepThumbnails, ThumbnailStore, thumbnailsDir } from '../../../server/src/avatars/thumbnailStore';
import { parseGuid } from '../../../server/src/domain/adValues';
import { planAvatars, type AvatarPlanUser } from '../../../server/src/sync/avatars/plan';
import { gifBytes, jpegBytes, pngBytes } from '../../support/avatarImages';

const source = createAttributeSource({ attribute: 'thumbnailPhoto', maxBytes: 10 * 1024 * 1024 - 1 });

function user(n: number, photo: Uint8Array): AvatarPlanUser {
  return {
    entry: {
      dn: `CN=User ${n},OU=Staff,DC=example,DC=com`,
      attributes: { objectguid: [parseGuid(`00000000-1111-2222-3333-${String(n).padStart(12, '0')}`)!], thumbnailphoto: [photo] },
    },
    itemId: `user-${n}`,
    userName: `user${n}@example.com`,
  };
}

describe('avatars: the thumbnails folder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dirsync-thumbstore-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes each distinct thumbnail once, however many users show it; items hold only the reference', async () => {
    const pictures = [jpegBytes(48, 48, { seed: 1 }), jpegBytes(200, 200, { seed: 2, noise: true }), pngBytes(32, 32, { seed: 3 })];
    // 300 users over three pictures, plus one shared by nobody else.
    const users = Array.from({ length: 300 }, (_, i) => user(i + 1, pictures[i % 3]!));
    users.push(user(301, gifBytes(16, 16)));
    const store = new ThumbnailStore(thumbnailsDir(root));
    const r = await planAvatars({ users, source, state: {}, removeWhenSourceEmpty: false }, { thumbnails: store, concurrency: 8 });
    const refs = r.items.map((i) => i.avatar?.thumbnail);
    assert.ok(refs.every(isThumbnailRef), 'every picture has a thumbnail reference');
    const files = readdirSync(store.dir).sort();
    assert.equal(files.length, 4, files.join(', '));
    assert.equal(store.written, 4, 'written once each');
    assert.deepEqual(files, [...new Set(refs.map((t) => thumbnailFileName(t!)))].sort());
    for (const f of files) {
      const sha = f.slice(0, 64);
      assert.equal(
        createHash('sha256')
          .update(readFileSync(join(store.dir, f)))
          .digest('hex'),
        sha,
        `${f} is named by its hash`,
      );
      assert.ok(statSync(join(store.dir, f)).size <= 6 * 1024);
    }
    // The items carry a hash and a type, not bytes.
    assert.ok(JSON.stringify(r.items).length < 300 * 600, 'no image data in the items');
    assert.deepEqual(
      new Set(refs.map((t) => t!.contentType)),
      new Set(['image/jpeg', 'image/png', 'image/gif']),
      'small pictures keep their own type; large ones become JPEG',
    );

    // A second run (a new store, as a new dry run makes) finds the files there and writes nothing.
    const again = new ThumbnailStore(thumbnailsDir(root));
    await planAvatars({ users, source, state: {}, removeWhenSourceEmpty: false }, { thumbnails: again });
    assert.equal(again.written, 0);
    assert.equal(readdirSync(store.dir).length, 4);
  });

  it('sweeps the thumbnails untouched since before the oldest report left in the folder, and only those', async () => {
    const dir = thumbnailsDir(root);
    mkdirSync(dir, { recursive: true });
    const day = 24 * 60 * 60;
    const now = Date.now() / 1000;
    const file = (name: string, ageDays: number, folder = dir) => {
      writeFileSync(join(folder, name), 'x');
      utimesSync(join(folder, name), now - ageDays * day, now - ageDays * day);
    };
    file('old-report.json', 10, root);
    file('new-report.json', 1, root);
    file(`${'a'.repeat(64)}.jpg`, 30); // older than every report: no report can refer to it
    file(`${'b'.repeat(64)}.jpg`, 10.5); // touched by the oldest report's run (written at its end)
    file(`${'c'.repeat(64)}.png`, 0); // in use by the newest run
    assert.equal(await sweepThumbnails(root), 1);
    assert.deepEqual(readdirSync(dir).sort(), [`${'b'.repeat(64)}.jpg`, `${'c'.repeat(64)}.png`]);
    // No report left: nothing is known to be unused, nothing removed.
    rmSync(join(root, 'old-report.json'));
    rmSync(join(root, 'new-report.json'));
    assert.equal(await sweepThumbnails(root), 0);
    assert.equal(readdirSync(dir).length, 2);
  });
});
