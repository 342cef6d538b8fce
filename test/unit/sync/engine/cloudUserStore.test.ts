import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudUserStore, fnv1a, HELD_USERS } from '../../../../server/src/sync/engine/cloudUserStore';
import {
  CloudIndex,
  viewCloudUser,
  type CloudUserIdentity,
  type CloudUserIndex,
  type CloudUserView,
} from '../../../../server/src/sync/plan/match';
import { cloudUser } from '../../../support/planBuilders';

const SOFT = { 'urn:scim:schemas:extension:cisco:webexidentity:2.0:User': { accountStatus: ['marked_deleted'] } };

/** A seeded pseudo-random sequence (the same users every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Cloud users with what makes matching hard: externalIds given twice, names equal but for case,
 * soft-deleted users sharing a live user's name (before and after it), no externalId, non-ASCII
 * names, mapped values, pictures.
 */
function cloudUsers(n: number): CloudUserView[] {
  const r = random(7);
  return Array.from({ length: n }, (_, i) => {
    const name = `${r() < 0.1 ? 'Ünïcode.' : ''}user${Math.floor(r() * n * 0.8)}@corp.example.com`;
    const cased = r() < 0.2 ? name.toUpperCase() : name;
    const ext = r() < 0.15 ? undefined : `guid-${Math.floor(r() * n * 0.9)}`;
    const soft = r() < 0.15;
    return viewCloudUser(
      cloudUser(`id-${i}`, cased, {
        ...(ext ? { externalId: ext.toUpperCase() } : {}),
        ...(soft ? SOFT : {}),
        title: `T${i} “ü”`,
        ...(r() < 0.3 ? { photos: [{ value: `https://avatar.example/${i}`, primary: true }] } : {}),
      }),
      ['title'],
    );
  });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'dirsync-cloudstore-'));

function fill(index: CloudUserIndex, users: readonly CloudUserView[]): CloudUserIndex {
  for (const u of users) index.add(u);
  return index;
}

/** The three fields of a user's identity (a held view has more). */
const identity = (u: CloudUserIdentity | undefined) => u && { id: u.id, userName: u.userName, softDeleted: u.softDeleted };

/** Every lookup the planner makes, on both indexes, with the same answers expected. */
function sameAnswers(store: CloudUserIndex, memory: CloudUserIndex, users: readonly CloudUserView[], n: number): void {
  assert.equal(store.size, memory.size);
  for (let k = 0; k < n; k++) {
    for (const name of [`user${k}@corp.example.com`, `USER${k}@CORP.EXAMPLE.COM`, `Ünïcode.user${k}@corp.example.com`]) {
      for (const ext of [`guid-${k}`, '', 'guid-none'])
        assert.deepEqual(store.match(ext, name), memory.match(ext, name), `match(${ext}, ${name})`);
    }
    assert.deepEqual(store.byExternalId(`GUID-${k}`), memory.byExternalId(`GUID-${k}`), `byExternalId GUID-${k}`);
    assert.deepEqual(
      identity(store.identityByExternalId(`GUID-${k}`)),
      identity(memory.identityByExternalId(`GUID-${k}`)),
      `identity GUID-${k}`,
    );
  }
  for (const u of users) {
    assert.deepEqual(store.byId(u.id), memory.byId(u.id), `byId ${u.id}`);
    assert.deepEqual(identity(store.identityById(u.id)), identity(memory.identityById(u.id)), `identityById ${u.id}`);
  }
  assert.equal(store.byId('id-none'), undefined);
  assert.equal(store.identityById('id-none'), undefined);
  assert.equal(store.identityByExternalId('guid-none'), undefined);
}

describe('sync engine: the cloud users kept outside the heap', () => {
  const users = cloudUsers(3000);

  // All in the file; the first 1,000 held, then all written (in the middle of the listing); all held.
  for (const [held, holdUp] of [
    ['none held', 0],
    ['written after 1,000', 1000],
    ['all held', HELD_USERS],
  ] as const)
    it(`answers every lookup as the in-memory index does, in the same order (${held})`, () => {
      const dir = tmp();
      const store = new CloudUserStore(dir, fnv1a, holdUp);
      try {
        const memory = fill(new CloudIndex<CloudUserView>((u) => u.userName), users);
        fill(store, users);
        sameAnswers(store, memory, users, 3000);
        // Matched by id, the others left in the order added.
        for (const u of users.filter((_, i) => i % 3 === 0)) {
          store.matched.add(u.id);
          memory.matched.add(u.id);
        }
        assert.deepEqual([...store.unmatched()], [...memory.unmatched()]);
        assert.equal(store.matched.has(users[3]!.id), true);
        assert.equal(store.matched.has(users[4]!.id), false);
      } finally {
        store.close();
      }
    });

  it('answers right when every key has the same hash (each candidate is checked)', () => {
    const dir = tmp();
    const store = new CloudUserStore(dir, () => 42, 0);
    try {
      const few = users.slice(0, 400);
      const memory = fill(new CloudIndex<CloudUserView>((u) => u.userName), few);
      fill(store, few);
      sameAnswers(store, memory, few, 400);
      store.matched.add(few[10]!.id);
      assert.equal(store.matched.has(few[10]!.id), true);
      assert.equal(store.matched.has(few[11]!.id), false);
    } finally {
      store.close();
    }
  });

  it('reads users still in its write buffer, and removes its file when closed', () => {
    const dir = tmp();
    const store = new CloudUserStore(dir, fnv1a, 0);
    store.add(users[0]!);
    assert.deepEqual(store.byId(users[0]!.id), users[0]);
    store.add(users[1]!);
    assert.deepEqual(store.byId(users[1]!.id), users[1]);
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('.cloud-')).length, 1);
    store.close();
    assert.deepEqual(readdirSync(dir), []);
  });

  it('hashes text as 32-bit FNV-1a', () => {
    assert.equal(fnv1a(''), 0x811c9dc5);
    assert.equal(fnv1a('a'), 0xe40c292c);
    assert.equal(fnv1a('foobar'), 0xbf9cf968);
  });
});
