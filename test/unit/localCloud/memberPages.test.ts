import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../server/src/localCloud/db';
import { MEMBER_PAGE_SQL } from '../../../server/src/localCloud/groupService';

describe('local cloud: a page of group members', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-members-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is read along an index in the order members were added, without sorting the whole group', () => {
    const { db } = openDatabase(join(dir, 'plan.db'), 'org');
    try {
      const plan = db
        .prepare<[number, number, number], { detail: string }>(`EXPLAIN QUERY PLAN ${MEMBER_PAGE_SQL}`)
        .all(1, 500, 0)
        .map((r) => r.detail);
      assert.ok(
        plan.some((d) => /members USING (COVERING )?INDEX members_group_order/.test(d)),
        plan.join('\n'),
      );
      assert.ok(!plan.some((d) => /TEMP B-TREE/.test(d)), plan.join('\n'));
    } finally {
      db.close();
    }
  });

  it("returns the page asked for, with each member's display name, on a store made before the index", () => {
    const path = join(dir, 'old.db');
    const first = openDatabase(path, 'org');
    first.db.exec('DROP INDEX members_group_order');
    const now = '2026-01-01T00:00:00Z';
    first.db
      .prepare(
        "INSERT INTO groups (id, display_name_lc, display_name, version, created, modified, doc) VALUES ('g', 'g', 'G', 1, ?, ?, '{}')",
      )
      .run(now, now);
    const seq = (first.db.prepare("SELECT seq FROM groups WHERE id = 'g'").get() as { seq: number }).seq;
    const addUser = first.db.prepare(
      "INSERT INTO users (id, user_name_lc, display_name, version, created, modified, doc) VALUES (?, ?, ?, 1, ?, ?, '{}')",
    );
    const addMember = first.db.prepare("INSERT INTO members (group_seq, member_id, member_type) VALUES (?, ?, 'User')");
    // Added out of id order: the page keeps the order of adding.
    const ids = Array.from({ length: 30 }, (_, i) => `u${String((i * 7) % 30).padStart(2, '0')}`);
    for (const id of ids) {
      addUser.run(id, `${id}@example.com`, `Name ${id}`, now, now);
      addMember.run(seq, id);
    }
    first.db.close();
    const { db } = openDatabase(path, 'org');
    try {
      assert.ok(
        db.prepare("SELECT name FROM sqlite_master WHERE name = 'members_group_order'").get(),
        'the index is made when an older store opens',
      );
      const page = db
        .prepare<[number, number, number], { value: string; type: string; display: string | null }>(MEMBER_PAGE_SQL)
        .all(seq, 10, 10);
      assert.deepEqual(
        page.map((m) => m.value),
        ids.slice(10, 20),
      );
      assert.deepEqual(
        page.map((m) => m.display),
        ids.slice(10, 20).map((id) => `Name ${id}`),
      );
      assert.ok(page.every((m) => m.type === 'User'));
    } finally {
      db.close();
    }
  });
});
